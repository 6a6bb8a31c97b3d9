import { beforeAll, describe, expect, it } from 'vitest';
import { readProject } from '../../src/formats/project.ts';
import { parseMarkdown } from '../../src/markdown/index.ts';
import { hasCorpus } from '../support/corpus.ts';
import { corpusWhere, fixtureDoc, loadCorpus } from './reader-support.ts';

const read = (name: string) => readProject(fixtureDoc('project', name), '.planning/PROJECT.md');

describe('readProject fixtures', () => {
  it('reads the template dialect', () => {
    const { record, diagnostics } = read('template-dialect.md');
    expect(diagnostics).toEqual([]);
    expect(record).toEqual({
      name: 'Lanternfish',
      coreValue: 'Anglers know the best two hours of every day without opening a browser.',
      whatThisIs: 'Lanternfish is a small command-line tool that turns a folder of tide tables\ninto a weekly fishing calendar.',
      keyDecisions: [
        { decision: 'CSV only in v1', choice: null, rationale: 'Every harbour office publishes CSV', outcome: '✓ Good', line: 26 },
        { decision: 'No database', choice: null, rationale: 'One file per week is enough', outcome: '— Pending', line: 27 },
      ],
      updated: '2026-02-14',
      updatedText: '2026-02-14 after phase 2',
    });
  });

  it('reads a bold core-value line, columns in any order, and the last "Last updated" footer', () => {
    const { record, diagnostics } = read('bold-core-value.md');
    expect(diagnostics).toEqual([]);
    expect(record.coreValue).toBe('Every pallet that leaves the orchard is traceable to its row.');
    expect(record.whatThisIs).toBe('Ein kleines Lagerbuch für Obstbauern.');
    expect(record.keyDecisions).toEqual([{ decision: 'Local-first storage', choice: null, rationale: 'Offline im Feld', outcome: 'Good', line: 13 }]);
    expect(record.updated).toBe('2026-03-01');
    expect(record.updatedText).toBe('2026-03-01 — harvest season review');
  });

  it('reads a Decision | Choice | Rationale table and reports the missing core value', () => {
    const { record, diagnostics } = read('choice-table.md');
    expect(diagnostics.map((d) => d.rule)).toEqual(['project-core-value-missing']);
    expect(record.keyDecisions).toEqual([
      { decision: 'Storage', choice: 'SQLite via `better-sqlite3`', rationale: 'Synchronous API keeps the CLI simple', outcome: null, line: 11 },
      { decision: 'Sync', choice: 'None in v1', rationale: 'Scope', outcome: null, line: 12 },
    ]);
    expect(record.whatThisIs).toBeNull();
    expect(record.updated).toBeNull();
  });

  it('reports a file with nothing to read', () => {
    const { record, diagnostics } = read('empty.md');
    expect(diagnostics.map((d) => d.rule)).toEqual(['project-name-missing', 'project-core-value-missing']);
    expect(record).toEqual({ name: null, coreValue: null, whatThisIs: null, keyDecisions: [], updated: null, updatedText: null });
  });

  it('never throws on hostile input', () => {
    for (const text of ['', '#', '# \n## Core Value\n', '## Key Decisions\n\n| a |\n|---|\n', '*Last updated:*', '\u0000\uFFFF']) {
      expect(() => readProject(parseMarkdown(text), 'x')).not.toThrow();
    }
  });
});

describe.skipIf(!hasCorpus())('readProject over the corpus PROJECT.md files', () => {
  let results: Array<{ repo: string } & ReturnType<typeof readProject>> = [];
  beforeAll(() => {
    results = corpusWhere((rel) => /^[^/]+\/\.planning\/PROJECT\.md$/.test(rel)).map((f) => {
      const { rel, doc } = loadCorpus(f);
      return { repo: rel.split('/')[0]!, ...readProject(doc, rel) };
    });
  });

  it('reads all 24 and names every project', () => {
    expect(results.length).toBe(24);
    expect(results.filter((r) => !r.record.name).map((r) => r.repo)).toEqual([]);
  });

  it('finds a core value in every PROJECT.md except macrokinetic, which has none', () => {
    expect(results.filter((r) => r.record.coreValue === null).map((r) => r.repo)).toEqual(['gannonh__macrokinetic']);
    const diag = results.filter((r) => r.diagnostics.some((d) => d.rule === 'project-core-value-missing')).map((r) => r.repo);
    expect(diag).toEqual(['gannonh__macrokinetic']);
  });

  it('keeps the core value in its own language and without wrapping bold', () => {
    const by = (repo: string) => results.find((r) => r.repo === repo)!.record;
    expect(by('hillefrederic-alt__hydrophon-design-system').coreValue).toMatch(/^Das Design-System vermittelt/);
    expect(by('sebc-dev__sebc.dev').coreValue).toMatch(/^Le site doit incarner/);
    expect(by('deletexiumu__hivemind').coreValue).toMatch(/^用一套可组合的中文提示包/);
    expect(by('Gochiri__Focus-Os').coreValue).toMatch(/^Claridad diaria/);
    expect(by('merlinkraemer__prunr').coreValue).toBe('When storage suddenly drops, users can immediately see what consumed it.');
    // Wrapping bold is dropped; bold that covers only part of the sentence stays.
    expect(results.filter((r) => /^\*\*.*\*\*$/.test(r.record.coreValue ?? '')).map((r) => r.repo)).toEqual([]);
    expect(by('suhwan__ultra-planning').coreValue).toMatch(/^\*\*계획에서 실행까지 끊김 없이\*\* — /);
  });

  it('reads "What This Is" everywhere except macrokinetic (Vision instead)', () => {
    expect(results.filter((r) => r.record.whatThisIs === null).map((r) => r.repo)).toEqual(['gannonh__macrokinetic']);
  });

  it('reads a key-decision table everywhere except legal, which has none', () => {
    expect(results.filter((r) => r.record.keyDecisions.length === 0).map((r) => r.repo)).toEqual(['0xdevxyz__legal']);
    const mk = results.find((r) => r.repo === 'gannonh__macrokinetic')!.record.keyDecisions;
    expect(mk.length).toBeGreaterThan(5);
    expect(mk.every((d) => d.choice !== null && d.rationale !== null)).toBe(true);
    const withRationale = results.flatMap((r) => r.record.keyDecisions).filter((d) => d.rationale !== null);
    expect(withRationale.length).toBeGreaterThan(200);
  });

  it('dates the "Last updated" footer everywhere except legal (no footer)', () => {
    expect(results.filter((r) => r.record.updated === null).map((r) => r.repo)).toEqual(['0xdevxyz__legal']);
    // Faceplate also has a "**Last Updated:** January 25, 2026" line mid-file; the footer wins.
    expect(results.find((r) => r.repo === 'AllTheMachines__Faceplate')!.record.updated).toBe('2026-02-05');
    expect(results.find((r) => r.repo === 'jushyi__Flick')!.record.updated).toBe('2026-02-10');
  });
});
