/**
 * File signatures, the listing rules of `.planning/`, and the stamp of a whole tree: the small
 * part of the caches that runs before anything is parsed, kept apart so that a command can tell
 * "nothing changed" without loading a reader (startup is a budgeted figure).
 */
import { readdirSync, statSync, type Stats } from 'node:fs';
import { sep } from 'node:path';
import { PLANNING } from './root.ts';

/** Files changed this recently when read are verified by content (covers 2 s FAT timestamps). */
export const RACY_MS = 2000;

/**
 * size:mtime:ctime:inode, as git's index compares them. `granularityMs` rounds the timestamps as a
 * coarse filesystem would (tests use it to reproduce an edit that leaves the signature unchanged).
 */
export function signatureOf(st: Stats, granularityMs = 0): string {
  const g = granularityMs;
  const m = g ? Math.floor(st.mtimeMs / g) * g : st.mtimeMs;
  const c = g ? Math.floor(st.ctimeMs / g) * g : st.ctimeMs;
  return `${st.size}:${m}:${c}:${st.ino}`;
}

/**
 * "Racily clean", as in git's index: a file modified within RACY_MS of `at` could be modified again
 * within the same timestamp tick without changing its signature, so its signature proves nothing yet.
 */
export function isRacy(st: Stats, at: number, granularityMs = 0): boolean {
  // The modification time, as git's index does: content changes move it (ctime is in the signature).
  return st.mtimeMs + RACY_MS + granularityMs > at;
}

/** Folders the loader never enters: other tools' trees, and Cairn's own machinery (`.cairn*`). */
export function skipsDir(name: string): boolean {
  return name === 'node_modules' || name === '.git' || name.startsWith('.cairn');
}

/** Cairn's own lock, journal and temp files are machinery, not planning files. */
export function skipsFile(name: string): boolean {
  return name.startsWith('.cairn') || name.includes('.cairn-tmp-');
}

/** Every folder and file of `.planning/` as the loader lists it, with each file's signature. */
export interface TreeStamp {
  /** One line per folder (`d path`) and file (`f path signature`), in listing order. */
  text: string;
  /** Whether some file or folder changed within RACY_MS of the stamp: then it proves nothing. */
  racy: boolean;
  /**
   * Each file's stat by relative path, taken for the stamp. A load right after a miss takes them
   * instead of stating every file a second time (WorkspaceCache.loadRoot's `stats`); they were
   * taken before anything was read, which is the order the parse cache needs.
   */
  stats: ReadonlyMap<string, Stats>;
}

/**
 * Stamps the tree synchronously: for a few thousand entries this is a few milliseconds of
 * readdir and stat calls, the whole cost of a command answered from a cache. Folders are listed
 * (their own timestamps do not change when a file inside is edited), so an added, removed or
 * renamed file or folder changes the stamp; symbolic links are listed by name, as the loader
 * reports them. Null when `.planning/` cannot be listed.
 */
export function stampTree(root: string, at: number = Date.now()): TreeStamp | null {
  const lines: string[] = [];
  const stats = new Map<string, Stats>();
  let racy = false;
  const visit = (abs: string, rel: string): void => {
    // In the order the file system lists them, unsorted: an unchanged folder lists the same way
    // again, and a folder listed in another order only costs a miss, never a stale answer.
    for (const e of readdirSync(abs, { withFileTypes: true })) {
      const childAbs = `${abs}${sep}${e.name}`;
      const childRel = `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (skipsDir(e.name)) continue;
        lines.push(`d ${childRel}`);
        visit(childAbs, childRel);
      } else if (e.isFile()) {
        if (skipsFile(e.name)) continue;
        const st = statSync(childAbs);
        if (isRacy(st, at)) racy = true;
        stats.set(childRel, st);
        lines.push(`f ${childRel} ${signatureOf(st)}`);
      } else if (e.isSymbolicLink()) {
        lines.push(`l ${childRel}`);
      }
    }
  };
  try {
    visit(`${root}${sep}${PLANNING}`, PLANNING);
  } catch {
    return null;
  }
  return { text: lines.join('\n'), racy, stats };
}
