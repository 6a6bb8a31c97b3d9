/**
 * A Change is what an operation decides, before anything is written: new file contents (computed
 * by splicing), file renames, and ledger events. One runner (run.ts) applies Changes, which gives
 * --dry-run, tests without a disk, and the same operation behind the CLI and later MCP/HTTP.
 */
import { createEvent, type EventBody, type LedgerEvent } from '../ledger/index.ts';
import type { Workspace } from '../workspace/types.ts';

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

/**
 * Adds an event stamped with the engine's clock; ids chain after the ledger's last id (read under
 * the lock) and after the change's earlier events, so the file stays in time order.
 */
export function addEvent<B extends EventBody>(change: Change, ws: Workspace, body: B, now: Date): B & { id: string; at: string } {
  const after = change.events.at(-1)?.id ?? ws.ledger.events.at(-1)?.id;
  const e = createEvent({ ...body, source: body.source ?? 'cli' }, now, after);
  change.events.push(e);
  return e;
}
