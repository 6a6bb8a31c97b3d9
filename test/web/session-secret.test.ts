/**
 * The session secret kept per port in the user state folder: reused by the next server on the
 * same port (an old cookie keeps working), rotated by --new-token (the old cookie and token are
 * refused), and never trusted when the file is group/other readable, garbage or a symlink.
 * Real servers on real sockets, a temp state folder each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyProject, remove, tempDir } from '../support/cli.ts';
import { repoRoot } from '../support/corpus.ts';
import { startServer, type RunningServer } from '../../src/web/server.ts';
import { cookieName, WRITE_HEADER } from '../../src/web/security.ts';
import { secretPath, sessionSecret, stateDir } from '../../src/web/session-secret.ts';

let root = '';
const dirs: string[] = [];
const state = () => {
  const d = tempDir('cairn-state-');
  dirs.push(d);
  return d;
};

beforeAll(() => {
  root = copyProject(join(repoRoot, 'examples/moonlight'));
});
afterAll(() => {
  remove(root);
  for (const d of dirs) remove(d);
});

/** The token exchange as the page does it; returns the cookie pair, or null and the status. */
async function signIn(s: RunningServer, token: string): Promise<{ status: number; cookie: string | null }> {
  const origin = `http://127.0.0.1:${s.port}`;
  const res = await fetch(`${origin}/auth`, { method: 'POST', headers: { origin, 'content-type': 'application/json', [WRITE_HEADER]: '1' }, body: JSON.stringify({ token }) });
  const set = res.headers.get('set-cookie');
  await res.arrayBuffer();
  return { status: res.status, cookie: set ? set.split(';')[0]! : null };
}

async function apiStatus(s: RunningServer, cookie: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${s.port}/api/portfolio`, { headers: { cookie } });
  await res.arrayBuffer();
  return res.status;
}

function mode(file: string): number {
  return statSync(file).mode & 0o777;
}

describe('the kept session secret', () => {
  it('is created 0600 in the state folder, then reused by the next server on that port: the old cookie still works', async () => {
    const dir = state();
    const first = await startServer({ roots: [root], port: 0, write: false, stateDir: dir });
    let port = first.port;
    let cookie = '';
    try {
      expect(first.tokenSource).toBe('created');
      expect(first.secretFile).toBe(secretPath(port, dir));
      expect(mode(first.secretFile!)).toBe(0o600);
      expect(readFileSync(first.secretFile!, 'utf8').trim()).toBe(first.token);
      // Nothing is written into the project.
      expect(readdirSync(root).some((n) => n.includes('secret'))).toBe(false);
      const signed = await signIn(first, first.token);
      expect(signed.status).toBe(200);
      expect(signed.cookie!.startsWith(`${cookieName(port)}=`)).toBe(true);
      cookie = signed.cookie!;
      expect(await apiStatus(first, cookie)).toBe(200);
    } finally {
      await first.close();
    }
    const second = await startServer({ roots: [root], port, write: false, stateDir: dir });
    try {
      expect(second.tokenSource).toBe('reused');
      expect(second.token).toBe(first.token);
      expect(await apiStatus(second, cookie)).toBe(200);
    } finally {
      await second.close();
    }
    // --new-token: a fresh secret; the cookie and the token of before are refused.
    const third = await startServer({ roots: [root], port, write: false, stateDir: dir, newToken: true });
    try {
      expect(third.tokenSource).toBe('rotated');
      expect(third.token).not.toBe(first.token);
      expect(readFileSync(secretPath(port, dir), 'utf8').trim()).toBe(third.token);
      expect(mode(secretPath(port, dir))).toBe(0o600);
      expect(await apiStatus(third, cookie)).toBe(401);
      expect((await signIn(third, first.token)).status).toBe(403);
      const fresh = await signIn(third, third.token);
      expect(fresh.status).toBe(200);
      expect(fresh.cookie).not.toBe(cookie);
      expect(await apiStatus(third, fresh.cookie!)).toBe(200);
    } finally {
      await third.close();
    }
    // Another port keeps its own secret: a cookie is only ever good for its port.
    port = port === 65535 ? port - 1 : port + 1;
    const other = await sessionSecret(port, { dir });
    expect(other.source).toBe('created');
    expect(other.secret).not.toBe(third.token);
  });

  it('ignores and replaces a file another user could read, one holding garbage, and a symlink', async () => {
    const dir = state();
    const port = 41_001;
    const original = await sessionSecret(port, { dir });
    const file = original.file;

    chmodSync(file, 0o644);
    const loose = await sessionSecret(port, { dir });
    expect(loose.source).toBe('replaced');
    expect(loose.reason).toMatch(/mode is 644/);
    expect(loose.secret).not.toBe(original.secret);
    expect(mode(file)).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(loose.secret);

    writeFileSync(file, 'not a secret at all\n', { mode: 0o600 });
    chmodSync(file, 0o600);
    const garbage = await sessionSecret(port, { dir });
    expect(garbage.source).toBe('replaced');
    expect(garbage.reason).toMatch(/does not hold a secret/);
    expect(garbage.secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(readFileSync(file, 'utf8').trim()).toBe(garbage.secret);

    // A symlink to a well-formed 0600 file elsewhere is still not trusted, and its target is left alone.
    const elsewhere = join(state(), 'planted');
    writeFileSync(elsewhere, `${'A'.repeat(32)}\n`, { mode: 0o600 });
    remove(file);
    symlinkSync(elsewhere, file);
    const linked = await sessionSecret(port, { dir });
    expect(linked.source).toBe('replaced');
    expect(linked.secret).not.toBe('A'.repeat(32));
    expect(lstatSync(file).isSymbolicLink()).toBe(false);
    expect(readFileSync(elsewhere, 'utf8')).toBe(`${'A'.repeat(32)}\n`);

    // Once replaced, the next run trusts the new file again, and no temp file is left behind.
    expect((await sessionSecret(port, { dir })).source).toBe('reused');
    expect(readdirSync(dir).filter((n) => n.includes('cairn-tmp'))).toEqual([]);
  });

  it('a server over a replaced file refuses the cookie made from the old secret', async () => {
    const dir = state();
    const first = await startServer({ roots: [root], port: 0, write: false, stateDir: dir });
    const port = first.port;
    let cookie = '';
    try {
      cookie = (await signIn(first, first.token)).cookie!;
      expect(await apiStatus(first, cookie)).toBe(200);
    } finally {
      await first.close();
    }
    chmodSync(secretPath(port, dir), 0o640);
    const second = await startServer({ roots: [root], port, write: false, stateDir: dir });
    try {
      expect(second.tokenSource).toBe('replaced');
      expect(second.secretReplaced).toMatch(/mode is 640/);
      expect(await apiStatus(second, cookie)).toBe(401);
    } finally {
      await second.close();
    }
  });

  it('CAIRN_SERVE_TOKEN (opts.token) is used as is and stores nothing', async () => {
    const dir = state();
    const s = await startServer({ roots: [root], port: 0, write: false, stateDir: dir, token: 'fixed-token-for-this-test-only' });
    try {
      expect(s.tokenSource).toBe('env');
      expect(s.token).toBe('fixed-token-for-this-test-only');
      expect(existsSync(secretPath(s.port, dir))).toBe(false);
      expect((await signIn(s, 'fixed-token-for-this-test-only')).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('lives under XDG_STATE_HOME when it is absolute, else ~/.local/state', () => {
    expect(stateDir({ XDG_STATE_HOME: '/somewhere/state' })).toBe(join('/somewhere/state', 'cairn'));
    expect(stateDir({ XDG_STATE_HOME: 'relative/state' })).toMatch(/\.local[/\\]state[/\\]cairn$/);
    expect(stateDir({})).toMatch(/\.local[/\\]state[/\\]cairn$/);
  });
});
