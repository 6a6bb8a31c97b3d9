/**
 * `cairn todo add|done`: the written file reads back (titles of any text, as a property), names
 * are collision-free, todos are found by id, file name or title prefix, and the built CLI moves
 * files byte for byte, with --dry-run, --json and exit codes. Corpus projects' own todo files are
 * completed too.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadWorkspace } from '../../src/workspace/index.ts';
import { todoAdd, todoDone, todoFileContent, todoTitle, yamlScalar } from '../../src/ops/todo.ts';
import { parseMarkdown } from '../../src/markdown/index.ts';
import { readTodo } from '../../src/formats/todo.ts';
import { UsageError } from '../../src/model/errors.ts';
import { corpusDir, corpusRepos, hasCorpus } from '../support/corpus.ts';
import { copyProject } from '../support/cli.ts';
import { cairn, cairnIn, cairnInUnlessBytes, json } from './cli.ts';
import { NOW, STATE, apply, ctxOf, ledgerLines, projectsForThisFile, treeHash } from './project.ts';

const { project, track } = projectsForThisFile();

const pendingDir = (root: string) => join(root, '.planning/todos/pending');
const doneDir = (root: string) => join(root, '.planning/todos/done');
const list = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);

function readBack(content: string) {
  return readTodo(parseMarkdown(content), 'todo.md');
}

describe('todo file content', () => {
  it.each([
    'Fix the $1 `thing`: now | soon',
    'Handle #hash and key: value',
    '- looks like a list',
    '[x] looks like a task',
    '{not: a map}',
    "it's 'quoted'",
    'say "hi" \\o/',
    'yes',
    'null',
    '2026-01-01',
    '0x1F',
    '@scope/pkg',
    '*star &anchor !tag %pct >gt ~tilde',
    'ends with colon:',
    'tab\there',
    '修复缓存 🚀',
    'line\u2028separator',
    'x'.repeat(300),
  ])('title %j reads back exactly', (text) => {
    const title = todoTitle(text);
    const { record, diagnostics } = readBack(todoFileContent(text, title, '2026-03-10T09:00:00Z', 'api'));
    expect(record.title).toBe(title);
    expect(record.titleSource).toBe('frontmatter');
    expect(record.area).toBe('api');
    expect(record.created).toBe('2026-03-10T09:00:00Z');
    expect(diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  });

  it('any one-line text reads back as its title and area (property)', () => {
    const line = fc
      .string({ unit: 'binary', minLength: 1, maxLength: 80 })
      .map((s) => s.replace(/[\u0000-\u001F\u007F\uFFFD]/g, '').trim())
      .filter((s) => s !== '');
    fc.assert(
      fc.property(line, line, (title, area) => {
        const { record } = readBack(todoFileContent(title, title, '2026-03-10T09:00:00Z', area));
        expect(record.title).toBe(title);
        expect(record.area).toBe(area);
      }),
      { numRuns: 400 },
    );
  });

  it('plain scalars only where YAML cannot read anything else', () => {
    expect(yamlScalar('Fix the login page')).toBe('Fix the login page');
    expect(yamlScalar('true')).toBe('"true"');
    expect(yamlScalar('a: b')).toBe('"a: b"');
    expect(yamlScalar('a #b')).toBe('"a #b"');
    expect(yamlScalar('x\u2028y')).toBe('"x\\u2028y"');
  });

  it('uses the first line as the title and keeps the whole text in the body', () => {
    expect(todoTitle('First line\nsecond $& line')).toBe('First line');
    expect(todoTitle('y'.repeat(250))).toHaveLength(200);
    expect(todoFileContent('First line\nsecond $& line', 'First line', 'T', 'general')).toContain('## Problem\n\nFirst line\nsecond $& line\n');
  });
});

describe('todo add (decision)', () => {
  it('creates the pending file and a todo.added event naming it', async () => {
    const root = project();
    const change = todoAdd(await ctxOf(root), { text: 'Handle leap seconds', area: 'feeds' });
    const path = '.planning/todos/pending/2026-03-10-handle-leap-seconds.md';
    expect([...change.files.keys()]).toEqual([path]);
    expect(change.files.get(path)).toBe('---\ncreated: 2026-03-10T09:00:00Z\ntitle: Handle leap seconds\narea: feeds\n---\n\n## Problem\n\nHandle leap seconds\n');
    const e = change.events[0]!;
    expect(e).toMatchObject({ type: 'todo.added', text: 'Handle leap seconds', file: path });
    expect((e as { todo: string }).todo).toBe(e.id);
  });

  it('never reuses a name: -2, -3 in pending and done; non-ASCII titles are named by id', async () => {
    const root = project({
      '.planning/todos/pending/2026-03-10-cache-keys.md': '---\ntitle: Cache keys\n---\n',
      '.planning/todos/done/2026-03-10-cache-keys-2.md': '---\ntitle: Cache keys\n---\n',
    });
    const a = await apply(root, (ctx) => todoAdd(ctx, { text: 'Cache keys!' }));
    expect(a.change.result.file).toBe('.planning/todos/pending/2026-03-10-cache-keys-3.md');
    const b = await apply(root, (ctx) => todoAdd(ctx, { text: 'Cache: keys' }));
    expect(b.change.result.file).toBe('.planning/todos/pending/2026-03-10-cache-keys-4.md');
    const c = await apply(root, (ctx) => todoAdd(ctx, { text: '修复缓存' }));
    expect(c.change.result.file).toBe(`.planning/todos/pending/2026-03-10-todo-${String(c.change.result.todo).toLowerCase()}.md`);
  });

  it('validates the text and the area', async () => {
    const ctx = await ctxOf(project());
    expect(() => todoAdd(ctx, { text: ' ' })).toThrow(UsageError);
    expect(() => todoAdd(ctx, { text: 'x'.repeat(5000) })).toThrow(/limit is 4,096/);
    expect(() => todoAdd(ctx, { text: 'ok', area: 'a\nb' })).toThrow(/one line/);
  });
});

describe('todo done (decision)', () => {
  async function withTodos() {
    const root = project();
    const ids: string[] = [];
    for (const text of ['Cache keys per tenant', 'Cache warmers', 'Rotate the TLS certificates']) {
      ids.push(String((await apply(root, (ctx) => todoAdd(ctx, { text }))).change.result.todo));
    }
    return { root, ids };
  }

  it('finds a todo by id, file name (with or without .md) or unique title prefix', async () => {
    const { root, ids } = await withTodos();
    const ctx = await ctxOf(root);
    expect(todoDone(ctx, { ref: ids[1]!.toLowerCase() }).result.todo).toBe(ids[1]);
    expect(todoDone(ctx, { ref: '2026-03-10-cache-warmers' }).result.todo).toBe(ids[1]);
    expect(todoDone(ctx, { ref: '2026-03-10-cache-warmers.md' }).result.todo).toBe(ids[1]);
    expect(todoDone(ctx, { ref: 'rotate' }).result.todo).toBe(ids[2]);
    expect(todoDone(ctx, { ref: 'CACHE KEYS' }).result.todo).toBe(ids[0]);
    const c = todoDone(ctx, { ref: 'Rotate the TLS' });
    expect(c.renames).toEqual([{ from: '.planning/todos/pending/2026-03-10-rotate-the-tls-certificates.md', to: '.planning/todos/done/2026-03-10-rotate-the-tls-certificates.md' }]);
    expect(c.events).toEqual([expect.objectContaining({ type: 'todo.done', todo: ids[2] })]);
  });

  it('lists the candidates when ambiguous or unknown', async () => {
    const { root } = await withTodos();
    const ctx = await ctxOf(root);
    expect(() => todoDone(ctx, { ref: 'cache' })).toThrow(/"cache" matches 2 todos: 2026-03-10-cache-keys-per-tenant\.md .*; 2026-03-10-cache-warmers\.md/);
    expect(() => todoDone(ctx, { ref: 'paint the shed' })).toThrow(/no todo matches "paint the shed"; the pending todos are: .*cache-keys-per-tenant/);
    expect(() => todoDone(ctx, { ref: ' ' })).toThrow(UsageError);
  });

  it('moves the file byte for byte and is a no-op the second time', async () => {
    const { root, ids } = await withTodos();
    const before = readFileSync(join(pendingDir(root), '2026-03-10-cache-warmers.md'));
    await apply(root, (ctx) => todoDone(ctx, { ref: ids[1] }));
    expect(list(pendingDir(root))).not.toContain('2026-03-10-cache-warmers.md');
    expect(readFileSync(join(doneDir(root), '2026-03-10-cache-warmers.md'))).toEqual(before);
    const again = todoDone(await ctxOf(root), { ref: ids[1] });
    expect(again.events).toEqual([]);
    expect(again.renames).toEqual([]);
    expect(again.result).toMatchObject({ alreadyDone: true });
  });

  it('completes a GSD todo file cairn did not create, naming it in the event', async () => {
    const root = project({ '.planning/todos/pending/2026-02-01-dark-mode.md': '---\ncreated: 2026-02-01T10:00\ntitle: Dark mode\narea: ui\n---\n\nUsers asked.\n' });
    const c = todoDone(await ctxOf(root), { ref: 'dark' });
    expect(c.events).toEqual([expect.objectContaining({ type: 'todo.done', todo: '2026-02-01-dark-mode.md' })]);
    expect(c.renames).toEqual([{ from: '.planning/todos/pending/2026-02-01-dark-mode.md', to: '.planning/todos/done/2026-02-01-dark-mode.md' }]);
  });

  it('a name taken in done/ gets -2', async () => {
    const root = project({
      '.planning/todos/pending/2026-02-01-dark-mode.md': '---\ntitle: Dark mode\n---\n',
      '.planning/todos/done/2026-02-01-dark-mode.md': '---\ntitle: Dark mode (old)\n---\n',
    });
    const c = todoDone(await ctxOf(root), { ref: '2026-02-01-dark-mode' });
    expect(c.renames[0]!.to).toBe('.planning/todos/done/2026-02-01-dark-mode-2.md');
  });

  it('imports a todo only STATE.md lists, then marks it done', async () => {
    const root = project({ '.planning/STATE.md': STATE.replace('### Pending Todos\n\nNone yet.', '### Pending Todos\n\n- Write the upgrade guide') });
    const c = todoDone(await ctxOf(root), { ref: 'write the upgrade' });
    expect(c.events.map((e) => e.type)).toEqual(['todo.added', 'todo.done']);
    expect(c.events[0]).toMatchObject({ text: 'Write the upgrade guide', key: 't:write the upgrade guide' });
    expect(c.events[1]).toMatchObject({ todo: c.events[0]!.id });
  });
});

describe('cairn todo (CLI)', () => {
  it('add: --json result, file on disk, event, status counts it once', () => {
    const root = project();
    const r = json(cairn(['todo', 'add', 'Fix the $1 `thing`: now | soon', '--area', 'api', '-C', root, '--json']));
    const file = String(r.result.file);
    expect(file).toMatch(/^\.planning\/todos\/pending\/\d{4}-\d\d-\d\d-fix-the-1-thing-now-soon\.md$/);
    expect(r.changed).toEqual(expect.arrayContaining([file, '.planning/events.jsonl', '.planning/STATE.md']));
    const content = readFileSync(join(root, file), 'utf8');
    expect(readBack(content).record).toMatchObject({ title: 'Fix the $1 `thing`: now | soon', area: 'api' });
    expect(ledgerLines(root)).toEqual([expect.objectContaining({ type: 'todo.added', todo: r.result.todo, text: 'Fix the $1 `thing`: now | soon', file })]);
    const status = json(cairn(['status', root, '--json']));
    expect(status.todos.items).toEqual(['Fix the $1 `thing`: now | soon']);
    expect(status.todos.pending).toBe(1);
  });

  it('done: moves the file, records the event, and the second run changes nothing', async () => {
    const root = project();
    const added = json(await cairnIn(['todo', 'add', 'Rotate the keys', '-C', root, '--json']));
    const from = String(added.result.file);
    const bytes = readFileSync(join(root, from));
    const done = json(await cairnIn(['todo', 'done', 'rotate', '-C', root, '--json']));
    const to = from.replace('/pending/', '/done/');
    expect(done.result).toMatchObject({ todo: added.result.todo, file: to, from, alreadyDone: false });
    expect(existsSync(join(root, from))).toBe(false);
    expect(readFileSync(join(root, to))).toEqual(bytes);
    expect(ledgerLines(root).map((e) => e.type)).toEqual(['todo.added', 'todo.done']);
    expect(json(await cairnIn(['status', root, '--json'])).todos.pending).toBe(0);
    expect(readFileSync(join(root, '.planning/STATE.md'), 'utf8')).not.toContain('Rotate the keys');
    const hash = treeHash(root);
    const again = await cairnIn(['todo', 'done', String(added.result.todo), '-C', root]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already done/);
    expect(treeHash(root)).toBe(hash);
  });

  it('--dry-run writes nothing', async () => {
    const root = project({ '.planning/todos/pending/2026-02-01-dark-mode.md': '---\ntitle: Dark mode\n---\n' });
    const hash = treeHash(root);
    const add = await cairnIn(['todo', 'add', 'Try it', '-C', root, '--dry-run']);
    expect(add.code).toBe(0);
    expect(add.stdout).toMatch(/\+\+\+ b\/\.planning\/todos\/pending\/\d{4}-\d\d-\d\d-try-it\.md/);
    const done = json(await cairnIn(['todo', 'done', 'dark', '-C', root, '--dry-run', '--json']));
    expect(done.result).toMatchObject({ file: '.planning/todos/done/2026-02-01-dark-mode.md' });
    expect(treeHash(root)).toBe(hash);
  });

  it.each([
    ['no text', ['todo', 'add'], /the todo is missing/],
    ['empty text', ['todo', 'add', ''], /the todo is empty/],
    ['too long', ['todo', 'add', 'x'.repeat(4097)], /4,097 bytes/],
    ['invalid UTF-8', ['todo', 'add', Buffer.from([0x41, 0xc3])], /not valid UTF-8/],
    ['empty area', ['todo', 'add', 'ok', '--area', ''], /the area is empty/],
    ['unknown todo', ['todo', 'done', 'nothing like it'], /no todo matches/],
    ['ambiguous todo', ['todo', 'done', 'cache'], /matches 2 todos/],
    ['no todo named', ['todo', 'done'], /which todo\?/],
    ['no subcommand', ['todo'], /needs a subcommand: add or done/],
    ['unknown subcommand', ['todo', 'list'], /unknown subcommand "todo list"/],
  ] as const)('%s → exit 2, no file changed', async (_name, args, message) => {
    const root = project({
      '.planning/todos/pending/2026-02-01-cache-keys.md': '---\ntitle: Cache keys\n---\n',
      '.planning/todos/pending/2026-02-02-cache-warmers.md': '---\ntitle: Cache warmers\n---\n',
    });
    const hash = treeHash(root);
    const [cmd, sub, ...rest] = args;
    const r = await cairnInUnlessBytes(sub === undefined ? [cmd, '-C', root] : [cmd, sub, '-C', root, ...rest]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(treeHash(root)).toBe(hash);
  });
});

describe.skipIf(!hasCorpus())('todo done on corpus projects’ own todo files', () => {
  const repos = corpusRepos().filter((r) => existsSync(join(corpusDir!, r, '.planning/todos/pending')) && list(join(corpusDir!, r, '.planning/todos/pending')).length > 0);

  it('the corpus has pending todo files', () => {
    expect(repos.length).toBeGreaterThan(0);
  });

  it.each(repos)('%s: each pending file is found by name and moved intact', async (repo) => {
    const root = copyProject(join(corpusDir!, repo));
    track(root);
    for (const name of list(pendingDir(root)).filter((n) => n.endsWith('.md'))) {
      const bytes = readFileSync(join(pendingDir(root), name));
      const out = await apply(root, (ctx) => todoDone(ctx, { ref: name }));
      expect(out.change.events.at(-1), `${repo} ${name}`).toMatchObject({ type: 'todo.done' });
      const to = String(out.change.result.file);
      expect(readFileSync(join(root, to)), `${repo} ${name}`).toEqual(bytes);
      expect(existsSync(join(pendingDir(root), name))).toBe(false);
    }
    const ws = await loadWorkspace(root);
    expect(ws.todos.filter((t) => t.state === 'pending')).toEqual([]);
    expect(ws.diagnostics.filter((d) => d.severity === 'error' && d.file.includes('/todos/'))).toEqual([]);
  });
});
