/**
 * Worktrees: Cairn finds the project from any worktree or subfolder, every worktree of one
 * checkout shares one lock (in the common git folder), and two worktrees writing at once lose
 * no update.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { remove } from '../support/cli.ts';
import { cairn, cairnAsync, git, ok, project, read, sandbox, status } from './repo.ts';
import { sharedLockPath } from '../../src/workspace/root.ts';

const s = sandbox();
afterAll(() => remove(s.dir));

describe('worktrees', () => {
  it('finds the project from a subfolder of a linked worktree; one lock for all worktrees; no lost update', async () => {
    const root = project(s, 'wt-main');
    const other = join(s.dir, 'wt-other');
    git(s, root, 'worktree', 'add', '-q', '-b', 'other', other);
    mkdirSync(join(other, 'src', 'deep'), { recursive: true });
    expect(status(s, join(other, 'src', 'deep')).root).toBe(other);

    // Both worktrees resolve to the same lock file, in the common git folder.
    const common = git(s, other, 'rev-parse', '--path-format=absolute', '--git-common-dir').trim();
    const lock = join(common, 'cairn', 'planning.lock');
    expect(sharedLockPath(root)).toBe(lock);
    expect(sharedLockPath(other)).toBe(lock);

    // A live holder of that lock (this test process) stops a write in the other worktree.
    mkdirSync(join(common, 'cairn'), { recursive: true });
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString(), command: 'cairn decide (held by the test)', nonce: 'test' }));
    const busy = cairn({ ...s, env: { ...s.env, CAIRN_LOCK_TIMEOUT_MS: '300' } }, join(other, 'src'), 'decide', 'Blocked');
    expect(busy.code).toBe(4);
    expect(busy.stderr).toContain('cairn decide (held by the test)');
    remove(lock);

    // Six writers in each worktree at once: every decision lands in its own worktree's ledger.
    const writers = [root, other].flatMap((dir, w) => Array.from({ length: 6 }, (_, i) => cairnAsync(s, dir, ['decide', `W${w} decision ${i}`])));
    const results = await Promise.all(writers);
    expect(results.map((r) => r.code)).toEqual(results.map(() => 0));
    for (const [w, dir] of [root, other].entries()) {
      const st = status(s, dir);
      expect(st.decisions.total).toBe(6);
      const texts = read(dir, '.planning/events.jsonl').trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.type === 'decision.recorded').map((e) => e.text);
      expect(texts.sort()).toEqual(Array.from({ length: 6 }, (_, i) => `W${w} decision ${i}`).sort());
    }
    // The store's own lock file inside .planning/ was never used, and no lock is left behind.
    expect(existsSync(join(root, '.planning', '.cairn.lock'))).toBe(false);
    expect(existsSync(join(other, '.planning', '.cairn.lock'))).toBe(false);
    expect(existsSync(lock)).toBe(false);

    // The branches meet by merging: twelve decisions.
    git(s, root, 'add', '-A');
    git(s, root, 'commit', '-qm', 'main writers');
    git(s, other, 'add', '-A');
    git(s, other, 'commit', '-qm', 'other writers');
    git(s, root, 'merge', '--no-edit', 'other');
    expect(status(s, root).decisions.total).toBe(12);
    expect(JSON.parse(ok(s, root, 'check', '--json')).counts.error).toBe(0);
  }, 180_000);

  it('a worktree without .planning/ uses the first worktree that has one', () => {
    const root = project(s, 'wt-fallback');
    const bare = join(s.dir, 'wt-code-only');
    git(s, root, 'worktree', 'add', '-q', '--detach', bare);
    remove(join(bare, '.planning'));
    expect(status(s, bare).root).toBe(root);
  }, 30_000);
});

describe('collision-free phase ids', () => {
  it('phase add and insert skip ids another branch or worktree holds, and the merge has no duplicate', () => {
    const root = project(s, 'ids');
    git(s, root, 'checkout', '-qb', 'x');
    ok(s, root, 'phase', 'add', 'On X');
    git(s, root, 'add', '-A');
    git(s, root, 'commit', '-qm', 'x');
    git(s, root, 'checkout', '-q', 'main');
    const y = join(s.dir, 'ids-y');
    git(s, root, 'worktree', 'add', '-q', '-b', 'y', y);
    ok(s, y, 'phase', 'insert', '2', 'On Y');
    // Main: 4 is on branch x, 2.1 is in worktree y (not even committed yet).
    const added = JSON.parse(ok(s, root, 'phase', 'add', 'On main', '--json'));
    expect(added.result.phase).toBe('5');
    expect(added.summary.join('\n')).toContain('phase 4 is taken on branch x');
    const inserted = JSON.parse(ok(s, root, 'phase', 'insert', '2', 'Main fix', '--json'));
    expect(inserted.result.phase).toBe('2.2');
    expect(inserted.summary.join('\n')).toContain(`phase 2.1 is taken on worktree ${y}`);
    git(s, root, 'add', '-A');
    git(s, root, 'commit', '-qm', 'main');
    git(s, y, 'add', '-A');
    git(s, y, 'commit', '-qm', 'y');
    git(s, root, 'merge', '--no-edit', 'x');
    git(s, root, 'add', '-A');
    git(s, root, 'commit', '-qm', 'views', '--allow-empty');
    git(s, root, 'merge', '--no-edit', 'y');
    const st = status(s, root);
    expect(st.phases.map((p: any) => p.id)).toEqual(['1', '2', '2.1', '2.2', '3', '4', '5']);
    const diagnostics = JSON.parse(ok(s, root, 'check', '--json')).diagnostics;
    expect(diagnostics.filter((d: any) => d.rule === 'duplicate-phase-id')).toEqual([]);
    expect(diagnostics.filter((d: any) => d.severity === 'error')).toEqual([]);
  }, 180_000);
});
