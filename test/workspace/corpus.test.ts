/**
 * Acceptance: for each corpus repository, the PLAN and SUMMARY files the workspace finds equal
 * those on disk, every file read round-trips, and `cairn status` exits 0 without a stack trace.
 */
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { corpusDir, corpusRepos, hasCorpus, walkFiles } from '../support/corpus.ts';
import { loadWorkspace } from '../../src/workspace/index.ts';
import { cairn } from '../support/cli.ts';

/** Plan-shaped files as INDEX.md counts them, under phases/ and archived milestone phase folders. */
function planFilesOnDisk(root: string): string[] {
  const planning = join(root, '.planning');
  const out: string[] = [];
  for (const base of ['phases', 'milestones']) {
    const dir = join(planning, base);
    if (!existsSync(dir)) continue;
    for (const abs of walkFiles(dir)) {
      const rel = abs.slice(root.length + 1).split('\\').join('/');
      const name = rel.slice(rel.lastIndexOf('/') + 1);
      if (base === 'milestones' && !/^\.planning\/milestones\/v[^/]*-phases\//.test(rel)) continue;
      if (/(^|-)PLAN\.md$/.test(name) || /(^|-)SUMMARY\.md$/.test(name)) out.push(rel);
    }
  }
  return out.sort();
}

describe.skipIf(!hasCorpus())('every corpus repository', () => {
  for (const repo of corpusRepos()) {
    const root = join(corpusDir!, repo);
    it(`${repo}: workspace finds exactly the PLAN/SUMMARY files on disk`, async () => {
      const ws = await loadWorkspace(root);
      const found = ws.phases
        .flatMap((p) => p.plans.flatMap((e) => [e.plan?.path, e.summary?.path]))
        .filter((p): p is string => typeof p === 'string')
        .filter((p) => /(^|-)(PLAN|SUMMARY)\.md$/.test(p))
        .sort();
      expect(found).toEqual(planFilesOnDisk(root));
      expect(ws.diagnostics.filter((d) => d.rule === 'lossless-read')).toEqual([]);
    });

    it(`${repo}: cairn status exits 0 without a stack trace`, () => {
      const human = cairn(['status', root]);
      expect(human.stderr).not.toMatch(/\n\s+at /);
      expect(human.code).toBe(0);
      expect(human.stdout.trimEnd().split('\n').length).toBeLessThanOrEqual(25);
      const json = cairn(['status', root, '--json']);
      expect(json.code).toBe(0);
      const s = JSON.parse(json.stdout);
      expect(s.progress.plans.done).toBeLessThanOrEqual(s.progress.plans.total);
      expect(Array.isArray(s.diagnostics)).toBe(true);
    });
  }
});
