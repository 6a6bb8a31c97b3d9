import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { extractTimestamp, toEpochMs } from '../../src/model/dates.ts';
import { corpusMarkdownFiles, corpusRelative, hasCorpus } from '../support/corpus.ts';

describe('extractTimestamp', () => {
  it.each<[string, string]>([
    ['2026-02-05T13:51:00Z', '2026-02-05T13:51:00Z'],
    ['2026-02-03', '2026-02-03'],
    ['2026-02-05 20:54 UTC (plan execution)', '2026-02-05T20:54Z'],
    ['2026-01-29 at 13:33:25Z', '2026-01-29T13:33:25Z'],
    ['2026-01-26 14:30', '2026-01-26T14:30'],
    ['"2026-02-28T04:19:05.766Z"', '2026-02-28T04:19:05.766Z'],
    ['2026-02-07T19:30:00+08:00', '2026-02-07T19:30:00+08:00'],
    ['2026-02-07T19:30:00-0330', '2026-02-07T19:30:00-03:30'],
    ['2026-01-17T12:21', '2026-01-17T12:21'],
    ['2026-08-12 21:10 CDT', '2026-08-12T21:10-05:00'],
    ['2026-01-29 15:13:12', '2026-01-29T15:13:12'],
    ['2026-02-05 - Completed 06-02-PLAN.md (views)', '2026-02-05'],
    ['2026-02-05 — Completed 05-02-PLAN.md', '2026-02-05'],
    ['2026-03-26 -- Completed quick task 260326-fkr', '2026-03-26'],
    ['Completed: 2026-01-28 (22 minutes)', '2026-01-28'],
    ['2026-02-03 after Phase 8 complete (all 77 v1 requirements verified)*', '2026-02-03'],
    ['v4.0 milestone completion (2026-03-13)', '2026-03-13'],
    ['2026-01-06T~14:00:00Z', '2026-01-06'],
    ['2026-01-01 12:07-12:17', '2026-01-01T12:07'],
    ['2026-02-30 then 2026-03-01', '2026-03-01'],
    ['28.06.2025', '2025-06-28'],
    ['am 28.06.2025.', '2025-06-28'],
    ['23/01/2026', '2026-01-23'],
    ['01/23/2026', '2026-01-23'],
    ['10 Jan 2026', '2026-01-10'],
    ['15 jan 2026', '2026-01-15'],
    ['May 1, 2024', '2024-05-01'],
    ['February 6, 2026', '2026-02-06'],
    ['Dec 4th, 2025', '2025-12-04'],
    ['on 10 Jan 2026, then 2026-02-01', '2026-01-10'],
  ])('%j → %j', (text, want) => {
    expect(extractTimestamp(text)).toBe(want);
  });

  it.each([
    'YYYY-MM-DD',
    '[Date]',
    '[timestamp]',
    'YYYY-MM-DDTHH:MM:SSZ',
    '{date}',
    '',
    'February 2025',
    'Phase 12',
    '02/03/2026',
    '2026-13-01',
    '1.2.3.2026',
    'v1.2026',
    '260326-fkr',
  ])('%j → null', (text) => {
    expect(extractTimestamp(text)).toBeNull();
  });

  it('stays fast on long text without dates', () => {
    const long = 'x'.repeat(200000) + '2026-02-05';
    const t = performance.now();
    expect(extractTimestamp(long)).toBe('2026-02-05');
    expect(extractTimestamp('1234 '.repeat(40000))).toBeNull();
    expect(performance.now() - t).toBeLessThan(1000);
  });
});

describe('toEpochMs', () => {
  it.each<[string, number]>([
    ['2026-02-03', Date.UTC(2026, 1, 3)],
    ['2026-02-05T13:51:00Z', Date.UTC(2026, 1, 5, 13, 51)],
    ['2026-02-05T13:51', Date.UTC(2026, 1, 5, 13, 51)],
    ['2026-02-28T04:19:05.766Z', Date.UTC(2026, 1, 28, 4, 19, 5, 766)],
    ['2026-02-07T19:30:00+08:00', Date.UTC(2026, 1, 7, 11, 30)],
    ['2026-02-07T19:30:00-03:30', Date.UTC(2026, 1, 7, 23, 0)],
    ['Last session: 2026-02-05 20:54 UTC (plan execution)', Date.UTC(2026, 1, 5, 20, 54)],
  ])('%j → %d', (ts, ms) => {
    expect(toEpochMs(ts)).toBe(ms);
  });

  it.each(['', 'YYYY-MM-DD', '2026-02-30', 'soon'])('%j → null', (ts) => {
    expect(toEpochMs(ts)).toBeNull();
  });

  it('agrees with Date.parse on every canonical UTC form', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2999-12-31T23:59:59Z'), noInvalidDate: true }), (d) => {
        const iso = d.toISOString();
        expect(extractTimestamp(`Last session: ${iso} (x)`)).toBe(iso);
        expect(toEpochMs(iso)).toBe(d.getTime());
        expect(toEpochMs(iso.slice(0, 10))).toBe(Date.parse(iso.slice(0, 10)));
      }),
    );
  });
});

  it('accepts exactly the days each month has, leap years included (1600–2400)', () => {
    for (let y = 1600; y <= 2400; y++) {
      for (let m = 1; m <= 12; m++) {
        const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
        const day = (d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        expect(toEpochMs(day(last)), day(last)).toBe(Date.UTC(y, m - 1, last));
        if (last < 31) expect(toEpochMs(day(last + 1)), day(last + 1)).toBeNull();
      }
    }
  });

  it('gives the same answer for a repeated text (memoised) as the first time', () => {
    const texts = ['2025-03-01', '2024-02-29', '2023-02-29', 'Completed: 2025-03-01T10:00Z', 'nope'];
    const first = texts.map(toEpochMs);
    expect(texts.map(toEpochMs)).toEqual(first);
    expect(first).toEqual([Date.UTC(2025, 2, 1), Date.UTC(2024, 1, 29), null, Date.UTC(2025, 2, 1, 10), null]);
  });

describe.skipIf(!hasCorpus())('dates against the corpus', () => {
  const KEY =
    /^\s*(?:[-*+]\s+)?[*_]{0,2}(last session|last activity|last updated|last_updated|last_activity|completed|started|date|created)[*_]{0,2}\s*:\s*[*_]{0,2}\s*(.*?)\s*$/i;
  const values: { file: string; key: string; value: string }[] = [];
  for (const p of corpusMarkdownFiles())
    for (const line of readFileSync(p, 'utf8').split(/\r?\n/)) {
      const m = KEY.exec(line);
      if (m && m[2]) values.push({ file: corpusRelative(p), key: m[1]!.toLowerCase(), value: m[2] });
    }

  it('reads every value that starts with an ISO date, and keeps its date', () => {
    const iso = values.filter((v) => /^["'`]?\d{4}-\d{2}-\d{2}/.test(v.value));
    expect(iso.length).toBeGreaterThan(3000);
    for (const v of iso) {
      const ts = extractTimestamp(v.value);
      expect(ts, `${v.file}: ${v.value}`).not.toBeNull();
      expect(ts!.slice(0, 10)).toBe(/\d{4}-\d{2}-\d{2}/.exec(v.value)![0]);
      expect(toEpochMs(ts!), `${v.file}: ${v.value}`).not.toBeNull();
    }
  });

  it('finds nothing in placeholders and prose', () => {
    const none = values.filter((v) => !/\d{4}/.test(v.value) || /^\[|^\{|YYYY/.test(v.value));
    expect(none.length).toBeGreaterThan(100);
    for (const v of none) expect(extractTimestamp(v.value), `${v.file}: ${v.value}`).toBeNull();
  });

  it('keeps the time and zone the writer stated', () => {
    const withTime = values.filter((v) => /^["']?\d{4}-\d{2}-\d{2}(?:T|\s+at\s+|\s)\d{2}:\d{2}/.test(v.value));
    expect(withTime.length).toBeGreaterThan(1500);
    for (const v of withTime) {
      const ts = extractTimestamp(v.value)!;
      expect(ts, v.value).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
      if (/\d(?:Z|\s*UTC)\b/.test(v.value)) expect(ts, v.value).toMatch(/Z$/);
    }
  });

  it('converts the non-ISO dates written in the corpus', () => {
    const text = corpusMarkdownFiles().map((p) => readFileSync(p, 'utf8')).join('\n');
    for (const [form, want] of [
      ['28.06.2025', '2025-06-28'],
      ['23/01/2026', '2026-01-23'],
      ['10 Jan 2026', '2026-01-10'],
      ['February 6, 2026', '2026-02-06'],
      ['Dec 27, 2025', '2025-12-27'],
    ] as const) {
      expect(text.includes(form), form).toBe(true);
      expect(extractTimestamp(`seen ${form} here`)).toBe(want);
    }
  });
});
