/** MCP test helpers: the SDK's real client, in memory against createServer, or over stdio/HTTP against the built binary. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { createServer } from '../../src/mcp/instance.ts';
import { ProjectSource } from '../../src/mcp/project.ts';
import { bin } from './cli.ts';

export async function memoryClient(root: string): Promise<{ client: Client; close: () => Promise<void> }> {
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const server = createServer(new ProjectSource(root), { uris: new Set() });
  await server.connect(serverTransport);
  const client = new Client({ name: 'cairn-test', version: '1.0.0' });
  await client.connect(clientTransport);
  return { client, close: async () => { await client.close(); await server.close(); } };
}

export async function stdioClient(root: string, opts: { modern?: boolean } = {}): Promise<{ client: Client; close: () => Promise<void> }> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [bin, 'mcp', root], stderr: 'pipe', env: { ...process.env, NO_COLOR: '1' } as Record<string, string> });
  const client = new Client({ name: 'cairn-test', version: '1.0.0' }, opts.modern ? { versionNegotiation: { mode: 'auto' } } : {});
  await client.connect(transport);
  return { client, close: () => client.close() };
}

/** Starts `cairn mcp --http` and resolves with its URL (read from stderr). */
export function httpServer(root: string): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [bin, 'mcp', root, '--http'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no URL from cairn mcp --http: ${err}`)), 20_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/mcp\/[0-9a-f]+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, child, stop: () => new Promise((r) => { child.once('exit', () => r()); child.kill('SIGTERM'); }) });
      }
    });
    child.once('exit', (code) => reject(new Error(`cairn mcp --http exited ${code}: ${err}`)));
  });
}

/** Every file and folder under `root`: path → bytes (hex digest would hide nothing we need) + mtime. */
export function treeSnapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (abs: string, rel: string) => {
    for (const name of readdirSync(abs).sort()) {
      const p = join(abs, name);
      const st = lstatSync(p);
      const r = rel ? `${rel}/${name}` : name;
      if (st.isDirectory()) {
        out.set(`${r}/`, `${st.mtimeMs}`);
        visit(p, r);
      } else out.set(r, `${st.mtimeMs}\0${readFileSync(p, 'utf8')}`);
    }
  };
  visit(root, '');
  return out;
}

export function textOf(result: unknown): string {
  const r = result as { content?: { type: string; text?: string }[]; contents?: { text?: string }[] };
  return (r.content ?? r.contents ?? []).map((c) => c.text ?? '').join('\n');
}

export function tokens(value: unknown): number {
  return Math.ceil(JSON.stringify(value).length / 4);
}
