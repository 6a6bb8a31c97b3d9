/**
 * Property tests over generated GSD projects: small trees (1–6 phases, decimal ids sometimes,
 * 0–4 plans each, some summarised with assorted `duration:` spellings), a ROADMAP whose checkbox
 * list, plan counts and progress table carry random (often wrong) numbers, and a classic STATE.md
 * whose written numbers are random too. Whatever the files say, derive() must stay in range and
 * deterministic, and `sync` must converge in one run with no state drift left behind.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, readdirSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadWorkspace } from '../../src/workspace/index.ts';
import { derive } from '../../src/derive/index.ts';
import { runOperation } from '../../src/ops/run.ts';
import { adopt } from '../../src/ops/adopt.ts';
import { runChecks } from '../../src/checks/index.ts';

const NOW = new Date('2026-04-02T12:00:00Z');
// Kept small so the file runs in seconds; CAIRN_PROP_RUNS raises it for a deeper search.
const RUNS = Number(process.env.CAIRN_PROP_RUNS ?? 25);

interface GenPlan {
  summary: boolean;
  duration: string | null;
}
interface GenPhase {
  id: string;
  slug: string;
  name: string;
  plans: GenPlan[];
  checked: boolean;
  /** `**Plans**: N plans` in the details; null leaves the line out. */
  listedPlans: number | null;
  /** Progress-table cells "d/t"; null leaves the row out. */
  row: { done: number; total: number; status: string } | null;
}
interface GenProject {
  phases: GenPhase[];
  state: {
    phase: number;
    phaseTotal: number;
    plan: number;
    planTotal: number;
    status: string;
    percent: number;
    filled: number;
    plansCompleted: number;
    averageMinutes: number;
    decisions: string[];
    blocker: string | null;
  };
}

const NAMES = ['Setup', 'Core Api', 'Storage', 'Auth Flow', 'Reports', 'Polish', 'Hotfix', 'Search'];
const DURATIONS = ['12min', '5 min', '1h 30m', '45s', '2 hours', '[X] min', '90 minutes', '0.5h', 'TBD'];
const ROW_STATUS = ['Not started', 'In progress', 'In Progress', 'Complete', 'Planned', 'Complete    '];
const STATE_STATUS = ['Not started', 'Ready to plan', 'Planning', 'Ready to execute', 'In progress', 'Phase complete', 'Milestone complete'];

const planArb: fc.Arbitrary<GenPlan> = fc.record({
  summary: fc.boolean(),
  duration: fc.option(fc.constantFrom(...DURATIONS), { nil: null }),
});

const phaseShapeArb = fc.record({
  decimal: fc.boolean(),
  nameIx: fc.nat({ max: NAMES.length - 1 }),
  plans: fc.array(planArb, { maxLength: 4 }),
  checked: fc.boolean(),
  listedPlans: fc.option(fc.nat({ max: 6 }), { nil: null }),
  row: fc.option(
    fc.record({ done: fc.nat({ max: 6 }), total: fc.nat({ max: 6 }), status: fc.constantFrom(...ROW_STATUS) }),
    { nil: null },
  ),
});

const projectArb: fc.Arbitrary<GenProject> = fc
  .record({
    shapes: fc.array(phaseShapeArb, { minLength: 1, maxLength: 6 }),
    state: fc.record({
      phase: fc.integer({ min: 1, max: 7 }),
      phaseTotal: fc.integer({ min: 1, max: 9 }),
      plan: fc.nat({ max: 5 }),
      planTotal: fc.nat({ max: 5 }),
      status: fc.constantFrom(...STATE_STATUS),
      percent: fc.nat({ max: 100 }),
      filled: fc.nat({ max: 10 }),
      plansCompleted: fc.nat({ max: 30 }),
      averageMinutes: fc.nat({ max: 120 }),
      decisions: fc.array(fc.constantFrom('Use SQLite for storage', 'Ship the CLI first', 'Keep tokens in memory'), { maxLength: 3 }),
      blocker: fc.option(fc.constantFrom('Waiting on API keys', 'CI runner is flaky'), { nil: null }),
    }),
  })
  .map(({ shapes, state }) => {
    // Ids: integers in order; a "decimal" shape (not the first) becomes an insert after the previous integer.
    const phases: GenPhase[] = [];
    let int = 0;
    let sub = 0;
    shapes.forEach((s, i) => {
      let id: string;
      if (s.decimal && i > 0) {
        sub++;
        id = `${String(int).padStart(2, '0')}.${sub}`;
      } else {
        int++;
        sub = 0;
        id = String(int).padStart(2, '0');
      }
      const name = NAMES[s.nameIx]!;
      phases.push({ id, slug: name.toLowerCase().replace(/ /g, '-'), name, plans: s.plans, checked: s.checked, listedPlans: s.listedPlans, row: s.row });
    });
    return { phases, state };
  });

const display = (id: string) => id.replace(/^0+(?=\d)/, '');
const explicitlyComplete = (ph: GenPhase) => ph.checked || (ph.row !== null && /complete/i.test(ph.row.status));

function planText(dir: string, plan: string): string {
  return ['---', `phase: ${dir}`, `plan: ${plan}`, 'type: execute', 'wave: 1', 'depends_on: []', 'autonomous: true', '---', '', '<objective>', `Work item ${plan}.`, '</objective>', ''].join('\n');
}

function summaryText(dir: string, plan: string, duration: string | null): string {
  return [
    '---',
    `phase: ${dir}`,
    `plan: ${plan}`,
    ...(duration !== null ? [`duration: ${duration}`] : []),
    'completed: 2026-03-20',
    '---',
    '',
    `# Phase ${dir} Plan ${plan}: Summary`,
    '',
    '**The piece works end to end.**',
    '',
  ].join('\n');
}

function roadmapText(p: GenProject): string {
  const lines = ['# Roadmap: Generated', '', '## Phases', ''];
  for (const ph of p.phases) lines.push(`- [${ph.checked ? 'x' : ' '}] **Phase ${display(ph.id)}: ${ph.name}** - the ${ph.slug} work`);
  lines.push('', '## Phase Details', '');
  for (const ph of p.phases) {
    lines.push(`### Phase ${display(ph.id)}: ${ph.name}`, `**Goal**: ${ph.name} is finished`);
    if (ph.listedPlans !== null) lines.push(`**Plans**: ${ph.listedPlans} plans`);
    lines.push('');
  }
  lines.push('## Progress', '', '| Phase | Plans Complete | Status | Completed |', '|-------|----------------|--------|-----------|');
  for (const ph of p.phases) {
    if (ph.row) lines.push(`| ${display(ph.id)}. ${ph.name} | ${ph.row.done}/${ph.row.total} | ${ph.row.status} | - |`);
  }
  lines.push('');
  return lines.join('\n');
}

function stateText(p: GenProject): string {
  const s = p.state;
  const bar = '█'.repeat(s.filled) + '░'.repeat(10 - s.filled);
  return [
    '# Project State',
    '',
    '## Project Reference',
    '',
    'See: .planning/PROJECT.md (updated 2026-03-01)',
    '',
    '**Core value:** Generated projects stay consistent.',
    `**Current focus:** Phase ${s.phase}`,
    '',
    '## Current Position',
    '',
    `Phase: ${s.phase} of ${s.phaseTotal} (Generated)`,
    `Plan: ${s.plan} of ${s.planTotal} in current phase`,
    `Status: ${s.status}`,
    'Last activity: 2026-03-20 -- Finished a plan',
    '',
    `Progress: [${bar}] ${s.percent}%`,
    '',
    '## Performance Metrics',
    '',
    '**Velocity:**',
    `- Total plans completed: ${s.plansCompleted}`,
    `- Average duration: ${s.averageMinutes} min`,
    `- Total execution time: ${(s.plansCompleted * s.averageMinutes / 60).toFixed(1)} hours`,
    '',
    '## Accumulated Context',
    '',
    '### Decisions',
    '',
    ...(s.decisions.length ? s.decisions.map((d) => `- [Phase 1]: ${d}`) : ['None yet.']),
    '',
    '### Pending Todos',
    '',
    'None yet.',
    '',
    '### Blockers/Concerns',
    '',
    s.blocker ? `- ${s.blocker}` : 'None yet.',
    '',
    '## Session Continuity',
    '',
    'Last session: 2026-03-20 10:00',
    'Stopped at: Finished a plan',
    'Resume file: None',
    '',
  ].join('\n');
}

function filesOf(p: GenProject): Record<string, string> {
  const files: Record<string, string> = {
    '.planning/PROJECT.md': '# Generated\n\n## What This Is\n\nA generated project.\n\n## Core Value\n\nGenerated projects stay consistent.\n',
    '.planning/ROADMAP.md': roadmapText(p),
    '.planning/STATE.md': stateText(p),
  };
  for (const ph of p.phases) {
    const dir = `${ph.id}-${ph.slug}`;
    files[`.planning/phases/${dir}/.gitkeep`] = '';
    ph.plans.forEach((pl, i) => {
      const plan = `${ph.id}-${String(i + 1).padStart(2, '0')}`;
      files[`.planning/phases/${dir}/${plan}-PLAN.md`] = planText(dir, plan);
      if (pl.summary) files[`.planning/phases/${dir}/${plan}-SUMMARY.md`] = summaryText(dir, plan, pl.duration);
    });
  }
  return files;
}

async function withProject<T>(p: GenProject, body: (root: string) => Promise<T>): Promise<T> {
  const root = mkdtempSync(join(tmpdir(), 'cairn-prop-'));
  try {
    for (const [rel, content] of Object.entries(filesOf(p))) {
      const abs = join(root, rel);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, content);
    }
    return await body(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const abs = join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(abs).isDirectory()) walk(abs, r);
      else out.set(r, readFileSync(abs, 'latin1'));
    }
  };
  walk(root, '');
  return out;
}

const sync = (dir: string) =>
  runOperation({ dir, command: 'test', dryRun: false, importHistory: false, now: NOW, log: () => {} }, (ctx) => adopt(ctx.ws, ctx.now));

describe('derive() over generated projects', () => {
  it('keeps progress in range: 0 ≤ percent ≤ 100 (or null), done ≤ total for plans and phases', async () => {
    await fc.assert(
      fc.asyncProperty(projectArb, (p) =>
        withProject(p, async (root) => {
          const s = derive(await loadWorkspace(root), NOW);
          const { percent, plans, phases } = s.progress;
          if (percent !== null) {
            expect(percent).toBeGreaterThanOrEqual(0);
            expect(percent).toBeLessThanOrEqual(100);
          }
          expect(plans.done).toBeGreaterThanOrEqual(0);
          expect(plans.done).toBeLessThanOrEqual(plans.total);
          expect(phases.done).toBeGreaterThanOrEqual(0);
          expect(phases.done).toBeLessThanOrEqual(phases.total);
          // The generator's own truth: a phase marked complete ([x] or a Complete row) has every plan
          // done; any other phase has as many done as SUMMARY files on disk.
          for (const ph of p.phases) {
            const d = s.phases.find((x) => x.id === display(ph.id))!;
            if (explicitlyComplete(ph)) expect(d.plans.done).toBe(d.plans.total);
            else expect(d.plans.done).toBe(ph.plans.filter((pl) => pl.summary).length);
          }
          // Every generated phase is in the roadmap and in scope (no milestones, no backlog).
          expect(phases.total).toBe(p.phases.length);
          expect(s.progress.bar).toHaveLength(10);
        }),
      ),
      { numRuns: RUNS },
    );
  }, 60_000);

  it('is deterministic for a fixed `now` (two loads derive deep-equal states)', async () => {
    await fc.assert(
      fc.asyncProperty(projectArb, (p) =>
        withProject(p, async (root) => {
          const a = derive(await loadWorkspace(root), NOW);
          const b = derive(await loadWorkspace(root), NOW);
          expect(b).toEqual(a);
        }),
      ),
      { numRuns: RUNS },
    );
  }, 60_000);
});

describe('sync over generated projects', () => {
  it('is idempotent: a second sync writes nothing and the tree bytes stay identical', async () => {
    await fc.assert(
      fc.asyncProperty(projectArb, (p) =>
        withProject(p, async (root) => {
          await sync(root);
          const before = snapshot(root);
          const second = await sync(root);
          expect(second.files.map((f) => f.path)).toEqual([]);
          expect(snapshot(root)).toEqual(before);
        }),
      ),
      { numRuns: RUNS },
    );
  }, 60_000);

  it('leaves no state-drift for the checks to report', async () => {
    // The generated STATE.md numbers are random, so drift before sync must be common: otherwise
    // this property would hold vacuously.
    let driftedBefore = 0;
    await fc.assert(
      fc.asyncProperty(projectArb, (p) =>
        withProject(p, async (root) => {
          const ws0 = await loadWorkspace(root);
          if (runChecks(ws0, derive(ws0, NOW)).some((d) => d.rule === 'state-drift')) driftedBefore++;
          const first = await sync(root);
          expect(first.refused).toEqual([]);
          const ws = await loadWorkspace(root);
          const drift = runChecks(ws, derive(ws, NOW)).filter((d) => d.rule === 'state-drift');
          expect(drift.map((d) => `${d.field}: ${d.message}`)).toEqual([]);
        }),
      ),
      { numRuns: RUNS },
    );
    expect(driftedBefore).toBeGreaterThan(0);
  }, 60_000);
});

/**
 * Milestone-shaped projects: a shipped milestone archived under `milestones/v1.0-phases/` whose
 * numbering the active milestone restarts, phases marked `[x]` whose plans have no SUMMARY, and
 * placeholder plan lines (`NN-MM: TBD`). Whatever the mix, the invariants of the rules hold.
 */
interface GenActivePhase {
  files: boolean[];
  checked: boolean;
  placeholders: number;
}
const activePhaseArb: fc.Arbitrary<GenActivePhase> = fc.record({
  files: fc.array(fc.boolean(), { maxLength: 3 }),
  checked: fc.boolean(),
  placeholders: fc.nat({ max: 2 }),
});
const milestoneProjectArb = fc.record({
  archived: fc.integer({ min: 1, max: 4 }),
  active: fc.array(activePhaseArb, { minLength: 1, maxLength: 4 }),
});

function milestoneFiles(p: { archived: number; active: GenActivePhase[] }): Record<string, string> {
  const files: Record<string, string> = {};
  const lines = ['# Roadmap: Restarted', '', '## Phases', '', '<details>', '<summary>✅ v1.0 First (Phases 1-' + p.archived + ') - SHIPPED 2026-01-01</summary>', ''];
  for (let i = 1; i <= p.archived; i++) {
    lines.push(`- [x] Phase ${i}: Old ${i} (1/1 plan)`);
    const dir = `.planning/milestones/v1.0-phases/0${i}-old-${i}`;
    files[`${dir}/0${i}-01-PLAN.md`] = planText(`0${i}-old-${i}`, `0${i}-01`);
    files[`${dir}/0${i}-01-SUMMARY.md`] = summaryText(`0${i}-old-${i}`, `0${i}-01`, '5 min');
  }
  lines.push('', '</details>', '', '### 🚧 v2.0 Second (In Progress)', '');
  p.active.forEach((ph, k) => lines.push(`- [${ph.checked ? 'x' : ' '}] **Phase ${k + 1}: New ${k + 1}** - the new work`));
  lines.push('', '## Phase Details', '');
  p.active.forEach((ph, k) => {
    const n = k + 1;
    const dir = `0${n}-new-${n}`;
    lines.push(`### Phase ${n}: New ${n}`, `**Goal**: new ${n}`, '', 'Plans:');
    ph.files.forEach((summary, i) => {
      const plan = `0${n}-0${i + 1}`;
      lines.push(`- [ ] ${plan}: real work ${i + 1}`);
      files[`.planning/phases/${dir}/${plan}-PLAN.md`] = planText(dir, plan);
      if (summary) files[`.planning/phases/${dir}/${plan}-SUMMARY.md`] = summaryText(dir, plan, '10 min');
    });
    for (let j = 0; j < ph.placeholders; j++) lines.push(`- [ ] 0${n}-0${ph.files.length + j + 1}: TBD`);
    files[`.planning/phases/${dir}/.gitkeep`] = '';
    lines.push('');
  });
  files['.planning/ROADMAP.md'] = lines.join('\n');
  return files;
}

describe('derive() over milestone-shaped projects (restarted numbering, explicit completion, placeholders)', () => {
  it('every in-scope phase complete ⇔ 100 % (unless estimated); done ≤ total; the scope is the active milestone', async () => {
    await fc.assert(
      fc.asyncProperty(milestoneProjectArb, async (p) => {
        const root = mkdtempSync(join(tmpdir(), 'cairn-prop-ms-'));
        try {
          for (const [rel, content] of Object.entries(milestoneFiles(p))) {
            mkdirSync(dirname(join(root, rel)), { recursive: true });
            writeFileSync(join(root, rel), content);
          }
          const s = derive(await loadWorkspace(root), NOW);
          const { percent, plans, phases, estimated } = s.progress;
          expect(s.scope.milestone).toBe('v2.0');
          expect(s.phases.map((x) => x.id)).toEqual(p.active.map((_, k) => String(k + 1)));
          expect(plans.done).toBeLessThanOrEqual(plans.total);
          expect(phases.done).toBeLessThanOrEqual(phases.total);
          const allComplete = s.phases.every((x) => x.complete);
          if (!estimated) expect(allComplete).toBe(percent === 100 || (percent === null && plans.total === 0));
          if (allComplete) expect(s.position.status).toBe('milestone complete');
          p.active.forEach((ph, k) => {
            const d = s.phases[k]!;
            const total = ph.files.length + ph.placeholders;
            expect(d.plans.total).toBe(total);
            // Explicit completion makes every plan done, SUMMARY or not; otherwise SUMMARY files count.
            expect(d.plans.done).toBe(ph.checked ? total : ph.files.filter(Boolean).length);
            expect(d.estimated).toBe((!ph.checked && total === 0) || ph.placeholders > 0);
          });
          // Each [x] plan without a SUMMARY is reported where its SUMMARY belongs.
          const missing = s.diagnostics.filter((d) => d.rule === 'summary-missing').length;
          expect(missing).toBe(p.active.reduce((a, ph) => a + (ph.checked ? ph.files.filter((x) => !x).length + ph.placeholders : 0), 0));
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      }),
      { numRuns: RUNS * 2 },
    );
  }, 60_000);
});
