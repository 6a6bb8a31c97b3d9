/**
 * `npm run bench`: builds, then measures what users feel and prints one table (medians, ratios,
 * budgets). Never asserts and writes nothing into the repository; `--json` also prints the rows as
 * JSON. A benchmark is one entry of `entries`; pass names to run only some (`bench/run.ts startup`).
 * Then the same run on Node 24 (bench/node24.ts) unless this is Node 24 or `--no-node24` is given.
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Workspace } from '../src/workspace/types.ts';
import { BENCH_SIZE, generateProject } from './generate.ts';
import { burnupBench, forecastBench } from './forecast.ts';
import { logBench } from './log.ts';
import { gsdBench } from './gsd.ts';
import { webBench } from './web.ts';
import { mcpBench } from './mcp.ts';
import { rerunOnNode24 } from './node24.ts';
import {
  type BenchContext, type BenchEntry, type BenchRow, formatNumber, formatRows, importOptional, interleave,
  median, megabytesPerSecond, repeat, skipped, timed, walkFiles,
} from './lib.ts';

type LoadWorkspace = (root: string) => Promise<Workspace>;
type Derive = (workspace: Workspace) => unknown;
interface ParsedDoc {
  readonly blocks: unknown;
  readonly frontmatter: unknown;
  sections(): unknown;
}
type ParseMarkdown = (text: string) => ParsedDoc;

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const src = (rel: string) => new URL(`../src/${rel}`, import.meta.url);
const STARTUP_ROUNDS = 20;
const RUNS = 5;

const startup: BenchEntry = {
  name: 'startup',
  async run(ctx) {
    const cli = join(ctx.repoRoot, 'dist/cairn.cjs');
    if (!existsSync(cli)) return [skipped('startup', 'cairn status --json', 'dist/cairn.cjs missing (run npm run build)')];
    const exits: Record<string, Set<number | null>> = {};
    const node = (name: string, args: string[], env: Record<string, string> = {}) => () => {
      const r = spawnSync(process.execPath, args, { cwd: ctx.repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
      (exits[name] ??= new Set()).add(r.status);
    };
    ctx.log(`startup: ${STARTUP_ROUNDS} interleaved rounds of 4 commands`);
    const samples = await interleave(
      {
        'node -e 0': node('node -e 0', ['-e', '0']),
        'cairn status --json examples/moonlight': node('status', [cli, 'status', '--json', 'examples/moonlight']),
        'cold': node('cold', [cli, 'status', '--json', 'examples/moonlight'], { CAIRN_NO_CACHE: '1' }),
        'cairn --version': node('version', [cli, '--version']),
      },
      STARTUP_ROUNDS,
      2,
    );
    const base = median(samples['node -e 0']!);
    const exitNote = (name: string) => {
      const codes = [...(exits[name] ?? [])].filter((c) => c !== 0);
      return codes.length ? `; exit ${codes.join('/')}` : '';
    };
    return [
      { bench: 'startup', measure: 'node -e 0', value: base, unit: 'ms', note: 'baseline' },
      {
        bench: 'startup', measure: 'cairn status --json examples/moonlight', value: median(samples['cairn status --json examples/moonlight']!),
        unit: 'ms', note: `${formatNumber(median(samples['cairn status --json examples/moonlight']!) / base, 2)}× node (target ≤ 1.15×); unchanged tree, answered from the answer cache${exitNote('status')}`,
      },
      {
        bench: 'startup', measure: 'same, CAIRN_NO_CACHE=1 (every file parsed)', value: median(samples.cold!),
        unit: 'ms', note: `${formatNumber(median(samples.cold!) / base, 2)}× node${exitNote('cold')}`,
      },
      {
        bench: 'startup', measure: 'cairn --version', value: median(samples['cairn --version']!), unit: 'ms',
        note: `${formatNumber(median(samples['cairn --version']!) / base, 2)}× node${exitNote('version')}`,
      },
    ];
  },
};

const corpusRead: BenchEntry = {
  name: 'corpus',
  async run(ctx) {
    const rows: BenchRow[] = [];
    if (!ctx.corpusDir) return [skipped('corpus', 'loadWorkspace', 'corpus not found (set CAIRN_CORPUS)')];
    const corpus = ctx.corpusDir;
    const repos = readdirSync(corpus, { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name.includes('__'))
      .map((e) => join(corpus, e.name))
      .sort();

    const load = await importOptional<LoadWorkspace>(src('workspace/index.ts'), 'loadWorkspace');
    if ('missing' in load) {
      rows.push(skipped('corpus', 'loadWorkspace', load.missing));
    } else {
      let bytes = 0;
      let files = 0;
      const loadAll = async () => {
        bytes = 0;
        files = 0;
        for (const dir of repos) {
          const ws = await load.value(dir);
          bytes += ws.bytesRead;
          files += ws.files.length;
        }
      };
      ctx.log(`corpus: loadWorkspace over ${repos.length} repositories, ${RUNS} runs`);
      const ms = median(await repeat(loadAll, RUNS, 1));
      rows.push({
        bench: 'corpus', measure: `loadWorkspace × ${repos.length} repos`, value: ms, unit: 'ms',
        note: `${formatNumber(bytes / 1e6, 1)} MB read, ${files} files`,
      });
      rows.push({ bench: 'corpus', measure: 'loadWorkspace throughput', value: megabytesPerSecond(bytes, ms), unit: 'MB/s', note: '' });
    }

    const parse = await importOptional<ParseMarkdown>(src('markdown/index.ts'), 'parseMarkdown');
    if ('missing' in parse) {
      rows.push(skipped('corpus', 'parseMarkdown', parse.missing));
    } else {
      const texts = walkFiles(corpus).filter((f) => /\.(md|markdown)$/i.test(f)).map((f) => readFileSync(f, 'utf8'));
      const bytes = texts.reduce((s, t) => s + Buffer.byteLength(t), 0);
      // The document is lazy; touch what a reader touches so the work is actually done.
      const parseAll = () => {
        for (const t of texts) {
          const doc = parse.value(t);
          void doc.frontmatter;
          void doc.blocks;
          doc.sections();
        }
      };
      ctx.log(`corpus: parseMarkdown over ${texts.length} files, ${RUNS} runs`);
      const ms = median(await repeat(parseAll, RUNS, 1));
      rows.push({
        bench: 'corpus', measure: `parseMarkdown × ${texts.length} .md files`, value: megabytesPerSecond(bytes, ms), unit: 'MB/s',
        note: `${formatNumber(ms, 1)} ms for ${formatNumber(bytes / 1e6, 1)} MB`,
      });
    }
    return rows;
  },
};

const synthetic: BenchEntry = {
  name: 'synthetic',
  async run(ctx) {
    const load = await importOptional<LoadWorkspace>(src('workspace/index.ts'), 'loadWorkspace');
    if ('missing' in load) return [skipped('synthetic', 'loadWorkspace', load.missing)];
    const derive = await importOptional<Derive>(src('derive/index.ts'), 'derive');
    const size = `${BENCH_SIZE.phases.toLocaleString('en-US')} phases × ${BENCH_SIZE.plansPerPhase} plans`;
    const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-'));
    try {
      ctx.log(`synthetic: generating ${size} into ${dir}`);
      const { ms: genMs, value: generated } = await timed(() => generateProject(dir, { ...BENCH_SIZE, seed: 1 }));
      const rows: BenchRow[] = [{
        bench: 'synthetic', measure: `generate ${size}`, value: genMs, unit: 'ms',
        note: `${generated.files} files, ${formatNumber(generated.bytes / 1e6, 1)} MB (not a budget)`,
      }];

      // Baseline: only reading the same files' bytes, so the ratio shows what parsing adds.
      const files = walkFiles(join(dir, '.planning'));
      const rawMs = median(await repeat(() => { for (const f of files) readFileSync(f); }, RUNS, 1));
      rows.push({ bench: 'synthetic', measure: `read ${files.length} files (bytes only)`, value: rawMs, unit: 'ms', note: 'baseline' });
      let found = 0;
      const loadTimes: number[] = [];
      const deriveTimes: number[] = [];
      ctx.log(`synthetic: ${RUNS} runs of loadWorkspace${'value' in derive ? ' + derive' : ''}`);
      for (let i = 0; i < RUNS; i++) {
        const loaded = await timed(() => load.value(dir));
        loadTimes.push(loaded.ms);
        found = loaded.value.phases.reduce((s, p) => s + p.plans.length, 0);
        if ('value' in derive) deriveTimes.push((await timed(() => derive.value(loaded.value))).ms);
      }
      const loadMs = median(loadTimes);
      rows.push({
        bench: 'synthetic', measure: 'loadWorkspace', value: loadMs, unit: 'ms',
        note: `${formatNumber(loadMs / rawMs, 2)}× raw read; ${found.toLocaleString('en-US')} of ${generated.plans.toLocaleString('en-US')} plans found`,
      });
      if ('value' in derive) {
        const both = median(loadTimes.map((t, i) => t + deriveTimes[i]!));
        rows.push({ bench: 'synthetic', measure: 'derive', value: median(deriveTimes), unit: 'ms', note: '' });
        rows.push({ bench: 'synthetic', measure: 'load + derive', value: both, unit: 'ms', note: 'budget ≤ 300 ms' });
      } else {
        rows.push(skipped('synthetic', 'derive', derive.missing));
      }
      // The parse cache as a long-running process uses it: first load, nothing changed, one PLAN changed.
      const { WorkspaceCache } = await import('../src/workspace/index.ts');
      // Files must be older than the racy window, or the first reuse verifies them by content.
      await new Promise((r) => setTimeout(r, 2100));
      const cache = new WorkspaceCache();
      const first = await timed(() => cache.load(dir));
      const unchanged = median(await repeat(() => cache.load(dir), RUNS));
      const plan = files.find((f) => f.endsWith('-PLAN.md'))!;
      const changed = median(await repeat(async () => {
        appendFileSync(plan, '\n');
        await cache.load(dir);
      }, RUNS));
      rows.push(
        { bench: 'synthetic', measure: 'WorkspaceCache: first load', value: first.ms, unit: 'ms', note: `${formatNumber(first.ms / rawMs, 2)}× raw read (target ≤ 3×)` },
        { bench: 'synthetic', measure: 'WorkspaceCache: nothing changed', value: unchanged, unit: 'ms', note: `${formatNumber(unchanged / rawMs, 2)}× raw read (target ≤ 0.5×)` },
        { bench: 'synthetic', measure: 'WorkspaceCache: one PLAN file changed', value: changed, unit: 'ms', note: `${formatNumber(changed / rawMs, 2)}× raw read (target ≤ 0.6×); parsed ${cache.stats.parsed}` },
        { bench: 'synthetic', measure: 'peak RSS', value: process.resourceUsage().maxRSS / 1024, unit: 'MB', note: '' },
      );
      return rows;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/** Runs the built CLI and fails loudly: a benchmark of a failing command would be meaningless. */
function runCli(cli: string, args: string[], cwd: string): void {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cairn ${args.join(' ')} exited ${r.status}: ${r.stderr.split('\n')[0]}`);
}

/** `cairn sync` on the largest corpus repository, against `cairn status` on the same copy. */
const sync: BenchEntry = {
  name: 'sync',
  async run(ctx) {
    const cli = join(ctx.repoRoot, 'dist/cairn.cjs');
    if (!ctx.corpusDir) return [skipped('sync', 'cairn sync', 'corpus not found (set CAIRN_CORPUS)')];
    const corpus = ctx.corpusDir;
    const largest = readdirSync(corpus, { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name.includes('__'))
      .map((e) => ({ name: e.name, files: walkFiles(join(corpus, e.name)).length }))
      .sort((a, b) => b.files - a.files)[0]!;
    const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-sync-'));
    try {
      cpSync(join(corpus, largest.name), dir, { recursive: true });
      ctx.log(`sync: ${largest.name} (${largest.files} files), first sync then ${RUNS} interleaved rounds`);
      const first = await timed(() => runCli(cli, ['sync', dir], ctx.repoRoot));
      const samples = await interleave(
        {
          status: () => runCli(cli, ['status', dir, '--json'], ctx.repoRoot),
          sync: () => runCli(cli, ['sync', dir], ctx.repoRoot),
        },
        RUNS,
        1,
      );
      const base = median(samples.status!);
      return [
        { bench: 'sync', measure: `cairn status --json (${largest.name})`, value: base, unit: 'ms', note: 'baseline' },
        { bench: 'sync', measure: 'cairn sync, first run (adopts, rewrites views)', value: first.ms, unit: 'ms', note: `${formatNumber(first.ms / base, 2)}× status` },
        { bench: 'sync', measure: 'cairn sync, nothing to change', value: median(samples.sync!), unit: 'ms', note: `${formatNumber(median(samples.sync!) / base, 2)}× status` },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

const DECIDES = 30;
const WRITERS = 8;

/** `cairn decide` throughput, sequential and under 8-way contention, against spawning `node -e 0`. */
const decide: BenchEntry = {
  name: 'decide',
  async run(ctx) {
    const cli = join(ctx.repoRoot, 'dist/cairn.cjs');
    const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-decide-'));
    try {
      cpSync(join(ctx.repoRoot, 'examples/moonlight'), dir, { recursive: true });
      runCli(cli, ['adopt', '--dir', dir], ctx.repoRoot);
      ctx.log(`decide: ${DECIDES} sequential, then ${WRITERS} writers × ${DECIDES / 5} at once`);
      const base = await timed(() => {
        for (let i = 0; i < DECIDES; i++) spawnSync(process.execPath, ['-e', '0']);
      });
      const seq = await timed(() => {
        for (let i = 0; i < DECIDES; i++) runCli(cli, ['decide', '--dir', dir, `Sequential decision ${i}`], ctx.repoRoot);
      });
      const perWriter = DECIDES / 5;
      const contended = await timed(() =>
        Promise.all(
          Array.from({ length: WRITERS }, (_, w) =>
            new Promise<void>((done, fail) => {
              const script = `const {spawnSync}=require('node:child_process');for(let i=0;i<${perWriter};i++){const r=spawnSync(process.execPath,[${JSON.stringify(cli)},'decide','--dir',${JSON.stringify(dir)},'Writer ${w} decision '+i]);if(r.status!==0){console.error(String(r.stderr));process.exit(1)}}`;
              const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
              child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`writer ${w} exited ${code}`))));
            }),
          ),
        ),
      );
      // Every decision must be kept: count the ledger's decision events by their texts.
      const texts = new Set(
        readFileSync(join(dir, '.planning/events.jsonl'), 'utf8').split('\n').filter(Boolean)
          .map((l) => JSON.parse(l) as { type?: string; text?: string })
          .filter((e) => e.type === 'decision.recorded').map((e) => e.text),
      );
      const expected = [
        ...Array.from({ length: DECIDES }, (_, i) => `Sequential decision ${i}`),
        ...Array.from({ length: WRITERS }, (_, w) => Array.from({ length: perWriter }, (_, i) => `Writer ${w} decision ${i}`)).flat(),
      ];
      const kept = expected.filter((t) => texts.has(t)).length;
      const nodeRate = DECIDES / (base.ms / 1000);
      const seqRate = DECIDES / (seq.ms / 1000);
      const conRate = (WRITERS * perWriter) / (contended.ms / 1000);
      return [
        { bench: 'decide', measure: 'spawn node -e 0', value: nodeRate, unit: 'ops/s', note: 'baseline' },
        { bench: 'decide', measure: 'cairn decide, sequential', value: seqRate, unit: 'ops/s', note: `${formatNumber(seqRate / nodeRate, 2)}× node spawn rate` },
        { bench: 'decide', measure: `cairn decide, ${WRITERS} writers at once`, value: conRate, unit: 'ops/s', note: `${formatNumber(conRate / seqRate, 2)}× sequential (target ≥ 1.5×); ${kept} of ${expected.length} decisions kept${kept === expected.length ? '' : ' — DECISIONS LOST'}` },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/** Add a benchmark by appending an entry here. */
export const entries: BenchEntry[] = [gsdBench, startup, corpusRead, synthetic, sync, decide, logBench, webBench, forecastBench, burnupBench, mcpBench];

async function main(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const only = argv.filter((a) => !a.startsWith('--'));
  const unknown = only.filter((n) => !entries.some((e) => e.name === n));
  if (unknown.length) {
    process.stderr.write(`bench: unknown benchmark ${unknown.join(', ')}; known: ${entries.map((e) => e.name).join(', ')}\n`);
    process.exitCode = 2;
    return;
  }
  const corpusCandidate = process.env.CAIRN_CORPUS ?? resolve(repoRoot, '../shared/corpus');
  const ctx: BenchContext = {
    repoRoot,
    corpusDir: existsSync(join(corpusCandidate, 'INDEX.md')) ? corpusCandidate : null,
    log: (m) => process.stderr.write(`· ${m}\n`),
  };
  if (!ctx.corpusDir) ctx.log(`corpus not found at ${corpusCandidate}: corpus benchmarks are skipped`);
  const rows: BenchRow[] = [];
  for (const entry of entries) {
    if (only.length && !only.includes(entry.name)) continue;
    try {
      rows.push(...(await entry.run(ctx)));
    } catch (e) {
      // One broken benchmark must not hide the others' figures.
      rows.push(skipped(entry.name, 'run', `failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`));
    }
  }
  process.stdout.write(`\ncairn bench — node ${process.version}, ${process.platform}/${process.arch}\n\n${formatRows(rows)}\n`);
  if (json) process.stdout.write(`${JSON.stringify({ node: process.version, rows }, null, 2)}\n`);
  // Figures for the current Node release too, unless this is it (or --no-node24).
  if (!argv.includes('--no-node24') && !process.version.startsWith('v24.')) {
    rerunOnNode24(fileURLToPath(import.meta.url), argv, repoRoot, ctx.log);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main(process.argv.slice(2));
