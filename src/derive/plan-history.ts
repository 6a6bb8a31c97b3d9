/**
 * The measured history a forecast resamples: every completed plan with its duration and
 * completion time (SUMMARY `duration`/`completed`, the ledger's measured times winning), the plans
 * started and not finished, and how many plans each finished phase took. Read from the workspace
 * only; the clock is never consulted here.
 */
import type { Workspace } from '../workspace/types.ts';
import { ledgerFacts, samplesOf } from './derive.ts';
import type { DurationSample } from './velocity.ts';

export interface CompletedPlan {
  planId: string;
  phase: string;
  /** Measured minutes, null when neither the ledger nor the SUMMARY gives one. */
  minutes: number | null;
  /** Completion time (epoch ms), null when unknown. */
  at: number | null;
}

export interface StartedPlan {
  planId: string;
  phase: string;
  /** `plan.started` time (epoch ms). */
  at: number;
}

export interface PlanHistory {
  /** Completion order (oldest first) when every plan has a time, else phase/plan order. */
  completed: CompletedPlan[];
  /** Started (ledger) and not done. */
  started: StartedPlan[];
  /** Plans per phase, over every phase folder whose plans are all done (archived ones included). */
  phaseSizes: number[];
}

export function planHistory(ws: Workspace): PlanHistory {
  return planHistoryOf(ws).history;
}

// A workspace is a snapshot (every load and overlay is a new object), so its history is read once
// for derive(), forecast() and the checks together.
const cache = new WeakMap<Workspace, { history: PlanHistory; samples: DurationSample[] }>();

/** The history and the velocity samples it was built from (derive() uses both, reading the plans once). */
export function planHistoryOf(ws: Workspace): { history: PlanHistory; samples: DurationSample[] } {
  const hit = cache.get(ws);
  if (hit) return hit;
  const result = readPlanHistory(ws);
  cache.set(ws, result);
  return result;
}

/** Uncached (benchmarks measure the pass itself). */
export function readPlanHistory(ws: Workspace): { history: PlanHistory; samples: DurationSample[] } {
  const facts = ledgerFacts(ws);
  const samples = samplesOf(ws, facts);
  const completed: CompletedPlan[] = samples.map((s) => ({ planId: s.planId, phase: s.phase, minutes: s.minutes, at: s.at }));
  const started: StartedPlan[] = [];
  const phaseSizes: number[] = [];
  for (const d of ws.phases) {
    let done = 0;
    for (const p of d.plans) {
      const isDone = p.summary !== null || facts.completed.has(p.key);
      if (isDone) done++;
      const at = facts.started.get(p.key);
      if (!isDone && at !== undefined) started.push({ planId: p.id, phase: d.id ?? d.name, at });
    }
    if (d.plans.length > 0 && done === d.plans.length) phaseSizes.push(d.plans.length);
  }
  return { history: { completed, started, phaseSizes }, samples };
}
