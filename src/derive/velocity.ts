/**
 * Velocity: durations of completed plans. One formula: average = total ÷ plans with a known
 * duration (never copied from prose); trend = mean of the last five vs the five before them.
 */
import type { Trend, Velocity, VelocityPhase } from './types.ts';

export interface DurationSample {
  phase: string;
  phaseName: string | null;
  planId: string;
  minutes: number | null;
  /** Completion timestamp (epoch ms) when known, used for ordering. */
  at: number | null;
  /** From a phase archived with an earlier milestone: counted in the totals, not listed by phase (ids repeat across milestones). */
  archived?: boolean;
}

export function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** < −15 % improving (plans got faster), > +15 % degrading, else stable; fewer than six samples: not enough data. */
export function trendOf(minutes: number[]): Trend {
  if (minutes.length < 6) return 'not enough data';
  const last = minutes.slice(-5);
  const before = minutes.slice(-10, -5);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const base = mean(before);
  if (base === 0) return 'stable';
  const change = (mean(last) - base) / base;
  return change < -0.15 ? 'improving' : change > 0.15 ? 'degrading' : 'stable';
}

/** Samples must be in completion order (oldest first). */
export function velocityFromSamples(samples: DurationSample[]): Velocity | null {
  if (samples.length === 0) return null;
  const timed = samples.filter((s): s is DurationSample & { minutes: number } => s.minutes !== null);
  const total = timed.reduce((a, s) => a + s.minutes, 0);
  const byPhase = new Map<string, VelocityPhase & { timed: number }>();
  for (const s of samples) {
    if (s.archived) continue;
    const row = byPhase.get(s.phase) ?? { phase: s.phase, name: s.phaseName, plans: 0, totalMinutes: 0, averageMinutes: null, timed: 0 };
    row.plans++;
    if (s.minutes !== null) {
      row.totalMinutes += s.minutes;
      row.timed++;
    }
    byPhase.set(s.phase, row);
  }
  return {
    plansCompleted: samples.length,
    averageMinutes: timed.length ? round1(total / timed.length) : null,
    totalMinutes: round1(total),
    byPhase: [...byPhase.values()].map(({ timed: n, ...row }) => ({
      ...row,
      totalMinutes: round1(row.totalMinutes),
      averageMinutes: n ? round1(row.totalMinutes / n) : null,
    })),
    recent: timed.slice(-5).map((s) => ({ planId: s.planId, minutes: round1(s.minutes) })),
    trend: trendOf(timed.map((s) => s.minutes)),
  };
}
