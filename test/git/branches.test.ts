/**
 * Acceptance, with real git in temp repositories and the built CLI: planning state merges like
 * code after `cairn git install` — two branches of 20 operations each, rebase and cherry-pick,
 * and a branch that comes back after its milestone was completed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { remove } from '../support/cli.ts';
import { join } from 'node:path';
import { CONFLICT_MARKER, cairnAsync, commitAll, files, git, ok, project, read, sandbox, status, summary, write } from './repo.ts';

const s = sandbox();
afterAll(() => remove(s.dir));

/** Runs one cairn operation and commits it, as an agent on a branch would. */
function op(root: string, ...args: string[]): void {
  ok(s, root, ...args);
  commitAll(s, root, `cairn ${args.join(' ')}`);
}

function done(root: string, phase: string, slug: string, n: number): void {
  write(root, ...summary(phase, slug, n));
  op(root, 'plan', 'done', `${phase.padStart(2, '0')}-${String(n).padStart(2, '0')}`);
}

function noMarkers(root: string): void {
  const marked = files(root).filter((f) => !f.startsWith('bin/') && CONFLICT_MARKER.test(read(root, f)));
  expect(marked).toEqual([]);
}

function checkClean(root: string): void {
  const r = JSON.parse(ok(s, root, 'check', '--json'));
  expect(r.diagnostics.filter((d: any) => d.severity !== 'info')).toEqual([]);
}

/** The same, without blocking: both branches' agents work at once, each in its own worktree. */
async function opAsync(root: string, ...args: string[]): Promise<void> {
  const r = await cairnAsync(s, root, args);
  if (r.code !== 0) throw new Error(`cairn ${args.join(' ')} failed (${r.code}):\n${r.stderr}`);
  commitAll(s, root, `cairn ${args.join(' ')}`);
}

async function doneAsync(root: string, phase: string, slug: string, n: number): Promise<void> {
  write(root, ...summary(phase, slug, n));
  await opAsync(root, 'plan', 'done', `${phase.padStart(2, '0')}-${String(n).padStart(2, '0')}`);
}

describe('two branches, 20 operations each, then a merge', () => {
  it('merges with no conflict marker, check is clean, totals are the union of both sides', async () => {
    const root = project(s, 'two-branches');
    git(s, root, 'checkout', '-qb', 'a');
    const other = join(s.dir, 'two-branches-b');
    git(s, root, 'worktree', 'add', '-q', '-b', 'b', other, 'main');
    const sideA = async () => {
      for (let i = 1; i <= 8; i++) await opAsync(root, 'decide', `A decision ${i}`);
      for (let i = 1; i <= 5; i++) await opAsync(root, 'todo', 'add', `A todo ${i}`);
      await doneAsync(root, '1', 'one', 1);
      await doneAsync(root, '1', 'one', 2);
      await opAsync(root, 'todo', 'done', 'A todo 1');
      await opAsync(root, 'todo', 'done', 'A todo 2');
      await opAsync(root, 'phase', 'insert', '2', 'Hotfix');
      await opAsync(root, 'block', 'A is waiting on keys');
      await opAsync(root, 'session', 'save', '--stopped-at', 'A after the hotfix');
    };
    const sideB = async () => {
      for (let i = 1; i <= 9; i++) await opAsync(other, 'decide', `B decision ${i}`);
      for (let i = 1; i <= 5; i++) await opAsync(other, 'todo', 'add', `B todo ${i}`);
      await doneAsync(other, '2', 'two', 1);
      await doneAsync(other, '2', 'two', 2);
      await doneAsync(other, '1', 'one', 3);
      await opAsync(other, 'todo', 'done', 'B todo 5');
      await opAsync(other, 'block', 'B needs a review');
      await opAsync(other, 'block', 'B needs a second review');
    };
    await Promise.all([sideA(), sideB()]);
    expect(Number(git(s, root, 'rev-list', '--count', 'main..a'))).toBe(20);
    expect(Number(git(s, root, 'rev-list', '--count', 'main..b'))).toBe(20);

    const merge = git(s, root, 'merge', '--no-edit', 'b');
    expect(merge).not.toMatch(/CONFLICT/);
    noMarkers(root);
    checkClean(root);
    const st = status(s, root);
    expect(st.decisions.total).toBe(17);
    expect(st.todos.pending).toBe(3 + 4);
    expect(st.blockers.open).toBe(3);
    expect(st.progress.plans.done).toBe(5);
    expect(st.phases.map((p: any) => p.id)).toEqual(['1', '2', '2.1', '3']);
    expect(st.phases.find((p: any) => p.id === '1').plans).toEqual({ done: 3, total: 4 });
    expect(st.phases.find((p: any) => p.id === '2').plans).toEqual({ done: 2, total: 4 });
    // The views were re-rendered from the merged facts by the post-merge hook.
    const roadmap = read(root, '.planning/ROADMAP.md');
    expect(roadmap).toMatch(/^\| 1\. One \| 3\/4 \|/m);
    expect(roadmap).toMatch(/^\| 2\. Two \| 2\/4 \|/m);
    expect(roadmap.match(/^- \[ \] \*\*Phase 2\.1: Hotfix/gm)).toHaveLength(1);
    expect(roadmap.match(/^### Phase 2\.1: Hotfix/gm)).toHaveLength(1);
    const state = read(root, '.planning/STATE.md');
    expect(state).toContain('B needs a second review');
    expect(state).toContain('A is waiting on keys');
  }, 240_000);
});

describe('rebase and cherry-pick of planning commits', () => {
  it('never duplicate an event in status --json', () => {
    const root = project(s, 'rewrite');
    git(s, root, 'checkout', '-qb', 'feature');
    op(root, 'decide', 'Picked decision');
    const picked = git(s, root, 'rev-parse', 'HEAD').trim();
    op(root, 'decide', 'Second decision');
    op(root, 'todo', 'add', 'Feature todo');
    git(s, root, 'checkout', '-q', 'main');
    op(root, 'decide', 'Main decision');
    git(s, root, 'cherry-pick', picked);
    expect(status(s, root).decisions.total).toBe(2);
    // A cherry-pick runs no hook: the views are re-rendered (and committed) by hand.
    op(root, 'sync');

    // The original branch merged as it is: the picked line arrives twice, is counted once.
    git(s, root, 'checkout', '-qb', 'merged', 'main');
    git(s, root, 'merge', '--no-edit', 'feature');
    noMarkers(root);
    commitAll(s, root, 'views re-rendered by the post-merge hook');
    expect(status(s, root).decisions.total).toBe(3);
    expect(status(s, root).todos.pending).toBe(1);

    // Rebased onto main instead: same totals.
    git(s, root, 'checkout', '-q', 'feature');
    git(s, root, 'rebase', '-q', 'main');
    noMarkers(root);
    const st = status(s, root);
    expect(st.decisions.total).toBe(3);
    expect(st.decisions.recent.filter((d: any) => d.text === 'Picked decision')).toHaveLength(1);
    const ids = read(root, '.planning/events.jsonl').trim().split('\n').map((l) => JSON.parse(l).id);
    expect(new Set(ids).size).toBe(ids.length);
    checkClean(root);
  }, 240_000);
});

describe('a late merge of a branch made before milestone complete', () => {
  it('does not bring the archived phases back into the active roadmap', () => {
    const root = project(s, 'late');
    git(s, root, 'checkout', '-qb', 'late');
    // Work that touches the v1.0 views: a decision, a todo, a plan started, an inserted phase.
    op(root, 'decide', 'Late decision');
    op(root, 'todo', 'add', 'Late todo');
    op(root, 'plan', 'start', '03-01');
    op(root, 'phase', 'insert', '1', 'Late fix');
    git(s, root, 'checkout', '-q', 'main');
    for (const [id, slug] of [['1', 'one'], ['2', 'two'], ['3', 'three']] as const) for (let n = 1; n <= 4; n++) done(root, id, slug, n);
    op(root, 'milestone', 'complete', 'v1.0');
    op(root, 'milestone', 'new', 'v1.1', 'Second');
    op(root, 'phase', 'add', 'Four');
    const before = status(s, root);
    expect(before.scope.milestone).toBe('v1.1');

    const merge = sh_merge(root, 'late');
    if (process.env.CAIRN_DEBUG_LATE) console.log(read(root, '.planning/ROADMAP.md'), git(s, root, 'show', 'HEAD^1:.planning/ROADMAP.md'), git(s, root, 'show', 'late:.planning/ROADMAP.md'));
    expect(merge).not.toMatch(/CONFLICT/);
    noMarkers(root);
    checkClean(root);
    const st = status(s, root);
    expect(st.scope).toEqual(before.scope);
    expect(st.phases.filter((p: any) => p.milestone === 'v1.1').map((p: any) => p.id)).toEqual(['4']);
    expect(st.progress.phases).toEqual(before.progress.phases);
    expect(st.milestones.find((m: any) => m.id === 'v1.0').status).toBe('shipped');
    expect(st.decisions.total).toBe(before.decisions.total + 1);
    expect(read(root, '.planning/ROADMAP.md')).not.toMatch(/🚧 \*\*v1\.0/);
  }, 240_000);
});

function sh_merge(root: string, branch: string): string {
  return git(s, root, 'merge', '--no-edit', branch);
}
