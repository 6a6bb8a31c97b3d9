/**
 * Small pieces shared by the benchmarks. A benchmark is one `BenchEntry`: it measures, returns rows
 * and never asserts; budgets are printed beside the figures for a human to judge.
 */
import { readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export interface BenchRow {
  bench: string;
  measure: string;
  /** Median (or the single figure); null when the measure was skipped. */
  value: number | null;
  unit: string;
  /** Ratio to a baseline, a budget, counts, or why the row was skipped. */
  note: string;
}

export interface BenchContext {
  repoRoot: string;
  /** Absolute path of the shared corpus, null when absent. */
  corpusDir: string | null;
  /** Progress and notices go to stderr so stdout holds only the results. */
  log(message: string): void;
}

export interface BenchEntry {
  name: string;
  run(ctx: BenchContext): Promise<BenchRow[]>;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Wall time of one call, in milliseconds. */
export async function time(fn: () => unknown): Promise<number> {
  return (await timed(fn)).ms;
}

/** Wall time of one call and what it returned (awaited). */
export async function timed<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/**
 * Runs every task once per round, in the same order each round, and returns each task's times (ms).
 * Interleaving spreads machine noise (other processes, CPU frequency, page cache) evenly over the
 * tasks being compared, which back-to-back batches would not. `warmup` rounds run first and are dropped.
 */
export async function interleave(
  tasks: Record<string, () => unknown>,
  rounds: number,
  warmup = 0,
): Promise<Record<string, number[]>> {
  const names = Object.keys(tasks);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < warmup + rounds; round++) {
    for (const name of names) {
      const ms = await time(tasks[name]!);
      if (round >= warmup) samples[name]!.push(ms);
    }
  }
  return samples;
}

/** Medians of `runs` sequential calls after `warmup` dropped calls. */
export async function repeat(fn: () => unknown, runs: number, warmup = 0): Promise<number[]> {
  return (await interleave({ fn }, runs, warmup)).fn!;
}

export function formatNumber(value: number | null, digits = 1): string {
  if (value === null || !Number.isFinite(value)) return '-';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A plain-text table; columns whose cells all look numeric are right-aligned. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => /^[-+]?[\d,.]+[x%×]?$|^-$/.test(r[i] ?? '')));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map((r) => line(headers.map((_, i) => r[i] ?? '')))].join('\n');
}

export function formatRows(rows: readonly BenchRow[]): string {
  return formatTable(
    ['bench', 'measure', 'median', 'unit', 'note'],
    rows.map((r) => [r.bench, r.measure, formatNumber(r.value, r.unit === 'MB/s' || r.unit === 'ms' ? 1 : 0), r.unit, r.note]),
  );
}

export function skipped(bench: string, measure: string, why: string): BenchRow {
  return { bench, measure, value: null, unit: '', note: `skipped: ${why}` };
}

/**
 * Imports one export of a repository module that may not exist yet (modules are written in
 * parallel); returns null with the reason instead of failing the whole run.
 */
export async function importOptional<T>(url: URL, exportName: string): Promise<{ value: T } | { missing: string }> {
  try {
    const mod = (await import(url.href)) as Record<string, unknown>;
    const value = mod[exportName];
    if (typeof value !== 'function') return { missing: `${exportName} is not exported by ${url.pathname}` };
    return { value: value as T };
  } catch (e) {
    return { missing: `cannot import ${url.pathname}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
  }
}

/** Every regular file below `dir`, recursively, sorted. */
export function walkFiles(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) visit(p);
      else if (entry.isFile()) out.push(p);
    }
  };
  visit(dir);
  return out.sort();
}

export function megabytesPerSecond(bytes: number, ms: number): number {
  return bytes / 1e6 / (ms / 1000);
}

/** Where the bench keeps what it fetches (GSD's release, a second Node): the user cache, never the repository. */
export function benchCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'cairn', 'bench');
}
