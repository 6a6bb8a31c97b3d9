/**
 * The one applier of Changes. For every operation: take the `.planning/` lock, finish or roll back
 * a transaction a crash left behind, load the workspace, let the operation decide its Change,
 * re-derive and re-render the views over the changed files, then either print the diff
 * (--dry-run) or commit everything — files, renames, ledger events, views — as one transaction.
 */
import { lstat, mkdir, readFile, rmdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { cacheDisabled, findRoot, pendingEntries, reloadWithOverlay, sharedLockPath, WorkspaceCache } from '../workspace/index.ts';
import type { Workspace } from '../workspace/types.ts';
import { derive } from '../derive/index.ts';
import type { ProjectState } from '../derive/types.ts';
import { acquireLock, describeHolder, type LockHandle } from '../store/lock.ts';
import { commit, recover, type Step } from '../store/transaction.ts';
import { ledgerAppendText, gitattributesChange, LEDGER_FILE as LEDGER_PATH } from '../ledger/index.ts';
import { renderViews, type Refusal } from '../views/index.ts';
import { importEvents } from './adopt.ts';
import type { Change } from './change.ts';
import { unifiedDiff } from '../markdown/diff.ts';
import { PreconditionError } from '../model/errors.ts';

const GITATTRIBUTES = '.gitattributes';

export interface RunOptions {
  dir: string;
  /** The command line, recorded in the lock so a waiting user knows who holds it. */
  command: string;
  dryRun: boolean;
  now?: Date;
  /** Where notes for people go (takeover of a dead lock, recovered transactions). */
  log?: (line: string) => void;
  /**
   * `cairn init`: `dir` is the root and its `.planning/` may not exist yet, so it is created before
   * the lock is taken. A dry run, a refusal or a failure removes the folders it created.
   */
  create?: boolean;
  /**
   * Import history that STATE.md holds and the ledger does not (default true). Every operation
   * re-renders STATE.md, whose digest shows only recent entries, so the import must come first or
   * entries could be lost. `adopt` and `sync` do the import themselves and report it.
   */
  importHistory?: boolean;
}

export interface Context {
  root: string;
  now: Date;
  ws: Workspace;
  state: ProjectState;
}

export interface Outcome {
  root: string;
  change: Change;
  /** Every file the transaction writes, with before/after (views included). */
  files: { path: string; before: string | null; after: string | null }[];
  /** The renames and unified diffs of `files`; made on first read (only dry runs print it). */
  readonly diff: string;
  refused: Refusal[];
  /** The state after the change, as the next `status` will show it. */
  after: ProjectState;
  written: boolean;
}

async function currentText(root: string, ws: Workspace, path: string): Promise<string | null> {
  const known = [ws.state, ws.roadmap, ws.project, ws.requirements, ws.milestonesFile].find((p) => p?.path === path);
  if (known) return known.doc.text;
  try {
    return await readFile(join(root, path), 'utf8');
  } catch {
    return null;
  }
}

export async function runOperation(opts: RunOptions, decide: (ctx: Context) => Change | Promise<Change>): Promise<Outcome> {
  if (!opts.create) return runAt(await findRoot(opts.dir), opts, decide);
  const root = resolve(opts.dir);
  const planning = join(root, '.planning');
  const first = await mkdir(planning, { recursive: true }).catch((e: NodeJS.ErrnoException) => {
    throw new PreconditionError(`cannot create ${planning}: ${e.code === 'EEXIST' || e.code === 'ENOTDIR' ? 'a file is in the way' : e.message}`, 'pass a folder (or a new folder name) as the project directory');
  });
  let written = false;
  try {
    const outcome = await runAt(root, opts, decide);
    written = outcome.written;
    return outcome;
  } finally {
    // Only folders this call created, deepest first, and only while empty.
    for (let d = planning; first !== undefined && !written; d = dirname(d)) {
      if (!(await rmdir(d).then(() => true, () => false)) || d === first) break;
    }
  }
}

async function runAt(root: string, opts: RunOptions, decide: (ctx: Context) => Change | Promise<Change>): Promise<Outcome> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = opts.now ?? new Date();
  let lock: LockHandle | null = null;
  // Read through the persistent parse cache (the one `status` keeps): a write changes a file or
  // two, so the next operation re-parses those and reuses every other entry whose signature
  // (size, mtime, ctime, inode) is unchanged; racily clean entries are verified by content, and
  // CAIRN_NO_CACHE=1 makes every load a plain full load.
  const cache = new WorkspaceCache({ persist: true, deferSave: true });
  if (!opts.dryRun && !cacheDisabled()) {
    // Parse what changed before waiting for the lock, so writers queued behind one another do
    // their parsing (and warm their readers) in parallel. Nothing of this load is used: under the
    // lock, after recovery, the workspace is loaded again through the same cache, which checks
    // every signature again and re-parses only files changed in between.
    await cache.loadRoot(root).catch(() => undefined);
  }
  if (!opts.dryRun) {
    const shared = sharedLockPath(root);
    lock = await acquireLock(root, {
      command: opts.command,
      ...(shared ? { path: shared } : {}),
      onTakeover: (h) => log(`cairn: took over the lock of ${describeHolder(h)}, which is no longer running`),
    });
  }
  try {
    if (lock) {
      const report = await recover(root, lock);
      if (report) {
        const what = report.action === 'rolled-forward' ? 'finished an interrupted change' : 'cleaned up an interrupted change';
        log(`cairn: ${what}${report.command ? ` (${report.command})` : ''}${report.paths.length ? `: ${report.paths.join(', ')}` : ''}`);
        for (const w of report.warnings) log(`cairn: warning: ${w}`);
      }
    }
    // Under the lock no other Cairn writer can change a file between its stat and its use.
    const loaded = await cache.loadRoot(root);
    const imported = opts.importHistory === false ? [] : importEvents(loaded, now).events;
    const ws: Workspace = imported.length ? { ...loaded, ledger: { ...loaded.ledger, events: [...loaded.ledger.events, ...imported] } } : loaded;
    const change = await decide({ root, now, ws, state: derive(ws, now) });
    if (imported.length) change.events = [...imported, ...change.events];

    // What the tree will hold: renamed files under their new names, then the written contents.
    // Renames apply in order (a folder, then files inside its new name), so each file is followed to its last name.
    const overlay = new Map<string, string | null>();
    const moved = movedFiles(ws.files, change.renames);
    for (const from of moved.values()) if (!moved.has(from)) overlay.set(from, null);
    for (const [to, from] of moved) overlay.set(to, (await currentText(root, ws, from)) ?? '');
    const writes = new Map(change.files);
    for (const [path, content] of writes) overlay.set(path, content);

    // The ledger is append-only: its new content is the old plus the serialized events.
    const ledgerBefore = change.events.length ? await currentText(root, ws, LEDGER_PATH) : null;
    const appended = change.events.length ? ledgerAppendText(ledgerBefore, change.events) : '';
    if (appended) {
      overlay.set(LEDGER_PATH, (ledgerBefore ?? '') + appended);
      writes.set(LEDGER_PATH, (ledgerBefore ?? '') + appended);
      // Branches that both append must merge without conflicts: the ledger merges by union.
      const attributes = gitattributesChange(await currentText(root, ws, GITATTRIBUTES));
      if (attributes !== null) {
        overlay.set(GITATTRIBUTES, attributes);
        writes.set(GITATTRIBUTES, attributes);
      }
    }

    // One load per operation: the files read above are re-assembled with the pending contents, not read again.
    const wsAfter = overlay.size ? await reloadWithOverlay(loaded, overlay) : ws;
    const after = derive(wsAfter, now);
    const views = renderViews(wsAfter, after);
    for (const v of views.changes) writes.set(v.path, v.after);

    const files: Outcome['files'] = [];
    // A null on a folder deletes the folder (a removed phase), not just the files listed in it.
    const removedDirs: string[] = [];
    for (const [path, content] of writes) {
      if (content === null && (await isDirectory(join(root, path)))) {
        removedDirs.push(path);
        continue;
      }
      // A file written where a renamed one lands is compared with that one.
      const source = content === null ? undefined : moved.get(path);
      const before = path === LEDGER_PATH ? ledgerBefore : await currentText(root, ws, source ?? path);
      if (before !== content) files.push({ path, before, after: content });
    }
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

    for (const r of views.refused) {
      if (change.files.has(r.path)) {
        throw new PreconditionError(`refusing to edit ${r.path}: ${r.reason}`, `fix the file by hand, then run \`cairn check ${opts.dir}\``);
      }
    }

    let written = false;
    if (!opts.dryRun && (files.length || change.renames.length || removedDirs.length)) {
      const inRemoved = (p: string) => removedDirs.some((d) => p.startsWith(`${d}/`));
      // Deletions first: a renamed folder may take the name of a removed one.
      const steps: Step[] = [
        ...files.filter((f) => f.after === null && f.path !== LEDGER_PATH && !inRemoved(f.path)).map((f): Step => ({ op: 'delete', path: f.path })),
        ...removedDirs.map((d): Step => ({ op: 'delete', path: d })),
        ...change.renames.map((r): Step => ({ op: 'rename', from: r.from, to: r.to })),
        ...files.filter((f) => f.after !== null && f.path !== LEDGER_PATH).map((f): Step => ({ op: 'write', path: f.path, content: f.after! })),
        ...(appended ? [{ op: 'append', path: LEDGER_PATH, content: appended } as Step] : []),
      ];
      await commit(root, steps, lock!);
      written = true;
    }
    // Released before the cache is updated: other writers wait only for the commit.
    await lock?.release();
    if (written) {
      // What is now on disk, already parsed (the overlay's files: the ledger with its new lines,
      // moved files) or about to be (the re-rendered views), goes into the parse cache, so the next
      // command parses nothing of it. Each entry keeps its bytes and is verified against the file
      // on its next use, so a file changed since (by anyone) is parsed afresh.
      cache.remember(root, pendingEntries(wsAfter), views.changes);
    } else cache.flush(root);
    // The diff is made when read, after the lock is released: a write that prints no diff (every
    // one but --dry-run) does not diff the ledger and the views while other writers wait.
    let diff: string | undefined;
    return {
      root, change, files, refused: views.refused, after, written,
      get diff() {
        diff ??= change.renames.map((r) => `rename ${r.from} → ${r.to}\n`).join('') + files.map((f) => unifiedDiff(f.path, f.before, f.after)).join('');
        return diff;
      },
    };
  } finally {
    await lock?.release();
  }
}

async function isDirectory(abs: string): Promise<boolean> {
  try {
    return (await lstat(abs)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Where the renames, applied in order, take each file: new path → original path (moved files
 * only). Each file looks up its own path and folders in an index of the renames, so this stays
 * linear in files for a renumbering that renames thousands of folders and files.
 */
export function movedFiles(files: readonly string[], renames: Change['renames']): Map<string, string> {
  const out = new Map<string, string>();
  if (renames.length === 0) return out;
  const byFrom = new Map<string, number[]>();
  renames.forEach((r, i) => byFrom.set(r.from, [...(byFrom.get(r.from) ?? []), i]));
  for (const file of files) {
    let path = file;
    let last = -1;
    for (;;) {
      let next = -1;
      for (let p = path; ; p = p.slice(0, p.lastIndexOf('/'))) {
        for (const i of byFrom.get(p) ?? []) if (i > last && (next < 0 || i < next)) next = i;
        if (!p.includes('/')) break;
      }
      if (next < 0) break;
      const r = renames[next]!;
      path = r.to + path.slice(r.from.length);
      last = next;
    }
    if (path !== file) out.set(path, file);
  }
  return out;
}
