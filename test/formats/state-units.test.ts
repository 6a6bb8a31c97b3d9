import { describe, expect, it } from 'vitest';
import { isResolved } from '../../src/formats/state/entries.ts';
import { fieldKey } from '../../src/formats/state/fields.ts';
import { parseMilestoneText } from '../../src/formats/state/milestones.ts';
import { parsePhaseValue, parsePlanValue } from '../../src/formats/state/position.ts';
import { parseProgress } from '../../src/formats/state/progress.ts';
import { classifyTitle } from '../../src/formats/state/sections.ts';
import { isNone, labelOf, parseFieldLine } from '../../src/formats/state/text.ts';

describe('parseFieldLine', () => {
  it.each([
    ['Phase: 6 of 6 (Documentation)', 'Phase', '6 of 6 (Documentation)'],
    ['**Current Phase:** 3', 'Current Phase', '3'],
    ['**Phase**: 8', 'Phase', '8'],
    ['**最后更新：** 2026-02-01', '最后更新', '2026-02-01'],
    ['参见：.planning/PROJECT.md', '参见', '.planning/PROJECT.md'],
    ['Last activity:', 'Last activity', ''],
  ])('%s', (line, label, value) => {
    const f = parseFieldLine(line);
    expect(f?.label).toBe(label);
    expect(f?.value).toBe(value);
    expect(line.slice(f!.valueStart)).toBe(value);
  });

  it.each(['https://example.com: not a field', '[01-01]: decision', 'Plain prose without a label', '| a | b |'])(
    'rejects %s',
    (line) => {
      const f = parseFieldLine(line);
      expect(f === null || fieldKey(f.label) === null).toBe(true);
    },
  );
});

describe('fieldKey', () => {
  it.each([
    ['Phase', 'phase'],
    ['Current Phase', 'phase'],
    ['阶段', 'phase'],
    ['Last Activity', 'lastActivity'],
    ['Last 5 plans', 'recent'],
    ['Last 3 plans', 'recent'],
    ['Total plans completed', 'plansCompleted'],
    ['Last Date', 'lastSession'],
    ['Phase 1', null],
    ['MVP Status', null],
  ])('%s → %s', (label, key) => expect(fieldKey(label)).toBe(key));
});

describe('isNone / labelOf', () => {
  it.each(['None', 'None.', 'None yet.', '(none)', '(None)', 'No blockers', 'None — all milestones shipped.', '无', '暂无', 'None - project complete.'])(
    'isNone(%s)',
    (t) => expect(isNone(t)).toBe(true),
  );
  it.each(['Nonexistent cache', 'Notes', 'No-op migration needed', 'GPU passthrough validation'])('not isNone(%s)', (t) =>
    expect(isNone(t)).toBe(false),
  );
  it('labels', () => {
    expect(labelOf('**Active (Hardware Validation):**')).toBe('Active (Hardware Validation)');
    expect(labelOf('**From Plan 01-01 (Color Token System):**')).toBe('From Plan 01-01 (Color Token System)');
    expect(labelOf('**已知问题（待修复）：**')).toBe('已知问题（待修复）');
    expect(labelOf('Recent:')).toBe('Recent');
    expect(labelOf('**Closed:** ISS-001, ISS-002')).toBeNull();
    expect(labelOf('All production blockers resolved.')).toBeNull();
  });
});

describe('classifyTitle', () => {
  it.each([
    ['Current Position', 'currentPosition'],
    ['当前位置', 'currentPosition'],
    ['Blockers/Concerns', 'blockers'],
    ['Open Issues', 'blockers'],
    ['Blockers', 'blockers'],
    ['核心决策记录', 'decisions'],
    ['Decisions Made', 'decisions'],
    ['Recent Decisions', 'decisions'],
    ['待办事项（宏观）', 'pendingTodos'],
    ['Pending Todos', 'pendingTodos'],
    ['会话连续性要点', 'sessionContinuity'],
    ['Session', 'sessionContinuity'],
    ['Milestone History', 'milestoneHistory'],
    ['Completed Milestones', 'milestoneHistory'],
    ['Milestones Shipped', 'milestoneHistory'],
    ['项目参考信息', 'projectReference'],
    ['Phase 2 Summary - COMPLETE', 'other'],
    ['Validation Session', 'other'],
    ['Deferred Issues', 'other'],
    ['Pending Operational Actions (pre-launch)', 'other'],
    ['待决策项', 'other'],
  ])('%s → %s', (title, kind) => expect(classifyTitle(title)).toBe(kind));
});

describe('parsePhaseValue', () => {
  it.each([
    ['4 of 4 (Production Hardening) - COMPLETE', { id: '4', name: 'Production Hardening', number: 4, total: 4 }],
    ['2.1 of 6 (Hotfix)', { id: '2.1', name: 'Hotfix', number: 2.1, total: 6 }],
    ['10', { id: '10', name: null, number: 10, total: null }],
    ['48 (Food Log Polish)', { id: '48', name: 'Food Log Polish', number: 48, total: null }],
    ['10.5 - UI Performance & State Consolidation', { id: '10.5', name: 'UI Performance & State Consolidation', number: 10.5, total: null }],
    ['All complete (9 of 9)', { id: '9', name: null, number: 9, total: 9 }],
    ['Not started (defining requirements)', { id: null, name: null, number: null, total: null }],
    ['None (between milestones)', { id: null, name: null, number: null, total: null }],
    ['8 of 8 (工具化) - Complete', { id: '8', name: '工具化', number: 8, total: 8 }],
    ['02.1 of 9 (Inserted)', { id: '2.1', name: 'Inserted', number: 2.1, total: 9 }],
    ['01.5.3 of 12', { id: '1.5.3', name: null, number: null, total: 12 }],
  ])('%s', (text, expected) => expect(parsePhaseValue(text)).toEqual(expected));
});

describe('parsePlanValue', () => {
  it.each([
    ['2 of 3 in current phase', 2, 3],
    ['02 of 02', 2, 2],
    ['1 of 1 + FIX + FIX-FIX + FIX-FIX-FIX', 1, 1],
    ['—', null, null],
    ['0 -- Ready to plan', 0, null],
    ['01 complete', 1, null],
    ['All complete (20 of 20)', 20, 20],
    ['Not started', null, null],
  ])('%s', (text, number, total) => expect(parsePlanValue(text)).toEqual({ number, total }));
});

describe('parseProgress', () => {
  it('bracketed bar and percent', () => {
    expect(parseProgress('[████░░░░░░] 28%')).toEqual({ percent: 28, approximate: false, bar: { cells: 10, filled: 4 }, fraction: null });
  });
  it('fraction of plans after the percent', () => {
    expect(parseProgress('[##########] 100% (10/10 plans complete)').fraction).toEqual({ done: 10, total: 10, unit: 'plans' });
  });
  it('bare bar with a fraction and the unit in a parenthesis', () => {
    expect(parseProgress('█████████████ 13/13 (v1.0.0 phases)')).toEqual({
      percent: null,
      approximate: false,
      bar: { cells: 13, filled: 13 },
      fraction: { done: 13, total: 13, unit: 'phases' },
    });
  });
  it('underscore empty cells', () => {
    const p = parseProgress('[###___________________] 14% (3/22 plans)');
    expect(p.bar).toEqual({ cells: 22, filled: 3 });
    expect(p.fraction).toEqual({ done: 3, total: 22, unit: 'plans' });
  });
  it('free text', () => {
    expect(parseProgress('Milestone initialization')).toEqual({ percent: null, approximate: false, bar: null, fraction: null });
  });
  it('decimal and approximate percents', () => {
    expect(parseProgress('79.2%').percent).toBe(79.2);
    expect(parseProgress('~80%')).toMatchObject({ percent: 80, approximate: true });
  });
  it('a total that is a lower bound', () => {
    expect(parseProgress('[##############.] ~93% (14/15+ plans completed)')).toMatchObject({
      percent: 93,
      approximate: true,
      fraction: { done: 14, total: 15, unit: 'plans' },
    });
    expect(parseProgress('[#####] 14/15+ plans')).toMatchObject({ approximate: true, fraction: { total: 15 } });
  });
  it('several bars: the last bar and percent win', () => {
    expect(parseProgress('v1.0 [##########] | v1.1 [##########] | v1.2 [###.......] 25%')).toMatchObject({
      percent: 25,
      bar: { cells: 10, filled: 3 },
    });
  });
  it('partial shades count as filled', () => {
    expect(parseProgress('[███████▓░░] 89%').bar).toEqual({ cells: 10, filled: 8 });
    expect(parseProgress('[██████▒░░░] 68% (5 of 8 phases complete, 20/28 plans complete)')).toMatchObject({
      bar: { cells: 10, filled: 7 },
      fraction: { done: 20, total: 28, unit: 'plans' },
    });
  });
  it('a fraction without a unit is not read', () => {
    expect(parseProgress('██████████ 100% MVP | Phase 9.3 in progress (2/3), Phase 9.4 complete').fraction).toBeNull();
  });
  it('pipes as cells', () => {
    expect(parseProgress('[|||||||---] 75%').bar).toEqual({ cells: 10, filled: 7 });
  });
});

describe('isResolved', () => {
  it.each([
    ['~~Port 22 missing~~ RESOLVED in 04-01', null, true],
    ['~~VNM needs transparent proxy config~~ DOCUMENTED in 04-02', null, true],
    ['[Research]: ~~Pagefind integration risk~~ RESOLVED in 04-02', null, true],
    ['✅ Missing csi-attacher sidecar', null, true],
    ['⏳ Waiting for r740xd reboot', null, false],
    ['(Resolved in 21-01) login tests fixed', null, true],
    ['**Resolved (UAT-006)**: Worker deployed', null, true],
    ['Risk needs docs (✅ ADDRESSED: docs written)', null, true],
    ['Anything', 'x', true],
    ['GPU passthrough validation needed', null, false],
    ['RDS behavior needs testing (IN PROGRESS on metal cluster)', null, false],
    ['Unresolved question about quotas', null, false],
  ] as const)('%s', (text, task, resolved) => expect(isResolved(text, task)).toBe(resolved));
});

describe('parseMilestoneText', () => {
  it.each([
    ['**v1 Production Stability** - shipped 2026-01-31', { id: 'v1', name: 'Production Stability', statusText: 'shipped 2026-01-31', shipped: '2026-01-31' }],
    ['**v0.5.0 KubeVirt Live Migration** - VALIDATING 2026-02-03', { id: 'v0.5.0', name: 'KubeVirt Live Migration', statusText: 'VALIDATING 2026-02-03', shipped: null }],
    ['v1.1 Verificações no Portal Web (SHIPPED 2026-01-27)', { id: 'v1.1', name: 'Verificações no Portal Web', statusText: 'SHIPPED 2026-01-27', shipped: '2026-01-27' }],
    ['v1.0 MVP', { id: 'v1.0', name: 'MVP', statusText: null, shipped: null }],
  ])('%s', (text, expected) => expect(parseMilestoneText(text)).toEqual(expected));
  it('not a milestone', () => expect(parseMilestoneText('Phases 1-4, 17 plans')).toBeNull());
});
