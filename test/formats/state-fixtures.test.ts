import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readState } from '../../src/formats/state/read.ts';
import type { StateRecord } from '../../src/formats/state/types.ts';
import { parseMarkdown } from '../../src/markdown/index.ts';
import { repoRoot } from '../support/corpus.ts';

const dir = join(repoRoot, 'test/fixtures/state');
const text = (name: string) => readFileSync(join(dir, name), 'utf8');
const read = (source: string) => readState(parseMarkdown(source), '.planning/STATE.md');
const fixture = (name: string) => read(text(name));

/** Every located value must point at exactly the text it was read from (writers splice there). */
function expectSpansMatch(source: string, r: StateRecord): void {
  const at = (span: { start: number; end: number }) => source.slice(span.start, span.end);
  const p = r.position;
  if (p?.phase) expect(at(p.phase.span)).toBe(p.phase.text);
  if (p?.plan) expect(at(p.plan.span)).toBe(p.plan.text);
  if (p?.statusAt) expect(at(p.statusAt.span)).toBe(p.statusText);
  if (p?.lastActivity) expect(at(p.lastActivity.span)).toBe(p.lastActivity.text);
  if (r.progress) expect(at(r.progress.span)).toBe(r.progress.text);
  if (r.metrics?.averageMinutes) expect(at(r.metrics.averageMinutes.span)).toBe(r.metrics.averageMinutes.text);
  if (r.metrics?.totalMinutes) expect(at(r.metrics.totalMinutes.span)).toBe(r.metrics.totalMinutes.text);
  for (const d of r.decisions) expect(at(d.span)).toContain(d.text.split(/[:\n]/)[0]!.slice(0, 20));
  for (const b of r.blockers) expect(at(b.span)).toContain(b.text.split('\n')[0]!.slice(0, 20));
  for (const s of r.sections) expect(source.slice(s.span.start).replace(/^#+\s*/, '')).toMatch(/^\S/);
}

const open = (r: StateRecord) => r.blockers.filter((b) => !b.resolved).length;

describe('STATE.md fixtures', () => {
  it('bold dialect (**Current Phase:** fields, ## Decisions Made table, ## Session)', () => {
    const { record: r, diagnostics } = fixture('bold-dialect.md');
    expect(r.position?.phase).toMatchObject({ id: '3', name: 'Payment Gateway', number: 3, total: 7, text: '3' });
    expect(r.position?.plan).toMatchObject({ number: 2, total: 4 });
    expect(r.position).toMatchObject({ statusText: 'Executing Phase 3', status: 'in progress' });
    expect(r.position?.lastActivity).toMatchObject({ date: '2026-03-02' });
    expect(r.progress).toMatchObject({ percent: 40, bar: { cells: 10, filled: 4 } });
    expect(r.metrics).toMatchObject({ plansCompleted: { value: 9 }, averageMinutes: { value: 11 }, totalMinutes: { value: 99 } });
    expect(r.decisions.map((d) => [d.tag, d.text, d.rationale])).toEqual([
      ['02', 'Use a queue for webhooks', 'Retries survive restarts'],
      ['03-01', 'Idempotency keys on every charge', 'Avoid double charges'],
    ]);
    expect(r.todos.map((t) => t.text)).toEqual(['Ask finance for the refund policy']);
    expect(r.blockers.map((b) => [b.text, b.resolved])).toEqual([
      ['Sandbox credentials expire on Friday', false],
      ['Waiting for vendor API docs', true],
    ]);
    expect(r.session).toMatchObject({
      last: '2026-03-02T09:15:00Z',
      stoppedAt: 'Task 2 of 03-02',
      resumeFile: '.planning/phases/03-payment-gateway/.continue-here.md',
    });
    expect(diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    expectSpansMatch(text('bold-dialect.md'), r);
  });

  it('frontmatter dialect: status falls back to the frontmatter; placeholders are unknown, not zero', () => {
    const { record: r, diagnostics } = fixture('frontmatter-dialect.md');
    expect(r.frontmatterFields).toEqual({
      version: '1.0',
      milestone: 'v1.2',
      milestoneName: 'Offline Sync',
      status: 'executing',
      stoppedAt: 'Completed 05-02-PLAN.md',
      lastUpdated: '2026-04-11T08:30:12.104Z',
      lastActivity: '2026-04-11',
      progress: { totalPhases: 6, completedPhases: 4, totalPlans: 14, completedPlans: 11, percent: 79 },
    });
    expect(r.position).toMatchObject({ statusText: 'executing', status: 'in progress', statusAt: null });
    expect(r.position?.phase).toMatchObject({ id: '5', name: 'Conflict Resolution', total: 6 });
    expect(r.projectRef).toEqual({
      coreValue: 'Field notes are never lost, even without signal.',
      currentFocus: 'Phase 5 — conflict resolution',
      projectFile: '.planning/PROJECT.md',
      updated: '2026-04-01',
    });
    expect(r.metrics?.averageMinutes).toMatchObject({ value: 6, text: '~6 min' });
    expect(r.metrics?.totalMinutes?.value).toBe(72);
    expect(r.metrics?.byPhase.map((b) => [b.phaseId, b.plansDone, b.plansTotal, b.totalMinutes, b.avgMinutes])).toEqual([
      ['4', 3, null, 21, 7],
      ['5', 2, 3, null, null],
    ]);
    expect(r.metrics?.recent).toEqual([
      { planId: '04-02', minutes: 7 },
      { planId: '04-03', minutes: 6 },
      { planId: '05-01', minutes: 5 },
      { planId: '05-02', minutes: 4.333 },
    ]);
    expect(r.decisions.map((d) => d.tag)).toEqual(['Phase 05-conflict-resolution', 'Phase 04']);
    expect(r.todos).toEqual([]);
    expect(r.blockers).toEqual([]);
    expect(r.milestones).toMatchObject([{ id: 'v1.2', name: 'Offline Sync', shipped: null, statusText: 'executing', line: 3 }]);
    expect(r.session).toMatchObject({ last: '2026-04-11T08:30:12.104Z', resumeFile: null });
    expect(diagnostics).toEqual([]);
    expectSpansMatch(text('frontmatter-dialect.md'), r);
  });

  it('CRLF line endings read the same, with spans into the CRLF text', () => {
    for (const name of ['frontmatter-dialect.md', 'bold-dialect.md', 'blockers-struck.md']) {
      const lf = text(name);
      const crlf = lf.replace(/\n/g, '\r\n');
      const a = read(lf).record;
      const b = read(crlf).record;
      const strip = (r: StateRecord) => JSON.parse(JSON.stringify(r, (k, v) => (k === 'span' ? undefined : v)));
      expect(strip(b)).toEqual(strip(a));
      expect(b.decisions.every((d) => !d.text.includes('\r'))).toBe(true);
      expectSpansMatch(crlf, b);
    }
  });

  it('Chinese headings and labels (full-width colons and parentheses)', () => {
    const { record: r } = fixture('chinese-labels.md');
    expect(r.projectRef).toEqual({ coreValue: '让仓库巡检一键完成', currentFocus: '阶段 2 — 数据接入', projectFile: '.planning/PROJECT.md', updated: '2026-01-20' });
    expect(r.position?.phase).toMatchObject({ id: '2', name: '数据接入', total: 5 });
    expect(r.position?.plan).toMatchObject({ number: 1, total: 3 });
    expect(r.position).toMatchObject({ statusText: '进行中', status: 'in progress' });
    expect(r.progress).toMatchObject({ percent: 30, bar: { cells: 10, filled: 3 } });
    expect(r.decisions.map((d) => [d.text, d.rationale])).toEqual([
      ['存储格式: Parquet', '列式压缩，查询快'],
      ['调度器: Airflow', '团队熟悉'],
    ]);
    expect(r.blockers.map((b) => b.resolved)).toEqual([false, true]);
    expect(r.todos.map((t) => t.text)).toEqual(['补充字段注释规范']);
    expect(r.session).toMatchObject({ last: '2026-01-21T16:40:00+08:00', stoppedAt: '完成 02-01 计划', resumeFile: null });
    expect(r.sections.map((s) => s.kind)).toEqual([
      'other', 'projectReference', 'currentPosition', 'decisions', 'blockers', 'pendingTodos', 'sessionContinuity',
    ]);
    expectSpansMatch(text('chinese-labels.md'), r);
  });

  it('struck-through, ticked and worded resolutions; nested details are not entries', () => {
    const { record: r } = fixture('blockers-struck.md');
    expect(r.position?.status).toBe('blocked');
    expect(r.blockers.map((b) => [b.resolved, b.group])).toEqual([
      [true, 'Notes from the load test'],
      [true, 'Notes from the load test'],
      [false, 'Notes from the load test'],
      [true, 'Notes from the load test'],
      [true, 'Carried over'],
      [false, 'Carried over'],
      [true, 'Carried over'],
      [true, 'Carried over'],
      [false, 'Carried over'],
    ]);
    expect(open(r)).toBe(3);
    expect(r.todos).toEqual([]);
    // The sub-sections are not part of the position block.
    expect(r.sections.map((s) => s.kind)).toEqual(['other', 'currentPosition', 'blockers', 'pendingTodos']);
  });

  it('decisions grouped under bold per-plan labels (D7)', () => {
    const { record: r } = fixture('decisions-grouped.md');
    expect(r.decisionsPointer).toBe('Decisions are logged in PROJECT.md Key Decisions table.');
    expect(r.decisions.map((d) => [d.group, d.text, d.rationale])).toEqual([
      [null, 'Single repository for all brands', 'one release train, fewer drift bugs'],
      ['From Plan 01-01 (Colour Scale)', 'Nine-step scale from 50 to 900', null],
      ['From Plan 01-01 (Colour Scale)', 'Brand colour sits at step 500', null],
      ['From Plan 02-01 (Type Ramp)', 'Variable font with two axes', null],
    ]);
    expect(r.blockers).toEqual([]);
    expect(r.progress?.fraction).toEqual({ done: 4, total: 6, unit: 'plans' });
  });

  it('"Title: rationale (plan)" decisions (D5) beside tagged and bold-key ones', () => {
    const { record: r } = fixture('decisions-titled.md');
    expect(r.decisions.map((d) => [d.tag, d.text, d.rationale])).toEqual([
      ['01-01', 'Compute totals in SQL', 'avoids N+1 queries in reports'],
      ['01-02', 'Keep the audit log append-only', 'simplifies compliance review'],
      [null, 'Cache per tenant', 'isolates noisy neighbours'],
      ['01-02', 'Reports render server-side (no client bundle)', null],
      ['01-02', 'CSV export streams rows instead of buffering them', null],
      [null, 'Timezones', 'store UTC, convert at the edge'],
    ]);
    expect(r.decisions.every((d) => d.group === 'Recent decisions affecting current work')).toBe(true);
    expect(r.position?.status).toBe('planning');
  });

  it('decision table with columns in another order; empty rows skipped', () => {
    const { record: r } = fixture('decisions-table-reordered.md');
    expect(r.decisions.map((d) => [d.tag, d.text, d.rationale, d.date])).toEqual([
      ['03-02', 'Ship theming before search', 'Users asked for dark mode first', '2026-06-30'],
      ['04-01', 'Stay on a single region', 'Keeps costs flat', '2026-07-01'],
    ]);
    expect(r.progress).toMatchObject({ percent: 80, bar: { cells: 10, filled: 8 }, fraction: { done: 12, total: 15 } });
  });

  it('Progress: as free text; no current phase; Completed Milestones sub-headings', () => {
    const { record: r, diagnostics } = fixture('progress-free-text.md');
    expect(r.progress).toMatchObject({ text: 'PR #41 ready for merge', percent: null, bar: null, fraction: null });
    expect(r.position?.phase).toMatchObject({ id: null, number: null, text: 'None (between milestones)' });
    expect(r.position?.plan).toMatchObject({ number: null, total: null, text: '—' });
    expect(r.position?.status).toBe('milestone complete');
    expect(r.milestones.map((m) => [m.id, m.name, m.shipped])).toEqual([
      ['v2.0', 'Sharing', '2026-08-19'],
      ['v1.0', 'MVP', '2026-07-02'],
    ]);
    expect(diagnostics.some((d) => d.rule === 'state-field-unreadable')).toBe(false);
  });

  it('a file with no position section says so', () => {
    const { record: r, diagnostics } = read('# Project State\n\n## Notes\n\nNothing here.\n');
    expect(r.position).toBeNull();
    expect(diagnostics.map((d) => d.rule)).toContain('state-position-missing');
  });

  it('unreadable values become diagnostics, not zeros', () => {
    const src = [
      '# Project State', '', '## Current Position', '', 'Phase: Seven of ten', 'Plan: 2 of 4', '',
      '## Performance Metrics', '', '- Total plans completed: several', '- Average duration: 12', '- Total execution time: a while', '',
      '## Session Continuity', '', 'Last session: yesterday', '',
    ].join('\n');
    const { record: r, diagnostics } = read(src);
    expect(r.metrics?.plansCompleted).toBeNull();
    expect(r.metrics?.averageMinutes).toMatchObject({ value: null, text: '12' });
    expect(r.metrics?.totalMinutes).toMatchObject({ value: null, text: 'a while' });
    expect(r.session?.last).toBeNull();
    const rules = diagnostics.map((d) => `${d.rule}@${d.line}`);
    expect(rules).toEqual(expect.arrayContaining(['state-field-unreadable@10', 'duration-unknown@11', 'duration-unknown@12', 'state-field-unreadable@16']));
    expect(diagnostics.find((d) => d.line === 11)?.column).toBe(21);
  });

  it('invalid YAML frontmatter is reported and read line by line', () => {
    const src = '---\nstatus: executing\nlast_activity: 2026-03-26 -- quick task 1: fix it\nprogress:\n  percent: 40\n---\n# Project State\n';
    const { record: r, diagnostics } = read(src);
    expect(diagnostics.map((d) => d.rule)).toContain('state-frontmatter-invalid');
    expect(r.frontmatterFields).toMatchObject({ status: 'executing', lastActivity: '2026-03-26 -- quick task 1: fix it', progress: { percent: 40 } });
  });

  it('pathological lines are read without runaway backtracking', () => {
    // No timing assertion: a quadratic scan here would blow the test timeout, not a threshold.
    const inputs = [
      `## Current Position\n\nProgress: ${'['.repeat(50000)}]${'1/'.repeat(20000)}\n`,
      `## Performance Metrics\n\n- Last 5 plans: ${'01-01 ('.repeat(20000)}\n`,
      `## Decisions\n\n- ${'[a]: '.repeat(20000)}\n- ${'**'.repeat(20000)}\n`,
      `## Blockers\n\n- ${'~~'.repeat(20000)}\n- ${'('.repeat(20000)}\n`,
      `## Milestone History\n\n- ${'v1'.repeat(20000)} ${' - '.repeat(20000)}\n`,
    ];
    for (const src of inputs) expect(read(src).diagnostics.find((d) => d.rule === 'state-read-failed')).toBeUndefined();
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.constantFrom(
              '# Project State', '## Current Position', '### Decisions', '### Blockers/Concerns', '## Session Continuity',
              'Phase: 3 of 5 (X)', 'Plan: 1 of 2', 'Progress: [##--] 50%', '- [01-01]: a: b (02-01)', '| a | b |', '|---|---|',
              '**Label:**', '- ~~x~~ RESOLVED', '---', '```', '> quote', '  - nested', '1. ✅ done', '<!-- c -->', '',
            ),
            fc.string(),
          ),
          { maxLength: 40 },
        ),
        (lines) => {
          const { diagnostics } = read(lines.join(Math.random() < 0.5 ? '\n' : '\r\n'));
          expect(diagnostics.find((d) => d.rule === 'state-read-failed')).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('STATE.md milestones', () => {
  it('one-milestone sections and a history section are each read once', () => {
    const src = [
      '# Project State', '', '## Milestone History', '', '### Milestone v1.0 (SHIPPED 2026-01-10)', '', 'Done.', '',
      '## Milestone v1.1 Complete', '', '**Completed**: 2026-02-07', '', '## Milestone v1.2 In Progress', '', '**Started**: 2026-02-08', '',
    ].join('\n');
    const { record: r } = read(src);
    expect(r.milestones.map((m) => [m.id, m.shipped, m.statusText])).toEqual([
      ['v1.0', '2026-01-10', 'SHIPPED 2026-01-10'],
      ['v1.1', '2026-02-07', 'Complete'],
      ['v1.2', null, 'In Progress'],
    ]);
  });
});
