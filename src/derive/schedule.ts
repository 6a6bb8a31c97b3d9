/**
 * The ready set: which phases, and which plans of the current phase, can start now, and why the
 * rest waits. Two graphs, both read from the files, never from prose in STATE.md:
 *
 * Phases — edges from ROADMAP.md "Depends on". A phase WITHOUT a "Depends on" line depends on the
 *   phase before it in roadmap numbering (GSD's convention: phases run in sequence unless told
 *   otherwise; `2.1` follows `2`, `3` follows `2.1`); a line that names nothing ("Nothing (first
 *   phase)", "v3.0 complete") means no dependency. A phase is
 *   ready when it is incomplete, not blocked (ROADMAP status "Blocked …") and every dependency is
 *   complete. A dependency outside the active milestone counts as complete when it is complete on
 *   disk or in the roadmap, archived, or grouped under a shipped milestone (GSD bug #2267).
 *   Every ready phase can start now, so they form one group that can run in parallel.
 * Plans — inside a phase, edges from PLAN frontmatter `depends_on`: a full id (`03-01`, `03-01-auth`)
 *   names that plan in any phase; a short id (`01`) names plan 01 of the same phase, as GSD resolves
 *   it (its #3488 fix; every short id in the corpus means this) and, when the phase has no such
 *   plan, every plan of phase 01. Without `depends_on`, a plan of wave N waits for every plan of a
 *   lower wave in its phase. A plan is ready when it has no SUMMARY and every dependency is done.
 *
 * Self-references and references to things that do not exist are warnings and are ignored for
 * readiness (nothing could ever satisfy them); cycles are errors and their members wait.
 */
import type { Diagnostic } from '../model/diagnostic.ts';
import type { Workspace, PhaseDir, PlanEntry } from '../workspace/types.ts';
import type { RoadmapPhase } from '../formats/roadmap/types.ts';
import { parseDependsOn } from '../formats/roadmap/fields.ts';
import { comparePhaseIds, isBacklogPhase, normalizePhaseId, planKey } from '../model/ids.ts';
import type { PhaseState } from './types.ts';

export type WaitReason = 'dependency' | 'blocker' | 'cycle';

export interface WaitingItem {
  /** Phase id, or plan id as written in its file name. */
  id: string;
  /** Phase ids (or plan ids; `phase N` for a whole-phase plan dependency) not done yet; for a blocker, the status text. */
  waitingOn: string[];
  reason: WaitReason;
}

export interface PlanWave {
  /** Frontmatter `wave`, null for plans that declare none. */
  wave: number | null;
  plans: string[];
}

export interface Schedule {
  /** Phases that can start now, roadmap order; all of them can run in parallel. */
  readyPhases: string[];
  /** Incomplete phases that cannot start yet, roadmap order. */
  waiting: WaitingItem[];
  /** The ready phase being worked on (a plan started, else some plan done), else the first ready phase; null when none is ready. */
  currentPhase: string | null;
  /** Plans of the current phase that can start now, grouped by wave, lowest first (no wave last). */
  readyPlans: PlanWave[];
  /** Plans of the current phase not done that cannot start yet. */
  waitingPlans: WaitingItem[];
}

/** The dependency graphs as resolved (implicit "follows the phase before" edges included), for the critical path. */
export interface ScheduleGraph {
  /** Phases in scope (first of a duplicated id), roadmap order; deps exist and are not self-references. */
  phases: { id: string; deps: string[] }[];
  /** Plans of the current phase with their local dependencies (plan ids of the same phase). */
  plans: { phase: string; plans: { id: string; done: boolean; deps: string[] }[] } | null;
}

export interface ScheduleResult {
  schedule: Schedule;
  diagnostics: Diagnostic[];
  graph: ScheduleGraph;
}

const BLOCKED = /^[^\p{L}\p{N}]*blocked\b/iu;
const DONE_STATUS = /^[^\p{L}\p{N}]*(?:complete|completed|done|shipped|verified)\b/iu;

export function isBlockedStatus(text: string | null): boolean {
  return text !== null && BLOCKED.test(text);
}

export function schedule(ws: Workspace, phases: PhaseState[]): ScheduleResult {
  const ctx = new Context(ws, phases);
  const phasePart = schedulePhases(ctx);
  // Plan diagnostics cover every incomplete phase; readiness is reported for the current one.
  let planPart: { readyPlans: PlanWave[]; waitingPlans: WaitingItem[] } = { readyPlans: [], waitingPlans: [] };
  let planGraph: ScheduleGraph['plans'] = null;
  for (const p of phases) {
    if (p.complete) continue;
    const dir = ctx.activeDir(p.id);
    if (!dir || dir.plans.length === 0) continue;
    const r = schedulePlans(ctx, p.id, dir, p.id === phasePart.currentPhase);
    if (r) {
      const { graph, ...rest } = r;
      planPart = rest;
      planGraph = { phase: p.id, plans: graph };
    }
  }
  const { graph, ...phaseRest } = phasePart;
  return { schedule: { ...phaseRest, ...planPart }, diagnostics: ctx.diagnostics, graph: { phases: graph, plans: planGraph } };
}

/** Lookups shared by both graphs, each built once and only when first needed. */
class Context {
  readonly diagnostics: Diagnostic[] = [];
  readonly inScope = new Map<string, PhaseState>();
  readonly roadmapPhases: RoadmapPhase[];
  readonly roadmapFile: string | null;
  private primary: Map<string, RoadmapPhase> | null = null;
  private everyRoadmapId: Set<string> | null = null;
  private dirsById: Map<string, PhaseDir[]> | null = null;
  private planIndex: Map<string, PlanEntry> | null = null;
  private shipped: Set<string> | null = null;
  private outsideDone = new Map<string, boolean>();

  constructor(
    readonly ws: Workspace,
    readonly phases: PhaseState[],
  ) {
    for (const p of phases) if (!this.inScope.has(p.id)) this.inScope.set(p.id, p);
    this.roadmapPhases = ws.roadmap?.record.phases ?? [];
    this.roadmapFile = ws.roadmap?.path ?? null;
  }

  /** The roadmap declaration a PhaseState comes from (the one whose key is its id). */
  roadmapPhase(id: string): RoadmapPhase | null {
    if (!this.primary) {
      this.primary = new Map();
      for (const p of this.roadmapPhases) if (p.key === p.id) this.primary.set(p.id, p);
    }
    return this.primary.get(id) ?? null;
  }

  dirs(id: string): PhaseDir[] {
    if (!this.dirsById) {
      this.dirsById = new Map();
      for (const d of this.ws.phases) {
        if (d.id === null) continue;
        const list = this.dirsById.get(d.id);
        if (list) list.push(d);
        else this.dirsById.set(d.id, [d]);
      }
    }
    return this.dirsById.get(id) ?? [];
  }

  activeDir(id: string): PhaseDir | null {
    return this.dirs(id).find((d) => d.archived === null) ?? null;
  }

  /** True when the id names a phase anywhere: the roadmap (any milestone), an archived roadmap, or a directory. */
  phaseExists(id: string): boolean {
    if (this.inScope.has(id)) return true;
    if (!this.everyRoadmapId) {
      this.everyRoadmapId = new Set(this.roadmapPhases.map((p) => p.id));
      for (const r of this.ws.archivedRoadmaps) for (const p of r.record.phases) this.everyRoadmapId.add(p.id);
    }
    return this.everyRoadmapId.has(id) || this.dirs(id).length > 0;
  }

  phaseComplete(id: string): boolean {
    const own = this.inScope.get(id);
    if (own) return own.complete;
    let v = this.outsideDone.get(id);
    if (v === undefined) {
      v = this.computeOutsideComplete(id);
      this.outsideDone.set(id, v);
    }
    return v;
  }

  private computeOutsideComplete(id: string): boolean {
    if (!this.shipped) {
      this.shipped = new Set();
      for (const m of this.ws.roadmap?.record.milestones ?? []) {
        if (m.status !== 'shipped') continue;
        if (m.id) this.shipped.add(m.id);
        this.shipped.add(m.name);
      }
    }
    for (const p of this.roadmapPhases) {
      if (p.id !== id) continue;
      if (p.checked === true || p.completed !== null) return true;
      if (p.milestone !== null && this.shipped.has(p.milestone)) return true;
      if (p.statusText !== null && DONE_STATUS.test(p.statusText)) return true;
    }
    // An archived roadmap or phase folder belongs to a milestone that was completed and archived.
    if (this.ws.archivedRoadmaps.some((r) => r.record.phases.some((p) => p.id === id))) return true;
    for (const d of this.dirs(id)) {
      if (d.archived !== null) return true;
      if (d.plans.length > 0 && d.plans.every((e) => e.summary !== null)) return true;
    }
    return false;
  }

  /** A plan named by a full id, any phase; active folders win over archived ones. */
  planByKey(key: string): PlanEntry | null {
    if (!this.planIndex) {
      this.planIndex = new Map();
      for (const d of this.ws.phases) {
        for (const e of d.plans) if (!this.planIndex.has(e.key)) this.planIndex.set(e.key, e);
      }
    }
    return this.planIndex.get(key) ?? null;
  }

  warn(rule: string, file: string, line: number, message: string, hint: string): void {
    this.diagnostics.push({ rule, severity: 'warning', file, line, column: line > 0 ? 1 : 0, message, hint });
  }

  error(rule: string, file: string, line: number, message: string, hint: string): void {
    this.diagnostics.push({ rule, severity: 'error', file, line, column: line > 0 ? 1 : 0, message, hint });
  }
}

// ---------------------------------------------------------------------------------------------
// Phases

interface PhaseNode {
  state: PhaseState;
  rp: RoadmapPhase | null;
  /** Dependencies that exist, self-references removed, order as written. */
  deps: string[];
  implicit: boolean;
}

function schedulePhases(ctx: Context): Pick<Schedule, 'readyPhases' | 'waiting' | 'currentPhase'> & { graph: ScheduleGraph['phases'] } {
  const file = ctx.roadmapFile ?? `${ctx.ws.planningDir}/ROADMAP.md`;
  const previous = predecessors(ctx);
  const nodes: PhaseNode[] = [];
  for (const state of ctx.phases) {
    if (ctx.inScope.get(state.id) !== state) continue; // a duplicate id: the first one stands for it
    const rp = ctx.roadmapPhase(state.id);
    const hasLine = rp !== null && (rp.dependsOnLine !== null || rp.dependsOnText !== null);
    if (!hasLine) {
      const prev = previous(state.id);
      nodes.push({ state, rp, deps: prev !== null && prev !== state.id ? [prev] : [], implicit: true });
      continue;
    }
    const line = rp.dependsOnLine ?? rp.line;
    let written: Set<string> | null = null;
    const deps: string[] = [];
    for (const d of rp.dependsOn) {
      if (d === state.id) {
        ctx.warn('schedule-self-dependency', file, line, `Phase ${state.id} depends on itself ("Depends on: ${clip(rp.dependsOnText ?? d)}"); the self-reference is ignored.`, `Remove Phase ${d} from the "Depends on" line of phase ${state.id}.`);
        continue;
      }
      if (!ctx.phaseExists(d)) {
        // Ids a range expands to may be gaps in the numbering (`Phases 1-5` without a 3); only the
        // ids written out can be wrong. Re-reading the text is rare work, so it is done only here.
        written ??= writtenIds(rp.dependsOnText);
        if (written.has(d)) {
          ctx.warn(
            'schedule-dangling-dependency',
            file,
            line,
            `Phase ${state.id} depends on phase ${d}, which does not exist in the roadmap or in phases/ ("Depends on: ${clip(rp.dependsOnText ?? d)}"); the dependency is ignored.`,
            `Fix the "Depends on" line of phase ${state.id}, or add phase ${d}: cairn phase add "<name>"`,
          );
        }
        continue;
      }
      deps.push(d);
    }
    nodes.push({ state, rp, deps, implicit: false });
  }

  const index = new Map<string, number>();
  nodes.forEach((n, i) => index.set(n.state.id, i));
  const cycles = findCycles(nodes.length, (i) => {
    const out: number[] = [];
    for (const d of nodes[i]!.deps) {
      const j = index.get(d);
      if (j !== undefined) out.push(j);
    }
    return out;
  });
  const inCycle = new Map<number, number[]>();
  for (const comp of cycles) {
    for (const i of comp) inCycle.set(i, comp);
    const path = cyclePath(comp, (i) => nodes[i]!.deps.map((d) => index.get(d)).filter((j): j is number => j !== undefined));
    const at = path.map((i) => nodes[i]!).find((n) => !n.implicit) ?? nodes[path[0]!]!;
    const ids = path.map((i) => nodes[i]!.state.id);
    const line = at.rp?.dependsOnLine ?? at.rp?.line ?? 0;
    const implicitNote = path.some((i) => nodes[i]!.implicit) ? ' (a phase without a "Depends on" line depends on the phase before it)' : '';
    ctx.error(
      'schedule-cycle',
      file,
      line,
      `Phases depend on each other in a cycle: ${[...ids, ids[0]].join(' → ')}${implicitNote}; none of them can start.`,
      `Remove one of the dependencies from the "Depends on" lines of phases ${ids.join(', ')}.`,
    );
  }

  const readyPhases: string[] = [];
  const waiting: WaitingItem[] = [];
  nodes.forEach((n, i) => {
    if (n.state.complete) return;
    const comp = inCycle.get(i);
    if (comp) {
      const members = new Set(comp.map((j) => nodes[j]!.state.id));
      waiting.push({ id: n.state.id, waitingOn: n.deps.filter((d) => members.has(d)), reason: 'cycle' });
      return;
    }
    const status = n.rp?.statusText ?? null;
    if (isBlockedStatus(status)) {
      waiting.push({ id: n.state.id, waitingOn: [status!.trim()], reason: 'blocker' });
      return;
    }
    const open = n.deps.filter((d) => !ctx.phaseComplete(d));
    if (open.length > 0) waiting.push({ id: n.state.id, waitingOn: open, reason: 'dependency' });
    else readyPhases.push(n.state.id);
  });

  const at = (id: string) => ctx.inScope.get(id)!;
  const current =
    readyPhases.find((id) => at(id).inProgress.length > 0) ?? readyPhases.find((id) => at(id).plans.done > 0) ?? readyPhases[0] ?? null;
  return { readyPhases, waiting, currentPhase: current, graph: nodes.map((n) => ({ id: n.state.id, deps: n.deps })) };
}

function writtenIds(text: string | null): Set<string> {
  const out = new Set<string>();
  for (const r of parseDependsOn(text ?? '')) {
    out.add(r.from);
    if (r.to !== null) out.add(r.to);
  }
  return out;
}

/**
 * The phase each phase follows by number: GSD numbers phases in execution order and inserts
 * decimals after their base (2 → 2.1 → 2.2 → 3). Document order is no guide: roadmaps list
 * milestones newest first or keep archived details at the end. Backlog and deferred phases are
 * skipped; nothing will ever complete them.
 */
function predecessors(ctx: Context): (id: string) => string | null {
  let prevOf: Map<string, string | null> | null = null;
  return (id) => {
    if (!prevOf) {
      const ids = new Set<string>(ctx.inScope.keys());
      for (const p of ctx.roadmapPhases) if (p.key === p.id && !p.backlog && !p.deferred && !isBacklogPhase(p.id)) ids.add(p.id);
      const sorted = [...ids].sort(comparePhaseIds);
      prevOf = new Map(sorted.map((x, k) => [x, k > 0 ? sorted[k - 1]! : null]));
    }
    return prevOf.get(id) ?? null;
  };
}

// ---------------------------------------------------------------------------------------------
// Plans

type PlanTarget = { kind: 'plan'; entry: PlanEntry } | { kind: 'phase'; id: string };

const SHORT_PLAN = /^\d+$/;
const PLAN_STEM = /^(\d+[A-Za-z]?(?:\.\d+)*-\d+)-/;

/** Checks the plan graph of a phase (diagnostics); returns its ready and waiting plans when `current`. */
function schedulePlans(
  ctx: Context,
  phaseId: string,
  dir: PhaseDir,
  current: boolean,
): { readyPlans: PlanWave[]; waitingPlans: WaitingItem[]; graph: { id: string; done: boolean; deps: string[] }[] } | null {
  const entries = dir.plans;
  const local = new Map<string, number>();
  entries.forEach((e, i) => {
    if (!local.has(e.key)) local.set(e.key, i);
  });

  const targets: PlanTarget[][] = entries.map((e) => resolvePlanDeps(ctx, phaseId, dir, e, local));

  // Most plans depend only on plans listed before them, and such a graph has no cycle.
  const forward = targets.some((ts, i) => ts.some((t) => t.kind === 'plan' && (local.get(t.entry.key) ?? -1) > i));
  const cycles = forward ? findCycles(entries.length, (i) => localEdges(targets[i]!, local)) : [];
  const inCycle = new Map<number, number[]>();
  for (const comp of cycles) {
    for (const i of comp) inCycle.set(i, comp);
    const path = cyclePath(comp, (i) => localEdges(targets[i]!, local));
    const first = entries[path[0]!]!;
    const ids = path.map((i) => entries[i]!.id);
    const { file, line } = dependsOnPosition(first, dir);
    ctx.error(
      'schedule-cycle',
      file,
      line,
      `Plans of phase ${phaseId} depend on each other in a cycle: ${[...ids, ids[0]].join(' → ')}; none of them can start.`,
      `Remove one of the ids from the depends_on lists of plans ${ids.join(', ')}.`,
    );
  }

  if (!current) return null;
  const byWave = new Map<number | null, string[]>();
  const waitingPlans: WaitingItem[] = [];
  entries.forEach((e, i) => {
    if (e.summary !== null) return;
    const comp = inCycle.get(i);
    if (comp) {
      const members = new Set(comp);
      waitingPlans.push({ id: e.id, waitingOn: localEdges(targets[i]!, local).filter((j) => members.has(j)).map((j) => entries[j]!.id), reason: 'cycle' });
      return;
    }
    const open: string[] = [];
    for (const t of targets[i]!) {
      if (t.kind === 'plan') {
        if (t.entry.summary === null) open.push(t.entry.id);
      } else if (!ctx.phaseComplete(t.id)) open.push(`phase ${t.id}`);
    }
    if (open.length > 0) {
      waitingPlans.push({ id: e.id, waitingOn: open, reason: 'dependency' });
      return;
    }
    const wave = e.plan?.record.wave ?? null;
    const list = byWave.get(wave);
    if (list) list.push(e.id);
    else byWave.set(wave, [e.id]);
  });

  const readyPlans = [...byWave.entries()]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a - b))
    .map(([wave, plans]) => ({ wave, plans }));
  const graph = entries.map((e, i) => ({ id: e.id, done: e.summary !== null, deps: localEdges(targets[i]!, local).map((j) => entries[j]!.id) }));
  return { readyPlans, waitingPlans, graph };
}

function localEdges(targets: PlanTarget[], local: Map<string, number>): number[] {
  const out: number[] = [];
  for (const t of targets) {
    if (t.kind !== 'plan') continue;
    const j = local.get(t.entry.key);
    if (j !== undefined) out.push(j);
  }
  return out;
}

function resolvePlanDeps(ctx: Context, phaseId: string, dir: PhaseDir, e: PlanEntry, local: Map<string, number>): PlanTarget[] {
  const rec = e.plan?.record;
  if (!rec) return [];
  const entries = dir.plans;
  if (rec.dependsOn.length === 0) {
    // GSD's wave rule: without depends_on, a wave waits for every lower wave of its phase.
    const wave = rec.wave;
    if (wave === null) return [];
    const out: PlanTarget[] = [];
    for (const other of entries) {
      const w = other.plan?.record.wave;
      if (other !== e && w !== undefined && w !== null && w < wave) out.push({ kind: 'plan', entry: other });
    }
    return out;
  }

  const out: PlanTarget[] = [];
  const push = (t: PlanTarget) => {
    const dup = out.some((o) => (o.kind === 'plan' ? t.kind === 'plan' && o.entry === t.entry : t.kind === 'phase' && o.id === t.id));
    if (!dup) out.push(t);
  };
  for (const raw of rec.dependsOn) {
    const s = cleanRef(raw);
    if (s === '') continue;
    let target: PlanTarget | null = null;
    if (SHORT_PLAN.test(s)) {
      const j = local.get(planKey(`${phaseId}-${s}`));
      if (j !== undefined) target = { kind: 'plan', entry: entries[j]! };
      else {
        const ph = normalizePhaseId(s);
        if (ph !== null && ph !== phaseId && ctx.phaseExists(ph)) target = { kind: 'phase', id: ph };
      }
    } else if (normalizePhaseId(s) !== null) {
      const ph = normalizePhaseId(s)!;
      if (ph !== phaseId && ctx.phaseExists(ph)) target = { kind: 'phase', id: ph };
    } else {
      const key = planKey(s);
      const j = local.get(key);
      if (j !== undefined) target = { kind: 'plan', entry: entries[j]! };
      else {
        const hit = ctx.planByKey(key) ?? stemHit(ctx, s, local, entries);
        if (hit) target = { kind: 'plan', entry: hit };
      }
    }
    const where = () => dependsOnPosition(e, dir);
    if (target === null) {
      const { file, line } = where();
      ctx.warn(
        'schedule-dangling-dependency',
        file,
        line,
        `Plan ${e.id} depends on "${clip(raw)}", which names no plan${SHORT_PLAN.test(s) ? ` of phase ${phaseId}` : ''} or phase; the dependency is ignored.`,
        `Fix depends_on in ${file} (full plan ids such as "${e.id}"), or create the missing plan.`,
      );
      continue;
    }
    if (target.kind === 'plan' && target.entry === e) {
      const { file, line } = where();
      ctx.warn('schedule-self-dependency', file, line, `Plan ${e.id} lists itself in depends_on ("${clip(raw)}").`, `Remove "${clip(raw)}" from depends_on in ${file}.`);
      continue;
    }
    push(target);
  }
  return out;
}

/** `"03-01-PLAN.md"` → `03-01`: quotes, a `.md` extension and a `-PLAN` suffix are not part of the id. */
function cleanRef(raw: string): string {
  let s = raw.trim();
  const q = s.charCodeAt(0);
  if ((q === 34 || q === 39) && s.length >= 2 && s.charCodeAt(s.length - 1) === q) s = s.slice(1, -1).trim();
  if (s.length > 3 && s.slice(-3).toLowerCase() === '.md') s = s.slice(0, -3);
  if (s.length > 5 && s.slice(-5).toUpperCase() === '-PLAN') s = s.slice(0, -5);
  return s;
}

/** `03-01-auth-hardening` (GSD's full-stem form) names plan `03-01`. */
function stemHit(ctx: Context, s: string, local: Map<string, number>, entries: PlanEntry[]): PlanEntry | null {
  const m = PLAN_STEM.exec(s);
  if (!m) return null;
  const key = planKey(m[1]!);
  const j = local.get(key);
  if (j !== undefined) return entries[j]!;
  return ctx.planByKey(key);
}

const DEPENDS_KEY = /^(?:depends_on|depends-on|dependsOn)\s*:/m;

/** File and line of a plan's `depends_on` key (the frontmatter start, else the file, when absent). */
function dependsOnPosition(e: PlanEntry, dir: PhaseDir): { file: string; line: number } {
  const parsed = e.plan;
  if (!parsed) return { file: dir.path, line: 0 };
  const fm = parsed.doc.frontmatter;
  if (!fm) return { file: parsed.path, line: 0 };
  const m = DEPENDS_KEY.exec(fm.raw);
  const offset = m ? fm.contentSpan.start + m.index : fm.span.start;
  return { file: parsed.path, line: parsed.doc.position(offset).line };
}

// ---------------------------------------------------------------------------------------------
// Graph helpers

/**
 * Strongly connected components with more than one node (Tarjan, iterative so a 2,000-phase chain
 * cannot overflow the stack). Self-edges never reach here. Components come out in order of their
 * smallest member.
 */
export function findCycles(n: number, edges: (i: number) => number[]): number[][] {
  const idx = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const out: number[][] = [];
  let counter = 0;
  const adj: (number[] | null)[] = new Array(n).fill(null);
  const adjOf = (v: number) => (adj[v] ??= edges(v));

  for (let root = 0; root < n; root++) {
    if (idx[root] !== -1) continue;
    const work: { v: number; k: number }[] = [{ v: root, k: 0 }];
    idx[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const succ = adjOf(top.v);
      if (top.k < succ.length) {
        const w = succ[top.k++]!;
        if (idx[w] === -1) {
          idx[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push({ v: w, k: 0 });
        } else if (onStack[w]) {
          low[top.v] = Math.min(low[top.v]!, idx[w]!);
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1]!.v;
        low[parent] = Math.min(low[parent]!, low[top.v]!);
      }
      if (low[top.v] === idx[top.v]) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          comp.push(w);
        } while (w !== top.v);
        if (comp.length > 1) out.push(comp.sort((a, b) => a - b));
      }
    }
  }
  return out.sort((a, b) => a[0]! - b[0]!);
}

/** A shortest cycle through the component's first member, as node indices (first node not repeated). */
export function cyclePath(comp: number[], edges: (i: number) => number[]): number[] {
  const members = new Set(comp);
  const start = comp[0]!;
  const prev = new Map<number, number>();
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q]!;
    for (const w of edges(v)) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(prev.get(path[0]!)!);
        return path;
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return comp;
}

function clip(s: string, max = 80): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}
