/** Runs the built CLI (dist/cairn.cjs, the executable npm installs) as a real child process, as a user would. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, cpSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { corpusDir, corpusRepos, corpusSeeds, repoRoot } from './corpus.ts';

export const bin = join(repoRoot, 'dist', 'cairn.cjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function cairn(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: opts.cwd ?? repoRoot,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(prefix = 'cairn-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes `files` (relative path → content) under a new temp project and returns its root. */
export function tempProject(files: Record<string, string | Uint8Array>): string {
  const root = tempDir();
  for (const [rel, content] of Object.entries(files)) {
    const abs = join(root, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  return root;
}

/** Copies a corpus repository (its `.planning/`) into a temp project. */
export function copyProject(src: string): string {
  const root = tempDir();
  cpSync(src, root, { recursive: true });
  return root;
}

export function remove(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface ProjectCase {
  name: string;
  /** Creates the temp project and returns its root; the caller removes it. */
  make: () => string;
}

/** Every corpus repository as a temp copy, and every seed alone as `.planning/STATE.md`. */
export function corpusProjectCases(): ProjectCase[] {
  return [
    ...corpusRepos().map((repo) => ({ name: repo, make: () => copyProject(join(corpusDir!, repo)) })),
    ...corpusSeeds().map((seed) => ({ name: `seed ${basename(seed).slice(0, 3)}`, make: () => tempProject({ '.planning/STATE.md': readFileSync(seed) }) })),
  ];
}
