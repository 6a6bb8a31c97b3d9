import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gitattributesChange, ledgerAppendText, serializeEvents } from '../../src/ledger/append.ts';
import { createEvent, isKnownEvent, type EventBody, type LedgerEvent } from '../../src/ledger/events.ts';
import { newEventId } from '../../src/ledger/ids.ts';
import { readLedger } from '../../src/ledger/read.ts';

const FILE = '.planning/events.jsonl';
const t0 = new Date('2025-03-01T09:00:00.000Z');
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);

/** One event of every known type, plus one from a future version, in creation order. */
function sampleEvents(): LedgerEvent[] {
  const bodies: EventBody[] = [
    { type: 'milestone.started', milestone: 'v1.0', name: 'MVP' },
    { type: 'plan.started', plan: '01-01', phase: '01', source: 'cli' },
    { type: 'decision.recorded', text: 'Use "SQLite" — not Postgres\nfor now', tag: 'db', phase: '01', rationale: 'one file', date: '2025-02-28' },
    { type: 'blocker.raised', blocker: 'B1', text: 'API key missing', group: 'infra' },
    { type: 'todo.added', todo: 'T-7', text: 'write docs ✍️' },
    { type: 'plan.completed', plan: '01-01', phase: '01', minutes: 42.5 },
    { type: 'blocker.resolved', blocker: 'B1' },
    { type: 'todo.done', todo: 'T-7' },
    { type: 'phase.completed', phase: '01' },
    { type: 'phase.metrics', phase: '02', plans: 3, totalMinutes: 95, source: 'adopt', key: 'state:metrics:02' },
    { type: 'session.saved', stoppedAt: 'Completed 01-01', resumeFile: '.planning/phases/01-x/.continue-here.md' },
    { type: 'milestone.completed', milestone: 'v1.0' },
  ];
  const events: LedgerEvent[] = bodies.map((b, i) => createEvent(b, minutes(i)));
  events.push({ id: newEventId(minutes(20)), at: minutes(20).toISOString(), type: 'review.requested', reviewer: 'ana', nested: { a: [1, 2] } });
  return events;
}

describe('ledger read/write', () => {
  it('round-trips every event type, unknown ones kept as they were', () => {
    const events = sampleEvents();
    const text = serializeEvents(events);
    expect(text.split('\n')).toHaveLength(events.length + 1);
    expect(text.endsWith('\n')).toBe(true);
    const read = readLedger(text, FILE);
    expect(read.diagnostics).toEqual([]);
    expect(read.events).toEqual(events);
    expect(read.events.filter((e) => !isKnownEvent(e)).map((e) => e.type)).toEqual(['review.requested']);
    // Each line starts with id, at, type for readable diffs.
    for (const line of text.trimEnd().split('\n')) expect(Object.keys(JSON.parse(line)).slice(0, 3)).toEqual(['id', 'at', 'type']);
  });

  it('ignores a repeated id with an info diagnostic, keeping the first', () => {
    const [a, b] = sampleEvents();
    const text = serializeEvents([a!, b!]) + serializeEvents([{ ...a!, milestone: 'changed' } as LedgerEvent]);
    const read = readLedger(text, FILE);
    expect(read.events).toEqual([a, b]);
    expect(read.diagnostics).toMatchObject([{ rule: 'ledger-duplicate-id', severity: 'info', line: 3, file: FILE }]);
  });

  it('warns about a torn last line and ignores it', () => {
    const events = sampleEvents().slice(0, 3);
    const whole = serializeEvents(events);
    const torn = whole + serializeEvents(sampleEvents().slice(3, 4)).slice(0, 30);
    const read = readLedger(torn, FILE);
    expect(read.events).toEqual(events);
    expect(read.diagnostics).toMatchObject([{ rule: 'ledger-torn-line', severity: 'warning', line: 4 }]);
  });

  it('accepts a complete last line without a newline', () => {
    const events = sampleEvents().slice(0, 2);
    const read = readLedger(serializeEvents(events).trimEnd(), FILE);
    expect(read).toEqual({ events, diagnostics: [] });
  });

  it('reports an invalid line in the middle by number and reads the rest', () => {
    const events = sampleEvents().slice(0, 4);
    const lines = serializeEvents(events).split('\n');
    lines.splice(2, 0, '{"id": "x", "at": oops}', '[1,2]', '{"id":"y","at":"2025-01-01T00:00:00Z","type":"plan.started","plan":7}');
    const read = readLedger(lines.join('\n'), FILE);
    expect(read.events).toEqual(events);
    expect(read.diagnostics.map((d) => [d.rule, d.severity, d.line])).toEqual([
      ['ledger-invalid-line', 'error', 3],
      ['ledger-invalid-event', 'error', 4],
      ['ledger-invalid-event', 'error', 5],
    ]);
    expect(read.diagnostics[2]!.message).toContain('needs "plan" as a string');
  });

  it('tolerates a BOM, CRLF line ends and blank lines', () => {
    const events = sampleEvents().slice(0, 3);
    const text = '\uFEFF' + serializeEvents(events).replace(/\n/g, '\r\n').replace('\r\n', '\r\n\r\n  \r\n');
    expect(readLedger(text, FILE)).toEqual({ events, diagnostics: [] });
  });

  it('returns events in id order whatever the line order', () => {
    const events = sampleEvents();
    const read = readLedger(serializeEvents([...events].reverse()), FILE);
    expect(read.events).toEqual(events);
  });

  it('appending after a torn fragment starts a new line, so the new event survives', () => {
    const old = serializeEvents(sampleEvents().slice(0, 2)) + '{"id":"01J9';
    const [fresh] = sampleEvents().slice(5, 6);
    const read = readLedger(old + ledgerAppendText(old, [fresh!]), FILE);
    expect(read.events.map((e) => e.id)).toContain(fresh!.id);
    expect(read.diagnostics.map((d) => d.rule)).toEqual(['ledger-invalid-line']);
    expect(ledgerAppendText(null, [fresh!])).toBe(serializeEvents([fresh!]));
  });

  it('any interleaving of lines from several writers parses back to the same set of events', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 20 });
    const body: fc.Arbitrary<EventBody> = fc.oneof(
      fc.record({ type: fc.constant('plan.started' as const), plan: text, phase: text }),
      fc.record({ type: fc.constant('plan.completed' as const), plan: text, phase: text, minutes: fc.double({ noNaN: true, noDefaultInfinity: true }) }),
      fc.record({ type: fc.constant('decision.recorded' as const), text, tag: text }, { requiredKeys: ['type', 'text'] }),
      fc.record({ type: fc.constant('blocker.raised' as const), blocker: text, text }),
      fc.record({ type: fc.constant('session.saved' as const), stoppedAt: text, plan: text }, { requiredKeys: ['type'] }),
    );
    const batch = fc.array(fc.tuple(body, fc.integer({ min: 0, max: 10_000_000 })), { maxLength: 15 });
    fc.assert(
      fc.property(fc.array(batch, { minLength: 1, maxLength: 4 }), fc.array(fc.nat()), (batches, picks) => {
        // Each writer's lines stay in its own order (as in a union merge); writers interleave freely.
        const queues = batches.map((b) => serializeEvents(b.map(([e, ms]) => createEvent(e, new Date(t0.getTime() + ms)))).split('\n').filter(Boolean));
        const all = queues.flat();
        const merged: string[] = [];
        let p = 0;
        while (queues.some((q) => q.length > 0)) {
          const live = queues.filter((q) => q.length > 0);
          merged.push(live[(picks[p++] ?? 0) % live.length]!.shift()!);
        }
        const read = readLedger(merged.map((l) => l + '\n').join(''), FILE);
        expect(read.diagnostics).toEqual([]);
        const expected = all.map((l) => JSON.parse(l) as LedgerEvent).sort((a, b) => (a.id < b.id ? -1 : 1));
        expect(read.events).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('gitattributesChange', () => {
  it('creates the file when there is none', () => {
    expect(gitattributesChange(null)).toBe('.planning/events.jsonl merge=union\n');
    expect(gitattributesChange('')).toBe('.planning/events.jsonl merge=union\n');
  });
  it('appends the line, keeping what is there', () => {
    expect(gitattributesChange('*.png binary\n')).toBe('*.png binary\n.planning/events.jsonl merge=union\n');
    expect(gitattributesChange('*.png binary')).toBe('*.png binary\n.planning/events.jsonl merge=union\n');
    expect(gitattributesChange('* text=auto\r\n')).toBe('* text=auto\r\n.planning/events.jsonl merge=union\r\n');
  });
  it('returns null when the ledger already merges by union', () => {
    expect(gitattributesChange('* text=auto\n.planning/events.jsonl merge=union\n')).toBeNull();
    expect(gitattributesChange('/.planning/events.jsonl  text   merge=union')).toBeNull();
  });
  it('adds the line again when a later line overrides it', () => {
    const text = '.planning/events.jsonl merge=union\n.planning/events.jsonl -merge\n';
    expect(gitattributesChange(text)).toBe(`${text}.planning/events.jsonl merge=union\n`);
    expect(gitattributesChange('# .planning/events.jsonl merge=union\n')).not.toBeNull();
  });
});
