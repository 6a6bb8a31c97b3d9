/**
 * Every STATE file of the real corpus is read, and a one-line summary of what was read is compared
 * with test/fixtures/state/corpus-expected.json (reviewed against each file by hand; regenerate
 * with UPDATE=1 and review the diff).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readState } from '../../src/formats/state/read.ts';
import type { StateRecord } from '../../src/formats/state/types.ts';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import { parseMarkdown } from '../../src/markdown/index.ts';
import { corpusDir, corpusRelative, corpusSeeds, hasCorpus, repoRoot, walkFiles } from '../support/corpus.ts';

const expectedPath = join(repoRoot, 'test/fixtures/state/corpus-expected.json');

function stateFiles(): string[] {
  if (!corpusDir) return [];
  const inPlanning = walkFiles(corpusDir).filter((p) => p.includes('/.planning/') && /STATE.*\.md$/.test(basename(p)));
  return [...corpusSeeds(), ...inPlanning];
}

const n = (v: number | string | null | undefined) => (v === null || v === undefined ? '-' : String(v));

function summarize(r: StateRecord, diagnostics: Diagnostic[]): string {
  const p = r.position;
  const parts: string[] = [];
  if (!p) parts.push('position=none');
  else {
    const ph = p.phase;
    parts.push(ph ? `phase=${n(ph.id)}/${n(ph.total)}${ph.name ? ` "${ph.name}"` : ''}` : 'phase=-');
    parts.push(p.plan ? `plan=${n(p.plan.number)}/${n(p.plan.total)}` : 'plan=-');
    parts.push(`status=${p.status ?? '-'}${p.statusText ? ` ("${p.statusText}")` : ''}`);
  }
  const g = r.progress;
  if (g) {
    parts.push(`progress=${g.percent === null ? '-' : `${g.approximate ? '~' : ''}${g.percent}%`}`);
    if (g.bar) parts.push(`bar=${g.bar.filled}/${g.bar.cells}`);
    if (g.fraction) parts.push(`fraction=${g.fraction.done}/${n(g.fraction.total)} ${g.fraction.unit}`);
  }
  const m = r.metrics;
  if (m) {
    parts.push(
      `metrics=plans ${n(m.plansCompleted?.value)}, avg ${n(m.averageMinutes?.value)}, total ${n(m.totalMinutes?.value)}, byPhase ${m.byPhase.length}, recent ${m.recent.length}`,
    );
  }
  const open = r.blockers.filter((b) => !b.resolved).length;
  parts.push(`decisions=${r.decisions.length}${r.decisionsPointer ? '+pointer' : ''} todos=${r.todos.length} blockers=${open} open/${r.blockers.length - open} resolved`);
  if (r.milestones.length > 0) parts.push(`milestones=${r.milestones.map((x) => `${x.id}${x.shipped ? `@${x.shipped}` : ''}`).join(',')}`);
  if (r.session) parts.push(`session=${n(r.session.last)} resume=${r.session.resumeFile ?? '-'}`);
  const rules = new Map<string, number>();
  for (const d of diagnostics) rules.set(d.rule, (rules.get(d.rule) ?? 0) + 1);
  if (rules.size > 0) parts.push(`diagnostics=${[...rules].map(([k, v]) => (v > 1 ? `${k}×${v}` : k)).join(',')}`);
  return parts.join(' | ');
}

describe.skipIf(!hasCorpus())('STATE.md corpus', () => {
  const files = stateFiles();

  it('finds the 24 corpus STATE.md files and the 5 seeds', () => {
    expect(files.filter((f) => basename(f) === 'STATE.md')).toHaveLength(24);
    expect(files.filter((f) => f.includes('/seeds/'))).toHaveLength(5);
  });

  it.each(files.map((f) => [corpusRelative(f), f]))('%s', (_rel, file) => {
    const text = readFileSync(file, 'utf8');
    const { record: r, diagnostics } = readState(parseMarkdown(text), '.planning/STATE.md');
    expect(diagnostics.find((d) => d.rule === 'state-read-failed')).toBeUndefined();
    // A position, or a diagnostic saying why there is none.
    if (!r.position) expect(diagnostics.map((d) => d.rule)).toContain('state-position-missing');
    // Located values point at the text they were read from.
    const at = (s: { start: number; end: number }) => text.slice(s.start, s.end);
    if (r.position?.phase) expect(at(r.position.phase.span)).toBe(r.position.phase.text);
    if (r.position?.plan) expect(at(r.position.plan.span)).toBe(r.position.plan.text);
    if (r.position?.lastActivity) expect(at(r.position.lastActivity.span)).toBe(r.position.lastActivity.text);
    if (r.progress) expect(at(r.progress.span)).toBe(r.progress.text);
    for (const e of [...r.decisions, ...r.blockers, ...r.todos]) expect(r.sections.some((s) => s.span.start <= e.span.start && e.span.end <= s.span.end)).toBe(true);
    for (const d of diagnostics) expect(d.rule).toMatch(/^[a-z]+(?:-[a-z]+)*$/);
    expect(r.sections.length).toBe(parseMarkdown(text).allSections().length);
  });

  it('matches the reviewed summaries (UPDATE=1 to regenerate)', () => {
    const actual: Record<string, string> = {};
    for (const f of files) {
      const { record, diagnostics } = readState(parseMarkdown(readFileSync(f, 'utf8')), '.planning/STATE.md');
      actual[corpusRelative(f)] = summarize(record, diagnostics);
    }
    if (process.env.UPDATE === '1' || !existsSync(expectedPath)) {
      writeFileSync(expectedPath, `${JSON.stringify(actual, null, 2)}\n`);
    }
    const expected = JSON.parse(readFileSync(expectedPath, 'utf8')) as Record<string, string>;
    expect(actual).toEqual(expected);
  });
});
