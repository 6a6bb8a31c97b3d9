import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyRecord } from '../../src/formats/state/read.ts';
import { renderState } from '../../src/views/state/render.ts';
import { progressBar } from '../../src/views/state/render-sections.ts';
import { clip, escapeItem, oneLine, utf8Length, yamlScalar } from '../../src/views/state/render-text.ts';
import { applyEdits, parseMarkdown, parseYamlFrontmatter } from '../../src/markdown/index.ts';
import { mapStatus, STATUSES } from '../../src/model/status.ts';
import { repoRoot } from '../support/corpus.ts';
import { checkRender, fixtureState, hugeState, measureOwned, read } from './state-render-support.ts';

const fixture = (name: string) => readFileSync(join(repoRoot, 'test/fixtures/state-render', name), 'utf8');
const render = (source: string, s = fixtureState()) => {
  const { doc, record } = read(source);
  return renderState(doc, record, s);
};
const titles = (text: string) => read(text).record.sections.map((s) => `${'#'.repeat(s.depth)} ${s.title}`);

describe('text helpers', () => {
  it('clips by UTF-8 bytes without splitting a character', () => {
    expect(clip('short', 10)).toBe('short');
    const c = clip('潮汐窗口数据同步', 10); // 3 bytes each
    expect(c).toBe('潮汐…');
    expect(utf8Length(c)).toBeLessThanOrEqual(10);
    expect(clip('🌊🌊🌊🌊', 11)).toBe('🌊🌊…');
    expect(oneLine('a\r\n  b\n\tc')).toBe('a b c');
  });

  it('escapes only what would change a list item’s structure', () => {
    expect(escapeItem('# title')).toBe('\\# title');
    expect(escapeItem('- nested')).toBe('\\- nested');
    expect(escapeItem('---')).toBe('\\---');
    expect(escapeItem('* star')).toBe('\\* star');
    expect(escapeItem('12. ordered')).toBe('12\\. ordered');
    expect(escapeItem('[x] box')).toBe('\\[x] box');
    expect(escapeItem('> quote')).toBe('\\> quote');
    expect(escapeItem('<!-- c -->')).toBe('\\<!-- c -->');
    expect(escapeItem('```js')).toBe('\\```js');
    for (const plain of ['#hashtag', '-flag', '**bold**', '2026-04-03 note', 'v1.2: shipped', '1.5 hours']) expect(escapeItem(plain)).toBe(plain);
  });

  it('quotes YAML scalars that a plain scalar would misread', () => {
    expect(yamlScalar('v1.1')).toBe('v1.1');
    expect(yamlScalar('Field Release')).toBe('Field Release');
    for (const v of ['1.0', '2026-04-03', 'true', 'null', 'a: b', 'x # y', '"quoted"', "it's", '']) {
      const line = `k: ${yamlScalar(v)}`;
      const doc = parseMarkdown(`---\n${line}\n---\n`);
      expect(parseYamlFrontmatter(doc).data?.k, line).toBe(v);
    }
  });

  it('bar: 10 cells, filled = round(percent / 10)', () => {
    expect([0, 4, 5, 15, 63, 94, 95, 100, null].map((p) => progressBar(p).indexOf('░') === -1 ? 10 : progressBar(p).indexOf('░'))).toEqual([0, 0, 1, 2, 6, 9, 10, 10, 0]);
    expect(progressBar(63)).toBe('██████░░░░');
  });
});

describe('user text that could break the structure comes out intact', () => {
  const s = fixtureState({
    decisions: {
      total: 5,
      recent: [
        { text: 'first line\nsecond line', tag: '01-01', date: null, rationale: null },
        { text: '# not a heading', tag: null, date: null, rationale: null },
        { text: '[WIP] is not a tag', tag: null, date: null, rationale: null },
        { text: 'keep $1, $& and $` literal', tag: 'a]b[c', date: null, rationale: null },
        { text: '- not a nested item', tag: null, date: null, rationale: null },
      ],
    },
    todos: { pending: 4, items: ['1. not an ordered list', '---', '[x] not a done box', 'pipe | stays'] },
    blockers: { open: 1, resolved: 0, items: ['<!-- not a comment'] },
  });
  const source = fixture('classic.md');
  const r = render(source, s);
  const back = read(r.text).record;

  it('keeps $ patterns and joins lines', () => {
    expect(r.text).toContain('- [a)b(c]: keep $1, $& and $` literal\n');
    expect(r.text).toContain('- [01-01]: first line second line\n');
  });

  it('escapes leading markers so the reader sees the same entries, and no new sections', () => {
    expect(titles(r.text)).toEqual(titles(fixture('classic.out.md')));
    expect(back.decisions.map((d) => [d.tag, d.text])).toEqual([
      ['01-01', 'first line second line'],
      [null, '\\# not a heading'],
      [null, '\\[WIP] is not a tag'],
      ['a)b(c', 'keep $1, $& and $` literal'],
      [null, '\\- not a nested item'],
    ]);
    expect(back.todos.map((t) => t.text)).toEqual(['1\\. not an ordered list', '\\---', '\\[x] not a done box', 'pipe | stays']);
    expect(back.blockers.map((b) => [b.text, b.resolved])).toEqual([['\\<!-- not a comment', false]]);
  });

  it('escapes | in By Phase cells', () => {
    expect(r.text).toContain('| 3. Harbour Map \\| Layers | 3 |');
    expect(back.metrics?.byPhase.map((x) => x.name)).toContain('Harbour Map | Layers');
  });

  it('is still a fixed point', () => {
    const again = renderState(parseMarkdown(r.text), back, s);
    expect(again.edits).toEqual([]);
  });
});

describe('budget', () => {
  for (const name of ['empty.md', 'classic.md', 'frontmatter.md', 'crlf.md', 'grouped.md']) {
    it(`a 2,000-phase project with hundreds of long entries stays within 100 lines and 6 KB (${name})`, () => {
      const r = checkRender(fixture(name), hugeState());
      const m = measureOwned(r.text);
      expect(m.lines).toBeLessThanOrEqual(100);
      expect(m.bytes).toBeLessThanOrEqual(6 * 1024);
      expect(r.text).toContain('… 1990 earlier phases');
      expect(r.text).toContain('… 895 earlier decisions');
      expect(r.text).toContain('… 292 more pending todos.');
      expect(r.text).toContain('… 292 more open blockers.');
    });
  }

  it('uses the full text when it fits', () => {
    const r = render(fixture('classic.md'));
    expect(r.text).toContain('**Core value:** Harbour crews see the next safe tide window at a glance, even offline.\n');
    expect(r.ownedLines).toBeLessThan(80);
  });
});

describe('positions and progress', () => {
  it('writes every status so that it reads back, in the body and the frontmatter', () => {
    for (const status of STATUSES) {
      const s = fixtureState({ position: { ...fixtureState().position, status } });
      const r = checkRender(fixture('frontmatter.md'), s);
      const back = read(r.text).record;
      expect(back.position?.status, status).toBe(status);
      expect(mapStatus(back.frontmatterFields?.status ?? ''), status).toBe(status);
    }
  });

  it('marks an estimated percent with ~ and an unknown one as n/a', () => {
    const base = fixtureState();
    expect(render('# Project State\n', fixtureState({ progress: { ...base.progress, estimated: true } })).text).toContain('Progress: [██████░░░░] ~63% (10/16 plans)\n');
    const none = fixtureState({ progress: { percent: null, estimated: false, plans: { done: 0, total: 0 }, phases: { done: 0, total: 2 }, bar: '' } });
    checkRender('# Project State\n', none);
    expect(render('# Project State\n', none).text).toContain('Progress: [░░░░░░░░░░] n/a (0/0 plans)\n');
  });

  it('writes a phase name whose parentheses would not read back as one group after a dash', () => {
    const base = fixtureState();
    for (const [name, line] of [
      ['Maps (beta', 'Phase: 4 of 6 - Maps (beta\n'],
      ['Maps) (beta', 'Phase: 4 of 6 - Maps) (beta\n'],
      ['Maps (beta (2))', 'Phase: 4 of 6 (Maps (beta (2)))\n'],
    ] as const) {
      const s = fixtureState({ position: { ...base.position, phase: { id: '4', name, index: 4, total: 6 } } });
      expect(checkRender('# Project State\n', s).text).toContain(line);
    }
  });

  it('writes decimal phase ids and unknown totals', () => {
    const base = fixtureState();
    const s = fixtureState({ position: { ...base.position, phase: { id: '2.1', name: 'Hotfix', index: null, total: null } } });
    expect(checkRender('# Project State\n', s).text).toContain('Phase: 2.1 (Hotfix)\n');
  });
});

describe('layout', () => {
  it('keeps a BOM and adds the title only to an empty file', () => {
    const r = checkRender('\uFEFF', fixtureState());
    expect(r.text.startsWith('\uFEFF# Project State\n\n## Project Reference\n')).toBe(true);
    const fm = checkRender('---\nstatus: planning\n---\n', fixtureState());
    expect(fm.text).toMatch(/^---\n(?:.*\n)*---\n\n# Project State\n\n## Project Reference\n/);
  });

  it('appends to a file without headings, after a blank line; otherwise inserts before the first section', () => {
    const r = checkRender('Notes kept by hand.', fixtureState());
    expect(r.text.startsWith('Notes kept by hand.\n\n## Project Reference\n')).toBe(true);
    expect(r.text.endsWith('Resume file: .planning/phases/04-alerts-sync/.continue-here.md\n')).toBe(true);
    const t = checkRender('# Project State\n\nKept.\n## Notes\n\nLast line', fixtureState());
    expect(t.text.startsWith('# Project State\n\nKept.\n## Project Reference\n')).toBe(true);
    expect(t.text.endsWith('\n\n## Notes\n\nLast line')).toBe(true);
  });

  it('adds the blank line before text appended after a last line without a line ending', () => {
    const t = checkRender('# Project State\n\n## Current Position\n\nPhase: 1\n\n### Notes\n\nLast line', fixtureState());
    expect(t.text).toContain('\n### Notes\n\nLast line\n\n## Performance Metrics\n');
  });

  it('inserts missing list sections into an existing Accumulated Context, before its free sub-sections', () => {
    const source = '# Project State\n\n## Accumulated Context\n\nContext kept by hand.\n\n### Roadmap Evolution\n\n- Phase 2.1 inserted\n\n## Session Continuity\n\nLast session: 2026-01-01\n';
    const r = checkRender(source, fixtureState());
    expect(titles(r.text)).toEqual([
      '# Project State',
      '## Project Reference',
      '## Current Position',
      '## Performance Metrics',
      '## Accumulated Context',
      '### Decisions',
      '### Pending Todos',
      '### Blockers/Concerns',
      '### Roadmap Evolution',
      '## Session Continuity',
    ]);
    expect(r.text).toContain('## Accumulated Context\n\nContext kept by hand.\n\n### Decisions\n');
  });

  it('replaces a section in place at the level it was written', () => {
    const r = checkRender('# Project State\n\n#### Recent Decisions\n\n- [01]: old\n\n## Links\n\n- x\n', fixtureState());
    expect(r.text).toContain('#### Decisions\n\n- [02-01]: Store tide tables');
    expect(r.text).toContain('\n## Links\n\n- x\n');
  });

  it('inserts missing sections at the level of the owned sections around them', () => {
    const r = checkRender('# Project State\n\n### Current Position\n\nPhase: 1\n\n### Decisions\n\n- [01]: x\n', fixtureState());
    expect(titles(r.text)).toEqual([
      '# Project State',
      '### Project Reference',
      '### Current Position',
      '### Performance Metrics',
      '### Decisions',
      '### Pending Todos',
      '### Blockers/Concerns',
      '### Session Continuity',
    ]);
  });

  it('removes a second section of an owned kind but keeps its free sub-sections', () => {
    const source = '# Project State\n\n## Current Position\n\nPhase: 1\n\n## Notes\n\nn\n\n## Position\n\nPhase: 2\n\n### Kept\n\nk\n';
    const r = renderState(read(source).doc, read(source).record, fixtureState());
    expect(r.text).toContain('## Notes\n\nn\n\n### Kept\n\nk\n');
    expect(read(r.text).record.sections.filter((x) => x.kind === 'currentPosition')).toHaveLength(1);
    expect(renderState(read(r.text).doc, read(r.text).record, fixtureState()).edits).toEqual([]);
  });

  it('without a reader classification falls back to the titles (no duplicate sections)', () => {
    const source = fixture('classic.md');
    const r = renderState(parseMarkdown(source), emptyRecord(), fixtureState());
    expect(titles(r.text)).toEqual(titles(fixture('classic.out.md')));
  });

  it('returns splices on the original text, in order and without overlaps', () => {
    const source = fixture('grouped.md');
    const r = render(source);
    expect(applyEdits(source, r.edits)).toBe(r.text);
    for (let i = 1; i < r.edits.length; i++) expect(r.edits[i]!.offset).toBeGreaterThanOrEqual(r.edits[i - 1]!.offset + r.edits[i - 1]!.length);
  });

  it('points to the decisions home, default or given', () => {
    const many = fixtureState({ decisions: { ...fixtureState().decisions, total: 9 } });
    expect(render('# Project State\n', many).text).toContain('… 4 earlier decisions; all decisions are recorded in .planning/events.jsonl (cairn log decisions).\n');
    const { doc, record } = read('# Project State\n');
    const r = renderState(doc, record, many, { decisionsHome: 'PROJECT.md Key Decisions' });
    expect(r.text).toContain('… 4 earlier decisions; all decisions are recorded in PROJECT.md Key Decisions.\n');
    expect(read(r.text).record.decisionsPointer).toContain('PROJECT.md Key Decisions');
  });
});

describe('frontmatter', () => {
  const fm = (text: string) => /^---\n([^]*?)---\n/.exec(text)![1]!;

  it('adds missing known keys in GSD order around the written ones; never adds last_updated', () => {
    const r = checkRender('---\ntitle: Tidewatch\nstatus: old\n# note\nprogress:\n  total_plans: 1\n---\n# Project State\n', fixtureState());
    expect(fm(r.text)).toBe(
      [
        'title: Tidewatch',
        'gsd_state_version: 1.0',
        'milestone: v1.1',
        'milestone_name: Field Release',
        'status: executing',
        'stopped_at: Task 2 of 04-02',
        'last_activity: "2026-04-03 - Completed 04-01-PLAN.md (push alerts)"',
        '# note',
        'progress:',
        '  total_phases: 6',
        '  completed_phases: 3',
        '  total_plans: 16',
        '  completed_plans: 10',
        '  percent: 63',
        '',
      ].join('\n'),
    );
  });

  it('keeps written values it has no derived value for', () => {
    const s = fixtureState({ scope: { milestone: null, name: null }, session: null, lastActivity: null });
    const source = '---\nmilestone: v0.9\nmilestone_name: "Beta: field trial"\nstopped_at: somewhere\nlast_updated: 2026-01-01T00:00:00Z\nlast_activity: 2026-01-01\n---\n# Project State\n';
    const r = checkRender(source, s);
    for (const line of ['milestone: v0.9', 'milestone_name: "Beta: field trial"', 'stopped_at: somewhere', 'last_updated: 2026-01-01T00:00:00Z', 'last_activity: 2026-01-01']) {
      expect(fm(r.text)).toContain(`${line}\n`);
    }
  });

  it('renders a file whose frontmatter GSD wrote as invalid YAML into valid YAML', () => {
    const r = checkRender(fixture('frontmatter.md'), fixtureState());
    expect(parseYamlFrontmatter(parseMarkdown(fixture('frontmatter.md'))).problem).not.toBeNull();
    expect(parseYamlFrontmatter(parseMarkdown(r.text)).problem).toBeNull();
  });
});
