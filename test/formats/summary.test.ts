import { beforeAll, describe, expect, it } from 'vitest';
import { readSummary, summaryPlaceholders } from '../../src/formats/summary.ts';
import { parseMarkdown } from '../../src/markdown/index.ts';
import { hasCorpus } from '../support/corpus.ts';
import { corpusWhere, fixtureDoc, loadCorpus, withoutBlockTree } from './reader-support.ts';

const read = (name: string) => readSummary(withoutBlockTree(fixtureDoc('summary', name)), `.planning/phases/x/${name}`);
const rules = (ds: { rule: string; line: number }[]) => ds.map((d) => [d.rule, d.line]);
/** The raw frontmatter of a file that starts with one (allowing leading HTML comment lines). */
const frontmatter = (t: string) => /^(?:<!--.*-->\r?\n)*---\r?\n([\s\S]*?)\r?\n---/.exec(t)?.[1] ?? '';

describe('readSummary fixtures', () => {
  it('reads GSD frontmatter; the body fills only what the frontmatter lacks', () => {
    const { record, diagnostics } = read('frontmatter.md');
    expect(diagnostics).toEqual([]);
    expect(record).toEqual({
      hasFrontmatter: true,
      duration: '12min',
      durationMinutes: 12,
      durationApproximate: false,
      durationSource: 'frontmatter',
      started: '2026-02-14T09:00:00Z',
      completed: '2026-02-14',
      // An unquoted `- a: b` item is a map to YAML; it is read back as the sentence it was.
      keyDecisions: ['Weeks start on Monday', 'Times shown in local zone: anglers read the harbour clock'],
      requirementsCompleted: ['CAL-01', 'CAL-02'],
    });
  });

  it('reads nested metrics and decision maps', () => {
    const { record, diagnostics } = read('nested-metrics.md');
    expect(diagnostics).toEqual([]);
    expect(record.duration).toBe('1m 33s');
    expect(record.durationMinutes).toBeCloseTo(1.55, 5);
    expect(record.completed).toBe('2026-03-02');
    expect(record.keyDecisions).toEqual(['Sync runs on save, not on a timer', 'Use the word "sync" in the UI', 'Keep one queue']);
  });

  it('reads body lines when there is no frontmatter (and ignores fenced lower-case keys)', () => {
    const { record, diagnostics } = read('body-only.md');
    expect(diagnostics).toEqual([]);
    expect(record).toMatchObject({
      hasFrontmatter: false,
      duration: '~8 min',
      durationMinutes: 8,
      durationApproximate: true,
      durationSource: 'body',
      started: '2026-01-05T10:02:11Z',
      completed: '2026-01-05T10:10:40Z',
    });
  });

  it('reads the italic footer with several fields, skipping an unparseable earlier duration', () => {
    const { record, diagnostics } = read('italic-footer.md');
    expect(diagnostics).toEqual([]);
    expect(record).toMatchObject({ duration: '4 minutes', durationMinutes: 4, completed: '2026-01-28', durationSource: 'body' });
  });

  it('reports `completed: true` and a bare-number duration, then falls back to the body date', () => {
    const { record, diagnostics } = read('completed-true.md');
    expect(rules(diagnostics)).toEqual([
      ['duration-unknown', 4],
      ['summary-completed-invalid', 5],
    ]);
    expect(record).toMatchObject({ duration: '173', durationMinutes: null, completed: '2026-04-01' });
  });

  it('reads duration_seconds and started_at/completed_at', () => {
    const { record } = read('seconds.md');
    expect(record).toMatchObject({ durationMinutes: 6.45, started: '2026-05-01T08:00:00Z', completed: '2026-05-01T08:06:27Z' });
  });

  it('reads frontmatter placed below HTML comments, with an info diagnostic', () => {
    const { record, diagnostics } = read('comment-first.md');
    expect(diagnostics.map((d) => [d.rule, d.severity])).toEqual([['frontmatter-not-at-start', 'info']]);
    expect(record).toMatchObject({ hasFrontmatter: true, duration: '~10m', durationMinutes: 10, completed: '2026-03-19' });
  });

  it('reports duplicate keys (last wins) and unterminated frontmatter', () => {
    const dup = read('duplicate-keys.md');
    expect(rules(dup.diagnostics)).toEqual([['frontmatter-duplicate-key', 4]]);
    expect(dup.record.duration).toBe('7min');
    const open = read('unterminated.md');
    expect(rules(open.diagnostics)).toEqual([['frontmatter-unterminated', 1]]);
    expect(open.record.duration).toBe('3min');
  });

  it('lists unfilled template placeholders in frontmatter, title, one-liner and metric lines only', () => {
    const { record, diagnostics } = read('placeholder.md');
    expect(rules(diagnostics)).toEqual([
      ['duration-unknown', 5],
      ['summary-completed-invalid', 6],
    ]);
    expect(record.durationMinutes).toBeNull();
    expect(summaryPlaceholders(fixtureDoc('summary', 'placeholder.md'))).toEqual([
      'XX',
      'YY',
      'Xmin',
      'YYYY-MM-DD',
      '[X]',
      '[Y]',
      '[Name]',
      '[Substantive one-liner describing the outcome]',
      '[time]',
      '[ISO timestamp]',
      '[end time]',
      '[count]',
    ]);
  });

  it('does not mistake narrative `X`, `{path}`, `[id]` paths or links for placeholders', () => {
    expect(summaryPlaceholders(fixtureDoc('summary', 'filled.md'))).toEqual([]);
    expect(summaryPlaceholders(fixtureDoc('summary', 'frontmatter.md'))).toEqual([]);
  });

  it('never throws on hostile input', () => {
    for (const text of ['', '---\n---\n', '---\nmetrics: [\n---\n', '---\nduration:\n  - 3\ncompleted: {a: 1}\ndecisions: 5\n---\n', '**Duration:**', '## Duration\n', '| Duration |', '*Completed: | Duration: |*']) {
      expect(() => readSummary(withoutBlockTree(parseMarkdown(text)), 'x')).not.toThrow();
      expect(() => summaryPlaceholders(parseMarkdown(text))).not.toThrow();
    }
  });
});

describe.skipIf(!hasCorpus())('readSummary over every plan SUMMARY of the corpus', () => {
  let results: Array<{ rel: string; text: string; placeholders: string[] } & ReturnType<typeof readSummary>> = [];
  beforeAll(() => {
    results = corpusWhere((rel, name) => name.endsWith('-SUMMARY.md') && /\/(phases|milestones)\//.test(rel)).map((f) => {
      const { rel, text, doc } = loadCorpus(f);
      return { rel, text, placeholders: summaryPlaceholders(doc), ...readSummary(withoutBlockTree(doc), rel) };
    });
  });

  it('reads them all without touching the block tree', () => {
    expect(results.length).toBeGreaterThan(1250);
  });

  it('finds a duration in at least 88 % of them, from frontmatter or body', () => {
    const known = results.filter((r) => r.record.durationMinutes !== null);
    expect(known.length / results.length).toBeGreaterThanOrEqual(0.88);
    expect(known.filter((r) => r.record.durationSource === 'body').length).toBeGreaterThan(90);
    expect(known.every((r) => Number.isFinite(r.record.durationMinutes) && r.record.durationMinutes! >= 0)).toBe(true);
  });

  it('lists exactly the durations written that are not lengths of time', () => {
    const bad = [...new Set(results.filter((r) => r.record.duration !== null && r.record.durationMinutes === null).map((r) => r.record.duration))];
    expect(bad.sort()).toEqual(['21', '271', '3.28', '320', 'multi-session (2026-03-12 to 2026-03-25)']);
    const reported = results.filter((r) => r.diagnostics.some((d) => d.rule === 'duration-unknown'));
    expect(reported.length).toBe(5);
  });

  it('yields a duration text for every file with a `duration:` line in its frontmatter', () => {
    const withKey = results.filter((r) => /^[ \t]*duration:[ \t]*\S/m.test(frontmatter(r.text)));
    expect(withKey.length).toBeGreaterThan(1000);
    expect(withKey.filter((r) => r.record.duration === null).map((r) => r.rel)).toEqual([]);
  });

  it('finds a completion date in at least 88 % of them', () => {
    expect(results.filter((r) => r.record.completed !== null).length / results.length).toBeGreaterThanOrEqual(0.88);
    expect(results.filter((r) => r.diagnostics.some((d) => d.rule === 'summary-completed-invalid')).length).toBe(1);
  });

  it('reads key decisions wherever key-decisions/decisions holds items', () => {
    const withList = results.filter((r) => /^(?:key-decisions|decisions):[ \t]*\r?\n[ \t]+-/m.test(frontmatter(r.text)));
    expect(withList.length).toBeGreaterThan(900);
    expect(withList.filter((r) => r.record.keyDecisions.length === 0).map((r) => r.rel)).toEqual([]);
  });

  it('finds placeholders only in the one summary with an unfilled one-liner and the one with [start time]', () => {
    const found = results.filter((r) => r.placeholders.length > 0).map((r) => `${r.rel}: ${r.placeholders.join(', ')}`);
    expect(found.sort()).toEqual([
      'jushyi__Flick/.planning/phases/50.1-fix-failing-test-suites/50.1-02-SUMMARY.md: [start time], [end time]',
      'merlinkraemer__prunr/.planning/phases/8.4-new-issues-from-issues-doc/08.4-02-SUMMARY.md: [Substantive one-liner]',
    ]);
  });
});
