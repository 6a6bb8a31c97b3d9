/**
 * Multi-file changes as one transaction with a recovery journal. After a crash at any point the
 * next command (which calls `recover` right after taking the lock) either finishes the change or
 * discards it, so files end up all-old or all-new, each file complete.
 *
 * Protocol, with its commit point at step 3:
 *  1. Stage: every new file content goes to `.planning/.cairn-tx-<id>/<i>`, fsynced, and the
 *     staging folder is fsynced. Nothing visible has changed; a crash here is rolled back by
 *     deleting the staging folder.
 *  2. Measure: each append records the target's size before the append.
 *  3. Journal: `.planning/.cairn-journal.json` is written atomically. From now on the change rolls
 *     forward.
 *  4. Apply the steps in order; after step i, create the marker `done-<i>` in the staging folder.
 *  5. fsync the touched folders, unlink the journal, delete the staging folder.
 *
 * Replay. Markers are written in order, so on recovery every step before the first unmarked one is
 * complete and no step after it has started; only that one step can be half done, and its
 * "already done?" test is exact because nothing later has touched the disk yet:
 *  write  — staged temp still present ⇔ not yet renamed over the target;
 *  delete — the target is moved into the staging folder (atomic for readers), so present ⇔ not done;
 *  rename — source present and target absent ⇔ not done (validated before the journal);
 *  append — the bytes after the recorded size are compared with ours: complete, a prefix of ours
 *           (a torn append: finish it), or foreign (never truncated: ours is appended, with a warning).
 * Staging in one folder (rather than beside each target) also lets a transaction rename a phase
 * folder and then write inside its new name, and makes the no-journal cleanup one `readdir`.
 */
import { uniqueHex } from '../model/random.ts';
import { lstat, mkdir, open, readdir, readFile, realpath, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { PreconditionError, UsageError } from '../model/errors.ts';
import { fsyncDir, isTempName, writeDurable, writeFileAtomic } from './atomic.ts';
import type { LockHandle } from './lock.ts';
import { confine } from './paths.ts';

export type Step =
  | { op: 'write'; path: string; content: string | Uint8Array }
  | { op: 'delete'; path: string }
  | { op: 'rename'; from: string; to: string }
  | { op: 'append'; path: string; content: string };

export interface RecoveryReport {
  /**
   * `rolled-forward`: an interrupted transaction was finished from its journal.
   * `rolled-back`: one that crashed before its journal was written was discarded (nothing had changed).
   * `cleaned-up`: one that had finished left its staging folder behind; it was removed.
   */
  action: 'rolled-forward' | 'rolled-back' | 'cleaned-up';
  /** Transaction id, when a journal named it. */
  transaction: string | null;
  /** The command that started it (from the lock), when known. */
  command: string | null;
  /** When it started (ISO), when known. */
  started: string | null;
  /** Project-relative paths the finished transaction wrote, deleted or renamed. */
  paths: string[];
  /** Project-relative leftovers removed (staging folders, temp files). */
  removed: string[];
  /** Things the user should look at (e.g. a file changed by someone else after the crash). */
  warnings: string[];
}

const PLANNING = '.planning';
export const JOURNAL_FILE = '.cairn-journal.json';
const STAGING_PREFIX = '.cairn-tx-';
const RESERVED_PREFIX = '.cairn';

type JournalStep =
  | { op: 'write'; path: string; temp: string }
  | { op: 'delete'; path: string; trash: string }
  | { op: 'rename'; from: string; to: string }
  | { op: 'append'; path: string; size: number; content: string };

interface Journal {
  cairn: 'transaction';
  version: 1;
  id: string;
  command: string;
  started: string;
  /** Project-relative staging folder. */
  staging: string;
  steps: JournalStep[];
}

export function journalPath(root: string): string {
  return join(root, PLANNING, JOURNAL_FILE);
}

/** True while a transaction is committing or was interrupted; a reader without the lock may then see a mix. */
export async function hasPendingTransaction(root: string): Promise<boolean> {
  return (await lstatOrNull(journalPath(root))) !== null;
}

/**
 * Applies `steps` as one transaction. The caller holds `lock` across reading the files and
 * committing, and has called `recover` after taking it. Paths are project-relative, inside
 * `.planning/` (or the root's `.gitattributes`).
 */
export async function commit(root: string, steps: Step[], lock: LockHandle): Promise<void> {
  root = resolve(root);
  if (resolve(lock.root) !== root) throw new Error(`internal: lock for ${lock.root} used to commit in ${root}`);
  await lock.verify();
  if (steps.length === 0) return;
  if (await hasPendingTransaction(root)) {
    throw new PreconditionError('an interrupted transaction is still pending in .planning/', 'internal: commands must call recover() after taking the lock; report this');
  }
  const planned = await validate(root, steps);

  const id = `${Date.now().toString(36)}-${uniqueHex(5)}`;
  const stagingRel = `${PLANNING}/${STAGING_PREFIX}${id}`;
  const staging = join(root, stagingRel);
  await mkdir(staging);
  const journalSteps: JournalStep[] = [];
  try {
    for (let i = 0; i < planned.length; i++) {
      const s = planned[i]!;
      switch (s.op) {
        case 'write':
          await writeDurable(join(staging, String(i)), s.content);
          crashPoint();
          journalSteps.push({ op: 'write', path: s.path, temp: `${stagingRel}/${i}` });
          break;
        case 'delete':
          journalSteps.push({ op: 'delete', path: s.path, trash: `${stagingRel}/${i}` });
          break;
        case 'rename':
          journalSteps.push({ op: 'rename', from: s.from, to: s.to });
          break;
        case 'append': {
          const st = await lstatOrNull(join(root, s.path));
          journalSteps.push({ op: 'append', path: s.path, size: st ? st.size : 0, content: s.content });
          break;
        }
      }
    }
    await fsyncDir(staging);
    crashPoint();
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    throw notWritten(e);
  }

  const journal: Journal = {
    cairn: 'transaction',
    version: 1,
    id,
    command: lock.info.command,
    started: new Date().toISOString(),
    staging: stagingRel,
    steps: journalSteps,
  };
  try {
    await writeFileAtomic(journalPath(root), JSON.stringify(journal, null, 1) + '\n');
  } catch (e) {
    // A failure after the rename (fsync of the folder) leaves a valid journal: then roll forward.
    if (!(await hasPendingTransaction(root))) {
      await rm(staging, { recursive: true, force: true });
      throw notWritten(e);
    }
  }
  crashPoint();
  try {
    await rollForward(root, journal, 0, []);
  } catch (e) {
    throw new PreconditionError(
      `a change to .planning/ was interrupted: ${(e as Error).message}`,
      'fix the cause above; the next cairn command finishes the change from its journal (.planning/.cairn-journal.json)',
    );
  }
}

/**
 * Finishes or discards whatever a crashed command left behind. Call it right after taking the
 * lock, before reading anything. Returns null when there was nothing to do.
 */
export async function recover(root: string, lock: LockHandle): Promise<RecoveryReport | null> {
  root = resolve(root);
  if (resolve(lock.root) !== root) throw new Error(`internal: lock for ${lock.root} used to recover ${root}`);
  if (lock.released) throw new Error('internal: recover() called with a released lock');
  const text = await readFile(journalPath(root), 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw e;
  });
  if (text === null) {
    const { removed, unfinished } = await removeLeftovers(root, null);
    if (removed.length === 0) return null;
    const action = unfinished ? 'rolled-back' : 'cleaned-up';
    return { action, transaction: null, command: null, started: null, paths: [], removed, warnings: [] };
  }
  const journal = parseJournal(root, text);
  const staging = join(root, journal.staging);
  const warnings: string[] = [];
  let names: string[];
  try {
    names = await readdir(staging);
  } catch (e) {
    // Only something outside cairn removes it; without the staged contents the change cannot be finished.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw corrupt(`its staging folder ${journal.staging} is missing`);
    throw e;
  }
  const marks = new Set(names.filter((n) => n.startsWith('done-')));
  let done = 0;
  while (done < journal.steps.length && marks.has(`done-${done}`)) done++;
  try {
    await rollForward(root, journal, done, warnings);
  } catch (e) {
    throw new PreconditionError(
      `could not finish the interrupted change "${journal.command}" (${journal.started}): ${(e as Error).message}`,
      'fix the cause above and rerun; the journal .planning/.cairn-journal.json keeps the change until it completes',
    );
  }
  const { removed } = await removeLeftovers(root, journal.staging);
  return {
    action: 'rolled-forward',
    transaction: journal.id,
    command: journal.command,
    started: journal.started,
    paths: journal.steps.flatMap((s) => (s.op === 'rename' ? [s.from, s.to] : [s.path])),
    removed,
    warnings,
  };
}

async function rollForward(root: string, journal: Journal, from: number, warnings: string[]): Promise<void> {
  const staging = join(root, journal.staging);
  const touched = new Set<string>([join(root, PLANNING)]);
  for (let i = from; i < journal.steps.length; i++) {
    await applyStep(root, journal.steps[i]!, touched, warnings);
    crashPoint();
    await writeFile(join(staging, `done-${i}`), '');
    crashPoint();
  }
  await Promise.all([...touched].map((d) => fsyncDir(d)));
  crashPoint();
  await unlink(journalPath(root));
  await fsyncDir(join(root, PLANNING));
  crashPoint();
  await rm(staging, { recursive: true, force: true });
  crashPoint();
}

async function applyStep(root: string, s: JournalStep, touched: Set<string>, warnings: string[]): Promise<void> {
  switch (s.op) {
    case 'write': {
      const temp = join(root, s.temp);
      const target = join(root, s.path);
      if ((await lstatOrNull(temp)) === null) return;
      await ensureParent(target, touched);
      try {
        await rename(temp, target);
      } catch (e) {
        // `.planning/` symlinked to another file system than `.gitattributes`: copy instead.
        if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
        await writeFileAtomic(target, await readFile(temp));
        await unlink(temp);
      }
      return;
    }
    case 'delete': {
      const target = join(root, s.path);
      if ((await lstatOrNull(target)) === null) return;
      touched.add(dirname(target));
      try {
        await rename(target, join(root, s.trash));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
        await rm(target, { recursive: true, force: true });
      }
      return;
    }
    case 'rename': {
      const from = join(root, s.from);
      const to = join(root, s.to);
      const [src, dst] = await Promise.all([lstatOrNull(from), lstatOrNull(to)]);
      if (!src && dst) return;
      if (src && dst) throw new Error(`cannot rename ${s.from} to ${s.to}: both exist`);
      if (!src) throw new Error(`cannot rename ${s.from} to ${s.to}: neither exists`);
      touched.add(dirname(from));
      await ensureParent(to, touched);
      await rename(from, to);
      return;
    }
    case 'append':
      await applyAppend(root, s, touched, warnings);
      return;
  }
}

async function applyAppend(root: string, s: Extract<JournalStep, { op: 'append' }>, touched: Set<string>, warnings: string[]): Promise<void> {
  const target = join(root, s.path);
  const ours = Buffer.from(s.content, 'utf8');
  await ensureParent(target, touched);
  // Every write below lands at the current end of file, so O_APPEND (which ignores positions) is fine.
  const fh = await open(target, 'a+');
  try {
    const { size } = await fh.stat();
    let at = s.size;
    let rest = ours;
    if (size < s.size) {
      warnings.push(`${s.path} is shorter than before the interrupted change (${size} < ${s.size} bytes); its entries were appended at the end`);
      at = size;
    } else if (size > s.size) {
      const tail = Buffer.alloc(size - s.size);
      await fh.read(tail, 0, tail.length, s.size);
      if (tail.length <= ours.length && ours.subarray(0, tail.length).equals(tail)) {
        at = size;
        rest = ours.subarray(tail.length);
      } else {
        // Bytes we did not write: never truncate them; keep ours after them, on a fresh line.
        warnings.push(`${s.path} was changed by someone else after the interrupted change; its entries were appended after those changes`);
        const last = Buffer.alloc(1);
        await fh.read(last, 0, 1, size - 1);
        rest = last[0] === 0x0a ? ours : Buffer.concat([Buffer.from('\n'), ours]);
        at = size;
      }
    }
    if (rest.length > 0) {
      // In tests a crash can be injected between two halves, modelling a torn append.
      const cut = crashArmed() ? Math.floor(rest.length / 2) : rest.length;
      await writeAll(fh, rest.subarray(0, cut), at);
      crashPoint();
      await writeAll(fh, rest.subarray(cut), at + cut);
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function writeAll(fh: import('node:fs/promises').FileHandle, buf: Uint8Array, position: number): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    const { bytesWritten } = await fh.write(buf, off, buf.length - off, position + off);
    off += bytesWritten;
  }
}

async function ensureParent(target: string, touched: Set<string>): Promise<void> {
  const parent = dirname(target);
  const first = await mkdir(parent, { recursive: true });
  touched.add(parent);
  if (first) touched.add(dirname(first));
}

/**
 * Removes staging folders and temp files at the top of `.planning/`; `current` (already handled)
 * is not reported. `unfinished` is true if any of them belonged to a transaction that never reached
 * its journal: a staging folder without `done-` markers (the journal is deleted only after every
 * step is marked), or a temp file (the journal's own, cut off before its rename).
 */
async function removeLeftovers(root: string, current: string | null): Promise<{ removed: string[]; unfinished: boolean }> {
  const dir = join(root, PLANNING);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { removed: [], unfinished: false };
    throw e;
  }
  const removed: string[] = [];
  let unfinished = false;
  for (const n of names) {
    const rel = `${PLANNING}/${n}`;
    if (!n.startsWith(STAGING_PREFIX) && !isTempName(n)) continue;
    if (rel !== current) {
      removed.push(rel);
      if (isTempName(n)) unfinished = true;
      else if (!(await readdir(join(dir, n)).catch(() => [] as string[])).some((f) => f.startsWith('done-'))) unfinished = true;
    }
    await rm(join(dir, n), { recursive: true, force: true });
  }
  return { removed, unfinished };
}

type Planned = Step;
type Kind = 'file' | 'dir' | 'none';

/** Confines every path, refuses ones outside our scope, and checks each step can apply in order. */
async function validate(root: string, steps: Step[]): Promise<Planned[]> {
  const planningReal = await realpath(join(root, PLANNING)).catch(() => {
    throw new PreconditionError(`no .planning/ folder in ${root}`, 'run `cairn init` first');
  });
  const rootReal = await realpath(root);
  const disk = new Map<string, Promise<Kind>>();
  const diskKind = (rel: string): Promise<Kind> => {
    let k = disk.get(rel);
    if (!k) {
      k = lstatOrNull(join(root, rel)).then((st) => (st === null ? 'none' : st.isDirectory() ? 'dir' : 'file'));
      disk.set(rel, k);
    }
    return k;
  };
  const planned = steps.map((s) => normalise(root, s));

  // What kind of thing `rel` is once the first `k` steps have applied.
  const kindAfter = async (rel: string, k: number): Promise<Kind> => {
    for (let i = k - 1; i >= 0; i--) {
      const s = planned[i]!;
      if (s.op === 'write' || s.op === 'append') {
        if (rel === s.path) return 'file';
        if (under(s.path, rel)) return 'dir';
      } else if (s.op === 'delete') {
        if (rel === s.path || under(rel, s.path)) return 'none';
      } else {
        if (rel === s.to || under(rel, s.to)) return kindAfter(s.from + rel.slice(s.to.length), i);
        if (rel === s.from || under(rel, s.from)) return 'none';
        if (under(s.to, rel)) return 'dir';
      }
    }
    return diskKind(rel);
  };
  const parentsOk = async (rel: string, k: number): Promise<void> => {
    for (let p = parentOf(rel); p !== PLANNING && p !== ''; p = parentOf(p)) {
      if ((await kindAfter(p, k)) === 'file') refuse(rel, `its folder ${p} is a file`);
    }
  };

  for (let i = 0; i < planned.length; i++) {
    const s = planned[i]!;
    for (const rel of s.op === 'rename' ? [s.from, s.to] : [s.path]) {
      await assertNoEscape(root, rel, rel === '.gitattributes' ? rootReal : planningReal);
    }
    switch (s.op) {
      case 'write':
      case 'append': {
        if ((await kindAfter(s.path, i)) === 'dir') refuse(s.path, 'it is a folder');
        await parentsOk(s.path, i);
        if (s.op === 'append') {
          const st = await lstatOrNull(join(root, s.path));
          if (st?.isSymbolicLink()) refuse(s.path, 'it is a symbolic link');
          if (planned.some((o, j) => j !== i && touches(o, s.path))) {
            refuse(s.path, 'an append must be the only step of its transaction on that file');
          }
        }
        break;
      }
      case 'delete':
        if ((await kindAfter(s.path, i)) === 'none') refuse(s.path, 'it does not exist');
        break;
      case 'rename':
        if (s.from === s.to || under(s.to, s.from) || under(s.from, s.to)) refuse(s.to, `it overlaps ${s.from}`);
        if ((await kindAfter(s.from, i)) === 'none') refuse(s.from, 'it does not exist');
        if ((await kindAfter(s.to, i)) !== 'none') refuse(s.to, 'it already exists');
        await parentsOk(s.to, i);
        break;
    }
  }
  return planned;
}

function normalise(root: string, s: Step): Planned {
  if (s.op === 'rename') return { op: 'rename', from: scoped(root, s.from), to: scoped(root, s.to) };
  if (s.op === 'write') return { op: 'write', path: scoped(root, s.path), content: s.content };
  if (s.op === 'append') return { op: 'append', path: scoped(root, s.path), content: s.content };
  return { op: 'delete', path: scoped(root, s.path) };
}

/** Confines `rel` and accepts only `.planning/<something>` (not our own files) or `.gitattributes`. */
function scoped(root: string, rel: string): string {
  const c = confine(root, rel);
  if (!c.ok) throw new UsageError(`refusing to change ${JSON.stringify(rel)}: the path ${c.reason}`, 'paths must stay inside .planning/');
  if (c.rel === '.gitattributes') return c.rel;
  if (!c.rel.startsWith(`${PLANNING}/`)) {
    throw new UsageError(`refusing to change ${c.rel}: Cairn only writes inside .planning/ (and the root .gitattributes)`, 'paths must stay inside .planning/');
  }
  const first = c.rel.slice(PLANNING.length + 1).split('/')[0]!;
  if (first.startsWith(RESERVED_PREFIX)) {
    throw new UsageError(`refusing to change ${c.rel}: names starting with ${RESERVED_PREFIX} in .planning/ are Cairn's own lock and journal files`, 'report this');
  }
  return c.rel;
}

/** The deepest existing folder above `rel` must resolve (through symlinks) inside `base`. */
async function assertNoEscape(root: string, rel: string, base: string): Promise<void> {
  let dir = dirname(join(root, rel));
  for (;;) {
    try {
      const real = await realpath(dir);
      if (real !== base && !real.startsWith(base + '/') && !real.startsWith(base + '\\')) {
        refuse(rel, `its folder resolves outside the project (${real})`);
      }
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      const up = dirname(dir);
      if (up === dir) return;
      dir = up;
    }
  }
}

function refuse(rel: string, why: string): never {
  throw new PreconditionError(`cannot change ${rel}: ${why}`, 'the project changed since it was read, or this is a bug; rerun the command, and report it if it persists');
}

function touches(s: Planned, rel: string): boolean {
  const paths = s.op === 'rename' ? [s.from, s.to] : [s.path];
  return paths.some((p) => p === rel || under(p, rel) || under(rel, p));
}

function under(path: string, dir: string): boolean {
  return path.length > dir.length && path.startsWith(dir) && path[dir.length] === '/';
}

function parentOf(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i < 0 ? '' : rel.slice(0, i);
}

function parseJournal(root: string, text: string): Journal {
  let j: Journal;
  try {
    j = JSON.parse(text) as Journal;
  } catch {
    throw corrupt('it is not valid JSON');
  }
  if (j?.cairn !== 'transaction' || j.version !== 1 || !Array.isArray(j.steps) || typeof j.staging !== 'string') {
    throw corrupt(`unknown format (version ${String(j?.version)})`);
  }
  if (!j.staging.startsWith(`${PLANNING}/${STAGING_PREFIX}`) || j.staging.includes('/', PLANNING.length + 1) || j.staging.includes('..')) {
    throw corrupt('its staging folder is outside .planning/');
  }
  // A journal is data from disk: re-confine every path before acting on it.
  for (const s of j.steps) {
    const paths = s.op === 'rename' ? [s.from, s.to] : s.op === 'write' ? [s.path, s.temp] : s.op === 'delete' ? [s.path, s.trash] : s.op === 'append' ? [s.path] : null;
    if (!paths || paths.some((p) => typeof p !== 'string' || !confine(root, p).ok)) throw corrupt('a step is malformed');
    if ((s.op === 'write' && !s.temp.startsWith(`${j.staging}/`)) || (s.op === 'delete' && !s.trash.startsWith(`${j.staging}/`))) {
      throw corrupt('a step points outside its staging folder');
    }
    if (s.op === 'append' && (typeof s.content !== 'string' || !Number.isInteger(s.size) || s.size < 0)) throw corrupt('an append step is malformed');
  }
  return j;
}

/** Before the journal exists nothing visible has changed: say so. */
function notWritten(e: unknown): PreconditionError {
  return new PreconditionError(
    `could not prepare the change in .planning/ (${(e as Error).message}); no file was changed`,
    'check free disk space and permissions on .planning/, then rerun the command',
  );
}

function corrupt(why: string): PreconditionError {
  return new PreconditionError(
    `the transaction journal .planning/${JOURNAL_FILE} cannot be used: ${why}`,
    `inspect it and the .planning/${STAGING_PREFIX}* folder, restore the files it lists from git if needed, then delete both`,
  );
}

async function lstatOrNull(abs: string): Promise<import('node:fs').Stats | null> {
  try {
    return await lstat(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw e;
  }
}

// Fault injection for the crash tests: CAIRN_TEST_CRASH_AT=<n> SIGKILLs this process at the n-th
// crash point of commit/recover. Read once; costs one comparison per point otherwise.
let crashAt: number | null | undefined;
let crashCount = 0;

function crashArmed(): boolean {
  if (crashAt === undefined) {
    const v = Number(process.env.CAIRN_TEST_CRASH_AT);
    crashAt = Number.isInteger(v) && v > 0 ? v : null;
  }
  return crashAt !== null;
}

function crashPoint(): void {
  if (crashArmed() && ++crashCount === crashAt) process.kill(process.pid, 'SIGKILL');
}

