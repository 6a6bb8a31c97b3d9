/**
 * Runs a `cairn` command inside the test process: the same `main()` the binary's entry calls, with
 * stdout and stderr captured and the exit code returned, as `cairn()` in cli.ts does with a child
 * process. Corpus acceptance tests run hundreds of commands over large projects; a child process
 * each paid Node's startup and a cold (unoptimised) parse every time — most of those suites' minutes.
 * Use it where the command's behaviour is the point; the tests of the binary itself (exit on a
 * signal, startup, the bundle) keep spawning it. Calls must not overlap (they share the process's
 * streams), which holds for tests of one file, run one after another.
 */
import { main, report } from '../../src/cli/main.ts';
import type { CliResult } from './cli.ts';

let running = false;

export async function cairnInProcess(args: string[], opts: { env?: Record<string, string> } = {}): Promise<CliResult> {
  if (running) throw new Error('cairnInProcess: calls must not overlap (they capture the shared stdout/stderr)');
  running = true;
  const out: string[] = [];
  const err: string[] = [];
  const capture = (into: string[]) =>
    ((chunk: string | Uint8Array, encoding?: unknown, cb?: unknown) => {
      into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const done = typeof encoding === 'function' ? encoding : cb;
      if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
      return true;
    }) as typeof process.stdout.write;
  const saved = { out: process.stdout.write, err: process.stderr.write, exitCode: process.exitCode };
  const env = { NO_COLOR: '1', ...opts.env };
  const savedEnv = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  process.stdout.write = capture(out);
  process.stderr.write = capture(err);
  let code: number;
  try {
    code = await main(args);
  } catch (e) {
    code = report(e);
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    process.exitCode = saved.exitCode;
    for (const [k, v] of Object.entries(savedEnv)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    running = false;
  }
  return { code, stdout: out.join(''), stderr: err.join('') };
}
