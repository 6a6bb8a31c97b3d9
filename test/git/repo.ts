/**
 * Real git repositories in temp folders, driven by the built CLI as a user would: `cairn` is a
 * shim on PATH (so git's hooks and merge driver find it), git runs with a fixed identity and no
 * global or system config.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bin, tempDir } from '../support/cli.ts';

export interface Sandbox {
  dir: string;
  env: NodeJS.ProcessEnv;
}

export function sandbox(): Sandbox {
  const dir = tempDir('cairn-git-');
  const shims = join(dir, 'bin');
  mkdirSync(shims);
  const shim = join(shims, 'cairn');
  writeFileSync(shim, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} "$@"\n`);
  chmodSync(shim, 0o755);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${shims}:${process.env.PATH}`,
    NO_COLOR: '1',
    CAIRN_NO_CACHE: '1',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: join(dir, 'gitconfig-global'),
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.com',
  };
  writeFileSync(join(dir, 'gitconfig-global'), '[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n');
  return { dir, env };
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function sh(s: Sandbox, cwd: string, cmd: string, args: string[]): Run {
  const r = spawnSync(cmd, args, { cwd, env: s.env, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function git(s: Sandbox, cwd: string, ...args: string[]): string {
  const r = sh(s, cwd, 'git', args);
  if (r.code !== 0) throw new Error(`git ${args.join(' ')} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export function cairn(s: Sandbox, cwd: string, ...args: string[]): Run {
  return sh(s, cwd, 'cairn', args);
}

/** cairn that must succeed. */
export function ok(s: Sandbox, cwd: string, ...args: string[]): string {
  const r = cairn(s, cwd, ...args);
  if (r.code !== 0) throw new Error(`cairn ${args.join(' ')} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export function cairnAsync(s: Sandbox, cwd: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn('cairn', args, { cwd, env: s.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export function write(root: string, rel: string, text: string): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
}

export function read(root: string, rel: string): string {
  return readFileSync(join(root, rel), 'utf8');
}

/** Every file of the work tree (not .git), relative paths. */
export function files(root: string, rel = ''): string[] {
  return readdirSync(join(root, rel)).flatMap((n) => {
    if (rel === '' && n === '.git') return [];
    const p = rel ? `${rel}/${n}` : n;
    return statSync(join(root, p)).isDirectory() ? files(root, p) : [p];
  });
}

export const CONFLICT_MARKER = /^(<{7}|>{7}|={7}$|\|{7})/m;

export function status(s: Sandbox, cwd: string): any {
  return JSON.parse(ok(s, cwd, 'status', '--json'));
}

export function plan(phase: string, slug: string, n: number): [string, string] {
  const id = `${phase.padStart(2, '0')}-${String(n).padStart(2, '0')}`;
  return [`.planning/phases/${phase.padStart(2, '0')}-${slug}/${id}-PLAN.md`, `---\nphase: ${phase.padStart(2, '0')}-${slug}\nplan: ${String(n).padStart(2, '0')}\nwave: 1\n---\n\n# Plan ${id}\n\nDo step ${n}.\n`];
}

export function summary(phase: string, slug: string, n: number): [string, string] {
  const id = `${phase.padStart(2, '0')}-${String(n).padStart(2, '0')}`;
  return [`.planning/phases/${phase.padStart(2, '0')}-${slug}/${id}-SUMMARY.md`, `---\nphase: ${phase.padStart(2, '0')}-${slug}\nplan: ${String(n).padStart(2, '0')}\n---\n\n# Summary ${id}\n\nStep ${n} is done.\n`];
}

/** A project with one milestone of three phases, four plans each; committed with `cairn git install`. */
export function project(s: Sandbox, name = 'repo'): string {
  const root = join(s.dir, name);
  mkdirSync(root);
  git(s, root, 'init', '-q');
  write(root, '.planning/PROJECT.md', '# Demo\n\n## Core Value\n\nPlans that merge.\n');
  const phases: [string, string, string][] = [['1', 'one', 'One'], ['2', 'two', 'Two'], ['3', 'three', 'Three']];
  const lines = [
    '# Roadmap: Demo',
    '',
    '## Milestones',
    '',
    '- 🚧 **v1.0 First** - Phases 1-3 (in progress)',
    '',
    '## Phases',
    '',
    ...phases.map(([id, , n]) => `- [ ] **Phase ${id}: ${n}** - ${n} work`),
    '',
    '## Phase Details',
    '',
    ...phases.flatMap(([id, , n]) => [`### Phase ${id}: ${n}`, `**Goal**: ${n} works`, `**Depends on**: ${id === '1' ? 'Nothing' : `Phase ${Number(id) - 1}`}`, `**Plans**: 4 plans`, '']),
    '## Progress',
    '',
    '| Phase | Plans Complete | Status | Completed |',
    '|-------|----------------|--------|-----------|',
    ...phases.map(([id, , n]) => `| ${id}. ${n} | 0/4 | Not started | - |`),
    '',
  ];
  write(root, '.planning/ROADMAP.md', lines.join('\n'));
  write(root, '.planning/STATE.md', '# Project State\n\n## Current Position\n\nPhase: 1 of 3\n\n## Accumulated Context\n\n### Decisions\n\nNone yet.\n');
  for (const [id, slug] of phases) for (let n = 1; n <= 4; n++) write(root, ...plan(id, slug, n));
  ok(s, root, 'git', 'install');
  ok(s, root, 'sync');
  git(s, root, 'add', '-A');
  git(s, root, 'commit', '-qm', 'base');
  return root;
}

export function commitAll(s: Sandbox, root: string, message: string): void {
  git(s, root, 'add', '-A');
  git(s, root, 'commit', '-qm', message, '--allow-empty');
}
