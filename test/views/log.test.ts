/**
 * `cairn log`'s core (src/views/log.ts) and its command, in process: every event kind from a
 * ledger written here, the real operations' events, an unadopted project read from STATE.md and
 * its files, `--since` as a date and as an age (injected clock), `--phase`, `--limit`, `--json`,
 * and bad input refused with exit 2 and a hint. The built CLI is run once for the exit codes and
 * for "never paged when piped"; the pager itself is run as a real child process.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createEvent, serializeEvents, type EventBody, type LedgerEvent } from '../../src/ledger/index.ts';
import { loadWorkspace } from '../../src/workspace/index.ts';
import { logOf, parseSince, LOG_KINDS, type LogEntry } from '../../src/views/log.ts';
import { run, page, renderLog } from '../../src/cli/commands/log.ts';
import { decide } from '../../src/ops/decide.ts';
import { block } from '../../src/ops/block.ts';
import { runOperation } from '../../src/ops/run.ts';
import { UsageError } from '../../src/model/errors.ts';
import { cairn, remove, tempProject } from '../support/cli.ts';
import { STATE, makeProject } from '../ops/project.ts';

const roots: string[] = [];
afterAll(() => roots.forEach(remove));
const track = (root: string) => (roots.push(root), root);

/** One event of every kind, a day apart from 2026-03-01, as cairn itself would write them. */
function everyKindLedger(): LedgerEvent[] {
  const bodies: EventBody[] = [
    { type: 'milestone.started', milestone: 'v1.0', name: 'First light', source: 'cli' },
    { type: 'decision.recorded', text: 'Ledger lines are JSON', tag: '01-01', rationale: 'append-only merges', source: 'cli' },
    { type: 'plan.started', plan: '01-01', phase: '1', source: 'cli' },
    { type: 'blocker.raised', blocker: 'B1', text: 'CI runner has no Node 20', group: 'Infrastructure', source: 'cli' },
    { type: 'todo.added', todo: 'T1', text: 'Write the upgrade notes', source: 'cli' },
    { type: 'plan.completed', plan: '01-01', phase: '1', minutes: 42, source: 'cli' },
    { type: 'blocker.resolved', blocker: 'B1', source: 'cli' },
    { type: 'todo.done', todo: 'T1', source: 'cli' },
    { type: 'session.saved', stoppedAt: 'Finished 01-01', resumeFile: '.planning/phases/01-setup/01-02-PLAN.md', plan: '01-02', source: 'cli' },
    { type: 'phase.completed', phase: '1', source: 'cli' },
    { type: 'milestone.completed', milestone: 'v1.0', source: 'cli' },
    // An import: its `at` is the time of the import, not the date of the facts.
    { type: 'phase.metrics', phase: '1', plans: 2, totalMinutes: 80, source: 'adopt' },
    { type: 'decision.recorded', text: 'Imported with its own date', tag: 'Phase 2', date: '2026-02-20', source: 'adopt' },
  ];
  let after: string | undefined;
  return bodies.map((b, i) => {
    const e = createEvent(b, new Date(Date.UTC(2026, 2, 1 + i, 9)), after);
    after = e.id;
    return e;
  });
}

function ledgerProject(events: LedgerEvent[]): string {
  return track(tempProject({ '.planning/events.jsonl': serializeEvents(events), '.planning/ROADMAP.md': '# Roadmap\n\n- [ ] **Phase 1: Setup**\n' }));
}

const NOW = new Date('2026-03-14T12:00:00.000Z');

async function runLog(argv: string[], now = NOW): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await run(argv, { now, write: (t) => (out += t) });
  return { code, out };
}

describe('log core', () => {
  it('shows one entry per ledger event of every kind, newest first, with date, kind, tag/group and id', async () => {
    const events = everyKindLedger();
    const ws = await loadWorkspace(ledgerProject(events));
    const { entries, total } = logOf(ws);
    expect(total).toBe(events.length);
    expect(new Set(entries.map((e) => e.kind))).toEqual(new Set(LOG_KINDS));
    const byId = new Map(entries.map((e) => [e.id, e]));
    for (const ev of events) expect(byId.has(ev.id)).toBe(true);
    const decision = entries.find((e) => e.text === 'Ledger lines are JSON')!;
    expect(decision).toMatchObject({ kind: 'decision', action: 'recorded', tag: '01-01', phase: '1', detail: 'append-only merges', date: events[1]!.at, source: 'ledger' });
    expect(entries.find((e) => e.kind === 'blocker' && e.action === 'resolved')).toMatchObject({ text: 'CI runner has no Node 20', ref: 'B1' });
    expect(entries.find((e) => e.kind === 'blocker' && e.action === 'raised')).toMatchObject({ group: 'Infrastructure' });
    expect(entries.find((e) => e.kind === 'todo' && e.action === 'done')).toMatchObject({ text: 'Write the upgrade notes' });
    expect(entries.find((e) => e.kind === 'plan' && e.action === 'completed')).toMatchObject({ tag: '01-01', phase: '1', detail: '42 min' });
    expect(entries.find((e) => e.kind === 'session')).toMatchObject({ text: 'Finished 01-01', tag: '01-02', detail: '.planning/phases/01-setup/01-02-PLAN.md' });
    // Imported facts: never dated by the import.
    const metrics = entries.find((e) => e.action === 'metrics')!;
    expect(metrics).toMatchObject({ date: null, recorded: events[11]!.at });
    expect(entries.find((e) => e.text === 'Imported with its own date')).toMatchObject({ date: '2026-02-20', phase: '2', recorded: events[12]!.at });
    // Newest first by date; the undated import last.
    const dated = entries.filter((e) => e.date !== null).map((e) => Date.parse(e.date!));
    expect(dated).toEqual([...dated].sort((a, b) => b - a));
    expect(entries[0]!.kind).toBe('milestone');
    expect(entries[0]!.action).toBe('completed');
    expect(entries.at(-1)).toBe(metrics);
  });

  it('filters by kind, --since (date and age), --phase and --limit', async () => {
    const ws = await loadWorkspace(ledgerProject(everyKindLedger()));
    expect(logOf(ws, { kinds: ['decision'] }).entries.map((e) => e.text)).toEqual(['Ledger lines are JSON', 'Imported with its own date']);
    // 2026-03-09 09:00 onwards: session (03-09), phase completed (03-10), milestone completed (03-11).
    const sinceDate = logOf(ws, { since: parseSince('2026-03-09', NOW) }).entries;
    expect(sinceDate.map((e) => `${e.kind} ${e.action}`)).toEqual(['milestone completed', 'phase completed', 'session saved']);
    // 7d back from 2026-03-14 12:00 is 2026-03-07 12:00: the todo done at 03-08 09:00 is in, the blocker resolved at 03-07 09:00 is out.
    const week = logOf(ws, { since: parseSince('7d', NOW) }).entries;
    expect(week.map((e) => `${e.kind} ${e.action}`)).toEqual(['milestone completed', 'phase completed', 'session saved', 'todo done']);
    expect(week.every((e) => e.date !== null)).toBe(true);
    const phase1 = logOf(ws, { phase: '01' }).entries;
    expect(phase1.map((e) => `${e.kind} ${e.action}`)).toEqual(['phase completed', 'session saved', 'plan completed', 'plan started', 'decision recorded', 'phase metrics']);
    const two = logOf(ws, { limit: 2 });
    expect(two.total).toBe(13);
    expect(two.entries.map((e) => e.action)).toEqual(['completed', 'completed']);
    expect(two.entries.map((e) => e.kind)).toEqual(['milestone', 'phase']);
  });

  it('reads a project never adopted from STATE.md and the dates its files carry', async () => {
    const root = track(makeProject({
      extra: {
        '.planning/todos/pending/2026-03-05-cache.md': '---\ntitle: Cache the route table\ncreated: 2026-03-05T10:00:00Z\n---\n\nCache it.\n',
        '.planning/MILESTONES.md': '# Milestones\n\n## v0.9 Prototype (Shipped: 2026-02-15)\n\n**Phases completed:** 0\n',
      },
    }));
    const ws = await loadWorkspace(root);
    expect(ws.ledger.exists).toBe(false);
    const { entries } = logOf(ws);
    const at = (kind: string) => entries.filter((e) => e.kind === kind);
    expect(at('decision')).toEqual([expect.objectContaining({ text: 'Two phases: setup, then the API', tag: 'Roadmap', source: 'state', file: '.planning/STATE.md', id: null })]);
    expect(at('decision')[0]!.line).toBe(STATE.split('\n').findIndex((l) => l.includes('Two phases')) + 1);
    expect(at('session')).toEqual([expect.objectContaining({ date: '2026-03-01T10:00', text: 'Finished 01-01', source: 'state' })]);
    expect(at('plan')).toEqual([expect.objectContaining({ action: 'completed', tag: '01-01', date: '2026-03-01', phase: '1', source: 'files', file: '.planning/phases/01-setup/01-01-SUMMARY.md' })]);
    expect(at('todo')).toEqual([expect.objectContaining({ action: 'added', text: 'Cache the route table', date: '2026-03-05T10:00:00Z', source: 'files' })]);
    expect(at('milestone')).toEqual([expect.objectContaining({ action: 'shipped', tag: 'v0.9', date: '2026-02-15' })]);
    expect(entries.map((e) => e.kind)).toEqual(['todo', 'session', 'plan', 'milestone', 'decision']);
  });

  it('after real operations: imported STATE.md history keeps file dates, new events carry the engine clock and ids', async () => {
    const root = track(makeProject());
    const t1 = new Date('2026-03-11T08:00:00.000Z');
    const t2 = new Date('2026-03-12T08:00:00.000Z');
    await runOperation({ dir: root, command: 'test', dryRun: false, now: t1, log: () => {} }, (ctx) => decide(ctx, { text: 'Routes are versioned under /v1', tag: '02-01' }));
    await runOperation({ dir: root, command: 'test', dryRun: false, now: t2, log: () => {} }, (ctx) => block(ctx, { text: 'Waiting for the staging database' }));
    const ws = await loadWorkspace(root);
    const ledgerIds = new Set(ws.ledger.events.map((e) => e.id));
    const { entries } = logOf(ws);
    expect(entries[0]).toMatchObject({ kind: 'blocker', action: 'raised', date: t2.toISOString(), source: 'ledger' });
    expect(entries[1]).toMatchObject({ kind: 'decision', text: 'Routes are versioned under /v1', tag: '02-01', phase: '2', date: t1.toISOString() });
    expect(ledgerIds.has(entries[0]!.id!) && ledgerIds.has(entries[1]!.id!)).toBe(true);
    // The roadmap decision now lives in the ledger (imported), once, not dated by the import.
    const roadmap = entries.filter((e) => e.text === 'Two phases: setup, then the API');
    expect(roadmap).toHaveLength(1);
    expect(roadmap[0]).toMatchObject({ source: 'ledger', recorded: t1.toISOString() });
    expect(roadmap[0]!.date).not.toBe(t1.toISOString());
    expect(entries.filter((e) => e.kind === 'session')).toHaveLength(1);
  });

  it('refuses a bad --since with both forms in the hint', () => {
    for (const bad of ['yesterday', '2026-13-45', '2026-02-30', '7x', '-3d', '']) {
      expect(() => parseSince(bad, NOW)).toThrow(UsageError);
    }
    try {
      parseSince('last week', NOW);
    } catch (e) {
      expect((e as UsageError).hint).toMatch(/2026-03-01.*7d/);
    }
    expect(parseSince('2026-03-01T12:00Z', NOW).toISOString()).toBe('2026-03-01T12:00:00.000Z');
    expect(parseSince('12h', NOW).toISOString()).toBe('2026-03-14T00:00:00.000Z');
    expect(parseSince('2w', NOW).toISOString()).toBe('2026-02-28T12:00:00.000Z');
  });
});

describe('log command', () => {
  it('prints one line per entry with date, kind, tag/group and id, and a footer', async () => {
    const events = everyKindLedger();
    const root = ledgerProject(events);
    const { code, out } = await runLog(['decisions', root]);
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^2026-03-02 09:00 +decision +\[01-01\] Ledger lines are JSON — append-only merges +[0-9A-Z]{26}$/);
    expect(lines[0]).toContain(events[1]!.id);
    expect(lines[1]).toMatch(/^2026-02-20 +decision +\[Phase 2\] Imported with its own date/);
    expect(lines.at(-1)).toBe('2 entries (decisions), newest first');
    const blockers = await runLog(['blockers', root]);
    expect(blockers.out).toMatch(/blocker raised +\(Infrastructure\) CI runner has no Node 20/);
  });

  it('--json: one document with the query and every entry field', async () => {
    const root = ledgerProject(everyKindLedger());
    const { code, out } = await runLog(['all', root, '--json', '--since', '7d', '--limit', '3']);
    expect(code).toBe(0);
    const doc = JSON.parse(out) as { schemaVersion: number; since: string; limit: number; total: number; entries: LogEntry[]; kinds: string[] };
    expect(doc).toMatchObject({ schemaVersion: 1, since: '2026-03-07T12:00:00.000Z', limit: 3, total: 4, kinds: [...LOG_KINDS] });
    expect(doc.entries).toHaveLength(3);
    expect(Object.keys(doc.entries[0]!).sort()).toEqual(['action', 'date', 'detail', 'file', 'group', 'id', 'kind', 'line', 'phase', 'recorded', 'ref', 'source', 'tag', 'text']);
    const phase = await runLog([root, '--json', '--phase', '1']);
    expect((JSON.parse(phase.out) as { entries: LogEntry[] }).entries.every((e) => e.phase === '1')).toBe(true);
  });

  it('a folder as the only word is the project; a word that is neither is an unknown kind', async () => {
    const root = ledgerProject(everyKindLedger());
    expect((await runLog([root])).out).toMatch(/13 entries, newest first/);
    expect((await runLog(['--limit', '1', root])).out).toMatch(/1 of 13 entries, newest first — raise --limit/);
    await expect(runLog(['decisoins', root])).rejects.toThrow(/unknown history kind "decisoins" \(did you mean decisions\?\)/);
    await expect(runLog(['nowhere-at-all'])).rejects.toThrow(UsageError);
    await expect(runLog([root, '--limit', '0'])).rejects.toThrow(/--limit expects a positive whole number/);
    await expect(runLog([root, '--phase', 'soon'])).rejects.toThrow(/--phase expects a phase id/);
    await expect(runLog([root, '--since', 'tuesday'])).rejects.toThrow(/--since expects a date or an age/);
    expect((await runLog(['--help'])).out).toMatch(/--since DATE\|AGE[\s\S]*Examples:/);
  });

  it('renders undated entries with a dash', () => {
    const line = renderLog([{ id: null, date: null, kind: 'todo', action: 'added', text: 'x', tag: null, group: null, phase: null, detail: null, ref: null, recorded: null, source: 'state', file: '.planning/STATE.md', line: 3 }])[0]!;
    expect(line).toMatch(/^— +todo added +x +\.planning\/STATE\.md:3$/);
  });
});

/** A stream that hands every chunk to `take` as it is written. */
function collector(take: (text: string) => void): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      take(chunk.toString());
      done();
    },
  });
}

describe('log paging and the built CLI', () => {
  it('pages through $PAGER (no shell) only on a terminal and only when taller than it', async () => {
    const dir = track(mkdtempSync(join(tmpdir(), 'cairn-pager-')));
    const script = join(dir, 'pager.mjs');
    const seen = join(dir, 'seen.txt');
    writeFileSync(script, `import { writeFileSync, readFileSync } from 'node:fs';\nwriteFileSync(process.argv[2], 'PAGED ' + process.argv.slice(3).join(' ') + '\\n' + readFileSync(0, 'utf8'));\n`);
    const text = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const env = { ...process.env, PAGER: `${process.execPath} ${script} ${seen} $HOME;x` };
    let direct = '';
    const sink = collector((t) => (direct += t));
    await page(text, { isTTY: true, rows: 24, env, stdout: sink });
    expect(readFileSync(seen, 'utf8')).toBe(`PAGED $HOME;x\n${text}`);
    // Short output, or not a terminal: written directly, pager not run.
    writeFileSync(seen, '');
    await page('short\n', { isTTY: true, rows: 24, env, stdout: sink });
    await page(text, { isTTY: false, rows: 24, env, stdout: sink });
    expect(readFileSync(seen, 'utf8')).toBe('');
    expect(direct).toBe(`short\n${text}`);
    // A pager that does not exist: the text still arrives.
    let fallback = '';
    const sink2 = collector((t) => (fallback += t));
    await page(text, { isTTY: true, rows: 5, env: { PAGER: join(dir, 'no-such-pager') }, stdout: sink2 });
    expect(fallback).toBe(text);
  });

  it('the built CLI: piped output is never paged; bad input exits 2 with a hint', () => {
    const root = ledgerProject(everyKindLedger());
    const ok = cairn(['log', root], { env: { PAGER: 'false' } });
    expect(ok.code).toBe(0);
    expect(ok.stdout.split('\n').filter((l) => /^\d{4}-|^—/.test(l))).toHaveLength(13);
    const bad = cairn(['log', 'decisoins', root]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/did you mean decisions\?[\s\S]*next: cairn log \[decisions\|/);
    const since = cairn(['log', root, '--since', '2026-02-31']);
    expect(since.code).toBe(2);
    expect(since.stderr).toMatch(/next: write --since 2026-03-01 \(a date\) or --since 7d/);
  });
});
