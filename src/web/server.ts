/**
 * `cairn serve`'s server: binds 127.0.0.1 only, makes the per-run token, watches the projects,
 * and returns the address to open (the token rides in the URL fragment, which browsers never send).
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from './app.tsx';
import { Projects } from './projects.ts';
import { LiveHub } from './live.ts';
import type { Guard } from './security.ts';

export interface ServeOptions {
  roots: string[];
  /** 0 picks a free port. */
  port: number;
  write: boolean;
  /** Reuse a token (CAIRN_SERVE_TOKEN) so open pages survive a restart; else a fresh one per run. */
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  projects: Projects;
  close(): Promise<void>;
}

export const HOST = '127.0.0.1';

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const guard: Guard = { port: opts.port, token, write: opts.write };
  const projects = new Projects(opts.roots, true);
  const hub = new LiveHub((p) => projects.invalidate(p.root));
  await hub.watch(projects.list());
  const app = createApp({ guard, projects, hub, runId: randomBytes(8).toString('hex') });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: opts.port, hostname: HOST }, () => resolve(s as Server));
    (s as Server).once('error', reject);
  });
  guard.port = (server.address() as AddressInfo).port;
  return {
    url: `http://${HOST}:${guard.port}/#token=${token}`,
    port: guard.port,
    token,
    projects,
    close: async () => {
      await hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
