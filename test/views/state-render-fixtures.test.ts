/**
 * Fixture pairs: `test/fixtures/state-render/<case>.md` rendered with the Tidewatch ProjectState
 * (per-case changes below) must give `<case>.out.md` byte for byte, and satisfy every render
 * invariant. Regenerate the outputs with `UPDATE=1` and review the diff.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProjectState } from '../../src/derive/types.ts';
import type { RenderOptions } from '../../src/views/state/render.ts';
import { repoRoot } from '../support/corpus.ts';
import { checkRender, fixtureState, read } from './state-render-support.ts';

const dir = join(repoRoot, 'test/fixtures/state-render');

const base = fixtureState();
const cases: Record<string, { state?: ProjectState; opts?: RenderOptions }> = {
  'overflow.md': {
    state: fixtureState({
      position: { ...base.position, phase: { id: '4', name: 'Alerts and Sync', index: 4, total: 14 } },
      velocity: {
        ...base.velocity!,
        byPhase: Array.from({ length: 13 }, (_, i) => ({ phase: String(i + 1), name: `Stage ${i + 1}`, plans: 2, totalMinutes: 10 + i, averageMinutes: (10 + i) / 2 })),
      },
      decisions: { total: 12, recent: Array.from({ length: 7 }, (_, i) => ({ text: `Decision number ${i + 6}`, tag: `0${i + 1}-01`, date: null, rationale: null })) },
      todos: { pending: 13, items: Array.from({ length: 13 }, (_, i) => `Todo ${i + 1}`) },
      blockers: { open: 11, resolved: 0, items: Array.from({ length: 11 }, (_, i) => `Blocker ${i + 1}`) },
    }),
    opts: { decisionsHome: '.planning/DECISIONS-ARCHIVE.md' },
  },
  'empty.md': {
    state: fixtureState({
      project: { name: null, coreValue: null, updated: null },
      focus: null,
      position: { phase: null, plan: null, status: 'not started', statusText: null },
      progress: { percent: null, estimated: false, plans: { done: 0, total: 0 }, phases: { done: 0, total: 0 }, bar: '░░░░░░░░░░' },
      velocity: null,
      decisions: { total: 0, recent: [] },
      todos: { pending: 0, items: [] },
      blockers: { open: 0, resolved: 0, items: [] },
      session: null,
      lastActivity: null,
    }),
  },
  'missing.md': { state: fixtureState({ progress: { ...base.progress, estimated: true } }) },
  'chinese.md': {
    state: fixtureState({
      decisions: {
        total: 2,
        recent: [
          { text: '潮高使用米', tag: 'D-01', date: null, rationale: '港口海图使用米' },
          { text: '每个港口一个 SQLite 文件', tag: 'D-02', date: null, rationale: '下载更小' },
        ],
      },
    }),
  },
};

describe('STATE.md render fixtures', () => {
  const names = readdirSync(dir).filter((f) => f.endsWith('.md') && !f.endsWith('.out.md')).sort();

  it('has the dialect cases', () => {
    expect(names).toEqual(['between.md', 'bold.md', 'chinese.md', 'classic.md', 'crlf.md', 'empty.md', 'frontmatter.md', 'grouped.md', 'missing.md', 'overflow.md']);
  });

  for (const name of names) {
    it(name, () => {
      const source = readFileSync(join(dir, name), 'utf8');
      const c = cases[name] ?? {};
      const r = checkRender(source, c.state ?? base, c.opts);
      const outPath = join(dir, name.replace(/\.md$/, '.out.md'));
      if (process.env.UPDATE) writeFileSync(outPath, r.text);
      expect(r.text).toBe(readFileSync(outPath, 'utf8'));
    });
  }

  it('CRLF: the input is CRLF and every line the renderer writes ends in CRLF', () => {
    const source = readFileSync(join(dir, 'crlf.md'), 'utf8');
    expect(source).toMatch(/\r\n/);
    expect(source).not.toMatch(/(?<!\r)\n/);
    const out = readFileSync(join(dir, 'crlf.out.md'), 'utf8');
    expect(out).not.toMatch(/(?<!\r)\n/);
    expect(out).toContain('## Performance Metrics\r\n\r\n**Velocity:**\r\n');
  });

  it('Chinese sections are replaced in place by the canonical ones; free sections stay', () => {
    const out = readFileSync(join(dir, 'chinese.out.md'), 'utf8');
    const titles = read(out).record.sections.map((s) => `${s.depth} ${s.kind} ${s.title}`);
    expect(titles).toEqual([
      '1 other 项目状态：潮汐观察',
      '2 projectReference Project Reference',
      '2 currentPosition Current Position',
      '2 performanceMetrics Performance Metrics',
      '2 decisions Decisions',
      '2 pendingTodos Pending Todos',
      '2 blockers Blockers/Concerns',
      '2 other 阶段状态总览',
      '2 sessionContinuity Session Continuity',
    ]);
    expect(out).toContain('- [D-01]: 潮高使用米: 港口海图使用米\n- [D-02]: 每个港口一个 SQLite 文件: 下载更小\n');
  });

  it('an owned section between two free sections is replaced in place', () => {
    const out = readFileSync(join(dir, 'between.out.md'), 'utf8');
    expect(out).toContain("## Notes\n\nKeep this section: it is ours, not cairn's.\n\n## Session Continuity\n\nLast session: 2026-04-03T16:20:00Z\n");
    expect(out).toContain('Resume file: .planning/phases/04-alerts-sync/.continue-here.md\n\n## Links\n');
  });

  it('missing sections are inserted at their canonical places', () => {
    const out = read(readFileSync(join(dir, 'missing.out.md'), 'utf8')).record.sections.map((s) => s.title);
    expect(out).toEqual(['Project State', 'Project Reference', 'Current Position', 'Performance Metrics', 'Accumulated Context', 'Decisions', 'Pending Todos', 'Blockers/Concerns', 'Session Continuity', 'Notes']);
  });

  it('list sections own their free sub-headings; field sections keep theirs; duplicates go', () => {
    const out = readFileSync(join(dir, 'grouped.out.md'), 'utf8');
    expect(out).not.toContain('#### Phase 1');
    expect(out).not.toContain('Old duplicate list of blockers');
    expect(out).toContain('### Handoff 2026-03-01\n\nPick up at the map legend.\n');
    expect(read(out).record.sections.filter((s) => s.kind === 'blockers')).toHaveLength(1);
  });
});
