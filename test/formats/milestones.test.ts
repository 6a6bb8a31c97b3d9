import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseMilestoneArchiveName, readMilestones } from '../../src/formats/milestones.ts';
import { parseMarkdown } from '../../src/markdown/index.ts';
import { corpusDir, corpusRepos, hasCorpus } from '../support/corpus.ts';
import { corpusWhere, fixtureDoc, loadCorpus } from './reader-support.ts';

describe('readMilestones fixtures', () => {
  it('reads shipped, backfilled and status/dates entries; sums plan counts; reports a repeated version', () => {
    const { record, diagnostics } = readMilestones(fixtureDoc('milestones', 'milestones.md'), '.planning/MILESTONES.md');
    expect(record.milestones).toEqual([
      { id: 'v1.1', name: 'Calendar Sync', shipped: '2026-03-02', line: 3, phases: '5-7 + 6.1 (9 plans + 2 FIX plans)', plans: 11 },
      { id: 'v1.0', name: 'MVP', shipped: '2026-02-14', line: 15, phases: '3 phases, 7 plans, 15 tasks', plans: 7 },
      { id: 'v0.9', name: 'Prototype', shipped: '2026-01-09', line: 25, phases: null, plans: 4 },
      { id: 'v0.8', name: 'Spike', shipped: '2026-01-01', line: 31, phases: '1 (direct implementation)', plans: null },
      { id: 'v1.0', name: 'Hotfix', shipped: '2026-02-15', line: 35, phases: null, plans: null },
    ]);
    expect(diagnostics.map((d) => [d.rule, d.line])).toEqual([['milestone-duplicate-id', 35]]);
  });

  it('says so when there is no entry', () => {
    const { record, diagnostics } = readMilestones(fixtureDoc('milestones', 'empty.md'), '.planning/MILESTONES.md');
    expect(record.milestones).toEqual([]);
    expect(diagnostics.map((d) => d.rule)).toEqual(['milestones-none-found']);
  });

  it('never throws on hostile input', () => {
    for (const text of ['', '## v', '## v1 (Shipped:', '## v1.0\n**Phases completed:**', '## v1.0 -- x\n**Dates:** to\n**Status:** complete']) {
      expect(() => readMilestones(parseMarkdown(text), 'x')).not.toThrow();
    }
  });
});

describe('parseMilestoneArchiveName', () => {
  it('classifies archive entries', () => {
    expect(parseMilestoneArchiveName('v1.0-ROADMAP.md')).toEqual({ version: 'v1.0', kind: 'roadmap' });
    expect(parseMilestoneArchiveName('v0.10.0-REQUIREMENTS.md')).toEqual({ version: 'v0.10.0', kind: 'requirements' });
    expect(parseMilestoneArchiveName('v1.2.1-MILESTONE-AUDIT.md')).toEqual({ version: 'v1.2.1', kind: 'audit' });
    expect(parseMilestoneArchiveName('v2.0-AUDIT.md')).toEqual({ version: 'v2.0', kind: 'audit' });
    expect(parseMilestoneArchiveName('v1.3-phases')).toEqual({ version: 'v1.3', kind: 'phases' });
    for (const other of ['v1.1-INTEGRATION-CHECK.md', 'ROADMAP.md', 'v1.0-ROADMAP.md.bak', 'x-v1.0-ROADMAP.md', 'v-ROADMAP.md', 'v1.0-phases.md', '']) {
      expect(parseMilestoneArchiveName(other), other).toBeNull();
    }
  });
});

describe.skipIf(!hasCorpus())('MILESTONES.md and milestones/ archives of the corpus', () => {
  let results: Array<{ repo: string; text: string } & ReturnType<typeof readMilestones>> = [];
  beforeAll(() => {
    results = corpusWhere((rel) => /^[^/]+\/\.planning\/MILESTONES\.md$/.test(rel)).map((f) => {
      const { rel, text, doc } = loadCorpus(f);
      return { repo: rel.split('/')[0]!, text, ...readMilestones(doc, rel) };
    });
  });

  it('reads at least one dated milestone from each of the 13 files, without diagnostics', () => {
    expect(results.length).toBe(13);
    expect(results.filter((r) => r.record.milestones.length === 0).map((r) => r.repo)).toEqual([]);
    expect(results.flatMap((r) => r.diagnostics)).toEqual([]);
    expect(results.flatMap((r) => r.record.milestones).filter((m) => m.shipped === null)).toEqual([]);
  });

  it('reads the entries in the order and number the files hold them', () => {
    const ids = (repo: string) => results.find((r) => r.repo === repo)!.record.milestones.map((m) => m.id);
    expect(ids('gannonh__macrokinetic')).toEqual(['v0.10.0', 'v0.9.0', 'v0.8.0', 'v0.7.0', 'v0.6.0', 'v0.5.0', 'v0.4.0', 'v0.3.0', 'v0.2.0', 'v0.1.0']);
    expect(ids('j-labbe__pretty-table-explorer')).toEqual(['v1.3', 'v1.2.1', 'v1.2', 'v1.1', 'v1.0', 'v1.4']);
    // One entry per `## vX…` heading, counted independently.
    for (const r of results) expect(r.record.milestones.length, r.repo).toBe((r.text.match(/^## v\d/gm) ?? []).length);
    expect(results.flatMap((r) => r.record.milestones).length).toBe(45);
  });

  it('counts plans, adding FIX plans', () => {
    const by = (repo: string, id: string) => results.find((r) => r.repo === repo)!.record.milestones.find((m) => m.id === id)!;
    expect(by('gannonh__macrokinetic', 'v0.9.0').plans).toBe(12);
    expect(by('j-labbe__pretty-table-explorer', 'v1.2').plans).toBe(13);
    expect(by('jushyi__Flick', 'v0.9.0').plans).toBe(30);
    expect(by('ahmetb__kubectl-fields', 'v1.0')).toMatchObject({ shipped: '2026-02-08', plans: 7, phases: null });
    expect(by('AllTheMachines__Faceplate', 'v1.6').plans).toBeNull();
  });

  it('classifies every entry of every milestones/ folder except the integration check', () => {
    const folders = corpusRepos()
      .map((repo) => join(corpusDir!, repo, '.planning', 'milestones'))
      .filter((d) => existsSync(d));
    expect(folders.length).toBe(16);
    const entries = folders.flatMap((d) => readdirSync(d));
    expect(entries.length).toBeGreaterThan(60);
    expect(entries.filter((n) => n.endsWith('-phases')).sort()).toEqual(['v1.0-phases', 'v1.2-phases', 'v1.3-phases']);
    expect(entries.filter((n) => parseMilestoneArchiveName(n) === null)).toEqual(['v1.1-INTEGRATION-CHECK.md']);
  });
});
