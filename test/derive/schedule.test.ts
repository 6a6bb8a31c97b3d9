/**
 * schedule() on in-memory workspaces: ROADMAP.md and PLAN/SUMMARY texts go through the real
 * readers, nothing touches the disk. The phase list is given explicitly so each case controls
 * which phases are complete. The fixtures are hand-written, modelled on the corpus variants.
 */
import { describe, it, expect } from 'vitest';
import { parseMarkdown } from '../../src/markdown/index.ts';
import { readRoadmap } from '../../src/formats/roadmap/index.ts';
import { readPlan } from '../../src/formats/plan.ts';
import { readSummary } from '../../src/formats/summary.ts';
import { parsePhaseDirName, parsePlanFileName, planKey } from '../../src/model/ids.ts';
import { schedule, findCycles, cyclePath, isBlockedStatus } from '../../src/derive/schedule.ts';
import type { PhaseState } from '../../src/derive/types.ts';
import type { Workspace, PhaseDir, PlanEntry, Parsed } from '../../src/workspace/types.ts';

const ROADMAP = '.planning/ROADMAP.md';

function parsed<T>(path: string, text: string, read: (doc: ReturnType<typeof parseMarkdown>, file: string) => { record: T }): Parsed<T> {
  const doc = parseMarkdown(text);
  return { path, doc, record: read(doc, path).record, lossless: true };
}

interface DirSpec {
  name: string;
  archived?: string;
  /** file name → text; `NN-MM-SUMMARY.md` files mark plans done. */
  files: Record<string, string>;
}

function dir(spec: DirSpec): PhaseDir {
  const base = spec.archived ? `.planning/milestones/${spec.archived}-phases/${spec.name}` : `.planning/phases/${spec.name}`;
  const { id, slug } = parsePhaseDirName(spec.name);
  const entries = new Map<string, PlanEntry>();
  for (const [file, text] of Object.entries(spec.files)) {
    const pf = parsePlanFileName(file);
    if (!pf) continue;
    const key = planKey(pf.planId);
    let e = entries.get(key);
    if (!e) {
      e = { id: pf.planId, key, plan: null, summary: null };
      entries.set(key, e);
    }
    if (pf.kind === 'plan') e.plan = parsed(`${base}/${file}`, text, readPlan);
    else e.summary = parsed(`${base}/${file}`, text, readSummary);
  }
  return { path: base, name: spec.name, id, slug, archived: spec.archived ?? null, plans: [...entries.values()], otherFiles: [] };
}

function workspace(roadmap: string | null, dirs: DirSpec[] = [], archivedRoadmaps: string[] = []): Workspace {
  return {
    root: '/nowhere',
    planningDir: '.planning',
    state: null,
    roadmap: roadmap === null ? null : parsed(ROADMAP, roadmap, readRoadmap),
    project: null,
    requirements: null,
    milestonesFile: null,
    archivedRoadmaps: archivedRoadmaps.map((t, i) => parsed(`.planning/milestones/v${i}.0-ROADMAP.md`, t, readRoadmap)),
    phases: dirs.map(dir),
    todos: [],
    ledger: { path: '.planning/events.jsonl', exists: false, text: '', events: [] },
    files: [],
    bytesRead: 0,
    diagnostics: [],
  };
}

function phase(id: string, opts: Partial<PhaseState> = {}): PhaseState {
  return {
    id,
    name: `Phase ${id}`,
    dir: null,
    plans: { done: 0, total: 0 },
    estimated: false,
    complete: false,
    milestone: null,
    dependsOn: [],
    pendingPlans: [],
    inProgress: [],
    ...opts,
  };
}

const done = (id: string) => phase(id, { complete: true, plans: { done: 1, total: 1 } });

/** A roadmap with one detail section per phase; `deps[id]` is the "Depends on" value, undefined for no line. */
function roadmapText(ids: string[], deps: Record<string, string | undefined>, extra: Record<string, string> = {}): string {
  const out = ['# Roadmap: Test', '', '## Phases', ''];
  for (const id of ids) out.push(`- [ ] **Phase ${id}: Part ${id}**`);
  out.push('', '## Phase Details', '');
  for (const id of ids) {
    out.push(`### Phase ${id}: Part ${id}`, `**Goal**: build part ${id}`);
    if (deps[id] !== undefined) out.push(`**Depends on**: ${deps[id]}`);
    if (extra[id]) out.push(extra[id]!);
    out.push('**Plans**: TBD', '');
  }
  return out.join('\n');
}

function lineOf(text: string, needle: string, nth = 1): number {
  const lines = text.split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) if (lines[i]!.includes(needle) && ++seen === nth) return i + 1;
  throw new Error(`no line with ${needle}`);
}

function plan(wave: number | null, dependsOn: string | null, extra = ''): string {
  return ['---', 'phase: 03-core', 'type: execute', ...(wave === null ? [] : [`wave: ${wave}`]), ...(dependsOn === null ? [] : [`depends_on: ${dependsOn}`]), 'autonomous: true', extra, '---', '', '<objective>', 'Do the work.', '</objective>', ''].filter((l) => l !== '').join('\n');
}

const summary = '---\nphase: 03-core\nduration: 5 min\ncompleted: 2026-01-02\n---\n\n# Summary\n';

describe('phase graph', () => {
  it('lists every phase whose dependencies are complete, together, in roadmap order (seed 002 shape)', () => {
    const ids = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];
    const deps = { '1': 'Nothing (first phase)', '2': 'Phase 1', '3': 'Phase 1', '4': 'Phase 2, Phase 3', '5': 'Phase 4', '6': 'Phase 1', '7': 'Phase 5, Phase 6', '8': 'Phase 7', '9': 'Phase 8' };
    const ws = workspace(roadmapText(ids, deps));
    const r = schedule(ws, [done('1'), ...ids.slice(1).map((id) => phase(id))]);
    expect(r.diagnostics).toEqual([]);
    expect(r.schedule.readyPhases).toEqual(['2', '3', '6']);
    expect(r.schedule.currentPhase).toBe('2');
    expect(r.schedule.waiting).toEqual([
      { id: '4', waitingOn: ['2', '3'], reason: 'dependency' },
      { id: '5', waitingOn: ['4'], reason: 'dependency' },
      { id: '7', waitingOn: ['5', '6'], reason: 'dependency' },
      { id: '8', waitingOn: ['7'], reason: 'dependency' },
      { id: '9', waitingOn: ['8'], reason: 'dependency' },
    ]);
  });

  it('never lists a complete phase, and a phase becomes ready once all its dependencies are complete', () => {
    const ws = workspace(roadmapText(['1', '2', '3', '4'], { '1': 'Nothing (first phase)', '2': 'Phase 1', '3': 'Phase 1', '4': 'Phases 2-3' }));
    const r = schedule(ws, [done('1'), done('2'), phase('3'), phase('4')]);
    expect(r.schedule.readyPhases).toEqual(['3']);
    expect(r.schedule.waiting).toEqual([{ id: '4', waitingOn: ['3'], reason: 'dependency' }]);
    const all = schedule(ws, [done('1'), done('2'), done('3'), phase('4')]);
    expect(all.schedule.readyPhases).toEqual(['4']);
    const finished = schedule(ws, ['1', '2', '3', '4'].map(done));
    expect(finished.schedule).toEqual({ readyPhases: [], waiting: [], currentPhase: null, readyPlans: [], waitingPlans: [] });
  });

  it('makes a phase without a "Depends on" line follow the phase numbered before it, decimals included', () => {
    // Listed out of numeric order on purpose: document order is not the convention.
    const text = roadmapText(['1', '3', '2', '2.1'], { '1': 'Nothing (first phase)', '3': 'Phase 2' });
    const ws = workspace(text);
    const r = schedule(ws, [done('1'), phase('3'), phase('2'), phase('2.1')]);
    expect(r.diagnostics).toEqual([]);
    expect(r.schedule.readyPhases).toEqual(['2']);
    expect(r.schedule.waiting).toEqual([
      { id: '3', waitingOn: ['2'], reason: 'dependency' },
      { id: '2.1', waitingOn: ['2'], reason: 'dependency' },
    ]);
  });

  it('treats "Nothing", "None (first phase of milestone)" and "v3.0 complete" as no dependency', () => {
    const ws = workspace(roadmapText(['4', '5', '6'], { '4': 'None (first phase of milestone)', '5': 'v3.0 complete', '6': 'Nothing' }));
    const r = schedule(ws, [phase('4'), phase('5'), phase('6')]);
    expect(r.schedule.readyPhases).toEqual(['4', '5', '6']);
  });

  it('counts a dependency in a shipped milestone or an archived roadmap as complete, and an open one outside the scope as open', () => {
    const text = [
      '# Roadmap',
      '',
      '<details>',
      '<summary>✅ v1.0 MVP (Phases 1-2) - SHIPPED 2026-01-10</summary>',
      '',
      '### Phase 1: Base',
      '**Depends on**: Nothing (first phase)',
      '',
      '### Phase 2: More',
      '**Depends on**: Phase 1',
      '',
      '</details>',
      '',
      '### 🚧 v1.1 Next (In Progress)',
      '',
      '#### Phase 3: Next',
      '**Depends on**: Phase 2',
      '',
      '#### Phase 4: Later',
      '**Depends on**: Phase 9',
      '',
      '#### Phase 5: Old',
      '**Depends on**: Phase 0',
      '',
      '### 📋 v2.0 Future (Planned)',
      '',
      '#### Phase 9: Future',
      '**Depends on**: Phase 5',
      '',
    ].join('\n');
    const archived = '# Roadmap v0\n\n### Phase 0: Spike\n**Depends on**: Nothing\n';
    const ws = workspace(text, [], [archived]);
    const r = schedule(ws, [phase('3', { milestone: 'v1.1' }), phase('4', { milestone: 'v1.1' }), phase('5', { milestone: 'v1.1' })]);
    expect(r.diagnostics).toEqual([]);
    expect(r.schedule.readyPhases).toEqual(['3', '5']);
    expect(r.schedule.waiting).toEqual([{ id: '4', waitingOn: ['9'], reason: 'dependency' }]);
  });

  it('counts a phase archived under milestones/ or summarised on disk as complete', () => {
    const ws = workspace(roadmapText(['7', '8'], { '7': 'Phase 5', '8': 'Phase 6' }), [
      { name: '05-old', archived: 'v1.0', files: {} },
      { name: '06-partial', files: { '06-01-PLAN.md': plan(1, '[]'), '06-01-SUMMARY.md': summary, '06-02-PLAN.md': plan(1, '[]') } },
    ]);
    const r = schedule(ws, [phase('7'), phase('8')]);
    expect(r.schedule.readyPhases).toEqual(['7']);
    expect(r.schedule.waiting).toEqual([{ id: '8', waitingOn: ['6'], reason: 'dependency' }]);
  });

  it('holds back a phase whose ROADMAP status says Blocked, with the status as the reason', () => {
    const text = roadmapText(['1', '2', '3'], { '1': 'Nothing', '2': 'Phase 1', '3': 'Phase 1' }, { '2': '**Status**: Blocked (OPS-02)' });
    const ws = workspace(text);
    const statuses = ws.roadmap!.record.phases.map((p) => p.statusText);
    expect(statuses[1]).toMatch(/^Blocked/);
    const r = schedule(ws, [done('1'), phase('2'), phase('3')]);
    expect(r.schedule.readyPhases).toEqual(['3']);
    expect(r.schedule.waiting).toEqual([{ id: '2', waitingOn: [statuses[1]!], reason: 'blocker' }]);
  });

  it('reports a cycle with its path at the first member\'s "Depends on" line, and its members wait', () => {
    const text = roadmapText(['1', '2', '3', '4'], { '1': 'Nothing (first phase)', '2': 'Phase 3', '3': 'Phase 2', '4': 'Phase 3' });
    const ws = workspace(text);
    const r = schedule(ws, [done('1'), phase('2'), phase('3'), phase('4')]);
    expect(r.diagnostics).toHaveLength(1);
    const d = r.diagnostics[0]!;
    expect(d).toMatchObject({ rule: 'schedule-cycle', severity: 'error', file: ROADMAP, line: lineOf(text, '**Depends on**: Phase 3') });
    expect(d.message).toContain('2 → 3 → 2');
    expect(r.schedule.readyPhases).toEqual([]);
    expect(r.schedule.currentPhase).toBeNull();
    expect(r.schedule.waiting).toEqual([
      { id: '2', waitingOn: ['3'], reason: 'cycle' },
      { id: '3', waitingOn: ['2'], reason: 'cycle' },
      { id: '4', waitingOn: ['3'], reason: 'dependency' },
    ]);
  });

  it('finds a cycle closed by the implicit previous-phase rule and says so', () => {
    // 2 explicitly waits for 3; 3 has no line, so it follows 2.
    const text = roadmapText(['1', '2', '3'], { '1': 'Nothing', '2': 'Phase 3' });
    const r = schedule(workspace(text), [done('1'), phase('2'), phase('3')]);
    expect(r.diagnostics.map((d) => d.rule)).toEqual(['schedule-cycle']);
    expect(r.diagnostics[0]!.message).toContain('2 → 3 → 2');
    expect(r.diagnostics[0]!.message).toContain('without a "Depends on" line');
    expect(r.diagnostics[0]!.line).toBe(lineOf(text, '**Depends on**: Phase 3'));
  });

  it('warns about a dependency on a phase that does not exist and ignores it', () => {
    const text = roadmapText(['1', '2'], { '1': 'Nothing', '2': 'Phase 1, Phase 7' });
    const r = schedule(workspace(text), [done('1'), phase('2')]);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ rule: 'schedule-dangling-dependency', severity: 'warning', file: ROADMAP, line: lineOf(text, 'Phase 1, Phase 7') });
    expect(r.diagnostics[0]!.message).toContain('phase 7');
    expect(r.schedule.readyPhases).toEqual(['2']);
  });

  it('does not flag gaps inside a written range, only the ends', () => {
    const text = roadmapText(['1', '2', '4', '5'], { '1': 'Nothing', '2': 'Phase 1', '4': 'Phase 2', '5': 'Phases 1-4' });
    const r = schedule(workspace(text), [done('1'), done('2'), done('4'), phase('5')]);
    expect(r.diagnostics).toEqual([]);
    expect(r.schedule.readyPhases).toEqual(['5']);
  });

  it('warns about a phase that depends on itself', () => {
    const text = roadmapText(['1', '2'], { '1': 'Nothing', '2': 'Phase 1, Phase 2' });
    const r = schedule(workspace(text), [done('1'), phase('2')]);
    expect(r.diagnostics.map((d) => [d.rule, d.line])).toEqual([['schedule-self-dependency', lineOf(text, 'Phase 1, Phase 2')]]);
    expect(r.schedule.readyPhases).toEqual(['2']);
  });

  it('prefers a ready phase that is under way as the current phase', () => {
    const ws = workspace(roadmapText(['1', '2', '3'], { '1': 'Nothing', '2': 'Phase 1', '3': 'Phase 1' }));
    const r = schedule(ws, [done('1'), phase('2'), phase('3', { plans: { done: 1, total: 3 } })]);
    expect(r.schedule.readyPhases).toEqual(['2', '3']);
    expect(r.schedule.currentPhase).toBe('3');
    const started = schedule(ws, [done('1'), phase('2', { plans: { done: 2, total: 3 } }), phase('3', { plans: { done: 0, total: 3 }, inProgress: ['03-01'] })]);
    expect(started.schedule.currentPhase).toBe('3');
  });

  it('schedules phases that exist only as folders by number', () => {
    const r = schedule(workspace(null), [done('1'), phase('2'), phase('3')]);
    expect(r.schedule.readyPhases).toEqual(['2']);
    expect(r.schedule.waiting).toEqual([{ id: '3', waitingOn: ['2'], reason: 'dependency' }]);
  });
});

describe('plan graph', () => {
  const roadmap = roadmapText(['2', '3'], { '2': 'Nothing', '3': 'Phase 2' });

  function planned(files: Record<string, string>, extraDirs: DirSpec[] = []) {
    const ws = workspace(roadmap, [{ name: '02-base', files: { '02-01-PLAN.md': plan(1, '[]'), '02-01-SUMMARY.md': summary } }, { name: '03-core', files }, ...extraDirs]);
    return schedule(ws, [done('2'), phase('3', { dir: '.planning/phases/03-core' })]);
  }

  it('lists the ready plans by wave and holds later waves with their reasons', () => {
    const r = planned({
      '03-01-PLAN.md': plan(1, '[]'),
      '03-02-PLAN.md': plan(1, '[]'),
      '03-03-PLAN.md': plan(2, '["03-01"]'),
      '03-04-PLAN.md': plan(2, null),
      '03-05-PLAN.md': plan(3, '[03-03, 03-04]'),
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.schedule.currentPhase).toBe('3');
    expect(r.schedule.readyPlans).toEqual([{ wave: 1, plans: ['03-01', '03-02'] }]);
    expect(r.schedule.waitingPlans).toEqual([
      { id: '03-03', waitingOn: ['03-01'], reason: 'dependency' },
      { id: '03-04', waitingOn: ['03-01', '03-02'], reason: 'dependency' },
      { id: '03-05', waitingOn: ['03-03', '03-04'], reason: 'dependency' },
    ]);
  });

  it('follows depends_on over the wave number, and done plans are skipped', () => {
    const r = planned({
      '03-01-PLAN.md': plan(1, '[]'),
      '03-01-SUMMARY.md': summary,
      '03-02-PLAN.md': plan(1, '[]'),
      '03-03-PLAN.md': plan(2, '["03-01"]'),
      '03-04-PLAN.md': plan(2, null),
      '03-05-PLAN.md': plan(null, null),
    });
    expect(r.schedule.readyPlans).toEqual([
      { wave: 1, plans: ['03-02'] },
      { wave: 2, plans: ['03-03'] },
      { wave: null, plans: ['03-05'] },
    ]);
    expect(r.schedule.waitingPlans).toEqual([{ id: '03-04', waitingOn: ['03-02'], reason: 'dependency' }]);
  });

  it('reads a short id as the plan of the same phase (GSD #3488), else as a whole phase', () => {
    const r = planned(
      {
        '03-01-PLAN.md': plan(1, '[]'),
        '03-02-PLAN.md': plan(2, '["01"]'),
        '03-03-PLAN.md': plan(2, '["04"]'),
      },
      [{ name: '04-later', files: { '04-01-PLAN.md': plan(1, '[]') } }],
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.schedule.readyPlans).toEqual([{ wave: 1, plans: ['03-01'] }]);
    expect(r.schedule.waitingPlans).toEqual([
      { id: '03-02', waitingOn: ['03-01'], reason: 'dependency' },
      { id: '03-03', waitingOn: ['phase 4'], reason: 'dependency' },
    ]);
  });

  it('resolves a plan of another phase and a full-stem id', () => {
    const r = planned({
      '03-01-PLAN.md': plan(1, '[02-01, 03-02-schema-setup]'),
      '03-02-PLAN.md': plan(1, '[]'),
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.schedule.readyPlans).toEqual([{ wave: 1, plans: ['03-02'] }]);
    expect(r.schedule.waitingPlans).toEqual([{ id: '03-01', waitingOn: ['03-02'], reason: 'dependency' }]);
  });

  it('warns about a depends_on naming no plan, at the depends_on line, and ignores it', () => {
    const text = plan(2, '["03-09"]');
    const r = planned({ '03-01-PLAN.md': plan(1, '[]'), '03-02-PLAN.md': text });
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({
      rule: 'schedule-dangling-dependency',
      severity: 'warning',
      file: '.planning/phases/03-core/03-02-PLAN.md',
      line: lineOf(text, 'depends_on'),
    });
    expect(r.diagnostics[0]!.message).toContain('03-09');
    expect(r.schedule.readyPlans).toEqual([{ wave: 1, plans: ['03-01'] }, { wave: 2, plans: ['03-02'] }]);
  });

  it('warns about a plan that depends on itself', () => {
    const r = planned({ '03-01-PLAN.md': plan(1, '["03-01"]') });
    expect(r.diagnostics.map((d) => d.rule)).toEqual(['schedule-self-dependency']);
    expect(r.schedule.readyPlans).toEqual([{ wave: 1, plans: ['03-01'] }]);
  });

  it('reports a plan cycle as an error and its members wait', () => {
    const r = planned({
      '03-01-PLAN.md': plan(1, '[]'),
      '03-02-PLAN.md': plan(2, '["03-03"]'),
      '03-03-PLAN.md': plan(2, '["03-02"]'),
    });
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ rule: 'schedule-cycle', severity: 'error', file: '.planning/phases/03-core/03-02-PLAN.md' });
    expect(r.diagnostics[0]!.message).toContain('03-02 → 03-03 → 03-02');
    expect(r.schedule.waitingPlans).toEqual([
      { id: '03-02', waitingOn: ['03-03'], reason: 'cycle' },
      { id: '03-03', waitingOn: ['03-02'], reason: 'cycle' },
    ]);
  });

  it('checks plans of every incomplete phase but schedules only the current one', () => {
    const ws = workspace(roadmapText(['1', '2', '3'], { '1': 'Nothing', '2': 'Phase 1', '3': 'Phase 1' }), [
      { name: '02-a', files: { '02-01-PLAN.md': plan(1, '[]') } },
      { name: '03-b', files: { '03-01-PLAN.md': plan(1, '["03-07"]') } },
    ]);
    const r = schedule(ws, [done('1'), phase('2'), phase('3')]);
    expect(r.schedule.currentPhase).toBe('2');
    expect(r.schedule.readyPlans).toEqual([{ wave: 1, plans: ['02-01'] }]);
    expect(r.diagnostics.map((d) => [d.rule, d.file])).toEqual([['schedule-dangling-dependency', '.planning/phases/03-b/03-01-PLAN.md']]);
  });
});

describe('graph helpers', () => {
  it('finds strongly connected components and a shortest path through them', () => {
    const g: number[][] = [[1], [2], [0, 3], [4], [3], []];
    const cycles = findCycles(g.length, (i) => g[i]!);
    expect(cycles).toEqual([[0, 1, 2], [3, 4]]);
    expect(cyclePath(cycles[0]!, (i) => g[i]!)).toEqual([0, 1, 2]);
    expect(findCycles(3, () => [])).toEqual([]);
  });

  it('handles a 5,000-node chain without recursion', () => {
    const n = 5000;
    const cycles = findCycles(n, (i) => (i + 1 < n ? [i + 1] : [0]));
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toHaveLength(n);
  });

  it('recognises Blocked statuses', () => {
    expect(isBlockedStatus('Blocked (OPS-02)')).toBe(true);
    expect(isBlockedStatus('🚫 blocked on vendor')).toBe(true);
    expect(isBlockedStatus('Unblocked')).toBe(false);
    expect(isBlockedStatus('Complete')).toBe(false);
    expect(isBlockedStatus(null)).toBe(false);
  });
});
