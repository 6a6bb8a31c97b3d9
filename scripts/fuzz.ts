/**
 * `npm run fuzz [-- --runs N] [-- --seed S] [-- --path P]`: the fuzz property of test/fuzz/ over
 * 100,000 cases (default). Prints progress to stderr, then one line on stdout:
 *   fuzz: 100000 cases, no failure (seed S)
 * or the failing case's seed and path (to replay it with --seed S --path P), the shrunk case and
 * the error. Exit 1 on a failure.
 */
import fc from 'fast-check';
import { performance } from 'node:perf_hooks';
import { caseArb, checkCase, describeCase, loadCorpus } from '../test/fuzz/harness.ts';

function option(name: string): string | undefined {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(`--${name}`);
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

const runs = Number(option('runs') ?? 100_000);
const seed = Number(option('seed') ?? Date.now() % 2 ** 31);
const path = option('path');
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
  process.stderr.write('usage: npm run fuzz -- [--runs N] [--seed S] [--path P]\n');
  process.exit(2);
}

const corpus = loadCorpus();
if (corpus.samples.length === 0) {
  process.stderr.write('fuzz: the corpus was not found (../shared/corpus or CAIRN_CORPUS); nothing to fuzz\n');
  process.exit(2);
}
const started = performance.now();
let done = 0;
const every = Math.max(1, Math.floor(runs / 20));
const property = fc.asyncProperty(caseArb(corpus), async (c) => {
  done++;
  if (done % every === 0) process.stderr.write(`fuzz: ${done} cases run, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  await checkCase(corpus, c);
});
process.stderr.write(`fuzz: ${corpus.samples.length} files of ${corpus.projects.length} projects, ${runs} cases, seed ${seed}${path ? `, path ${path}` : ''}\n`);
const result = await fc.check(property, { numRuns: runs, seed, ...(path ? { path } : {}) });
const seconds = ((performance.now() - started) / 1000).toFixed(0);
if (!result.failed) {
  process.stdout.write(`fuzz: ${result.numRuns} cases, no failure (seed ${seed}, ${seconds} s)\n`);
} else {
  const shrunk = result.counterexample?.[0];
  process.stdout.write(
    `fuzz: FAILED after ${result.numRuns} of ${runs} cases (seed ${seed}, path ${result.counterexamplePath ?? '?'}, ${seconds} s)\n` +
      `  case: ${shrunk ? describeCase(corpus, shrunk) : '?'}\n` +
      `  error: ${result.errorInstance instanceof Error ? result.errorInstance.stack ?? result.errorInstance.message : String(result.errorInstance)}\n` +
      `  replay: npm run fuzz -- --seed ${seed} --path ${result.counterexamplePath ?? ''} --runs 1\n`,
  );
  process.exitCode = 1;
}
