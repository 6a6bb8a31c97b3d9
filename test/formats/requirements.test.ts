import { beforeAll, describe, expect, it } from 'vitest';
import { readRequirements } from '../../src/formats/requirements.ts';
import { parseMarkdown } from '../../src/markdown/index.ts';
import { hasCorpus } from '../support/corpus.ts';
import { corpusWhere, fixtureDoc, loadCorpus } from './reader-support.ts';

const read = (name: string) => readRequirements(fixtureDoc('requirements', name), '.planning/REQUIREMENTS.md');

describe('readRequirements fixtures', () => {
  it('reads every checkbox form, nested items, v2 items without a box, and the traceability table', () => {
    const { record, diagnostics } = read('checkbox-forms.md');
    expect(record.requirements.map((r) => [r.id, r.checked, r.line, r.section])).toEqual([
      ['TIDE-01', false, 9, 'Import'],
      ['TIDE-02', true, 10, 'Import'],
      ['TIDE-03', true, 11, 'Import'],
      ['TIDE-04', true, 12, 'Import'],
      ['CAL-01', false, 17, 'Calendar'],
      ['CAL-01', false, 18, 'Calendar'],
      ['SYNC-01', null, 22, 'v2 Requirements'],
    ]);
    expect(record.requirements.map((r) => r.text).slice(0, 4)).toEqual([
      'User can import a tide table from CSV',
      'User sees a warning for rows without a time',
      'Imports are idempotent',
      'Import reports the number of rows read',
    ]);
    expect(record.traceability).toEqual([
      { id: 'TIDE-01', phase: 'Phase 1', status: 'Pending', line: 34 },
      { id: 'TIDE-02', phase: 'Phase 1', status: 'Complete', line: 35 },
      { id: 'CAL-01', phase: 'Phase 2', status: 'In Progress', line: 36 },
      { id: 'CAL-01', phase: 'Phase 3', status: 'Pending', line: 37 },
    ]);
    expect(diagnostics.map((d) => [d.rule, d.line])).toEqual([
      ['requirement-duplicate-id', 18],
      ['traceability-duplicate-id', 37],
    ]);
  });

  it('reads a requirement table with a text column; a phase column makes it traceability too', () => {
    const { record, diagnostics } = read('table-form.md');
    expect(diagnostics).toEqual([]);
    expect(record.requirements.map((r) => [r.id, r.text, r.checked, r.section])).toEqual([
      ['REQ-001', 'Parse input', true, 'Completed Requirements'],
      ['REQ-002', 'Colour output', true, 'Completed Requirements'],
      ['REQ-003', 'Shell completion', false, 'Completed Requirements'],
      ['REQ-004', 'Plugins', null, 'Deferred'],
    ]);
    expect(record.traceability.map((t) => [t.id, t.phase, t.status])).toEqual([
      ['REQ-001', 'Phase 1', 'Complete'],
      ['REQ-002', 'Phase 2', '✓ Complete'],
      ['REQ-003', 'Phase 3', 'Pending'],
    ]);
  });

  it('reads requirement headings; a coverage table repeating them is not a duplicate', () => {
    const { record, diagnostics } = read('heading-form.md');
    expect(diagnostics).toEqual([]);
    expect(record.requirements.map((r) => [r.id, r.text, r.checked, r.line])).toEqual([
      ['SEC-10', 'Protect the export endpoint', null, 3],
      ['SEC-11', 'Rotate keys', null, 7],
    ]);
    expect(record.traceability.map((t) => [t.id, t.phase])).toEqual([
      ['SEC-10', '48'],
      ['SEC-11', '48'],
    ]);
  });

  it('says so when it finds no requirement id', () => {
    const { record, diagnostics } = read('no-ids.md');
    expect(record).toEqual({ requirements: [], traceability: [] });
    expect(diagnostics.map((d) => d.rule)).toEqual(['requirements-none-found']);
  });

  it('never throws on hostile input', () => {
    for (const text of ['', '- [ ] **', '| REQ |\n|--|\n| A-1 |', '## X-1:', '- [x] **AUTH-01**:', '|a|b|\n|-|-|\n||||||']) {
      expect(() => readRequirements(parseMarkdown(text), 'x')).not.toThrow();
    }
  });
});

describe.skipIf(!hasCorpus())('readRequirements over every REQUIREMENTS file of the corpus', () => {
  let results: Array<{ rel: string; text: string } & ReturnType<typeof readRequirements>> = [];
  beforeAll(() => {
    results = corpusWhere((_rel, name) => /REQUIREMENTS[^/]*\.md$/.test(name)).map((f) => {
      const { rel, text, doc } = loadCorpus(f);
      return { rel, text, ...readRequirements(doc, rel) };
    });
  });

  it('reads them all', () => {
    expect(results.length).toBeGreaterThan(35);
  });

  it('finds requirement ids in every file except the two that have none', () => {
    expect(results.filter((r) => r.record.requirements.length === 0).map((r) => r.rel).sort()).toEqual([
      'allanpk716__ai-commit-hub/.planning/milestones/v1.0-REQUIREMENTS.md',
      'gannonh__macrokinetic/.planning/phases/10-metrics-photos/10-04-REQUIREMENTS.md',
    ]);
    const none = results.filter((r) => r.diagnostics.some((d) => d.rule === 'requirements-none-found')).map((r) => r.rel).sort();
    expect(none).toEqual([
      'allanpk716__ai-commit-hub/.planning/milestones/v1.0-REQUIREMENTS.md',
      'gannonh__macrokinetic/.planning/phases/10-metrics-photos/10-04-REQUIREMENTS.md',
    ]);
  });

  it('reports no duplicate ids: the corpus has none', () => {
    expect(results.flatMap((r) => r.diagnostics.filter((d) => d.rule.endsWith('duplicate-id')).map((d) => `${r.rel}:${d.line}`))).toEqual([]);
  });

  it('every id in a traceability table is a defined requirement', () => {
    const orphans = results.flatMap((r) => {
      const ids = new Set(r.record.requirements.map((q) => q.id));
      return r.record.traceability.filter((t) => !ids.has(t.id)).map((t) => `${r.rel} ${t.id}`);
    });
    expect(orphans).toEqual([]);
  });

  it('agrees with a plain count of checkbox requirement lines (`- [x] **ID**` and `- [ ] ID:`)', () => {
    for (const r of results) {
      const boxes = (r.text.match(/^[ \t]*[-*] \[[ xX]\] (?:\*\*)?[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d+/gm) ?? []).length;
      const lines = r.text.split('\n');
      const read = r.record.requirements.filter((q) => q.checked !== null && /^\s*[-*] \[/.test(lines[q.line - 1] ?? '')).length;
      expect(read, r.rel).toBe(boxes);
    }
  });

  it('reads every row of every "## Traceability" table, each with a phase', () => {
    let total = 0;
    for (const r of results) {
      const lines = r.text.split('\n');
      const inSection: number[] = [];
      let on = false;
      lines.forEach((l, i) => {
        if (/^## /.test(l)) on = /^## Traceability/i.test(l);
        else if (on && /^\|[ \t]*[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d+[ \t]*\|/.test(l)) inSection.push(i + 1);
      });
      const got = r.record.traceability.filter((t) => inSection.includes(t.line)).map((t) => t.line);
      expect(got, r.rel).toEqual(inSection);
      total += inSection.length;
    }
    expect(total).toBeGreaterThan(800);
    expect(results.flatMap((r) => r.record.traceability).filter((t) => t.phase === null)).toEqual([]);
  });
});
