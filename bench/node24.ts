/**
 * The same bench on Node 24: the supported minimum (20) and the current release can differ by
 * a factor on startup (24 has the on-disk compile cache), so `npm run bench` prints figures for
 * both. Node 24 comes from the npm registry's prebuilt `node-<platform>-<arch>` package (the
 * binary is in the tarball; no install script downloads anything), installed once into the user
 * cache, as `.ci/run` does for its second leg. Skipped with a notice when it cannot be fetched.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { benchCacheDir } from './lib.ts';

export function node24(log: (m: string) => void): string | { missing: string } {
  const pkg = `node-${process.platform}-${process.arch}`;
  const prefix = join(benchCacheDir(), `${pkg}@24`);
  const bin = join(prefix, 'node_modules', pkg, 'bin', 'node');
  if (existsSync(bin)) return bin;
  mkdirSync(prefix, { recursive: true });
  log(`node24: installing ${pkg}@24 into ${prefix}`);
  const r = spawnSync('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-save', '--no-package-lock', `${pkg}@24`], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0 || !existsSync(bin)) return { missing: `npm install ${pkg}@24 failed (registry unreachable?): ${(r.stderr || '').split('\n')[0]}` };
  return bin;
}

/** Runs this bench again under Node 24 with the same arguments; its table is printed as it comes. */
export function rerunOnNode24(script: string, argv: readonly string[], cwd: string, log: (m: string) => void): void {
  const bin = node24(log);
  if (typeof bin !== 'string') {
    log(`node24: skipped — ${bin.missing}`);
    return;
  }
  log(`node24: the same benchmarks on ${bin}`);
  // Children spawned by the benchmarks use process.execPath, so they run on Node 24 too.
  spawnSync(bin, ['--import', 'tsx', script, ...argv, '--no-node24'], { cwd, stdio: 'inherit' });
}
