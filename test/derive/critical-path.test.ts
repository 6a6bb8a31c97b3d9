/**
 * Critical path and slack on hand-built DAGs with answers worked out by hand, then over a real
 * project on disk (phase "Depends on", plan depends_on and waves, measured durations).
 */
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { criticalPath, type PathInput } from '../../src/derive/critical-path.ts';
import { loadWorkspace } from '../../src/workspace/index.ts';
import { derive } from '../../src/derive/index.ts';

const n = (id: string, minutes: number, deps: string[] = [], estimated = false): PathInput => ({ id, minutes, deps, estimated });
const slackOf = (r: ReturnType<typeof criticalPath>) => Object.fromEntries(r.nodes.map((x) => [x.id, x.slackMinutes]));

describe('criticalPath on hand-built DAGs', () => {
  it('a chain: everything is critical', () => {
    const r = criticalPath([n('1', 10), n('2', 20, ['1']), n('3', 5, ['2'])]);
    expect(r.path).toEqual(['1', '2', '3']);
    expect(r.minutes).toBe(35);
    expect(slackOf(r)).toEqual({ 1: 0, 2: 0, 3: 0 });
  });

  it('parallel branches: the long branch is the path, the short one has the difference as slack', () => {
    //      ┌─ B (30) ─┐
    //  A(10)           D(5)        and E (3) after A, with nothing after it
    //      └─ C (12) ─┘
    const r = criticalPath([n('A', 10), n('B', 30, ['A']), n('C', 12, ['A']), n('D', 5, ['B', 'C']), n('E', 3, ['A'])]);
    expect(r.path).toEqual(['A', 'B', 'D']);
    expect(r.minutes).toBe(45);
    // E: ES 10, must finish by 45 → LS 42 → slack 32. C: ES 10, LF 40 → LS 28 → slack 18.
    expect(slackOf(r)).toEqual({ A: 0, B: 0, C: 18, D: 0, E: 32 });
    expect(r.nodes.find((x) => x.id === 'D')!.earliestStartMinutes).toBe(40);
    for (const x of r.nodes) expect(x.critical).toBe(x.slackMinutes === 0);
  });

  it('two independent chains: the longer one is critical, the other floats by the difference', () => {
    const r = criticalPath([n('1', 5), n('2', 5, ['1']), n('3', 4), n('4', 20, ['3'])]);
    expect(r.path).toEqual(['3', '4']);
    expect(slackOf(r)).toEqual({ 1: 14, 2: 14, 3: 0, 4: 0 });
  });

  it('a cycle is reported and left out, not looped on; the rest is still scheduled', () => {
    const r = criticalPath([n('1', 10), n('2', 5, ['1', '4']), n('3', 5, ['2']), n('4', 5, ['3']), n('5', 7, ['1'])]);
    expect(r.cycles).toEqual([['2', '3', '4']]);
    expect(r.nodes.map((x) => x.id)).toEqual(['1', '5']);
    expect(r.path).toEqual(['1', '5']);
    expect(r.minutes).toBe(17);
  });

  it('flags estimated weights on the path, ignores unknown and self dependencies', () => {
    const r = criticalPath([n('1', 10, ['0', '1']), n('2', 30, ['1'], true), n('3', 1, ['1'])]);
    expect(r.path).toEqual(['1', '2']);
    expect(r.estimated).toEqual(['2']);
    expect(slackOf(r)).toEqual({ 1: 0, 2: 0, 3: 29 });
  });

  it('an empty graph has an empty path', () => {
    expect(criticalPath([])).toEqual({ path: [], minutes: 0, estimated: [], nodes: [], cycles: [] });
  });
});

describe('critical path of a project on disk', () => {
  const root = mkdtempSync(join(tmpdir(), 'cairn-cp-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  const summary = (min: number) => `---\nduration: ${min} min\ncompleted: 2026-02-01\n---\n# Summary\n`;
  const plan = (extra: string) => `---\nphase: x\n${extra}---\n# Plan\n`;

  it('weights phases by their measured medians and orders the plan graph', async () => {
    write('.planning/ROADMAP.md', [
      '# Roadmap', '', '## Phases', '',
      '- [ ] **Phase 1: Core**', '- [ ] **Phase 2: Api**', '- [ ] **Phase 3: Ui**', '- [ ] **Phase 4: Ship**', '',
      '### Phase 1: Core', '**Depends on**: Nothing', '',
      '### Phase 2: Api', '**Depends on**: Phase 1', '',
      '### Phase 3: Ui', '**Depends on**: Phase 1', '',
      '### Phase 4: Ship', '**Depends on**: Phase 2, Phase 3', '',
    ].join('\n'));
    // Phase 1: 01 done (10 min), 02 and 03 in wave 2 (parallel), 04 depends on 02.
    write('.planning/phases/01-core/01-01-PLAN.md', plan('wave: 1\n'));
    write('.planning/phases/01-core/01-01-SUMMARY.md', summary(10));
    write('.planning/phases/01-core/01-02-PLAN.md', plan('wave: 2\n'));
    write('.planning/phases/01-core/01-03-PLAN.md', plan('wave: 2\n'));
    write('.planning/phases/01-core/01-04-PLAN.md', plan('depends_on: ["01-02"]\n'));
    // Phase 2: 3 plans, one done in 40 min → 2 left × 40. Phase 3: 1 plan left, no measure → project median.
    write('.planning/phases/02-api/02-01-PLAN.md', plan(''));
    write('.planning/phases/02-api/02-01-SUMMARY.md', summary(40));
    write('.planning/phases/02-api/02-02-PLAN.md', plan(''));
    write('.planning/phases/02-api/02-03-PLAN.md', plan(''));
    write('.planning/phases/03-ui/03-01-PLAN.md', plan(''));
    write('.planning/phases/04-ship/04-01-PLAN.md', plan(''));
    const s = derive(await loadWorkspace(root), new Date('2026-02-02T00:00:00Z'));
    const cp = s.criticalPath;
    expect(cp.unit).toBe('minutes');
    // Medians: phase 1 = 10, phase 2 = 40, project = 25. Remaining: 1 → 3 × 10, 2 → 2 × 40, 3 → 1 × 25, 4 → 1 × 25.
    expect(cp.phases.path).toEqual(['1', '2', '4']);
    expect(cp.phases.minutes).toBe(30 + 80 + 25);
    expect(Object.fromEntries(cp.phases.nodes.map((x) => [x.id, x.slackMinutes]))).toEqual({ 1: 0, 2: 0, 3: 55, 4: 0 });
    expect(cp.phases.estimated).toEqual(['4']);
    expect(cp.plans!.phase).toBe('1');
    expect(cp.plans!.path).toEqual(['01-02', '01-04']);
    expect(Object.fromEntries(cp.plans!.nodes.map((x) => [x.id, x.slackMinutes]))).toEqual({ '01-02': 0, '01-03': 10, '01-04': 0 });
  });
});
