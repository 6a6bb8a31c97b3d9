/**
 * The incremental parse cache: a file whose signature (size, mtime, ctime, inode) is unchanged
 * since it was parsed is not read again; its entry (reader record and diagnostics, entry.ts) is
 * reused. One `WorkspaceCache` serves a long-running process (MCP server, dashboard): every
 * `load()` lists `.planning/` and stats each file, and re-parses only what changed. With
 * `persist`, the entries also live in the user cache folder, one file per project, so that the
 * next process starts warm. The cache can only save time, never change an answer:
 *
 * - "Racily clean" files, as in git's index: a file modified within RACY_MS of being read could
 *   be modified again within the same timestamp tick without changing its signature. Such an
 *   entry keeps the bytes it was parsed from and is verified by content until it is old enough.
 * - A cache file that is corrupt, truncated, from another Cairn version or another project, or
 *   unreadable is ignored and rebuilt; a cache that cannot be written is skipped. Never an error.
 * - `CAIRN_NO_CACHE=1` turns every cache off: each load reads and parses every file.
 */
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { join, sep } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { classify, isRead, parseEntry, type FileEntry, type Kind } from './entry.ts';
import { findRoot } from './root.ts';
import { kindOf, listTreeWithMemo, loadAt, patchPhaseFiles, newAssemblyMemo, type AssemblyMemo, type ListingMemo, type EntrySource, type LoadOptions, type Snapshot } from './load.ts';
import type { Workspace } from './types.ts';
import { cairnBuild } from '../model/version.ts';
import { cacheDisabled, defaultCacheDir, projectFileName } from './answers.ts';
import { isRacy } from './signature.ts';
import { readFdTransient, readTransient } from './scratch-read.ts';

export { cacheDisabled, defaultCacheDir };
export { RACY_MS } from './signature.ts';
const FORMAT = 'cairn-workspace-cache/2';
const encoder = new TextEncoder();

export interface CacheOptions {
  /** Keep entries in the user cache folder between processes (one file per project). Default: memory only. */
  persist?: boolean;
  /**
   * With `persist`: loads keep what they learn in memory only, and the file is written by
   * `remember()` or `flush()`. An operation loads twice (before and under its lock) and then
   * remembers what it wrote: one write of the file, after the lock is released, instead of three
   * (the file of a 300-phase project takes ~40 ms to write).
   */
  deferSave?: boolean;
  /** Folder of the cache files; default `$XDG_CACHE_HOME/cairn` or `~/.cache/cairn`. */
  dir?: string;
  /** Cairn build the entries were parsed by; entries of another build are never used. */
  version?: string;
  /**
   * Treat timestamps as if the filesystem kept only this many milliseconds (tests use it to
   * reproduce a coarse filesystem, where an edit can leave the signature unchanged).
   */
  timestampGranularityMs?: number;
}

/** What the last load did, for tests, the bench and progress output. */
export interface CacheStats {
  /** Entries used without reading the file. */
  reused: number;
  /** Racily clean entries whose bytes were read and found unchanged. */
  verified: number;
  /** Files read and parsed. */
  parsed: number;
  /** Whether this load started from a cache file on disk. */
  fromDisk: boolean;
}

/**
 * size, mtime, ctime, inode, as git's index compares them (the numbers of `signatureOf`, kept as
 * numbers: building a string per file per load showed up in profiles of large projects).
 */
interface Sig {
  size: number;
  mtime: number;
  ctime: number;
  ino: number;
}

interface Stored {
  sig: Sig;
  /** The kind the path was classified as, so a reader change of classification never reuses an entry. */
  kind: string;
  /** The bytes parsed, kept only while the entry is racily clean. */
  racyBytes: Uint8Array | null;
  entry: FileEntry;
}

interface Project {
  entries: Map<string, Stored>;
  dirty: boolean;
  loadedFromDisk: boolean;
  /** Kinds by path and phases as last built, so an unchanged phase is not rebuilt (load.ts). */
  memo: AssemblyMemo;
  /** Folder listings by signature, so an unchanged folder is stated, not listed again (load.ts). */
  listings: ListingMemo;
  /** Each path's kind tag (JSON of its Kind), computed once per path. */
  tags: Map<string, string>;
  /**
   * The last plain load: its listing, the entry of every file read, the workspace built, and the
   * files read with what is stored for each. Each `stored` is the object in `entries` at the time:
   * only parse() and remember() replace one, and both make the next load assemble anew (a parse
   * changes an entry, remember() drops `last`), which rebuilds `reads`.
   */
  last: { tree: Tree; entries: Map<string, FileEntry>; ws: Workspace; reads: ReadFile[] } | null;
}

type Tree = Pick<Snapshot, 'listing' | 'dirs'>;
interface ReadFile {
  rel: string;
  kind: Kind;
  abs: string;
  stored: Stored | null;
}

export class WorkspaceCache {
  readonly stats: CacheStats = { reused: 0, verified: 0, parsed: 0, fromDisk: false };
  private readonly projects = new Map<string, Project>();
  private readonly persist: boolean;
  private readonly saveOnLoad: boolean;
  private readonly dir: string;
  private readonly version: string;
  private readonly granularity: number;

  constructor(options: CacheOptions = {}) {
    this.persist = options.persist ?? false;
    this.saveOnLoad = this.persist && !options.deferSave;
    this.dir = options.dir ?? defaultCacheDir();
    this.version = options.version ?? cairnBuild;
    this.granularity = options.timestampGranularityMs ?? 0;
  }

  /** The cache file of a project root (whether or not it exists). */
  fileFor(root: string): string {
    return join(this.dir, `workspace-${projectFileName(root)}.v8`);
  }

  /** Same answer as `loadWorkspace(dir, options)`, reading and parsing only files that changed. */
  async load(dir: string, options: LoadOptions = {}): Promise<Workspace> {
    return this.loadRoot(await findRoot(dir), options);
  }

  /**
   * `stats`: file stats by relative path taken just before (a tree stamp's), used instead of
   * stating those files again in this load.
   */
  async loadRoot(root: string, options: LoadOptions & { stats?: ReadonlyMap<string, Stats> } = {}): Promise<Workspace> {
    Object.assign(this.stats, { reused: 0, verified: 0, parsed: 0, fromDisk: false });
    const { stats: given, ...load } = options;
    if (cacheDisabled()) {
      this.projects.clear();
      return loadAt(root, load, this.countingDirect());
    }
    const project = this.project(root);
    if (load.overlay) {
      const ws = await loadAt(root, load, this.source(project, given));
      if (this.saveOnLoad && project.dirty) this.save(root, project);
      return ws;
    }
    const ws = await this.loadPlain(root, project, given);
    if (this.saveOnLoad && project.dirty) this.save(root, project);
    return ws;
  }

  /** Writes the cache file of `root` if a load (with `deferSave`) learnt something not yet kept. */
  flush(root: string): void {
    const project = this.projects.get(root);
    if (this.persist && project?.dirty) this.save(root, project);
  }

  /**
   * A load without overlay: list, then take every read file's entry (stat, and parse only what
   * changed). When the listing and every entry are the very ones of the last load, the workspace
   * assembled from them would be the last one again, so the last one is the answer: nothing in
   * Cairn modifies a loaded Workspace (callers derive from it). Otherwise it is assembled anew,
   * reusing each phase whose files' entries are unchanged (AssemblyMemo).
   */
  private async loadPlain(root: string, project: Project, given?: ReadonlyMap<string, Stats>): Promise<Workspace> {
    const tree = listTreeWithMemo(root, project.listings, this.granularity);
    const source = this.source(project, given);
    const last = project.last;
    if (last && (last.tree === tree || sameTree(last.tree, tree))) {
      // The same files as last time: stat each read one against its stored signature, in a loop
      // with no lookup by path (this loop is the whole cost of an unchanged load).
      const changed: [string, FileEntry][] = [];
      for (const r of last.reads) {
        const s = r.stored;
        if (s && !s.racyBytes && this.matches(statSync(r.abs), s.sig)) {
          this.stats.reused++;
          continue;
        }
        // Changed, racily clean or never kept: the general path decides (and counts).
        const e = source.entry(root, r.rel, r.kind);
        if (e !== last.entries.get(r.rel)) changed.push([r.rel, e]);
      }
      if (changed.length === 0) return last.ws;
      const entries = new Map(last.entries);
      for (const [rel, e] of changed) entries.set(rel, e);
      const ws = patchPhaseFiles(project.memo, last.ws, changed, entries);
      if (!ws) return this.assemble(root, project, tree, entries);
      const edited = new Set(changed.map(([rel]) => rel));
      const reads = last.reads.map((r) => (edited.has(r.rel) ? { ...r, stored: project.entries.get(r.rel) ?? null } : r));
      project.last = { tree, entries, ws, reads };
      return ws;
    }
    const entries = new Map<string, FileEntry>();
    for (const rel of tree.listing.files) {
      const kind = kindOf(rel, project.memo.kinds);
      if (kind && isRead(kind)) entries.set(rel, source.entry(root, rel, kind));
    }
    source.done!(root, new Set(entries.keys()));
    if (project.memo.kinds.size > 2 * tree.listing.files.length + 64) {
      // Paths long gone: start the memo of kinds over rather than let it grow.
      project.memo.kinds = new Map();
      project.tags.clear();
    }
    return this.assemble(root, project, tree, entries);
  }

  /** Builds the workspace from entries already taken, and keeps what the next load compares with. */
  private async assemble(root: string, project: Project, tree: Tree, entries: Map<string, FileEntry>): Promise<Workspace> {
    // `entries` becomes the workspace's snapshot too (reloadWithOverlay): it is never changed after
    // this, a later load copies it before changing anything (a copy of 30,000 entries is ~10 ms).
    const ws = await loadAt(root, {}, { entry: (_r, rel) => entries.get(rel)! }, { ...tree, entries }, project.memo);
    const reads: ReadFile[] = [];
    for (const rel of tree.listing.files) {
      const kind = kindOf(rel, project.memo.kinds);
      if (kind && isRead(kind)) reads.push({ rel, kind, abs: `${root}${sep}${rel}`, stored: project.entries.get(rel) ?? null });
    }
    project.last = { tree, entries, ws, reads };
    return ws;
  }

  /**
   * Keeps the entries a writer parsed from the contents it has just committed (`pendingEntries`),
   * so the next command does not parse those files again. Each is stored as racily clean, with its
   * bytes: the next load compares them with the file before using the entry, so a file changed by
   * anyone after the commit is parsed afresh. Call only after the commit succeeded.
   */
  remember(root: string, parsed: readonly { rel: string; kind: Kind; bytes: Uint8Array; entry: FileEntry }[], texts: readonly { path: string; after: string }[] = []): void {
    if (cacheDisabled() || parsed.length + texts.length === 0) return;
    const project = this.project(root);
    // Texts nobody parsed yet (the re-rendered views): parsed here, after the writer released its
    // lock, instead of by the next command while it holds the lock.
    const written = [...parsed.filter((p) => !texts.some((t) => t.path === p.rel))];
    for (const t of texts) {
      const kind = classify(t.path);
      if (!kind || !isRead(kind)) continue;
      const bytes = encoder.encode(t.after);
      written.push({ rel: t.path, kind, bytes, entry: parseEntry(t.path, kind, bytes) });
    }
    for (const w of written) {
      try {
        const st = statSync(`${root}${sep}${w.rel}`);
        if (st.size !== w.bytes.length) continue;
        project.entries.set(w.rel, { sig: this.signature(st), kind: JSON.stringify(w.kind), racyBytes: w.bytes, entry: w.entry });
        project.last = null;
        project.dirty = true;
      } catch {
        // Gone already: nothing to keep.
      }
    }
    if (this.persist && project.dirty) this.save(root, project);
  }

  /** Drops what is kept for a root (memory only; the disk file is rewritten on the next load). */
  forget(root: string): void {
    this.projects.delete(root);
  }

  private countingDirect(): EntrySource {
    return {
      entry: (root, rel, kind) => {
        this.stats.parsed++;
        return parseEntry(rel, kind, readTransient(`${root}${sep}${rel}`));
      },
    };
  }

  private project(root: string): Project {
    let p = this.projects.get(root);
    if (!p) {
      const entries = this.persist ? this.readDisk(root) : null;
      p = { entries: entries ?? new Map(), dirty: false, loadedFromDisk: entries !== null, memo: newAssemblyMemo(), listings: { dirs: new Map() }, tags: new Map(), last: null };
      // A path's kind is a pure function of the path, and every stored entry was classified by this
      // very build (readDisk checks it): take the kinds from the file instead of classifying each
      // path again (that was a tenth of a warm `status` on a 6,000-file project).
      for (const [rel, s] of p.entries) {
        p.tags.set(rel, s.kind);
        p.memo.kinds.set(rel, JSON.parse(s.kind) as Kind);
      }
      this.projects.set(root, p);
    }
    this.stats.fromDisk = p.loadedFromDisk;
    return p;
  }

  /** A timestamp as a filesystem of the configured granularity would keep it. */
  private tick(ms: number): number {
    const g = this.granularity;
    return g ? Math.floor(ms / g) * g : ms;
  }

  private signature(st: Stats): Sig {
    return { size: st.size, mtime: this.tick(st.mtimeMs), ctime: this.tick(st.ctimeMs), ino: st.ino };
  }

  /** signature(st) equals sig, compared without building one (this runs once per file per load). */
  private matches(st: Stats, sig: Sig): boolean {
    return st.size === sig.size && st.ino === sig.ino && this.tick(st.mtimeMs) === sig.mtime && this.tick(st.ctimeMs) === sig.ctime;
  }

  private isRacy(st: Stats, readAt: number): boolean {
    return isRacy(st, readAt, this.granularity);
  }

  /** `given`: stats of some files taken just before this load, used instead of stating them again. */
  private source(project: Project, given?: ReadonlyMap<string, Stats>): EntrySource {
    const kindTag = (rel: string, k: Kind) => {
      let t = project.tags.get(rel);
      if (t === undefined) project.tags.set(rel, (t = JSON.stringify(k)));
      return t;
    };
    return {
      entry: (root, rel, kind) => {
        const abs = `${root}${sep}${rel}`;
        const tag = kindTag(rel, kind);
        const old = project.entries.get(rel);
        if (old && old.kind === tag) {
          const st = given?.get(rel) ?? statSync(abs);
          if (this.matches(st, old.sig)) {
            if (!old.racyBytes) {
              this.stats.reused++;
              return old.entry;
            }
            const bytes = readFileSync(abs);
            if (Buffer.compare(bytes, old.racyBytes) === 0) {
              this.stats.verified++;
              if (!this.isRacy(st, Date.now())) {
                old.racyBytes = null;
                project.dirty = true;
              }
              return old.entry;
            }
            return this.parse(project, rel, kind, tag, abs, bytes, st);
          }
        }
        return this.parse(project, rel, kind, tag, abs, null, null);
      },
      done: (_root, present) => {
        for (const rel of project.entries.keys()) {
          if (!present.has(rel)) {
            project.entries.delete(rel);
            project.dirty = true;
          }
        }
      },
    };
  }

  /**
   * Reads and parses a file. The signature comes from the open descriptor (fstat) before the bytes
   * are read, so a write racing the read makes the next signature differ, or is caught as racy.
   */
  private parse(project: Project, rel: string, kind: Kind, tag: string, abs: string, known: Buffer | null, knownStat: Stats | null): FileEntry {
    let bytes: Uint8Array | null = known;
    let st = knownStat;
    if (!bytes || !st) {
      const fd = openSync(abs, 'r');
      try {
        st = fstatSync(fd);
        // Read to the end, not to st.size: a file that grew since fstat is then caught below.
        bytes = readFdTransient(fd);
      } finally {
        closeSync(fd);
      }
    }
    this.stats.parsed++;
    const entry = parseEntry(rel, kind, bytes);
    // A size that differs from what was read means the file changed while it was read: never keep it.
    if (bytes.length === st.size) {
      // Racy bytes are kept to verify the next use by content; the scratch buffer is reused, so copy.
      const racyBytes = this.isRacy(st, Date.now()) ? (known ?? Buffer.from(bytes)) : null;
      project.entries.set(rel, { sig: this.signature(st), kind: tag, racyBytes, entry });
    } else project.entries.delete(rel);
    project.dirty = true;
    return entry;
  }

  private readDisk(root: string): Map<string, Stored> | null {
    try {
      const data = deserialize(readFileSync(this.fileFor(root))) as {
        format?: unknown;
        version?: unknown;
        root?: unknown;
        entries?: unknown;
      };
      if (data?.format !== FORMAT || data.version !== this.version || data.root !== root || !Array.isArray(data.entries)) return null;
      const out = new Map<string, Stored>();
      for (const item of data.entries as unknown[]) {
        if (!Array.isArray(item) || typeof item[0] !== 'string' || !isStored(item[1])) return null;
        out.set(item[0], item[1]);
      }
      return out;
    } catch {
      // Missing, unreadable, truncated or corrupt: start empty, the next save replaces it.
      return null;
    }
  }

  private save(root: string, project: Project): void {
    try {
      const entries = [...project.entries].map(([rel, s]) => [rel, { ...s, entry: { ...s.entry, doc: null } }]);
      const bytes = serialize({ format: FORMAT, version: this.version, root, entries });
      mkdirSync(this.dir, { recursive: true });
      const target = this.fileFor(root);
      const tmp = `${target}.${process.pid}.tmp`;
      // No fsync: a cache lost in a crash is rebuilt; a torn one fails to deserialize and is ignored.
      writeFileSync(tmp, bytes);
      renameSync(tmp, target);
      project.dirty = false;
    } catch {
      // A cache that cannot be written only costs time.
    }
  }
}

function isStored(v: unknown): v is Stored {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Partial<Stored>;
  const e = s.entry as Partial<FileEntry> | undefined;
  return (
    typeof s.sig === 'object' &&
    s.sig !== null &&
    typeof s.sig.size === 'number' &&
    typeof s.sig.mtime === 'number' &&
    typeof s.sig.ctime === 'number' &&
    typeof s.sig.ino === 'number' &&
    typeof s.kind === 'string' &&
    (s.racyBytes === null || s.racyBytes instanceof Uint8Array) &&
    typeof e === 'object' &&
    e !== null &&
    typeof e.bytes === 'number' &&
    typeof e.lossless === 'boolean' &&
    Array.isArray(e.loaderDiagnostics) &&
    Array.isArray(e.diagnostics)
  );
}

/** Same files, same phase folders, same symbolic links skipped, in the same order. */
function sameTree(a: Tree, b: Tree): boolean {
  const fa = a.listing.files;
  const fb = b.listing.files;
  if (fa.length !== fb.length || a.dirs.length !== b.dirs.length || a.listing.diagnostics.length !== b.listing.diagnostics.length) return false;
  for (let i = 0; i < fa.length; i++) if (fa[i] !== fb[i]) return false;
  for (let i = 0; i < a.dirs.length; i++) if (a.dirs[i]!.path !== b.dirs[i]!.path || a.dirs[i]!.archived !== b.dirs[i]!.archived) return false;
  for (let i = 0; i < a.listing.diagnostics.length; i++) if (a.listing.diagnostics[i]!.file !== b.listing.diagnostics[i]!.file) return false;
  return true;
}
