/**
 * The MCP server: `tools/list` size, time to answer `initialize` over stdio (spawning the built
 * binary; spawning `node -e 0` is the baseline), warm `cairn_status` latency in memory on the
 * example and on the largest corpus repository (the per-call signature check alone is the
 * baseline), and the size of `status --brief`. Tokens are characters ÷ 4.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type BenchEntry, type BenchRow, formatNumber, median, skipped } from './lib.ts';

const RUNS = 5;
const CALLS = 40;
const LARGEST = 'AllTheMachines__Faceplate';

export const mcpBench: BenchEntry = {
  name: 'mcp',
  async run(ctx) {
    const { Client, InMemoryTransport } = await import('@modelcontextprotocol/client');
    const { StdioClientTransport } = await import('@modelcontextprotocol/client/stdio');
    const { createServer } = await import('../src/mcp/instance.ts');
    const { ProjectSource, signatures } = await import('../src/mcp/project.ts');
    const bin = join(ctx.repoRoot, 'dist', 'cairn.cjs');
    const example = join(ctx.repoRoot, 'examples', 'moonlight');
    const rows: BenchRow[] = [];
    const tokens = (v: unknown) => Math.ceil(JSON.stringify(v).length / 4);

    const memory = async (root: string) => {
      const [c, s] = InMemoryTransport.createLinkedPair();
      const server = createServer(new ProjectSource(root), { uris: new Set() });
      await server.connect(s);
      const client = new Client({ name: 'bench', version: '1' });
      await client.connect(c);
      return client;
    };

    const client = await memory(example);
    const list = await client.listTools();
    rows.push({ bench: 'mcp', measure: 'tools/list size', value: tokens(list), unit: 'tokens', note: `${list.tools.length} tools; target ≤ 1,500` });
    await client.close();

    ctx.log(`mcp: initialize over stdio, ${RUNS} runs`);
    const init: number[] = [];
    const base: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      let t = performance.now();
      spawnSync(process.execPath, ['-e', '0']);
      base.push(performance.now() - t);
      const c = new Client({ name: 'bench', version: '1' });
      t = performance.now();
      await c.connect(new StdioClientTransport({ command: process.execPath, args: [bin, 'mcp', example], stderr: 'ignore' }));
      init.push(performance.now() - t);
      await c.close();
    }
    rows.push({ bench: 'mcp', measure: 'initialize (spawn + handshake)', value: median(init), unit: 'ms', note: `${formatNumber(median(init) / median(base))}× spawning node -e 0 (${formatNumber(median(base))} ms)` });

    const warm = async (name: string, root: string, target: number) => {
      const c = await memory(root);
      for (let i = 0; i < 3; i++) await c.callTool({ name: 'cairn_status', arguments: {} });
      const ms: number[] = [];
      const sig: number[] = [];
      for (let i = 0; i < CALLS; i++) {
        let t = performance.now();
        await c.callTool({ name: 'cairn_status', arguments: {} });
        ms.push(performance.now() - t);
        t = performance.now();
        signatures(root);
        sig.push(performance.now() - t);
      }
      await c.close();
      rows.push({ bench: 'mcp', measure: `warm cairn_status, ${name}`, value: median(ms), unit: 'ms', note: `target ≤ ${target} ms; signature check alone ${formatNumber(median(sig), 2)} ms` });
    };
    await warm('examples/moonlight', example, 5);
    if (ctx.corpusDir) await warm(LARGEST, join(ctx.corpusDir, LARGEST), 20);
    else rows.push(skipped('mcp', `warm cairn_status, ${LARGEST}`, 'no corpus'));

    for (const [name, root] of [['examples/moonlight', example], ...(ctx.corpusDir ? [[LARGEST, join(ctx.corpusDir, LARGEST)]] : [])] as const) {
      const r = spawnSync(process.execPath, [bin, 'status', root, '--brief'], { encoding: 'utf8', env: { ...process.env, CAIRN_NO_CACHE: '1' } });
      rows.push({ bench: 'mcp', measure: `status --brief size, ${name}`, value: Math.ceil(r.stdout.length / 4), unit: 'tokens', note: 'target ≤ 200' });
    }
    return rows;
  },
};
