/**
 * The `cairn` merge driver (`cairn merge-driver %O %A %B %P`), set for STATE.md and ROADMAP.md by
 * `cairn git install`. It merges the three versions with `git merge-file --diff3`, resolves every
 * hunk as merge-text.ts describes, and writes the result into %A; the post-merge hook's
 * `cairn sync` then re-renders the views from the merged facts (ledger, phase folders, SUMMARY
 * files). Exit 0 means merged; a hunk it cannot parse leaves git's conflict markers and exits 1.
 */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { git } from './git.ts';
import { resolveConflicts, type ViewKind } from './merge-text.ts';

export interface DriverResult {
  /** 0 when %A holds a clean merge. */
  code: number;
  conflicts: number;
  resolved: boolean;
}

export function kindOf(path: string): ViewKind | null {
  const name = basename(path).toUpperCase();
  return name === 'STATE.MD' ? 'state' : name === 'ROADMAP.MD' ? 'roadmap' : null;
}

export function runMergeDriver(base: string, ours: string, theirs: string, path: string, cwd: string): DriverResult {
  const merged = git(['merge-file', '-p', '--diff3', '-L', 'ours', '-L', 'base', '-L', 'theirs', ours, base, theirs], cwd);
  // merge-file exits with the number of conflicts (capped at 127), negative values on errors.
  if (merged.status < 0 || merged.status > 127) return { code: 2, conflicts: 0, resolved: false };
  if (merged.status === 0) {
    writeFileSync(ours, merged.stdout);
    return { code: 0, conflicts: 0, resolved: true };
  }
  const kind = kindOf(path);
  const resolved = kind ? resolveConflicts(merged.stdout, kind) : null;
  if (resolved === null) {
    // Not a view file, or markers we cannot read: leave git's conflict for a person.
    writeFileSync(ours, merged.stdout);
    return { code: 1, conflicts: merged.status, resolved: false };
  }
  writeFileSync(ours, resolved);
  return { code: 0, conflicts: merged.status, resolved: true };
}
