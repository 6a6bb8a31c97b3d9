/**
 * Acceptance (issue 3): for every corpus repository and seed, on a temp copy: `sync` succeeds or
 * refuses with a clear diagnostic; a second `sync` changes no byte; `check` afterwards reports no
 * `state-drift`; every STATE.md section Cairn does not own is byte-identical to the original; the
 * owned part of STATE.md is at most 100 lines.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { corpusDir, corpusRepos, corpusSeeds, hasCorpus, walkFiles } from '../support/corpus.ts';
import { cairn, copyProject, remove, tempProject } from '../support/cli.ts';
import { parseMarkdown } from '../../src/markdown/index.ts';
import { readState } from '../../src/formats/state/read.ts';

const OWNED = new Set(['projectReference', 'currentPosition', 'performanceMetrics', 'decisions', 'pendingTodos', 'blockers', 'sessionContinuity']);
/** List sections own everything under them (their items may sit under sub-headings); field sections keep free sub-sections. */
const OWNS_SUBSECTIONS = new Set(['decisions', 'pendingTodos', 'blockers']);

interface Sec { kind: string; title: string; span: { start: number; end: number } }
const inside = (a: Sec, b: Sec) => a !== b && b.span.start <= a.span.start && a.span.end <= b.span.end;

function sections(text: string): Sec[] {
  return readState(parseMarkdown(text), '.planning/STATE.md').record.sections;
}

/** Is this section rendered by Cairn (itself owned, or under a section that owns its sub-sections)? */
function isOwned(s: Sec, all: Sec[]): boolean {
  return OWNED.has(s.kind) || all.some((o) => OWNS_SUBSECTIONS.has(o.kind) && inside(s, o));
}

/** Text of a section with the given nested sections cut out. */
function cut(text: string, s: Sec, holes: Sec[]): string {
  let t = text.slice(s.span.start, s.span.end);
  for (const h of [...holes].sort((a, b) => b.span.start - a.span.start)) {
    if (!holes.some((o) => o !== h && inside(h, o))) t = t.slice(0, h.span.start - s.span.start) + t.slice(h.span.end - s.span.start);
  }
  return t;
}

/** Every section Cairn does not own, with owned sub-sections cut out, in document order. */
function freeSections(text: string): string[] {
  const all = sections(text);
  return all
    .filter((s) => !isOwned(s, all) && s.kind !== 'accumulatedContext')
    .map((s) => `${s.title}\n${cut(text, s, all.filter((o) => inside(o, s) && isOwned(o, all))).trimEnd()}`);
}

/** Lines of the owned part: outermost owned sections minus the free sections kept inside them. */
function ownedLines(text: string): number {
  const all = sections(text);
  let lines = 0;
  for (const s of all) {
    if (!OWNED.has(s.kind) || all.some((o) => OWNED.has(o.kind) && inside(s, o))) continue;
    lines += cut(text, s, all.filter((o) => inside(o, s) && !isOwned(o, all))).split('\n').length;
  }
  return lines;
}

function snapshot(root: string): Map<string, string> {
  return new Map(walkFiles(root).map((p) => [p.slice(root.length), readFileSync(p, 'latin1')]));
}

interface Case {
  name: string;
  make: () => string;
}

const cases: Case[] = [
  ...corpusRepos().map((repo) => ({ name: repo, make: () => copyProject(join(corpusDir!, repo)) })),
  ...corpusSeeds().map((seed) => ({ name: `seed ${basename(seed).slice(0, 3)}`, make: () => tempProject({ '.planning/STATE.md': readFileSync(seed) }) })),
];

describe.skipIf(!hasCorpus())('sync on every corpus repository and seed', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach(remove));

  for (const c of cases) {
    it(c.name, () => {
      const root = c.make();
      roots.push(root);
      const statePath = join(root, '.planning/STATE.md');
      let original: string | null = null;
      try {
        original = readFileSync(statePath, 'utf8');
      } catch {
        original = null;
      }
      const first = cairn(['sync', root]);
      expect(first.stderr).not.toMatch(/internal error|\n\s+at /);
      if (first.code === 3) {
        // A refusal must name the file and say why.
        expect(first.stderr).toMatch(/not touching \.planning\/\S+: /);
        return;
      }
      expect(first.code, first.stderr).toBe(0);

      const afterFirst = snapshot(root);
      const second = cairn(['sync', root]);
      expect(second.code).toBe(0);
      const afterSecond = snapshot(root);
      expect([...afterSecond.keys()]).toEqual([...afterFirst.keys()]);
      for (const [p, content] of afterSecond) expect(content, `${p} changed on the second sync`).toBe(afterFirst.get(p));

      const check = cairn(['check', root, '--json']);
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
