/**
 * Hand-made ROADMAP fixtures (test/fixtures/roadmap/*.md), each written to pin one rule:
 * headings in fences and comments, <details> milestones, decimal ids, duplicates, "Depends on"
 * forms, unknown plan counts, CRLF, and the reader's diagnostics.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../src/markdown/index.ts';
import { readRoadmap } from '../../src/formats/roadmap/read.ts';
import type { RoadmapPhase, RoadmapRecord } from '../../src/formats/roadmap/types.ts';
import { repoRoot } from '../support/corpus.ts';

function load(name: string) {
  const text = readFileSync(join(repoRoot, 'test/fixtures/roadmap', name), 'utf8');
  const doc = parseMarkdown(text);
  return { text, doc, ...readRoadmap(doc, `.planning/${name}`) };
}

function phase(record: RoadmapRecord, key: string): RoadmapPhase {
  const p = record.phases.find((x) => x.key === key);
  if (!p) throw new Error(`no phase ${key} in ${record.phases.map((x) => x.key).join(',')}`);
  return p;
}

describe('headings inside fences and HTML comments', () => {
  const { record, diagnostics } = load('fences-and-comments.md');

  it('reads only the real phases', () => {
    expect(record.phases.map((p) => p.id)).toEqual(['1', '2']);
    expect(diagnostics).toEqual([]);
  });

  it('keeps reading fields after a fence and a multi-line comment', () => {
    const glass = phase(record, '2');
    expect(glass.goal).toBe('A glass chimney');
    expect(glass.dependsOn).toEqual(['1']);
    expect(glass.plans.map((p) => p.id)).toEqual(['02-01', '02-02']);
    expect(glass.declarations.map((d) => d.kind)).toEqual(['checkbox', 'heading']);
  });

  it('does not attach fenced plan lines to the phase before the fence', () => {
    expect(phase(record, '1').plans.map((p) => p.id)).toEqual(['01-01']);
  });
});

describe('<details> milestones and milestone headings', () => {
  const { record, diagnostics } = load('details-milestones.md');

  it('reads the milestones once each, merged from the list, the details block and the headings', () => {
    expect(diagnostics).toEqual([]);
    expect(record.milestones.map((m) => [m.id, m.name, m.status, m.shipped])).toEqual([
      ['v1.0', 'Dock', 'shipped', '2025-11-02'],
      ['v1.1', 'Cranes', 'active', null],
      ['v2.0', 'Fleet', 'planned', null],
    ]);
    const dock = record.milestones[0]!;
    expect(dock.declarations.map((d) => d.kind)).toEqual(['bullet', 'details']);
    expect(dock.phaseRange).toEqual({ from: '1', to: '3' });
    expect(dock.phaseIds).toEqual(['1', '2', '3']);
    expect(record.milestones[1]!.phaseIds).toEqual(['4', '5']);
    expect(record.milestones[2]!.phaseIds).toEqual(['6']);
  });

  it('gives the details block a span from <details> to </details>', () => {
    const { text } = load('details-milestones.md');
    const d = record.milestones[0]!.declarations[1]!;
    expect(text.slice(d.span.start, d.span.end)).toMatch(/^<details>[\s\S]*Phase 3: Bollards[\s\S]*<\/details>$/);
  });

  it('groups each phase under its block, also when the details heading is generic ("## Phase Details")', () => {
    expect(record.phases.map((p) => `${p.id}@${p.milestone}`)).toEqual(['1@v1.0', '2@v1.0', '3@v1.0', '4@v1.1', '5@v1.1', '6@v2.0']);
    expect(phase(record, '6').goal).toBe('Two tugs on call');
  });

  it('does not take a phase title containing vX.Y for a milestone', () => {
    const p = phase(record, '5');
    expect(p.name).toBe('Migrate Controls to v2.0 API');
    expect(p.milestone).toBe('v1.1');
    expect(p.planCountUnknown).toBe(true);
    expect(p.planCount?.total).toBeNull();
  });

  it('reads checkbox lines of shipped milestones with their counts and completion dates', () => {
    const deck = phase(record, '2');
    expect(deck.checked).toBe(true);
    expect(deck.planCount).toMatchObject({ done: 3, total: 3, text: '3/3 plans' });
    expect(deck.completed).toBe('2025-10-28');
    expect(phase(record, '3').planCount).toMatchObject({ done: 1, total: 1, text: '1/1 plan' });
  });

  it('reads the details fields of the active phase', () => {
    const crane = phase(record, '4');
    expect(crane.requirements).toEqual(['CRANE-01', 'CRANE-02']);
    expect(crane.planCount).toMatchObject({ done: 2, total: 3, text: '2/3 plans' });
    expect(crane.plans.map((p) => [p.id, p.checked])).toEqual([
      ['04-01', true],
      ['04-02', true],
      ['04-03', false],
    ]);
  });

  it('reads the milestone-grouped progress table', () => {
    const t = record.progressTable!;
    expect(t.columns).toEqual({ phase: 0, milestone: 1, plans: 2, status: 3, completed: 4, percent: null });
    expect(t.rows.map((r) => [r.phaseId, r.milestone, r.plansDone, r.plansTotal, r.statusText, r.completed])).toEqual([
      ['1', 'v1.0', 2, 2, 'Complete', '2025-10-20'],
      ['2', 'v1.0', 3, 3, 'Complete', '2025-10-28'],
      ['3', 'v1.0', 1, 1, 'Complete', '2025-11-01'],
      ['4', 'v1.1', 2, 3, 'In Progress', null],
      ['5', 'v1.1', 0, null, 'Not started', null],
      ['6', 'v2.0', 0, 1, 'Not started', null],
    ]);
  });
});

describe('decimal and padded phase ids', () => {
  const { record } = load('decimal-ids.md');

  it('keeps 2, 2.1, 2.10 and 21 distinct and merges padded 02.1 with 2.1', () => {
    expect(record.phases.map((p) => p.id)).toEqual(['2', '2.1', '2.10', '21', '999.1']);
    const irrigation = phase(record, '2.1');
    expect(irrigation.rawId).toBe('02.1');
    expect(irrigation.declarations.map((d) => d.kind)).toEqual(['checkbox', 'heading']);
    expect(irrigation.inserted).toBe(true);
    expect(irrigation.checked).toBe(true);
  });

  it('canonicalises dependency ids and expands a range over the declared decimals', () => {
    expect(phase(record, '2.10').dependsOn).toEqual(['2.1']);
    expect(phase(record, '21').dependsOn).toEqual(['2', '2.1', '2.10']);
  });

  it('marks 999.x as backlog', () => {
    expect(phase(record, '999.1').backlog).toBe(true);
    expect(phase(record, '21').backlog).toBe(false);
  });
});

describe('duplicate phase ids', () => {
  const { record, diagnostics } = load('duplicate-ids.md');

  it('reports two headings with the same id in the same milestone, at both lines', () => {
    const dups = diagnostics.filter((d) => d.rule === 'duplicate-phase-id');
    expect(dups.map((d) => [d.line, d.severity])).toEqual([
      [29, 'warning'],
      [34, 'warning'],
    ]);
    const eclair = phase(record, '2');
    expect(eclair.declarations.map((d) => d.line)).toEqual([29, 34]);
    expect(eclair.name).toBe('Eclair');
    expect(eclair.goal).toBe('Choux pastry');
  });

  it('keeps a shipped milestone’s phases with the same ids as separate phases keyed by milestone', () => {
    expect(record.phases.map((p) => [p.key, p.id, p.milestone, p.name])).toEqual([
      ['v1.0/1', '1', 'v1.0', 'Sourdough'],
      ['v1.0/2', '2', 'v1.0', 'Baguette'],
      ['1', '1', 'v2.0', 'Croissant'],
      ['2', '2', 'v2.0', 'Eclair'],
    ]);
    expect(record.milestones.map((m) => [m.id, m.phaseIds])).toEqual([
      ['v1.0', ['1', '2']],
      ['v2.0', ['1', '2']],
    ]);
  });
});

describe('"Depends on" forms', () => {
  const { record } = load('depends-forms.md');
  const deps = (id: string) => phase(record, id).dependsOn;

  it('reads every form into canonical ids', () => {
    expect(deps('1')).toEqual([]);
    expect(deps('2')).toEqual(['1']);
    expect(deps('2.1')).toEqual(['2']); // "(needs the v1.1 dome frame)" is commentary, not phase 1.1
    expect(deps('3')).toEqual(['1', '2']);
    expect(deps('4')).toEqual(['1', '3']);
    expect(deps('5')).toEqual(['3', '4']);
    expect(deps('6')).toEqual(['1', '2', '2.1', '3']);
    expect(deps('7')).toEqual(['5', '6', '12']); // 12 is not declared: kept for derive to report
    expect(deps('8')).toEqual([]);
    expect(deps('9')).toEqual([]);
  });

  it('keeps the line and the text as written', () => {
    const p = phase(record, '7');
    expect(p.dependsOnLine).toBe(27);
    expect(p.dependsOnText).toBe('Phase 5, Phase 6, Phase 12 (the party, not planned yet)');
  });
});

describe('unknown and unreadable plan counts', () => {
  const { record, diagnostics } = load('tbd-plans.md');

  it('marks TBD, "To be planned", "0/?" and a "- [ ] TBD" plan line as unknown', () => {
    expect(phase(record, '1').planCountUnknown).toBe(true);
    expect(phase(record, '1').planCount).toMatchObject({ done: 0, total: null, text: '0/? plans' });
    expect(phase(record, '2').planCountUnknown).toBe(true);
    expect(phase(record, '2').planCount).toMatchObject({ total: null, text: 'To be planned' });
    expect(phase(record, '3').planCountUnknown).toBe(true);
    expect(phase(record, '3').planCount).toMatchObject({ total: 2 });
    expect(phase(record, '3').plans).toEqual([]);
    expect(phase(record, '5').planCountUnknown).toBe(true);
    expect(phase(record, '5').planCount).toMatchObject({ done: null, total: null, text: 'TBD' });
  });

  it('reports a count it cannot read, with its line, and leaves the count empty', () => {
    expect(diagnostics.map((d) => [d.rule, d.line, d.column])).toEqual([['plan-count-unreadable', 26, 12]]);
    expect(phase(record, '4').planCount).toBeNull();
    expect(phase(record, '4').planCountUnknown).toBe(false);
  });
});

describe('other diagnostics', () => {
  const { record, diagnostics } = load('misc-diagnostics.md');

  it('reports a phase heading without an id and an unknown progress-table column, with lines', () => {
    expect(diagnostics.map((d) => [d.rule, d.severity, d.line])).toEqual([
      ['phase-heading-without-id', 'warning', 3],
      ['progress-table-unknown-column', 'info', 13],
    ]);
    expect(record.phases.map((p) => p.id)).toEqual(['1']);
    expect(record.progressTable!.columns).toMatchObject({ phase: 0, plans: 1, status: 2, completed: 4 });
  });

  it('reports a roadmap with no phases at all instead of reading "0 phases" silently', () => {
    const r = readRoadmap(parseMarkdown('# Roadmap\n\nNothing planned yet.\n'), '.planning/ROADMAP.md');
    expect(r.record.phases).toEqual([]);
    expect(r.diagnostics.map((d) => [d.rule, d.severity])).toEqual([['roadmap-no-phases', 'warning']]);
  });

  it('never throws, whatever the input', () => {
    for (const text of ['', '\u0000\u0001', '<details>', '</details></details>', '### Phase 1:', '- [x] **Phase', '| Phase |\n|---|\n| 1. x |', '\uFEFF# R\r\n']) {
      expect(() => readRoadmap(parseMarkdown(text), 'x.md')).not.toThrow();
      expect(readRoadmap(parseMarkdown(text), 'x.md').diagnostics.some((d) => d.rule === 'roadmap-read-failed')).toBe(false);
    }
  });
});

describe('CRLF line endings', () => {
  const { text, doc, record, diagnostics } = load('crlf.md');

  it('reads the same structure as LF', () => {
    expect(text.includes('\r\n')).toBe(true);
    const lf = readRoadmap(parseMarkdown(text.replace(/\r\n/g, '\n')), 'x.md').record;
    const shape = (r: RoadmapRecord) =>
      r.phases.map((p) => [p.id, p.name, p.checked, p.goal, p.dependsOn, p.requirements, p.planCount?.text, p.plans.map((x) => x.id), p.completed, p.line]);
    expect(diagnostics).toEqual([]);
    expect(shape(record)).toEqual(shape(lf));
    expect(record.progressTable!.rows.map((r) => r.line)).toEqual(lf.progressTable!.rows.map((r) => r.line));
  });

  it('gives spans that fit the CRLF text, with no \\r in values', () => {
    const bricks = phase(record, '1');
    expect(text.slice(bricks.checkbox!.start, bricks.checkbox!.end)).toBe('x');
    expect(text.slice(phase(record, '2').checkbox!.start, phase(record, '2').checkbox!.end)).toBe(' ');
    expect(text.slice(bricks.planCount!.span.start, bricks.planCount!.span.end)).toBe('2/2 plans');
    expect(doc.position(bricks.planCount!.span.start).line).toBe(14);
    expect(bricks.goal).toBe('Walls that hold 1300 C');
    expect(JSON.stringify(record).includes('\\r')).toBe(false);
    const plan = bricks.plans[1]!;
    expect(text.slice(plan.checkbox!.start, plan.checkbox!.end)).toBe('x');
  });
});

const SAMPLE = join(repoRoot, '../shared/reference/sample-planning/.planning/ROADMAP.md');

describe.skipIf(!existsSync(SAMPLE))("GSD's ROADMAP template (sample-planning)", () => {
  it('reads the list form, the details and the progress table', () => {
    const doc = parseMarkdown(readFileSync(SAMPLE, 'utf8'));
    const { record, diagnostics } = readRoadmap(doc, '.planning/ROADMAP.md');
    expect(diagnostics).toEqual([]);
    expect(record.title).toBe('Roadmap: Tasklet');
    expect(record.milestones.map((m) => [m.id, m.name, m.status, m.phaseIds])).toEqual([['v1.0', 'MVP', 'active', ['1', '2', '3']]]);
    expect(record.phases.map((p) => [p.id, p.name, p.checked, p.completed, p.dependsOn, p.planCount?.done ?? null, p.planCount?.total ?? null, p.planCountUnknown])).toEqual([
      ['1', 'Foundation', true, '2025-06-02', [], 2, 2, false],
      ['2', 'Core Engine', false, null, ['1'], null, 3, false],
      ['3', 'Polish', false, null, ['2'], null, null, true],
    ]);
    expect(record.phases[1]!.requirements).toEqual(['CLI-03', 'STORE-01', 'STORE-02']);
    expect(record.phases[1]!.plans.map((p) => [p.id, p.checked])).toEqual([
      ['02-01', true],
      ['02-02', false],
      ['02-03', false],
    ]);
    expect(record.progressTable!.rows.map((r) => [r.phaseId, r.name, r.plansDone, r.plansTotal])).toEqual([
      ['1', 'Foundation', 2, 2],
      ['2', 'Core Engine', 1, 3],
      ['3', 'Polish', 0, 0],
    ]);
  });
});
