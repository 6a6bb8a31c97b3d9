/**
 * The dashboard (`cairn serve`): first render of a 1,000-plan project's page (server time, cold:
 * load + derive + forecast + render; the same load without rendering is the baseline), the
 * JavaScript the project page loads (gzipped), and the time from a file change on disk to the SSE
 * event an open page receives (a bare fs.watch on the same folder is the baseline).
 */
import { mkdtempSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { generateProject } from './generate.ts';
import { type BenchEntry, type BenchRow, formatNumber, median } from './lib.ts';

const RUNS = 5;
const CHANGES = 9;
const WEB_SIZE = { phases: 100, plansPerPhase: 10 } as const;

export const webBench: BenchEntry = {
  name: 'web',
  async run(ctx) {
    const { createApp } = await import('../src/web/app.tsx');
    const { Projects } = await import('../src/web/projects.ts');
    const { loadProject } = await import('../src/views/load.ts');
    const { projectId } = await import('../src/views/portfolio.ts');
    const { cookieName, sessionValue } = await import('../src/web/security.ts');
    const { startServer } = await import('../src/web/server.ts');
    const { loadAssets } = await import('../src/web/assets.ts');
    const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-web-'));
    const rows: BenchRow[] = [];
    try {
      const gen = await generateProject(dir, { ...WEB_SIZE, seed: 3 });
      ctx.log(`web: ${gen.plans} plans; first render, ${RUNS} cold runs`);
      await loadAssets();
      const guard = { port: 4477, token: 'bench', write: false };
      const headers = { host: '127.0.0.1:4477', cookie: `${cookieName(4477)}=${sessionValue('bench')}` };
      const id = projectId(dir);
      const base: number[] = [];
      const first: number[] = [];
      let html = '';
      for (let i = 0; i < RUNS; i++) {
        let t = performance.now();
        await loadProject(dir);
        base.push(performance.now() - t);
        // A fresh project set each time: nothing loaded yet, as on the first request after start.
        const app = createApp({ guard, projects: new Projects([dir], true), hub: null, runId: 'bench' });
        t = performance.now();
        const res = await app.request(`http://127.0.0.1:4477/p/${id}`, { headers });
        html = await res.text();
        first.push(performance.now() - t);
        if (res.status !== 200) throw new Error(`project page answered ${res.status}`);
      }
      const baseMs = median(base);
      const firstMs = median(first);
      rows.push({ bench: 'web', measure: `load + derive + forecast, ${gen.plans} plans`, value: baseMs, unit: 'ms', note: 'baseline' });
      rows.push({ bench: 'web', measure: 'first render of the project page', value: firstMs, unit: 'ms', note: `${formatNumber(firstMs / baseMs, 2)}× baseline; budget ≤ 500 ms` });

      // Page weight: every script the project page loads, gzipped as a server would send it.
      const assets = await loadAssets();
      const scripts = [...html.matchAll(/<script[^>]*src="\/assets\/([^"]+)"/g)].map((m) => m[1]!);
      const gz = scripts.reduce((sum, name) => sum + gzipSync(assets.get(name)?.body ?? '').length, 0);
      rows.push({ bench: 'web', measure: `JS on the project page (${scripts.join(', ')})`, value: gz / 1024, unit: 'KB gz', note: 'budget ≤ 60 KB' });
      const velocity = await (await createApp({ guard, projects: new Projects([dir], false), hub: null, runId: 'bench' }).request(`http://127.0.0.1:4477/p/${id}/velocity`, { headers })).text();
      const vScripts = [...velocity.matchAll(/<script[^>]*src="\/assets\/([^"]+)"/g)].map((m) => m[1]!);
      const vGz = vScripts.reduce((sum, name) => sum + gzipSync(assets.get(name)?.body ?? '').length, 0);
      rows.push({ bench: 'web', measure: `JS on the velocity page (${vScripts.join(', ')})`, value: vGz / 1024, unit: 'KB gz', note: 'the heaviest page: charts' });

      // File change → SSE event, through the real server (socket, chokidar, debounce).
      ctx.log(`web: ${CHANGES} file changes → SSE events`);
      const raw: number[] = [];
      const w = watch(join(dir, '.planning'), { recursive: false });
      for (let i = 0; i < CHANGES; i++) {
        const t = performance.now();
        const seen = new Promise<void>((resolve) => w.once('change', () => resolve()));
        writeFileSync(join(dir, '.planning', `raw-${i}.md`), `# raw ${i}\n`);
        await seen;
        raw.push(performance.now() - t);
      }
      w.close();
      const server = await startServer({ roots: [dir], port: 0, write: false, token: 'bench' });
      try {
        const res = await fetch(`http://127.0.0.1:${server.port}/events`, { headers: { cookie: `${cookieName(server.port)}=${sessionValue('bench')}` } });
        const reader = res.body!.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        const nextEvent = async (name: string) => {
          for (;;) {
            const at = buffer.indexOf(`event: ${name}`);
            if (at >= 0) {
              buffer = buffer.slice(at + name.length + 7);
              return;
            }
            const { value, done } = await reader.read();
            if (done) throw new Error('the event stream ended');
            buffer += decoder.decode(value, { stream: true });
          }
        };
        await nextEvent('hello');
        const sse: number[] = [];
        for (let i = 0; i < CHANGES; i++) {
          const t = performance.now();
          writeFileSync(join(dir, '.planning', 'todos', 'pending', `bench-${i}.md`), `# change ${i}\n`);
          await nextEvent('change');
          sse.push(performance.now() - t);
        }
        await reader.cancel();
        const rawMs = median(raw);
        const sseMs = median(sse);
        rows.push({ bench: 'web', measure: 'file change → fs.watch event', value: rawMs, unit: 'ms', note: 'baseline' });
        rows.push({ bench: 'web', measure: 'file change → SSE event', value: sseMs, unit: 'ms', note: `${formatNumber(sseMs - rawMs, 0)} ms over baseline (debounce 60 ms); budget ≤ 300 ms` });
      } finally {
        await server.close();
      }
      return rows;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
