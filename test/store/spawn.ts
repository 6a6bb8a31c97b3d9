/** Runs the fixtures under test/store/fixtures/ as real child processes. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../support/corpus.ts';

export const fixtures = join(repoRoot, 'test/store/fixtures');

/** Environment for children: no NODE_EXTRA_CA_CERTS (costs ~80 ms per start, no network is used). */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

export interface Worker {
  child: ChildProcess;
  /** Everything the child printed on stdout so far. */
  out(): string;
  /** Resolves once stdout contains `text`. */
  waitFor(text: string): Promise<void>;
  /** Resolves with the exit code (or signal name) when the child ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** `node --import tsx <fixture> ...args`, or `node <script>` when `script` is already JavaScript. */
export function startWorker(script: string, args: string[], env: Record<string, string> = {}): Worker {
  const argv = script.endsWith('.ts') ? ['--import', 'tsx', join(fixtures, script), ...args] : [script, ...args];
  const child = spawn(process.execPath, argv, { cwd: repoRoot, env: childEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    for (const w of [...waiters]) {
      if (stdout.includes(w.text)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
  return {
    child,
    out: () => stdout,
    waitFor: (text) =>
      new Promise<void>((resolve, reject) => {
        if (stdout.includes(text)) return resolve();
        waiters.push({ text, resolve });
        void exited.then((r) => reject(new Error(`worker exited (${r.code ?? r.signal}) before printing "${text}": ${r.stderr.slice(0, 2000)}`)));
      }),
    exited,
  };
}
