/**
 * A Change is what an operation decides, before anything is written: new file contents (computed
 * by splicing), file renames, and ledger events. One runner (run.ts) applies Changes, which gives
 * --dry-run, tests without a disk, and the same operation behind the CLI and later MCP/HTTP.
 */
import type { LedgerEvent } from '../ledger/index.ts';

export interface Change {
  /** New contents by path relative to the root; null deletes the file. */
  files: Map<string, string | null>;
  /** File or directory renames, applied before the writes (phase renumbering). */
  renames: { from: string; to: string }[];
  events: LedgerEvent[];
  /** Lines telling a person what happened ("Recorded decision …"). */
  summary: string[];
  /** The operation's result for --json (ids created, counts...). */
  result: Record<string, unknown>;
}

export function emptyChange(): Change {
  return { files: new Map(), renames: [], events: [], summary: [], result: {} };
}
