/**
 * Acceptance: each seed STATE.md, placed alone as `.planning/STATE.md` in a temp project, gives
 * the documented `cairn status --json` values (issue "Read every real .planning/ folder").
 */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { corpusSeeds, hasCorpus } from '../support/corpus.ts';
import { cairn, remove, tempProject } from '../support/cli.ts';

interface Expected {
  phase: { id: string; name: string; index: number; total: number } | null;
  plan: { index: number; total: number } | null;
  status: string;
  percent: number | null | 'zero-or-null';
  plans: [number, number];
  phases: [number, number];
  velocity: [number, number, number] | null;
  decisions: number;
  todos: number;
  blockers: [number | 'at-least-one', number | null];
  session: [string, string | null];
}

const expected: Record<string, Expected> = {
  '000': { phase: { id: '4', name: 'Production Hardening', index: 4, total: 4 }, plan: { index: 2, total: 2 }, status: 'milestone complete', percent: 100, plans: [10, 10], phases: [4, 4], velocity: [10, 7.6, 76], decisions: 28, todos: 0, blockers: [0, 4], session: ['2026-02-03', null] },
  '001': { phase: { id: '6', name: 'Documentation', index: 6, total: 6 }, plan: { index: 2, total: 3 }, status: 'in progress', percent: 94, plans: [17, 18], phases: [5, 6], velocity: [17, 7.8, 132], decisions: 32, todos: 1, blockers: [3, 0], session: ['2026-02-05T13:51:00Z', '.planning/phases/06-documentation/06-03-PLAN.md'] },
  '002': { phase: { id: '1', name: 'Base Appliance Architecture', index: 1, total: 9 }, plan: { index: 3, total: 3 }, status: 'phase complete', percent: 15, plans: [3, 20], phases: [1, 9], velocity: [3, 4.3, 13], decisions: 21, todos: 0, blockers: [3, 0], session: ['2026-02-05T12:44:49Z', null] },
  '003': { phase: { id: '2', name: 'ConfigMap and Services', index: 2, total: 6 }, plan: { index: 2, total: 3 }, status: 'in progress', percent: 28, plans: [5, 18], phases: [1, 6], velocity: [5, 11.0, 55], decisions: 9, todos: 1, blockers: [2, 0], session: ['2026-02-04T20:12:15Z', '.planning/phases/02-configmap-services/02-03-PLAN.md'] },
  '004': { phase: null, plan: null, status: 'planning', percent: 'zero-or-null', plans: [0, 0], phases: [0, 0], velocity: null, decisions: 42, todos: 0, blockers: ['at-least-one', null], session: ['2026-02-03T16:45:12Z', null] },
};

describe.skipIf(!hasCorpus())('cairn status --json on each seed alone', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach(remove));

  for (const seedPath of corpusSeeds()) {
    const id = basename(seedPath).slice(0, 3);
    it(`seed ${id}`, () => {
      const want = expected[id];
      expect(want, `no expectation for seed ${id}`).toBeDefined();
      const root = tempProject({ '.planning/STATE.md': readFileSync(seedPath) });
      roots.push(root);
      const r = cairn(['status', root, '--json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const s = JSON.parse(r.stdout);
      expect(s.position.phase).toEqual(want!.phase);
      expect(s.position.plan).toEqual(want!.plan);
      expect(s.position.status).toBe(want!.status);
      if (want!.percent === 'zero-or-null') expect([0, null]).toContain(s.progress.percent);
      else expect(s.progress.percent).toBe(want!.percent);
      expect([s.progress.plans.done, s.progress.plans.total]).toEqual(want!.plans);
      expect([s.progress.phases.done, s.progress.phases.total]).toEqual(want!.phases);
      if (want!.velocity === null) expect(s.velocity).toBeNull();
      else expect([s.velocity.plansCompleted, s.velocity.averageMinutes, s.velocity.totalMinutes]).toEqual(want!.velocity);
      expect(s.decisions.total).toBe(want!.decisions);
      expect(s.todos.pending).toBe(want!.todos);
      if (want!.blockers[0] === 'at-least-one') expect(s.blockers.open).toBeGreaterThanOrEqual(1);
      else expect(s.blockers.open).toBe(want!.blockers[0]);
      if (want!.blockers[1] !== null) expect(s.blockers.resolved).toBe(want!.blockers[1]);
      expect([s.session.last, s.session.resumeFile]).toEqual(want!.session);
      expect(typeof s.project.coreValue).toBe('string');
    });
  }

  it('seed 004 lists its milestones with shipped dates', () => {
    const seed = corpusSeeds().find((p) => basename(p).startsWith('004'))!;
    const root = tempProject({ '.planning/STATE.md': readFileSync(seed) });
    roots.push(root);
    const s = JSON.parse(cairn(['status', root, '--json']).stdout);
    const byId = Object.fromEntries(s.milestones.map((m: { id: string; shipped: string | null }) => [m.id, m.shipped]));
    expect(byId).toMatchObject({ v1: '2026-01-31', 'v0.3.0': '2026-02-03', 'v0.5.0': null });
  });
});
