/**
 * The small readers behind ROADMAP.md: phase lines, milestone lines, field labels, plan counts,
 * "Depends on", requirements. Inputs are the shapes catalogued in the corpus (INDEX.md).
 */
import { describe, expect, it } from 'vitest';
import { findPlanCountInLine, parseDependsOn, parseLabelLine, parsePlanCountValue, parseRequirements, planRefId } from '../../src/formats/roadmap/fields.ts';
import { parseMilestoneText } from '../../src/formats/roadmap/milestone-line.ts';
import { looksLikePhaseWithoutId, parsePhaseHead } from '../../src/formats/roadmap/phase-line.ts';

describe('parsePhaseHead', () => {
  const list = (s: string) => {
    const h = parsePhaseHead(s, 'list');
    return h && [h.rawId, h.id, h.name, h.status?.kind ?? null, h.status?.date ?? h.bareDate, h.inserted];
  };
  const heading = (s: string) => {
    const h = parsePhaseHead(s, 'heading');
    return h && [h.rawId, h.name, h.status?.text ?? null, h.inserted];
  };

  it.each([
    ['**Phase 1: Foundation** - CLI skeleton (completed 2025-06-02)', ['1', '1', 'Foundation', 'complete', '2025-06-02', false]],
    ['Phase 1: Foundation (3/3 plans) -- completed 2026-03-03', ['1', '1', 'Foundation', 'complete', '2026-03-03', false]],
    ['Phase 5: Canvas - Core Rendering (4/4 plans)', ['5', '5', 'Canvas - Core Rendering', null, null, false]],
    ['Phase 3.1: Auth Input Field Fixes (1/1 plans) — INSERTED', ['3.1', '3.1', 'Auth Input Field Fixes', null, null, true]],
    ['**Phase 1.5: Licensing** - INSERTED - NEAR license contract', ['1.5', '1.5', 'Licensing', null, null, true]],
    ['**Phase 19: Extended Agent System** - SKIPPED (기존 에이전트로 충분)', ['19', '19', 'Extended Agent System', 'deferred', null, false]],
    ['**Phase 6: Popup HIG Redesign** - (Not Planned)', ['6', '6', 'Popup HIG Redesign', 'deferred', null, false]],
    ['**Phase 4: Tasks** - Complete task system with states, priorities', ['4', '4', 'Tasks', null, null, false]],
    ['**Phase 1: Foundation** *(2026-02-28)* — Scaffold Vite + React', ['1', '1', 'Foundation', null, '2026-02-28', false]],
    ['**Phase 9.1: Content Moderation** (2/2 plans) — is_hidden filtering', ['9.1', '9.1', 'Content Moderation', null, null, false]],
    ['**Phase 02.1: Irrigation** - Drip lines (INSERTED)', ['02.1', '2.1', 'Irrigation', null, null, true]],
    ['**Phase 5**: Camera - pick a sensor', ['5', '5', 'Camera', null, null, false]],
    ['**Phase 1: Critical Compliance Fixes** — BFSG-Disclaimer (completed 2026-05-01)', ['1', '1', 'Critical Compliance Fixes', 'complete', '2026-05-01', false]],
    ['**Phase 12: 모델** -- 상태 모델', ['12', '12', '모델', null, null, false]],
  ])('list line %s', (s, expected) => {
    expect(list(s)).toEqual(expected);
  });

  it.each([
    ['Phase 9.1: Content Moderation Enforcement *(INSERTED — gap closure)*', ['9.1', 'Content Moderation Enforcement', null, true]],
    ['Phase 3: TMDB Caching Layer (Complete)', ['3', 'TMDB Caching Layer', 'Complete', false]],
    ['Phase 36: Search Ranking & Recall (SKIPPED)', ['36', 'Search Ranking & Recall', 'SKIPPED', false]],
    ['Phase 1: Foundation + Input Pipeline (2 plans, 12m 31s)', ['1', 'Foundation + Input Pipeline', null, false]],
    ['Phase 2: Goals (Metas)', ['2', 'Goals (Metas)', null, false]],
    ['Phase 48.1: PhotoDetail Profile Navigation Fix — ISS-014 (INSERTED)', ['48.1', 'PhotoDetail Profile Navigation Fix — ISS-014', null, true]],
    ['Phase 5: Migrate to v2.0 API', ['5', 'Migrate to v2.0 API', null, false]],
    ['Phase 1.5.3: Rebrand to Hopper (INSERTED)', ['1.5.3', 'Rebrand to Hopper', null, true]],
    ['Phase 1: 프로젝트 구조', ['1', '프로젝트 구조', null, false]],
    ['Phase 6: 治理场景（指标、DQ、血缘基础）', ['6', '治理场景（指标、DQ、血缘基础）', null, false]],
  ])('heading %s', (s, expected) => {
    expect(heading(s)).toEqual(expected);
  });

  it.each(['Phase Details', 'Phase 구성', 'Phase 2 Summary - COMPLETE', 'Phases 1-4', 'Phase Numbering', 'Phaser setup'])('is not a phase: %s', (s) => {
    expect(parsePhaseHead(s, 'heading')).toBeNull();
  });

  it('reads "Name (Phase N)" bullets only when asked to', () => {
    expect(parsePhaseHead('Auth-Debt (Phase 1) — Ungesicherte Endpoints absichern', 'list')).toBeNull();
    const h = parsePhaseHead('Auth-Debt (Phase 1) — Ungesicherte Endpoints absichern', 'list', true);
    expect(h && [h.id, h.name]).toEqual(['1', 'Auth-Debt']);
  });

  it('recognises headings that look like phases without an id', () => {
    expect(looksLikePhaseWithoutId('Phase: Setup')).toBe(true);
    expect(looksLikePhaseWithoutId('Phase X: Setup')).toBe(true);
    expect(looksLikePhaseWithoutId('Phase 3: Setup')).toBe(false);
    expect(looksLikePhaseWithoutId('Phase Details')).toBe(false);
  });
});

describe('parseMilestoneText', () => {
  const m = (s: string, mode: 'bullet' | 'heading' | 'summary') => {
    const h = parseMilestoneText(s, mode);
    return h && [h.id, h.name, h.status, h.shipped, h.phaseRange ? `${h.phaseRange.from}-${h.phaseRange.to}` : null];
  };

  it.each([
    ['✅ **v1.0 MVP** -- Phases 1-4 (shipped 2026-03-04)', 'bullet', ['v1.0', 'MVP', 'shipped', '2026-03-04', '1-4']],
    ['**v2.1 Hardening** -- full-project review (in progress on branch v2.1-hardening)', 'bullet', ['v2.1', 'Hardening', 'active', null, null]],
    ['v1.0 MVP -- 3 phases (shipped 2026-03-06)', 'bullet', ['v1.0', 'MVP', 'shipped', '2026-03-06', null]],
    ['[v1.0 MVP](milestones/v1.0-ROADMAP.md) (Phases 1-10) — SHIPPED 2026-01-12', 'bullet', ['v1.0', 'MVP', 'shipped', '2026-01-12', '1-10']],
    ['🚧 **v1.0.0 Release Readiness** — Phases 46-53 (in progress)', 'bullet', ['v1.0.0', 'Release Readiness', 'active', null, '46-53']],
    ['v2.0 Multi-User Sync -- Phases 19-23 (planned)', 'bullet', ['v2.0', 'Multi-User Sync', 'planned', null, '19-23']],
    ['v1.0 MVP (Phases 1-4) -- SHIPPED 2026-03-04', 'summary', ['v1.0', 'MVP', 'shipped', '2026-03-04', '1-4']],
    ['v0.10.0 SVG Styling for Visual Controls (Phases 53-59) - IN PROGRESS', 'summary', ['v0.10.0', 'SVG Styling for Visual Controls', 'active', null, '53-59']],
    ['v1.0 MVP (Shipped: 2026-01-24)', 'heading', ['v1.0', 'MVP', 'shipped', '2026-01-24', null]],
    ['✅ v1.0 Foundation - SHIPPED 2026-01-24', 'heading', ['v1.0', 'Foundation', 'shipped', '2026-01-24', null]],
    ['🚧 v1.1 Growth (In Progress)', 'heading', ['v1.1', 'Growth', 'active', null, null]],
    ['📋 v2.0 (Planned)', 'heading', ['v2.0', 'v2.0', 'planned', null, null]],
    ['v4.0 - Context Architect', 'heading', ['v4.0', 'Context Architect', null, null, null]],
    ['Milestone v1.0: MVP', 'heading', ['v1.0', 'MVP', null, null, null]],
    ['v1.0 Complete', 'heading', ['v1.0', 'v1.0', 'shipped', null, null]],
  ] as const)('%s (%s)', (s, mode, expected) => {
    expect(m(s, mode)).toEqual(expected);
  });

  it.each([
    ['Phase 5: Migrate to v2.0 API', 'heading'],
    ['Milestone Summary', 'heading'],
    ['Milestones', 'heading'],
    ['Progress', 'heading'],
    ['Phase Details', 'summary'],
    ['Foundation (in progress)', 'bullet'],
  ] as const)('is not a milestone: %s', (s, mode) => {
    expect(parseMilestoneText(s, mode)).toBeNull();
  });
});

describe('parseLabelLine', () => {
  it.each([
    ['**Goal**: A runnable CLI', 'goal', 'A runnable CLI'],
    ['**Goal:** A runnable CLI', 'goal', 'A runnable CLI'],
    ['**Depends on**: Phase 1', 'depends', 'Phase 1'],
    ['**Requirements** : [CLI-01]', 'requirements', '[CLI-01]'],
    ['**Plans**: 2/2 plans complete', 'plans', '2/2 plans complete'],
    ['Plans:', 'plans', ''],
    ['**目标：** 建立项目的基础骨架', 'goal', '建立项目的基础骨架'],
    ['**依赖关系：** 依赖 Phase 1（术语表）', 'depends', '依赖 Phase 1（术语表）'],
    ['**Status:** Complete (2026-01-18) - 2/2 plans executed', 'status', 'Complete (2026-01-18) - 2/2 plans executed'],
    ['*Milestone: v1.0 -- Full implementation*', 'milestone', 'v1.0 -- Full implementation'],
    ['- **Goal:** nested in a list', 'goal', 'nested in a list'],
  ])('%s', (line, field, value) => {
    const l = parseLabelLine(line);
    expect(l && [l.field, l.value]).toEqual([field, value]);
    expect(l && line.slice(l.valueIndex, l.valueIndex + value.length)).toBe(value);
  });

  it.each(['**Success Criteria** (what must be TRUE):', '**Phase 1: Foundation** - CLI', '01-01: CLI entry point', 'Just prose: with a colon', '**Key Files:**'])(
    'ignores %s',
    (line) => {
      expect(parseLabelLine(line)).toBeNull();
    },
  );
});

describe('plan counts', () => {
  const v = (s: string) => {
    const c = parsePlanCountValue(s);
    return c && [c.done, c.total, c.extra, c.unknown, s.slice(c.index, c.index + c.length)];
  };
  it.each([
    ['3 plans', [null, 3, 0, false, '3 plans']],
    ['1 plan', [null, 1, 0, false, '1 plan']],
    ['2/3 plans executed', [2, 3, 0, false, '2/3 plans']],
    ['3/3 plans complete', [3, 3, 0, false, '3/3 plans']],
    ['1/1 complete (+ 1 FIX)', [1, 1, 1, false, '1/1']],
    ['2/2 + 1 FIX complete', [2, 2, 1, false, '2/2 + 1 FIX']],
    ['5/5 + 2 FIX plans', [5, 5, 2, false, '5/5 + 2 FIX plans']],
    ['TBD', [null, null, 0, true, 'TBD']],
    ['TBD (estimated 7-9 plans)', [null, null, 0, true, 'TBD']],
    ['To be planned', [null, null, 0, true, 'To be planned']],
    ['2-3 plans', [null, null, 0, true, '2-3 plans']],
    ['0 plans (completed during Phase 1)', [null, 0, 0, false, '0 plans']],
    ['1 + 3 FIX plans', [null, 1, 3, false, '1']],
    ['6 plans in 2 waves', [null, 6, 0, false, '6 plans']],
    ['4', [null, 4, 0, false, '4']],
    ['0/?', [0, null, 0, true, '0/?']],
  ] as const)('%s', (s, expected) => {
    expect(v(s)).toEqual(expected);
  });

  it.each(['several', 'see below', '2026-01-20', ''])('cannot read %j', (s) => {
    expect(parsePlanCountValue(s)).toBeNull();
  });

  it('finds the count parenthetical of a phase line', () => {
    const line = 'Phase 8: User Albums Display (6/6 + 7 FIX + 1 ENH plans) — completed 2026-01-30';
    const c = findPlanCountInLine(line)!;
    expect([c.value.done, c.value.total, c.value.extra]).toEqual([6, 6, 8]);
    expect(line.slice(c.value.index, c.value.index + c.value.length)).toBe('6/6 + 7 FIX + 1 ENH plans');
    expect(findPlanCountInLine('Phase 2: Goals (Metas)')).toBeNull();
    expect(findPlanCountInLine('Phase 10: Scroll Indicators (1/1 plan + 3 FIX) — completed')!.value).toMatchObject({ done: 1, total: 1, extra: 3 });
  });
});

describe('parseDependsOn', () => {
  const d = (s: string) => parseDependsOn(s).map((r) => (r.to ? `${r.from}-${r.to}` : r.from));
  it.each([
    ['Nothing (first phase)', []],
    ['None (first phase of milestone)', []],
    ['Previous milestone complete', []],
    ['v3.0 complete', []],
    ['Phase 1', ['1']],
    ['Phase 02.1', ['2.1']],
    ['Phases 1, 2', ['1', '2']],
    ['1, 2', ['1', '2']],
    ['Phase 2 (needs the v1.1 API)', ['2']],
    ['Phase 5 and Phase 6', ['5', '6']],
    ['Phase 6, Phase 7', ['6', '7']],
    ['Phases 35-38 (all landscape layouts complete)', ['35-38']],
    ['Phases 61, 62, 63, 64 (needs all topic files)', ['61', '62', '63', '64']],
    ['Phase 52 (Plan 52-02)', ['52']],
    ['依赖 Phase 1 (基础)、Phase 2 (方法论)、Phase 3 (平台约束)', ['1', '2', '3']],
    ['依赖 Phase 1-7（所有前置能力完整）', ['1-7']],
    ['Phase 1.5.2 (complete auth before rebranding)', ['1.5.2']],
    ['Nothing (can run parallel to Phase 44)', []],
  ] as const)('%s', (s, expected) => {
    expect(d(s)).toEqual(expected);
  });
});

describe('parseRequirements', () => {
  it.each([
    ['AUTH-01, AUTH-02', ['AUTH-01', 'AUTH-02']],
    ['[CLI-01, CLI-02]', ['CLI-01', 'CLI-02']],
    ['LOAD-01 to LOAD-04', ['LOAD-01', 'LOAD-02', 'LOAD-03', 'LOAD-04']],
    ['REQ-1 through REQ-3', ['REQ-1', 'REQ-2', 'REQ-3']],
    ['PLAN-01 (planner agent portion)', ['PLAN-01']],
    ['I18N-01, I18N-02', ['I18N-01', 'I18N-02']],
    ['9 SPEC requirements (REQ.1-1 through REQ.1-3)', ['REQ.1-1', 'REQ.1-2', 'REQ.1-3']],
    ['None (risk mitigation spike)', []],
  ] as const)('%s', (s, expected) => {
    expect(parseRequirements(s)).toEqual(expected);
  });
});

describe('planRefId', () => {
  it.each([
    ['01-01: CLI entry point', '01-01'],
    ['01-01-PLAN.md — Setup', '01-01'],
    ['09.1-01-PLAN.md -- Feed filtering', '09.1-01'],
    ['**01-02** Load the store', '01-02'],
    ['04-01-FIX: Result toast', '04-01-FIX'],
    ['42-FIX-PLAN.md — late fix', '42-FIX'],
    ['9.3-01: Database & Scan Performance (ISS-012)', '9.3-01'],
    ['TBD', null],
    ['Wave 1: 13-01 (foundation)', null],
    ['2026-01-20 release', null],
  ])('%s', (s, expected) => {
    expect(planRefId(s)).toBe(expected);
  });
});
