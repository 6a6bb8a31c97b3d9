/**
 * Cairn against the tool it replaces, in the same run: GSD's own CLI (`gsd-tools.cjs` of the
 * published get-shit-done-cc release, fetched once with `npm pack` into the user cache — never a
 * dependency, never in the repository) on the same temp copies. Interleaved rounds, medians.
 * Skipped with a notice when the registry cannot be reached.
 */
import { RACY_MS } from '../src/workspace/signature.ts';
import { classify, isRead } from '../src/workspace/entry.ts';
import { listTree } from '../src/workspace/load.ts';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateProject } from './generate.ts';
import { type BenchEntry, type BenchRow, benchCacheDir, formatNumber, interleave, median, skipped, walkFiles } from './lib.ts';

const GSD = 'get-shit-done-cc@1.42.3';
const ROUNDS = 7;

function gsdTools(log: (m: string) => void): string | { missing: string } {
  const dir = join(benchCacheDir(), GSD);
  const bin = join(dir, 'package', 'get-shit-done', 'bin', 'gsd-tools.cjs');
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  log(`gsd: fetching ${GSD} with npm pack into ${dir}`);
  const pack = spawnSync('npm', ['pack', GSD, '--silent', '--pack-destination', dir], { encoding: 'utf8', timeout: 120_000 });
  const tgz = pack.status === 0 ? pack.stdout.trim().split('\n').pop()! : '';
  if (!tgz) return { missing: `npm pack ${GSD} failed (registry unreachable?): ${(pack.stderr || '').split('\n')[0]}` };
  const untar = spawnSync('tar', ['xzf', join(dir, tgz), '-C', dir]);
  return untar.status === 0 && existsSync(bin) ? bin : { missing: `could not unpack ${tgz}` };
}

function run(args: string[], env: Record<string, string> = {}): string {
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${args.slice(0, 3).join(' ')} exited ${r.status}: ${r.stderr.split('\n')[0]}`);
  return r.stderr;
}

export const gsdBench: BenchEntry = {
  name: 'gsd',
  async run(ctx) {
    const tools = gsdTools(ctx.log);
    if (typeof tools !== 'string') {
      ctx.log(`gsd: skipped — ${tools.missing}`);
      return [skipped('gsd', 'GSD baseline', tools.missing)];
    }
    const cli = join(ctx.repoRoot, 'dist/cairn.cjs');
    const fsyncs = join(ctx.repoRoot, 'bench/fsync-count.mjs');
    const readFloor = join(ctx.repoRoot, 'bench/read-floor.mjs');
    const work = mkdtempSync(join(tmpdir(), 'cairn-bench-gsd-'));
    const rows: BenchRow[] = [];
    try {
      const projects: { name: string; make: (dir: string) => Promise<void> | void }[] = [
        { name: 'examples/moonlight', make: (d) => cpSync(join(ctx.repoRoot, 'examples/moonlight'), d, { recursive: true }) },
      ];
      if (ctx.corpusDir) {
        const corpus = ctx.corpusDir;
        const largest = readdirSync(corpus).filter((n) => n.includes('__')).map((n) => ({ n, files: walkFiles(join(corpus, n)).length })).sort((a, b) => b.files - a.files)[0]!;
        projects.push({ name: `${largest.n} (${largest.files} files)`, make: (d) => cpSync(join(corpus, largest.n), d, { recursive: true }) });
      }
      projects.push({ name: 'generated 300 phases × 10 plans', make: async (d) => void (await generateProject(d, { phases: 300, plansPerPhase: 10, seed: 1 })) });
      const xdg = join(work, 'xdg');
      for (const [i, p] of projects.entries()) {
        const dir = join(work, `p${i}`);
        await p.make(dir);
        ctx.log(`gsd: ${p.name}, ${ROUNDS} interleaved rounds`);
        const readList = join(work, `p${i}.read`);
        // The files status reads: the loader's own listing, filtered by its own classification.
        const { listing } = await listTree(dir);
        writeFileSync(readList, listing.files.filter((rel) => { const k = classify(rel); return k !== null && isRead(k); }).join('\n'));
        // "Unchanged" means older than the racy window (src/workspace/signature.ts): a tree written
        // just now is verified by content, as git's index does, and its answer is not kept yet.
        await new Promise((r) => setTimeout(r, RACY_MS + 100));
        run([cli, 'status', dir, '--json'], { XDG_CACHE_HOME: xdg }); // builds the parse cache and keeps the answer
        const s = await interleave(
          {
            node: () => run(['-e', '0']),
            gsdState: () => run([tools, 'state', 'json', '--cwd', dir]),
            gsdProgress: () => run([tools, 'progress', 'json', '--cwd', dir]),
            floor: () => run([readFloor, dir, readList]),
            cold: () => run([cli, 'status', dir, '--json'], { CAIRN_NO_CACHE: '1' }),
            warm: () => run([cli, 'status', dir, '--json'], { XDG_CACHE_HOME: xdg }),
          },
          ROUNDS,
          1,
        );
        const m = (k: string) => median(s[k]!);
        rows.push(
          { bench: 'gsd', measure: `${p.name}: GSD state json`, value: m('gsdState'), unit: 'ms', note: '' },
          { bench: 'gsd', measure: `${p.name}: GSD progress json`, value: m('gsdProgress'), unit: 'ms', note: 'baseline' },
          { bench: 'gsd', measure: `${p.name}: list and read every file, parse nothing`, value: m('floor'), unit: 'ms', note: `${formatNumber(m('floor') / m('gsdProgress'), 2)}× GSD progress json: the floor under a cold status (bench/read-floor.mjs)` },
          { bench: 'gsd', measure: `${p.name}: cairn status --json, cold (CAIRN_NO_CACHE=1)`, value: m('cold'), unit: 'ms', note: `${formatNumber(m('cold') / m('gsdProgress'), 2)}× GSD progress json (target ≤ 1.0×)` },
          { bench: 'gsd', measure: `${p.name}: cairn status --json, unchanged tree`, value: m('warm'), unit: 'ms', note: `${formatNumber(m('warm') / m('node'), 2)}× node -e 0 (${formatNumber(m('node'), 0)} ms; target ≤ 1.15×)` },
        );
      }
      // Writes: one decision each, on separate copies of the example.
      const a = join(work, 'decide-gsd');
      const b = join(work, 'decide-cairn');
      cpSync(join(ctx.repoRoot, 'examples/moonlight'), a, { recursive: true });
      cpSync(join(ctx.repoRoot, 'examples/moonlight'), b, { recursive: true });
      run([cli, 'adopt', b]);
      let k = 0;
      let fsyncCount = -1;
      const s = await interleave(
        {
          gsd: () => run([tools, 'state', 'add-decision', '--summary', `GSD decision ${k++}`, '--cwd', a]),
          cairn: () => run([cli, 'decide', '--dir', b, `Cairn decision ${k++}`]),
        },
        ROUNDS,
        1,
      );
      // Counted in separate, untimed runs: the counting preload is not part of what is measured.
      const countFsyncs = (args: string[]) => Number(/cairn-bench-fsyncs=(\d+)/.exec(run(['--import', fsyncs, cli, ...args]))?.[1] ?? -1);
      fsyncCount = countFsyncs(['decide', '--dir', b, 'Counted decision']);
      rows.push(
        { bench: 'gsd', measure: 'GSD state add-decision', value: median(s.gsd!), unit: 'ms', note: 'baseline' },
        { bench: 'gsd', measure: 'cairn decide', value: median(s.cairn!), unit: 'ms', note: `${formatNumber(median(s.cairn!) / median(s.gsd!), 2)}× GSD (target ≤ 1.0×); ${fsyncCount} fsyncs per decision` },
      );
      // fsyncs of the other kinds of operation (one file, several files, a folder created, a ledger event only).
      const ops: [string, string[]][] = [
        ['todo add', ['todo', 'add', 'Counted todo', '--dir', b]],
        ['block', ['block', 'Counted blocker', '--dir', b]],
        ['plan start', ['plan', 'start', '03-02', '--dir', b]],
        ['phase insert', ['phase', 'insert', '3', 'Counted phase', '--dir', b]],
      ];
      for (const [name, args] of ops) {
        rows.push({ bench: 'gsd', measure: `fsyncs: cairn ${name}`, value: countFsyncs(args), unit: 'n', note: 'each orders a step of the transaction protocol (ARCHITECTURE.md)' });
      }
      return rows;
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
};
