import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  comparePhaseIds,
  comparePlanIds,
  isBacklogPhase,
  isSafeSlug,
  normalizePhaseId,
  padPhaseId,
  parsePhaseDirName,
  parsePlanFileName,
  planKey,
  slugify,
} from '../../src/model/ids.ts';

describe('normalizePhaseId', () => {
  it.each([
    ['2', '2'],
    ['02', '2'],
    ['02.1', '2.1'],
    ['01.5.3', '1.5.3'],
    ['06.10', '6.10'],
    ['00.1', '0.1'],
    ['0', '0'],
    ['12a', '12A'],
    ['12A.01', '12A.1'],
    ['  07.1 ', '7.1'],
    ['100', '100'],
    ['999.2', '999.2'],
  ])('%j → %j', (raw, want) => {
    expect(normalizePhaseId(raw)).toBe(want);
  });

  it.each(['', '..', '2.', '.2', '-1', 'abc', '2..1', '12AB', 'A12', '2-1', '2 .1', 'CK-01', '１２'])('rejects %j', (raw) => {
    expect(normalizePhaseId(raw)).toBeNull();
  });
});

describe('comparePhaseIds', () => {
  it('orders part by part numerically', () => {
    const ordered = ['0.1', '1', '2', '2.1', '2.2', '2.10', '3', '12', '12A', '12A.1', '12B', '100', '999', '999.1'];
    const shuffled = [...ordered].reverse();
    expect(shuffled.sort(comparePhaseIds)).toEqual(ordered);
  });

  it('normalises before comparing and treats padded and unpadded ids as equal', () => {
    expect(comparePhaseIds('02.1', '2.1')).toBe(0);
    expect(comparePhaseIds('06.10', '6.9')).toBeGreaterThan(0);
    expect(comparePhaseIds('12a', '12A')).toBe(0);
  });

  it('puts non-numeric ids after numeric ones, by text', () => {
    const list = ['post-m1', '3', '_archived', '1.1'];
    expect(list.sort(comparePhaseIds)).toEqual(['1.1', '3', '_archived', 'post-m1']);
  });

  it('compares integers of any length without float rounding', () => {
    expect(comparePhaseIds('90071992547409931', '90071992547409932')).toBeLessThan(0);
  });
});

describe('padPhaseId / isBacklogPhase', () => {
  it.each([
    ['2.1', '02.1'],
    ['2', '02'],
    ['02.1', '02.1'],
    ['1.5.3', '01.5.3'],
    ['12A', '12A'],
    ['100', '100'],
    ['0.1', '00.1'],
  ])('pad %j → %j', (id, want) => {
    expect(padPhaseId(id)).toBe(want);
  });

  it('leaves non-ids unchanged', () => {
    expect(padPhaseId('post-m1')).toBe('post-m1');
  });

  it('recognises the 999 parking lot only', () => {
    expect(isBacklogPhase('999')).toBe(true);
    expect(isBacklogPhase('999.3')).toBe(true);
    expect(isBacklogPhase('0999.1')).toBe(true);
    expect(isBacklogPhase('99')).toBe(false);
    expect(isBacklogPhase('9999')).toBe(false);
    expect(isBacklogPhase('abc')).toBe(false);
  });
});

describe('parsePhaseDirName', () => {
  it.each([
    ['02.1-auth-hardening', '2.1', 'auth-hardening'],
    ['3.1-automatic-downloader-from-remote-sources', '3.1', 'automatic-downloader-from-remote-sources'],
    ['1-auth', '1', 'auth'],
    ['01.5.3-x', '1.5.3', 'x'],
    ['07.1-layout-fixes', '7.1', 'layout-fixes'],
    ['CK-01-slug', '1', 'slug'],
    ['12A-extra', '12A', 'extra'],
    ['05', '5', ''],
    ['06-日志系统修复', '6', '日志系统修复'],
    ['999.1-parked-idea', '999.1', 'parked-idea'],
  ])('%j → id %j, slug %j', (name, id, slug) => {
    expect(parsePhaseDirName(name)).toEqual({ id, slug });
  });

  it.each(['post-m1-enhancements', '_archived-full-window-app', 'v1.0-phases', '', '-01-x', 'TOOLONGCODE-01-x'])(
    'non-numeric %j → id null, slug = name',
    (name) => {
      expect(parsePhaseDirName(name)).toEqual({ id: null, slug: name });
    },
  );
});

describe('parsePlanFileName', () => {
  it.each([
    ['04-01-PLAN.md', 'plan', '04-01', '4'],
    ['04-01-SUMMARY.md', 'summary', '04-01', '4'],
    ['04-01-FIX-SUMMARY.md', 'summary', '04-01-FIX', '4'],
    ['04-01-FIX-FIX-FIX-PLAN.md', 'plan', '04-01-FIX-FIX-FIX', '4'],
    ['07-04-FIX2-SUMMARY.md', 'summary', '07-04-FIX2', '7'],
    ['08-FIX5-SUMMARY.md', 'summary', '08-FIX5', '8'],
    ['08-ENH1-SUMMARY.md', 'summary', '08-ENH1', '8'],
    ['42-FIX-PLAN.md', 'plan', '42-FIX', '42'],
    ['02-UAT-FIX-SUMMARY.md', 'summary', '02-UAT-FIX', '2'],
    ['01.5.3-02-PLAN.md', 'plan', '01.5.3-02', '1.5.3'],
    ['3.1-01-PLAN.md', 'plan', '3.1-01', '3.1'],
    ['SESSION-2026-01-18-SUMMARY.md', 'summary', 'SESSION-2026-01-18', null],
    ['PLAN.md', 'plan', '', null],
    ['SUMMARY.md', 'summary', '', null],
    // Old plan-fix plans carry no PLAN suffix.
    ['04-01-FIX.md', 'plan', '04-01-FIX', '4'],
    ['01.5.2-03-FIX2.md', 'plan', '01.5.2-03-FIX2', '1.5.2'],
    ['08-FIX5.md', 'plan', '08-FIX5', '8'],
    ['08-ENH1.md', 'plan', '08-ENH1', '8'],
    ['02-UAT-FIX.md', 'plan', '02-UAT-FIX', '2'],
    // Plans named by slug.
    ['01-04-realtime-sync.md', 'plan', '01-04', '1'],
    ['02-01-goals-smart-rpm.md', 'plan', '02-01', '2'],
    ['03-02.md', 'plan', '03-02', '3'],
  ])('%j → %s %j (phase %j)', (name, kind, planId, phaseId) => {
    expect(parsePlanFileName(name)).toEqual({ kind, planId, phaseId });
  });

  it.each([
    '04-CONTEXT.md',
    '04-RESEARCH.md',
    '04-VERIFICATION.md',
    '04-VALIDATION.md',
    '04-UAT.md',
    '04-PATTERNS.md',
    '04-UI-SPEC.md',
    '04-SECURITY.md',
    '04-AI-SPEC.md',
    '04-DEBUG.md',
    '04-REVIEWS.md',
    '04-01-ISSUES.md',
    '04-01-FIX-ISSUES.md',
    '04-01-SMOKETEST.md',
    '04-01-UAT-FIXES.md',
    '04-01-REQUIREMENTS.md',
    '04-01-VERIFICATION.md',
    '05-RLS-FIX.md',
    '04-01-research-notes.md',
    '04-01-context.md',
    '.continue-here.md',
    'DISCOVERY.md',
    'CONTEXT.md',
    'deferred-items.md',
    '06-日志系统修复-RESEARCH.md',
    '04-01-PLAN.txt',
    '-PLAN.md',
  ])('%j is not a plan or summary', (name) => {
    expect(parsePlanFileName(name)).toBeNull();
  });
});

describe('planKey / comparePlanIds', () => {
  it('pairs padded and unpadded plan ids', () => {
    expect(planKey('04-01')).toBe(planKey('4-01'));
    expect(planKey('02.1-01')).toBe(planKey('2.1-01'));
    expect(planKey('04-01-fix')).toBe(planKey('4-01-FIX'));
    expect(planKey('04-01')).not.toBe(planKey('04-01-FIX'));
    expect(planKey('04-01')).not.toBe(planKey('04-10'));
    expect(planKey('2-1')).not.toBe(planKey('2.1'));
  });

  it('orders plans by phase, number, then suffix chain', () => {
    const ordered = [
      '04-01',
      '04-01-FIX',
      '04-01-FIX-FIX',
      '04-01-FIX2',
      '04-02',
      '04-10',
      '04-ENH1',
      '04-FIX5',
      '4.1-01',
      '12-01',
      'SESSION-2026-01-18',
    ];
    expect([...ordered].reverse().sort(comparePlanIds)).toEqual(ordered);
    expect(comparePlanIds('4-01', '04-01')).not.toBe(0); // distinct texts never compare equal
    expect(Math.sign(comparePlanIds('4-01', '04-01'))).toBe(-Math.sign(comparePlanIds('04-01', '4-01')));
  });
});

describe('slugs', () => {
  it.each([
    ['Auth Hardening', 'auth-hardening'],
    ['  --Hello, World!--  ', 'hello-world'],
    ['Verificações no Portal Web', 'verificacoes-no-portal-web'],
    ['日志系统修复', ''],
    ['日志 v2 fix', 'v2-fix'],
    ['a'.repeat(70), 'a'.repeat(60)],
  ])('slugify(%j) → %j', (text, want) => {
    expect(slugify(text)).toBe(want);
  });

  it('never ends a truncated slug with a dash', () => {
    const s = slugify('x'.repeat(59) + ' yz');
    expect(s).toBe('x'.repeat(59));
  });

  it.each(['auth', 'auth-hardening', 'v2-fix', 'a1'])('%j is safe', (s) => expect(isSafeSlug(s)).toBe(true));
  it.each(['', 'Auth', '-auth', 'auth-', 'a--b', '../x', 'a/b', 'a.b', 'a b', 'ação', 'x'.repeat(61)])('%j is not safe', (s) =>
    expect(isSafeSlug(s)).toBe(false),
  );
});

const phaseIdArb = fc
  .tuple(
    fc.stringMatching(/^[0-9]{1,4}$/),
    fc.constantFrom('', 'a', 'B'),
    fc.array(fc.stringMatching(/^[0-9]{1,3}$/), { maxLength: 3 }),
  )
  .map(([int, letter, parts]) => int + letter + parts.map((p) => '.' + p).join(''));
const anyIdArb = fc.oneof(phaseIdArb, fc.string({ maxLength: 6 }));

describe('properties', () => {
  it('normalize is idempotent and accepts every generated id', () => {
    fc.assert(
      fc.property(phaseIdArb, (id) => {
        const n = normalizePhaseId(id);
        expect(n).not.toBeNull();
        expect(normalizePhaseId(n!)).toBe(n);
      }),
    );
  });

  it('normalize of anything is null or a fixed point', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (s) => {
        const n = normalizePhaseId(s);
        if (n !== null) expect(normalizePhaseId(n)).toBe(n);
      }),
    );
  });

  it('pad ∘ normalize round-trips', () => {
    fc.assert(
      fc.property(phaseIdArb, (id) => {
        const n = normalizePhaseId(id)!;
        const padded = padPhaseId(n);
        expect(normalizePhaseId(padded)).toBe(n);
        expect(padPhaseId(padded)).toBe(padded);
        expect(parsePhaseDirName(`${padded}-slug`)).toEqual({ id: n, slug: 'slug' });
      }),
    );
  });

  it('compare is antisymmetric and consistent with normalisation', () => {
    fc.assert(
      fc.property(anyIdArb, anyIdArb, (a, b) => {
        expect(Math.sign(comparePhaseIds(a, b))).toBe(-Math.sign(comparePhaseIds(b, a)) || 0);
        const na = normalizePhaseId(a);
        const nb = normalizePhaseId(b);
        if (na !== null && nb !== null) expect(comparePhaseIds(a, b) === 0).toBe(na === nb);
      }),
    );
  });

  it('compare is transitive', () => {
    fc.assert(
      fc.property(anyIdArb, anyIdArb, anyIdArb, (a, b, c) => {
        const [x, y, z] = [a, b, c].sort(comparePhaseIds);
        expect(comparePhaseIds(x!, z!)).toBeLessThanOrEqual(0);
        if (comparePhaseIds(x!, y!) < 0 && comparePhaseIds(y!, z!) <= 0) expect(comparePhaseIds(x!, z!)).toBeLessThan(0);
      }),
    );
  });

  it('comparePlanIds is antisymmetric and transitive', () => {
    const planArb = fc
      .tuple(phaseIdArb, fc.array(fc.constantFrom('01', '1', '02', '10', 'FIX', 'FIX2', 'ENH1', 'fix'), { maxLength: 3 }))
      .map(([p, rest]) => [p, ...rest].join('-'));
    fc.assert(
      fc.property(planArb, planArb, planArb, (a, b, c) => {
        expect(Math.sign(comparePlanIds(a, b))).toBe(-Math.sign(comparePlanIds(b, a)) || 0);
        const [x, y, z] = [a, b, c].sort(comparePlanIds);
        if (comparePlanIds(x!, y!) <= 0 && comparePlanIds(y!, z!) <= 0) expect(comparePlanIds(x!, z!)).toBeLessThanOrEqual(0);
      }),
    );
  });

  it('slugify always yields a safe slug or an empty string', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (s) => {
        const slug = slugify(s);
        if (slug !== '') expect(isSafeSlug(slug)).toBe(true);
        expect(slugify(slug)).toBe(slug);
      }),
    );
  });
});
