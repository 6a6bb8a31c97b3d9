/**
 * `cairn plan start|done`: the decisions in process (fixed engine clock, so measured minutes are
 * exact), the SUMMARY frontmatter splice on hand-made variants and on every real SUMMARY of the
 * corpus, and the built CLI in child processes (exit codes, --dry-run, --json, idempotency).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadWorkspace } from '../../src/workspace/index.ts';
import { derive } from '../../src/derive/index.ts';
import { runOperation, type Context } from '../../src/ops/run.ts';
import { planStart } from '../../src/ops/plan-start.ts';
import { durationText, planDone, setFrontmatterFields } from '../../src/ops/plan-done.ts';
import { parseMarkdown } from '../../src/markdown/index.ts';
import { readFrontmatter } from '../../src/formats/frontmatter-fields.ts';
import { DiagnosticSink } from '../../src/model/diagnostic.ts';
import { readSummary } from '../../src/formats/summary.ts';
import { PreconditionError, UsageError } from '../../src/model/errors.ts';
import { corpusDir, corpusRelative, hasCorpus, walkFiles } from '../support/corpus.ts';
import { cairn, cairnIn, json, releaseBin } from './cli.ts';
import { filledSummary, ledgerLines, makeProject, remove, templateSummary, treeHash } from './project.ts';

const roots: string[] = [];
afterAll(() => {
  roots.forEach(remove);
  releaseBin();
});

function project(opts: Parameters<typeof makeProject>[0] = {}): string {
  const root = makeProject(opts);
  roots.push(root);
  return root;
}

const T0 = new Date('2026-03-10T09:00:00.000Z');
const minutesLater = (m: number) => new Date(T0.getTime() + m * 60_000);

async function ctxOf(root: string, now = T0): Promise<Context> {
  const ws = await loadWorkspace(root);
  return { root: ws.root, now, ws, state: derive(ws, now) };
}

function op(root: string, now: Date, decide: (ctx: Context) => ReturnType<typeof planStart>) {
  return runOperation({ dir: root, command: 'test', dryRun: false, now, log: () => {} }, decide);
}

const SUMMARY_21 = '.planning/phases/02-api/02-01-SUMMARY.md';
const read = (root: string, rel: string) => readFileSync(join(root, rel), 'utf8');
const write = (root: string, rel: string, text: string | Buffer) => writeFileSync(join(root, rel), text);

describe('plan start (decision)', () => {
  it('records plan.started with the plan id as written and the canonical phase', async () => {
    const root = project();
    const change = planStart(await ctxOf(root), { plan: '2-1' });
    expect(change.files.size).toBe(0);
    expect(change.events).toHaveLength(1);
    expect(change.events[0]).toMatchObject({ type: 'plan.started', plan: '02-01', phase: '2', at: T0.toISOString(), source: 'cli' });
    expect(change.result).toMatchObject({ plan: '02-01', alreadyStarted: false });
  });

  it('accepts the PLAN file name for the id', async () => {
    const root = project();
    expect(planStart(await ctxOf(root), { plan: '02-01-PLAN.md' }).events[0]).toMatchObject({ plan: '02-01' });
  });

  it('is a no-op on a plan already started, and refuses a done plan (exit 3)', async () => {
    const root = project();
    await op(root, T0, (ctx) => planStart(ctx, { plan: '02-01' }));
    const again = planStart(await ctxOf(root), { plan: '02-01' });
    expect(again.events).toHaveLength(0);
    expect(again.summary.join(' ')).toMatch(/already started at 2026-03-10T09:00:00.000Z/);
    await expect(ctxOf(root).then((ctx) => planStart(ctx, { plan: '01-01' }))).rejects.toThrow(PreconditionError);
    await expect(ctxOf(root).then((ctx) => planStart(ctx, { plan: '01-01' }))).rejects.toThrow(/already done: its SUMMARY exists/);
  });

  it('rejects unknown plans and malformed ids as usage errors naming what exists', async () => {
    const root = project();
    const ctx = await ctxOf(root);
    expect(() => planStart(ctx, { plan: '02-09' })).toThrow(UsageError);
    expect(() => planStart(ctx, { plan: '02-09' })).toThrow(/unknown plan 02-09: phase 2 has 02-01, 02-02, 02-03/);
    expect(() => planStart(ctx, { plan: '07-01' })).toThrow(/no phase 7 folder/);
    expect(() => planStart(ctx, { plan: 'banana' })).toThrow(/not a plan id/);
    expect(() => planStart(ctx, { plan: '../../etc/passwd' })).toThrow(/not a plan id/);
    expect(() => planStart(ctx, { plan: undefined })).toThrow(/plan id is missing/);
  });
});

describe('plan done (decision)', () => {
  it('measures minutes from plan start and writes duration and completed into the SUMMARY frontmatter', async () => {
    const root = project();
    await op(root, T0, (ctx) => planStart(ctx, { plan: '02-01' }));
    const before = filledSummary('02-api', '02-01');
    write(root, SUMMARY_21, before);
    const out = await op(root, minutesLater(12.5), (ctx) => planDone(ctx, { plan: '02-01' }));
    expect(out.change.events).toEqual([expect.objectContaining({ type: 'plan.completed', plan: '02-01', phase: '2', minutes: 12.5 })]);
    const after = read(root, SUMMARY_21);
    expect(after).toBe(before.replace('tags: [http]\n', 'tags: [http]\nduration: 12.5min\ncompleted: 2026-03-10T09:12:30Z\n'));
    const rec = readSummary(parseMarkdown(after), SUMMARY_21).record;
    expect(rec.durationMinutes).toBe(12.5);
    expect(rec.completed).toBe('2026-03-10T09:12:30Z');
    const state = derive(await loadWorkspace(root), minutesLater(13));
    expect(state.progress.plans.done).toBe(2);
  });

  it('without a recorded start, writes only completed and says no duration was measured', async () => {
    const root = project();
    write(root, SUMMARY_21, filledSummary('02-api', '02-01', ['duration: 7 min']));
    const out = await op(root, T0, (ctx) => planDone(ctx, { plan: '02-01' }));
    expect(out.change.events[0]).not.toHaveProperty('minutes');
    expect(out.change.summary.join(' ')).toMatch(/No duration was measured/);
    const after = read(root, SUMMARY_21);
    expect(after).toContain('duration: 7 min\n');
    expect(after).toContain('completed: 2026-03-10T09:00:00Z\n');
  });

  it('lets cairn fill the template metric fields it measures, but not the author’s placeholders', async () => {
    const root = project();
    await op(root, T0, (ctx) => planStart(ctx, { plan: '02-01' }));
    const metricOnly = '---\nphase: 02-api\nplan: 01\nduration: [X] min\ncompleted: YYYY-MM-DD\n---\n\n# Phase 2 Plan 1: Routes\n\n**Routes answer.**\n';
    write(root, SUMMARY_21, metricOnly);
    await op(root, minutesLater(3), (ctx) => planDone(ctx, { plan: '02-01' }));
    expect(read(root, SUMMARY_21)).toBe(metricOnly.replace('duration: [X] min', 'duration: 3min').replace('completed: YYYY-MM-DD', 'completed: 2026-03-10T09:03:00Z'));
  });

  it('refuses a SUMMARY with template placeholders, listing each with its line, and changes nothing', async () => {
    const root = project();
    await op(root, T0, (ctx) => planStart(ctx, { plan: '02-01' }));
    write(root, SUMMARY_21, templateSummary('02-api', '02-01'));
    const hash = treeHash(root);
    const ctx = await ctxOf(root, minutesLater(5));
    let message = '';
    try {
      planDone(ctx, { plan: '02-01' });
    } catch (e) {
      expect(e).toBeInstanceOf(PreconditionError);
      message = `${(e as Error).message} ${(e as PreconditionError).hint}`;
    }
    expect(message).toContain('line 8: "[Name]"');
    expect(message).toContain('line 10: "[Substantive one-liner]"');
    expect(message).toContain('line 14: "[time]"');
    expect(message).toContain('line 15: "[count]"');
    // Measured fields are filled by cairn, so they are not listed.
    expect(message).not.toContain('YYYY-MM-DD');
    expect(message).toContain('fill the SUMMARY, then run `cairn plan done 02-01`');
    expect(treeHash(root)).toBe(hash);
  });

  it('lists the duration placeholder when there is no start to measure it from', async () => {
    const root = project();
    write(root, SUMMARY_21, '---\nphase: 02-api\nduration: [X] min\ncompleted: YYYY-MM-DD\n---\n\n# Phase 2 Plan 1: Routes\n');
    await expect(ctxOf(root).then((ctx) => planDone(ctx, { plan: '02-01' }))).rejects.toThrow(/line 3: "\[X\]"/);
  });

  it('refuses without a SUMMARY, naming the file to write', async () => {
    const root = project();
    await expect(ctxOf(root).then((ctx) => planDone(ctx, { plan: '02-02' }))).rejects.toThrow(/no SUMMARY yet: expected \.planning\/phases\/02-api\/02-02-SUMMARY\.md/);
  });

  it('refuses a SUMMARY that is not valid UTF-8', async () => {
    const root = project();
    write(root, SUMMARY_21, Buffer.concat([Buffer.from('---\nphase: 02-api\n---\n\n# Caf'), Buffer.from([0xe9]), Buffer.from(' summary\n')]));
    await expect(ctxOf(root).then((ctx) => planDone(ctx, { plan: '02-01' }))).rejects.toThrow(/not valid UTF-8/);
  });

  it('twice = once: no second event, identical bytes', async () => {
    const root = project();
    await op(root, T0, (ctx) => planStart(ctx, { plan: '02-01' }));
    write(root, SUMMARY_21, filledSummary('02-api', '02-01'));
    await op(root, minutesLater(4), (ctx) => planDone(ctx, { plan: '02-01' }));
    const hash = treeHash(root);
    const second = await op(root, minutesLater(9), (ctx) => planDone(ctx, { plan: '02-01' }));
    expect(second.change.events).toHaveLength(0);
    expect(second.change.files.size).toBe(0);
    expect(second.written).toBe(false);
    expect(second.change.result).toMatchObject({ alreadyDone: true, minutes: 4 });
    expect(treeHash(root)).toBe(hash);
  });
});

describe('setFrontmatterFields', () => {
  const fields: [string, string][] = [
    ['duration', '12min'],
    ['completed', '2026-03-10T09:12:00Z'],
  ];
  const set = (text: string) => setFrontmatterFields(parseMarkdown(text), 'S.md', fields);

  it('replaces only the values of present keys, keeping spacing and trailing comments', () => {
    expect(set('---\nplan: 1\nduration:   5 min # rough\ncompleted: 2026-03-01\n---\nbody\n')).toBe(
      '---\nplan: 1\nduration:   12min # rough\ncompleted: 2026-03-10T09:12:00Z\n---\nbody\n',
    );
  });

  it('inserts absent keys before the closing line, in the file’s line endings', () => {
    expect(set('---\r\nplan: 1\r\n---\r\n\r\n# S\r\n')).toBe('---\r\nplan: 1\r\nduration: 12min\r\ncompleted: 2026-03-10T09:12:00Z\r\n---\r\n\r\n# S\r\n');
  });

  it('prepends a minimal frontmatter to a SUMMARY without one, after a BOM', () => {
    expect(set('# S\n\nbody\n')).toBe('---\nduration: 12min\ncompleted: 2026-03-10T09:12:00Z\n---\n\n# S\n\nbody\n');
    expect(set('\uFEFF\n# S\n')).toBe('\uFEFF---\nduration: 12min\ncompleted: 2026-03-10T09:12:00Z\n---\n\n# S\n');
  });

  it('handles empty values, quoted keys, continuation lines and repeated keys', () => {
    expect(set('---\ncompleted:\n"duration": "5m"\n---\n')).toBe('---\ncompleted: 2026-03-10T09:12:00Z\n"duration": 12min\n---\n');
    expect(set('---\nduration: about five\n  minutes in all\nplan: 1\n---\n')).toBe('---\nduration: 12min\nplan: 1\ncompleted: 2026-03-10T09:12:00Z\n---\n');
    expect(set('---\nduration: 1m\nduration: 2m\ncompleted: x\n---\n')).toBe('---\nduration: 12min\nduration: 12min\ncompleted: 2026-03-10T09:12:00Z\n---\n');
  });

  it('leaves nested keys alone and edits a frontmatter displaced below an HTML comment', () => {
    expect(set('---\nmetrics:\n  duration: 5m\n---\n')).toBe('---\nmetrics:\n  duration: 5m\nduration: 12min\ncompleted: 2026-03-10T09:12:00Z\n---\n');
    expect(set('<!-- generated -->\n---\nplan: 1\n---\n# S\n')).toBe('<!-- generated -->\n---\nplan: 1\nduration: 12min\ncompleted: 2026-03-10T09:12:00Z\n---\n# S\n');
  });

  it('refuses an unterminated frontmatter', () => {
    expect(() => set('---\nplan: 1\n# S\n')).toThrow(PreconditionError);
  });

  it('formats durations the way GSD writes them', () => {
    expect(durationText(12)).toBe('12min');
    expect(durationText(0.04)).toBe('0min');
    expect(durationText(75.25)).toBe('75.3min');
  });
});

describe.skipIf(!hasCorpus())('setFrontmatterFields on every SUMMARY of the corpus', () => {
  it('reads back the measured values and keeps every other key and the whole body', () => {
    const files = walkFiles(corpusDir!).filter((p) => /SUMMARY\.md$/i.test(p));
    expect(files.length).toBeGreaterThan(1000);
    const refused: string[] = [];
    const fields: [string, string][] = [
      ['duration', '17min'],
      ['completed', '2026-03-10T09:17:00Z'],
    ];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const doc = parseMarkdown(text);
      let out: string;
      try {
        out = setFrontmatterFields(doc, corpusRelative(file), fields);
      } catch (e) {
        expect(e, corpusRelative(file)).toBeInstanceOf(PreconditionError);
        refused.push(corpusRelative(file));
        continue;
      }
      const after = parseMarkdown(out);
      const rec = readSummary(after, file).record;
      expect(rec.durationMinutes, corpusRelative(file)).toBe(17);
      expect(rec.completed, corpusRelative(file)).toBe('2026-03-10T09:17:00Z');
      // The body after the frontmatter is untouched, and every other key reads as before.
      const viewBefore = readFrontmatter(doc, new DiagnosticSink(''));
      const viewAfter = readFrontmatter(after, new DiagnosticSink(''));
      if (viewBefore.fmDoc.frontmatter) {
        expect(out.slice(viewAfter.bodyStart), corpusRelative(file)).toBe(text.slice(viewBefore.bodyStart));
        expect(out.slice(0, viewAfter.shift), corpusRelative(file)).toBe(text.slice(0, viewBefore.shift));
      } else {
        expect(out.endsWith(text.replace(/^\uFEFF/, '')), corpusRelative(file)).toBe(true);
      }
      if (viewBefore.data) {
        const strip = (d: Record<string, unknown>) => Object.fromEntries(Object.entries(d).filter(([k]) => k !== 'duration' && k !== 'completed'));
        expect(strip(viewAfter.data!), corpusRelative(file)).toEqual(strip(viewBefore.data));
      }
    }
    // Every real SUMMARY can be edited safely (refusal is for unterminated or non-mapping frontmatter).
    expect(refused).toEqual([]);
  });
});

describe('cairn plan (CLI)', () => {
  it('start then done: --json results, ledger events, SUMMARY fields, status in progress then done', () => {
    const root = project();
    const started = json(cairn(['plan', 'start', '02-01', '--dir', root, '--json']));
    expect(started.result).toMatchObject({ plan: '02-01', phase: '2', alreadyStarted: false });
    expect(started.changed).toContain('.planning/events.jsonl');
    const status = json(cairn(['status', root, '--json']));
    expect(status.position).toMatchObject({ phase: { id: '2' }, status: 'in progress' });

    write(root, SUMMARY_21, filledSummary('02-api', '02-01'));
    const done = json(cairn(['plan', 'done', '02-01', '-C', root, '--json']));
    expect(done.result).toMatchObject({ plan: '02-01', alreadyDone: false, summaryFile: SUMMARY_21 });
    expect(typeof done.result.minutes).toBe('number');
    expect(done.changed).toEqual(expect.arrayContaining([SUMMARY_21, '.planning/events.jsonl', '.planning/STATE.md']));
    expect(read(root, SUMMARY_21)).toMatch(/^duration: [\d.]+min$/m);
    const types = ledgerLines(root).map((e) => e.type);
    expect(types).toEqual(['plan.started', 'plan.completed']);
    expect(json(cairn(['status', root, '--json'])).progress.plans.done).toBe(2);
  });

  it('plan done twice leaves the same bytes as once', async () => {
    const root = project();
    expect((await cairnIn(['plan', 'start', '02-02', '-C', root])).code).toBe(0);
    write(root, '.planning/phases/02-api/02-02-SUMMARY.md', filledSummary('02-api', '02-02'));
    const first = await cairnIn(['plan', 'done', '02-02', '-C', root]);
    expect(first.code, first.stderr).toBe(0);
    const hash = treeHash(root);
    const second = await cairnIn(['plan', 'done', '02-02', '-C', root]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/already recorded done/);
    expect(treeHash(root)).toBe(hash);
    expect((await cairnIn(['plan', 'start', '02-02', '-C', root])).code).toBe(3);
    expect(treeHash(root)).toBe(hash);
  });

  it('--dry-run prints the diff and writes nothing', async () => {
    const root = project();
    expect((await cairnIn(['plan', 'start', '02-01', '-C', root])).code).toBe(0);
    write(root, SUMMARY_21, filledSummary('02-api', '02-01'));
    const hash = treeHash(root);
    const r = await cairnIn(['plan', 'done', '02-01', '-C', root, '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`+++ b/${SUMMARY_21}`);
    expect(r.stdout).toMatch(/^\+completed: \d{4}-\d\d-\d\dT/m);
    expect(r.stdout).toContain('"type":"plan.completed"');
    expect(treeHash(root)).toBe(hash);
    const j = json(await cairnIn(['plan', 'start', '02-02', '-C', root, '--dry-run', '--json']));
    expect(j.dryRun).toBe(true);
    expect(j.diff).toContain('"type":"plan.started"');
    expect(treeHash(root)).toBe(hash);
  });

  it.each([
    [['plan', 'start', '02-09'], 2, /unknown plan 02-09/],
    [['plan', 'start', 'x/../../y'], 2, /not a plan id/],
    [['plan', 'start'], 2, /plan id is missing/],
    [['plan', 'start', '02-01', '02-02'], 2, /takes one plan id/],
    [['plan'], 2, /needs a subcommand: start or done/],
    [['plan', 'finish', '02-01'], 2, /unknown subcommand "plan finish"/],
    [['plan', 'start', '02-01', '--bogus'], 2, /unknown option --bogus/],
    [['plan', 'start', '01-01'], 3, /already done/],
    [['plan', 'done', '02-03'], 3, /no SUMMARY yet/],
  ])('%j → exit %i, no file changed', async (args, code, message) => {
    const root = project();
    const hash = treeHash(root);
    const r = await cairnIn([...args, '-C', root]);
    expect(r.code, r.stderr).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(treeHash(root)).toBe(hash);
  });

  it('placeholders → exit 3 listing them, nothing recorded', async () => {
    const root = project();
    write(root, SUMMARY_21, templateSummary('02-api', '02-01'));
    const hash = treeHash(root);
    const r = await cairnIn(['plan', 'done', '02-01', '-C', root]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('line 4: "[X]"');
    expect(r.stderr).toContain('next: fill the SUMMARY, then run `cairn plan done 02-01`');
    expect(treeHash(root)).toBe(hash);
  });

  it('prints help for the command and each subcommand', async () => {
    expect((await cairnIn(['plan', '--help'])).stdout).toContain('start <plan-id>');
    expect((await cairnIn(['plan', 'done', '--help'])).stdout).toContain('Usage: cairn plan done <plan-id>');
  });
});
