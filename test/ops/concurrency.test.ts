/**
 * Concurrency acceptance: several `cairn` processes mutating one project at the same time, as
 * parallel agents do. Every mutation must land exactly once (no lost update, no duplicate), and
 * every file must parse afterwards. Real child processes of the built CLI; the lock's wait limit
 * is raised for the run (CAIRN_LOCK_TIMEOUT_MS in ./cli.ts) so a loaded machine slows the test
 * down instead of failing it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadWorkspace } from '../../src/workspace/index.ts';
import { readSummary } from '../../src/formats/summary.ts';
import { cairn, cairnAsync, json, releaseBin, type Run } from './cli.ts';
import { STATE, filledSummary, ledgerLines, makeProject, remove } from './project.ts';

const roots: string[] = [];
afterAll(() => {
  roots.forEach(remove);
  releaseBin();
});

const WORKERS = 8;

/** Runs `steps` for each worker, workers in parallel, each worker's steps in order. */
async function inParallel(workers: number, steps: (w: number) => Promise<void>): Promise<void> {
  await Promise.all(Array.from({ length: workers }, (_, w) => steps(w)));
}

function ok(r: Run, what: string): Run {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}: ${r.stderr}`);
  return r;
}

const noHistory = STATE.replace('- [Roadmap]: Two phases: setup, then the API', 'None yet.');

describe('concurrency acceptance', () => {
  it('8 processes × 25 `cairn decide` at once: all 200 recorded exactly once, STATE.md shows the 5 latest', async () => {
    const root = makeProject({ extra: { '.planning/STATE.md': noHistory } });
    roots.push(root);
    const PER = 25;
    const text = (w: number, i: number) => `w${w} d${i}: keep \`$1\` and $& | intact`;
    await inParallel(WORKERS, async (w) => {
      for (let i = 0; i < PER; i++) ok(await cairnAsync(['decide', text(w, i), '--tag', `w${w}`, '-C', root]), `decide w${w} d${i}`);
    });

    const events = ledgerLines(root);
    expect(events).toHaveLength(WORKERS * PER);
    const texts = events.map((e) => e.text);
    const expected = Array.from({ length: WORKERS }, (_, w) => Array.from({ length: PER }, (_, i) => text(w, i))).flat();
    expect([...texts].sort()).toEqual([...expected].sort());
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    // Ids sort in file order: the ledger's order is its time order.
    expect(events.map((e) => String(e.id))).toEqual(events.map((e) => String(e.id)).sort());
    // Each worker's decisions appear in the order it made them.
    for (let w = 0; w < WORKERS; w++) {
      expect(texts.filter((t) => String(t).startsWith(`w${w} `))).toEqual(Array.from({ length: PER }, (_, i) => text(w, i)));
    }

    const status = json(cairn(['status', root, '--json']));
    expect(status.decisions.total).toBe(WORKERS * PER);
    const ws = await loadWorkspace(root);
    expect(ws.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(ws.state!.record.decisions.map((d) => d.text)).toEqual(texts.slice(-5));
    expect(readFileSync(join(root, '.planning/STATE.md'), 'utf8')).toContain(`… ${WORKERS * PER - 5} earlier decisions`);
    expect(json(cairn(['check', root, '--json'])).counts.error).toBe(0);
  }, 240_000);

  it('mixed run from 8 processes (todo add/done, block/unblock, plan start/done): every event exactly once, every file parses', async () => {
    const ROUNDS = 2;
    const plans = WORKERS * ROUNDS;
    const root = makeProject({ plans, extra: { '.planning/STATE.md': noHistory } });
    roots.push(root);
    const planId = (w: number, r: number) => `02-${String(w * ROUNDS + r + 1).padStart(2, '0')}`;
    const todos: string[] = [];
    const blockers: string[] = [];

    await inParallel(WORKERS, async (w) => {
      for (let r = 0; r < ROUNDS; r++) {
        const tag = `w${w} r${r}`;
        const todo = String(json(ok(await cairnAsync(['todo', 'add', `${tag} todo | $1`, '-C', root, '--json']), `${tag} todo add`)).result.todo);
        const blocker = String(json(ok(await cairnAsync(['block', `${tag} blocker \`$&\``, '-C', root, '--json']), `${tag} block`)).result.blocker);
        todos.push(todo);
        blockers.push(blocker);
        const plan = planId(w, r);
        ok(await cairnAsync(['plan', 'start', plan, '-C', root]), `${tag} plan start`);
        // The agent writes its SUMMARY, as GSD's executor does, then reports the plan done.
        writeFileSync(join(root, `.planning/phases/02-api/${plan}-SUMMARY.md`), filledSummary('02-api', plan));
        ok(await cairnAsync(['plan', 'done', plan, '-C', root]), `${tag} plan done`);
        ok(await cairnAsync(['unblock', blocker, '-C', root]), `${tag} unblock`);
        ok(await cairnAsync(['todo', 'done', todo, '-C', root]), `${tag} todo done`);
      }
    });

    const events = ledgerLines(root);
    expect(events).toHaveLength(plans * 6);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const count = (type: string, field: string, value: string) => events.filter((e) => e.type === type && e[field] === value).length;
    for (let w = 0; w < WORKERS; w++) {
      for (let r = 0; r < ROUNDS; r++) {
        const tag = `w${w} r${r}`;
        expect(count('todo.added', 'text', `${tag} todo | $1`), tag).toBe(1);
        expect(count('blocker.raised', 'text', `${tag} blocker \`$&\``), tag).toBe(1);
        expect(count('plan.started', 'plan', planId(w, r)), tag).toBe(1);
        expect(count('plan.completed', 'plan', planId(w, r)), tag).toBe(1);
      }
    }
    for (const id of todos) expect(count('todo.done', 'todo', id)).toBe(1);
    for (const id of blockers) expect(count('blocker.resolved', 'blocker', id)).toBe(1);
    expect(events.filter((e) => e.type === 'plan.completed').every((e) => typeof e.minutes === 'number')).toBe(true);

    // Files: every todo moved, every SUMMARY carries the measured fields, every file parses.
    expect(readdirSync(join(root, '.planning/todos/pending'))).toEqual([]);
    expect(readdirSync(join(root, '.planning/todos/done'))).toHaveLength(plans);
    const ws = await loadWorkspace(root);
    for (let i = 1; i <= plans; i++) {
      const entry = ws.phases.find((d) => d.id === '2')!.plans.find((p) => p.id === `02-${String(i).padStart(2, '0')}`)!;
      const rec = readSummary(entry.summary!.doc, entry.summary!.path).record;
      expect(rec.durationMinutes, entry.id).not.toBeNull();
      expect(rec.completed, entry.id).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    const check = json(cairn(['check', root, '--json']));
    expect(check.diagnostics.filter((d: { severity: string }) => d.severity === 'error')).toEqual([]);

    const status = json(cairn(['status', root, '--json']));
    expect(status.progress.plans).toEqual({ done: plans + 1, total: plans + 2 });
    expect(status.blockers).toMatchObject({ open: 0, resolved: plans });
    expect(status.todos.pending).toBe(0);
  }, 240_000);
});
