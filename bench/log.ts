/**
 * `cairn log` over a 10,000-event ledger (every event kind, 50 phases, a month of history):
 * parsing the ledger's lines alone is the baseline; then load + logOf in process, logOf alone with
 * filters, and the built CLI end to end against `node -e 0`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import type { Workspace } from '../src/workspace/types.ts';
import { type BenchEntry, type BenchRow, formatNumber, importOptional, median, repeat, skipped } from './lib.ts';

export const LOG_EVENTS = 10_000;
const RUNS = 5;
const src = (rel: string) => new URL(`../src/${rel}`, import.meta.url);

type LoadWorkspace = (root: string) => Promise<Workspace>;
type LogOf = (ws: Workspace, query?: { kinds?: readonly string[]; since?: Date | null; phase?: string | null; limit?: number | null }) => { total: number; entries: unknown[] };

/** `n` ledger lines cycling through every event kind, ids and times increasing (one per 4 minutes). */
export function ledgerText(n: number, start = Date.UTC(2026, 0, 1)): string {
  const lines: string[] = [];
  const pad = (k: number, w: number) => String(k).padStart(w, '0');
  for (let i = 0; i < n; i++) {
    const at = new Date(start + i * 240_000).toISOString();
    // Ids sort like the real ones (time first); a fixed-width counter keeps them unique.
    const id = `B${pad(i, 25)}`;
    const phase = String(1 + (i % 50));
    const plan = `${pad(Number(phase), 2)}-${pad(1 + (Math.floor(i / 50) % 9), 2)}`;
    const k = i % 12;
    const body =
      k === 0 ? { type: 'decision.recorded', text: `Decision ${i}: keep the cache warm`, tag: plan, rationale: 'measured' }
      : k === 1 ? { type: 'plan.started', plan, phase }
      : k === 2 ? { type: 'plan.completed', plan, phase, minutes: 10 + (i % 30) }
      : k === 3 ? { type: 'blocker.raised', blocker: `b${i}`, text: `Blocker ${i}`, group: 'Infrastructure' }
      : k === 4 ? { type: 'blocker.resolved', blocker: `b${i - 1}` }
      : k === 5 ? { type: 'todo.added', todo: `t${i}`, text: `Todo ${i}` }
      : k === 6 ? { type: 'todo.done', todo: `t${i - 1}` }
      : k === 7 ? { type: 'session.saved', stoppedAt: `Stopped in ${plan}`, plan }
      : k === 8 ? { type: 'phase.completed', phase }
      : k === 9 ? { type: 'phase.metrics', phase, plans: 3, totalMinutes: 45, source: 'adopt' }
      : k === 10 ? { type: 'milestone.started', milestone: `v${i}`, name: 'Next' }
      : { type: 'milestone.completed', milestone: `v${i - 1}` };
    lines.push(JSON.stringify({ id, at, source: 'cli', ...body }));
  }
  return `${lines.join('\n')}\n`;
}

/** Median wall time of `node ARGS` over RUNS runs after one warm-up; a failing command throws. */
function spawnMedian(args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${String(r.stderr).split('\n')[0]}`);
    if (i > 0) times.push(performance.now() - t);
  }
  return median(times);
}

export const logBench: BenchEntry = {
  name: 'log',
  async run(ctx) {
    const load = await importOptional<LoadWorkspace>(src('workspace/index.ts'), 'loadWorkspace');
    const log = await importOptional<LogOf>(src('views/log.ts'), 'logOf');
    if ('missing' in load) return [skipped('log', 'cairn log', load.missing)];
    if ('missing' in log) return [skipped('log', 'cairn log', log.missing)];
    const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-log-'));
    try {
      mkdirSync(join(dir, '.planning'));
      writeFileSync(join(dir, '.planning/ROADMAP.md'), `# Roadmap\n\n${Array.from({ length: 50 }, (_, i) => `- [ ] **Phase ${i + 1}: Part ${i + 1}**`).join('\n')}\n`);
      const ledger = join(dir, '.planning/events.jsonl');
      writeFileSync(ledger, ledgerText(LOG_EVENTS));
      const events = LOG_EVENTS.toLocaleString('en-US');
      ctx.log(`log: ${events}-event ledger, ${RUNS} runs each`);
      const rows: BenchRow[] = [];

      const parseMs = median(await repeat(() => { for (const l of readFileSync(ledger, 'utf8').split('\n')) if (l) JSON.parse(l); }, RUNS, 1));
      rows.push({ bench: 'log', measure: `read + JSON.parse ${events} lines`, value: parseMs, unit: 'ms', note: 'baseline' });

      let total = 0;
      const allMs = median(await repeat(async () => { total = log.value(await load.value(dir)).total; }, RUNS, 1));
      rows.push({ bench: 'log', measure: 'loadWorkspace + logOf (all)', value: allMs, unit: 'ms', note: `${formatNumber(allMs / parseMs, 2)}× baseline; ${total.toLocaleString('en-US')} entries` });

      const ws = await load.value(dir);
      const since = new Date(Date.UTC(2026, 0, 20));
      const filteredMs = median(await repeat(() => { total = log.value(ws, { kinds: ['decision'], since, phase: '7', limit: 20 }).total; }, RUNS, 1));
      rows.push({ bench: 'log', measure: 'logOf decisions --since --phase --limit 20', value: filteredMs, unit: 'ms', note: `${total} matching; workspace already loaded` });

      const cli = join(ctx.repoRoot, 'dist/cairn.cjs');
      if (!existsSync(cli)) {
        rows.push(skipped('log', 'cairn log --json', 'dist/cairn.cjs missing (run npm run build)'));
        return rows;
      }
      const nodeMs = spawnMedian(['-e', '0']);
      const cliMs = spawnMedian([cli, 'log', dir, '--json']);
      const limitMs = spawnMedian([cli, 'log', dir, '--limit', '20']);
      rows.push({ bench: 'log', measure: 'node -e 0', value: nodeMs, unit: 'ms', note: 'baseline' });
      rows.push({ bench: 'log', measure: `cairn log --json (${events} entries)`, value: cliMs, unit: 'ms', note: `${formatNumber(cliMs / nodeMs, 2)}× node` });
      rows.push({ bench: 'log', measure: 'cairn log --limit 20', value: limitMs, unit: 'ms', note: `${formatNumber(limitMs / nodeMs, 2)}× node` });
      return rows;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
