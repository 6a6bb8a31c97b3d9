/**
 * `cairn decide`: the decision in process, a dry run over every corpus repository, and the built
 * CLI: text stored and shown intact, --dry-run, --json, and every kind of bad input (empty, over
 * 4 KB, 1 MB through a file and through argv, invalid UTF-8 in argv and in a file) refused with
 * exit 2 and no file changed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadWorkspace } from '../../src/workspace/index.ts';
import { derive } from '../../src/derive/index.ts';
import { runOperation, type Context } from '../../src/ops/run.ts';
import { decide } from '../../src/ops/decide.ts';
import { UsageError } from '../../src/model/errors.ts';
import { corpusDir, corpusRepos, hasCorpus } from '../support/corpus.ts';
import { tempDir } from '../support/cli.ts';
import { cairn, cairnIn, cairnInUnlessBytes, json, releaseBin } from './cli.ts';
import { NOW, ctxOf, ledgerLines, makeProject, remove, treeHash } from './project.ts';

const roots: string[] = [];
afterAll(() => {
  roots.forEach(remove);
  releaseBin();
});

function project(): string {
  const root = makeProject();
  roots.push(root);
  return root;
}


const TRICKY = 'Use `$1` and $& literally | keep | pipes\nsecond line with $$ and \\1';

describe('decide (decision)', () => {
  it('records the text, tag and rationale verbatim with the engine time', async () => {
    const root = project();
    const change = decide(await ctxOf(root), { text: `  ${TRICKY}  `, tag: '02-01', rationale: 'because `$&`' });
    expect(change.files.size).toBe(0);
    expect(change.events).toEqual([
      expect.objectContaining({ type: 'decision.recorded', text: TRICKY, tag: '02-01', rationale: 'because `$&`', at: NOW.toISOString(), source: 'cli' }),
    ]);
    expect(change.result).toMatchObject({ text: TRICKY, total: 2 });
  });

  it.each([
    ['missing', { text: undefined }, /the decision is missing/],
    ['blank', { text: '   \n ' }, /the decision is empty/],
    ['4,097 bytes', { text: 'x'.repeat(4097) }, /4,097 bytes; the limit is 4,096/],
    ['4,098 bytes of é', { text: 'é'.repeat(2049) }, /4,098 bytes/],
    ['U+FFFD', { text: 'bad \uFFFD byte' }, /not valid UTF-8/],
    ['BEL', { text: 'bell \u0007' }, /control characters/],
    ['empty tag', { text: 'ok', tag: '' }, /the tag is empty/],
    ['two-line tag', { text: 'ok', tag: 'two\nlines' }, /the tag must be one line/],
    ['81-char tag', { text: 'ok', tag: 't'.repeat(81) }, /81 characters; the limit is 80/],
    ['blank rationale', { text: 'ok', rationale: ' ' }, /the rationale is empty/],
  ] as const)('refuses %s', async (_name, input, message) => {
    const ctx = await ctxOf(project());
    expect(() => decide(ctx, input)).toThrow(UsageError);
    expect(() => decide(ctx, input)).toThrow(message);
  });
});

describe.skipIf(!hasCorpus())('decide on every corpus repository (dry run, nothing written)', () => {
  it.each(corpusRepos())('%s', async (repo) => {
    const dir = join(corpusDir!, repo);
    const before = treeHash(join(dir, '.planning'));
    const ws = await loadWorkspace(dir);
    const total = derive(ws, NOW).decisions.total;
    const out = await runOperation({ dir, command: 'test', dryRun: true, now: NOW, log: () => {} }, (ctx) => decide(ctx, { text: TRICKY, tag: 'corpus' }));
    expect(out.written).toBe(false);
    expect(out.after.decisions.total).toBe(total + 1);
    const ledger = out.files.find((f) => f.path === '.planning/events.jsonl')!;
    expect(JSON.parse(ledger.after!.trimEnd().split('\n').at(-1)!)).toMatchObject({ type: 'decision.recorded', text: TRICKY });
    expect(treeHash(join(dir, '.planning'))).toBe(before);
  });
});

describe('cairn decide (CLI)', () => {
  it('stores and shows the text intact: ledger, status --json, STATE.md view', async () => {
    const root = project();
    const r = json(await cairnIn(['decide', TRICKY, '--tag', 'API | v2', '--rationale', 'see `$1`', '-C', root, '--json']));
    expect(r.result).toMatchObject({ text: TRICKY, tag: 'API | v2', rationale: 'see `$1`', total: 2 });
    expect(r.changed).toEqual(expect.arrayContaining(['.planning/events.jsonl', '.planning/STATE.md']));
    expect(ledgerLines(root)).toEqual([expect.objectContaining({ id: r.result.decision, type: 'decision.recorded', text: TRICKY, tag: 'API | v2', rationale: 'see `$1`' })]);
    const status = json(await cairnIn(['status', root, '--json']));
    expect(status.decisions.total).toBe(2);
    expect(status.decisions.recent).toContainEqual({ group: null, text: TRICKY, tag: 'API | v2', date: expect.any(String), rationale: 'see `$1`' });
    const state = readFileSync(join(root, '.planning/STATE.md'), 'utf8');
    expect(state).toContain('Use `$1` and $& literally | keep | pipes second line with $$ and \\1');
    expect(json(await cairnIn(['check', root, '--json'])).counts.error).toBe(0);
  });

  it('prints a one-line summary', async () => {
    const root = project();
    const r = await cairnIn(['decide', 'Store', 'times', 'in', 'UTC', '-C', root]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Recorded decision [0-9A-Z]{26}: Store times in UTC\n/);
    expect(ledgerLines(root)[0]).toMatchObject({ text: 'Store times in UTC' });
  });

  it('reads the text from --text-file, or from standard input with -', () => {
    const root = project();
    const file = join(tempDir(), 'decision.txt');
    writeFileSync(file, `${TRICKY}\n`);
    expect(cairn(['decide', '--text-file', file, '-C', root]).code).toBe(0);
    expect(cairn(['decide', '--text-file', '-', '-C', root], { input: 'from stdin `$&`\n' }).code).toBe(0);
    expect(ledgerLines(root).map((e) => e.text)).toEqual([TRICKY, 'from stdin `$&`']);
  });

  it('--dry-run prints the diff and writes nothing', async () => {
    const root = project();
    const hash = treeHash(root);
    const r = await cairnIn(['decide', 'Try it', '-C', root, '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('+++ b/.planning/events.jsonl');
    expect(r.stdout).toContain('"text":"Try it"');
    expect(r.stdout).toContain('+- Try it');
    expect(treeHash(root)).toBe(hash);
  });

  describe('bad input: exit 2, no file changed', () => {
    const cases: [string, (root: string, dir: string) => (string | Buffer)[], RegExp][] = [
      ['no text', () => [], /the decision is missing/],
      ['empty text', () => [''], /the decision is empty/],
      ['blank text', () => [' \t '], /the decision is empty/],
      ['5 KB text', () => ['x'.repeat(5000)], /5,000 bytes; the limit is 4,096/],
      ['100 KB text in one argument', () => ['y'.repeat(100_000)], /100,000 bytes/],
      // One argument is capped at 128 KB by the kernel: 1 MB reaches argv in pieces.
      ['1 MB text across argv', () => [...Array.from({ length: 10 }, () => 'z'.repeat(104_857))], /1,048,579 bytes/],
      [
        '1 MB text file',
        (_root, dir) => {
          const f = join(dir, 'big.txt');
          writeFileSync(f, 'w'.repeat(1 << 20));
          return ['--text-file', f];
        },
        /over 16,384 bytes; the limit is 4,096/,
      ],
      ['invalid UTF-8 argument', () => [Buffer.from([0x6f, 0x6b, 0x20, 0xff, 0xfe, 0x21])], /not valid UTF-8/],
      [
        'invalid UTF-8 file',
        (_root, dir) => {
          const f = join(dir, 'latin1.txt');
          writeFileSync(f, Buffer.from([0x43, 0x61, 0x66, 0xe9]));
          return ['--text-file', f];
        },
        /not valid UTF-8/,
      ],
      ['text and --text-file', (_root, dir) => ['both', '--text-file', join(dir, 'none.txt')], /either on the command line or with --text-file/],
      ['missing --text-file', (_root, dir) => ['--text-file', join(dir, 'none.txt')], /cannot read --text-file .*ENOENT/],
      ['empty tag', () => ['ok', '--tag', ''], /the tag is empty/],
      ['tag without value', () => ['ok', '--tag'], /option --tag needs a value/],
      ['unknown option', () => ['ok', '--urgent'], /unknown option --urgent/],
    ];
    it.each(cases)('%s', async (_name, args, message) => {
      const root = project();
      const dir = tempDir();
      roots.push(dir);
      const argv = args(root, dir);
      const hash = treeHash(root);
      const r = await cairnInUnlessBytes(['decide', '-C', root, ...argv]);
      expect(r.code, r.stderr.slice(0, 300)).toBe(2);
      expect(r.stderr.slice(0, 400)).toMatch(message);
      expect(r.stdout).toBe('');
      expect(treeHash(root)).toBe(hash);
    });
  });

  it('outside a project: exit 2 naming the folder', async () => {
    const dir = tempDir();
    roots.push(dir);
    const r = await cairnIn(['decide', 'x', '-C', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no \.planning\/ folder/);
  });
});
