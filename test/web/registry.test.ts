/** `cairn projects add|remove|list` and `status --all`, through the built CLI with a temp config folder. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cairn, copyProject, remove, tempDir } from '../support/cli.ts';
import { repoRoot } from '../support/corpus.ts';

let config = '';
let project = '';
const env = () => ({ XDG_CONFIG_HOME: config, CAIRN_NO_CACHE: '1' });
const file = () => join(config, 'cairn', 'projects.json');

beforeAll(() => {
  config = tempDir();
  project = copyProject(join(repoRoot, 'examples/moonlight'));
});
afterAll(() => {
  remove(config);
  remove(project);
});

describe('cairn projects', () => {
  it('adds (by the folder holding .planning/), lists, refuses a folder without one, and removes', () => {
    expect(cairn(['projects', 'list'], { env: env() }).stdout).toContain('No projects registered');
    const add = cairn(['projects', 'add', join(project, '.planning')], { env: env() });
    expect(add.code).toBe(0);
    expect(add.stdout).toBe(`added ${project}\n`);
    expect(cairn(['projects', 'add', project], { env: env() }).stdout).toContain('already registered');
    const list = cairn(['projects', 'list', '--json'], { env: env() });
    expect(JSON.parse(list.stdout)).toMatchObject({ file: file(), projects: [{ root: project }] });
    const none = cairn(['projects', 'add', config], { env: env() });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no .planning/ folder');

    const all = cairn(['status', '--all'], { env: env(), cwd: config });
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('Moonlight');
    expect(all.stdout).toMatch(/███████░░░\s+70% · 7\/10 plans · phase 3 Feeds and Print/);

    expect(cairn(['projects', 'remove', project], { env: env() }).stdout).toBe(`removed ${project}\n`);
    expect(JSON.parse(readFileSync(file(), 'utf8')).projects).toEqual([]);
    expect(cairn(['status', '--all'], { env: env(), cwd: config }).stdout).toContain('No project here and none registered');
  });

  it('keeps a registered project that moved, with its error, in status --all', () => {
    const gone = copyProject(join(repoRoot, 'examples/moonlight'));
    expect(cairn(['projects', 'add', gone], { env: env() }).code).toBe(0);
    remove(gone);
    const all = JSON.parse(cairn(['status', '--all', '--json'], { env: env(), cwd: config }).stdout);
    expect(all.projects).toHaveLength(1);
    expect(all.projects[0]).toMatchObject({ root: gone, error: expect.stringContaining('not a directory') });
    expect(cairn(['projects', 'remove', gone], { env: env() }).code).toBe(0);
  });

  it('never overwrites a registry it cannot parse', () => {
    mkdirSync(join(config, 'cairn'), { recursive: true });
    writeFileSync(file(), '{ "projects": [ broken');
    const r = cairn(['projects', 'add', project], { env: env() });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(file());
    expect(readFileSync(file(), 'utf8')).toBe('{ "projects": [ broken');
  });

  it('cairn serve says what to do when there is nothing to show or the port is wrong', () => {
    const fresh = tempDir();
    const empty = cairn(['serve'], { env: { XDG_CONFIG_HOME: fresh }, cwd: fresh });
    remove(fresh);
    expect(empty.code).toBe(3);
    expect(empty.stderr).toContain('no project to show');
    expect(empty.stderr).toContain('cairn projects add');
    const port = cairn(['serve', project, '--port', '99999'], { env: env() });
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('--port 99999 is not a port number');
    const help = cairn(['serve', '--help'], { env: env() });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('127.0.0.1 only');
  });
});
