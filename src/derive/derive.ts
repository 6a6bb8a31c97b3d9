/**
 * derive(workspace, now) → ProjectState: the only place a number comes from. The CLI, the STATE.md
 * renderer and the checks all read this. Formulas (also in the README):
 *   plan done      ⇔ its SUMMARY exists
 *   phase complete ⇔ ≥ 1 plan and all done, or marked complete in ROADMAP.md
 *   plans total    = Σ over phases in scope of max(plans on disk, plans listed/counted in ROADMAP.md)
 *   percent        = round(100 × plans done ÷ plans total); `estimated` when a phase's count is TBD
 *   bar            = 10 cells, filled = round(percent ÷ 10)
 * A project whose `.planning/` holds only STATE.md is derived from STATE.md's own facts.
 */
import type { Workspace, PhaseDir, PlanEntry } from '../workspace/types.ts';
import type { RoadmapPhase, RoadmapMilestone, RoadmapRecord } from '../formats/roadmap/types.ts';
import type { StateRecord } from '../formats/state/types.ts';
import type { Status } from '../model/status.ts';
import { comparePhaseIds, isBacklogPhase, normalizePhaseId, planKey } from '../model/ids.ts';
import { isKnownEvent } from '../ledger/index.ts';
import { toEpochMs } from '../model/dates.ts';
import type { PhaseState, ProjectState } from './types.ts';
import { round1, trendOf, velocityFromSamples, type DurationSample } from './velocity.ts';
import { historyOf, type History } from './history.ts';
import { schedule } from './schedule.ts';
import { projectCriticalPath } from './critical-path.ts';
import { planHistoryOf } from './plan-history.ts';

export const BAR_CELLS = 10;

export function renderBar(percent: number | null): string {
  const filled = percent === null ? 0 : Math.max(0, Math.min(BAR_CELLS, Math.round(percent / 10)));
  return '█'.repeat(filled) + '░'.repeat(BAR_CELLS - filled);
}

export function percentOf(done: number, total: number): number | null {
  return total > 0 ? Math.min(100, Math.round((100 * done) / total)) : null;
}

export function derive(ws: Workspace, now: Date = new Date()): ProjectState {
  void now; // the clock matters once ledger events (in-progress plans, ages) are read
  const state = ws.state?.record ?? null;
  const hasTree = ws.phases.length > 0 || (ws.roadmap?.record.phases.length ?? 0) > 0;
  // One pass over the completed plans feeds velocity and the critical path.
  const measured = planHistoryOf(ws);
  const base = hasTree ? deriveTree(ws, state, measured.samples) : deriveStateOnly(state);
  const history = historyOf(ws);
  const planned = schedule(ws, base.phases);
  return {
    ...base,
    schedule: planned.schedule,
    phaseGraph: planned.graph.phases,
    criticalPath: projectCriticalPath(base.phases, planned.graph, measured.history),
    project: {
      name: ws.project?.record.name ?? null,
      coreValue: ws.project?.record.coreValue ?? state?.projectRef?.coreValue ?? null,
      updated: ws.project?.record.updated ?? state?.projectRef?.updated ?? null,
    },
    focus: focusOf(base, state),
    history: history.home,
    decisions: {
      total: history.decisions.length,
      recent: history.decisions.slice(-5).map((d) => ({ text: d.text, tag: d.tag, date: d.date, rationale: d.rationale, group: d.group })),
    },
    todos: todosOf(ws, history),
    blockers: {
      open: history.blockers.filter((b) => !b.done).length,
      resolved: history.blockers.filter((b) => b.done).length,
      items: history.blockers.filter((b) => !b.done).map((b) => b.text),
    },
    session: history.session ? { last: history.session.last, stoppedAt: history.session.stoppedAt, resumeFile: history.session.resumeFile } : null,
    milestones: milestonesOf(ws, state),
    lastActivity: state?.position?.lastActivity?.text ?? null,
    diagnostics: [...(base.diagnostics ?? []), ...planned.diagnostics],
  };
}

function focusOf(base: Base, state: StateRecord | null): string | null {
  const ph = base.position.phase;
  if (ph?.id) return `Phase ${ph.id}${ph.name ? ` - ${ph.name}` : ''}`;
  return state?.projectRef?.currentFocus ?? null;
}

type Base = Omit<ProjectState, 'schedule' | 'phaseGraph' | 'criticalPath' | 'project' | 'focus' | 'history' | 'decisions' | 'todos' | 'blockers' | 'session' | 'milestones' | 'lastActivity' | 'diagnostics'> & {
  diagnostics?: ProjectState['diagnostics'];
};

/** Pending todos: files in todos/pending/ plus open todos of the ledger or STATE.md. */
function todosOf(ws: Workspace, history: History): ProjectState['todos'] {
  const items = [
    ...ws.todos
      .filter((t) => t.state === 'pending' && !history.doneTodoFiles.has(t.path.slice(t.path.lastIndexOf('/') + 1)))
      .map((t) => t.record.title),
    ...history.todos.filter((t) => !t.done).map((t) => t.text),
  ];
  return { pending: items.length, items };
}

function milestonesOf(ws: Workspace, state: StateRecord | null): ProjectState['milestones'] {
  const out = new Map<string, ProjectState['milestones'][number]>();
  const put = (id: string, name: string | null, status: ProjectState['milestones'][number]['status'], shipped: string | null) => {
    const prev = out.get(id);
    out.set(id, {
      id,
      name: prev?.name ?? name,
      status: prev?.status ?? (shipped ? 'shipped' : status),
      shipped: prev?.shipped ?? shipped,
    });
  };
  for (const m of ws.roadmap?.record.milestones ?? []) if (m.id) put(m.id, m.name, m.status, m.shipped);
  for (const m of ws.milestonesFile?.record.milestones ?? []) put(m.id, m.name || null, m.shipped ? 'shipped' : null, m.shipped);
  for (const m of state?.milestones ?? []) put(m.id, m.name, m.shipped ? 'shipped' : null, m.shipped);
  for (const [id, date] of ledgerFacts(ws).milestonesCompleted) {
    const prev = out.get(id);
    out.set(id, { id, name: prev?.name ?? null, status: 'shipped', shipped: prev?.shipped ?? date });
  }
  return [...out.values()];
}

/** The milestone progress is computed over: the first active one, else the first with unfinished phases, else one not yet planned. */
function activeMilestone(milestones: RoadmapMilestone[], phases: RoadmapPhase[], complete: (p: RoadmapPhase) => boolean): RoadmapMilestone | null {
  if (milestones.length === 0) return null;
  const active = milestones.find((m) => m.status === 'active');
  if (active) return active;
  const unfinished = milestones.find(
    (m) => m.status !== 'shipped' && phases.some((p) => inMilestone(p, m) && !complete(p)),
  );
  if (unfinished) return unfinished;
  // A milestone whose every phase is complete is finished even when not marked shipped; with
  // none left open the scope is the latest one (the "all shipped" reading), not the first.
  return milestones.find((m) => m.status !== 'shipped' && !phases.some((p) => inMilestone(p, m))) ?? null;
}

function inMilestone(p: RoadmapPhase, m: RoadmapMilestone): boolean {
  return p.milestone !== null && (p.milestone === m.id || p.milestone === m.name);
}

/** What the ledger says about plans and phases (engine-measured transitions). */
export interface LedgerFacts {
  started: Map<string, number>;
  completed: Map<string, { at: number; minutes: number | null }>;
  phasesCompleted: Set<string>;
  milestonesCompleted: Map<string, string>;
}

export function ledgerFacts(ws: Workspace): LedgerFacts {
  const facts: LedgerFacts = { started: new Map(), completed: new Map(), phasesCompleted: new Set(), milestonesCompleted: new Map() };
  for (const e of ws.ledger.events) {
    if (!isKnownEvent(e)) continue;
    const at = Date.parse(e.at);
    if (e.type === 'plan.started') facts.started.set(planKey(e.plan), at);
    else if (e.type === 'plan.completed') {
      const key = planKey(e.plan);
      const started = facts.started.get(key);
      const minutes = e.minutes ?? (started !== undefined ? (at - started) / 60000 : null);
      facts.completed.set(key, { at, minutes });
    } else if (e.type === 'phase.completed') {
      const id = normalizePhaseId(e.phase);
      if (id) facts.phasesCompleted.add(id);
    } else if (e.type === 'milestone.completed') facts.milestonesCompleted.set(e.milestone, e.at.slice(0, 10));
  }
  return facts;
}

function deriveTree(ws: Workspace, state: StateRecord | null, samples: DurationSample[]): Base {
  const roadmap = ws.roadmap?.record ?? latestArchivedRoadmap(ws);
  const facts = ledgerFacts(ws);
  const isDone = (p: PlanEntry) => p.summary !== null || facts.completed.has(p.key);
  const isStarted = (p: PlanEntry) => !isDone(p) && facts.started.has(p.key);
  const activeDirs = new Map<string, PhaseDir>();
  for (const d of ws.phases) if (d.archived === null && d.id !== null && !activeDirs.has(d.id)) activeDirs.set(d.id, withoutLoneFixSummaries(d));

  // "Counted in ROADMAP.md" includes the progress table's plan totals (a planned-but-unwritten phase).
  const tableTotals = new Map<string, number>();
  for (const row of roadmap?.progressTable?.rows ?? []) {
    if (row.phaseId && row.plansTotal !== null) tableTotals.set(row.phaseId, Math.max(row.plansTotal, tableTotals.get(row.phaseId) ?? 0));
  }
  const shippedMilestone = (rp: RoadmapPhase | null) =>
    rp !== null && rp.milestone !== null && (roadmap?.milestones ?? []).some((m) => m.status === 'shipped' && inMilestone(rp, m));
  const phaseFrom = (id: string, rp: RoadmapPhase | null): PhaseState => {
    const dir = activeDirs.get(id) ?? null;
    const onDisk = dir?.plans.length ?? 0;
    const summarised = dir?.plans.filter(isDone).length ?? 0;
    const listed = Math.max(rp?.planCount?.total ?? 0, rp?.plans.length ?? 0, tableTotals.get(id) ?? 0);
    const total = Math.max(onDisk, listed);
    // Explicitly completed: ROADMAP `[x]` / a Complete status, a `phase.completed` event, or a shipped milestone.
    const explicit = facts.phasesCompleted.has(id) || (rp !== null && (rp.checked === true || rp.completed !== null)) || shippedMilestone(rp);
    // Every plan of an explicitly completed phase counts as done; `summary-missing` names the SUMMARY it lacks.
    const done = explicit ? total : summarised;
    // Placeholder lines are plans of unknown content even in a completed phase (the rules' reading).
    const unknown = (!explicit && (total === 0 || (rp?.planCountUnknown === true && onDisk === 0))) || placeholdersOf(rp, dir) > 0;
    return {
      id,
      name: rp?.name ?? (dir ? dir.slug.replace(/-/g, ' ') : null),
      dir: dir?.path ?? null,
      plans: { done, total },
      estimated: unknown,
      complete: (total > 0 && done >= total) || explicit,
      milestone: rp?.milestone ?? null,
      dependsOn: rp?.dependsOn ?? [],
      pendingPlans: explicit ? [] : (dir?.plans ?? []).filter((p) => !isDone(p)).map((p) => p.plan?.path ?? p.id),
      inProgress: explicit ? [] : (dir?.plans ?? []).filter(isStarted).map((p) => p.id),
    };
  };

  const roadmapPhases = (roadmap?.phases ?? []).filter((p) => p.key === p.id);
  const milestones = roadmap?.milestones ?? [];
  const unshipped = activeMilestone(milestones, roadmapPhases, (p) => phaseFrom(p.id, p).complete);
  // Every declared milestone shipped but phases no milestone groups are still open (the next
  // milestone's phases, numbering restarted, written before its heading): those are the scope.
  const open = (p: RoadmapPhase) => p.milestone === null && !p.backlog && !p.deferred && !isBacklogPhase(p.id);
  const ungroupedScope =
    milestones.length > 0 && unshipped === null && roadmapPhases.some((p) => open(p) && !phaseFrom(p.id, p).complete);
  const grouped = milestones.length > 0 && !ungroupedScope;
  // Every milestone shipped: the scope is the latest one (shown complete) until the next starts.
  const allShipped = grouped && unshipped === null;
  const milestone = unshipped ?? (allShipped ? latestMilestone(milestones, roadmapPhases) : null);
  if (allShipped && milestone) {
    // Its phase folders may have been archived under milestones/<version>-phases/.
    const version = milestone.id?.replace(/^v/i, '');
    for (const d of ws.phases) {
      if (d.archived !== null && d.id !== null && d.archived.replace(/^v/i, '') === version && !activeDirs.has(d.id)) activeDirs.set(d.id, d);
    }
  }
  const inScope = (p: RoadmapPhase) => {
    if (ungroupedScope) return p.milestone === null;
    if (!grouped) return true;
    if (!milestone) return false;
    if (inMilestone(p, milestone)) return true;
    // A phase no milestone groups (added after the milestone list was written) belongs to the
    // active milestone when it comes after the phases of the milestones before it.
    return p.milestone === null && milestoneWouldHold(p.id, roadmapPhases, milestone);
  };
  const shippedIds = new Set(
    roadmapPhases.filter((p) => (roadmap?.milestones ?? []).some((m) => m.status === 'shipped' && inMilestone(p, m))).map((p) => p.id),
  );

  const phases: PhaseState[] = [];
  const seen = new Set<string>();
  for (const rp of roadmapPhases) {
    seen.add(rp.id);
    if (rp.backlog || rp.deferred || isBacklogPhase(rp.id) || !inScope(rp)) continue;
    phases.push(phaseFrom(rp.id, rp));
  }
  // Directories the roadmap does not list still hold real work: count them, in id order.
  for (const [id] of activeDirs) {
    if (seen.has(id) || shippedIds.has(id) || isBacklogPhase(id)) continue;
    if (milestone && roadmapPhases.length > 0 && !milestoneWouldHold(id, roadmapPhases, milestone)) continue;
    phases.push(phaseFrom(id, null));
  }
  const rpOf = new Map(roadmapPhases.map((p) => [p.id, p]));
  const diagnostics = phases.flatMap((p) => (p.complete ? summaryMissing(ws, p, activeDirs.get(p.id) ?? null, isDone) : []));
  if (roadmapPhases.length === 0) phases.sort((a, b) => comparePhaseIds(a.id, b.id));

  const done = phases.reduce((a, p) => a + p.plans.done, 0);
  const total = phases.reduce((a, p) => a + p.plans.total, 0);
  const phasesDone = phases.filter((p) => p.complete).length;
  const percent = percentOf(done, total);

  const currentIdx = (() => {
    // The phase being worked on (a started, unfinished plan) wins over roadmap order.
    const working = phases.findIndex((p) => !p.complete && p.inProgress.length > 0);
    if (working >= 0) return working;
    const i = phases.findIndex((p) => !p.complete);
    return i >= 0 ? i : phases.length - 1;
  })();
  const current = phases[currentIdx] ?? null;
  const allDone = phases.length > 0 && phasesDone === phases.length;
  const written = state?.position?.status ?? null;
  let status: Status;
  if (written === 'blocked' || written === 'paused') status = written;
  else if (phases.length === 0) status = allShipped ? 'milestone complete' : 'planning';
  else if (allDone) status = 'milestone complete';
  else if (!current || current.plans.total === 0 || onlyPlaceholders(rpOf.get(current.id) ?? null, activeDirs.get(current.id) ?? null, current))
    // The previous phase just completed and nothing of this one exists yet: "phase complete".
    status = done === 0 && total === 0 ? 'not started' : currentIdx > 0 && phases[currentIdx - 1]!.complete && nothingOf(activeDirs.get(current!.id) ?? null) ? 'phase complete' : 'planning';
  else if (current.inProgress.length > 0) status = 'in progress';
  else if (current.plans.done === 0) status = 'ready to execute';
  else status = 'in progress';

  const scope = ungroupedScope ? ungroupedScopeOf(state, milestones) : { milestone: milestone?.id ?? null, name: milestone?.name ?? null };
  return {
    source: 'tree',
    diagnostics,
    scope,
    position: {
      phase: current ? { id: current.id, name: current.name, index: currentIdx + 1, total: phases.length } : null,
      // "Plan A of B": A = plans done in the phase (+1 once ledger events say one is in flight).
      plan: current && current.plans.total > 0 ? { index: Math.min(current.plans.total, current.plans.done + (current.inProgress.length ? 1 : 0)), total: current.plans.total } : null,
      status,
      statusText: state?.position?.statusText ?? null,
    },
    progress: {
      percent,
      estimated: phases.some((p) => p.estimated),
      plans: { done, total },
      phases: { done: phasesDone, total: phases.length },
      bar: renderBar(percent),
    },
    velocity: velocityFromSamples(samples),
    phases,
    next: allShipped
      ? { text: 'Every milestone has shipped: start the next one with `cairn milestone new <version> "<name>"`', file: null }
      : nextOf(phases, current, allDone, milestone?.id ?? null),
  };
}

/**
 * The scope of open phases no milestone groups once every declared milestone shipped: STATE.md's
 * frontmatter names it when it names one that has not shipped, else it has no id.
 */
function ungroupedScopeOf(state: StateRecord | null, milestones: RoadmapMilestone[]): ProjectState['scope'] {
  const id = state?.frontmatterFields?.milestone ?? null;
  if (id === null || milestones.some((m) => m.id === id)) return { milestone: null, name: null };
  return { milestone: id, name: state?.frontmatterFields?.milestoneName ?? null };
}

/**
 * A fix's SUMMARY with no PLAN of its own (`04-01-FIX-FIX-SUMMARY.md` beside `04-01-PLAN.md`) records
 * more work on a plan the phase already has, not a plan: it is dropped from the phase's plans.
 * A phase kept as SUMMARY files alone still counts each of them (no PLAN files at all).
 */
function withoutLoneFixSummaries(d: PhaseDir): PhaseDir {
  if (!d.plans.some((e) => e.plan !== null)) return d;
  const lone = (e: PlanEntry) => e.plan === null && /-FIX\d*$/i.test(e.id) && d.plans.some((o) => o.plan !== null && e.id.toUpperCase().startsWith(`${o.id.toUpperCase()}-`));
  return d.plans.some(lone) ? { ...d, plans: d.plans.filter((e) => !lone(e)) } : d;
}

/** `14-01: TBD`, `03-01: TBD during phase planning`, `02-03: To be planned`: a plan of unknown content. */
const PLACEHOLDER = /^(?:tbd|to be (?:planned|determined|defined|decided))\b/i;

export function isPlaceholderPlan(text: string, id: string | null): boolean {
  // Every placeholder word ("tbd", "to be …") has a b, and stripping marks adds no letter: a line
  // without one is no placeholder, and the regex replaces below are skipped (most plan lines).
  if (!text.includes('b') && !text.includes('B')) return false;
  let t = text.replace(/\*\*|__|`/g, '').trim();
  if (id !== null && t.toLowerCase().startsWith(id.toLowerCase())) t = t.slice(id.length);
  return PLACEHOLDER.test(t.replace(/^[\s:.\-–—)]+/u, '').replace(/^[[(]\s*/, ''));
}

/** Placeholder plan lines of a phase that no PLAN file has filled in. */
function placeholdersOf(rp: RoadmapPhase | null, dir: PhaseDir | null): number {
  if (!rp || rp.plans.length === 0) return 0;
  // Placeholder lines first: most phases have none, and then the set of plans on disk is not needed.
  const placeholders = rp.plans.filter((ref) => isPlaceholderPlan(ref.text, ref.id));
  if (placeholders.length === 0) return 0;
  const onDisk = new Set((dir?.plans ?? []).filter((p) => p.plan !== null || p.summary !== null).map((p) => p.key));
  return placeholders.filter((ref) => !(ref.id !== null && onDisk.has(planKey(ref.id)))).length;
}

/** No file of the phase exists yet (no folder, or an empty one): not even a CONTEXT or RESEARCH. */
function nothingOf(dir: PhaseDir | null): boolean {
  return dir === null || (dir.plans.length === 0 && dir.otherFiles.length === 0);
}

/** A phase whose only plans are placeholder lines is still being planned. */
function onlyPlaceholders(rp: RoadmapPhase | null, dir: PhaseDir | null, p: PhaseState): boolean {
  return (dir?.plans.length ?? 0) === 0 && p.plans.done === 0 && placeholdersOf(rp, dir) >= p.plans.total;
}

/**
 * Rule `summary-missing`: a plan counted done only because its phase is explicitly completed.
 * Names the SUMMARY file that would record it: beside its PLAN file, else the GSD name in the phase folder.
 */
function summaryMissing(ws: Workspace, p: PhaseState, dir: PhaseDir | null, isDone: (e: PlanEntry) => boolean): ProjectState['diagnostics'] {
  const out: ProjectState['diagnostics'] = [];
  const roadmapFile = ws.roadmap?.path ?? `${ws.planningDir}/ROADMAP.md`;
  const folder = dir?.path ?? `${ws.planningDir}/phases/${padPhase(p.id)}-${(p.name ?? 'phase').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
  const push = (file: string, plan: string) =>
    out.push({
      rule: 'summary-missing',
      severity: 'warning',
      file,
      line: 0,
      column: 0,
      message: `plan ${plan} of phase ${p.id} counts as done because the phase is marked complete, but it has no SUMMARY`,
      hint: `write ${file} (what was built, \`completed:\` date) so the completion is recorded, or unmark the phase in ${roadmapFile}`,
    });
  const entries = dir?.plans ?? [];
  for (const e of entries) {
    if (isDone(e) || !e.plan) continue;
    const path = e.plan.path;
    const name = path.slice(path.lastIndexOf('/') + 1);
    const summary = /PLAN\.md$/i.test(name) ? name.replace(/PLAN(\.md)$/i, 'SUMMARY$1') : name.replace(/(\.md)$/i, '-SUMMARY$1');
    push(`${path.slice(0, path.lastIndexOf('/') + 1)}${summary}`, e.id || name);
  }
  // Plans ROADMAP.md lists or counts that have no file at all.
  for (let k = entries.length + 1; k <= p.plans.total; k++) {
    const id = `${padPhase(p.id)}-${String(k).padStart(2, '0')}`;
    push(`${folder}/${id}-SUMMARY.md`, id);
  }
  return out;
}

/** GSD's folder and file prefix for a phase id: `2` → `02`, `2.1` → `02.1`. */
function padPhase(id: string): string {
  const [head, ...rest] = id.split('.');
  return [/^\d$/.test(head!) ? `0${head}` : head, ...rest].join('.');
}

/**
 * With no ROADMAP.md the project is between milestones: the archived roadmap of the latest shipped
 * milestone (`milestones/v1.0-ROADMAP.md`, highest version) says what was last in scope.
 */
function latestArchivedRoadmap(ws: Workspace): RoadmapRecord | null {
  let best: { version: string; record: RoadmapRecord } | null = null;
  for (const r of ws.archivedRoadmaps) {
    for (const m of r.record.milestones) {
      if (m.status !== 'shipped' || m.id === null) continue;
      const version = m.id.replace(/^v/i, '');
      if (best === null || comparePhaseIds(version, best.version) > 0) best = { version, record: r.record };
    }
  }
  return best?.record ?? null;
}

/** The shipped milestone holding the highest phase id (roadmaps list milestones oldest- or newest-first). */
function latestMilestone(milestones: RoadmapMilestone[], phases: RoadmapPhase[]): RoadmapMilestone | null {
  let best: RoadmapMilestone | null = null;
  let bestId: string | null = null;
  for (const m of milestones) {
    const ids = phases.filter((p) => inMilestone(p, m)).map((p) => p.id).sort(comparePhaseIds);
    const top = ids.at(-1) ?? null;
    if (best === null || (top !== null && (bestId === null || comparePhaseIds(top, bestId) > 0))) {
      best = m;
      bestId = top;
    }
  }
  return best;
}

/** A directory not in the roadmap belongs to the active milestone when its id falls inside the milestone's id range. */
function milestoneWouldHold(id: string, phases: RoadmapPhase[], m: RoadmapMilestone): boolean {
  const ids = phases.filter((p) => inMilestone(p, m)).map((p) => p.id);
  if (ids.length === 0) return true;
  const sorted = [...ids].sort(comparePhaseIds);
  return comparePhaseIds(id, sorted[0]!) >= 0;
}

export function samplesOf(ws: Workspace, facts: LedgerFacts): DurationSample[] {
  const samples: (DurationSample & { order: number })[] = [];
  let order = 0;
  for (const d of ws.phases) {
    const phase = d.id ?? d.name;
    const phaseName = d.slug.replace(/-/g, ' ');
    for (const p of d.plans) {
      const s = p.summary?.record;
      const measured = facts.completed.get(p.key);
      if (!s && !measured) continue;
      // Engine-measured time beats prose: a ledger duration wins over the SUMMARY's written one.
      samples.push({
        phase,
        phaseName,
        planId: p.id,
        minutes: measured?.minutes ?? s?.durationMinutes ?? null,
        archived: d.archived !== null,
        at: measured?.at ?? (s?.completed ? toEpochMs(s.completed) : null),
        order: order++,
      });
    }
  }
  // Completion time orders samples when every sample has one; otherwise phase/plan order is the best we know.
  if (samples.every((s) => s.at !== null)) samples.sort((a, b) => a.at! - b.at! || a.order - b.order);
  return samples;
}

function nextOf(phases: PhaseState[], current: PhaseState | null, allDone: boolean, milestone: string | null): ProjectState['next'] {
  if (!current) return { text: 'Add the first phase: `cairn phase add "<name>"`', file: null };
  if (allDone) return { text: `All ${phases.length} phases are complete: \`cairn milestone complete ${milestone ?? '<version>'}\` archives the milestone`, file: null };
  const label = `phase ${current.id}${current.name ? ` (${current.name})` : ''}`;
  if (current.plans.total === 0) return { text: `Plan ${label}: it has no plans yet`, file: current.dir };
  const nextPlan = current.pendingPlans[0];
  if (nextPlan) return { text: `Execute ${nextPlan.slice(nextPlan.lastIndexOf('/') + 1)} in ${label}`, file: nextPlan.includes('/') ? nextPlan : null };
  return { text: `Write the missing plans of ${label} (${current.plans.done}/${current.plans.total} on disk)`, file: current.dir };
}

function deriveStateOnly(state: StateRecord | null): Base {
  const pos = state?.position ?? null;
  const rows = state?.metrics?.byPhase ?? [];
  const sum = (xs: (number | null)[]) => (xs.some((x) => x !== null) ? xs.reduce<number>((a, x) => a + (x ?? 0), 0) : null);
  const rowsDone = sum(rows.map((r) => r.plansDone));
  const rowsTotal = rows.every((r) => r.plansTotal !== null) ? sum(rows.map((r) => r.plansTotal)) : null;
  const fraction = state?.progress?.fraction && /plan/i.test(state.progress.fraction.unit) && !state.progress.fraction.phase ? state.progress.fraction : null;
  const done = Math.max(rowsDone ?? 0, state?.metrics?.plansCompleted?.value ?? 0, fraction?.done ?? 0);
  const total = Math.max(rowsTotal ?? 0, fraction?.total ?? 0, done);
  const percent = percentOf(done, total);

  const written = pos?.status ?? null;
  const phaseTotal = pos?.phase?.total ?? null;
  const completeRows = rows.filter((r) => r.plansTotal !== null && r.plansDone !== null && r.plansDone >= r.plansTotal && r.plansTotal > 0).length;
  let phasesDone = completeRows;
  if (written === 'milestone complete' && phaseTotal !== null) phasesDone = phaseTotal;
  else if (written === 'phase complete' && pos?.phase?.number != null) phasesDone = Math.max(phasesDone, Math.floor(pos.phase.number));

  const metrics = state?.metrics ?? null;
  const plansCompleted = metrics ? (metrics.plansCompleted?.value ?? rowsDone ?? 0) : 0;
  const totalMinutes = metrics?.totalMinutes?.value ?? sum(rows.map((r) => r.totalMinutes));
  const recent = (metrics?.recent ?? []).filter((r): r is { planId: string; minutes: number } => r.minutes !== null);
  const velocity =
    metrics && plansCompleted > 0 && totalMinutes !== null
      ? {
          plansCompleted,
          averageMinutes: round1(totalMinutes / plansCompleted),
          totalMinutes: round1(totalMinutes),
          byPhase: rows.map((r) => ({
            phase: r.phaseId ?? r.phase,
            name: r.name,
            plans: r.plansDone ?? 0,
            totalMinutes: r.totalMinutes ?? 0,
            averageMinutes: r.totalMinutes !== null && r.plansDone ? round1(r.totalMinutes / r.plansDone) : null,
          })),
          recent,
          trend: trendOf(recent.map((r) => r.minutes)),
        }
      : null;

  const phase = pos?.phase ?? null;
  return {
    source: 'state-only',
    scope: { milestone: state?.frontmatterFields?.milestone ?? null, name: state?.frontmatterFields?.milestoneName ?? null },
    position: {
      phase: phase && phase.id !== null ? { id: phase.id, name: phase.name, index: phase.number !== null && Number.isInteger(phase.number) ? phase.number : null, total: phase.total } : null,
      plan: pos?.plan && pos.plan.number !== null && pos.plan.total !== null ? { index: pos.plan.number, total: pos.plan.total } : null,
      status: written ?? 'not started',
      statusText: pos?.statusText ?? null,
    },
    progress: {
      percent: total > 0 ? percent : (state?.progress?.percent ?? null),
      estimated: total === 0 || rowsTotal === null && fraction === null,
      plans: { done, total },
      phases: { done: phasesDone, total: phaseTotal ?? 0 },
      bar: renderBar(total > 0 ? percent : (state?.progress?.percent ?? null)),
    },
    velocity,
    phases: [],
    next: {
      text: state ? 'Read-only view of STATE.md: add ROADMAP.md and phase folders for numbers computed from files' : 'Create .planning/STATE.md or ROADMAP.md to start',
      file: null,
    },
  };
}
