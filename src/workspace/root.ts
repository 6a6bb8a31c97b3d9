/**
 * Finding the project root. Kept apart from the loader so a command can locate a project (and
 * check its cache) without loading every reader.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../model/errors.ts';

export const PLANNING = '.planning';

/** Finds the project root for `dir`: the folder holding `.planning/` (or `dir` itself when it is `.planning`). */
export async function findRoot(dir: string): Promise<string> {
  const abs = resolve(dir);
  if (await isDir(join(abs, PLANNING))) return abs;
  if (basename(abs) === PLANNING && (await isDir(abs))) return dirname(abs);
  if (!(await isDir(abs))) {
    throw new UsageError(`${dir} is not a directory`, 'pass the folder of a project that has a .planning/ folder');
  }
  throw new UsageError(
    `no .planning/ folder in ${dir}`,
    `run \`cairn status <project-dir>\` on a project that has one, or \`cairn init\` to start one`,
  );
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

