/**
 * `plan start <plan-id>`: records `plan.started` with the engine's clock, which is where a plan's
 * measured duration begins and what makes derive() place the position "in progress" on it.
 */
import { PreconditionError, UsageError } from '../model/errors.ts';
import type { Context } from './run.ts';
import { addEvent, emptyChange, type Change } from './change.ts';
import { findPlan, isPlanDone, planLedger } from './plan-lookup.ts';

export interface PlanStartInput {
  plan: string | undefined;
}

export function planStart(ctx: Context, input: PlanStartInput): Change {
  const { ws, now } = ctx;
  const ref = findPlan(ws, input.plan, 'cairn plan start 02-01');
  const { entry } = ref;
  const ledger = planLedger(ws, entry.key);
  const change = emptyChange();

  if (isPlanDone(entry, ledger)) {
    const why = ledger.completed ? `recorded done at ${ledger.completed.at}` : `its SUMMARY exists (${entry.summary!.path})`;
    throw new PreconditionError(`plan ${entry.id} is already done: ${why}`, '`cairn next` shows the plans that can start now');
  }
  if (entry.plan === null) {
    throw new UsageError(`plan ${entry.id} has no PLAN file in ${ref.dir.path}`, `write ${ref.dir.path}/${entry.id}-PLAN.md first, then run \`cairn plan start ${entry.id}\``);
  }
  if (ledger.started) {
    change.summary = [`Plan ${entry.id} was already started at ${ledger.started.at}; nothing changed.`];
    change.result = { plan: entry.id, phase: ref.phase, started: ledger.started.at, alreadyStarted: true };
    return change;
  }
  const e = addEvent(change, ws, { type: 'plan.started', plan: entry.id, phase: ref.phase }, now);
  change.summary = [`Started plan ${entry.id} (phase ${ref.phase}) at ${e.at}.`, `When its SUMMARY is written: cairn plan done ${entry.id}`];
  change.result = { plan: entry.id, phase: ref.phase, started: e.at, alreadyStarted: false, event: e.id };
  return change;
}
