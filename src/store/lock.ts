/**
 * One lock for `.planning/`, held across the whole read-modify-write of an operation.
 *
 * `.planning/.cairn.lock` is created exclusively (`open(path, 'wx')`) and holds
 * `{pid, host, started, command, nonce}`. The rules, each the opposite of a GSD bug (gsd-format §4):
 * - A live holder is never stolen, however old its lock (GSD deleted fresh and old-but-live locks
 *   after a timeout and lost updates). We wait, then fail with `LockError`.
 * - Only a holder proven dead is taken over: same host, and `kill(pid, 0)` says ESRCH. A holder on
 *   another host cannot be checked, so it is never taken over; the message says how to remove it.
 * - Content we cannot parse (a writer between `open` and `write`, or a crash there) is an unknown
 *   live holder until the file is older than `TORN_GRACE_MS`.
 * - Any error other than "exists" propagates: we never proceed unlocked (GSD #3772).
 * - Waiting sleeps with jitter (no busy spin, GSD #1909); the lock is released on normal exit and
 *   on SIGINT/SIGTERM/SIGHUP by a synchronous handler (GSD #1916).
 *
 * Race-free takeover. Several waiters can see the same dead holder at once. If each simply
 * unlinked the path, a slow waiter could unlink the fresh lock that a faster one had just created
 * (check-then-unlink is not atomic; POSIX has no "unlink if this inode"). So removing a stale file
 * requires holding its claim file `<path>.takeover` (created with 'wx', so one holder at a time),
 * and, under the claim, re-reading the file and unlinking it only if it is still the *same
 * generation* we judged stale (same inode, size, mtime and content; our content carries a random
 * nonce, so two generations never compare equal). While we hold the claim nobody else can remove
 * that generation: its owner is dead and every other remover needs the claim. So the unlink hits
 * exactly the stale file or nothing. After that everyone races on `open('wx')` again, fairly.
 * A claim whose own holder died (killed inside this millisecond window) is itself a stale file and
 * is removed by the same procedure one level up (`<path>.takeover.takeover`); the depth is bounded
 * because each level needs another crash inside that window.
 */
import { uniqueHex } from '../model/random.ts';
import { readFileSync, unlinkSync } from 'node:fs';
import { mkdir, open, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { LockError, PreconditionError, UsageError } from '../model/errors.ts';

export const LOCK_FILE = '.cairn.lock';
const PLANNING = '.planning';
const DEFAULT_DEADLINE_MS = 15_000;
/** How long unparseable lock content counts as a live writer still filling the file in. */
export const TORN_GRACE_MS = 2_000;
const MAX_REAP_DEPTH = 3;
const TRANSIENT = new Set(['EINTR', 'EAGAIN', 'EBUSY']);

export interface LockInfo {
  pid: number;
  host: string;
  /** ISO time the holder acquired the lock. */
  started: string;
  /** What the holder is doing, e.g. `cairn plan complete 02-01`. */
  command: string;
  /** Random per acquisition; tells two generations of the lock file apart. */
  nonce?: string;
  /** Set when the file could not be parsed; then pid is 0 and `started` is the file's mtime. */
  unreadable?: true;
}

export interface LockHandle {
  /** Project root (the folder holding `.planning/`). */
  readonly root: string;
  /** Absolute path of the lock file. */
  readonly path: string;
  readonly info: LockInfo;
  readonly released: boolean;
  /** Throws `LockError` unless this handle still owns the lock file on disk. */
  verify(): Promise<void>;
  /** Removes the lock file if it is still ours. Safe to call more than once. */
  release(): Promise<void>;
}

export interface AcquireOptions {
  command: string;
  /** How long to wait for a live holder. Default 15 s; `CAIRN_LOCK_TIMEOUT_MS` overrides the default. */
  deadlineMs?: number;
  /** Called, once the lock is ours, for each dead holder whose lock this call removed. */
  onTakeover?: (holder: LockInfo) => void;
  /**
   * Where the lock file lives when not `.planning/.cairn.lock`: in a git checkout, one file in the
   * common git folder that every worktree of it shares (the workspace layer resolves it, since
   * this layer does not know git). Its folder is created if missing.
   */
  path?: string;
}

type Holder =
  | { kind: 'absent' }
  | { kind: 'present'; info: LockInfo; identity: string; ageMs: number };

export function lockPath(root: string): string {
  return join(root, PLANNING, LOCK_FILE);
}

const host = hostname();
/** Nonces of locks this process holds right now (several async callers in one process share them). */
const heldHere = new Map<string, Handle>();

export async function acquireLock(root: string, opts: AcquireOptions): Promise<LockHandle> {
  const path = opts.path ?? lockPath(root);
  if (opts.path) await mkdir(dirname(path), { recursive: true });
  const deadline = Date.now() + deadlineFor(opts.deadlineMs);
  const info: LockInfo = {
    pid: process.pid,
    host,
    started: '',
    command: opts.command,
    nonce: uniqueHex(12),
  };
  const takenOver: LockInfo[] = [];
  let last: LockInfo | null = null;
  let vanished = 0;
  let pause = 4;
  for (;;) {
    info.started = new Date().toISOString();
    if (await tryCreate(path, info)) {
      const handle = new Handle(root, path, info);
      for (const h of takenOver) opts.onTakeover?.(h);
      return handle;
    }
    const holder = await readHolder(path);
    if (holder.kind === 'present') {
      last = holder.info;
      if (isStale(holder.info, holder.ageMs) && (await reap(path, holder.identity, 0))) {
        takenOver.push(holder.info);
        continue;
      }
    } else if (++vanished % 8 !== 0) {
      continue; // released between our open and our read: try again at once, but never spin
    }
    const left = deadline - Date.now();
    if (left <= 0) throw lockError(path, last);
    // Jittered backoff: waiters spread out instead of waking in step.
    await sleep(Math.min(left, pause * (0.5 + Math.random())));
    pause = Math.min(pause * 1.6, 60);
  }
}

/** One line naming a holder, for messages: `pid 42 on host a ("cairn sync", since …)`. */
export function describeHolder(h: LockInfo): string {
  if (h.unreadable) return `an unknown process (unreadable lock file, last written ${h.started})`;
  const where = h.host === host ? 'this host' : `host ${h.host}`;
  return `pid ${h.pid} on ${where} ("${h.command}", since ${h.started})`;
}

function deadlineFor(explicit: number | undefined): number {
  if (explicit !== undefined) return explicit;
  const env = process.env.CAIRN_LOCK_TIMEOUT_MS;
  if (env === undefined || env === '') return DEFAULT_DEADLINE_MS;
  const n = Number(env);
  if (!Number.isFinite(n) || n < 0) {
    throw new UsageError(`CAIRN_LOCK_TIMEOUT_MS must be a number of milliseconds, got "${env.slice(0, 40)}"`, 'unset it or set e.g. CAIRN_LOCK_TIMEOUT_MS=30000');
  }
  return n;
}

async function tryCreate(path: string, info: LockInfo): Promise<boolean> {
  // Registered before the file exists, so an in-process waiter never mistakes it for a dead pid's.
  heldHere.set(info.nonce!, placeholder);
  let fh;
  try {
    fh = await open(path, 'wx');
  } catch (e) {
    heldHere.delete(info.nonce!);
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST' || TRANSIENT.has(code)) return false;
    if (code === 'ENOENT') {
      throw new PreconditionError(`no .planning/ folder under ${join(path, '..', '..')}`, 'run the command in a project folder, or `cairn init` to create one');
    }
    throw e;
  }
  try {
    await fh.writeFile(JSON.stringify(info) + '\n');
  } catch (e) {
    await fh.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    heldHere.delete(info.nonce!);
    throw e;
  }
  await fh.close();
  return true;
}

/** Reads content and stat through one descriptor, so both describe the same generation of the file. */
async function readHolder(path: string): Promise<Holder> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    throw e;
  }
  try {
    const st = await fh.stat();
    const text = await fh.readFile('utf8');
    const identity = `${st.ino}|${st.size}|${st.mtimeMs}|${text}`;
    const ageMs = Date.now() - st.mtimeMs;
    const info = parseInfo(text) ?? { pid: 0, host: '', started: st.mtime.toISOString(), command: '', unreadable: true as const };
    return { kind: 'present', info, identity, ageMs };
  } finally {
    await fh.close();
  }
}

function parseInfo(text: string): LockInfo | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  // A pid must be a positive integer: kill(0) and kill(-1) address whole process groups.
  if (typeof o.pid !== 'number' || !Number.isInteger(o.pid) || o.pid <= 0) return null;
  if (typeof o.host !== 'string') return null;
  return {
    pid: o.pid,
    host: o.host,
    started: typeof o.started === 'string' ? o.started : '?',
    command: typeof o.command === 'string' ? o.command : '?',
    ...(typeof o.nonce === 'string' ? { nonce: o.nonce } : {}),
  };
}

/** True only when the holder is provably gone (or the file is unreadable past the grace period). */
function isStale(h: LockInfo, ageMs: number): boolean {
  if (h.unreadable) return ageMs > TORN_GRACE_MS;
  if (h.host !== host) return false;
  if (h.pid === process.pid) {
    // Our own pid: either one of our live acquisitions, or a previous process that had this pid.
    return h.nonce === undefined || !heldHere.has(h.nonce);
  }
  try {
    process.kill(h.pid, 0);
    return false;
  } catch (e) {
    // EPERM: alive but owned by another user. Only ESRCH proves death.
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Removes `path` if it is still the generation `identity`, holding `<path>.takeover` while checking
 * and unlinking (see the module comment). Returns true if this call removed it.
 */
async function reap(path: string, identity: string, depth: number): Promise<boolean> {
  const claim = `${path}.takeover`;
  const mine: LockInfo = { pid: process.pid, host, started: new Date().toISOString(), command: 'lock takeover', nonce: uniqueHex(12) };
  if (!(await tryCreate(claim, mine))) {
    if (depth >= MAX_REAP_DEPTH) return false;
    const other = await readHolder(claim);
    if (other.kind === 'present' && isStale(other.info, other.ageMs)) await reap(claim, other.identity, depth + 1);
    return false;
  }
  try {
    const now = await readHolder(path);
    if (now.kind === 'present' && now.identity === identity) {
      try {
        await unlink(path);
        return true;
      } catch (e) {
        ignoreEnoent(e);
        return false;
      }
    }
    return false;
  } finally {
    // Forget the nonce only once the claim is gone: until then an in-process waiter must see it as live.
    try {
      await unlinkIfOurs(claim, mine.nonce!);
    } finally {
      heldHere.delete(mine.nonce!);
    }
  }
}

async function unlinkIfOurs(path: string, nonce: string): Promise<void> {
  const h = await readHolder(path);
  if (h.kind === 'present' && h.info.nonce === nonce) await unlink(path).catch(ignoreEnoent);
}

function ignoreEnoent(e: unknown): void {
  if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
}

function lockError(path: string, h: LockInfo | null): LockError {
  const rel = `${PLANNING}/${LOCK_FILE}`;
  if (!h) {
    return new LockError(`could not create ${rel} before the deadline`, `check that ${path} can be created (permissions, disk space) and retry`);
  }
  if (h.unreadable) {
    return new LockError(
      `.planning/ is locked: ${rel} exists but cannot be read as a Cairn lock (last written ${h.started})`,
      `if no cairn command is running on this project, delete ${path} and retry`,
    );
  }
  const what = `.planning/ is locked by ${describeHolder(h)}`;
  if (h.host !== host) {
    return new LockError(
      what,
      `Cairn cannot tell whether a process on host ${h.host} is alive, so it never removes that lock itself. Wait for it and retry; if ${h.host} no longer runs cairn on this project, delete ${path} by hand and retry.`,
    );
  }
  return new LockError(
    what,
    `wait for it to finish and retry (set CAIRN_LOCK_TIMEOUT_MS to wait longer); if pid ${h.pid} is stuck, stop it (kill ${h.pid}) and retry: a dead holder's lock is taken over automatically`,
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

class Handle implements LockHandle {
  released = false;
  constructor(
    readonly root: string,
    readonly path: string,
    readonly info: LockInfo,
  ) {
    heldHere.set(info.nonce!, this);
    installExitHooks();
  }

  async verify(): Promise<void> {
    if (this.released) throw new LockError('internal: the .planning/ lock was used after release', 'report this');
    const h = await readHolder(this.path);
    if (h.kind === 'absent' || h.info.nonce !== this.info.nonce) {
      throw new LockError(
        `the .planning/ lock (${this.path}) was removed or replaced while this command held it`,
        'something outside cairn deleted the lock file; make sure no other tool edits .planning/ and retry',
      );
    }
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    try {
      await unlinkIfOurs(this.path, this.info.nonce!);
    } finally {
      heldHere.delete(this.info.nonce!);
      if (heldHere.size === 0) removeExitHooks();
    }
  }

  releaseSync(): void {
    if (this.released) return;
    this.released = true;
    heldHere.delete(this.info.nonce!);
    try {
      const text = readFileSync(this.path, 'utf8');
      if (parseInfo(text)?.nonce === this.info.nonce) unlinkSync(this.path);
    } catch {
      // Exiting anyway: a lock left behind names a dead pid and is taken over by the next command.
    }
  }
}

/** Stands in for a handle between `open('wx')` and the Handle's construction. */
const placeholder = { releaseSync(): void {} } as unknown as Handle;

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let hooked = false;

function releaseAllSync(): void {
  for (const h of [...heldHere.values()]) h.releaseSync();
}

function onSignal(signal: NodeJS.Signals): void {
  releaseAllSync();
  removeExitHooks();
  // Re-raise so the default action (or the program's own handler) still ends the process.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function installExitHooks(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', releaseAllSync);
  for (const s of SIGNALS) process.on(s, onSignal);
}

function removeExitHooks(): void {
  if (!hooked) return;
  hooked = false;
  process.off('exit', releaseAllSync);
  for (const s of SIGNALS) process.off(s, onSignal);
}
