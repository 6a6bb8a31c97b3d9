/**
 * `cairn forecast [dir] [--json]` — when will the work in scope be done: a P50–P85 range of
 * remaining hours and completion dates from a Monte Carlo over the project's own measured plan
 * durations and daily throughput (src/derive/forecast.ts), the inputs it used, and why a part is
 * missing when the history is too short.
 */
import { parseArgs, type FlagSpec } from '../args.ts';
import { loadWorkspace } from '../../workspace/index.ts';
import { derive } from '../../derive/index.ts';
import { planHistory } from '../../derive/plan-history.ts';
import { DEFAULT_SAMPLES, DEFAULT_SEED, forecast, type Forecast } from '../../derive/forecast.ts';
import type { ProjectState } from '../../derive/types.ts';
import { c, printJson } from '../output.ts';
import { forecastDocument } from '../../views/documents.ts';
import { ExitCode, UsageError } from '../../model/errors.ts';

const flags: Record<string, FlagSpec> = {
  json: { type: 'boolean', description: 'print one JSON document (the forecast) and nothing else' },
  seed: { type: 'string', description: `random seed (default ${DEFAULT_SEED}): the same seed and day give the same answer` },
  samples: { type: 'string', description: `simulated futures (default ${DEFAULT_SAMPLES})` },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

export const help = `Usage: cairn forecast [dir] [--json] [--seed N] [--samples N]

Forecasts when the plans left in scope (the active milestone) will be done, as a range:
  P50 — half of the simulated futures finish by then; P85 — 85 % do.
It simulates ${DEFAULT_SAMPLES} futures by resampling the project's own history: the measured
durations of completed plans (remaining work in hours) and the plans completed per calendar day
between the first and last dated completion (completion dates). Phases without a plan count get
one drawn from the project's finished phases, and are flagged. Below 8 completed plans with a
duration (or with a completion date) that part of the answer is "not enough data".

Options:
  --json        one JSON document: forecast { status, remaining, workHours, completion, inputs,
                notes }, criticalPath (see README "forecast --json")
  --seed N      random seed; fixed by default so the answer is stable for a day
  --samples N   number of simulated futures
  -h, --help

Examples:
  cairn forecast
  cairn forecast ../my-app --json | jq .forecast.completion`;

function intFlag(v: string | boolean | undefined, name: string, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n) || n < min) throw new UsageError(`--${name} takes an integer ≥ ${min}, got ${String(v)}`, `cairn forecast --${name} ${min === 0 ? 42 : 1000}`);
  return n;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, flags, 'forecast');
  if (args.flags.help) {
    process.stdout.write(`${help}\n`);
    return ExitCode.ok;
  }
  if (args.positionals.length > 1) throw new UsageError(`forecast takes one folder, got ${args.positionals.length}`, 'cairn forecast [dir]');
  const seed = intFlag(args.flags.seed, 'seed', 0);
  const samples = intFlag(args.flags.samples, 'samples', 1);
  const ws = await loadWorkspace(args.positionals[0] ?? '.');
  const now = new Date();
  const state = derive(ws, now);
  const f = forecast(state, planHistory(ws), { now, ...(seed !== undefined ? { seed } : {}), ...(samples !== undefined ? { samples } : {}) });
  if (args.flags.json) printJson(forecastDocument(ws.root, state, f));
  else process.stdout.write(`${renderForecast(state, f).join('\n')}\n`);
  return ExitCode.ok;
}

function hours(n: number): string {
  return n < 10 ? `${n} h` : `${Math.round(n)} h`;
}

/** One line for `cairn status`. */
export function forecastLine(f: Forecast): string {
  if (f.status === 'done') return 'nothing left in scope';
  if (f.status === 'not enough data') return c.dim(`not enough data (${f.inputs.durations} plan(s) with a duration, ${f.inputs.datedPlans} with a date; ${f.inputs.minimumSample} needed)`);
  const parts: string[] = [];
  const plans = f.remaining.plans;
  parts.push(plans && plans.p85 !== plans.p50 ? `${plans.p50}–${plans.p85} plans left (estimated)` : `${f.remaining.knownPlans} plans left`);
  if (f.workHours) parts.push(`${f.workHours.p50 < 10 ? f.workHours.p50 : Math.round(f.workHours.p50)}–${hours(f.workHours.p85)} of work`);
  if (f.completion) parts.push(`done ${f.completion.p50} (P50) – ${f.completion.p85} (P85)`);
  else parts.push(c.dim('no dates: too few dated completions'));
  return parts.join(' · ');
}

export function renderForecast(s: ProjectState, f: Forecast): string[] {
  const out: string[] = [];
  out.push(c.bold(s.project.name ?? 'Project') + (s.scope.milestone ? c.dim(`  ·  milestone ${s.scope.milestone}${s.scope.name ? ` ${s.scope.name}` : ''}`) : ''));
  out.push('');
  const i = f.inputs;
  if (f.status === 'done') out.push('Nothing left in scope: every plan is done.');
  else {
    const r = f.remaining;
    out.push(`${c.bold('Remaining')}   ${r.knownPlans} plan(s) with a known count${r.estimatedPhases.length ? ` + phases ${r.estimatedPhases.join(', ')} (count estimated${r.plans ? `: ${r.plans.p50}–${r.plans.p85} plans in all` : ''})` : ''}`);
    out.push(`${c.bold('Work')}        ${f.workHours ? `${hours(f.workHours.p50)} (P50) – ${hours(f.workHours.p85)} (P85)` : c.dim('not enough data')}`);
    out.push(
      `${c.bold('Done by')}     ${f.completion ? `${f.completion.p50} (P50, ${f.completion.days.p50} d) – ${f.completion.p85} (P85, ${f.completion.days.p85} d)` : c.dim('not enough data')}`,
    );
  }
  out.push('');
  out.push(c.bold('From'));
  out.push(`  ${i.durations} completed plan(s) with a duration${i.medianMinutes !== null ? ` (median ${i.medianMinutes} min)` : ''}`);
  out.push(`  ${i.datedPlans} with a completion date, over ${i.calendarDays} calendar day(s), ${i.activeDays} with a completion${i.plansPerActiveDay !== null ? ` (${i.plansPerActiveDay} plans per active day)` : ''}`);
  out.push(c.dim(`  ${i.samples} simulated futures, seed ${i.seed}; minimum sample ${i.minimumSample}`));
  for (const n of f.notes) out.push(c.dim(`  note: ${n}`));
  const cp = s.criticalPath;
  if (cp && cp.phases.path.length > 0) {
    out.push('');
    out.push(`${c.bold('Critical path')}  ${cp.phases.path.join(' → ')}  ${c.dim(`(${hours(Math.round(cp.phases.minutes / 6) / 10)} of plan time${cp.phases.estimated.length ? `; estimated: ${cp.phases.estimated.join(', ')}` : ''})`)}`);
    const slack = cp.phases.nodes.filter((n) => n.slackMinutes > 0).slice(0, 8);
    for (const n of slack) out.push(c.dim(`  phase ${n.id}: slack ${hours(Math.round(n.slackMinutes / 6) / 10)}`));
  }
  return out;
}
