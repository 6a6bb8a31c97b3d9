/**
 * Loads a project directory into a Workspace in one pass: list `.planning/`, read every file we
 * understand, parse each with the reader for its kind (entry.ts), and collect diagnostics. The
 * parse cache (cache.ts) plugs in as the source of entries, so a cached and an uncached load
 * assemble the very same Workspace. Nothing here interprets numbers; that is derive()'s job.
 */
import { readdir } from 'node:fs/promises';
import { readdirSync, statSync, type Stats } from 'node:fs';
import { join, sep } from 'node:path';
import { parseMarkdown, type MarkdownDocument } from '../markdown/index.ts';
import type { Diagnostic } from '../model/diagnostic.ts';
import { comparePhaseIds, parsePhaseDirName } from '../model/ids.ts';
import { parseMilestoneArchiveName } from '../formats/milestones.ts';
import { LEDGER_FILE, type LedgerEvent } from '../ledger/index.ts';
import type { Parsed, PhaseDir, PlanEntry, Workspace } from './types.ts';
import type { TodoRecord } from '../formats/todo.ts';
import { classify, decode, isRead, parseEntry, type FileEntry, type Kind, type PhaseFileKind } from './entry.ts';
import { findRoot, PLANNING } from './root.ts';
import { withRenumberHints } from './renumber-hint.ts';
import { RACY_MS, skipsDir, skipsFile } from './signature.ts';
import { readTransient } from './scratch-read.ts';
export { findRoot, decode };

interface Listing {
  files: string[];
  diagnostics: Diagnostic[];
}

/** Lists regular files below `.planning/`, without following symbolic links (they could leave the root). */
async function listPlanning(root: string): Promise<Listing> {
  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];
  // Relative paths are built by concatenation: path.relative() per file showed up in profiles.
  const visit = async (absDir: string, relDir: string): Promise<void> => {
    const entries = await readdir(absDir, { withFileTypes: true });
    const subdirs: Promise<void>[] = [];
    for (const e of entries) {
      const rel = `${relDir}/${e.name}`;
      if (e.isDirectory()) {
        if (skipsDir(e.name)) continue;
        subdirs.push(visit(`${absDir}${sep}${e.name}`, rel));
      } else if (e.isFile()) {
        if (skipsFile(e.name)) continue;
        files.push(rel);
      } else if (e.isSymbolicLink()) {
        diagnostics.push(symlinkSkipped(rel));
      }
    }
    await Promise.all(subdirs);
  };
  await visit(join(root, PLANNING), PLANNING);
  files.sort();
  // The folders are listed in parallel: their symbolic links are reported in path order, not in
  // the order the listings came back, so two loads of one tree give the same diagnostics.
  diagnostics.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { files, diagnostics };
}

function symlinkSkipped(rel: string): Diagnostic {
  return {
    rule: 'symlink-skipped',
    severity: 'warning',
    file: rel,
    line: 0,
    column: 0,
    message: 'symbolic link not followed: Cairn reads only real files inside the project',
    hint: 'replace the link with the file itself if Cairn should read it',
  };
}

/** A folder's entries as last listed, with the folder's own signature then. */
interface ListedDir {
  /**
   * Whether the folder was older than RACY_MS when it was listed. A folder changed in the same
   * timestamp tick as a listing could change again without its signature moving (as for racily
   * clean files), so only a listing taken once the folder was old enough is ever reused.
   */
  settled: boolean;
  mtime: number;
  ctime: number;
  ino: number;
  entries: { name: string; type: 'd' | 'f' | 'l' | 'o' }[];
}

/**
 * Folder listings a long-running caller keeps: a folder's mtime and ctime move whenever an entry
 * is added, removed or renamed in it, so a folder whose signature is unchanged (and old enough not
 * to be racily clean, as for files) has the entries it had. Stating 2,000 folders is a few
 * milliseconds; listing them is several times that.
 */
export type DirMemo = Map<string, ListedDir>;
export interface ListingMemo {
  dirs: DirMemo;
  /** The last answer: returned again (the same object) when no folder had to be listed again. */
  last?: { root: string; tree: Pick<Snapshot, 'listing' | 'dirs'> };
}

/** The folder is as it was listed, and was old enough then for that listing to be trusted. */
function sameDir(st: Stats | undefined, d: ListedDir | undefined): d is ListedDir {
  return d !== undefined && d.settled && st !== undefined && st.mtimeMs === d.mtime && st.ctimeMs === d.ctime && st.ino === d.ino;
}

function unchangedDir(abs: string, d: ListedDir): boolean {
  return sameDir(statSync(abs, { throwIfNoEntry: false }), d);
}

function listDir(abs: string, memo: DirMemo, next: DirMemo, now: number, granularityMs: number): ListedDir['entries'] {
  const st = statSync(abs);
  const old = memo.get(abs);
  if (sameDir(st, old)) {
    next.set(abs, old);
    return old.entries;
  }
  const entries = readdirSync(abs, { withFileTypes: true }).map((e) => ({
    name: e.name,
    type: e.isDirectory() ? ('d' as const) : e.isFile() ? ('f' as const) : e.isSymbolicLink() ? ('l' as const) : ('o' as const),
  }));
  // The modification time, as for files (isRacy): adding, removing or renaming an entry moves it.
  const settled = st.mtimeMs + RACY_MS + granularityMs < now;
  next.set(abs, { settled, mtime: st.mtimeMs, ctime: st.ctimeMs, ino: st.ino, entries });
  return entries;
}

/**
 * listTree, synchronously, reusing the listing of every folder whose signature is unchanged since
 * the last call with the same memo (which it replaces by the folders of this walk). Same answer
 * as listTree: the same files, folders and diagnostics in the same order.
 */
export function listTreeWithMemo(root: string, memo: ListingMemo, granularityMs = 0): Pick<Snapshot, 'listing' | 'dirs'> {
  // First, only state the folders of the last walk: when each is as it was listed, so is the tree
  // (a folder added or removed anywhere changes its parent), and nothing needs walking.
  if (memo.last?.root === root && memo.dirs.size > 0 && [...memo.dirs].every(([abs, d]) => unchangedDir(abs, d))) return memo.last.tree;
  const now = Date.now();
  const next: DirMemo = new Map();
  let relisted = false;
  const ls = (abs: string) => {
    const before = memo.dirs.get(abs);
    const entries = listDir(abs, memo.dirs, next, now, granularityMs);
    if (next.get(abs) !== before) relisted = true;
    return entries;
  };
  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const visit = (absDir: string, relDir: string): void => {
    for (const e of ls(absDir)) {
      const rel = `${relDir}/${e.name}`;
      if (e.type === 'd') {
        if (!skipsDir(e.name)) visit(`${absDir}${sep}${e.name}`, rel);
      } else if (e.type === 'f') {
        if (!skipsFile(e.name)) files.push(rel);
      } else if (e.type === 'l') diagnostics.push(symlinkSkipped(rel));
    }
  };
  const planning = `${root}${sep}${PLANNING}`;
  visit(planning, PLANNING);
  const phaseDirs = listPhaseDirsWith(root, planning, ls);
  memo.dirs = next;
  // Every folder as last listed: the same walk, so the same answer (and no sort of every path again).
  if (!relisted && memo.last && memo.last.root === root) return memo.last.tree;
  files.sort();
  diagnostics.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const tree = { listing: { files, diagnostics }, dirs: phaseDirs };
  memo.last = { root, tree };
  return tree;
}

/** As listPhaseDirs: every folder of phases/ and of each milestones/vX.Y-phases/. */
function listPhaseDirsWith(root: string, planning: string, ls: (abs: string) => ListedDir['entries']): { path: string; archived: string | null }[] {
  const dirs: { path: string; archived: string | null }[] = [];
  const sub = (rel: string, archived: string | null) => {
    try {
      for (const e of ls(`${root}${sep}${rel}`)) if (e.type === 'd') dirs.push({ path: `${rel}/${e.name}`, archived });
    } catch {
      // A missing phases/ or milestones/ folder is normal.
    }
  };
  sub(`${PLANNING}/phases`, null);
  try {
    for (const e of ls(`${planning}${sep}milestones`)) {
      const a = e.type === 'd' ? parseMilestoneArchiveName(e.name) : null;
      if (a?.kind === 'phases') sub(`${PLANNING}/milestones/${e.name}`, a.version);
    }
  } catch {
    // no milestones/ folder
  }
  return dirs;
}

/**
 * Pending contents by relative path (null = deleted). An operation loads the workspace "as it will
 * be" through an overlay to re-derive the views before anything is written; --dry-run shows exactly that.
 */
export type Overlay = ReadonlyMap<string, string | null>;

export interface LoadOptions {
  overlay?: Overlay;
}

/** Where the entries of a load come from: the files themselves, or the parse cache. */
export interface EntrySource {
  entry(root: string, rel: string, kind: Kind): FileEntry;
  /** Called once the load listed every file (the cache forgets the ones that are gone). */
  done?(root: string, present: ReadonlySet<string>): void;
}

/**
 * Reads synchronously on purpose: for thousands of small files, Node's async readFile costs four
 * thread-pool round trips per file and measured ~10× slower than readFileSync here (bench/).
 */
export const directSource: EntrySource = {
  entry: (root, rel, kind) => parseEntry(rel, kind, readTransient(`${root}${sep}${rel}`)),
};

const encoder = new TextEncoder();

/** The document of an entry restored without one (disk cache): read on first use only. */
function documentOf(root: string, rel: string, e: FileEntry): MarkdownDocument {
  if (!e.doc) {
    let text = '';
    try {
      text = decode(readTransient(`${root}${sep}${rel}`)).text;
    } catch {
      // Gone since the load: an empty document still answers positions.
    }
    e.doc = parseMarkdown(text);
  }
  return e.doc;
}

function parsed<T>(root: string, rel: string, e: FileEntry, diags: Diagnostic[]): Parsed<T> {
  diags.push(...e.diagnostics);
  const out = { path: rel, record: e.record as T, lossless: e.lossless } as Parsed<T>;
  Object.defineProperty(out, 'doc', { enumerable: true, get: () => documentOf(root, rel, e) });
  return out;
}

export async function loadWorkspace(dir: string, options: LoadOptions = {}, source: EntrySource = directSource): Promise<Workspace> {
  const root = await findRoot(dir);
  return loadAt(root, options, source);
}

/** What one load listed and parsed, kept so the same operation can re-assemble over an overlay. */
export interface Snapshot {
  listing: Listing;
  dirs: { path: string; archived: string | null }[];
  entries: Map<string, FileEntry>;
  /**
   * The kinds of the paths, shared with the cache's memo when there is one: a kind depends on the
   * path alone, so an overlay load (which remembers no phases) still need not classify each path.
   */
  kinds?: Map<string, Kind | null>;
}

/** Everything the loader lists before reading: the files of `.planning/`, and the phase folders. */
export async function listTree(root: string): Promise<Pick<Snapshot, 'listing' | 'dirs'>> {
  const [listing, dirs] = await Promise.all([listPlanning(root), listPhaseDirs(root)]);
  return { listing, dirs };
}

/**
 * What a long-running caller (the parse cache) keeps between loads so that assembling a workspace
 * costs little when few files changed: each path's kind (a pure function of the path), and each
 * phase as last built from the very same entries. A phase whose files and entries are all the
 * same objects as last time is the same phase, so it is reused instead of rebuilt.
 */
export interface AssemblyMemo {
  kinds: Map<string, Kind | null>;
  phases: Map<string, PhaseMemo>;
  /** How the last workspace assembled with this memo ordered its diagnostics (see patchPhaseFiles). */
  assembled?: Assembled;
}
interface Assembled {
  ws: Workspace;
  /** Diagnostics before the phases': the listing's, then each file's in listing order. */
  head: Diagnostic[];
  /** The phase keys in the order their diagnostics follow. */
  keys: string[];
  /** Diagnostics after the phases' (duplicate phase ids). */
  tail: Diagnostic[];
}
interface PhaseMemo {
  archived: string | null;
  files: PhaseFile[];
  phase: PhaseDir;
  /** The diagnostics building the phase reported, in order. */
  diagnostics: Diagnostic[];
}

export function newAssemblyMemo(): AssemblyMemo {
  return { kinds: new Map(), phases: new Map() };
}

/** A path's kind (classify), remembered in `kinds` when given. */
export function kindOf(rel: string, kinds: Map<string, Kind | null> | undefined): Kind | null {
  if (!kinds) return classify(rel);
  let k = kinds.get(rel);
  if (k === undefined) kinds.set(rel, (k = classify(rel)));
  return k;
}
const snapshots = new WeakMap<Workspace, Snapshot>();

/** A file an overlay load parsed from pending contents: what the cache may keep once it is written. */
export interface PendingEntry {
  rel: string;
  kind: Kind;
  bytes: Uint8Array;
  entry: FileEntry;
}
const pendingParsed = new WeakMap<Workspace, PendingEntry[]>();

/** The entries `reloadWithOverlay` parsed from the overlay's contents (empty for a plain load). */
export function pendingEntries(ws: Workspace): readonly PendingEntry[] {
  return pendingParsed.get(ws) ?? [];
}

/**
 * The workspace `ws` will be once `overlay` is written, without reading anything again: the
 * listing and the parsed entries of `ws`'s load are reused, only the overlay's contents are parsed.
 * An operation loads once and re-derives over its pending change with this.
 */
export async function reloadWithOverlay(ws: Workspace, overlay: Overlay): Promise<Workspace> {
  const snap = snapshots.get(ws);
  if (!snap) return loadAt(ws.root, { overlay }, directSource);
  const listing = { files: [...snap.listing.files], diagnostics: [...snap.listing.diagnostics] };
  return loadAt(ws.root, { overlay }, memoSource(snap.entries), { ...snap, listing });
}

function memoSource(entries: Map<string, FileEntry>): EntrySource {
  return {
    entry: (root, rel, kind) => {
      let e = entries.get(rel);
      if (!e) entries.set(rel, (e = directSource.entry(root, rel, kind)));
      return e;
    },
  };
}

/** loadWorkspace for a root already found (findRoot). */
export async function loadAt(root: string, options: LoadOptions, source: EntrySource, reuse?: Snapshot, memo?: AssemblyMemo): Promise<Workspace> {
  const { listing, dirs } = reuse ?? (await listTree(root));
  const kinds = memo?.kinds ?? reuse?.kinds ?? new Map<string, Kind | null>();
  // An overlay's phases are not what is on disk: they are never remembered.
  if (options.overlay) memo = undefined;
  const snap: Snapshot = { listing: { files: [...listing.files], diagnostics: [...listing.diagnostics] }, dirs, entries: reuse?.entries ?? new Map(), kinds };
  const { overlay } = options;
  if (overlay) {
    const present = new Set(listing.files);
    for (const [rel, content] of overlay) {
      if (content === null) present.delete(rel);
      else present.add(rel);
    }
    listing.files = [...present].sort();
  }
  const diagnostics: Diagnostic[] = [...listing.diagnostics];
  const wanted: { rel: string; kind: Kind }[] = [];
  const phaseDirs = new Map<string, { archived: string | null }>();
  for (const rel of listing.files) {
    const kind = kindOf(rel, kinds);
    if (!kind) continue;
    wanted.push({ rel, kind });
    if (kind.kind === 'phaseFile') phaseDirs.set(kind.phaseDir, { archived: kind.archived });
  }
  // Empty phase directories hold no files but are still phases (planned, not yet written).
  for (const d of dirs) {
    if (phaseDirs.has(d.path)) continue;
    // A directory the overlay moved away (phase renumbering) no longer exists once the change lands.
    const prefix = `${d.path}/`;
    if (overlay && [...overlay].some(([rel, c]) => c === null && rel.startsWith(prefix))) continue;
    phaseDirs.set(d.path, { archived: d.archived });
  }

  const ws: Workspace = {
    root,
    planningDir: PLANNING,
    state: null,
    roadmap: null,
    project: null,
    requirements: null,
    milestonesFile: null,
    archivedRoadmaps: [],
    phases: [],
    todos: [],
    ledger: { path: LEDGER_FILE, exists: false, text: '', events: [] },
    files: listing.files,
    bytesRead: 0,
    diagnostics,
  };
  const phaseFiles = new Map<string, PhaseFile[]>();
  const seen = new Set<string>();
  const pendings: PendingEntry[] = [];
  for (const { rel, kind } of wanted) {
    if (kind.kind === 'phaseFile') {
      const list = phaseFiles.get(kind.phaseDir) ?? [];
      phaseFiles.set(kind.phaseDir, list);
      if (!isRead(kind)) {
        list.push({ rel, kind, entry: null });
        continue;
      }
    }
    const pending = overlay?.get(rel);
    // Pending contents never enter the cache here: they are not on disk yet (see pendingEntries).
    let e: FileEntry;
    if (typeof pending === 'string') {
      const bytes = encoder.encode(pending);
      e = parseEntry(rel, kind, bytes);
      pendings.push({ rel, kind, bytes, entry: e });
    } else e = source.entry(root, rel, kind);
    // Entries handed in with the listing (the parse cache) are already in the snapshot's map.
    if (typeof pending !== 'string' && !overlay && !reuse) snap.entries.set(rel, e);
    if (source.done) seen.add(rel);
    ws.bytesRead += e.bytes;
    diagnostics.push(...e.loaderDiagnostics);
    switch (kind.kind) {
      case 'state':
        ws.state = parsed(root, rel, e, diagnostics);
        break;
      case 'roadmap':
        ws.roadmap = parsed(root, rel, e, diagnostics);
        break;
      case 'project':
        ws.project = parsed(root, rel, e, diagnostics);
        break;
      case 'requirements':
        ws.requirements = parsed(root, rel, e, diagnostics);
        break;
      case 'milestones':
        ws.milestonesFile = parsed(root, rel, e, diagnostics);
        break;
      case 'archivedRoadmap':
        ws.archivedRoadmaps.push(parsed(root, rel, e, diagnostics));
        break;
      case 'ledger': {
        const { text, events } = e.record as { text: string; events: LedgerEvent[] };
        ws.ledger = { path: rel, exists: true, text, events };
        diagnostics.push(...e.diagnostics);
        break;
      }
      case 'todo':
        // Not spread: that would call the lazy `doc` getter.
        ws.todos.push(Object.assign(parsed<TodoRecord>(root, rel, e, diagnostics), { state: kind.state }));
        break;
      case 'phaseFile':
        phaseFiles.get(kind.phaseDir)!.push({ rel, kind, entry: e });
        break;
    }
  }
  source.done?.(root, seen);
  attachLoosePlans(phaseDirs, phaseFiles);
  if (!overlay) snapshots.set(ws, snap);
  else pendingParsed.set(ws, pendings);
  const head = diagnostics.length;
  ws.phases = buildPhases(root, phaseDirs, phaseFiles, diagnostics, memo);
  if (memo) {
    let mid = head;
    for (const m of memo.phases.values()) mid += m.diagnostics.length;
    memo.assembled = { ws, head: diagnostics.slice(0, head), keys: [...memo.phases.keys()], tail: diagnostics.slice(mid) };
  }
  ws.diagnostics = finishDiagnostics(ws, diagnostics);
  return ws;
}

function finishDiagnostics(ws: Workspace, diagnostics: Diagnostic[]): Diagnostic[] {
  // A reader may report what the loader already did (an unterminated frontmatter): say it once.
  const seenDiag = new Set<string>();
  return withRenumberHints(
    ws,
    diagnostics.filter((d) => {
      const k = `${d.rule}\0${d.file}\0${d.line}`;
      if (seenDiag.has(k)) return false;
      seenDiag.add(k);
      return true;
    }),
  );
}

/**
 * The workspace `last` (the last one assembled with `memo`, over the same listing) once the PLAN
 * and SUMMARY files in `changed` have the new entries given: only their phases are rebuilt, the
 * other fields and phases are last's. The diagnostics are re-assembled in the order loadAt gives
 * them (head, each phase's, tail), so the answer is the one loadAt would give. Null when the change
 * is not one this can follow (another kind of file, a plan kept in `.planning/plans/`, a loader
 * finding whose place is among every file's); the caller then assembles from scratch.
 */
export function patchPhaseFiles(memo: AssemblyMemo, last: Workspace, changed: readonly (readonly [string, FileEntry])[], entries: Map<string, FileEntry>): Workspace | null {
  const a = memo.assembled;
  const snap = snapshots.get(last);
  if (!a || a.ws !== last || !snap) return null;
  const byKey = new Map<string, Map<string, FileEntry>>();
  let bytesRead = last.bytesRead;
  for (const [rel, e] of changed) {
    const kind = memo.kinds.get(rel);
    if (!kind || kind.kind !== 'phaseFile' || kind.phaseDir.includes('#')) return null;
    const before = memo.phases.get(kind.phaseDir)?.files.find((f) => f.rel === rel)?.entry;
    if (!before || before.loaderDiagnostics.length > 0 || e.loaderDiagnostics.length > 0) return null;
    bytesRead += e.bytes - before.bytes;
    let m = byKey.get(kind.phaseDir);
    if (!m) byKey.set(kind.phaseDir, (m = new Map()));
    m.set(rel, e);
  }
  const phases = [...last.phases];
  const rebuilt: [string, PhaseMemo][] = [];
  for (const [key, repl] of byKey) {
    const prev = memo.phases.get(key)!;
    const at = phases.indexOf(prev.phase);
    if (at < 0) return null;
    const files = prev.files.map((f) => (repl.has(f.rel) ? { ...f, entry: repl.get(f.rel)! } : f));
    const own: Diagnostic[] = [];
    phases[at] = buildPhase(last.root, key, prev.archived, files, own);
    rebuilt.push([key, { archived: prev.archived, files, phase: phases[at]!, diagnostics: own }]);
  }
  for (const [key, m] of rebuilt) memo.phases.set(key, m);
  const all = [...a.head];
  for (const key of a.keys) all.push(...memo.phases.get(key)!.diagnostics);
  all.push(...a.tail);
  const ws: Workspace = { ...last, phases, bytesRead, diagnostics: [] };
  ws.diagnostics = finishDiagnostics(ws, all);
  snapshots.set(ws, { listing: snap.listing, dirs: snap.dirs, entries });
  memo.assembled = { ...a, ws };
  return ws;
}

interface PhaseFile {
  rel: string;
  /** What classify said of the path: its role and, for a PLAN or SUMMARY, its plan id and key. */
  kind: PhaseFileKind;
  /** null for a side document, which is listed but not read. */
  entry: FileEntry | null;
}

async function listPhaseDirs(root: string): Promise<{ path: string; archived: string | null }[]> {
  const out: { path: string; archived: string | null }[] = [];
  const sub = async (rel: string, archived: string | null) => {
    try {
      for (const e of await readdir(join(root, rel), { withFileTypes: true })) {
        if (e.isDirectory()) out.push({ path: `${rel}/${e.name}`, archived });
      }
    } catch {
      // A missing phases/ or milestones/ folder is normal (new project, STATE-only project).
    }
  };
  await sub(`${PLANNING}/phases`, null);
  try {
    for (const e of await readdir(join(root, PLANNING, 'milestones'), { withFileTypes: true })) {
      const a = e.isDirectory() ? parseMilestoneArchiveName(e.name) : null;
      if (a?.kind === 'phases') await sub(`${PLANNING}/milestones/${e.name}`, a.version);
    }
  } catch {
    // no milestones/ folder
  }
  return out;
}

/**
 * Plans kept in `.planning/plans/` (classified under `.planning/plans#<id>`) join the active folder
 * of their phase; a phase without one keeps `.planning/plans` as its folder.
 */
function attachLoosePlans(dirs: Map<string, { archived: string | null }>, filesByDir: Map<string, PhaseFile[]>): void {
  const loose = [...dirs.keys()].filter((k) => k.startsWith(`${PLANNING}/plans#`));
  if (loose.length === 0) return;
  const byId = new Map<string, string>();
  for (const [path, { archived }] of dirs) {
    const id = path.includes('#') ? null : parsePhaseDirName(path.slice(path.lastIndexOf('/') + 1)).id;
    if (archived === null && id !== null && !byId.has(id)) byId.set(id, path);
  }
  for (const key of loose) {
    const home = byId.get(key.slice(key.indexOf('#') + 1));
    if (!home) continue;
    filesByDir.set(home, [...(filesByDir.get(home) ?? []), ...(filesByDir.get(key) ?? [])]);
    filesByDir.delete(key);
    dirs.delete(key);
  }
}

function buildPhases(
  root: string,
  dirs: Map<string, { archived: string | null }>,
  filesByDir: Map<string, PhaseFile[]>,
  diagnostics: Diagnostic[],
  memo?: AssemblyMemo,
): PhaseDir[] {
  const phases: PhaseDir[] = [];
  const built = new Map<string, PhaseMemo>();
  for (const [key, { archived }] of dirs) {
    const files = (filesByDir.get(key) ?? []).sort((a, b) => (a.rel < b.rel ? -1 : 1));
    const prev = memo?.phases.get(key);
    if (prev && prev.archived === archived && sameFiles(prev.files, files)) {
      phases.push(prev.phase);
      diagnostics.push(...prev.diagnostics);
      built.set(key, prev);
      continue;
    }
    const own: Diagnostic[] = [];
    const phase = buildPhase(root, key, archived, files, own);
    phases.push(phase);
    diagnostics.push(...own);
    if (memo) built.set(key, { archived, files, phase, diagnostics: own });
  }
  // Only the phases of this load are kept: a removed or renamed folder is forgotten.
  if (memo) memo.phases = built;
  phases.sort(
    (a, b) =>
      (a.archived === null ? 0 : 1) - (b.archived === null ? 0 : 1) ||
      (a.archived ?? '').localeCompare(b.archived ?? '') ||
      (a.id === null ? 1 : 0) - (b.id === null ? 1 : 0) ||
      (a.id !== null && b.id !== null ? comparePhaseIds(a.id, b.id) : 0) ||
      a.name.localeCompare(b.name),
  );
  const seen = new Map<string, PhaseDir>();
  for (const p of phases) {
    if (p.id === null || p.archived !== null) continue;
    const first = seen.get(p.id);
    if (first) {
      diagnostics.push({
        rule: 'duplicate-phase-id',
        severity: 'error',
        file: p.path,
        line: 0,
        column: 0,
        message: `phase ${p.id} has two directories: ${first.path} and ${p.path}`,
        // The exact renumber command is filled in once ROADMAP.md is read too (renumber-hint.ts).
        hint: `merge them or renumber one (cairn phase renumber ${p.id} <free id> --slug ${p.slug}), then run \`cairn check\``,
      });
    } else seen.set(p.id, p);
  }
  return phases;
}

/** Same files, parsed into the very same entries (an entry is replaced whenever its file changed). */
function sameFiles(a: readonly PhaseFile[], b: readonly PhaseFile[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.rel !== b[i]!.rel || a[i]!.entry !== b[i]!.entry) return false;
  return true;
}

/** One phase folder from its files (sorted by path); `diagnostics` receives what it reports. */
function buildPhase(root: string, key: string, archived: string | null, files: readonly PhaseFile[], diagnostics: Diagnostic[]): PhaseDir {
  // `.planning/plans#7`: phase 7's plans kept in `.planning/plans/` (see attachLoosePlans).
  const hash = key.indexOf('#');
  const path = hash < 0 ? key : key.slice(0, hash);
  const name = path.slice(path.lastIndexOf('/') + 1);
  const fromName = parsePhaseDirName(name);
  const id = hash < 0 ? fromName.id : key.slice(hash + 1);
  const slug = hash < 0 ? fromName.slug : '';
  const plans = new Map<string, PlanEntry>();
  const otherFiles: string[] = [];
  for (const file of files) {
    const pf = file.kind.plan;
    if (!pf || !file.entry) {
      otherFiles.push(file.rel);
      continue;
    }
    const pk = pf.key;
    const entry = plans.get(pk) ?? { id: pf.id, key: pk, plan: null, summary: null };
    if (file.kind.role === 'plan') {
      if (entry.plan) duplicate(diagnostics, file.rel, entry.plan.path, 'plan');
      else entry.plan = parsed(root, file.rel, file.entry, diagnostics);
    } else {
      if (entry.summary) duplicate(diagnostics, file.rel, entry.summary.path, 'summary');
      else entry.summary = parsed(root, file.rel, file.entry, diagnostics);
    }
    plans.set(pk, entry);
  }
  pairBareFiles(plans);
  return { path, name, id, slug, archived, plans: [...plans.values()], otherFiles };
}

/**
 * A bare `SUMMARY.md` (or `PLAN.md`) in a phase with exactly one plan of the other kind is that
 * plan's summary (or plan): `07-01-PLAN.md` + `SUMMARY.md` is one finished plan, not two.
 */
function pairBareFiles(plans: Map<string, PlanEntry>): void {
  const bare = plans.get('');
  if (!bare || (bare.plan && bare.summary)) return;
  const others = [...plans.values()].filter((e) => e !== bare);
  if (others.length !== 1) return;
  const target = others[0]!;
  if (bare.summary && target.plan && !target.summary) target.summary = bare.summary;
  else if (bare.plan && target.summary && !target.plan) target.plan = bare.plan;
  else return;
  plans.delete('');
}

function duplicate(diagnostics: Diagnostic[], rel: string, firstRel: string, what: string): void {
  diagnostics.push({
    rule: 'duplicate-plan-id',
    severity: 'warning',
    file: rel,
    line: 0,
    column: 0,
    message: `a second ${what} file for the same plan id as ${firstRel}; only the first is used`,
    hint: 'rename or remove one of them',
  });
}
