/**
 * The project as the MCP server sees it: no truth kept in memory. Every call lists `.planning/`
 * and compares each entry's signature (size, modification time, inode) with the last load; any
 * difference reloads and re-derives. What is kept between calls is only a cache of the last load,
 * valid exactly while the signatures match, so an edit by hand or by the CLI shows in the next
 * answer. `stateHash` is a hash of the bytes of every file read: equal hashes, equal state.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RACY_MS, WorkspaceCache } from '../workspace/index.ts';
import type { Parsed, Workspace } from '../workspace/types.ts';
import { derive } from '../derive/index.ts';
import type { ProjectState } from '../derive/types.ts';
import { sortDiagnostics, type Diagnostic } from '../model/diagnostic.ts';

export interface Snapshot {
  root: string;
  ws: Workspace;
  state: ProjectState;
  diagnostics: Diagnostic[];
  stateHash: string;
}

/**
 * Signatures of every entry under `.planning/`, and the newest modification time among them;
 * null when it cannot be listed.
 */
export function signatures(root: string): { sig: string; newest: number } | null {
  const h = createHash('sha1');
  let newest = 0;
  const visit = (abs: string, rel: string) => {
    for (const e of readdirSync(abs, { withFileTypes: true })) {
      const st = lstatSync(join(abs, e.name), { bigint: true });
      h.update(`${rel}/${e.name}\0${st.size}\0${st.mtimeNs}\0${st.ctimeNs}\0${st.ino}\n`);
      const ms = Number(st.mtimeNs / 1_000_000n);
      if (ms > newest) newest = ms;
      if (e.isDirectory()) visit(join(abs, e.name), `${rel}/${e.name}`);
    }
  };
  try {
    visit(join(root, '.planning'), '.planning');
    return { sig: h.digest('hex'), newest };
  } catch {
    return null;
  }
}

/** A hash of what was read: each file's path and bytes (the ledger included). */
function contentHash(ws: Workspace): string {
  const h = createHash('sha256');
  const docs = [ws.state, ws.roadmap, ws.project, ws.requirements, ws.milestonesFile, ...ws.archivedRoadmaps, ...ws.todos];
  const all: (Parsed<unknown> | null)[] = [...docs];
  for (const ph of ws.phases) for (const p of ph.plans) all.push(p.plan, p.summary);
  for (const d of all) if (d) h.update(`${d.path}\0${d.doc.text}\0`);
  h.update(`${ws.ledger.path}\0${ws.ledger.text}\0${ws.files.join('\n')}`);
  return h.digest('hex').slice(0, 16);
}

export class ProjectSource {
  private last: { sig: string; day: string; snap: Snapshot } | null = null;
  /** The incremental parse cache (workspace/cache.ts): on a change, only the changed files are parsed again. */
  private readonly cache = new WorkspaceCache();
  constructor(readonly root: string) {}

  /**
   * The current snapshot: the last one while no signature changed since it was loaded (and the
   * day is the same: derive counts from today), else a load through the parse cache. A file
   * modified within RACY_MS could change again inside the same timestamp tick, so then the
   * snapshot is not reused and the cache verifies such files by content.
   */
  async get(now = new Date()): Promise<Snapshot> {
    const seen = signatures(this.root);
    const day = now.toISOString().slice(0, 10);
    if (seen && this.last?.sig === seen.sig && this.last.day === day && now.getTime() - seen.newest > RACY_MS) return this.last.snap;
    const ws = await this.cache.loadRoot(this.root);
    const state = derive(ws, now);
    const snap: Snapshot = { root: this.root, ws, state, diagnostics: sortDiagnostics([...ws.diagnostics, ...state.diagnostics]), stateHash: contentHash(ws) };
    // Keep it only if nothing changed while it was read.
    const after = signatures(this.root);
    this.last = seen && after?.sig === seen.sig ? { sig: seen.sig, day, snap } : null;
    return snap;
  }
}
