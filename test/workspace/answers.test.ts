/**
 * The answer cache (src/workspace/answers.ts) never answers stale: every change to the tree of
 * `.planning/` — edit, rename, delete, add, equal-size rewrite, a moved project, a corrupt file,
 * another build — is a miss. In process, on real files; the clock is moved past the racy window
 * instead of sleeping, and one case keeps the real clock to show a fresh tree is never stored.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { cpSync, mkdirSync, renameSync, rmSync, unlinkSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnswerCache } from '../../src/workspace/answers.ts';
import { RACY_MS } from '../../src/workspace/signature.ts';

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function temp(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

function project(): string {
  const root = temp('cairn-answers-');
  mkdirSync(join(root, '.planning/phases/01-setup'), { recursive: true });
  writeFileSync(join(root, '.planning/STATE.md'), '# State\n\nPhase: 1 of 1\n');
  writeFileSync(join(root, '.planning/phases/01-setup/01-01-PLAN.md'), '---\nphase: 01\n---\n# Plan\n');
  return root;
}

const later = () => Date.now() + RACY_MS + 60_000;

/** Stores `output` for the tree as it is now, then reports what a fresh lookup sees. */
function storeThenLookup(cache: AnswerCache, root: string, output = 'answer\n') {
  const first = cache.lookup(root, 'json');
  expect(first.output).toBeNull();
  cache.store(root, 'json', first.stamp, output);
  return cache.lookup(root, 'json').output;
}

describe('answer cache', () => {
  it('answers while nothing changed, per mode and per day', () => {
    const root = project();
    const cache = new AnswerCache(temp('cairn-answers-dir-'), 'b1', later);
    expect(storeThenLookup(cache, root)).toBe('answer\n');
    expect(cache.lookup(root, 'brief').output).toBeNull();
    const tomorrow = new Date(Date.now() + 86_400_000);
    expect(cache.lookup(root, 'json', tomorrow).output).toBeNull();
  });

  const changes: [string, (root: string) => void][] = [
    ['an edit', (r) => writeFileSync(join(r, '.planning/STATE.md'), '# State\n\nPhase: 1 of 2\n')],
    ['an equal-size rewrite in the same second', (r) => writeFileSync(join(r, '.planning/STATE.md'), '# State\n\nPhase: 9 of 9\n')],
    ['a rename', (r) => renameSync(join(r, '.planning/phases/01-setup/01-01-PLAN.md'), join(r, '.planning/phases/01-setup/01-02-PLAN.md'))],
    ['a delete', (r) => unlinkSync(join(r, '.planning/phases/01-setup/01-01-PLAN.md'))],
    ['an added file', (r) => writeFileSync(join(r, '.planning/phases/01-setup/01-01-SUMMARY.md'), '# Summary\n')],
    ['an added empty folder', (r) => mkdirSync(join(r, '.planning/phases/02-ship'))],
  ];
  for (const [what, change] of changes) {
    it(`misses after ${what}`, () => {
      const root = project();
      const cache = new AnswerCache(temp('cairn-answers-dir-'), 'b1', later);
      expect(storeThenLookup(cache, root)).toBe('answer\n');
      change(root);
      expect(cache.lookup(root, 'json').output).toBeNull();
    });
  }

  it('misses for a moved project folder and for another build, and keeps both builds apart', () => {
    const root = project();
    const dir = temp('cairn-answers-dir-');
    const one = new AnswerCache(dir, 'b1', later);
    expect(storeThenLookup(one, root, 'one\n')).toBe('one\n');
    const moved = join(temp('cairn-answers-moved-'), 'p');
    cpSync(root, moved, { recursive: true });
    expect(one.lookup(moved, 'json').output).toBeNull();
    const two = new AnswerCache(dir, 'b2', later);
    expect(two.lookup(root, 'json').output).toBeNull();
    expect(storeThenLookup(two, root, 'two\n')).toBe('two\n');
    expect(one.lookup(root, 'json').output).toBeNull();
  });

  it('treats a corrupt or truncated answers file as a miss and replaces it', () => {
    const root = project();
    const cache = new AnswerCache(temp('cairn-answers-dir-'), 'b1', later);
    expect(storeThenLookup(cache, root)).toBe('answer\n');
    for (const junk of ['{"format":"cairn-answers/1"', '', '\u0000\u0001', '{"format":"cairn-answers/1","build":"b1","root":1}']) {
      writeFileSync(cache.fileFor(root), junk);
      expect(cache.lookup(root, 'json').output).toBeNull();
    }
    expect(storeThenLookup(cache, root)).toBe('answer\n');
  });

  it('never stores the answer of a tree that changed within the racy window', () => {
    const root = project();
    const cache = new AnswerCache(temp('cairn-answers-dir-'));
    const first = cache.lookup(root, 'json');
    expect(first.stamp?.racy).toBe(true);
    cache.store(root, 'json', first.stamp, 'answer\n');
    expect(cache.lookup(root, 'json').output).toBeNull();
  });
});
