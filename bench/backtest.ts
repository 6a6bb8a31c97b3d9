/**
 * `npm run backtest`: does forecast() tell the truth on real history? For every corpus repository
 * with at least MIN_PLANS completed plans that carry a completion date (SUMMARY `completed`, a
 * `Completed:` line, or the ledger), cut the history at 50 % of those plans (by completion time),
 * forecast — from the history before the cut only — when the plans after it are done, and compare
 * with the date the last of them really completed. The corpus holds no git history, so "the plans
 * known at the cut" are the plans completed after it (the roadmap as it was at the cut is not
 * recoverable). Prints per repository the P50 error (forecast − actual, days) and whether the
 * actual date fell within P85, then the share within P85 and the median absolute P50 error.
 *
 *   node --import tsx bench/backtest.ts [--json] [--half-life DAYS] [corpus-dir]
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadWorkspace } from '../src/workspace/index.ts';
import { planHistory, type CompletedPlan, type PlanHistory } from '../src/derive/plan-history.ts';
import { forecastScope } from '../src/derive/forecast.ts';

export const MIN_PLANS = 20;
const DAY_MS = 86_400_000;

export interface BacktestRow {
  repo: string;
  datedPlans: number;
  /** Plans before the cut (history) and after it (forecast). */
  history: number;
  forecastPlans: number;
  cut: string;
  actualDays: number;
  p50Days: number | null;
  p85Days: number | null;
  /** forecast P50 − actual, days (negative: too optimistic). */
  p50Error: number | null;
  withinP85: boolean | null;
}

export interface BacktestSummary {
  rows: BacktestRow[];
  skipped: { repo: string; datedPlans: number }[];
  withinP85: { hits: number; total: number; share: number | null };
  medianAbsP50Error: number | null;
  halfLifeDays: number | null;
}

/** The history as it was at the cut: the first half of the dated completions. */
export function cutHistory(h: PlanHistory): { past: PlanHistory; future: CompletedPlan[]; cutAt: number } | null {
  const dated = h.completed.filter((c) => c.at !== null).sort((a, b) => a.at! - b.at!);
  if (dated.length < 2) return null;
  const k = Math.ceil(dated.length / 2);
  const past = dated.slice(0, k);
  const future = dated.slice(k);
  const cutAt = past[k - 1]!.at!;
  // A phase counts as finished at the cut when none of its plans completes after it.
  const later = new Set(future.map((c) => c.phase));
  const sizes = new Map<string, number>();
  for (const c of past) if (!later.has(c.phase)) sizes.set(c.phase, (sizes.get(c.phase) ?? 0) + 1);
  return { past: { completed: past, started: [], phaseSizes: [...sizes.values()] }, future, cutAt };
}

export async function backtestRepo(root: string, repo: string, halfLifeDays: number | null): Promise<BacktestRow | { skipped: number }> {
  const ws = await loadWorkspace(root);
  const h = planHistory(ws);
  const datedPlans = h.completed.filter((c) => c.at !== null).length;
  if (datedPlans < MIN_PLANS) return { skipped: datedPlans };
  const cut = cutHistory(h)!;
  const f = forecastScope({ knownPlans: cut.future.length, unknownPhases: [] }, cut.past, { now: new Date(cut.cutAt), recentHalfLifeDays: halfLifeDays });
  const day = (ms: number) => Math.floor(ms / DAY_MS);
  const actualDays = day(cut.future.at(-1)!.at!) - day(cut.cutAt);
  const p50 = f.completion?.days.p50 ?? null;
  const p85 = f.completion?.days.p85 ?? null;
  return {
    repo,
    datedPlans,
    history: cut.past.completed.length,
    forecastPlans: cut.future.length,
    cut: new Date(cut.cutAt).toISOString().slice(0, 10),
    actualDays,
    p50Days: p50,
    p85Days: p85,
    p50Error: p50 === null ? null : p50 - actualDays,
    withinP85: p85 === null ? null : actualDays <= p85,
  };
}

export async function backtest(corpusDir: string, repos: string[], halfLifeDays: number | null = null): Promise<BacktestSummary> {
  const rows: BacktestRow[] = [];
  const skipped: BacktestSummary['skipped'] = [];
  for (const repo of repos) {
    const r = await backtestRepo(join(corpusDir, repo), repo, halfLifeDays);
    if ('skipped' in r) skipped.push({ repo, datedPlans: r.skipped });
    else rows.push(r);
  }
  const judged = rows.filter((r) => r.withinP85 !== null);
  const hits = judged.filter((r) => r.withinP85).length;
  const errors = rows.filter((r) => r.p50Error !== null).map((r) => Math.abs(r.p50Error!)).sort((a, b) => a - b);
  const mid = errors.length >> 1;
  const median = errors.length === 0 ? null : errors.length % 2 ? errors[mid]! : (errors[mid - 1]! + errors[mid]!) / 2;
  return { rows, skipped, withinP85: { hits, total: judged.length, share: judged.length ? hits / judged.length : null }, medianAbsP50Error: median, halfLifeDays };
}

export function corpusRepoNames(corpusDir: string): string[] {
  return readdirSync(corpusDir)
    .filter((n) => n.includes('__') && statSync(join(corpusDir, n)).isDirectory())
    .sort();
}

export function formatBacktest(s: BacktestSummary): string {
  const head = ['repository', 'dated plans', 'cut', 'forecast plans', 'actual (d)', 'P50 (d)', 'P85 (d)', 'P50 error (d)', 'within P85'];
  const body = s.rows.map((r) => [
    r.repo, String(r.datedPlans), r.cut, String(r.forecastPlans), String(r.actualDays),
    r.p50Days === null ? '—' : String(r.p50Days), r.p85Days === null ? '—' : String(r.p85Days),
    r.p50Error === null ? '—' : (r.p50Error > 0 ? `+${r.p50Error}` : String(r.p50Error)),
    r.withinP85 === null ? '—' : r.withinP85 ? 'yes' : 'no',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const share = s.withinP85.share === null ? '—' : `${Math.round(100 * s.withinP85.share)} %`;
  return [
    line(head),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...body.map(line),
    '',
    `within P85: ${s.withinP85.hits}/${s.withinP85.total} = ${share} (target ≥ 80 %) · median |P50 error|: ${s.medianAbsP50Error ?? '—'} days · recency half-life: ${s.halfLifeDays ?? 'none'}`,
    `skipped (< ${MIN_PLANS} dated completed plans): ${s.skipped.map((x) => `${x.repo} (${x.datedPlans})`).join(', ') || 'none'}`,
  ].join('\n');
}

async function main(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const hl = argv.indexOf('--half-life');
  const halfLife = hl >= 0 ? Number(argv[hl + 1]) : null;
  if (halfLife !== null && !(halfLife > 0)) throw new Error('--half-life takes a number of days > 0');
  const rest = argv.filter((a, i) => !a.startsWith('--') && (hl < 0 || i !== hl + 1));
  const here = resolve(fileURLToPath(new URL('..', import.meta.url)));
  const corpus = resolve(rest[0] ?? process.env.CAIRN_CORPUS ?? join(here, '../shared/corpus'));
  if (!existsSync(join(corpus, 'INDEX.md'))) {
    process.stderr.write(`backtest: no corpus at ${corpus} (pass its folder or set CAIRN_CORPUS)\n`);
    process.exitCode = 2;
    return;
  }
  const s = await backtest(corpus, corpusRepoNames(corpus), halfLife);
  process.stdout.write(json ? `${JSON.stringify(s, null, 2)}\n` : `${formatBacktest(s)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main(process.argv.slice(2));
