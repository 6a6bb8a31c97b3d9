/**
 * `phase complete <id> [--force]`: records `phase.completed` in the ledger. The ROADMAP checkbox,
 * progress row and STATE.md position follow from the views. Plans without a SUMMARY block it
 * unless --force; running it again once recorded changes nothing.
 */
import { PreconditionError } from '../model/errors.ts';
import { isKnownEvent } from '../ledger/index.ts';
import { normalizePhaseId, planKey } from '../model/ids.ts';
import type { Context } from './run.ts';
import { addEvent, emptyChange, type Change } from './change.ts';
import { requireKnownPhase } from './input.ts';
import { knownPhaseIds } from './phase-add.ts';

export interface PhaseCompleteInput {
  id: string | undefined;
  force?: boolean;
}

export function phaseComplete(ctx: Context, input: PhaseCompleteInput): Change {
  const { ws, now, state } = ctx;
  const id = requireKnownPhase(input.id, knownPhaseIds(ws), 'cairn phase complete 2');
  const rp = ws.roadmap?.record.phases.find((p) => p.key === p.id && p.id === id) ?? null;
  const dir = ws.phases.find((d) => d.archived === null && d.id === id) ?? null;
  const name = rp?.name ?? (dir ? dir.slug.replace(/-/g, ' ') : null);
  const label = `Phase ${id}${name ? ` (${name})` : ''}`;
  const change = emptyChange();

  const recorded = ws.ledger.events.find((e) => isKnownEvent(e) && e.type === 'phase.completed' && normalizePhaseId(e.phase) === id);
  if (recorded) {
    change.summary = [`${label} was already recorded complete at ${recorded.at}; nothing changed.`];
    change.result = { phase: id, name, completedAt: recorded.at, alreadyComplete: true, plansWithoutSummary: [] };
    return change;
  }

  const completed = new Set<string>();
  for (const e of ws.ledger.events) if (isKnownEvent(e) && e.type === 'plan.completed') completed.add(planKey(e.plan));
  const plans = dir?.plans ?? [];
  const pending = plans.filter((p) => p.summary === null && !completed.has(p.key)).map((p) => p.plan?.path ?? `${dir!.path}/${p.id}`);
  if (pending.length && !input.force) {
    throw new PreconditionError(
      `phase ${id} has ${pending.length} plan(s) without a SUMMARY: ${pending.join(', ')}`,
      `finish them (write the SUMMARY, then \`cairn plan done <plan>\`), or complete the phase anyway: cairn phase complete ${id} --force`,
    );
  }

  const e = addEvent(change, ws, { type: 'phase.completed', phase: id }, now);
  const index = state.phases.findIndex((p) => p.id === id);
  const next = index >= 0 ? state.phases.slice(index + 1).find((p) => !p.complete) : undefined;
  change.summary = [`${label} complete (${plans.length - pending.length}/${plans.length} plans).`];
  if (pending.length) change.summary.push(`Completed with --force: ${pending.length} plan(s) have no SUMMARY: ${pending.join(', ')}`);
  if (next) change.summary.push(`Next: phase ${next.id}${next.name ? ` (${next.name})` : ''}`);
  change.result = {
    phase: id,
    name,
    completedAt: e.at,
    alreadyComplete: false,
    plans: { done: plans.length - pending.length, total: plans.length },
    plansWithoutSummary: pending,
    next: next ? { phase: next.id, name: next.name } : null,
  };
  return change;
}
