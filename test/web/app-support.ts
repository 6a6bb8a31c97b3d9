/** An in-process dashboard over real projects, driven with hono's app.request() (no socket). */
import { createApp } from '../../src/web/app.tsx';
import { Projects } from '../../src/web/projects.ts';
import { cookieName, sessionValue, WRITE_HEADER, type Guard } from '../../src/web/security.ts';

export const PORT = 4477;
export const ORIGIN = `http://127.0.0.1:${PORT}`;
export const TOKEN = 'test-token-0123456789abcdef';

export function testApp(roots: string[], write = false) {
  const guard: Guard = { port: PORT, token: TOKEN, write };
  const projects = new Projects(roots, false);
  const app = createApp({ guard, projects, hub: null, runId: 'test-run' });
  const cookie = `${cookieName(PORT)}=${sessionValue(TOKEN)}`;
  /** A request as the signed-in page would make it; `headers` override the defaults. */
  const request = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    app.request(`${ORIGIN}${path}`, { ...init, headers: { host: `127.0.0.1:${PORT}`, cookie, ...init.headers } });
  const writeHeaders = { origin: ORIGIN, 'content-type': 'application/json', [WRITE_HEADER]: '1' };
  return { app, guard, projects, request, cookie, writeHeaders };
}
