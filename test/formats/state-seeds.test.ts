import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readState } from '../../src/formats/state/read.ts';
import type { StateRecord } from '../../src/formats/state/types.ts';
import { parseMarkdown } from '../../src/markdown/index.ts';
import { corpusSeeds, hasCorpus } from '../support/corpus.ts';

function seed(prefix: string): { record: StateRecord; text: string } {
  const path = corpusSeeds().find((p) => p.split('/').pop()!.startsWith(prefix));
  if (!path) throw new Error(`seed ${prefix} not found`);
  const text = readFileSync(path, 'utf8');
  return { record: readState(parseMarkdown(text), '.planning/STATE.md').record, text };
}

const open = (r: StateRecord) => r.blockers.filter((b) => !b.resolved).length;
const resolved = (r: StateRecord) => r.blockers.filter((b) => b.resolved).length;

describe.skipIf(!hasCorpus())('STATE.md seeds', () => {
  it('000: finished 4-phase project', () => {
    const { record: r, text } = seed('000');
    expect(r.position?.phase).toMatchObject({ id: '4', name: 'Production Hardening', number: 4, total: 4 });
    expect(text.slice(r.position!.phase!.span.start, r.position!.phase!.span.end)).toBe('4 of 4 (Production Hardening) - COMPLETE');
    expect(r.position?.plan).toMatchObject({ number: 2, total: 2 });
    expect(r.position?.status).toBe('milestone complete');
    expect(r.position?.statusText).toBe('Project complete');
    expect(r.progress).toMatchObject({ percent: 100, fraction: { done: 10, total: 10, unit: 'plans' } });
    expect(r.metrics?.plansCompleted?.value).toBe(10);
    expect(r.metrics?.averageMinutes).toMatchObject({ value: 8, text: '8 min' });
    expect(r.metrics?.totalMinutes?.value).toBe(76);
    expect(r.metrics?.byPhase.map((b) => b.plansDone)).toEqual([2, 2, 4, 2]);
    expect(r.metrics?.byPhase.map((b) => b.phaseId)).toEqual(['1', '2', '3', '4']);
    expect(r.metrics?.byPhase.every((b) => b.plansTotal === null)).toBe(true);
    expect(r.decisions).toHaveLength(28);
    expect(r.decisions[0]).toMatchObject({ tag: 'Roadmap', text: '3-phase structure derived from requirements (Docker Image -> CI/CD -> Helm Chart)' });
    expect(r.decisionsPointer).toBe('Decisions are logged in PROJECT.md Key Decisions table.');
    expect(r.todos).toHaveLength(0);
    expect(open(r)).toBe(0);
    expect(resolved(r)).toBe(4);
    expect(r.session).toMatchObject({ last: '2026-02-03', resumeFile: null });
  });

  it('001: Date | Decision | Rationale table, free "Phase N Summary" sections', () => {
    const { record: r } = seed('001');
    expect(r.position?.phase).toMatchObject({ id: '6', name: 'Documentation', number: 6, total: 6 });
    expect(r.position?.plan).toMatchObject({ number: 2, total: 3 });
    expect(r.position?.status).toBe('in progress');
    expect(r.progress).toMatchObject({ percent: 94, bar: { cells: 18, filled: 17 } });
    expect(r.metrics?.plansCompleted?.value).toBe(17);
    expect(r.metrics?.averageMinutes?.value).toBe(8);
    expect(r.metrics?.totalMinutes?.value).toBe(132);
    expect(r.metrics?.byPhase.map((b) => [b.plansDone, b.plansTotal])).toEqual([[3, 3], [3, 3], [3, 3], [3, 3], [3, 3], [2, 3]]);
    expect(r.metrics?.byPhase[0]).toMatchObject({ phaseId: '1', name: 'Operator Foundation', totalMinutes: 47, avgMinutes: 16 });
    expect(r.metrics?.recent.map((x) => x.planId)).toEqual(['05-01', '05-02', '05-03', '06-01', '06-02']);
    expect(r.decisions).toHaveLength(32);
    expect(r.decisions[2]).toMatchObject({ date: '2026-02-04', text: 'Secrets RBAC: get;list;watch only', rationale: 'Security - operator only reads secrets' });
    expect(r.todos).toHaveLength(1);
    expect(open(r)).toBe(3);
    expect(resolved(r)).toBe(0);
    expect(r.session).toMatchObject({ last: '2026-02-05T13:51:00Z', resumeFile: '.planning/phases/06-documentation/06-03-PLAN.md' });
    const other = r.sections.filter((s) => s.kind === 'other').map((s) => s.title);
    expect(other).toEqual(expect.arrayContaining(['Phase 2 Summary - COMPLETE', 'Phase 6 Summary - IN PROGRESS']));
  });

  it('002: 20-cell bar with a plan fraction', () => {
    const { record: r } = seed('002');
    expect(r.position?.phase).toMatchObject({ id: '1', name: 'Base Appliance Architecture', number: 1, total: 9 });
    expect(r.position?.plan).toMatchObject({ number: 3, total: 3 });
    expect(r.position?.status).toBe('phase complete');
    expect(r.progress).toMatchObject({ percent: 15, fraction: { done: 3, total: 20, unit: 'plans' }, bar: { cells: 20, filled: 3 } });
    expect(r.metrics?.plansCompleted?.value).toBe(3);
    expect(r.metrics?.averageMinutes?.value).toBe(4);
    expect(r.metrics?.totalMinutes?.value).toBe(13);
    expect(r.decisions).toHaveLength(21);
    expect(r.todos).toHaveLength(0);
    expect(open(r)).toBe(3);
    expect(resolved(r)).toBe(0);
    expect(r.session).toMatchObject({ last: '2026-02-05T12:44:49Z', resumeFile: null });
  });

  it('003: earlier state of the 001 project', () => {
    const { record: r } = seed('003');
    expect(r.position?.phase).toMatchObject({ id: '2', name: 'ConfigMap and Services', number: 2, total: 6 });
    expect(r.position?.plan).toMatchObject({ number: 2, total: 3 });
    expect(r.position?.status).toBe('in progress');
    expect(r.progress).toMatchObject({ percent: 28, bar: { cells: 10, filled: 4 } });
    expect(r.metrics?.plansCompleted?.value).toBe(5);
    expect(r.metrics?.averageMinutes?.value).toBe(12);
    expect(r.metrics?.totalMinutes?.value).toBe(55);
    expect(r.metrics?.byPhase.map((b) => [b.plansDone, b.plansTotal])).toEqual([[3, 3], [2, 3], [0, 3], [0, 3], [0, 3], [0, 3]]);
    expect(r.metrics?.byPhase[2]).toMatchObject({ totalMinutes: null, avgMinutes: null });
    expect(r.metrics?.recent).toHaveLength(4);
    expect(r.metrics?.recent.find((x) => x.planId === '01-03')?.minutes).toBe(39);
    expect(r.decisions).toHaveLength(9);
    expect(r.todos).toHaveLength(1);
    expect(open(r)).toBe(2);
    expect(resolved(r)).toBe(0);
    expect(r.session).toMatchObject({ last: '2026-02-04T20:12:15Z', resumeFile: '.planning/phases/02-configmap-services/02-03-PLAN.md' });
  });

  it('004: between milestones, ID | Decision | Phase | Context table, grouped blockers', () => {
    const { record: r } = seed('004');
    expect(r.position?.phase).toMatchObject({ id: null, text: 'Not started (defining requirements)' });
    expect(r.position?.plan).toMatchObject({ number: null, total: null });
    expect(r.position?.status).toBe('planning');
    expect(r.position?.statusText).toBe('Defining v0.6.0 requirements');
    expect(r.progress).toMatchObject({ text: 'Milestone initialization', percent: null, bar: null });
    expect(r.metrics).toBeNull();
    expect(r.decisions).toHaveLength(42);
    expect(r.decisions[0]).toMatchObject({ tag: 'ROADMAP-1', text: 'Use ControllerPublish/Unpublish for fencing', rationale: 'Standard CSI approach' });
    expect(r.todos).toHaveLength(0);
    expect(open(r)).toBeGreaterThanOrEqual(1);
    // Top-level entries only: 1 under Active, 5 numbered, 3 previously identified; sub-bullets are details.
    expect(r.blockers).toHaveLength(9);
    expect(open(r)).toBe(4);
    expect(r.blockers.map((b) => b.group)).toEqual([
      'Active (Hardware Validation)',
      ...Array(5).fill('Hardware Testing Progress'),
      ...Array(3).fill('Previously Identified'),
    ]);
    expect(r.blockers.filter((b) => b.group === 'Hardware Testing Progress').map((b) => b.resolved)).toEqual([true, true, true, true, false]);
    expect(r.milestones.map((m) => [m.id, m.shipped])).toEqual([
      ['v1', '2026-01-31'],
      ['v0.3.0', '2026-02-03'],
      ['v0.5.0', null],
    ]);
    expect(r.session).toMatchObject({ last: '2026-02-03T16:45:12Z', resumeFile: null });
    expect(r.sections.find((s) => s.title === 'Validation Session')?.kind).toBe('other');
    expect(r.sections.find((s) => s.title === 'Milestone History')?.kind).toBe('milestoneHistory');
  });
});
