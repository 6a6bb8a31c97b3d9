/**
 * SIGKILL the real binary (`node dist/cairn.cjs`) at random moments of `phase insert` and `plan
 * done` on a copy of a corpus repository. After every kill:
 *  - every file of the copy holds exactly its old or its new content (each file is replaced
 *    atomically, even while the transaction is half applied), and the workspace reads losslessly;
 *  - the next command (`cairn sync`, which takes the lock, takes over the dead holder's lock and
 *    recovers the journal) exits 0 and leaves the whole tree exactly all-old or all-new: the
 *    transaction was rolled back or forward, nothing of Cairn's machinery is left behind;
 *  - every 10th kill, `cairn status --json` and `cairn check` complete as on the untouched copy.
 *
 * The new content is computed by running the same command uninterrupted on a fresh copy. To make
 * it reproducible, every child runs with a preload that freezes `new Date()` (Date.now stays real:
 * lock ages and deadlines need a moving clock) and seeds Math.random with src/model/random.ts's
 * mulberry32 (ledger ids draw their random part from it). It lives in test/cli/ because it needs
 * the built binary, which is what `npm run test:fast` leaves out.
 * Reproduce a failure with CAIRN_TEST_SEED=<seed printed in the failure>.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin } from '../support/cli.ts';
import { corpusDir, hasCorpus, walkFiles } from '../support/corpus.ts';
import { childEnv } from '../store/spawn.ts';
import { mulberry32 } from '../../src/model/random.ts';
import { loadWorkspace } from '../../src/workspace/index.ts';

const KILLS = 200;
const LANES = 2;
const REPO = '4qan__ClinicSoftware';
const COMMANDS: { name: string; args: string[] }[] = [
  { name: 'phase insert', args: ['phase', 'insert', '16', 'Crash-proof printing'] },
  { name: 'plan done', args: ['plan', 'done', '16-01'] },
];
const SEED = Number(process.env.CAIRN_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
const FROZEN = '2026-03-04T05:06:07.000Z';

type Tree = Map<string, string>;

let work = '';
let env: NodeJS.ProcessEnv = {};
/** The synced copy every kill starts from. */
let oldDir = '';
let oldTree: Tree = new Map();
const newTrees: Tree[] = [];
const durations: number[] = [];
let baseline = { check: -1 };

function treeOf(root: string): Tree {
  const out: Tree = new Map();
  for (const f of walkFiles(root)) out.set(relative(root, f).split(sep).join('/'), readFileSync(f, 'latin1'));
  return out;
}

function run(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string; ms: number } {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--import', join(work, 'frozen.mjs'), bin, ...args], { cwd, env, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - t };
}

function ok(args: string[], cwd: string): number {
  const r = run(args, cwd);
  expect(r.code, `cairn ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.ms;
}

// CI's second leg (another Node version) sets this: a 1-2 minute durability check of the built
// binary is not about the Node version, and the first leg has just run it. It shows as skipped.
const skipLeg = process.env.CAIRN_SKIP_BINARY_CRASH === '1';
if (skipLeg) console.log('[crash test, real binary] skipped: CAIRN_SKIP_BINARY_CRASH=1 (run on the first CI leg)');
const describeCorpus = hasCorpus() && !skipLeg ? describe : describe.skip;

beforeAll(() => {
  if (!corpusDir || skipLeg) return;
  work = mkdtempSync(join(tmpdir(), 'cairn-crash-bin-'));
  // The preload: a frozen `new Date()`, and Math.random from the project's own seeded PRNG.
  writeFileSync(
    join(work, 'frozen.mjs'),
    `const mulberry32 = ${mulberry32.toString()};\n` +
      `Math.random = mulberry32(${SEED});\n` +
      `const Real = Date; const at = Real.parse(${JSON.stringify(FROZEN)});\n` +
      `globalThis.Date = class extends Real { constructor(...a) { if (a.length === 0) super(at); else super(...a); } static now() { return Real.now(); } };\n`,
  );
  env = childEnv({ NO_COLOR: '1', XDG_CACHE_HOME: join(work, 'cache'), CAIRN_LOCK_TIMEOUT_MS: '30000' });
  oldDir = join(work, 'old');
  cpSync(join(corpusDir, REPO), oldDir, { recursive: true });
  // Synced first, so `sync` (the recovering command) has nothing of its own to change.
  ok(['sync', oldDir], work);
  oldTree = treeOf(oldDir);
  baseline = { check: run(['check', oldDir], work).code ?? -1 };
  for (const [i, c] of COMMANDS.entries()) {
    const dir = join(work, `new-${i}`);
    cpSync(oldDir, dir, { recursive: true });
    const first = ok([...c.args, '--dir', dir], work);
    newTrees.push(treeOf(dir));
    // A second, warm run on another copy: the first pays for cold disk and compile caches.
    const again = join(work, `again-${i}`);
    cpSync(oldDir, again, { recursive: true });
    durations.push(Math.min(first, ok([...c.args, '--dir', again], work)));
    expect(treeOf(again), `${c.name}: the frozen clock and seeded ids make runs identical`).toEqual(newTrees[i]);
    ok(['sync', dir], work);
    expect(treeOf(dir), `${c.name}: sync after it changes nothing`).toEqual(newTrees[i]);
    expect(newTrees[i]).not.toEqual(oldTree);
  }
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/**
 * Kills `cairn <args>` `delayMs` after its start, or, with `lock`, `delayMs` after that lock file
 * appears (the lock, load, render and commit: a machine slower than when the duration was
 * measured still gets kills there). Resolves with whether it had already finished.
 */
function killAfter(args: string[], cwd: string, delayMs: number, lock?: string): Promise<'killed' | 'finished'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', join(work, 'frozen.mjs'), bin, ...args], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    let timer = lock ? undefined : setTimeout(() => child.kill('SIGKILL'), delayMs);
    const poll = lock
      ? setInterval(() => {
          if (!existsSync(lock)) return;
          clearInterval(poll);
          timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
        }, 1)
      : undefined;
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearInterval(poll);
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0) resolve('finished');
      else reject(new Error(`cairn ${args.join(' ')} exited ${code}: ${stderr}`));
    });
  });
}

const MACHINERY = /(^|\/)\.cairn(\.lock|-journal\.json|-tx-|\.lock\.takeover)|\.cairn-tmp-/;

describeCorpus(`the real binary under SIGKILL (${REPO})`, () => {
  it(`${KILLS} kills of phase insert and plan done: every file old or new, the next command recovers (seed ${SEED})`, async () => {
    const random = mulberry32(SEED);
    const tally = { killed: 0, finished: 0, midTransaction: 0, leftovers: 0, recovered: 0, endedOld: 0, endedNew: 0 };
    // Half the kills at any moment of the run; half while it holds the lock (within 30 % of its
    // duration after the lock appears), so many land inside the transaction and some let it finish.
    const plans = Array.from({ length: KILLS }, (_, i) => {
      const cmd = i % COMMANDS.length;
      const d = durations[cmd]!;
      return { i, cmd, inLock: i % 4 >= 2, delayMs: i % 4 < 2 ? random() * d : random() * 0.3 * d };
    });

    const lane = async (lane: number): Promise<void> => {
      const dir = join(work, `lane-${lane}`);
      cpSync(oldDir, dir, { recursive: true });
      for (const p of plans.filter((q) => q.i % LANES === lane)) {
        const c = COMMANDS[p.cmd]!;
        const newTree = newTrees[p.cmd]!;
        const where = `seed ${SEED}, kill ${p.i} (${c.name} ${p.delayMs.toFixed(0)} ms after ${p.inLock ? 'taking the lock' : 'its start'})`;
        tally[await killAfter([...c.args, '--dir', dir], work, p.delayMs, p.inLock ? join(dir, '.planning/.cairn.lock') : undefined)]++;

        // Right after the kill: each file is complete, old or new; only Cairn's own files besides.
        const now = treeOf(dir);
        let mixed = false;
        let machinery = false;
        for (const [path, text] of now) {
          if (MACHINERY.test(path)) {
            machinery = true;
            continue;
          }
          const o = oldTree.get(path);
          const n = newTree.get(path);
          expect(text === o || text === n, `${where}: ${path} holds neither its old nor its new content`).toBe(true);
          if (o !== n && text === n) mixed = true;
        }
        for (const path of oldTree.keys()) {
          if (!now.has(path)) expect(newTree.has(path), `${where}: ${path} vanished`).toBe(false);
        }
        if (machinery) tally.leftovers++;
        if (mixed && machinery) tally.midTransaction++;
        const ws = await loadWorkspace(dir);
        expect(ws.diagnostics.filter((d) => d.rule === 'lossless-read'), where).toEqual([]);

        // The next command takes over the lock, recovers, and leaves all-old or all-new. A kill
        // that left the tree exactly old or new and nothing of Cairn's (before the lock, or after
        // the release) leaves it nothing to do; it runs there only on the sampled kills.
        const settled = !machinery && (equal(now, oldTree) || equal(now, newTree));
        if (!settled || p.i % 10 === 0) {
          const sync = run(['sync', dir], work);
          expect(sync.code, `${where}: next command: ${sync.stderr}`).toBe(0);
          if (machinery) tally.recovered++;
        }
        const after = settled ? now : treeOf(dir);
        const isOld = equal(after, oldTree);
        const isNew = equal(after, newTree);
        expect(isOld || isNew, `${where}: after recovery the tree is neither all-old nor all-new: ${differences(after, oldTree, newTree)}`).toBe(true);
        if (p.i % 10 === 0) {
          expect(run(['status', '--json', dir], work).code, `${where}: status`).toBe(0);
          expect(run(['check', dir], work).code, `${where}: check`).toBe(baseline.check);
        }
        if (isNew) {
          tally.endedNew++;
          rmSync(dir, { recursive: true, force: true });
          cpSync(oldDir, dir, { recursive: true });
        } else tally.endedOld++;
      }
    };
    await Promise.all(Array.from({ length: LANES }, (_, i) => lane(i)));

    console.log(`[crash test, real binary] seed ${SEED}: ${JSON.stringify(tally)}; uninterrupted runs ${durations.map((d) => d.toFixed(0)).join('/')} ms`);
    // The kills must land on both sides of the commit point and inside it, or this proves nothing.
    // How many land at all depends on the machine's load now against when the durations were
    // measured (a run that got faster finishes before its kill): a quarter is far from chance.
    expect(tally.killed).toBeGreaterThan(KILLS / 4);
    expect(tally.endedOld).toBeGreaterThan(10);
    expect(tally.endedNew).toBeGreaterThan(10);
    // Kills with the lock held (a dead holder to take over, maybe a journal to finish). Kills between
    // two renames of one transaction (midTransaction) are rare here, a few per run: the commit
    // takes milliseconds of a ~300 ms process; test/store/crash.test.ts covers every crash point.
    expect(tally.leftovers).toBeGreaterThan(10);
  }, 300_000);
});

function equal(a: Tree, b: Tree): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

function differences(now: Tree, old: Tree, next: Tree): string {
  const paths = new Set([...now.keys(), ...old.keys(), ...next.keys()]);
  const out: string[] = [];
  for (const p of paths) {
    const v = now.get(p);
    out.push(`${p}: ${v === undefined ? 'absent' : v === old.get(p) && v === next.get(p) ? 'same' : v === old.get(p) ? 'old' : v === next.get(p) ? 'new' : 'other'}`);
  }
  return out.filter((l) => !l.endsWith('same')).join(', ');
}
