/**
 * Acceptance (issue 3): for every corpus repository and seed, on a temp copy: `sync` succeeds or
 * refuses with a clear diagnostic; a second `sync` changes no byte; `check` afterwards reports no
 * `state-drift`; every STATE.md section Cairn does not own is byte-identical to the original; the
 * owned part of STATE.md is at most 100 lines.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasCorpus, walkFiles } from '../support/corpus.ts';
import { corpusProjectCases, remove } from '../support/cli.ts';
import { cairnInProcess as cairn } from '../support/cli-in-process.ts';
import { freeSections, ownedLines } from '../support/state-sections.ts';

function snapshot(root: string): Map<string, string> {
  return new Map(walkFiles(root).map((p) => [p.slice(root.length), readFileSync(p, 'latin1')]));
}

const cases = corpusProjectCases();

describe.skipIf(!hasCorpus())('sync on every corpus repository and seed', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach(remove));

  for (const c of cases) {
    it(c.name, async () => {
      const root = c.make();
      roots.push(root);
      const statePath = join(root, '.planning/STATE.md');
      let original: string | null = null;
      try {
        original = readFileSync(statePath, 'utf8');
      } catch {
        original = null;
      }
      const first = await cairn(['sync', root]);
      expect(first.stderr).not.toMatch(/internal error|\n\s+at /);
      if (first.code === 3) {
        // A refusal must name the file and say why.
        expect(first.stderr).toMatch(/not touching \.planning\/\S+: /);
        return;
      }
      expect(first.code, first.stderr).toBe(0);

      const afterFirst = snapshot(root);
      const second = await cairn(['sync', root]);
      expect(second.code).toBe(0);
      const afterSecond = snapshot(root);
      expect([...afterSecond.keys()]).toEqual([...afterFirst.keys()]);
      for (const [p, content] of afterSecond) expect(content, `${p} changed on the second sync`).toBe(afterFirst.get(p));

      const check = await cairn(['check', root, '--json']);
      const drift = JSON.parse(check.stdout).diagnostics.filter((d: { rule: string }) => d.rule === 'state-drift');
      expect(drift).toEqual([]);

      if (original !== null) {
        const synced = readFileSync(statePath, 'utf8');
        expect(freeSections(synced)).toEqual(freeSections(original));
        expect(ownedLines(synced)).toBeLessThanOrEqual(100);
      }
    });
  }
});
