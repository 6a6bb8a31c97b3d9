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
import { loadWorkspace } from '../workspace/index.ts';
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

/** Signatures of every entry under `.planning/`; null when it cannot be listed. */
export function signatures(root: string): string | null {
  const h = createHash('sha1');
  const visit = (abs: string, rel: string) => {
    for (const e of readdirSync(abs, { withFileTypes: true })) {
      const st = lstatSync(join(abs, e.name), { bigint: true });
      h.update(`${rel}/${e.name}\0${st.size}\0${st.mtimeNs}\0${st.ino}\n`);
      if (e.isDirectory()) visit(join(abs, e.name), `${rel}/${e.name}`);
    }
  };
  try {
    visit(join(root, '.planning'), '.planning');
    return h.digest('hex');
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
  private last: { sig: string; snap: Snapshot } | null = null;
  constructor(readonly root: string) {}

  /** The current snapshot: the cached one if no signature changed since it was loaded, else a fresh load. */
  async get(now = new Date()): Promise<Snapshot> {
    const sig = signatures(this.root);
    if (sig !== null && this.last?.sig === sig) return this.last.snap;
    const ws = await loadWorkspace(this.root);
    const state = derive(ws, now);
    const snap: Snapshot = { root: this.root, ws, state, diagnostics: sortDiagnostics([...ws.diagnostics, ...state.diagnostics]), stateHash: contentHash(ws) };
    // Keep it only if nothing changed while it was read.
    if (sig !== null && signatures(this.root) === sig) this.last = { sig, snap };
    else this.last = null;
    return snap;
  }
}
