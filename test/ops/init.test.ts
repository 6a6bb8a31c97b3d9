/**
 * `cairn init`: the decision in process (files, ledger event, refusal of every corpus project),
 * input validation, and the built CLI on temp folders: a new project that `status` and `check`
 * accept, refusal of an existing project, no terminal without --name, --dry-run, --json, text with
 * `$1`, backticks and pipes kept intact, and the terminal prompts (through `script`, when present).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadWorkspace } from '../../src/workspace/index.ts';
import { derive } from '../../src/derive/index.ts';
import { readProject } from '../../src/formats/project.ts';
import { readRoadmap } from '../../src/formats/roadmap/index.ts';
import { parseMarkdown } from '../../src/markdown/index.ts';
import type { Context } from '../../src/ops/run.ts';
import { decideInit, validateInitInput, type InitInput } from '../../src/ops/init.ts';
import { PreconditionError, UsageError } from '../../src/model/errors.ts';
import { corpusDir, corpusRepos, hasCorpus } from '../support/corpus.ts';
import { remove, tempDir } from '../support/cli.ts';
import { bin, cairn, cairnIn, json, releaseBin } from './cli.ts';

const dirs: string[] = [];
afterAll(() => {
  dirs.forEach(remove);
  releaseBin();
});

function scratch(): string {
  const d = tempDir('cairn-init-');
  dirs.push(d);
  return d;
}

/** Every file and folder below `root` with a hash of each file: "nothing changed" includes folders. */
function tree(root: string): string[] {
  const out: string[] = [];
  const walk = (abs: string, rel: string) => {
    for (const n of readdirSync(abs).sort()) {
      const p = join(abs, n);
      const r = rel ? `${rel}/${n}` : n;
      if (statSync(p).isDirectory()) {
        out.push(`${r}/`);
        walk(p, r);
      } else out.push(`${r} ${readFileSync(p).toString('base64')}`);
    }
  };
  if (existsSync(root)) walk(root, '');
  return out;
}

const NOW = new Date('2026-03-10T09:00:00.000Z');
async function ctxOf(root: string): Promise<Context> {
  const ws = await loadWorkspace(root);
  return { root: ws.root, now: NOW, ws, state: derive(ws, NOW) };
}

const TRICKY_NAME = 'Moon $1 | `Club` $&';
const TRICKY_VALUE = 'Members see `tonight` and $1 | $$ moons';

const base: InitInput = { name: 'Moonlight', coreValue: "Anyone can look up tonight's moon", description: null, milestone: null };

describe('init (decision)', () => {
  it('writes PROJECT.md, ROADMAP.md and a title-only STATE.md, and starts the first milestone in the ledger', async () => {
    const root = scratch();
    mkdirSync(join(root, '.planning'));
    const input = validateInitInput({ name: TRICKY_NAME, coreValue: TRICKY_VALUE, description: 'A site.\n\nFor the club | all of it.', milestone: 'v1.0', milestoneName: 'First Light' });
    const change = decideInit(await ctxOf(root), input);
    expect([...change.files.keys()].sort()).toEqual(['.planning/PROJECT.md', '.planning/ROADMAP.md', '.planning/STATE.md']);
    expect(change.files.get('.planning/STATE.md')).toBe('# Project State\n');

    const project = change.files.get('.planning/PROJECT.md')!;
    const { record, diagnostics } = readProject(parseMarkdown(project), '.planning/PROJECT.md');
    expect(diagnostics).toEqual([]);
    expect(record).toMatchObject({ name: TRICKY_NAME, coreValue: TRICKY_VALUE, whatThisIs: 'A site.', updated: '2026-03-10' });
    expect(project).toContain('A site.\n\nFor the club | all of it.\n\n## Core Value');
    for (const h of ['## What This Is', '## Core Value', '## Requirements', '### Validated', '### Active', '### Out of Scope', '## Key Decisions', '| Decision | Rationale | Outcome |', '*Last updated: 2026-03-10 after initialization*']) {
      expect(project).toContain(h);
    }

    const roadmap = change.files.get('.planning/ROADMAP.md')!;
    expect(roadmap.split('\n').slice(0, 9)).toEqual([
      `# Roadmap: ${TRICKY_NAME}`,
      '',
      '## Milestones',
      '',
      '- 🚧 **v1.0 First Light** - Phases TBD (in progress)',
      '',
      '## Phases',
      '',
      '### 🚧 v1.0 First Light (In Progress)',
    ]);
    const rr = readRoadmap(parseMarkdown(roadmap), '.planning/ROADMAP.md').record;
    expect(rr.title).toBe(`Roadmap: ${TRICKY_NAME}`);
    expect(rr.milestones.map((m) => [m.id, m.name, m.status])).toEqual([['v1.0', 'First Light', 'active']]);
    expect(rr.progressTable?.columns).toMatchObject({ phase: 0, plans: 1, status: 2, completed: 3 });

    expect(change.events).toEqual([expect.objectContaining({ type: 'milestone.started', milestone: 'v1.0', name: 'First Light', at: NOW.toISOString() })]);
  });

  it('without a milestone: no Milestones section and no ledger event', async () => {
    const root = scratch();
    mkdirSync(join(root, '.planning'));
    const change = decideInit(await ctxOf(root), base);
    expect(change.events).toEqual([]);
    const roadmap = change.files.get('.planning/ROADMAP.md')!;
    expect(roadmap).not.toContain('Milestones');
    expect(roadmap.startsWith('# Roadmap: Moonlight\n\n## Phases\n\n## Phase Details\n\n## Progress\n')).toBe(true);
  });

  it('accepts a .planning/ that holds other things (config, research notes)', async () => {
    const root = scratch();
    mkdirSync(join(root, '.planning', 'research'), { recursive: true });
    writeFileSync(join(root, '.planning', 'config.json'), '{}\n');
    writeFileSync(join(root, '.planning', 'research', 'notes.md'), '# Notes\n');
    expect(decideInit(await ctxOf(root), base).files.size).toBe(3);
  });

  it.each([['PROJECT.md'], ['ROADMAP.md'], ['STATE.md'], ['events.jsonl']])('refuses a .planning/ that already has %s', async (file) => {
    const root = scratch();
    mkdirSync(join(root, '.planning'));
    writeFileSync(join(root, '.planning', file), file.endsWith('.md') ? '# x\n' : '');
    const ctx = await ctxOf(root);
    expect(() => decideInit(ctx, base)).toThrow(PreconditionError);
    expect(() => decideInit(ctx, base)).toThrow(new RegExp(`\\.planning/${file.replace('.', '\\.')}.*exist`));
  });

  describe.skipIf(!hasCorpus())('on the real corpus', () => {
    it('refuses every corpus project (each already has a project file), naming them and pointing at adopt', async () => {
      const repos = corpusRepos();
      expect(repos.length).toBe(25);
      for (const repo of repos) {
        const ctx = await ctxOf(join(corpusDir!, repo));
        let err: unknown = null;
        try {
          decideInit(ctx, base);
        } catch (e) {
          err = e;
        }
        expect(err, repo).toBeInstanceOf(PreconditionError);
        expect((err as PreconditionError).message, repo).toMatch(/already has a project: \.planning\/(PROJECT|ROADMAP|STATE)\.md/);
        expect((err as PreconditionError).hint, repo).toContain('cairn adopt');
      }
    });
  });
});

describe('init input', () => {
  const ok = { name: 'Moonlight', coreValue: 'Tonight' };
  it.each([
    ['no name', { coreValue: 'x' }, /project name \(--name\) is missing/],
    ['blank name', { ...ok, name: '  ' }, /project name \(--name\) is empty/],
    ['two-line name', { ...ok, name: 'a\nb' }, /project name \(--name\) must be one line/],
    ['no core value', { name: 'x' }, /core value \(--core-value\) is missing/],
    ['two-line core value', { ...ok, coreValue: 'a\r\nb' }, /must be one line/],
    ['core value that is a list', { ...ok, coreValue: '- tonight' }, /would not read back as one sentence/],
    ['core value that is a heading', { ...ok, coreValue: '# tonight' }, /would not read back/],
    ['core value that is a quote', { ...ok, coreValue: '> tonight' }, /would not read back/],
    ['description with a heading', { ...ok, description: 'fine\n## Core Value\nsneaky' }, /description contains a Markdown heading/],
    ['description with a setext heading', { ...ok, description: 'Title\n---' }, /description contains a Markdown heading/],
    ['name ending in closing hashes', { ...ok, name: 'Moon ##' }, /project name would not read back/],
    ['control character', { ...ok, name: 'bell\u0007' }, /control characters/],
    ['4 KB core value', { ...ok, coreValue: 'x'.repeat(4097) }, /4,097 bytes/],
    ['bad milestone version', { ...ok, milestone: '1.x', milestoneName: 'a' }, /"1\.x" is not a milestone version/],
    ['bare major version', { ...ok, milestone: 'v1', milestoneName: 'a' }, /not a milestone version/],
    ['milestone without a name', { ...ok, milestone: 'v1.0' }, /milestone name \(--milestone-name\) is missing/],
    ['milestone name without version', { ...ok, milestoneName: 'First' }, /--milestone-name needs --milestone/],
    ['milestone name with bold marks', { ...ok, milestone: 'v1.0', milestoneName: 'a** (shipped 2020-01-01) **b' }, /contains "\*\*" or "__"/],
  ])('%s → UsageError', (_label, raw, message) => {
    expect(() => validateInitInput(raw)).toThrow(UsageError);
    expect(() => validateInitInput(raw)).toThrow(message);
  });

  it('normalises the version and keeps emphasis-wrapped core values', () => {
    expect(validateInitInput({ ...ok, milestone: 'V2.10.3', milestoneName: 'Big' }).milestone).toEqual({ version: 'v2.10.3', name: 'Big' });
    expect(validateInitInput({ ...ok, coreValue: '*Tonight* matters' }).coreValue).toBe('*Tonight* matters');
  });
});

describe('cairn init (CLI)', () => {
  it('creates a project in a new folder that status and check accept with 0 errors', () => {
    const parent = scratch();
    const r = cairn(['init', join(parent, 'moon'), '--name', 'Moonlight', '--core-value', "Anyone can look up tonight's moon", '--description', 'A static site for the club.', '--milestone', 'v1.0', '--milestone-name', 'First Light']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Started project Moonlight');
    const root = join(parent, 'moon');
    expect(readdirSync(join(root, '.planning')).sort()).toEqual(['PROJECT.md', 'ROADMAP.md', 'STATE.md', 'events.jsonl']);
    expect(readFileSync(join(root, '.gitattributes'), 'utf8')).toBe('.planning/events.jsonl merge=union\n');
    const events = readFileSync(join(root, '.planning', 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(events).toEqual([expect.objectContaining({ type: 'milestone.started', milestone: 'v1.0', name: 'First Light' })]);
    const state = readFileSync(join(root, '.planning', 'STATE.md'), 'utf8');
    for (const s of ['# Project State', '## Project Reference', "**Core value:** Anyone can look up tonight's moon", '## Current Position', '## Session Continuity']) expect(state).toContain(s);

    const status = json(cairn(['status', root, '--json']));
    expect(status.project).toMatchObject({ name: 'Moonlight', coreValue: "Anyone can look up tonight's moon" });
    const check = cairn(['check', root, '--json']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    const diagnostics = JSON.parse(check.stdout).diagnostics as { severity: string }[];
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // Nothing left behind by the lock or the transaction.
    expect(readdirSync(join(root, '.planning')).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('stores a name and core value with $1, $&, backticks and pipes intact, and shows them', async () => {
    const root = scratch();
    const r = await cairnIn(['init', '--dir', root, '--name', TRICKY_NAME, '--core-value', TRICKY_VALUE, '--json']);
    const out = json(r);
    expect(out.result).toMatchObject({ name: TRICKY_NAME, milestone: null });
    expect(out.changed).toEqual(['.planning/PROJECT.md', '.planning/ROADMAP.md', '.planning/STATE.md']);
    const project = readFileSync(join(root, '.planning', 'PROJECT.md'), 'utf8');
    expect(project.startsWith(`# ${TRICKY_NAME}\n`)).toBe(true);
    expect(project).toContain(`## Core Value\n\n${TRICKY_VALUE}\n`);
    expect(readFileSync(join(root, '.planning', 'ROADMAP.md'), 'utf8').startsWith(`# Roadmap: ${TRICKY_NAME}\n`)).toBe(true);
    expect(readFileSync(join(root, '.planning', 'STATE.md'), 'utf8')).toContain(`**Core value:** ${TRICKY_VALUE}\n`);
    const status = json(await cairnIn(['status', root, '--json']));
    expect(status.project).toMatchObject({ name: TRICKY_NAME, coreValue: TRICKY_VALUE });
    expect((await cairnIn(['status', root])).stdout).toContain(TRICKY_NAME);
  });

  it('runs in the current folder by default', () => {
    const root = scratch();
    const r = cairn(['init', '--name', 'Here', '--core-value', 'It works'], { cwd: root });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(root, '.planning', 'PROJECT.md'))).toBe(true);
  });

  it('refuses an existing project with exit 3, naming the files and suggesting adopt; nothing changes', async () => {
    const root = scratch();
    expect((await cairnIn(['init', root, '--name', 'First', '--core-value', 'One'])).code).toBe(0);
    const before = tree(root);
    const r = await cairnIn(['init', root, '--name', 'Second', '--core-value', 'Two', '--milestone', 'v2.0', '--milestone-name', 'Again']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('.planning/PROJECT.md, .planning/ROADMAP.md, .planning/STATE.md');
    expect(r.stderr).toContain('cairn adopt');
    expect(tree(root)).toEqual(before);
  });

  it.skipIf(!hasCorpus())('refuses a real GSD project (a corpus copy) and leaves it byte-for-byte', async () => {
    const root = scratch();
    spawnSync('cp', ['-R', join(corpusDir!, 'lbpfeil__ardens', '.planning'), root]);
    const before = tree(root);
    const r = await cairnIn(['init', root, '--name', 'Ardens', '--core-value', 'x']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/already has a project/);
    expect(tree(root)).toEqual(before);
  });

  it('without a terminal and without --name: exit 2 naming the missing flags; no folder is created', () => {
    const parent = scratch();
    const target = join(parent, 'new');
    const r = cairn(['init', target], { input: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing --name and --core-value');
    expect(r.stderr).toContain('no terminal to ask');
    expect(existsSync(target)).toBe(false);
    const r2 = cairn(['init', target, '--name', 'Only name'], { input: 'Core value on stdin\n' });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('missing --core-value');
    const r3 = cairn(['init', target, '--name', 'x', '--core-value', 'y', '--milestone', 'v1.0'], { input: '' });
    expect(r3.code).toBe(2);
    expect(r3.stderr).toContain('missing --milestone-name');
    expect(existsSync(target)).toBe(false);
  });

  it.each([
    ['a core value that is a list', (d: string) => [join(d, 'p'), '--name', 'x', '--core-value', '- y'], /would not read back/],
    ['a bad version', (d: string) => [join(d, 'p'), '--name', 'x', '--core-value', 'y', '--milestone', 'one', '--milestone-name', 'z'], /not a milestone version/],
    ['an empty name', (d: string) => [join(d, 'p'), '--name', '', '--core-value', 'y'], /is empty/],
    ['an unknown flag', (d: string) => [join(d, 'p'), '--name', 'x', '--core-value', 'y', '--colour'], /unknown option --colour/],
    ['two folders', (d: string) => [join(d, 'a'), join(d, 'b'), '--name', 'x', '--core-value', 'y'], /takes one folder/],
    ['a folder and a different --dir', (d: string) => [join(d, 'a'), '--dir', join(d, 'b'), '--name', 'x', '--core-value', 'y'], /two project folders/],
  ])('bad input (%s): exit 2, no folder created', async (_label, args, message) => {
    const parent = scratch();
    const r = await cairnIn(['init', ...args(parent)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('a file in the way of the folder: exit 3, the file untouched', async () => {
    const parent = scratch();
    writeFileSync(join(parent, 'taken'), 'a file\n');
    const r = await cairnIn(['init', join(parent, 'taken'), '--name', 'x', '--core-value', 'y']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('a file is in the way');
    expect(tree(parent)).toEqual([`taken ${Buffer.from('a file\n').toString('base64')}`]);
  });

  it('--dry-run prints the files and writes nothing, not even the folder', async () => {
    const parent = scratch();
    const target = join(parent, 'deep', 'moon');
    const r = await cairnIn(['init', target, '--name', 'Moonlight', '--core-value', 'Tonight', '--milestone', 'v1.0', '--milestone-name', 'First Light', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('+++ b/.planning/PROJECT.md');
    expect(r.stdout).toContain('+- 🚧 **v1.0 First Light** - Phases TBD (in progress)');
    expect(r.stdout).toContain('+++ b/.planning/events.jsonl');
    expect(r.stdout).toContain('+## Current Position');
    expect(readdirSync(parent)).toEqual([]);
    const j = json(await cairnIn(['init', target, '--name', 'M', '--core-value', 'T', '--dry-run', '--json']));
    expect(j.dryRun).toBe(true);
    expect(j.diff).toContain('+# M');
    expect(readdirSync(parent)).toEqual([]);
  });

  it('--dry-run in an existing folder leaves it as it was', async () => {
    const root = scratch();
    writeFileSync(join(root, 'README.md'), 'hello\n');
    const before = tree(root);
    expect((await cairnIn(['init', root, '--name', 'M', '--core-value', 'T', '--dry-run'])).code).toBe(0);
    expect(tree(root)).toEqual(before);
  });

  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.skipIf(!hasScript)('on a terminal, asks for the missing name and core value (answers pasted at once are kept)', () => {
    const root = join(scratch(), 'tty');
    const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(bin())} init ${JSON.stringify(root)} --milestone v1.0`;
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { input: 'Terminal $1 | Project\nIt asks\nFirst Light\n', encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toContain('Project name:');
    expect(r.stdout).toContain('Core value');
    expect(r.stdout).toContain('Name of milestone v1.0:');
    const project = readFileSync(join(root, '.planning', 'PROJECT.md'), 'utf8');
    expect(project.startsWith('# Terminal $1 | Project\n')).toBe(true);
    expect(project).toContain('## Core Value\n\nIt asks\n');
    expect(readFileSync(join(root, '.planning', 'ROADMAP.md'), 'utf8')).toContain('- 🚧 **v1.0 First Light** - Phases TBD (in progress)');
  });

  it.skipIf(!hasScript)('on a terminal, end of input before the answers cancels with exit 2 and writes nothing', () => {
    const root = join(scratch(), 'tty');
    const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(bin())} init ${JSON.stringify(root)}`;
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { input: 'Only a name\n', encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('cancelled');
    expect(existsSync(root)).toBe(false);
  });
});
