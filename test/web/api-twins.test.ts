/**
 * Every view's /api twin equals the CLI's --json for the same project: the bundled example and a
 * corpus repository, against the built CLI run as a child process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cairn, copyProject, remove, tempDir } from '../support/cli.ts';
import { corpusDir, hasCorpus, repoRoot } from '../support/corpus.ts';
import { projectId } from '../../src/views/portfolio.ts';
import { testApp } from './app-support.ts';

const CORPUS_REPO = 'lbpfeil__ardens';
const projects: { name: string; root: string }[] = [];
let config = '';

beforeAll(() => {
  projects.push({ name: 'moonlight', root: copyProject(join(repoRoot, 'examples/moonlight')) });
  if (hasCorpus()) projects.push({ name: CORPUS_REPO, root: copyProject(join(corpusDir!, CORPUS_REPO)) });
  config = tempDir();
  mkdirSync(join(config, 'cairn'));
});

afterAll(() => {
  for (const p of projects) remove(p.root);
  if (config) remove(config);
});

const env = () => ({ XDG_CONFIG_HOME: config, CAIRN_NO_CACHE: '1' });

function cliJson(args: string[], cwd?: string): unknown {
  const r = cairn(args, { env: env(), ...(cwd ? { cwd } : {}) });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

describe('/api equals --json', () => {
  it('project, roadmap, velocity, burn-up, checks, history and forecast: status, check, burnup, log and forecast --json', async () => {
    for (const p of projects) {
      const { request } = testApp([p.root]);
      const id = projectId(p.root);
      const api = await (await request(`/api/p/${id}`)).json();
      expect(api, p.name).toEqual(cliJson(['status', p.root, '--json']));
      const checks = await (await request(`/api/p/${id}/checks`)).json();
      expect(checks, p.name).toEqual(cliJson(['check', p.root, '--json']));
      const history = await (await request(`/api/p/${id}/history`)).json();
      expect(history, p.name).toEqual(cliJson(['log', p.root, '--json']));
      expect((history as { entries: unknown[] }).entries.length, p.name).toBeGreaterThan(0);
      const burnup = await (await request(`/api/p/${id}/burnup`)).json();
      expect(burnup, p.name).toEqual(cliJson(['burnup', p.root, '--json']));
      const forecast = await (await request(`/api/p/${id}/forecast`)).json();
      expect(forecast, p.name).toEqual(cliJson(['forecast', p.root, '--json']));
    }
  });

  it('portfolio: status --all --json, from the registry plus the current folder', async () => {
    const [first, ...rest] = projects;
    for (const p of rest) expect(cairn(['projects', 'add', p.root], { env: env() }).code).toBe(0);
    const cli = cliJson(['status', '--all', '--json'], first!.root) as { projects: { root: string }[] };
    expect(cli.projects.map((p) => p.root)).toEqual(projects.map((p) => p.root));
    const { defaultRoots } = await import('../../src/views/portfolio.ts');
    const roots = await defaultRoots(first!.root, join(config, 'cairn', 'projects.json'));
    const api = await (await testApp(roots).request('/api/portfolio')).json();
    expect(api).toEqual(cli);
  });
});
