/**
 * The dashboard's guards, in the order a request meets them:
 *   1. Host allowlist, before any routing: a page on another site that resolves its own name to
 *      127.0.0.1 (DNS rebinding) is refused with 403.
 *   2. Security headers on every response, a strict CSP on every one (no inline script or style).
 *   3. A session cookie for everything but the static assets: the token (kept per port, see
 *      session-secret.ts) travels in the URL fragment (never sent to a server, never logged), the
 *      page posts it once to /auth and gets an HttpOnly SameSite=Strict cookie named for the port.
 *   4. Writes (only with --write) need the cookie, the exact Origin, a JSON body and a custom header
 *      — none of which a cross-site form or image can supply. There is no CORS at all.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';

export interface Guard {
  /** The port the server listens on (known once it listens). */
  port: number;
  token: string;
  write: boolean;
}

/** The custom header every write (and the token exchange) must carry. */
export const WRITE_HEADER = 'x-cairn-request';

export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const HEADERS: Record<string, string> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  'Cache-Control': 'no-store',
};

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function cookieName(port: number): string {
  return `cairn_session_${port}`;
}

/** The cookie holds a hash of the token, so the token itself is never stored by the browser. */
export function sessionValue(token: string): string {
  return createHash('sha256').update(`cairn-session:${token}`).digest('base64url');
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function hostOf(c: Context): string {
  return c.req.header('host') ?? new URL(c.req.url).host;
}

export function hostAllowlist(guard: Guard): MiddlewareHandler {
  return async (c, next) => {
    const host = hostOf(c);
    const urlHost = new URL(c.req.url).host;
    const ok = allowedHosts(guard.port);
    if (!ok.includes(host) || !ok.includes(urlHost)) {
      return c.text('403 Forbidden: unknown Host. Open the address `cairn serve` printed.\n', 403, HEADERS);
    }
    await next();
  };
}

export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  for (const [k, v] of Object.entries(HEADERS)) c.res.headers.set(k, v);
  // Never any CORS: whatever a handler did, no cross-origin reader is allowed.
  for (const k of [...c.res.headers.keys()]) if (k.startsWith('access-control-')) c.res.headers.delete(k);
};

export function hasSession(c: Context, guard: Guard): boolean {
  const value = getCookie(c, cookieName(guard.port));
  return value !== undefined && sameSecret(value, sessionValue(guard.token));
}

/** The exact origin of this page: scheme, the allowed Host the request came to, port. */
export function expectedOrigin(c: Context): string {
  return `http://${hostOf(c)}`;
}

/**
 * What a state-changing request must carry besides the session (checked for /auth too, which sets
 * it): the exact Origin, `Content-Type: application/json`, and the custom header.
 * Returns the reason for a refusal, or null.
 */
export function writeRefusal(c: Context): string | null {
  if (c.req.header('origin') !== expectedOrigin(c)) return 'the Origin header is missing or foreign';
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return 'the body must be application/json';
  if (c.req.header(WRITE_HEADER) !== '1') return `the ${WRITE_HEADER} header is missing`;
  return null;
}
