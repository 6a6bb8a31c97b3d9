/**
 * `cairn mcp` — serve a project over MCP: stdio by default (one connection, the host launches
 * us), or streamable HTTP on 127.0.0.1 with a per-run token (`--http`). stdout carries protocol
 * only: the CLI entry binds console to stderr before this module loads.
 */
import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { createMcpHandler, hostHeaderValidationResponse, localhostAllowedHostnames, localhostAllowedOrigins, originValidationResponse } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { ProjectSource } from './project.ts';
import { createServer, type Subscriptions } from './instance.ts';
import { STATIC_RESOURCES } from './resources.ts';
import { ResourceWatcher } from './watch.ts';

export interface McpOptions {
  root: string;
  http?: { port: number };
  /** Called once the HTTP server listens (tests, the CLI's stderr line). */
  onListening?: (url: string, token: string) => void;
}

export async function runMcp(opts: McpOptions): Promise<void> {
  const source = new ProjectSource(opts.root);
  if (opts.http) return serveHttp(source, opts);
  const subs: Subscriptions = { uris: new Set() };
  let era: 'legacy' | 'modern' = 'legacy';
  let send: ((uri: string) => void) | null = null;
  const watcher = new ResourceWatcher(
    source,
    () => (era === 'modern' ? new Set([...Object.keys(STATIC_RESOURCES), ...subs.uris]) : subs.uris),
    (uri) => send?.(uri),
  );
  const handle = serveStdio((ctx) => {
    era = ctx.era;
    const server = createServer(source, subs, (uri) => void watcher.remember(uri));
    send = (uri) => void server.server.sendResourceUpdated({ uri }).catch(() => undefined);
    return server;
  });
  // Listen for the end of stdin first: the host may close it at any time, even during startup.
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      watcher.stop();
      void handle.close().finally(resolve);
    };
    process.stdin.once('end', stop);
    process.stdin.once('close', stop);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  watcher.start();
  // Baselines for the modern era's implicit subscriptions (also warms the snapshot).
  for (const uri of Object.keys(STATIC_RESOURCES)) await watcher.remember(uri);
  await stopped;
}

/** A per-run secret: the URL path carries it (`/mcp/<token>`), or `Authorization: Bearer <token>` on `/mcp`. */
function authorised(req: IncomingMessage, token: string): boolean {
  const path = (req.url ?? '').split('?')[0];
  if (path === `/mcp/${token}`) return true;
  return path === '/mcp' && req.headers.authorization === `Bearer ${token}`;
}

async function toRequest(req: IncomingMessage, port: number): Promise<Request> {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) for (const x of v) headers.append(k, x);
    else if (v !== undefined) headers.set(k, v);
  }
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = chunks.length ? Buffer.concat(chunks) : undefined;
  return new Request(`http://127.0.0.1:${port}/mcp`, { method: req.method, headers, ...(body && req.method !== 'GET' && req.method !== 'HEAD' ? { body } : {}) });
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((v, k) => (headers[k] = v));
  res.writeHead(response.status, headers);
  if (!response.body) return void res.end();
  const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream);
  res.once('close', () => body.destroy());
  body.pipe(res);
}

async function serveHttp(source: ProjectSource, opts: McpOptions): Promise<void> {
  const token = randomBytes(16).toString('hex');
  const handler = createMcpHandler(() => createServer(source));
  const watcher = new ResourceWatcher(source, () => Object.keys(STATIC_RESOURCES), (uri) => handler.notify.resourceUpdated(uri));
  const hosts = localhostAllowedHostnames();
  const origins = localhostAllowedOrigins();
  let port = opts.http!.port;
  const server = createHttpServer((req, res) => {
    void (async () => {
      if (!authorised(req, token)) {
        res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
        res.end(JSON.stringify({ code: 'unauthorised', message: 'this server needs its per-run token', hint: 'use the URL cairn mcp --http printed on stderr' }));
        return;
      }
      const request = await toRequest(req, port);
      // DNS rebinding: only a localhost Host and Origin may talk to us.
      const rejected = hostHeaderValidationResponse(request, hosts) ?? originValidationResponse(request, origins);
      await send(res, rejected ?? (await handler.fetch(request)));
    })().catch((e: unknown) => {
      process.stderr.write(`cairn mcp: ${e instanceof Error ? e.stack : String(e)}\n`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  if (addr && typeof addr === 'object') port = addr.port;
  for (const uri of Object.keys(STATIC_RESOURCES)) await watcher.remember(uri);
  watcher.start();
  const url = `http://127.0.0.1:${port}/mcp/${token}`;
  opts.onListening?.(url, token);
  await new Promise<void>((resolve) => {
    const stop = () => {
      watcher.stop();
      server.close();
      void handler.close().finally(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
