/** `cairn status` through the on-disk parse cache (src/workspace/cache.ts) never shows a stale answer. */
import { describe, it, expect, afterAll } from 'vitest';
import { appendFileSync, cpSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cairn, remove, tempProject } from '../support/cli.ts';
import { corpusDir, corpusRepos, hasCorpus, repoRoot } from '../support/corpus.ts';
import { WorkspaceCache } from '../../src/workspace/index.ts';
import { AnswerCache } from '../../src/workspace/answers.ts';
import { RACY_MS } from '../../src/workspace/signature.ts';
import { readFileSync } from 'node:fs';

// The build the bundle's caches key on (version + source digest), as the binary reports it.
const build = (() => {
  const v = JSON.parse(cairn(['--version', '--json']).stdout) as { version: string; build: string };
  expect(v.version).toBe((JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version);
  return v.build;
})();

const STATE = (decisions: string[]) => `# Project State\n\n## Current Position\n\nPhase: 1 of 2 (Setup)\nPlan: 1 of 2 in current phase\nStatus: In progress\n\n## Accumulated Context\n\n### Decisions\n\n${decisions.map((d) => `- [01-01]: ${d}`).join('\n')}\n`;

describe('status cache', () => {
  const cache = mkdtempSync(join(tmpdir(), 'cairn-cache-'));
  const env = { XDG_CACHE_HOME: cache };
  const roots: string[] = [];
  afterAll(() => {
    roots.forEach(remove);
    rmSync(cache, { recursive: true, force: true });
  });

  it('answers from the cache only while nothing under .planning/ changed', () => {
    const root = tempProject({ '.planning/STATE.md': STATE(['One']) });
    roots.push(root);
    const total = () => JSON.parse(cairn(['status', root, '--json'], { env }).stdout).decisions.total;
    expect(total()).toBe(1);
    expect(total()).toBe(1); // served from the cache
    appendFileSync(join(root, '.planning/STATE.md'), '- [01-02]: Two\n');
    expect(total()).toBe(2);
    // Same size, different content: the modification time still changes the fingerprint.
    writeFileSync(join(root, '.planning/STATE.md'), STATE(['Uno', 'Dos']).replace('Uno', 'One').replace('Dos', 'Two'));
    writeFileSync(join(root, '.planning/STATE.md'), STATE(['Eno', 'Owt']));
    expect(JSON.parse(cairn(['status', root, '--json'], { env }).stdout).decisions.recent.map((d: { text: string }) => d.text)).toEqual(['Eno', 'Owt']);
    // A new file anywhere under .planning/ is a change too.
    writeFileSync(join(root, '.planning/ROADMAP.md'), '# Roadmap\n\n- [ ] **Phase 1: Setup**\n- [ ] **Phase 2: Ship**\n');
    expect(JSON.parse(cairn(['status', root, '--json'], { env }).stdout).source).toBe('tree');
  });

  it('prints the kept answer once the tree is older than the racy window, and a new one after an edit', async () => {
    const root = tempProject({ '.planning/STATE.md': STATE(['One']) });
    roots.push(root);
    await new Promise((r) => setTimeout(r, RACY_MS + 100));
    const answers = new AnswerCache(join(cache, 'cairn'), build);
    const first = cairn(['status', root, '--json'], { env }).stdout;
    expect(answers.lookup(root, 'json').output).toBe(first);
    expect(cairn(['status', root, '--json'], { env }).stdout).toBe(first);
    const brief = cairn(['status', root, '--brief'], { env }).stdout;
    expect(answers.lookup(root, 'brief').output).toBe(brief);
    appendFileSync(join(root, '.planning/STATE.md'), '- [01-02]: Two\n');
    expect(JSON.parse(cairn(['status', root, '--json'], { env }).stdout).decisions.total).toBe(2);
    expect(answers.lookup(root, 'json').output).toBeNull();
  });

  it('the launcher prints a kept answer without loading the program, and hands every miss to it', async () => {
    const root = tempProject({ '.planning/STATE.md': STATE(['One']) });
    roots.push(root);
    await new Promise((r) => setTimeout(r, RACY_MS + 100));
    // A copy of dist/ whose program (cairn.mjs and its chunks) is removed after the answer is kept:
    // only the CommonJS launcher is left to answer.
    const dist = mkdtempSync(join(tmpdir(), 'cairn-launcher-'));
    roots.push(dist);
    cpSync(join(repoRoot, 'dist'), dist, { recursive: true });
    const launcher = join(dist, 'cairn.cjs');
    const run = (args: string[]) => spawnSync(process.execPath, [launcher, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
    const kept = run(['status', root, '--json']);
    expect(kept.status).toBe(0);
    const brief = run(['status', '--brief', root]).stdout;
    rmSync(join(dist, 'cairn.mjs'));
    rmSync(join(dist, 'chunks'), { recursive: true });
    for (const args of [['status', root, '--json'], ['status', '--json', root]]) {
      const r = run(args);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(kept.stdout);
    }
    expect(run(['status', root, '--brief']).stdout).toBe(brief);
    // Each of these needs the program: another form, another mode, or a changed tree.
    const missing = /Cannot find module|ERR_MODULE_NOT_FOUND/;
    // --version needs nothing of the program either.
    expect(JSON.parse(run(['--version', '--json']).stdout).build).toBe(build);
    for (const args of [['status', root, '--json', '--all'], ['status', root], ['status', root, '--json', '-h'], ['log', root]]) {
      const r = run(args);
      expect(r.status, args.join(' ')).not.toBe(0);
      expect(r.stderr, args.join(' ')).toMatch(missing);
    }
    appendFileSync(join(root, '.planning/STATE.md'), '- [01-02]: Two\n');
    expect(run(['status', root, '--json']).stderr).toMatch(missing);
  });

  it('CAIRN_NO_CACHE=1 reads the files every time and still gives the same answer', () => {
    const root = tempProject({ '.planning/STATE.md': STATE(['One', 'Two', 'Three']) });
    roots.push(root);
    const warm = cairn(['status', root, '--json'], { env }).stdout;
    const cold = cairn(['status', root, '--json'], { env: { ...env, CAIRN_NO_CACHE: '1' } }).stdout;
    expect(cold).toBe(warm);
  });
});

describe.skipIf(!hasCorpus())('status --json with and without the cache', () => {
  const cache = mkdtempSync(join(tmpdir(), 'cairn-cache-corpus-'));
  afterAll(() => rmSync(cache, { recursive: true, force: true }));
  for (const repo of corpusRepos()) {
    it(`${repo}: cold and from the cache give the same JSON`, async () => {
      const root = join(corpusDir!, repo);
      // The cache the CLI will read, built in process under the bundle's version.
      const built = new WorkspaceCache({ persist: true, dir: join(cache, 'cairn'), version: build });
      await built.load(root);
      const file = built.fileFor(root);
      const written = readFileSync(file);
      const cold = cairn(['status', root, '--json'], { env: { XDG_CACHE_HOME: cache, CAIRN_NO_CACHE: '1' } }).stdout;
      const warm = cairn(['status', root, '--json'], { env: { XDG_CACHE_HOME: cache } }).stdout;
      expect(JSON.parse(cold).root).toBe(root);
      expect(warm).toBe(cold);
      // The warm run used that cache as it was: had it been unusable, it would have been rewritten.
      expect(readFileSync(file).equals(written)).toBe(true);
      // The corpus is older than the racy window, so the warm run kept its answer; the next run prints it.
      const answers = new AnswerCache(join(cache, 'cairn'), build);
      expect(answers.lookup(root, 'json').output).toBe(cold);
      expect(cairn(['status', root, '--json'], { env: { XDG_CACHE_HOME: cache } }).stdout).toBe(cold);
    });
  }
});
