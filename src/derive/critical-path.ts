/**
 * Critical path over a dependency DAG whose nodes carry remaining minutes (classic CPM):
 *   earliest start ES(v) = max over dependencies d of ES(d) + w(d)   (0 without any)
 *   latest finish  LF(v) = min over dependants s of LF(s) − w(s)     (the path length without any)
 *   slack(v)       = LF(v) − w(v) − ES(v); 0 exactly on the critical path
 * The path is the chain of zero-slack nodes from a first node to one that finishes last (ties:
 * roadmap order). Members of a dependency cycle can never start: they are reported in `cycles`
 * and left out, never looped on. Dependencies on ids that are not nodes (finished work) are ignored.
 */
import { findCycles, type ScheduleGraph } from './schedule.ts';
import type { PhaseState } from './types.ts';
import type { PlanHistory } from './plan-history.ts';
import { median } from '../model/median.ts';

export interface PathInput {
  id: string;
  minutes: number;
  /** The weight is an estimate (no measured duration, or an unknown plan count). */
  estimated: boolean;
  deps: string[];
}

export interface PathNode {
  id: string;
  minutes: number;
  estimated: boolean;
  earliestStartMinutes: number;
  slackMinutes: number;
  critical: boolean;
}

export interface CriticalPath {
  /** Node ids on the critical path, first to last. */
  path: string[];
  /** Length of the path in minutes (one decimal). */
  minutes: number;
  /** Ids on the path whose weight is estimated. */
  estimated: string[];
  /** Every node outside a cycle, input order. */
  nodes: PathNode[];
  /** Dependency cycles (ids, input order): their members are not scheduled. */
  cycles: string[][];
}

const EPS = 1e-6;

export function criticalPath(input: PathInput[]): CriticalPath {
  const index = new Map<string, number>();
  input.forEach((n, i) => {
    if (!index.has(n.id)) index.set(n.id, i);
  });
  const deps = input.map((n, i) => [...new Set(n.deps.map((d) => index.get(d)).filter((j): j is number => j !== undefined && j !== i))]);
  const cycles = findCycles(input.length, (i) => deps[i]!);
  const dead = new Uint8Array(input.length);
  for (const comp of cycles) for (const i of comp) dead[i] = 1;

  // Kahn's order over the live nodes; edges from dead nodes are dropped (they never finish, so
  // their dependants wait on them — shown by the schedule, not by the path).
  const live = (i: number) => dead[i] === 0;
  const liveDeps = deps.map((ds, i) => (live(i) ? ds.filter(live) : []));
  const dependants: number[][] = input.map(() => []);
  const indegree = new Int32Array(input.length);
  liveDeps.forEach((ds, i) => {
    for (const d of ds) dependants[d]!.push(i);
    indegree[i] = ds.length;
  });
  const order: number[] = [];
  for (let i = 0; i < input.length; i++) if (live(i) && indegree[i] === 0) order.push(i);
  for (let q = 0; q < order.length; q++) {
    for (const s of dependants[order[q]!]!) if (--indegree[s]! === 0) order.push(s);
  }
  const w = input.map((n) => Math.max(0, n.minutes));
  const es = new Float64Array(input.length);
  for (const v of order) for (const d of liveDeps[v]!) es[v] = Math.max(es[v]!, es[d]! + w[d]!);
  let length = 0;
  for (const v of order) length = Math.max(length, es[v]! + w[v]!);
  const lf = new Float64Array(input.length).fill(length);
  for (let k = order.length - 1; k >= 0; k--) {
    const v = order[k]!;
    for (const s of dependants[v]!) lf[v] = Math.min(lf[v]!, lf[s]! - w[s]!);
  }
  const slack = (v: number) => {
    const x = lf[v]! - w[v]! - es[v]!;
    return Math.abs(x) < EPS ? 0 : x;
  };

  const path: number[] = [];
  if (order.length > 0) {
    let end = -1;
    for (let i = 0; i < input.length; i++) {
      if (live(i) && slack(i) === 0 && Math.abs(es[i]! + w[i]! - length) < EPS) {
        end = i;
        break;
      }
    }
    let v = end;
    while (v >= 0) {
      path.unshift(v);
      const cur: number = v;
      v = liveDeps[cur]!.filter((d) => slack(d) === 0 && Math.abs(es[d]! + w[d]! - es[cur]!) < EPS).sort((a, b) => a - b)[0] ?? -1;
    }
  }
  const onPath = new Set(path);
  const nodes: PathNode[] = [];
  for (let i = 0; i < input.length; i++) {
    if (!live(i) || index.get(input[i]!.id) !== i) continue;
    nodes.push({
      id: input[i]!.id,
      minutes: round1(w[i]!),
      estimated: input[i]!.estimated,
      earliestStartMinutes: round1(es[i]!),
      slackMinutes: round1(slack(i)),
      critical: onPath.has(i),
    });
  }
  return {
    path: path.map((i) => input[i]!.id),
    minutes: round1(length),
    estimated: path.filter((i) => input[i]!.estimated).map((i) => input[i]!.id),
    nodes,
    cycles: cycles.map((comp) => comp.map((i) => input[i]!.id)),
  };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

// ---------------------------------------------------------------------------------------------
// The project's two graphs, weighted by measured durations

export interface ProjectCriticalPath {
  /**
   * `minutes`: weights are remaining plans × the phase's median measured plan duration (the
   * project's median when the phase has none yet, flagged estimated). `plans`: no plan has a
   * measured duration, so weights are counts of remaining plans.
   */
  unit: 'minutes' | 'plans';
  /** Incomplete phases in scope ("Depends on", or the phase numbered before). */
  phases: CriticalPath;
  /** Plans of the current phase not done yet (depends_on, waves); null without a current phase. */
  plans: (CriticalPath & { phase: string }) | null;
}

export function projectCriticalPath(phases: PhaseState[], graph: ScheduleGraph, history: PlanHistory): ProjectCriticalPath {
  const byPhase = new Map<string, number[]>();
  const all: number[] = [];
  for (const c of history.completed) {
    if (c.minutes === null || !Number.isFinite(c.minutes)) continue;
    all.push(c.minutes);
    const list = byPhase.get(c.phase);
    if (list) list.push(c.minutes);
    else byPhase.set(c.phase, [c.minutes]);
  }
  const unit = all.length > 0 ? 'minutes' : 'plans';
  const projectMedian = all.length ? median(all) : 1;
  const typical = (phase: string) => {
    const own = byPhase.get(phase);
    return own && own.length ? { minutes: median(own), estimated: false } : { minutes: projectMedian, estimated: true };
  };
  const phaseSize = history.phaseSizes.length ? median(history.phaseSizes) : 1;
  const state = new Map(phases.map((p) => [p.id, p]));
  const phaseNodes: PathInput[] = [];
  for (const g of graph.phases) {
    const p = state.get(g.id);
    if (!p || p.complete) continue;
    const t = typical(p.id);
    const left = p.estimated && p.plans.total === 0 ? phaseSize : Math.max(0, p.plans.total - p.plans.done);
    phaseNodes.push({ id: p.id, minutes: left * (unit === 'plans' ? 1 : t.minutes), estimated: p.estimated || t.estimated || unit === 'plans', deps: g.deps });
  }
  let plans: ProjectCriticalPath['plans'] = null;
  if (graph.plans) {
    const t = typical(graph.plans.phase);
    const nodes = graph.plans.plans
      .filter((n) => !n.done)
      .map((n) => ({ id: n.id, minutes: unit === 'plans' ? 1 : t.minutes, estimated: t.estimated || unit === 'plans', deps: n.deps }));
    plans = { phase: graph.plans.phase, ...criticalPath(nodes) };
  }
  return { unit, phases: criticalPath(phaseNodes), plans };
}
