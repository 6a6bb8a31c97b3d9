import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LockError, PreconditionError } from '../../src/model/errors.ts';
import { acquireLock, lockPath, type LockInfo } from '../../src/store/lock.ts';
import { startWorker } from './spawn.ts';

const roots: string[] = [];
function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'cairn-lock-'));
  mkdirSync(join(root, '.planning'));
  roots.push(root);
  return root;
}
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

/** The pid of a process that has already exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8', env: { PATH: process.env.PATH } });
  const pid = Number(r.stdout);
  expect(() => process.kill(pid, 0)).toThrow();
  return pid;
}

function writeLock(root: string, info: Partial<LockInfo>): void {
  writeFileSync(lockPath(root), JSON.stringify({ host: hostname(), started: '2020-01-01T00:00:00.000Z', command: 'cairn old', ...info }));
}

const readCounter = (root: string) => Number(readFileSync(join(root, '.planning/counter'), 'utf8'));

describe('lock across real processes', () => {
  it('8 processes × 25 locked increments lose no update', async () => {
    const root = project();
    writeFileSync(join(root, '.planning/counter'), '0');
    const workers = Array.from({ length: 8 }, () => startWorker('lock-worker.ts', ['counter', root, '25']));
    await Promise.all(workers.map((w) => w.waitFor('ready')));
    for (const w of workers) w.child.stdin!.end('go\n');
    const results = await Promise.all(workers.map((w) => w.exited));
    for (const [i, r] of results.entries()) {
      expect(workers[i]!.out()).not.toContain('OVERLAP');
      expect(r, r.stderr).toMatchObject({ code: 0 });
    }
    expect(readCounter(root)).toBe(200);
    expect(existsSync(lockPath(root))).toBe(false);
  });

  it('takes over a lock whose holder died on this host, and says so', async () => {
    const root = project();
    const pid = deadPid();
    writeLock(root, { pid, command: 'cairn plan complete 02-01' });
    const seen: LockInfo[] = [];
    const lock = await acquireLock(root, { command: 'test', deadlineMs: 2_000, onTakeover: (h) => seen.push(h) });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ pid, command: 'cairn plan complete 02-01' });
    expect(JSON.parse(readFileSync(lockPath(root), 'utf8'))).toMatchObject({ pid: process.pid, command: 'test' });
    await lock.release();
    expect(existsSync(lockPath(root))).toBe(false);
  });

  it('a chain of holders that die holding the lock is taken over one at a time', async () => {
    const root = project();
    writeFileSync(join(root, '.planning/counter'), '0');
    writeLock(root, { pid: deadPid() });
    const workers = Array.from({ length: 6 }, () => startWorker('lock-worker.ts', ['chain', root]));
    await Promise.all(workers.map((w) => w.waitFor('ready')));
    for (const w of workers) w.child.stdin!.end('go\n');
    const results = await Promise.all(workers.map((w) => w.exited));
    const out = workers.map((w) => w.out()).join('');
    expect(out).not.toContain('OVERLAP');
    for (const r of results) expect(r.signal, r.stderr).toBe('SIGKILL');
    expect(readCounter(root)).toBe(6);
    // Each dead generation was removed exactly once: the seeded one and those of 5 of the 6 workers.
    expect(out.match(/TAKEOVER \d+/g)).toHaveLength(6);
    // The last one died holding it too: the next acquirer takes over.
    const taken: LockInfo[] = [];
    const lock = await acquireLock(root, { command: 'after', deadlineMs: 2_000, onTakeover: (h) => taken.push(h) });
    expect(taken.map((h) => h.pid)).toHaveLength(1);
    expect(workers.map((w) => w.child.pid)).toContain(taken[0]!.pid);
    await lock.release();
  });

  it('never steals a live holder, even with an old lock file, and names it in the LockError', async () => {
    const root = project();
    const holder = startWorker('lock-worker.ts', ['hold', root]);
    try {
      await holder.waitFor('held');
      const before = readFileSync(lockPath(root), 'utf8');
      const old = new Date(Date.now() - 3_600_000);
      utimesSync(lockPath(root), old, old);
      const started = Date.now();
      const err = await acquireLock(root, { command: 'second', deadlineMs: 600 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LockError);
      expect(Date.now() - started).toBeGreaterThanOrEqual(550);
      expect((err as LockError).message).toContain(`pid ${holder.child.pid}`);
      expect((err as LockError).message).toContain('hold forever');
      expect((err as LockError).hint).toContain(`kill ${holder.child.pid}`);
      expect(readFileSync(lockPath(root), 'utf8')).toBe(before);
    } finally {
      holder.child.kill('SIGTERM');
    }
    const r = await holder.exited;
    expect(r.signal).toBe('SIGTERM');
    // The holder's signal handler released the lock on the way out.
    expect(existsSync(lockPath(root))).toBe(false);
  });

  it('a process that exits without releasing leaves no lock behind', async () => {
    const root = project();
    const w = startWorker('lock-worker.ts', ['exit', root]);
    expect((await w.exited).code).toBe(0);
    expect(existsSync(lockPath(root))).toBe(false);
  });
});

describe('lock rules in one process', () => {
  it('never takes over a holder on another host; the hint says how to remove it by hand', async () => {
    const root = project();
    writeLock(root, { pid: 1, host: 'build-box-7', command: 'cairn sync' });
    const err = await acquireLock(root, { command: 'x', deadlineMs: 150 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockError);
    expect((err as LockError).message).toContain('host build-box-7');
    expect((err as LockError).hint).toContain(`delete ${lockPath(root)} by hand`);
    expect(JSON.parse(readFileSync(lockPath(root), 'utf8')).host).toBe('build-box-7');
  });

  it('treats unreadable content as a live writer until the grace period, then takes it over', async () => {
    const root = project();
    writeFileSync(lockPath(root), '{"pid": 12');
    const err = await acquireLock(root, { command: 'x', deadlineMs: 200 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockError);
    expect(readFileSync(lockPath(root), 'utf8')).toBe('{"pid": 12');
    const old = new Date(Date.now() - 5_000);
    utimesSync(lockPath(root), old, old);
    const seen: LockInfo[] = [];
    const lock = await acquireLock(root, { command: 'x', deadlineMs: 500, onTakeover: (h) => seen.push(h) });
    expect(seen[0]?.unreadable).toBe(true);
    await lock.release();
  });

  it('a lock naming our own pid that we do not hold is a previous process with this pid', async () => {
    const root = project();
    writeLock(root, { pid: process.pid, nonce: 'someone-before-us' });
    const lock = await acquireLock(root, { command: 'x', deadlineMs: 200 });
    await lock.release();
  });

  it('serialises concurrent acquirers inside one process', async () => {
    const root = project();
    const file = join(root, '.planning/counter');
    writeFileSync(file, '0');
    let inside = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        const lock = await acquireLock(root, { command: 'task', deadlineMs: 10_000 });
        expect(++inside).toBe(1);
        const v = Number(readFileSync(file, 'utf8'));
        await new Promise((r) => setTimeout(r, 1));
        writeFileSync(file, String(v + 1));
        inside--;
        await lock.release();
      }),
    );
    expect(readFileSync(file, 'utf8')).toBe('20');
  });

  it('takeover is race-free: 8 waiters × 25 holders that each die holding the lock', async () => {
    const root = project();
    const dead = deadPid();
    let inside = 0;
    let count = 0;
    let takeovers = 0;
    writeLock(root, { pid: dead, nonce: 'initial' });
    await Promise.all(
      Array.from({ length: 8 }, async (_, t) => {
        for (let i = 0; i < 25; i++) {
          const lock = await acquireLock(root, { command: 'task', deadlineMs: 20_000, onTakeover: () => takeovers++ });
          expect(++inside).toBe(1);
          const v = count;
          await new Promise((r) => setTimeout(r, Math.random() * 2));
          count = v + 1;
          inside--;
          // "Die" holding the lock: the file now names a dead process, and release() leaves it alone.
          writeLock(root, { pid: dead, nonce: `dead-${t}-${i}` });
          await lock.release();
        }
      }),
    );
    expect(count).toBe(200);
    expect(takeovers).toBe(200);
    expect(existsSync(`${lockPath(root)}.takeover`)).toBe(false);
  });

  it('CAIRN_LOCK_TIMEOUT_MS sets the default deadline', async () => {
    const root = project();
    const first = await acquireLock(root, { command: 'first' });
    process.env.CAIRN_LOCK_TIMEOUT_MS = '150';
    try {
      const started = Date.now();
      await expect(acquireLock(root, { command: 'second' })).rejects.toBeInstanceOf(LockError);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      delete process.env.CAIRN_LOCK_TIMEOUT_MS;
      await first.release();
    }
  });

  it('release is idempotent and verify fails after release or removal', async () => {
    const root = project();
    const lock = await acquireLock(root, { command: 'x' });
    await lock.verify();
    rmSync(lockPath(root));
    await expect(lock.verify()).rejects.toBeInstanceOf(LockError);
    const again = await acquireLock(root, { command: 'y', deadlineMs: 100 });
    // The old handle must not delete the new holder's file.
    await lock.release();
    await lock.release();
    expect(existsSync(lockPath(root))).toBe(true);
    await again.release();
    await expect(again.verify()).rejects.toBeInstanceOf(LockError);
  });

  it('without .planning/ it is a precondition error, not a silent success', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cairn-lock-'));
    roots.push(root);
    await expect(acquireLock(root, { command: 'x' })).rejects.toBeInstanceOf(PreconditionError);
  });
});
