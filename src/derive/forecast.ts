/**
 * forecast(state, history, {seed, now}): a Monte Carlo range for the work left in scope, from the
 * project's own measured history — never from a guess. Formulas (also in the README):
 *
 *   remaining plans  = Σ over incomplete phases in scope of (plans total − plans done), plus, for
 *                      each phase whose count is unknown (TBD), a draw from the project's own
 *                      plans-per-phase distribution (those phases are listed in `estimatedPhases`)
 *   work (hours)     = Σ of `remaining` durations resampled from the completed plans' measured ones
 *   completion date  = today + the calendar days needed when each day's throughput is resampled
 *                      from the days between the first and the last dated completion (days
 *                      without a completion included: that is how often the project is worked on)
 *   P50, P85         = nearest-rank percentiles over `samples` simulated futures
 *
 * Below MIN_SAMPLE completed plans with a duration (resp. a completion date) the work range (resp.
 * the dates) is null and the reason is given: no number is better than a made-up one.
 *
 * Speed and consistency: each simulated future draws from its own seeded stream, and long sums
 * are taken in blocks of BLOCK draws from a shared pool of pre-drawn blocks (prefix sums), so
 * 10,000 futures of 8,000 plans cost ~1.3 M additions, and one more remaining plan can never make
 * any simulated future — hence any percentile — earlier.
 */
import type { ProjectState } from './types.ts';
import type { PlanHistory } from './plan-history.ts';
import { mulberry32, mulberry32Fill } from '../model/random.ts';
import { median } from '../model/median.ts';
export { mulberry32 };

export const MIN_SAMPLE = 8;
export const DEFAULT_SAMPLES = 10_000;
export const DEFAULT_SEED = 20_260_101;
const BLOCK = 64;
const POOL = 1024;
const DAY_MS = 86_400_000;
/** No simulated future runs longer than this (a project with almost no throughput). */
const MAX_DAYS = 36_500;

export interface ForecastOptions {
  now: Date;
  seed?: number;
  samples?: number;
  /**
   * Weight recent history more: a duration or a day `h` days before the last completion counts
   * 0.5^(h / halfLife). null (the default) weighs all history alike — the backtest found no gain
   * from weighting (see README "Forecast").
   */
  recentHalfLifeDays?: number | null;
}

/** What is left: plans with a known count, and phases whose count is not known yet. */
export interface ForecastScope {
  knownPlans: number;
  /** Phase ids whose plan count is unknown: each adds a draw from the plans-per-phase distribution. */
  unknownPhases: string[];
}

export interface Range {
  p50: number;
  p85: number;
}

export interface Forecast {
  /** `done`: nothing left in scope; `not enough data`: neither a work range nor dates could be given. */
  status: 'ok' | 'done' | 'not enough data';
  remaining: {
    /** Plans with a known count still to do (in-progress ones included). */
    knownPlans: number;
    /** Phases whose plan count was estimated from the project's plans-per-phase distribution. */
    estimatedPhases: string[];
    /** Remaining plans including the estimated phases (P50, P85); null when no estimate is possible. */
    plans: Range | null;
  };
  /** Remaining work in hours (one decimal), null below the minimum sample. */
  workHours: Range | null;
  /** Completion dates (YYYY-MM-DD, UTC) and days from `now`; null below the minimum sample. */
  completion: { p50: string; p85: string; days: Range } | null;
  /** The history the simulation resampled. */
  inputs: {
    minimumSample: number;
    /** Completed plans with a measured duration. */
    durations: number;
    /** Completed plans with a completion date. */
    datedPlans: number;
    /** Calendar days between the first and the last dated completion, and those with a completion. */
    calendarDays: number;
    activeDays: number;
    /** Mean plans per active day, one decimal. */
    plansPerActiveDay: number | null;
    /** Median plan duration in minutes, one decimal. */
    medianMinutes: number | null;
    /** Finished phases the plans-per-phase distribution was read from. */
    phaseSizes: number;
    recentHalfLifeDays: number | null;
    samples: number;
    seed: number;
    /** The UTC day dates count from (day 0): only the day of \`now\` matters. */
    today: string;
  };
  /** Why a part is missing or estimated, in words. */
  notes: string[];
}

/** What is left in the derived scope. */
export function scopeOf(state: ProjectState): ForecastScope {
  if (state.source === 'state-only') {
    return { knownPlans: Math.max(0, state.progress.plans.total - state.progress.plans.done), unknownPhases: [] };
  }
  let knownPlans = 0;
  const unknownPhases: string[] = [];
  for (const p of state.phases) {
    if (p.complete) continue;
    // An estimated phase with some plans written or listed keeps that count; only a phase with
    // no count at all draws one from the distribution.
    if (p.estimated && p.plans.total === 0) unknownPhases.push(p.id);
    else knownPlans += Math.max(0, p.plans.total - p.plans.done);
  }
  return { knownPlans, unknownPhases };
}

export function forecast(state: ProjectState, history: PlanHistory, options: ForecastOptions): Forecast {
  return forecastScope(scopeOf(state), history, options);
}

/** The simulation over an explicit scope (the backtest cuts history and scope by hand). */
export function forecastScope(scope: ForecastScope, history: PlanHistory, options: ForecastOptions): Forecast {
  const seed = (options.seed ?? DEFAULT_SEED) >>> 0;
  const samples = Math.max(1, Math.floor(options.samples ?? DEFAULT_SAMPLES));
  const halfLife = options.recentHalfLifeDays ?? null;
  const now = options.now;
  const today = Math.floor(now.getTime() / DAY_MS);
  const notes: string[] = [];

  const dated = history.completed.filter((c): c is typeof c & { at: number } => c.at !== null && Number.isFinite(c.at));
  const lastDay = dated.length ? Math.max(...dated.map((c) => Math.floor(c.at / DAY_MS))) : today;
  const ageWeight = (at: number | null) => (halfLife === null || at === null ? 1 : 0.5 ** ((lastDay - Math.floor(at / DAY_MS)) / halfLife));

  const timed = history.completed.filter((c): c is typeof c & { minutes: number } => c.minutes !== null && Number.isFinite(c.minutes) && c.minutes >= 0);
  const days = dailyThroughput(dated);
  const inputs: Forecast['inputs'] = {
    minimumSample: MIN_SAMPLE,
    durations: timed.length,
    datedPlans: dated.length,
    calendarDays: days.counts.length,
    activeDays: days.active,
    plansPerActiveDay: days.active ? round1(dated.length / days.active) : null,
    medianMinutes: timed.length ? round1(median(timed.map((t) => t.minutes))) : null,
    phaseSizes: history.phaseSizes.length,
    recentHalfLifeDays: halfLife,
    samples,
    seed,
    today: isoDay(today),
  };

  const estimatedPhases = [...scope.unknownPhases];
  const nothingLeft = scope.knownPlans <= 0 && estimatedPhases.length === 0;
  if (nothingLeft) {
    return { status: 'done', remaining: { knownPlans: 0, estimatedPhases, plans: { p50: 0, p85: 0 } }, workHours: { p50: 0, p85: 0 }, completion: null, inputs, notes: ['Nothing left in scope.'] };
  }
  const canSizePhases = estimatedPhases.length === 0 || history.phaseSizes.length > 0;
  if (!canSizePhases) {
    notes.push(`${estimatedPhases.length} phase(s) have no plan count and no phase has finished yet to estimate one from: phases ${estimatedPhases.join(', ')}.`);
  } else if (estimatedPhases.length) {
    notes.push(`Plan counts of phases ${estimatedPhases.join(', ')} are estimated from the ${history.phaseSizes.length} finished phases' plan counts.`);
  }

  const enoughDurations = timed.length >= MIN_SAMPLE;
  const enoughDates = dated.length >= MIN_SAMPLE;
  if (!enoughDurations) notes.push(`not enough data for a work range: ${timed.length} completed plan(s) with a duration, ${MIN_SAMPLE} needed.`);
  if (!enoughDates) notes.push(`not enough data for dates: ${dated.length} completed plan(s) with a completion date, ${MIN_SAMPLE} needed.`);

  const sizePool = canSizePhases && estimatedPhases.length ? new Sampler(history.phaseSizes, null) : null;
  // Without a half-life every weight is 1, and a uniform draw returns exactly what the weighted
  // search over the cumulative weights 1, 2, …, n would (the first index whose sum exceeds u·n).
  const durWeights = halfLife === null ? null : timed.map((t) => ageWeight(t.at));
  const durPool = enoughDurations && canSizePhases ? blockPool(new Sampler(timed.map((t) => t.minutes), durWeights), seed ^ 0x9e3779b9) : null;
  const dayPool =
    enoughDates && canSizePhases
      ? blockPool(new Sampler(days.counts, halfLife === null ? null : days.counts.map((_c, i) => 0.5 ** ((days.counts.length - 1 - i) / halfLife))), seed ^ 0x85ebca6b)
      : null;

  const plans = new Float64Array(samples);
  const work = durPool ? new Float64Array(samples) : null;
  const wait = dayPool ? new Float64Array(samples) : null;
  let capped = false;
  for (let i = 0; i < samples; i++) {
    let remaining = scope.knownPlans;
    if (sizePool) {
      const r = mulberry32(mix(seed, i, 1));
      for (let k = 0; k < estimatedPhases.length; k++) remaining += sizePool.draw(r);
    }
    plans[i] = remaining;
    if (work && durPool) work[i] = sumOf(durPool, remaining, mulberry32(mix(seed, i, 2))) / 60;
    if (wait && dayPool) {
      const d = daysFor(dayPool, remaining, mulberry32(mix(seed, i, 3)));
      if (d >= MAX_DAYS) capped = true;
      wait[i] = d;
    }
  }
  if (capped) notes.push(`Some simulated futures needed more than ${MAX_DAYS} days; they are counted at that limit.`);

  const workHours = work ? mapRange(percentiles(work), round1) : null;
  let completion: Forecast['completion'] = null;
  if (wait) {
    const d = percentiles(wait);
    completion = { p50: isoDay(today + d.p50), p85: isoDay(today + d.p85), days: d };
  }
  return {
    status: workHours || completion ? 'ok' : 'not enough data',
    remaining: { knownPlans: scope.knownPlans, estimatedPhases, plans: canSizePhases ? percentiles(plans) : null },
    workHours,
    completion,
    inputs,
    notes,
  };
}

// ---------------------------------------------------------------------------------------------

/** Plans completed per UTC day, from the first to the last dated completion. */
function dailyThroughput(dated: { at: number }[]): { counts: number[]; active: number } {
  if (dated.length === 0) return { counts: [], active: 0 };
  const dayOf = dated.map((c) => Math.floor(c.at / DAY_MS));
  const first = Math.min(...dayOf);
  const last = Math.max(...dayOf);
  const counts = new Array<number>(last - first + 1).fill(0);
  for (const d of dayOf) counts[d - first]!++;
  return { counts, active: counts.filter((n) => n > 0).length };
}

/** Weighted draws with replacement (uniform when `weights` is null). */
class Sampler {
  private readonly cumulative: Float64Array | null;
  private readonly total: number;
  constructor(
    private readonly values: number[],
    weights: number[] | null,
  ) {
    if (weights) {
      this.cumulative = new Float64Array(values.length);
      let acc = 0;
      weights.forEach((w, i) => (this.cumulative![i] = acc += w));
      this.total = acc;
    } else {
      this.cumulative = null;
      this.total = values.length;
    }
  }
  draw(rand: () => number): number {
    return this.at(rand());
  }
  /** The value a draw returns when the generator yields `u`. */
  at(u: number): number {
    if (!this.cumulative) return this.values[Math.floor(u * this.values.length)]!;
    const x = u * this.total;
    let lo = 0;
    let hi = this.values.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.values[lo]!;
  }
}

/** POOL blocks of BLOCK draws each, stored as prefix sums: prefix[b·BLOCK + j] = Σ of the first j+1 draws of block b. */
interface BlockPool {
  prefix: Float64Array;
}

function blockPool(sampler: Sampler, seed: number): BlockPool {
  // One draw takes one number of the stream, so the pool is the stream's first POOL·BLOCK numbers,
  // drawn in one loop: the same pool `sampler.draw(mulberry32(seed))` gave, in half the time.
  const prefix = mulberry32Fill(seed >>> 0, new Float64Array(POOL * BLOCK));
  for (let b = 0; b < POOL; b++) {
    let acc = 0;
    for (let j = 0; j < BLOCK; j++) prefix[b * BLOCK + j] = acc += sampler.at(prefix[b * BLOCK + j]!);
  }
  return { prefix };
}

/** Σ of n draws: full blocks, then a prefix of one more block (the same block n + 1 would extend). */
function sumOf(pool: BlockPool, n: number, rand: () => number): number {
  const full = Math.floor(n / BLOCK);
  const rest = n - full * BLOCK;
  let total = 0;
  for (let k = 0; k < full; k++) total += pool.prefix[Math.floor(rand() * POOL) * BLOCK + BLOCK - 1]!;
  if (rest > 0) total += pool.prefix[Math.floor(rand() * POOL) * BLOCK + rest - 1]!;
  return total;
}

/** Days from today (0 = today) until n plans are done, walking simulated days block by block. */
function daysFor(pool: BlockPool, n: number, rand: () => number): number {
  let done = 0;
  let days = 0;
  while (days < MAX_DAYS) {
    const base = Math.floor(rand() * POOL) * BLOCK;
    if (done + pool.prefix[base + BLOCK - 1]! < n) {
      done += pool.prefix[base + BLOCK - 1]!;
      days += BLOCK;
      continue;
    }
    let j = 0;
    while (done + pool.prefix[base + j]! < n) j++;
    return Math.min(MAX_DAYS, days + j);
  }
  return MAX_DAYS;
}

/** Nearest-rank P50 and P85. */
function percentiles(values: Float64Array): Range {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
  return { p50: at(0.5), p85: at(0.85) };
}

function mapRange(r: Range, f: (n: number) => number): Range {
  return { p50: f(r.p50), p85: f(r.p85) };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** A 32-bit seed for stream `k` of simulated future `i` (murmur3 finaliser). */
function mix(seed: number, i: number, k: number): number {
  let h = (seed ^ Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(k, 0x85ebca77)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
