/**
 * The dashboard's guards, in process: Host allowlist, session, write guard, no CORS, CSP and
 * security headers, untrusted planning text, and routes that never take a path.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyProject, remove, tempDir } from '../support/cli.ts';
import { repoRoot } from '../support/corpus.ts';
import { projectId } from '../../src/views/portfolio.ts';
import { runOperation } from '../../src/ops/run.ts';
import { decide } from '../../src/ops/decide.ts';
import { ORIGIN, PORT, TOKEN, testApp } from './app-support.ts';

const HOSTILE = ['<img src=x onerror="alert(1)">', '[click me](javascript:alert(1))', '</script><script>alert(1)</script>'];
/** Longer than any operation accepts (4 KB): only a hand edit or an agent can write it. */
const LONG_LINE = `${'A'.repeat(10_000)} end-of-long-line`;
const SECRET = 'TOP-SECRET-OUTSIDE-THE-ROOT';

let root = '';
let outside = '';
let id: string;

/** Every file under .planning/ with its bytes, to prove a refused write changed nothing. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out[p] = readFileSync(p, 'utf8');
    }
  };
  walk(join(dir, '.planning'));
  return out;
}

beforeAll(async () => {
  root = copyProject(join(repoRoot, 'examples/moonlight'));
  id = projectId(root);
  for (const text of HOSTILE) await runOperation({ dir: root, command: 'test', dryRun: false }, (ctx) => decide(ctx, { text }));
  const statePath = join(root, '.planning/STATE.md');
  const state = readFileSync(statePath, 'utf8');
  writeFileSync(statePath, state.replace('### Blockers/Concerns\n\n', () => `### Blockers/Concerns\n\n- ${LONG_LINE}\n`));
  // An out-of-root symlink inside .planning/: nothing behind it may be served or shown.
  outside = tempDir();
  mkdirSync(join(outside, 'phases-evil'));
  writeFileSync(join(outside, 'phases-evil', '09-01-PLAN.md'), `# ${SECRET}\n`);
  writeFileSync(join(outside, 'secret.md'), `${SECRET}\n`);
  symlinkSync(join(outside, 'phases-evil'), join(root, '.planning', 'phases', '09-evil'));
  symlinkSync(join(outside, 'secret.md'), join(root, '.planning', 'SECRET.md'));
});

afterAll(() => {
  if (root) remove(root);
  if (outside) remove(outside);
});

const VIEWS = () => ['/', `/p/${id}`, `/p/${id}/roadmap`, `/p/${id}/velocity`, `/p/${id}/burnup`, `/p/${id}/history`, `/p/${id}/checks`];
const APIS = () => ['/api/portfolio', `/api/p/${id}`, `/api/p/${id}/checks`, `/api/p/${id}/history`, `/api/p/${id}/burnup`, `/api/p/${id}/forecast`];

describe('Host allowlist (before routing)', () => {
  it('refuses a foreign Host with 403 on every route, assets and auth included', async () => {
    const { request } = testApp([root]);
    for (const path of [...VIEWS(), ...APIS(), '/assets/app.js', '/healthz', '/nowhere']) {
      const res = await request(path, { headers: { host: 'evil.example:4477' } });
      expect(res.status, path).toBe(403);
      expect(res.headers.get('content-security-policy'), path).toContain("default-src 'none'");
    }
    const auth = await request('/auth', { method: 'POST', headers: { host: 'attacker.test', origin: 'http://attacker.test', 'content-type': 'application/json', 'x-cairn-request': '1' }, body: JSON.stringify({ token: TOKEN }) });
    expect(auth.status).toBe(403);
    // The right name on the wrong port is foreign too (another local server's page).
    expect((await request('/', { headers: { host: '127.0.0.1:9999' } })).status).toBe(403);
  });

  it('answers 127.0.0.1 and localhost on its port', async () => {
    const { request } = testApp([root]);
    expect((await request('/')).status).toBe(200);
    const res = await testApp([root]).app.request(`http://localhost:${PORT}/`, { headers: { host: `localhost:${PORT}`, cookie: testApp([root]).cookie } });
    expect(res.status).toBe(200);
  });
});

describe('session', () => {
  it('without the cookie: 401 for pages (a sign-in page), api and events', async () => {
    const { request } = testApp([root]);
    for (const path of [...VIEWS(), ...APIS(), '/events']) {
      const res = await request(path, { headers: { cookie: '' } });
      expect(res.status, path).toBe(401);
    }
    const page = await (await request('/', { headers: { cookie: `cairn_session_${PORT}=wrong` } })).text();
    expect(page).toContain('Sign in');
    expect(page).not.toContain('Moonlight');
  });

  it('exchanges the token for an HttpOnly SameSite=Strict cookie named for the port', async () => {
    const { request, writeHeaders } = testApp([root]);
    const ok = await request('/auth', { method: 'POST', headers: { ...writeHeaders, cookie: '' }, body: JSON.stringify({ token: TOKEN }) });
    expect(ok.status).toBe(200);
    const set = ok.headers.get('set-cookie') ?? '';
    expect(set).toMatch(new RegExp(`^cairn_session_${PORT}=`));
    expect(set).toContain('HttpOnly');
    expect(set).toContain('SameSite=Strict');
    expect(set).not.toContain(TOKEN);
    const cookie = set.split(';')[0]!;
    expect((await request('/', { headers: { cookie } })).status).toBe(200);
  });

  it('refuses a wrong token, a foreign Origin, a missing header and text/plain at /auth', async () => {
    const { request, writeHeaders } = testApp([root]);
    const body = JSON.stringify({ token: TOKEN });
    const cases: Record<string, Record<string, string>> = {
      'wrong token': writeHeaders,
      'foreign origin': { ...writeHeaders, origin: 'http://evil.example' },
      'no origin': { 'content-type': 'application/json', 'x-cairn-request': '1' },
      'no header': { origin: ORIGIN, 'content-type': 'application/json' },
      'text/plain': { ...writeHeaders, 'content-type': 'text/plain' },
    };
    for (const [name, headers] of Object.entries(cases)) {
      const res = await request('/auth', { method: 'POST', headers: { ...headers, cookie: '' }, body: name === 'wrong token' ? JSON.stringify({ token: 'nope' }) : body });
      expect(res.status, name).toBe(403);
      expect(res.headers.get('set-cookie'), name).toBeNull();
    }
  });
});

describe('writes', () => {
  const body = JSON.stringify({ text: 'Recorded from the dashboard' });

  it('are refused without --write, and nothing is written', async () => {
    const { request, writeHeaders } = testApp([root], false);
    const before = snapshot(root);
    const res = await request(`/api/p/${id}/decide`, { method: 'POST', headers: writeHeaders, body });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toContain('--write');
    expect(snapshot(root)).toEqual(before);
  });

  it('with --write need the cookie, the exact Origin, a JSON body and the header; each refusal writes nothing', async () => {
    const { request, writeHeaders } = testApp([root], true);
    const before = snapshot(root);
    const cases: Record<string, RequestInit & { headers: Record<string, string> }> = {
      'foreign Origin': { headers: { ...writeHeaders, origin: 'http://evil.example' } },
      'Origin of another port': { headers: { ...writeHeaders, origin: 'http://127.0.0.1:9999' } },
      'missing Origin': { headers: { 'content-type': 'application/json', 'x-cairn-request': '1' } },
      'missing header': { headers: { origin: ORIGIN, 'content-type': 'application/json' } },
      'missing cookie': { headers: { ...writeHeaders, cookie: '' } },
      'text/plain': { headers: { ...writeHeaders, 'content-type': 'text/plain' } },
      'form body': { headers: { ...writeHeaders, 'content-type': 'application/x-www-form-urlencoded' } },
    };
    for (const [name, init] of Object.entries(cases)) {
      const res = await request(`/api/p/${id}/decide`, { method: 'POST', body, ...init });
      expect([401, 403], name).toContain(res.status);
      expect(snapshot(root), name).toEqual(before);
    }
    const bad = await request(`/api/p/${id}/decide`, { method: 'POST', headers: writeHeaders, body: 'not json' });
    expect(bad.status).toBe(400);
    expect(snapshot(root)).toEqual(before);
  });

  it('with everything right, records the decision through the operation', async () => {
    const { request, writeHeaders } = testApp([root], true);
    const res = await request(`/api/p/${id}/decide`, { method: 'POST', headers: writeHeaders, body });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { changed: string[] }).changed).toContain('.planning/events.jsonl');
    expect(readFileSync(join(root, '.planning/events.jsonl'), 'utf8')).toContain('Recorded from the dashboard');
  });
});

describe('headers', () => {
  it('never sends Access-Control-Allow-Origin, even to a preflight or a cross-origin request', async () => {
    const { request } = testApp([root], true);
    for (const path of [...VIEWS(), ...APIS(), '/assets/app.js', '/events', `/api/p/${id}/decide`]) {
      for (const method of ['GET', 'OPTIONS']) {
        const res = await request(path, { method, headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
        expect([...res.headers.keys()].filter((k) => k.startsWith('access-control-')), `${method} ${path}`).toEqual([]);
        await res.body?.cancel();
      }
    }
  });

  it('puts a strict CSP and the security headers on every HTML response (pages, 401, 404)', async () => {
    const { request } = testApp([root]);
    const responses = [
      ...(await Promise.all(VIEWS().map((p) => request(p)))),
      await request('/', { headers: { cookie: '' } }),
      await request('/p/nope'),
    ];
    for (const res of responses) {
      expect(res.headers.get('content-type')).toContain('text/html');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      const html = await res.text();
      // No inline script or style anywhere: everything the CSP allows comes from /assets.
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/\sstyle=/);
      expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+=/i);
    }
  });
});

describe('planning text is untrusted', () => {
  it('shows a hostile decision as text: no element, no javascript: link, no script break-out, the long line whole', async () => {
    const { request } = testApp([root]);
    const html = await (await request(`/p/${id}`)).text();
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    expect(html).not.toMatch(/<img[^>]*onerror/i);
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('[click me](javascript:alert(1))');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.match(/<script/g)?.length).toBe(1); // app.js only
    expect(html).toContain(LONG_LINE);
  });

  it('renders only allowlisted inline nodes and URL schemes', async () => {
    const { parseInline, safeHref } = await import('../../src/web/text.tsx');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref(' JaVaScRiPt:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,<b>x</b>')).toBeNull();
    expect(safeHref('vbscript:x')).toBeNull();
    expect(safeHref('/relative')).toBeNull();
    expect(safeHref('https://example.com/a?b')).toBe('https://example.com/a?b');
    expect(parseInline('see [docs](https://example.com) and `x<y` **bold**')).toEqual([
      { type: 'text', text: 'see ' },
      { type: 'link', href: 'https://example.com/', children: [{ type: 'text', text: 'docs' }] },
      { type: 'text', text: ' and ' },
      { type: 'code', text: 'x<y' },
      { type: 'text', text: ' ' },
      { type: 'strong', children: [{ type: 'text', text: 'bold' }] },
    ]);
  });
});

describe('routes take ids, never paths', () => {
  it('answers 404 to traversal, double encoding, backslashes and names behind an out-of-root symlink', async () => {
    const { request } = testApp([root]);
    const paths = [
      '/p/..%2F..%2Fetc%2Fpasswd',
      `/p/${id}/..%2F..%2F.planning%2FSTATE.md`,
      '/p/%252e%252e%252f%252e%252e%252fetc',
      '/assets/..%2F..%2Fpackage.json',
      '/assets/%2e%2e%2f%2e%2e%2fpackage.json',
      '/assets/%252e%252e%252fpackage.json',
      '/assets/..%5C..%5Cpackage.json',
      '/assets/..\\..\\package.json',
      `/p/${id}/.planning/SECRET.md`,
      `/p/${id}/phases/09-evil/09-01-PLAN.md`,
      `/p/${encodeURIComponent(root)}`,
      `/api/p/${encodeURIComponent(join(root, '.planning/SECRET.md'))}`,
    ];
    for (const path of paths) {
      const res = await request(path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).not.toContain(SECRET);
    }
  });

  it('never shows what sits behind a symlink that leaves the project', async () => {
    const { request } = testApp([root]);
    expect(statSync(join(root, '.planning/SECRET.md')).isFile()).toBe(true);
    for (const path of [...VIEWS(), ...APIS()]) {
      const text = await (await request(path)).text();
      expect(text, path).not.toContain(SECRET);
    }
  });
});
