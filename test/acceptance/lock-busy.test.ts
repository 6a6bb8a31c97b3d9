/**
 * Acceptance (issue 4, bad input): an operation facing a lock held by a live process waits until
 * its deadline, then exits 4 naming the holder, and changes no file. The live lock is not stolen.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { cairn, remove, tempProject } from '../support/cli.ts';
import { walkFiles } from '../support/corpus.ts';

describe('a lock held by a live process', () => {
  const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  const roots: string[] = [];
  afterAll(() => {
    holder.kill('SIGKILL');
    roots.forEach(remove);
  });

  it('cairn decide exits 4 naming the holder, and nothing changes', () => {
    const root = tempProject({ '.planning/STATE.md': '# Project State\n\n## Current Position\n\nPhase: 1 of 1 (Only)\nStatus: In progress\n' });
    roots.push(root);
    const lock = JSON.stringify({ pid: holder.pid, host: hostname(), started: '2020-01-01T00:00:00.000Z', command: 'cairn sync (held by the test)', nonce: 'test' });
    writeFileSync(join(root, '.planning/.cairn.lock'), lock);
    const before = walkFiles(root).map((p) => [p, readFileSync(p, 'latin1')]);

    const r = cairn(['decide', '--dir', root, 'Use UTC everywhere'], { env: { CAIRN_LOCK_TIMEOUT_MS: '700' } });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`pid ${holder.pid}`);
    expect(r.stderr).toContain('cairn sync (held by the test)');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(walkFiles(root).map((p) => [p, readFileSync(p, 'latin1')])).toEqual(before);
  });
});
