/**
 * Finding the plan a user names (`02-01`, `2-1`, `02-01-PLAN.md`) and what the ledger says about
 * it. Shared by `plan start`, `plan done`, `session save` and `resume`. A plan is paired across
 * its PLAN and SUMMARY files by `planKey`, so `4-01` and `04-01` name the same plan.
 */
import { PreconditionError, UsageError } from '../model/errors.ts';
import { isKnownEvent, type PlanCompleted, type PlanStarted } from '../ledger/index.ts';
import { comparePlanIds, planKey } from '../model/ids.ts';
import type { PhaseDir, PlanEntry, Workspace } from '../workspace/types.ts';

export interface PlanRef {
  dir: PhaseDir;
  entry: PlanEntry;
  /** Canonical phase id of the directory (`2.1`); the directory name when it has none. */
  phase: string;
}

export interface PlanLedger {
  /** The latest `plan.started` of the plan, if any. */
  started: PlanStarted | null;
  /** The first `plan.completed` of the plan, if any. */
  completed: PlanCompleted | null;
}

// `02-01`, `2.1-03`, `04-01-FIX`, `08-ENH1`, `CK-01-02`: a phase, then dash-separated parts.
const PLAN_ID = /^(?:[A-Z]{1,6}-)?\d+[A-Za-z]?(?:\.\d+)*(?:-[A-Za-z0-9]+)+$/;
const FILE_SUFFIX = /(?:-(?:PLAN|SUMMARY))?\.md$/i;

function shown(raw: string): string {
  const one = raw.replace(/\s+/g, ' ');
  return JSON.stringify(one.length > 40 ? `${one.slice(0, 39)}…` : one);
}

/** The plan id a user typed, checked against the grammar; a file name is accepted for its id. */
export function requirePlanIdSyntax(raw: string | undefined, example: string): string {
  if (raw === undefined || raw.trim() === '') throw new UsageError('a plan id is missing', `e.g. ${example}`);
  const id = raw.trim().replace(FILE_SUFFIX, '');
  if (id.length > 80 || !PLAN_ID.test(id)) {
    throw new UsageError(`${shown(raw)} is not a plan id; expected <phase>-<number> such as 02-01, 2.1-03 or 04-01-FIX`, `e.g. ${example}`);
  }
  return id;
}

function listIds(entries: PlanEntry[], max = 12): string {
  const ids = entries.map((e) => e.id).sort(comparePlanIds);
  return ids.length > max ? `${ids.slice(0, max).join(', ')}, … (${ids.length - max} more)` : ids.join(', ');
}

/**
 * The plan named by `raw` among the active phase directories. Unknown → UsageError naming the
 * plans of the same phase (or every phase's first plans); a plan of an archived milestone →
 * PreconditionError, since it is closed.
 */
export function findPlan(ws: Workspace, raw: string | undefined, example: string): PlanRef {
  const id = requirePlanIdSyntax(raw, example);
  const key = planKey(id);
  for (const dir of ws.phases) {
    if (dir.archived !== null) continue;
    const entry = dir.plans.find((p) => p.key === key);
    if (entry) return { dir, entry, phase: dir.id ?? dir.name };
  }
  for (const dir of ws.phases) {
    if (dir.archived === null) continue;
    const entry = dir.plans.find((p) => p.key === key);
    if (entry) {
      throw new PreconditionError(
        `plan ${entry.id} belongs to milestone ${dir.archived}, which is archived (${dir.path})`,
        'archived plans cannot change; `cairn status` shows the current phase and its plans',
      );
    }
  }
  const phaseOf = key.slice(0, key.indexOf('-'));
  const samePhase = ws.phases.find((d) => d.archived === null && d.id === phaseOf);
  const where = samePhase
    ? samePhase.plans.length
      ? `phase ${phaseOf} has ${listIds(samePhase.plans)}`
      : `phase ${phaseOf} (${samePhase.path}) has no plan files yet`
    : `there is no phase ${phaseOf} folder under .planning/phases/`;
  throw new UsageError(`unknown plan ${id}: ${where}`, '`cairn status` shows the current phase; a plan is a file .planning/phases/<phase>/<id>-PLAN.md');
}

/** What the ledger records for the plan with `key`. */
export function planLedger(ws: Workspace, key: string): PlanLedger {
  const out: PlanLedger = { started: null, completed: null };
  for (const e of ws.ledger.events) {
    if (!isKnownEvent(e)) continue;
    if (e.type === 'plan.started' && planKey(e.plan) === key) out.started = e;
    else if (e.type === 'plan.completed' && out.completed === null && planKey(e.plan) === key) out.completed = e;
  }
  return out;
}

/** Done ⇔ its SUMMARY exists or the ledger records it completed (derive's rule). */
export function isPlanDone(entry: PlanEntry, ledger: PlanLedger): boolean {
  return entry.summary !== null || ledger.completed !== null;
}

/** Plans started and not done, most recently started last. */
export function plansInFlight(ws: Workspace): { ref: PlanRef; started: PlanStarted }[] {
  const started = new Map<string, PlanStarted>();
  const completed = new Set<string>();
  for (const e of ws.ledger.events) {
    if (!isKnownEvent(e)) continue;
    if (e.type === 'plan.started') {
      const k = planKey(e.plan);
      started.delete(k);
      started.set(k, e);
    } else if (e.type === 'plan.completed') completed.add(planKey(e.plan));
  }
  const out: { ref: PlanRef; started: PlanStarted }[] = [];
  for (const [key, ev] of started) {
    if (completed.has(key)) continue;
    for (const dir of ws.phases) {
      if (dir.archived !== null) continue;
      const entry = dir.plans.find((p) => p.key === key);
      if (entry) {
        if (entry.summary === null) out.push({ ref: { dir, entry, phase: dir.id ?? dir.name }, started: ev });
        break;
      }
    }
  }
  return out;
}

/** `2026-03-09T16:31:05Z`: the engine's clock at second precision, as written into files. */
export function isoSeconds(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
