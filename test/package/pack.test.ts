/**
 * The published package: `npm pack` gives a tarball of what runs (no sources, no tests), which
 * installs into an empty prefix with install scripts off and no build step, and whose `cairn`
 * answers `status --json` on a corpus repository exactly as the development build does.
 */
import { describe, expect, it, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cairn, remove, tempDir } from '../support/cli.ts';
import { corpusDir, hasCorpus, repoRoot } from '../support/corpus.ts';

const work = tempDir('cairn-pack-');
afterAll(() => remove(work));

function npm(args: string[], cwd: string) {
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' } });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}

describe.skipIf(!hasCorpus())('npm package cairn-planning', () => {
  it('packs only what runs, installs with --ignore-scripts into an empty prefix, and runs status --json', () => {
    expect(existsSync(join(repoRoot, 'dist', 'cairn.cjs')), 'run `npm run build` first').toBe(true);
    // --ignore-scripts: the tarball is made from the dist/ this run tests; prepublishOnly builds before publishing.
    const packed = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], repoRoot))[0];
    expect(packed.name).toBe('cairn-planning');
    const paths: string[] = packed.files.map((f: { path: string }) => f.path);
    expect(paths).toContain('dist/cairn.cjs');
    expect(paths).toContain('dist/cairn.mjs');
    for (const p of paths) expect(p, `${p} is not needed at run time`).toMatch(/^(dist\/.+\.mjs|dist\/cairn\.cjs|package\.json|README\.md|LICENSE)$/);

    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    expect(manifest.bin).toEqual({ cairn: 'dist/cairn.cjs' });
    expect(Object.keys(manifest.scripts ?? {}).filter((s) => /^(pre|post)?install$/.test(s))).toEqual([]);

    const prefix = join(work, 'prefix');
    npm(['install', '--prefix', prefix, '--ignore-scripts', '--prefer-offline', '--no-save', '--no-package-lock', join(work, packed.filename)], work);
    const installed = join(prefix, 'node_modules', '.bin', 'cairn');
    expect(existsSync(installed)).toBe(true);

    const repo = join(corpusDir!, 'mbarnson__caseycraps');
    const env = { ...process.env, NO_COLOR: '1', CAIRN_NO_CACHE: '1' };
    const r = spawnSync(installed, ['status', '--json', repo], { cwd: work, encoding: 'utf8', env });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const fromPackage = JSON.parse(r.stdout);
    const fromBuild = JSON.parse(cairn(['status', '--json', repo], { env: { CAIRN_NO_CACHE: '1' } }).stdout);
    expect(fromPackage.schemaVersion).toBe(1);
    expect(fromPackage.root).toBe(repo);
    expect(fromPackage).toEqual(fromBuild);
    const version = spawnSync(installed, ['--version'], { encoding: 'utf8' });
    expect(version.stdout.trim()).toBe(manifest.version);
  }, 120_000);
});
