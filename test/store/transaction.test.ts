import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PreconditionError, UsageError } from '../../src/model/errors.ts';
import { writeFileAtomic } from '../../src/store/atomic.ts';
import { acquireLock, type LockHandle } from '../../src/store/lock.ts';
import { commit, hasPendingTransaction, journalPath, recover, type Step } from '../../src/store/transaction.ts';

const roots: string[] = [];
const locks: LockHandle[] = [];

function project(files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'cairn-tx-'));
  roots.push(root);
  mkdirSync(join(root, '.planning'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

async function lock(root: string): Promise<LockHandle> {
  const l = await acquireLock(root, { command: 'cairn test' });
  locks.push(l);
  return l;
}

afterEach(async () => {
  for (const l of locks.splice(0)) await l.release();
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

const read = (root: string, rel: string) => readFileSync(join(root, rel), 'utf8');

/** Everything under .planning/ except the lock, as path → content ('<dir>' for folders). */
function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
      const p = `${rel}/${e.name}`;
      if (p === '.planning/.cairn.lock') continue;
      if (e.isSymbolicLink()) out[p] = '<link>';
      else if (e.isDirectory()) {
        out[p] = '<dir>';
        walk(p);
      } else out[p] = read(root, p);
    }
  };
  walk('.planning');
  return out;
}

describe('writeFileAtomic', () => {
  it('replaces content, keeps the mode, and leaves no temp file', async () => {
    const root = project({ '.planning/x.md': 'old' });
    const abs = join(root, '.planning/x.md');
    const { chmodSync, statSync } = await import('node:fs');
    chmodSync(abs, 0o640);
    await writeFileAtomic(abs, 'new');
    expect(read(root, '.planning/x.md')).toBe('new');
    expect(statSync(abs).mode & 0o777).toBe(0o640);
    expect(readdirSync(join(root, '.planning'))).toEqual(['x.md']);
  });

  it('fails loudly when the folder is missing, writing nothing', async () => {
    const root = project();
    await expect(writeFileAtomic(join(root, '.planning/nope/x.md'), 'a')).rejects.toThrow();
    expect(readdirSync(join(root, '.planning'))).toEqual([]);
  });
});

describe('commit', () => {
  it('applies writes, deletes, renames and appends, and cleans up after itself', async () => {
    const root = project({
      '.planning/STATE.md': 'old state\n',
      '.planning/events.jsonl': '{"a":1}\n',
      '.planning/todos/pending/t.md': 'todo\n',
      '.planning/phases/03-api/03-01-PLAN.md': 'plan\n',
    });
    const l = await lock(root);
    await commit(root, [
      { op: 'write', path: '.planning/STATE.md', content: 'new state\n' },
      { op: 'write', path: '.planning/phases/05-new/05-01-PLAN.md', content: new TextEncoder().encode('fresh\n') },
      { op: 'delete', path: '.planning/todos/pending/t.md' },
      { op: 'rename', from: '.planning/phases/03-api', to: '.planning/phases/04-api' },
      { op: 'rename', from: '.planning/phases/04-api/03-01-PLAN.md', to: '.planning/phases/04-api/04-01-PLAN.md' },
      { op: 'write', path: '.planning/phases/04-api/04-01-PLAN.md', content: 'renumbered plan\n' },
      { op: 'append', path: '.planning/events.jsonl', content: '{"b":2}\n' },
      { op: 'write', path: '.gitattributes', content: '.planning/events.jsonl merge=union\n' },
    ], l);
    expect(tree(root)).toEqual({
      '.planning/STATE.md': 'new state\n',
      '.planning/events.jsonl': '{"a":1}\n{"b":2}\n',
      '.planning/todos': '<dir>',
      '.planning/todos/pending': '<dir>',
      '.planning/phases': '<dir>',
      '.planning/phases/04-api': '<dir>',
      '.planning/phases/04-api/04-01-PLAN.md': 'renumbered plan\n',
      '.planning/phases/05-new': '<dir>',
      '.planning/phases/05-new/05-01-PLAN.md': 'fresh\n',
    });
    expect(read(root, '.gitattributes')).toBe('.planning/events.jsonl merge=union\n');
    expect(await hasPendingTransaction(root)).toBe(false);
    expect(await recover(root, l)).toBeNull();
  });

  it('renumbers a chain of same-slug folders when ordered from the end', async () => {
    const root = project({ '.planning/phases/03-setup/a': '3', '.planning/phases/04-setup/a': '4' });
    const l = await lock(root);
    await commit(root, [
      { op: 'rename', from: '.planning/phases/04-setup', to: '.planning/phases/05-setup' },
      { op: 'rename', from: '.planning/phases/03-setup', to: '.planning/phases/04-setup' },
    ], l);
    expect(read(root, '.planning/phases/05-setup/a')).toBe('4');
    expect(read(root, '.planning/phases/04-setup/a')).toBe('3');
    expect(existsSync(join(root, '.planning/phases/03-setup'))).toBe(false);
  });

  it.each<[string, Step, typeof UsageError | typeof PreconditionError]>([
    ['a parent escape', { op: 'write', path: '../outside.md', content: 'x' }, UsageError],
    ['an absolute path', { op: 'write', path: '/etc/passwd', content: 'x' }, UsageError],
    ['a file outside .planning', { op: 'write', path: 'src/index.ts', content: 'x' }, UsageError],
    ['a dotdot inside', { op: 'delete', path: '.planning/../README.md' }, UsageError],
    ['the lock file', { op: 'delete', path: '.planning/.cairn.lock' }, UsageError],
    ['the journal', { op: 'write', path: '.planning/.cairn-journal.json', content: '{}' }, UsageError],
    ['.planning itself', { op: 'delete', path: '.planning' }, UsageError],
    ['a missing file to delete', { op: 'delete', path: '.planning/missing.md' }, PreconditionError],
    ['a rename onto an existing file', { op: 'rename', from: '.planning/a.md', to: '.planning/b.md' }, PreconditionError],
    ['a rename of a missing file', { op: 'rename', from: '.planning/zz.md', to: '.planning/yy.md' }, PreconditionError],
    ['a write over a folder', { op: 'write', path: '.planning/phases', content: 'x' }, PreconditionError],
    ['a write below a file', { op: 'write', path: '.planning/a.md/x', content: 'x' }, PreconditionError],
    ['a write through a symlinked folder', { op: 'write', path: '.planning/link/x.md', content: 'x' }, PreconditionError],
  ])('refuses %s before touching anything', async (_name, step, errorClass) => {
    const root = project({ '.planning/a.md': 'a', '.planning/b.md': 'b', '.planning/phases/01-x/p.md': 'p' });
    const outside = mkdtempSync(join(tmpdir(), 'cairn-outside-'));
    roots.push(outside);
    symlinkSync(outside, join(root, '.planning/link'));
    const before = tree(root);
    const l = await lock(root);
    const ok: Step = { op: 'write', path: '.planning/a.md', content: 'changed' };
    await expect(commit(root, [ok, step], l)).rejects.toBeInstanceOf(errorClass);
    expect(tree(root)).toEqual(before);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('refuses to run without the lock it was given', async () => {
    const root = project({ '.planning/a.md': 'a' });
    const l = await lock(root);
    await l.release();
    await expect(commit(root, [{ op: 'write', path: '.planning/a.md', content: 'b' }], l)).rejects.toThrow(/after release/);
    expect(read(root, '.planning/a.md')).toBe('a');
  });
});

describe('recover', () => {
  it('without a journal removes staging folders and temp files from a crash before the commit point', async () => {
    const root = project({ '.planning/a.md': 'a' });
    mkdirSync(join(root, '.planning/.cairn-tx-abc'));
    writeFileSync(join(root, '.planning/.cairn-tx-abc/0'), 'half');
    writeFileSync(join(root, '.planning/..cairn-journal.json.cairn-tmp-123-ff'), '{"cai');
    const l = await lock(root);
    const report = await recover(root, l);
    expect(report).toMatchObject({ action: 'rolled-back', transaction: null });
    expect(report!.removed.sort()).toEqual(['.planning/..cairn-journal.json.cairn-tmp-123-ff', '.planning/.cairn-tx-abc']);
    expect(tree(root)).toEqual({ '.planning/a.md': 'a' });
  });

  it('reports leftovers of a finished transaction as cleaned up, not rolled back', async () => {
    const root = project({ '.planning/a.md': 'new' });
    mkdirSync(join(root, '.planning/.cairn-tx-done'));
    writeFileSync(join(root, '.planning/.cairn-tx-done/done-0'), '');
    const report = await recover(root, await lock(root));
    expect(report).toMatchObject({ action: 'cleaned-up', removed: ['.planning/.cairn-tx-done'] });
    expect(tree(root)).toEqual({ '.planning/a.md': 'new' });
  });

  /** A journal as `commit` writes it, for a single append whose target held `size` bytes before. */
  function appendJournal(root: string, size: number, content: string): void {
    mkdirSync(join(root, '.planning/.cairn-tx-t1'));
    writeFileSync(
      journalPath(root),
      JSON.stringify({
        cairn: 'transaction', version: 1, id: 't1', command: 'cairn plan complete', started: '2025-01-01T00:00:00.000Z',
        staging: '.planning/.cairn-tx-t1', steps: [{ op: 'append', path: '.planning/events.jsonl', size, content }],
      }),
    );
  }

  it('finishes a torn append', async () => {
    const root = project({ '.planning/events.jsonl': 'one\ntw' });
    appendJournal(root, 4, 'two\n');
    const report = await recover(root, await lock(root));
    expect(report).toMatchObject({ action: 'rolled-forward', transaction: 't1', command: 'cairn plan complete', warnings: [] });
    expect(read(root, '.planning/events.jsonl')).toBe('one\ntwo\n');
  });

  it('does not append twice when the append had completed', async () => {
    const root = project({ '.planning/events.jsonl': 'one\ntwo\n' });
    appendJournal(root, 4, 'two\n');
    await recover(root, await lock(root));
    expect(read(root, '.planning/events.jsonl')).toBe('one\ntwo\n');
  });

  it('never truncates bytes someone else added after the crash', async () => {
    const root = project({ '.planning/events.jsonl': 'one\nforeign\n' });
    appendJournal(root, 4, 'two\n');
    const report = await recover(root, await lock(root));
    expect(report!.warnings.join()).toMatch(/changed by someone else/);
    expect(read(root, '.planning/events.jsonl')).toBe('one\nforeign\ntwo\n');
  });

  it('refuses a journal that points outside the project', async () => {
    const root = project();
    writeFileSync(
      journalPath(root),
      JSON.stringify({ cairn: 'transaction', version: 1, id: 'x', command: 'c', started: '', staging: '.planning/.cairn-tx-x', steps: [{ op: 'delete', path: '../../etc', trash: '.planning/.cairn-tx-x/0' }] }),
    );
    await expect(recover(root, await lock(root))).rejects.toBeInstanceOf(PreconditionError);
  });
});
