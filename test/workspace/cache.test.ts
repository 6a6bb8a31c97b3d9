/**
 * The parse cache never answers stale: every kind of change to `.planning/` shows in the next
 * load, a broken or foreign cache file is ignored, and a cached load equals an uncached one on
 * every corpus repository. All in process, on real files in temp folders.
 */
import { describe, it, expect, afterAll, beforeEach, afterEach } from 'vitest';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, truncateSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { loadWorkspace, WorkspaceCache, type Workspace } from '../../src/workspace/index.ts';
import { derive } from '../../src/derive/index.ts';
import { corpusDir, corpusRepos, hasCorpus } from '../support/corpus.ts';
import { tempProject, remove } from '../support/cli.ts';

const NOW = new Date('2026-06-01T12:00:00Z');
const STATE = (decisions: string[]) =>
  `# Project State\n\n## Current Position\n\nPhase: 1 of 2 (Setup)\nPlan: 1 of 2 in current phase\nStatus: In progress\n\n## Accumulated Context\n\n### Decisions\n\n${decisions.map((d) => `- [01-01]: ${d}`).join('\n')}\n`;
const PLAN = (id: string) => `---\nphase: 01-setup\nplan: ${id}\nwave: 1\ndepends_on: []\n---\n\n# Plan ${id}\n`;
const SUMMARY = (minutes: number) => `---\nduration: ${minutes}min\ncompleted: 2026-05-01\n---\n\n# Summary\n`;

/** The answer as a user sees it: the derived state and every diagnostic. */
function answer(ws: Workspace): string {
  const state = derive(ws, NOW);
  return JSON.stringify({ state, diagnostics: ws.diagnostics });
}
async function fresh(root: string): Promise<string> {
  return answer(await loadWorkspace(root));
}

const cacheDirs: string[] = [];
const roots: string[] = [];
function cacheDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'cairn-wscache-'));
  cacheDirs.push(d);
  return d;
}
function project(): string {
  const root = tempProject({
    '.planning/STATE.md': STATE(['One']),
    '.planning/ROADMAP.md': '# Roadmap\n\n- [ ] **Phase 1: Setup**\n- [ ] **Phase 2: Ship**\n',
    '.planning/phases/01-setup/01-01-PLAN.md': PLAN('01'),
    '.planning/phases/01-setup/01-01-SUMMARY.md': SUMMARY(10),
    '.planning/phases/01-setup/01-02-PLAN.md': PLAN('02'),
    '.planning/phases/01-setup/01-CONTEXT.md': '# Context\n',
  });
  roots.push(root);
  return root;
}
/** Makes every file look old, so nothing is racily clean (a project edited minutes ago). */
function age(root: string, rels: string[]): void {
  const t = new Date(Date.now() - 60_000);
  for (const rel of rels) utimesSync(join(root, rel), t, t);
}
const ALL = ['.planning/STATE.md', '.planning/ROADMAP.md', '.planning/phases/01-setup/01-01-PLAN.md', '.planning/phases/01-setup/01-01-SUMMARY.md', '.planning/phases/01-setup/01-02-PLAN.md'];

afterAll(() => {
  roots.forEach(remove);
  cacheDirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

describe('WorkspaceCache', () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.CAIRN_NO_CACHE;
    delete process.env.CAIRN_NO_CACHE;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.CAIRN_NO_CACHE;
    else process.env.CAIRN_NO_CACHE = saved;
  });

  it('reuses every unchanged file, reads none, and gives the uncached answer', async () => {
    const root = project();
    age(root, ALL);
    const cache = new WorkspaceCache();
    const first = answer(await cache.load(root));
    expect(cache.stats).toMatchObject({ parsed: 5, reused: 0 });
    const second = answer(await cache.load(root));
    expect(cache.stats).toMatchObject({ parsed: 0, reused: 5, verified: 0 });
    expect(second).toBe(first);
    expect(second).toBe(await fresh(root));
  });

  it('sees an edit, a rename, a delete and an added file, parsing only those', async () => {
    const root = project();
    age(root, ALL);
    const cache = new WorkspaceCache();
    await cache.load(root);
    appendFileSync(join(root, '.planning/STATE.md'), '- [01-02]: Two\n');
    let ws = await cache.load(root);
    expect(cache.stats).toMatchObject({ parsed: 1, reused: 4 });
    expect(derive(ws, NOW).decisions.total).toBe(2);
    expect(answer(ws)).toBe(await fresh(root));

    renameSync(join(root, '.planning/phases/01-setup/01-02-PLAN.md'), join(root, '.planning/phases/01-setup/01-03-PLAN.md'));
    ws = await cache.load(root);
    expect(ws.phases[0]!.plans.map((p) => p.id)).toEqual(['01-01', '01-03']);
    expect(answer(ws)).toBe(await fresh(root));

    unlinkSync(join(root, '.planning/phases/01-setup/01-01-SUMMARY.md'));
    ws = await cache.load(root);
    expect(ws.phases[0]!.plans[0]!.summary).toBeNull();
    expect(answer(ws)).toBe(await fresh(root));

    writeFileSync(join(root, '.planning/phases/01-setup/01-03-SUMMARY.md'), SUMMARY(25));
    ws = await cache.load(root);
    expect(ws.phases[0]!.plans[1]!.summary?.record.durationMinutes).toBe(25);
    expect(answer(ws)).toBe(await fresh(root));
  });

  it('a same-size rewrite with the old modification time restored is still seen (ctime)', async () => {
    const root = project();
    age(root, ALL);
    const cache = new WorkspaceCache();
    await cache.load(root);
    const file = join(root, '.planning/STATE.md');
    const before = statSync(file);
    writeFileSync(file, STATE(['Eno']));
    expect(statSync(file).size).toBe(before.size);
    utimesSync(file, before.atime, before.mtime);
    const ws = await cache.load(root);
    expect(derive(ws, NOW).decisions.recent.map((d) => d.text)).toEqual(['Eno']);
  });

  it('content changed within the same timestamp tick is verified by content (racily clean)', async () => {
    const root = project();
    // A filesystem that keeps whole seconds: the rewrite below leaves size, times and inode equal.
    const cache = new WorkspaceCache({ timestampGranularityMs: 1000 });
    const file = join(root, '.planning/STATE.md');
    const t = new Date(Math.floor(Date.now() / 1000) * 1000);
    utimesSync(file, t, t);
    expect(derive(await cache.load(root), NOW).decisions.recent.map((d) => d.text)).toEqual(['One']);
    writeFileSync(file, STATE(['Uno']));
    utimesSync(file, t, t);
    const ws = await cache.load(root);
    expect(derive(ws, NOW).decisions.recent.map((d) => d.text)).toEqual(['Uno']);
    expect(answer(ws)).toBe(await fresh(root));
  });

  it('persists between processes: a new instance starts from the disk file and reads nothing', async () => {
    const root = project();
    age(root, ALL);
    const dir = cacheDir();
    const a = new WorkspaceCache({ persist: true, dir });
    const first = answer(await a.load(root));
    expect(existsSync(a.fileFor(root))).toBe(true);
    const b = new WorkspaceCache({ persist: true, dir });
    const ws = await b.load(root);
    expect(b.stats).toMatchObject({ fromDisk: true, parsed: 0, reused: 5 });
    expect(answer(ws)).toBe(first);
    // A document is read on first use only, and is the file's.
    expect(ws.state!.doc.text).toBe(readFileSync(join(root, '.planning/STATE.md'), 'utf8'));
  });

  it('deferSave: loads write no cache file, flush() writes what they learnt', async () => {
    const root = project();
    age(root, ALL);
    const dir = cacheDir();
    const a = new WorkspaceCache({ persist: true, deferSave: true, dir });
    const first = answer(await a.load(root));
    await a.load(root);
    expect(existsSync(a.fileFor(root))).toBe(false);
    a.flush(root);
    expect(existsSync(a.fileFor(root))).toBe(true);
    const b = new WorkspaceCache({ persist: true, dir });
    expect(answer(await b.load(root))).toBe(first);
    expect(b.stats).toMatchObject({ fromDisk: true, parsed: 0, reused: 5 });
  });

  it('a moved project folder answers for its new place', async () => {
    const root = project();
    age(root, ALL);
    const dir = cacheDir();
    await new WorkspaceCache({ persist: true, dir }).load(root);
    const moved = `${root}-moved`;
    renameSync(root, moved);
    roots.push(moved);
    const c = new WorkspaceCache({ persist: true, dir });
    const ws = await c.load(moved);
    expect(ws.root).toBe(moved);
    expect(c.stats.fromDisk).toBe(false);
    expect(answer(ws)).toBe(await fresh(moved));
  });

  it('a corrupt, truncated or foreign cache file is ignored and rebuilt', async () => {
    const root = project();
    age(root, ALL);
    const dir = cacheDir();
    const expected = await fresh(root);
    const file = new WorkspaceCache({ dir }).fileFor(root);
    await new WorkspaceCache({ persist: true, dir }).load(root);
    const good = readFileSync(file);

    for (const broken of [Buffer.from('not a cache at all'), good.subarray(0, Math.floor(good.length / 2)), Buffer.alloc(0), serialize({ format: 'cairn-workspace-cache/1', version: 'dev', root, entries: [['x', { sig: 1 }]] })]) {
      writeFileSync(file, broken);
      const c = new WorkspaceCache({ persist: true, dir });
      expect(answer(await c.load(root))).toBe(expected);
      expect(c.stats).toMatchObject({ fromDisk: false, parsed: 5 });
      // Rebuilt: the next instance starts from the disk again.
      const d = new WorkspaceCache({ persist: true, dir });
      await d.load(root);
      expect(d.stats).toMatchObject({ fromDisk: true, parsed: 0 });
    }
  });

  it('two Cairn versions side by side never use each other\'s entries', async () => {
    const root = project();
    age(root, ALL);
    const dir = cacheDir();
    const expected = await fresh(root);
    const v1 = new WorkspaceCache({ persist: true, dir, version: '1.0.0' });
    await v1.load(root);
    // Version 2 reads STATE.md differently: simulate by poisoning its record in a v2 cache file.
    const v2 = new WorkspaceCache({ persist: true, dir, version: '2.0.0' });
    expect(answer(await v2.load(root))).toBe(expected);
    expect(v2.stats.fromDisk).toBe(false);
    const again = new WorkspaceCache({ persist: true, dir, version: '1.0.0' });
    expect(answer(await again.load(root))).toBe(expected);
    expect(again.stats).toMatchObject({ fromDisk: false, parsed: 5 });
  });

  it('CAIRN_NO_CACHE=1 reads every file every time and writes no cache', async () => {
    const root = project();
    age(root, ALL);
    const dir = cacheDir();
    process.env.CAIRN_NO_CACHE = '1';
    const c = new WorkspaceCache({ persist: true, dir });
    await c.load(root);
    const ws = await c.load(root);
    expect(c.stats).toMatchObject({ parsed: 5, reused: 0 });
    expect(existsSync(c.fileFor(root))).toBe(false);
    expect(answer(ws)).toBe(await fresh(root));
  });

  it('nothing changed: the very same workspace is returned, still equal to a fresh load', async () => {
    const root = project();
    age(root, ALL);
    const cache = new WorkspaceCache();
    const first = await cache.load(root);
    const second = await cache.load(root);
    expect(second).toBe(first);
    expect(cache.stats).toMatchObject({ parsed: 0, reused: 5 });
    expect(answer(second)).toBe(await fresh(root));
  });

  it('one plan changed: its phase is rebuilt, the other phases are reused as they were', async () => {
    const root = tempProject({
      '.planning/ROADMAP.md': '# Roadmap\n\n- [ ] **Phase 1: Setup**\n- [ ] **Phase 2: Ship**\n',
      '.planning/phases/01-setup/01-01-PLAN.md': PLAN('01'),
      '.planning/phases/02-ship/02-01-PLAN.md': PLAN('01'),
      '.planning/phases/02-ship/02-01-SUMMARY.md': SUMMARY(10),
    });
    roots.push(root);
    const rels = ['.planning/ROADMAP.md', '.planning/phases/01-setup/01-01-PLAN.md', '.planning/phases/02-ship/02-01-PLAN.md', '.planning/phases/02-ship/02-01-SUMMARY.md'];
    age(root, rels);
    const cache = new WorkspaceCache();
    const before = await cache.load(root);
    writeFileSync(join(root, '.planning/phases/02-ship/02-01-SUMMARY.md'), SUMMARY(40));
    // Only the edited file (utimes moves ctime, which the signature compares).
    age(root, ['.planning/phases/02-ship/02-01-SUMMARY.md']);
    const after = await cache.load(root);
    expect(cache.stats).toMatchObject({ parsed: 1, reused: 3 });
    expect(after).not.toBe(before);
    expect(after.phases[0]).toBe(before.phases[0]);
    expect(after.phases[1]).not.toBe(before.phases[1]);
    expect(after.phases[1]!.plans[0]!.summary?.record.durationMinutes).toBe(40);
    expect(before.phases[1]!.plans[0]!.summary?.record.durationMinutes).toBe(10);
    expect(answer(after)).toBe(await fresh(root));
  });

  it('a listing change with every file unchanged is still seen: a new empty phase folder, a side document', async () => {
    const root = project();
    age(root, ALL);
    const cache = new WorkspaceCache();
    const first = await cache.load(root);
    mkdirSync(join(root, '.planning/phases/02-ship'));
    let ws = await cache.load(root);
    expect(ws).not.toBe(first);
    expect(ws.phases.map((p) => p.name)).toEqual(['01-setup', '02-ship']);
    expect(answer(ws)).toBe(await fresh(root));
    writeFileSync(join(root, '.planning/phases/02-ship/02-RESEARCH.md'), '# Research\n');
    ws = await cache.load(root);
    expect(ws.phases[1]!.otherFiles).toEqual(['.planning/phases/02-ship/02-RESEARCH.md']);
    expect(answer(ws)).toBe(await fresh(root));
    rmSync(join(root, '.planning/phases/02-ship'), { recursive: true });
    ws = await cache.load(root);
    expect(ws.phases.map((p) => p.name)).toEqual(['01-setup']);
    expect(answer(ws)).toBe(await fresh(root));
  });

  it('folders listed while old are not listed again, yet an added file is seen even with the folder mtime put back', async () => {
    const root = project();
    const dirs = ['.planning', '.planning/phases', '.planning/phases/01-setup'];
    age(root, [...ALL, ...dirs]);
    const cache = new WorkspaceCache();
    const first = await cache.load(root);
    expect(await cache.load(root)).toBe(first);
    const folder = join(root, '.planning/phases/01-setup');
    const { mtime } = statSync(folder);
    writeFileSync(join(folder, '01-03-PLAN.md'), PLAN('03'));
    age(root, ['.planning/phases/01-setup/01-03-PLAN.md']);
    // A coarse filesystem could leave the folder's mtime as it was: only its ctime moves.
    utimesSync(folder, mtime, mtime);
    const ws = await cache.load(root);
    expect(ws.phases[0]!.plans.map((p) => p.id)).toEqual(['01-01', '01-02', '01-03']);
    expect(answer(ws)).toBe(await fresh(root));
    unlinkSync(join(folder, '01-03-PLAN.md'));
    utimesSync(folder, mtime, mtime);
    expect((await cache.load(root)).phases[0]!.plans.map((p) => p.id)).toEqual(['01-01', '01-02']);
  });

  it('edits that add or remove a plan\'s diagnostics keep every diagnostic in the uncached order', async () => {
    const dup = (id: string) => `---\nphase: 01-setup\nplan: ${id}\nwave: 1\nwave: 2\n---\n\n# Plan ${id}\n`;
    const root = tempProject({
      '.planning/STATE.md': STATE(['One']),
      '.planning/ROADMAP.md': '# Roadmap\n\n- [ ] **Phase 1: Setup**\n- [ ] **Phase 2: Ship**\n',
      '.planning/phases/01-setup/01-01-PLAN.md': dup('01'),
      '.planning/phases/01-setup/01-02-PLAN.md': PLAN('02'),
      '.planning/phases/02-ship/02-01-PLAN.md': dup('01'),
    });
    roots.push(root);
    const one = '.planning/phases/01-setup/01-02-PLAN.md';
    age(root, ['.planning/STATE.md', '.planning/ROADMAP.md', '.planning/phases/01-setup/01-01-PLAN.md', one, '.planning/phases/02-ship/02-01-PLAN.md']);
    const cache = new WorkspaceCache();
    const before = await cache.load(root);
    expect(before.diagnostics.length).toBeGreaterThan(1);
    for (const text of [dup('02'), PLAN('02'), `---\nphase: 01-setup\nplan: 02\n\n# never closed\n`, dup('02')]) {
      writeFileSync(join(root, one), text);
      age(root, [one]);
      const ws = await cache.load(root);
      expect(cache.stats).toMatchObject({ parsed: 1 });
      expect(answer(ws)).toBe(await fresh(root));
    }
  });

  it('side documents are listed, not read', async () => {
    const root = project();
    const ws = await new WorkspaceCache().load(root);
    expect(ws.phases[0]!.otherFiles).toEqual(['.planning/phases/01-setup/01-CONTEXT.md']);
    const sizes = ALL.reduce((n, rel) => n + statSync(join(root, rel)).size, 0);
    expect(ws.bytesRead).toBe(sizes);
  });
});

describe.skipIf(!hasCorpus())('cached and uncached loads agree on every corpus repository', () => {
  const dir = cacheDir();
  for (const repo of corpusRepos()) {
    it(repo, async () => {
      const root = join(corpusDir!, repo);
      const expected = await fresh(root);
      const a = new WorkspaceCache({ persist: true, dir });
      expect(answer(await a.load(root))).toBe(expected);
      expect(answer(await a.load(root))).toBe(expected);
      const b = new WorkspaceCache({ persist: true, dir });
      const fromDisk = await b.load(root);
      expect(b.stats.fromDisk).toBe(true);
      expect(answer(fromDisk)).toBe(expected);
    });
  }
});
