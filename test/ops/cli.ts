/**
 * The built CLI for the operation tests, run as real child processes. The tests run for a while
 * and other engineers rebuild dist/ meanwhile, so each test file runs a private copy of dist/,
 * taken when no build is in progress (same file list and sizes before and after the copy).
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/corpus.ts';
import { cairnInProcess } from '../support/cli-in-process.ts';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function listing(dir: string): string {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      const st = statSync(p);
      if (st.isDirectory()) walk(p, `${rel}${n}/`);
      else out.push(`${rel}${n}:${st.size}:${st.mtimeMs}`);
    }
  };
  walk(dir, '');
  return out.join('\n');
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

let snapshot: string | null = null;

/** Path of the private copy of dist/cairn.cjs (made on first use). */
export function bin(): string {
  if (snapshot) return join(snapshot, 'cairn.cjs');
  const dist = join(repoRoot, 'dist');
  for (let attempt = 0; attempt < 60; attempt++) {
    try {
      if (!existsSync(join(dist, 'cairn.cjs'))) throw new Error('no build');
      const before = listing(dist);
      const copy = mkdtempSync(join(tmpdir(), 'cairn-dist-'));
      cpSync(dist, copy, { recursive: true });
      if (listing(dist) === before && existsSync(join(copy, 'cairn.cjs'))) {
        snapshot = copy;
        return join(copy, 'cairn.cjs');
      }
      rmSync(copy, { recursive: true, force: true });
    } catch {
      // a build is under way (dist/ removed or being written): wait for it to finish
    }
    if (attempt === 30) spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'ignore' });
    sleep(500);
  }
  throw new Error('dist/cairn.cjs is not available: run `npm run build`');
}

export function releaseBin(): void {
  if (snapshot) rmSync(snapshot, { recursive: true, force: true });
  snapshot = null;
}

const env = () => ({ ...process.env, NO_COLOR: '1', CAIRN_LOCK_TIMEOUT_MS: '120000' });

/** Runs `cairn …` synchronously; arguments may be raw bytes (invalid UTF-8 tests). */
export function cairn(args: (string | Buffer)[], opts: { cwd?: string; input?: string | Buffer } = {}): Run {
  const r = spawnSync(process.execPath, [bin(), ...(args as string[])], {
    cwd: opts.cwd ?? repoRoot,
    encoding: 'utf8',
    env: env(),
    input: opts.input,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `cairn …` as a child process without blocking, for the concurrency tests. */
export function cairnAsync(args: string[], opts: { cwd?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin(), ...args], { cwd: opts.cwd ?? repoRoot, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/**
 * Runs `cairn …` in the test process (same `main()` as the binary, output captured), with the
 * environment `cairn()` gives its child. For cases whose point is the command's behaviour: a child
 * process per case costs 0.3–0.9 s of Node startup and cold parsing. Cases that need the process
 * itself (stdin, cwd, raw-byte arguments, locks across processes, signals) keep `cairn()`; each
 * file keeps at least one spawned case so the built binary stays covered. Calls must not overlap.
 */
export function cairnIn(args: string[]): Promise<Run> {
  return cairnInProcess(args, { env: { CAIRN_LOCK_TIMEOUT_MS: '120000' } });
}

/** `cairnIn()`, except that a case with a raw-byte argument spawns: only a real argv carries bytes that are not UTF-8. */
export async function cairnInUnlessBytes(args: (string | Buffer)[]): Promise<Run> {
  return args.every((a) => typeof a === 'string') ? cairnIn(args as string[]) : cairn(args);
}

export function json(r: Run): Record<string, any> {
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, any>;
}
