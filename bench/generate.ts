/**
 * Writes a synthetic GSD project for load benchmarks: ROADMAP with every phase and a progress table,
 * a classic STATE.md whose numbers agree with the files, PLAN files with realistic frontmatter and
 * SUMMARY files (with `duration` and `completed`) for the first ~60 % of plans in roadmap order, as a
 * project part-way through its work would have. The same seed always gives byte-identical files.
 *
 * CLI: node --import tsx bench/generate.ts <dir> [phases] [plansPerPhase] [seed]
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mulberry32 } from '../src/model/random.ts';

export interface GenerateOptions {
  phases: number;
  plansPerPhase: number;
  seed?: number;
  /** Share of plans (in roadmap order) that have a SUMMARY. Default 0.6. */
  doneRatio?: number;
  /** Pending todo files to write. Default 3. */
  todos?: number;
}

export interface GeneratedProject {
  root: string;
  phases: number;
  plans: number;
  summaries: number;
  files: number;
  bytes: number;
}

/** The benchmark's default size. */
export const BENCH_SIZE = { phases: 2000, plansPerPhase: 10 } as const;

const AREAS = [
  'auth', 'billing', 'cache', 'search', 'export', 'import', 'sync', 'audit', 'reports', 'onboarding',
  'settings', 'profile', 'uploads', 'queue', 'scheduler', 'metrics', 'alerts', 'themes', 'offline', 'i18n',
  'payments', 'webhooks', 'api', 'cli', 'docs', 'storage', 'backup', 'sharing', 'comments', 'tags',
];
const ASPECTS = [
  'core', 'ui', 'fixes', 'polish', 'hardening', 'migration', 'redesign', 'pipeline', 'flow', 'limits',
  'retries', 'permissions', 'caching', 'validation', 'telemetry', 'rollout',
];
const VERBS = ['Add', 'Wire', 'Refactor', 'Harden', 'Test', 'Document', 'Split', 'Cache', 'Validate', 'Migrate'];
const OBJECTS = [
  'the store adapter', 'the request handler', 'the settings form', 'the background job', 'the schema',
  'the list view', 'the error mapping', 'the retry policy', 'the index', 'the feature flag',
];


interface PlanModel {
  id: string;
  number: number;
  wave: number;
  dependsOn: string[];
  files: string[];
  requirement: string;
  autonomous: boolean;
  type: 'execute' | 'tdd';
  title: string;
  done: boolean;
  seconds: number;
  durationText: string;
  started: Date;
  completed: Date;
  decision: string;
}

interface PhaseModel {
  number: number;
  padded: string;
  slug: string;
  dir: string;
  name: string;
  goal: string;
  requirements: string[];
  plans: PlanModel[];
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const isoDate = (d: Date) => d.toISOString().slice(0, 10);
const title = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function buildModel(options: Required<GenerateOptions>): PhaseModel[] {
  const rand = mulberry32(options.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const totalPlans = options.phases * options.plansPerPhase;
  const doneCount = Math.round(totalPlans * options.doneRatio);
  // The project clock starts on a fixed date so that output depends only on the seed.
  let clock = Date.UTC(2025, 0, 6, 9, 0, 0);
  let planIndex = 0;
  let reqIndex = 0;
  const phases: PhaseModel[] = [];
  for (let n = 1; n <= options.phases; n++) {
    const area = pick(AREAS);
    const aspect = pick(ASPECTS);
    const padded = pad2(n);
    const slug = `${area}-${aspect}`;
    const requirements = Array.from({ length: 1 + Math.floor(rand() * 2) }, () => `REQ-${String(++reqIndex).padStart(4, '0')}`);
    const phase: PhaseModel = {
      number: n, padded, slug, dir: `${padded}-${slug}`, name: `${title(area)} ${title(aspect)}`,
      goal: `Users can rely on ${area} ${aspect} without manual steps`, requirements, plans: [],
    };
    for (let k = 1; k <= options.plansPerPhase; k++) {
      const id = `${padded}-${pad2(k)}`;
      const dependsOn: string[] = [];
      let wave = 1;
      if (k > 1 && rand() < 0.55) {
        const dep = phase.plans[Math.floor(rand() * phase.plans.length)]!;
        dependsOn.push(dep.id);
        wave = dep.wave + 1;
      }
      const fileCount = 1 + Math.floor(rand() * 4);
      const files = Array.from({ length: fileCount }, (_, i) => `src/${area}/${pick(ASPECTS)}-${k}${i === 0 ? '' : `-${i}`}.ts`);
      const minutes = 3 + Math.floor(rand() * rand() * 45);
      const form = rand();
      const extraSeconds = form >= 0.9 ? Math.floor(rand() * 60) : 0;
      const seconds = minutes * 60 + extraSeconds;
      const durationText = form < 0.7 ? `${minutes}min` : form < 0.9 ? `${minutes} min` : `${minutes}m ${extraSeconds}s`;
      const done = planIndex < doneCount;
      const started = new Date(clock);
      const completed = new Date(clock + seconds * 1000);
      if (done) clock = completed.getTime() + (20 + Math.floor(rand() * 240)) * 60_000;
      phase.plans.push({
        id, number: k, wave, dependsOn, files, requirement: pick(requirements), autonomous: rand() < 0.9,
        type: rand() < 0.1 ? 'tdd' : 'execute', title: `${pick(VERBS)} ${pick(OBJECTS)}`, done, seconds, durationText,
        started, completed, decision: `${pick(VERBS)} ${pick(OBJECTS)} behind one ${area} module`,
      });
      planIndex++;
    }
    phases.push(phase);
  }
  return phases;
}

function planFile(phase: PhaseModel, plan: PlanModel): string {
  const deps = plan.dependsOn.map((d) => `"${d}"`).join(', ');
  return `---
phase: ${phase.dir}
plan: ${pad2(plan.number)}
type: ${plan.type}
wave: ${plan.wave}
depends_on: [${deps}]
files_modified:
${plan.files.map((f) => `  - ${f}`).join('\n')}
requirements: [${plan.requirement}]
autonomous: ${plan.autonomous}
must_haves:
  truths:
    - "${plan.title} works end to end"
  artifacts:
    - path: "${plan.files[0]}"
      provides: "${plan.title}"
---

<objective>
${plan.title} for ${phase.name}.

Purpose: part of ${phase.requirements.join(', ')}.
Output: ${plan.files.join(', ')}
</objective>

<context>
@.planning/ROADMAP.md
@.planning/STATE.md
</context>

<tasks>

<task type="auto">
  <name>Task 1: ${plan.title}</name>
  <files>${plan.files[0]}</files>
  <action>Implement the change and keep the public interface stable.</action>
  <verify>npm test</verify>
  <done>Tests pass</done>
</task>

<task type="${plan.autonomous ? 'auto' : 'checkpoint:human-verify'}">
  <name>Task 2: Check ${phase.name.toLowerCase()}</name>
  <files>${plan.files.at(-1)}</files>
  <action>Cover the new behaviour with a test.</action>
  <verify>npm test</verify>
  <done>New test fails before the change and passes after</done>
</task>

</tasks>

<verification>
npm test passes.
</verification>

<output>
After completion, create \`.planning/phases/${phase.dir}/${plan.id}-SUMMARY.md\`
</output>
`;
}

function summaryFile(phase: PhaseModel, plan: PlanModel): string {
  return `---
phase: ${phase.dir}
plan: ${pad2(plan.number)}
subsystem: ${phase.slug.split('-')[0]}
tags: [${phase.slug.split('-').join(', ')}]

requires: []
provides:
  - "${plan.title}"
affects: [${phase.dir}]

key-files:
  created:
${plan.files.map((f) => `    - ${f}`).join('\n')}
  modified: []

key-decisions:
  - "${plan.decision}"

requirements-completed: [${plan.requirement}]

duration: ${plan.durationText}
completed: ${isoDate(plan.completed)}
---

# Phase ${phase.number} Plan ${plan.number}: ${plan.title} Summary

**${plan.title} for ${phase.name.toLowerCase()}, with tests**

## Performance

- **Duration:** ${plan.durationText}
- **Started:** ${plan.started.toISOString().replace('.000', '')}
- **Completed:** ${plan.completed.toISOString().replace('.000', '')}
- **Tasks:** 2
- **Files modified:** ${plan.files.length}

## Accomplishments

- ${plan.title}
- Tests for the new behaviour

## Decisions Made

- ${plan.decision}

## Deviations from Plan

None - plan executed exactly as written.
`;
}

function roadmapFile(phases: PhaseModel[]): string {
  const out: string[] = ['# Roadmap: Synthetic Project', '', '## Overview', '', `A generated project with ${phases.length} phases for load benchmarks.`, '', '## Phases', ''];
  const doneDate = (p: PhaseModel) => (p.plans.every((x) => x.done) ? isoDate(p.plans.at(-1)!.completed) : null);
  for (const p of phases) {
    const date = doneDate(p);
    out.push(`- [${date ? 'x' : ' '}] **Phase ${p.number}: ${p.name}** - ${p.goal}${date ? ` (completed ${date})` : ''}`);
  }
  out.push('', '## Phase Details', '');
  for (const p of phases) {
    out.push(
      `### Phase ${p.number}: ${p.name}`,
      `**Goal**: ${p.goal}`,
      `**Depends on**: ${p.number === 1 ? 'Nothing (first phase)' : `Phase ${p.number - 1}`}`,
      `**Requirements**: ${p.requirements.join(', ')}`,
      '**Success Criteria** (what must be TRUE):',
      `  1. ${p.name} is covered by tests`,
      `  2. No regression in phase ${p.number === 1 ? 1 : p.number - 1} behaviour`,
      `**Plans**: ${p.plans.length} plan${p.plans.length === 1 ? '' : 's'}`,
      '',
      'Plans:',
      ...p.plans.map((x) => `- [${x.done ? 'x' : ' '}] ${x.id}-PLAN.md — ${x.title}`),
      '',
    );
  }
  out.push('## Progress', '', '| Phase | Plans Complete | Status | Completed |', '|-------|----------------|--------|-----------|');
  for (const p of phases) {
    const done = p.plans.filter((x) => x.done).length;
    const date = doneDate(p);
    const status = date ? 'Complete' : done > 0 ? 'In progress' : 'Not started';
    out.push(`| ${p.number}. ${p.name} | ${done}/${p.plans.length} | ${status} | ${date ?? '-'} |`);
  }
  return `${out.join('\n')}\n`;
}

function stateFile(phases: PhaseModel[], todos: string[]): string {
  const all = phases.flatMap((p) => p.plans.map((plan) => ({ phase: p, plan })));
  const done = all.filter((x) => x.plan.done);
  const percent = all.length === 0 ? 0 : Math.round((100 * done.length) / all.length);
  const filled = Math.round(percent / 10);
  const current = phases.find((p) => p.plans.some((x) => !x.done)) ?? phases.at(-1);
  const inCurrent = current ? current.plans.filter((x) => x.done).length : 0;
  const last = done.at(-1);
  const totalSeconds = done.reduce((s, x) => s + x.plan.seconds, 0);
  const minutes = done.map((x) => x.plan.seconds / 60);
  const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
  let trend = 'Not enough data';
  if (minutes.length >= 6) {
    const change = mean(minutes.slice(-5)) / mean(minutes.slice(-10, -5)) - 1;
    trend = change < -0.15 ? 'Improving' : change > 0.15 ? 'Degrading' : 'Stable';
  }
  // Only the phases worked on most recently, as a hand-kept STATE.md would show.
  const recentPhases = phases.filter((p) => p.plans.some((x) => x.done)).slice(-5);
  const status = !current ? 'Ready to plan' : !last ? 'Ready to execute' : current.plans.every((x) => x.done) ? 'Milestone complete' : inCurrent > 0 ? 'In progress' : 'Ready to execute';
  return `# Project State

## Project Reference

See: .planning/PROJECT.md (updated ${last ? isoDate(last.plan.completed) : '2025-01-06'})

**Core value:** Synthetic data that loads like a real project.
**Current focus:** ${current ? `Phase ${current.number} — ${current.name}` : 'Nothing planned'}

## Current Position

Phase: ${current ? `${current.number} of ${phases.length} (${current.name})` : `0 of ${phases.length}`}
Plan: ${inCurrent} of ${current?.plans.length ?? 0} in current phase
Status: ${status}
Last activity: ${last ? `${isoDate(last.plan.completed)} — Completed ${last.plan.id}-PLAN.md` : '2025-01-06 — Project created'}

Progress: [${'█'.repeat(filled)}${'░'.repeat(10 - filled)}] ${percent}%

## Performance Metrics

**Velocity:**
- Total plans completed: ${done.length}
- Average duration: ${done.length ? Math.round(totalSeconds / 60 / done.length) : 0} min
- Total execution time: ${(totalSeconds / 3600).toFixed(1)} hours

**By Phase:**

| Phase | Plans | Total | Avg/Plan |
|-------|-------|-------|----------|
${recentPhases
  .map((p) => {
    const ps = p.plans.filter((x) => x.done);
    const sum = ps.reduce((s, x) => s + x.seconds, 0) / 60;
    return `| ${p.dir} | ${ps.length} | ${Math.round(sum)} min | ${Math.round(sum / ps.length)} min |`;
  })
  .join('\n')}

**Recent Trend:**
- Last 5 plans: ${done.slice(-5).map((x) => x.plan.durationText).join(', ') || 'none'}
- Trend: ${trend}

*Updated after each plan completion*

## Accumulated Context

### Decisions

${done.slice(-5).map((x) => `- [${x.plan.id}]: ${x.plan.decision}`).join('\n') || 'None yet.'}

### Pending Todos

${todos.map((t) => `- ${t}`).join('\n') || 'None yet.'}

### Blockers/Concerns

None yet.

## Session Continuity

Last session: ${last ? `${isoDate(last.plan.completed)} ${last.plan.completed.toISOString().slice(11, 16)}` : '2025-01-06 09:00'}
Stopped at: ${last ? `Completed ${last.plan.id}-PLAN.md` : 'Project created'}
Resume file: None
`;
}

function todoFile(i: number, area: string, created: Date): { name: string; title: string; text: string } {
  const todoTitle = `Follow up on ${area} edge case ${i + 1}`;
  return {
    name: `${isoDate(created)}-${area}-edge-case-${i + 1}.md`,
    title: todoTitle,
    text: `---\ncreated: ${created.toISOString().slice(0, 16)}\ntitle: ${todoTitle}\narea: ${area}\nfiles: []\n---\n\n## Problem\n\nEdge case in ${area} seen during execution and left for later.\n\n## Solution\n\nTBD\n`,
  };
}

/** Writes `<dir>/.planning/…`; refuses to write into an existing `.planning/`. */
export async function generateProject(dir: string, options: GenerateOptions): Promise<GeneratedProject> {
  const opts: Required<GenerateOptions> = { seed: 1, doneRatio: 0.6, todos: 3, ...options };
  if (!Number.isInteger(opts.phases) || opts.phases < 1 || !Number.isInteger(opts.plansPerPhase) || opts.plansPerPhase < 1) {
    throw new RangeError(`phases and plansPerPhase must be positive integers (got ${opts.phases} × ${opts.plansPerPhase})`);
  }
  const root = resolve(dir);
  const planning = join(root, '.planning');
  if (existsSync(planning)) throw new Error(`${planning} already exists; generate into an empty folder`);

  const phases = buildModel(opts);
  const lastDone = phases.flatMap((p) => p.plans).filter((p) => p.done).at(-1);
  const todos = Array.from({ length: opts.todos }, (_, i) =>
    todoFile(i, phases[i % phases.length]!.slug.split('-')[0]!, new Date((lastDone?.completed.getTime() ?? Date.UTC(2025, 0, 6)) - (i + 1) * 3_600_000)),
  );
  const files: [string, string][] = [
    ['PROJECT.md', `# Synthetic Project\n\n## What This Is\n\nA generated project for benchmarks.\n\n## Core Value\n\nSynthetic data that loads like a real project.\n\n## Requirements\n\n### Active\n\n- [ ] Everything in ROADMAP.md\n\n## Key Decisions\n\n| Decision | Rationale | Outcome |\n|----------|-----------|---------|\n| Generate instead of copy | Size on demand | ✓ Good |\n\n---\n*Last updated: 2025-01-06 after generation*\n`],
    ['ROADMAP.md', roadmapFile(phases)],
    ['STATE.md', stateFile(phases, todos.map((t) => `${t.title} (see todos/pending/${t.name})`))],
    ...todos.map((t): [string, string] => [`todos/pending/${t.name}`, t.text]),
  ];
  for (const p of phases) {
    for (const plan of p.plans) {
      files.push([`phases/${p.dir}/${plan.id}-PLAN.md`, planFile(p, plan)]);
      if (plan.done) files.push([`phases/${p.dir}/${plan.id}-SUMMARY.md`, summaryFile(p, plan)]);
    }
  }

  await mkdir(join(planning, 'todos/pending'), { recursive: true });
  for (const p of phases) await mkdir(join(planning, 'phases', p.dir), { recursive: true });
  // A bounded pool: tens of thousands of concurrent writes would exhaust file descriptors.
  let next = 0;
  let bytes = 0;
  const worker = async () => {
    while (next < files.length) {
      const [rel, text] = files[next++]!;
      bytes += Buffer.byteLength(text);
      await writeFile(join(planning, rel), text);
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));

  const plans = phases.reduce((s, p) => s + p.plans.length, 0);
  const summaries = phases.reduce((s, p) => s + p.plans.filter((x) => x.done).length, 0);
  return { root, phases: phases.length, plans, summaries, files: files.length, bytes };
}

async function cli(argv: string[]): Promise<number> {
  const [dir, phasesArg, plansArg, seedArg] = argv;
  if (!dir || dir === '--help' || dir === '-h') {
    process.stderr.write('Usage: node --import tsx bench/generate.ts <dir> [phases=2000] [plansPerPhase=10] [seed=1]\n');
    return dir ? 0 : 2;
  }
  const num = (s: string | undefined, fallback: number) => (s === undefined ? fallback : Number(s));
  const started = performance.now();
  const result = await generateProject(dir, {
    phases: num(phasesArg, BENCH_SIZE.phases),
    plansPerPhase: num(plansArg, BENCH_SIZE.plansPerPhase),
    seed: num(seedArg, 1),
  });
  const ms = Math.round(performance.now() - started);
  process.stdout.write(
    `${result.root}: ${result.phases} phases, ${result.plans} plans, ${result.summaries} summaries, ` +
      `${result.files} files, ${(result.bytes / 1e6).toFixed(1)} MB in ${ms} ms\n`,
  );
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  cli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`generate: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(2);
    },
  );
}
