/**
 * `cairn serve`'s server: binds 127.0.0.1 only, takes the session secret kept for its port (see
 * session-secret.ts), watches the projects, and returns the address to open (the token rides in
 * the URL fragment, which browsers never send).
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from './app.tsx';
import { Projects } from './projects.ts';
import { sessionSecret, type SecretSource } from './session-secret.ts';
import { LiveHub } from './live.ts';
import type { Guard } from './security.ts';

export interface ServeOptions {
  roots: string[];
  /** 0 picks a free port. */
  port: number;
  write: boolean;
  /** A fixed token (CAIRN_SERVE_TOKEN): used as is, nothing stored. Else the secret kept for the port. */
  token?: string;
  /** Replace the kept secret with a fresh one (--new-token): every old cookie stops working. */
  newToken?: boolean;
  /** Folder of the kept secrets (tests); default the user state folder. */
  stateDir?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  /** Where the token came from: 'env', or the kept secret's fate (reused, created, rotated, replaced). */
  tokenSource: SecretSource | 'env';
  /** The kept secret's file and why an existing one was replaced, when it was. */
  secretFile?: string;
  secretReplaced?: string;
  projects: Projects;
  close(): Promise<void>;
}

export const HOST = '127.0.0.1';

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  // Until the kept secret is read (it needs the bound port), a throwaway one nobody knows.
  const guard: Guard = { port: opts.port, token: randomBytes(24).toString('base64url'), write: opts.write };
  const projects = new Projects(opts.roots, true);
  const hub = new LiveHub((p) => projects.invalidate(p.root));
  await hub.watch(projects.list());
  const app = createApp({ guard, projects, hub, runId: randomBytes(8).toString('hex') });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: opts.port, hostname: HOST }, () => resolve(s as Server));
    (s as Server).once('error', reject);
  });
  guard.port = (server.address() as AddressInfo).port;
  let kept;
  try {
    kept = opts.token ? null : await sessionSecret(guard.port, { rotate: opts.newToken === true, ...(opts.stateDir ? { dir: opts.stateDir } : {}) });
  } catch (e) {
    await hub.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw e;
  }
  const token = opts.token ?? kept!.secret;
  guard.token = token;
  return {
    url: `http://${HOST}:${guard.port}/#token=${token}`,
    port: guard.port,
    token,
    tokenSource: kept ? kept.source : 'env',
    ...(kept ? { secretFile: kept.file } : {}),
    ...(kept?.reason ? { secretReplaced: kept.reason } : {}),
    projects,
    close: async () => {
      await hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
