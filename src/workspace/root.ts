/**
 * Finding the project root. Kept apart from the loader so a command can locate a project (and
 * check its cache) without loading every reader.
 *
 * From a folder Cairn walks up to the first folder holding `.planning/`, stopping at the top of
 * the git worktree it is in (a folder with a `.git` entry). Which `.planning/` is authoritative
 * (README, "Branches and worktrees"): the one of the worktree you are in — each worktree is its
 * branch's state, and branches meet by merging. Only a worktree with no `.planning/` at all
 * falls back to the first worktree of `git worktree list` that has one at the same place.
 *
 * Git is read from its files (`.git` → `gitdir:` → `commondir`, as git itself resolves them), so
 * finding a project costs no child process; `git worktree list --porcelain` runs only for the
 * fallback above.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../model/errors.ts';

export const PLANNING = '.planning';

/** Where a project sits in git, when it does. */
export interface GitPlace {
  /** Top of the worktree holding the project. */
  worktree: string;
  /** The worktree's own git folder (`.git`, or `.git/worktrees/<name>` for a linked worktree). */
  gitDir: string;
  /** The folder every worktree of this checkout shares (`git rev-parse --git-common-dir`). */
  commonDir: string;
  /** The project root relative to the worktree top, `/`-separated ('' at the top). */
  prefix: string;
}

/** Finds the project root for `dir`: the folder holding `.planning/` (or `dir` itself when it is `.planning`). */
export async function findRoot(dir: string): Promise<string> {
  return findRootSync(dir, fromOtherWorktree);
}

/**
 * The same, synchronously, with the other-worktree fallback (a child process) left to the caller:
 * the launcher finds the project and its kept answer with a handful of stat calls and without
 * loading node:child_process; when only the fallback would find it, the full command does.
 */
export function findRootSync(dir: string, otherWorktree: (top: string, sub: string) => string | null = () => null): string {
  const abs = resolve(dir);
  if (isDirSync(join(abs, PLANNING))) return abs;
  if (basename(abs) === PLANNING && isDirSync(abs)) return dirname(abs);
  if (!isDirSync(abs)) {
    throw new UsageError(`${dir} is not a directory`, 'pass the folder of a project that has a .planning/ folder');
  }
  for (let d = abs; ; ) {
    if (d !== abs && isDirSync(join(d, PLANNING))) return d;
    if (hasGitEntry(d)) {
      const other = otherWorktree(d, relative(d, abs));
      if (other) return other;
      break;
    }
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  throw new UsageError(
    `no .planning/ folder in ${dir}`,
    `run \`cairn status <project-dir>\` on a project that has one, or \`cairn init\` to start one`,
  );
}

/** The git worktree and common folder of `root`, or null outside git. */
export function gitPlace(root: string): GitPlace | null {
  for (let d = resolve(root); ; ) {
    const g = gitDirsOf(d);
    if (g) return { worktree: d, ...g, prefix: relative(d, resolve(root)).split(sep).join('/') };
    const up = dirname(d);
    if (up === d) return null;
    d = up;
  }
}

/**
 * The lock file for the project at `root`: inside git, `<common git dir>/cairn/<place>.lock`, one
 * file for every worktree of the checkout (so two worktrees never write at once, and ids handed
 * out in one are seen by the next); outside git, null (the store's `.planning/.cairn.lock`).
 */
export function sharedLockPath(root: string): string | null {
  const place = gitPlace(root);
  if (!place) return null;
  const name = place.prefix === '' ? 'planning' : `${place.prefix.replace(/[^A-Za-z0-9._-]/g, '_')}.planning`;
  return join(place.commonDir, 'cairn', `${name}.lock`);
}

function hasGitEntry(d: string): boolean {
  try {
    statSync(join(d, '.git'));
    return true;
  } catch {
    return false;
  }
}

/** `.git` as a folder, or a `gitdir:` file (linked worktrees, submodules); `commondir` names the shared one. */
function gitDirsOf(d: string): { gitDir: string; commonDir: string } | null {
  const entry = join(d, '.git');
  let gitDir: string;
  try {
    const st = statSync(entry);
    if (st.isDirectory()) gitDir = entry;
    else {
      const m = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(entry, 'utf8'));
      if (!m) return null;
      gitDir = resolve(d, m[1]!);
    }
  } catch {
    return null;
  }
  let commonDir = gitDir;
  try {
    commonDir = resolve(gitDir, readFileSync(join(gitDir, 'commondir'), 'utf8').trim());
  } catch {
    // No commondir file: this git folder is the common one.
  }
  return { gitDir, commonDir };
}

/** The first other worktree (in `git worktree list` order) with `.planning/` at `sub`'s place or above it. */
function fromOtherWorktree(top: string, sub: string): string | null {
  const r = spawnSync('git', ['worktree', 'list', '--porcelain'], { cwd: top, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  if (r.status !== 0 || typeof r.stdout !== 'string') return null;
  const here = resolve(top);
  for (const line of r.stdout.split('\n')) {
    if (!line.startsWith('worktree ')) continue;
    const wt = resolve(line.slice('worktree '.length));
    if (wt === here) continue;
    for (let d = join(wt, sub); ; d = dirname(d)) {
      if (isDirSync(join(d, PLANNING))) return d;
      if (d === wt || dirname(d) === d) break;
    }
  }
  return null;
}

function isDirSync(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

