/**
 * Benchmarks of issue 10: forecast() with 10,000 simulated futures on the synthetic 20,000-plan
 * project (target ≤ 50 ms; baseline: derive() on the same workspace, measured in the same run),
 * and the burn-up over a 5,000-commit `.planning/` history generated with `git fast-import` in a
 * temp folder (baseline: spawning `git --version`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_SIZE, generateProject } from './generate.ts';
import { type BenchEntry, type BenchRow, formatNumber, median, repeat, skipped, timed } from './lib.ts';
import { loadWorkspace } from '../src/workspace/index.ts';
import { readGitHistory } from '../src/workspace/git-history.ts';
import { derive } from '../src/derive/index.ts';
import { planHistory, readPlanHistory } from '../src/derive/plan-history.ts';
import { forecast } from '../src/derive/forecast.ts';
import { burnup } from '../src/derive/burnup.ts';

const RUNS = 7;
const NOW = new Date('2026-06-01T12:00:00Z');

export const forecastBench: BenchEntry = {
  name: 'forecast',
  async run(ctx) {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-fc-'));
    try {
      ctx.log(`forecast: generating ${BENCH_SIZE.phases} phases × ${BENCH_SIZE.plansPerPhase} plans`);
      await generateProject(dir, { ...BENCH_SIZE, seed: 1 });
      const ws = await loadWorkspace(dir);
      const state = derive(ws, NOW);
      const history = planHistory(ws);
      const deriveMs = median(await repeat(() => derive(ws, NOW), RUNS, 1));
      const historyMs = median(await repeat(() => readPlanHistory(ws), RUNS, 1));
      let last = forecast(state, history, { now: NOW, samples: 10_000 });
      const fcMs = median(await repeat(() => (last = forecast(state, history, { now: NOW, samples: 10_000 })), RUNS, 1));
      return [
        { bench: 'forecast', measure: 'derive (20,000 plans)', value: deriveMs, unit: 'ms', note: 'baseline (plan history read once per workspace, cached)' },
        { bench: 'forecast', measure: 'planHistory', value: historyMs, unit: 'ms', note: `uncached; ${history.completed.length.toLocaleString('en-US')} completed plans` },
        {
          bench: 'forecast', measure: 'forecast(), 10,000 samples', value: fcMs, unit: 'ms',
          note: `${formatNumber(fcMs / deriveMs, 2)}× derive; target ≤ 50 ms; ${last.remaining.knownPlans.toLocaleString('en-US')} plans left, P50 ${last.completion?.p50 ?? '—'}`,
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/** A fast-import stream: `commits` commits, one per hour, each adding a PLAN (or its SUMMARY) file; every 50th touches ROADMAP.md. */
export function historyStream(commits: number): string {
  const parts: string[] = [];
  const t0 = Date.UTC(2025, 0, 1) / 1000;
  const blob = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  for (let i = 0; i < commits; i++) {
    const plan = Math.floor(i / 2) + 1;
    const phase = Math.floor((plan - 1) / 10) + 1;
    const id = `${String(phase).padStart(2, '0')}-${String(((plan - 1) % 10) + 1).padStart(2, '0')}`;
    const file = `.planning/phases/${String(phase).padStart(2, '0')}-p${phase}/${id}-${i % 2 === 0 ? 'PLAN' : 'SUMMARY'}.md`;
    const when = t0 + i * 3600;
    parts.push(`commit refs/heads/main\nmark :${i + 1}\ncommitter Bench <bench@example.com> ${when} +0000\n${blob(`commit ${i}`)}`);
    if (i > 0) parts.push(`from :${i}\n`);
    parts.push(`M 100644 inline ${file}\n${blob(`# ${id}\n`)}`);
    if (i % 50 === 0) parts.push(`M 100644 inline .planning/ROADMAP.md\n${blob(`# Roadmap\n\n- [ ] **Phase ${phase}: P${phase}**\n`)}`);
    parts.push('\n');
  }
  return parts.join('');
}

export const burnupBench: BenchEntry = {
  name: 'burnup',
  async run(ctx) {
    if (spawnSync('git', ['--version']).status !== 0) return [skipped('burnup', 'burnup over 5,000 commits', 'git not found')];
    const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-bu-'));
    try {
      ctx.log('burnup: generating a 5,000-commit history with git fast-import');
      const git = (args: string[], input?: string) => {
        const r = spawnSync('git', args, { cwd: dir, input, stdio: ['pipe', 'ignore', 'pipe'], maxBuffer: 1 << 28 });
        if (r.status !== 0) throw new Error(`git ${args[0]} failed: ${r.stderr}`);
      };
      git(['init', '-q', '-b', 'main']);
      const { ms: genMs } = await timed(() => git(['fast-import', '--quiet'], historyStream(5000)));
      git(['checkout', '-q', '-f', 'main']);
      const ws = await loadWorkspace(dir);
      const baseMs = median(await repeat(() => spawnSync('git', ['--version']), RUNS, 1));
      let commits = 0;
      const readMs = median(await repeat(async () => (commits = (await readGitHistory(dir))!.commits.length), RUNS, 1));
      const history = (await readGitHistory(dir))!;
      let points = 0;
      const seriesMs = median(await repeat(() => (points = burnup(ws, history, NOW).points.length), RUNS, 1));
      const rows: BenchRow[] = [
        { bench: 'burnup', measure: 'generate 5,000 commits (fast-import)', value: genMs, unit: 'ms', note: 'not a budget' },
        { bench: 'burnup', measure: 'spawn git --version', value: baseMs, unit: 'ms', note: 'baseline' },
        { bench: 'burnup', measure: 'readGitHistory (one git log pass)', value: readMs, unit: 'ms', note: `${formatNumber(readMs / baseMs, 1)}× spawn; ${commits.toLocaleString('en-US')} commits` },
        { bench: 'burnup', measure: 'burnup() series', value: seriesMs, unit: 'ms', note: `${points} daily points` },
        { bench: 'burnup', measure: 'read + series', value: readMs + seriesMs, unit: 'ms', note: `${formatNumber((readMs + seriesMs) / baseMs, 1)}× spawn` },
      ];
      return rows;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
