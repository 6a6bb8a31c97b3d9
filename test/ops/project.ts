import { afterAll } from 'vitest';
import { releaseBin } from './cli.ts';
import { loadWorkspace } from '../../src/workspace/index.ts';
import { derive } from '../../src/derive/index.ts';
import { runOperation, type Context } from '../../src/ops/run.ts';
import type { Change } from '../../src/ops/change.ts';
/**
 * A small GSD project written for the operation tests (hand-made, modelled on the corpus
 * variants): PROJECT, ROADMAP with two phases, STATE with every owned section, plans of which one
 * is summarised. `plans` sets how many PLAN files phase 2 gets (the concurrency tests want many).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { remove, tempProject } from '../support/cli.ts';

export function planFile(phaseDir: string, plan: string, wave = 1): string {
  return ['---', `phase: ${phaseDir}`, `plan: ${plan}`, 'type: execute', `wave: ${wave}`, 'depends_on: []', 'files_modified: []', 'autonomous: true', '---', '', '<objective>', `Plan ${plan} of ${phaseDir}.`, '</objective>', ''].join('\n');
}

export function filledSummary(phaseDir: string, plan: string, extraFrontmatter: string[] = []): string {
  return [
    '---',
    `phase: ${phaseDir}`,
    `plan: ${plan}`,
    'subsystem: api',
    'tags: [http]',
    ...extraFrontmatter,
    '---',
    '',
    `# Phase ${phaseDir} Plan ${plan}: Summary`,
    '',
    '**Routes answer with JSON and a request id.**',
    '',
    '## Accomplishments',
    '',
    '- Handler written and tested',
    '',
  ].join('\n');
}

export function templateSummary(phaseDir: string, plan: string): string {
  return [
    '---',
    `phase: ${phaseDir}`,
    `plan: ${plan}`,
    'duration: [X] min',
    'completed: YYYY-MM-DD',
    '---',
    '',
    `# Phase ${phaseDir} Plan ${plan}: [Name] Summary`,
    '',
    '**[Substantive one-liner]**',
    '',
    '## Performance',
    '',
    '- **Duration:** [time]',
    '- **Tasks:** [count]',
    '',
  ].join('\n');
}

export const STATE = `# Project State

## Project Reference

See: .planning/PROJECT.md (updated 2026-03-01)

**Core value:** Every request answers in under 100 ms.
**Current focus:** Phase 1 - Setup

## Current Position

Phase: 1 of 2 (Setup)
Plan: 1 of 2 in current phase
Status: In progress
Last activity: 2026-03-01 -- Finished 01-01

Progress: [███░░░░░░░] 25%

## Performance Metrics

**Velocity:**
- Total plans completed: 1
- Average duration: 10 min
- Total execution time: 10 min

## Accumulated Context

### Decisions

- [Roadmap]: Two phases: setup, then the API

### Pending Todos

None yet.

### Blockers/Concerns

None yet.

## Session Continuity

Last session: 2026-03-01 10:00
Stopped at: Finished 01-01
Resume file: None
`;

export interface ProjectOptions {
  /** PLAN files in phase 2 (02-01 …). */
  plans?: number;
  extra?: Record<string, string | Uint8Array>;
}

export function makeProject(opts: ProjectOptions = {}): string {
  const n = opts.plans ?? 3;
  const phase2: Record<string, string> = {};
  for (let i = 1; i <= n; i++) {
    const id = `02-${String(i).padStart(2, '0')}`;
    phase2[`.planning/phases/02-api/${id}-PLAN.md`] = planFile('02-api', id);
  }
  return tempProject({
    '.planning/PROJECT.md': '# Fastpath\n\n## What This Is\n\nA small HTTP API.\n\n## Core Value\n\nEvery request answers in under 100 ms.\n',
    '.planning/ROADMAP.md': [
      '# Roadmap: Fastpath',
      '',
      '## Phases',
      '',
      '- [ ] **Phase 1: Setup** - repository and CI',
      '- [ ] **Phase 2: API** - the routes',
      '',
      '## Phase Details',
      '',
      '### Phase 1: Setup',
      '**Goal**: The repository builds and tests in CI',
      '**Plans**: 2 plans',
      '',
      '### Phase 2: API',
      '**Goal**: Every route answers',
      '**Depends on**: Phase 1',
      `**Plans**: ${n} plans`,
      '',
    ].join('\n'),
    '.planning/STATE.md': STATE,
    '.planning/phases/01-setup/01-01-PLAN.md': planFile('01-setup', '01-01'),
    '.planning/phases/01-setup/01-01-SUMMARY.md': filledSummary('01-setup', '01-01', ['duration: 10min', 'completed: 2026-03-01']),
    '.planning/phases/01-setup/01-02-PLAN.md': planFile('01-setup', '01-02'),
    ...phase2,
    ...opts.extra,
  });
}

/** One hash over every file (path and bytes) under `root`: equal before/after ⇔ nothing changed. */
export function treeHash(root: string): string {
  const h = createHash('sha256');
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const abs = join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(abs).isDirectory()) walk(abs, r);
      else h.update(`${r}\0`).update(readFileSync(abs)).update('\0');
    }
  };
  walk(root, '');
  return h.digest('hex');
}

/**
 * The ledger's events. Every operation first imports the history STATE.md holds (source "adopt"),
 * so by default those are left out and a test sees only what its own operation recorded.
 */
export function ledgerLines(root: string, opts: { withImported?: boolean } = {}): Record<string, unknown>[] {
  let text = '';
  try {
    text = readFileSync(join(root, '.planning/events.jsonl'), 'utf8');
  } catch {
    return [];
  }
  const all = text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
  return opts.withImported ? all : all.filter((e) => e.source !== 'adopt');
}


/** The fixed engine clock of the operation tests. */
export const NOW = new Date('2026-03-10T09:00:00.000Z');

/** The context an operation sees, loaded from `dir` at NOW. */
export async function ctxOf(dir: string): Promise<Context> {
  const ws = await loadWorkspace(dir);
  return { root: ws.root, now: NOW, ws, state: derive(ws, NOW) };
}

/** Runs a decision through the real applier (lock, transaction, views) at NOW. */
export function apply(root: string, decide: (ctx: Context) => Change) {
  return runOperation({ dir: root, command: 'test', dryRun: false, now: NOW, log: () => {} }, decide);
}

/** Cleanup for one test file: its temp projects and its private copy of the CLI go when it ends. */
export function projectsForThisFile(): { project: (extra?: Record<string, string>) => string; track: (root: string) => string } {
  const roots: string[] = [];
  afterAll(() => {
    roots.forEach(remove);
    releaseBin();
  });
  const track = (root: string) => {
    roots.push(root);
    return root;
  };
  return { project: (extra = {}) => track(makeProject({ extra })), track };
}

export { remove };
