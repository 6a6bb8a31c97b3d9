/**
 * Issue 7's reading classes, one hand-written fixture each (`test/fixtures/fidelity/classN/planning`,
 * copied to `.planning/` of a temp project): `status --json` says what the rules say, `sync` leaves a
 * clean `check` (no errors; only the warnings the rules call for), and `adopt` keeps the facts.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cairn, remove, tempDir } from '../support/cli.ts';
import { repoRoot } from '../support/corpus.ts';

const FIXTURES = join(repoRoot, 'test', 'fixtures', 'fidelity');
const made: string[] = [];
afterAll(() => made.forEach(remove));

/** A temp project holding the fixture's files as `.planning/`. */
function project(name: string): string {
  const root = tempDir('cairn-fidelity-');
  cpSync(join(FIXTURES, name, 'planning'), join(root, '.planning'), { recursive: true });
  made.push(root);
  return root;
}

const env = { CAIRN_NO_CACHE: '1' };
interface Status {
  scope: { milestone: string | null };
  position: { phase: { id: string } | null; status: string };
  progress: { percent: number | null; estimated: boolean; plans: { done: number; total: number }; phases: { done: number; total: number } };
  phases: { id: string; plans: { done: number; total: number }; complete: boolean }[];
  decisions: { total: number; recent: { text: string; tag: string | null; date: string | null; rationale: string | null; group?: string | null }[] };
  session: { last: string | null; stoppedAt: string | null } | null;
  lastActivity: string | null;
  diagnostics: { rule: string; severity: string; file: string }[];
}
function status(root: string): Status {
  const r = cairn(['status', root, '--json'], { env });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Status;
}
interface Check { diagnostics: { rule: string; severity: string; file: string; message: string }[] }
function check(root: string): Check {
  const r = cairn(['check', root, '--json'], { env });
  expect([0, 1], r.stderr).toContain(r.code);
  return JSON.parse(r.stdout) as Check;
}
function sync(root: string): void {
  const r = cairn(['sync', root], { env });
  expect(r.code, r.stdout + r.stderr).toBe(0);
}
function adopt(root: string): void {
  const r = cairn(['adopt', root], { env });
  expect(r.code, r.stdout + r.stderr).toBe(0);
}
const numbers = (s: Status) => ({
  milestone: s.scope.milestone,
  phase: s.position.phase?.id ?? null,
  status: s.position.status,
  percent: s.progress.percent,
  estimated: s.progress.estimated,
  plans: s.progress.plans,
  phases: s.progress.phases,
});
/** Alerts about the calendar (src/checks/alerts.ts): the fixtures' dates are fixed, the clock is not. */
const CLOCK_ALERTS = new Set(['idle-project', 'blocker-age', 'scope-growth']);
/** After sync: no error or warning beyond the `allowed` rules (and the clock's alerts). */
function expectClean(root: string, allowed: string[] = []): Check['diagnostics'] {
  const d = check(root).diagnostics.filter((x) => x.severity !== 'info' && !CLOCK_ALERTS.has(x.rule));
  expect(d.filter((x) => !allowed.includes(x.rule)), JSON.stringify(d, null, 1)).toEqual([]);
  return d;
}
/** sync, then a clean check, and the numbers unchanged by both sync and adopt. */
function roundTrip(name: string, want: ReturnType<typeof numbers>, allowed: string[] = []): { root: string; after: Status } {
  const root = project(name);
  expect(numbers(status(root))).toEqual(want);
  sync(root);
  expectClean(root, allowed);
  adopt(root);
  const after = status(root);
  expect(numbers(after)).toEqual(want);
  return { root, after };
}

describe('class 1: explicit completion without summaries', () => {
  it('counts every plan of a [x] / Complete phase done and reports each missing SUMMARY', () => {
    const { root } = roundTrip('class1', {
      milestone: null, phase: '3', status: 'in progress', percent: 80, estimated: false,
      plans: { done: 4, total: 5 }, phases: { done: 2, total: 3 },
    }, ['summary-missing']);
    const missing = check(root).diagnostics.filter((d) => d.rule === 'summary-missing');
    expect(missing.map((d) => [d.severity, d.file])).toEqual([
      ['warning', '.planning/phases/01-setup/01-01-SUMMARY.md'],
      ['warning', '.planning/phases/01-setup/01-02-SUMMARY.md'],
      ['warning', '.planning/phases/02-core/02-01-SUMMARY.md'],
    ]);
    // The ROADMAP table now says what the files mean: the completed phases' plans are done.
    expect(readFileSync(join(root, '.planning/ROADMAP.md'), 'utf8')).toMatch(/\| 1\. Setup \| 2\/2 \| Complete/);
  });
});

describe('class 2: phase numbering that restarts per milestone', () => {
  it('takes the open v3 phases 1-4 as the scope, not v1 phase 6 or archived folders', () => {
    const { after } = roundTrip('class2', {
      milestone: null, phase: '3', status: 'ready to execute', percent: 50, estimated: true,
      plans: { done: 2, total: 4 }, phases: { done: 2, total: 4 },
    });
    expect(after.phases.map((p) => p.id)).toEqual(['1', '2', '3', '4']);
  });
});

describe('class 3: plan files without plan ids', () => {
  it('pairs PLAN.md + SUMMARY.md and NN-MM-PLAN.md + SUMMARY.md, reads .planning/plans/, counts summary-only phases, skips ROLLOUT_PLAN.md', () => {
    const { after } = roundTrip('class3', {
      milestone: null, phase: '2', status: 'in progress', percent: 83, estimated: true,
      plans: { done: 5, total: 6 }, phases: { done: 3, total: 5 },
    });
    expect(after.phases.map((p) => [p.id, p.plans.done, p.plans.total, p.complete])).toEqual([
      ['1', 1, 1, true], ['2', 1, 2, false], ['7', 1, 1, true], ['8', 2, 2, true], ['9', 0, 0, false],
    ]);
  });
});

describe('class 4: placeholder plan lines', () => {
  it('marks the percent estimated; placeholders are no executable plans, so phase 13 just completed', () => {
    roundTrip('class4', {
      milestone: null, phase: '14', status: 'phase complete', percent: 33, estimated: true,
      plans: { done: 1, total: 3 }, phases: { done: 1, total: 2 },
    });
  });
});

describe('class 5: grouped decisions', () => {
  it('keeps each group label through the ledger, status and the digest', () => {
    const root = project('class5');
    const groups = (s: Status) => s.decisions.recent.map((d) => [d.text, d.group ?? null]);
    const want = [
      ['Store receipts as JSON blobs', 'Key Decisions (v2.0)'],
      ['PaymentConfig', 'Key Decisions (v2.0)'],
      ['Dark mode follows the system setting', 'Key Decisions (Phase 12 UX)'],
      ['CheckoutFlow', 'Key Decisions (Phase 12 UX)'],
    ];
    expect(groups(status(root))).toEqual(want);
    sync(root);
    expectClean(root);
    const ledger = readFileSync(join(root, '.planning/events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; group?: string });
    expect(ledger.filter((e) => e.type === 'decision.recorded').map((e) => e.group)).toEqual(want.map((w) => w[1]));
    const state = readFileSync(join(root, '.planning/STATE.md'), 'utf8');
    expect(state).toContain('**Key Decisions (v2.0):**\n\n- Store receipts as JSON blobs\n- PaymentConfig: one object per merchant, loaded at boot\n');
    expect(state).toContain('**Key Decisions (Phase 12 UX):**\n\n- Dark mode follows the system setting\n');
    expect(groups(status(root))).toEqual(want);
    // A second sync finds nothing to import or re-render.
    expect(cairn(['sync', root], { env }).stdout).toMatch(/Nothing to change/);
  });
});

describe('class 6: "Subject: detail" decisions', () => {
  it('shows the decision whole in the digest and keeps subject and detail in the ledger', () => {
    const root = project('class6');
    sync(root);
    expectClean(root);
    const state = readFileSync(join(root, '.planning/STATE.md'), 'utf8');
    expect(state).toContain('- PaymentConfig: one object per merchant, loaded at boot\n');
    expect(state).toContain('- [01-01]: RetryPolicy: three tries with backoff\n');
    expect(state).toContain('- Storage: SQLite file per workspace\n');
    expect(state).not.toMatch(/^- PaymentConfig$/m);
    const s = status(root);
    expect(s.decisions.total).toBe(3);
    expect(s.decisions.recent.find((d) => d.text === 'PaymentConfig')?.rationale).toBe('one object per merchant, loaded at boot');
    expect(cairn(['sync', root], { env }).stdout).toMatch(/Nothing to change/);
  });
});

describe('class 7: dates come from the files', () => {
  it('adopt then status: session.last is the file\'s Last activity date, decisions carry no import date, Last activity and free session lines stay', () => {
    const root = project('class7');
    const before = readFileSync(join(root, '.planning/STATE.md'), 'utf8');
    adopt(root);
    const s = status(root);
    expect(s.session?.last).toBe('2026-03-14');
    expect(s.decisions.recent.map((d) => d.date)).toEqual([null]);
    expect(s.lastActivity).toBe('2026-03-14 - Planned phase 1');
    sync(root);
    expectClean(root);
    const after = readFileSync(join(root, '.planning/STATE.md'), 'utf8');
    expect(after).toContain('Last activity: 2026-03-14 - Planned phase 1\n');
    expect(after).toContain('Last session: 2026-03-14\n');
    for (const line of ['Next step: run the first plan', 'Waiting on: design review from the team']) {
      expect(before).toContain(line);
      expect(after).toContain(`${line}\n`);
    }
    expect(after).toContain('last_updated: "2026-03-14T09:30:00Z"');
    // The import's own time is recorded on the events, and shown as no fact's date.
    const events = readFileSync(join(root, '.planning/events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { at: string; type: string; last?: string; date?: string });
    expect(events.every((e) => /^\d{4}-\d{2}-\d{2}T/.test(e.at))).toBe(true);
    const today = new Date().toISOString().slice(0, 10);
    // (The forecast's `today` is the run's clock by design: it is an input, not a fact of the files.)
    const { forecast: _forecast, ...facts } = status(root) as Status & { forecast?: unknown };
    expect(JSON.stringify(facts)).not.toContain(today);
  });
});

describe('class 8: no false drift', () => {
  it('reads "Progress: 100% (Phase 4: 3/3 plans)" as phase 4 and "Phase 4 COMPLETE" as agreeing with milestone complete', () => {
    const root = project('class8');
    expect(numbers(status(root))).toEqual({
      milestone: null, phase: '4', status: 'milestone complete', percent: 100, estimated: false,
      plans: { done: 7, total: 7 }, phases: { done: 4, total: 4 },
    });
    expect(check(root).diagnostics.filter((d) => d.rule === 'state-drift')).toEqual([]);
    sync(root);
    expectClean(root);
  });
});

describe('class 9: progress rows that span phases', () => {
  it('gives no phase the count of a "12-14." row and completes each phase of its range', () => {
    const { after, root } = roundTrip('class9', {
      milestone: 'v2.1', phase: '14', status: 'milestone complete', percent: 100, estimated: false,
      plans: { done: 5, total: 5 }, phases: { done: 3, total: 3 },
    });
    expect(after.phases.map((p) => [p.id, p.plans.total])).toEqual([['12', 1], ['13', 2], ['14', 2]]);
    expect(readFileSync(join(root, '.planning/ROADMAP.md'), 'utf8')).toContain('| 12-14. All v2.1 phases | v2.1 | 5/5 | Complete | 2026-02-01 |');
  });
});

describe('class 10: the digest points at a command that exists', () => {
  it('names `cairn log decisions`, and that command lists every decision', () => {
    const root = project('class10');
    sync(root);
    expectClean(root);
    const state = readFileSync(join(root, '.planning/STATE.md'), 'utf8');
    const pointer = /… 2 earlier decisions; all decisions are recorded in .*\((cairn log decisions)\)/.exec(state);
    expect(pointer, state).not.toBeNull();
    const args = pointer![1]!.split(' ').slice(1);
    const r = cairn([...args, root, '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const entries = (JSON.parse(r.stdout) as { entries: { kind: string; text: string }[] }).entries;
    expect(entries.filter((e) => e.kind === 'decision')).toHaveLength(7);
    expect(existsSync(join(root, '.planning/events.jsonl'))).toBe(true);
  });
});

describe('class 11: a fix SUMMARY without a PLAN records more work on a plan, not a plan', () => {
  it('drops 01-01-FIX-FIX-SUMMARY.md beside 01-01-PLAN.md, counts the [x] phase done, keeps a summary-only phase', () => {
    const { root, after } = roundTrip('class11', {
      milestone: null, phase: '2', status: 'in progress', percent: 83, estimated: false,
      plans: { done: 5, total: 6 }, phases: { done: 2, total: 3 },
    }, ['summary-missing']);
    expect(after.phases.map((p) => [p.id, p.plans.done, p.plans.total])).toEqual([['1', 3, 3], ['2', 1, 2], ['3', 1, 1]]);
    expect(check(root).diagnostics.filter((d) => d.rule === 'summary-missing').map((d) => d.file)).toEqual([
      '.planning/phases/01-base/01-02-SUMMARY.md',
    ]);
  });
});

describe('class 12: a ROADMAP titled with its milestone', () => {
  it('scopes "# Roadmap: v0.4.2 Quick Fixes" to its own phase, not the shipped milestones\' folders', () => {
    const { after } = roundTrip('class12', {
      milestone: 'v0.4.2', phase: '9', status: 'milestone complete', percent: 100, estimated: false,
      plans: { done: 1, total: 1 }, phases: { done: 1, total: 1 },
    });
    expect(after.phases.map((p) => p.id)).toEqual(['9']);
  });
});

describe('class 13: a closing "## v1.0 Complete" heading', () => {
  it('is no milestone: it groups no phases', () => {
    roundTrip('class13', {
      milestone: null, phase: '2', status: 'milestone complete', percent: 100, estimated: false,
      plans: { done: 3, total: 3 }, phases: { done: 2, total: 2 },
    });
  });
});

describe('class 14: no ROADMAP.md between milestones', () => {
  it('takes the latest shipped milestone\'s archived roadmap as the scope, a known-zero phase complete', () => {
    const root = project('class14');
    const s = status(root);
    expect(numbers(s)).toEqual({
      milestone: 'v1.0', phase: '3', status: 'milestone complete', percent: 100, estimated: false,
      plans: { done: 3, total: 3 }, phases: { done: 3, total: 3 },
    });
    expect(s.phases.map((p) => [p.id, p.plans.done, p.plans.total, p.complete])).toEqual([['1', 2, 2, true], ['2', 1, 1, true], ['3', 0, 0, true]]);
    expect(check(root).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});

describe('class 15: unmarked milestone groups whose phases are all complete', () => {
  it('scopes the latest (v2.1), excludes the SKIPPED phase, counts a [x] phase\'s plan without SUMMARY done', () => {
    const { after } = roundTrip('class15', {
      milestone: 'v2.1', phase: '5', status: 'milestone complete', percent: 100, estimated: false,
      plans: { done: 3, total: 3 }, phases: { done: 2, total: 2 },
    }, ['summary-missing']);
    expect(after.phases.map((p) => p.id)).toEqual(['3', '5']);
  });
});
