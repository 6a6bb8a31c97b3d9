/**
 * End to end over stdio against the built binary: the SDK's real client on both protocol eras,
 * raw stdout bytes that are protocol only, and a bundle in which no other command loads MCP code.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bin, copyProject, remove } from '../support/cli.ts';
import { repoRoot } from '../support/corpus.ts';
import { stdioClient, textOf } from '../support/mcp.ts';

const moonlight = join(repoRoot, 'examples', 'moonlight');
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

describe('cairn mcp over stdio', () => {
  it('serves the 2025 initialize handshake to the SDK client', async () => {
    const root = copyProject(moonlight);
    cleanup.push(() => remove(root));
    const { client, close } = await stdioClient(root);
    cleanup.unshift(close);
    expect(client.getServerVersion()?.name).toBe('cairn');
    expect(client.getProtocolEra()).toBe('legacy');
    const r = await client.callTool({ name: 'cairn_status', arguments: {} });
    expect(textOf(r)).toContain('Moonlight');
  });

  it('serves the stateless 2026-07-28 protocol (server/discover) to the SDK client', async () => {
    const root = copyProject(moonlight);
    cleanup.push(() => remove(root));
    const { client, close } = await stdioClient(root, { modern: true });
    cleanup.unshift(close);
    expect(client.getProtocolEra()).toBe('modern');
    const r = await client.callTool({ name: 'cairn_status', arguments: { detail: 'full', sections: ['position'] } });
    expect(textOf(r)).toContain('Feeds and Print');
    expect((r.structuredContent as { stateHash: string }).stateHash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('writes nothing but JSON-RPC messages on stdout', async () => {
    const root = copyProject(moonlight);
    cleanup.push(() => remove(root));
    const child = spawn(process.execPath, [bin, 'mcp', root], { stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    const send = (m: object) => child.stdin.write(`${JSON.stringify(m)}\n`);
    const count = () => Buffer.concat(chunks).toString('utf8').split('\n').filter(Boolean).length;
    const deadline = Date.now() + 20_000;
    // As a client must: wait for the initialize result before anything else.
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
    while (count() < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'cairn_status', arguments: {} } });
    send({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'cairn_read', arguments: { id: 'plan:99-01' } } });
    send({ jsonrpc: '2.0', id: 5, method: 'resources/read', params: { uri: 'cairn://state' } });
    while (count() < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    // The server exits when its stdin ends.
    const exited = new Promise((r) => child.once('exit', r));
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    expect(await exited).toBe(0);
    clearTimeout(timer);
    const raw = Buffer.concat(chunks).toString('utf8');
    expect(raw.endsWith('\n')).toBe(true);
    const lines = raw.slice(0, -1).split('\n');
    const ids = lines.map((line) => {
      const m = JSON.parse(line) as { jsonrpc: string; id?: number };
      expect(m.jsonrpc).toBe('2.0');
      return m.id;
    });
    expect(ids.sort()).toEqual([1, 2, 3, 4, 5]);
  });
});

/** Chunks a module loads: static imports and dynamic import() of local chunks, transitively. */
function closure(entry: string, followDynamic: (file: string) => boolean): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from\s*|import\s*\(\s*|import\s*)["'](\.\.?\/[^"']+\.mjs)["']/g)) {
      const target = join(dirname(file), m[1]!);
      const dynamic = m[0].includes('(');
      if (!dynamic || followDynamic(target)) visit(target);
    }
  };
  visit(entry);
  return seen;
}

describe('bundle', () => {
  it('keeps every MCP and SDK byte out of the chunks status loads', () => {
    const chunks = join(repoRoot, 'dist', 'chunks');
    const files = readdirSync(chunks).map((f) => join(chunks, f));
    const isSdk = (f: string) => /modelcontextprotocol|jsonrpc|cairn-data/i.test(readFileSync(f, 'utf8'));
    const sdkChunks = files.filter(isSdk);
    expect(sdkChunks.length).toBeGreaterThan(0);
    // From the entry, follow only the status command; from there, everything it may import.
    const statusChunk = files.find((f) => /[/\\]status-[A-Z0-9]+\.mjs$/.test(f))!;
    expect(statusChunk).toBeDefined();
    // The executable is a launcher that imports the program (dist/cairn.mjs) by a computed path;
    // the launcher itself holds none of it.
    expect(isSdk(bin)).toBe(false);
    const program = join(repoRoot, 'dist', 'cairn.mjs');
    const loaded = closure(program, (f) => f === statusChunk || closure(statusChunk, () => true).has(f));
    expect(loaded.has(statusChunk)).toBe(true);
    expect([...loaded].filter(isSdk)).toEqual([]);
    // And the mcp command reaches them (so the check above could fail).
    const mcpChunk = files.find((f) => /[/\\]mcp-[A-Z0-9]+\.mjs$/.test(f))!;
    expect([...closure(mcpChunk, () => true)].some(isSdk)).toBe(true);
  });
});
