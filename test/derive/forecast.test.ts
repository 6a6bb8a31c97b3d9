/**
 * forecast(): properties over generated histories (P50 ≤ P85, monotone in remaining plans,
 * deterministic for a seed, nothing below the minimum sample), hand-checked cases, and the
 * backtest on a fixed subset of the corpus.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { join } from 'node:path';
import { forecastScope, MIN_SAMPLE, mulberry32 } from '../../src/derive/forecast.ts';
import type { PlanHistory } from '../../src/derive/plan-history.ts';
import { backtest } from '../../bench/backtest.ts';
import { mulberry32Fill } from '../../src/model/random.ts';
import { corpusDir, hasCorpus } from '../support/corpus.ts';

const DAY = 86_400_000;
const NOW = new Date('2026-03-01T12:00:00Z');
const RUNS = Number(process.env.CAIRN_PROP_RUNS ?? 40);

/** n completed plans, one every `gap` days ending the day before NOW, durations from `minutes`. */
function history(minutes: (number | null)[], gapDays: number[] = []): PlanHistory {
  let at = NOW.getTime() - DAY;
  const completed = minutes.map((m, i) => ({ planId: `01-${String(i + 1).padStart(2, '0')}`, phase: '1', minutes: m, at: 0 }));
  for (let i = completed.length - 1; i >= 0; i--) {
    completed[i]!.at = at;
    at -= (gapDays[i] ?? 0) * DAY;
  }
  return { completed, started: [], phaseSizes: [3, 4, 5] };
}

const historyArb = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 0, max: 4 })), { minLength: MIN_SAMPLE, maxLength: 60 })
  .map((rows) => history(rows.map((r) => r[0]), rows.map((r) => r[1])));

describe('forecast properties', () => {
  it('P50 ≤ P85 for work, dates and plans', () => {
    fc.assert(
      fc.property(historyArb, fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 3 }), fc.integer(), (h, known, unknown, seed) => {
        const f = forecastScope({ knownPlans: known, unknownPhases: Array.from({ length: unknown }, (_, i) => `9.${i}`) }, h, { now: NOW, seed, samples: 500 });
        expect(f.status).toBe('ok');
        expect(f.workHours!.p50).toBeLessThanOrEqual(f.workHours!.p85);
        expect(f.completion!.days.p50).toBeLessThanOrEqual(f.completion!.days.p85);
        expect(f.completion!.p50 <= f.completion!.p85).toBe(true);
        expect(f.remaining.plans!.p50).toBeLessThanOrEqual(f.remaining.plans!.p85);
      }),
      { numRuns: RUNS },
    );
  });

  it('more remaining plans never gives an earlier forecast or less work', () => {
    fc.assert(
      fc.property(historyArb, fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 200 }), fc.integer(), (h, known, extra, seed) => {
        const opts = { now: NOW, seed, samples: 400 };
        const a = forecastScope({ knownPlans: known, unknownPhases: [] }, h, opts);
        const b = forecastScope({ knownPlans: known + extra, unknownPhases: [] }, h, opts);
        expect(b.completion!.days.p50).toBeGreaterThanOrEqual(a.completion!.days.p50);
        expect(b.completion!.days.p85).toBeGreaterThanOrEqual(a.completion!.days.p85);
        expect(b.workHours!.p50).toBeGreaterThanOrEqual(a.workHours!.p50);
        expect(b.workHours!.p85).toBeGreaterThanOrEqual(a.workHours!.p85);
      }),
      { numRuns: RUNS },
    );
  });

  it('without a half-life gives what equal weights give (the uniform draw is the weighted one with all weights 1)', () => {
    fc.assert(
      fc.property(historyArb, fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 2 }), fc.integer(), (h, known, unknown, seed) => {
        const scope = { knownPlans: known, unknownPhases: Array.from({ length: unknown }, (_, i) => `9.${i}`) };
        const uniform = forecastScope(scope, h, { now: NOW, seed, samples: 300 });
        // An infinite half-life weighs every plan and day 0.5 ** 0 = 1, through the weighted sampler.
        const weighted = forecastScope(scope, h, { now: NOW, seed, samples: 300, recentHalfLifeDays: Infinity });
        expect({ ...weighted, inputs: { ...weighted.inputs, recentHalfLifeDays: null } }).toEqual(uniform);
      }),
      { numRuns: RUNS },
    );
  });

  it('is deterministic for a seed and now; another seed may differ', () => {
    fc.assert(
      fc.property(historyArb, fc.integer({ min: 1, max: 300 }), fc.integer(), (h, known, seed) => {
        const run = () => forecastScope({ knownPlans: known, unknownPhases: ['7'] }, h, { now: NOW, seed, samples: 300 });
        expect(run()).toEqual(run());
      }),
      { numRuns: RUNS },
    );
    // Wide spread of durations: two seeds give different P85s on a small sample count.
    const h = history([1, 500, 3, 400, 7, 300, 2, 600, 5, 250]);
    const outs = new Set([1, 2, 3, 4, 5].map((seed) => forecastScope({ knownPlans: 3, unknownPhases: [] }, h, { now: NOW, seed, samples: 50 }).workHours!.p85));
    expect(outs.size).toBeGreaterThan(1);
  });

  it('gives no forecast below the minimum sample, and says why', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 600 }), { minLength: 0, maxLength: MIN_SAMPLE - 1 }), fc.integer({ min: 1, max: 50 }), (mins, known) => {
        const f = forecastScope({ knownPlans: known, unknownPhases: [] }, history(mins), { now: NOW, samples: 100 });
        expect(f.status).toBe('not enough data');
        expect(f.workHours).toBeNull();
        expect(f.completion).toBeNull();
        expect(f.notes.join(' ')).toContain(`${MIN_SAMPLE} needed`);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('forecast cases', () => {
  it('a constant history gives an exact answer', () => {
    // 10 plans of 30 min, one per day: 6 more plans are 3 h and finish on the 6th simulated day (today + 5).
    const h = history(Array(10).fill(30), Array(10).fill(1));
    const f = forecastScope({ knownPlans: 6, unknownPhases: [] }, h, { now: NOW, seed: 1, samples: 200 });
    expect(f.workHours).toEqual({ p50: 3, p85: 3 });
    expect(f.completion).toEqual({ p50: '2026-03-06', p85: '2026-03-06', days: { p50: 5, p85: 5 } });
    expect(f.inputs).toMatchObject({ durations: 10, datedPlans: 10, calendarDays: 10, activeDays: 10, plansPerActiveDay: 1, medianMinutes: 30 });
  });

  it('idle days in the history slow the dates down; durations alone do not', () => {
    const busy = history(Array(10).fill(30), Array(10).fill(1));
    const idle = history(Array(10).fill(30), Array(10).fill(3)); // one plan every third day
    const a = forecastScope({ knownPlans: 6, unknownPhases: [] }, busy, { now: NOW, samples: 500 });
    const b = forecastScope({ knownPlans: 6, unknownPhases: [] }, idle, { now: NOW, samples: 500 });
    expect(b.workHours).toEqual(a.workHours);
    expect(b.completion!.days.p50).toBeGreaterThan(a.completion!.days.p50 * 2);
    expect(b.inputs.activeDays).toBe(10);
    expect(b.inputs.calendarDays).toBe(28);
  });

  it('estimates phases without a plan count from finished phases and flags them', () => {
    const h = { ...history(Array(10).fill(60), Array(10).fill(1)), phaseSizes: [4, 4, 4] };
    const f = forecastScope({ knownPlans: 2, unknownPhases: ['5', '6'] }, h, { now: NOW, samples: 100 });
    expect(f.remaining).toEqual({ knownPlans: 2, estimatedPhases: ['5', '6'], plans: { p50: 10, p85: 10 } });
    expect(f.workHours).toEqual({ p50: 10, p85: 10 });
    expect(f.notes.some((n) => n.includes('estimated') && n.includes('5, 6'))).toBe(true);
    // No finished phase to estimate from: no number.
    const none = forecastScope({ knownPlans: 2, unknownPhases: ['5'] }, { ...h, phaseSizes: [] }, { now: NOW, samples: 100 });
    expect(none.status).toBe('not enough data');
    expect(none.remaining.plans).toBeNull();
  });

  it('nothing left is done, not a forecast', () => {
    const f = forecastScope({ knownPlans: 0, unknownPhases: [] }, history(Array(10).fill(30)), { now: NOW });
    expect(f.status).toBe('done');
  });

  it('mulberry32 is uniform enough', () => {
    const r = mulberry32(42);
    const bins = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) bins[Math.floor(r() * 10)]++;
    for (const b of bins) expect(Math.abs(b - 10_000)).toBeLessThan(500);
  });

  it('mulberry32Fill writes the numbers mulberry32 yields, in order', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 300 }), (seed, n) => {
        const r = mulberry32(seed);
        const expected = Array.from({ length: n }, () => r());
        expect(Array.from(mulberry32Fill(seed, new Float64Array(n)))).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});

describe.runIf(hasCorpus())('backtest on a fixed corpus subset', () => {
  it('forecasts each repository from the first half of its history', async () => {
    const repos = ['jushyi__Flick', 'gannonh__macrokinetic', 'VitalPointAI__Hopper', 'AllTheMachines__Faceplate', 'mbarnson__caseycraps'];
    const s = await backtest(corpusDir!, repos);
    // caseycraps has no completion dates: skipped, not guessed.
    expect(s.skipped).toEqual([{ repo: 'mbarnson__caseycraps', datedPlans: 0 }]);
    const by = Object.fromEntries(s.rows.map((r) => [r.repo, r]));
    expect(Object.keys(by).sort()).toEqual(['AllTheMachines__Faceplate', 'VitalPointAI__Hopper', 'gannonh__macrokinetic', 'jushyi__Flick']);
    for (const r of s.rows) {
      expect(r.history + r.forecastPlans).toBe(r.datedPlans);
      expect(r.history).toBe(Math.ceil(r.datedPlans / 2));
      expect(r.p50Days).not.toBeNull();
      expect(r.p50Error).toBe(r.p50Days! - r.actualDays);
      expect(r.withinP85).toBe(r.actualDays <= r.p85Days!);
    }
    // Flick: steady work, the forecast lands on the day; Faceplate paused after the cut: missed.
    expect(Math.abs(by['jushyi__Flick']!.p50Error!)).toBeLessThanOrEqual(2);
    expect(by['jushyi__Flick']!.withinP85).toBe(true);
    expect(by['AllTheMachines__Faceplate']!.withinP85).toBe(false);
    expect(s.withinP85.total).toBe(4);
  });
});
