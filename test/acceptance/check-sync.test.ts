/**
 * Acceptance for `cairn check` and `cairn sync`, run through the built CLI: drift found in a real
 * STATE.md seed (with the right field, values and lines), drift in a hand-written phase tree found
 * and then fixed by `sync` (dry run first, idempotent second run), and a file that did not parse
 * cleanly left byte-for-byte alone.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { corpusSeeds, hasCorpus, walkFiles } from '../support/corpus.ts';
import { cairn, remove, tempProject } from '../support/cli.ts';

interface Diag {
  rule: string;
  severity: string;
  file: string;
  line: number;
  column: number;
  field?: string;
  written?: unknown;
  derived?: unknown;
}

const roots: string[] = [];
afterAll(() => roots.forEach(remove));

function project(files: Record<string, string | Uint8Array>): string {
  const root = tempProject(files);
  roots.push(root);
  return root;
}

function checkJson(root: string): { code: number; diagnostics: Diag[] } {
  const r = cairn(['check', root, '--json']);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  return { code: r.code, diagnostics: (JSON.parse(r.stdout) as { diagnostics: Diag[] }).diagnostics };
}

const drifts = (ds: Diag[]) => ds.filter((d) => d.rule === 'state-drift');

/** 1-based number of the only line of `text` that satisfies `test`. */
function lineOf(text: string, test: (line: string) => boolean): number {
  const hits = text.split('\n').flatMap((l, i) => (test(l) ? [i + 1] : []));
  expect(hits, 'the fixture line to look for must be unique').toHaveLength(1);
  return hits[0]!;
}

/** One hash over every path and byte under `root`, so any write, creation or deletion shows. */
function treeHash(root: string): string {
  const h = createHash('sha256');
  for (const p of [...walkFiles(root)].sort()) {
    h.update(p.slice(root.length));
    h.update('\0');
    h.update(readFileSync(p));
    h.update('\0');
  }
  return h.digest('hex');
}

const seed = (n: string) => corpusSeeds().find((s) => basename(s).startsWith(`${n}_`));

describe.skipIf(!hasCorpus())('check on the real STATE.md seeds', () => {
  it('seed 003: average duration and progress bar drift, with field, values, file and line', () => {
    const path = seed('003');
    expect(path, 'seed 003 is in the corpus').toBeDefined();
    const text = readFileSync(path!, 'utf8');
    const root = project({ '.planning/STATE.md': readFileSync(path!) });
    const { code, diagnostics } = checkJson(root);
    expect(code).toBe(1);
    const drift = drifts(diagnostics);

    const avg = drift.find((d) => d.field === 'velocity.averageMinutes');
    expect(avg).toMatchObject({
      severity: 'error',
      file: '.planning/STATE.md',
      written: '12 min',
      derived: 11,
      line: lineOf(text, (l) => /^- Average duration:\s*12 min\s*$/.test(l)),
    });

    const bar = drift.find((d) => d.field === 'progress.bar');
    expect(bar).toMatchObject({
      severity: 'error',
      file: '.planning/STATE.md',
      written: 4,
      derived: 3,
      line: lineOf(text, (l) => /^Progress:\s*\[[█░]+\]/.test(l)),
    });
  });

  it('seed 003 --format github: one ::error annotation per drift, with file and line', () => {
    const path = seed('003')!;
    const text = readFileSync(path, 'utf8');
    const root = project({ '.planning/STATE.md': readFileSync(path) });
    const r = cairn(['check', root, '--format', 'github']);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('::'));
    const avgLine = lineOf(text, (l) => /^- Average duration:/.test(l));
    const barLine = lineOf(text, (l) => /^Progress:\s*\[/.test(l));
    expect(lines.some((l) => l.startsWith(`::error file=.planning/STATE.md,line=${avgLine},`))).toBe(true);
    expect(lines.some((l) => l.startsWith(`::error file=.planning/STATE.md,line=${barLine},`))).toBe(true);
    // Every annotation is one well-formed workflow command.
    for (const l of lines) expect(l).toMatch(/^::(error|warning|notice) file=[^,:]+(,line=\d+,col=\d+)?,title=[^:]*::\S/);
  });

  for (const n of ['000', '001', '002']) {
    it(`seed ${n}: no drift on average, total execution time or percent`, () => {
      const path = seed(n);
      expect(path, `seed ${n} is in the corpus`).toBeDefined();
      const root = project({ '.planning/STATE.md': readFileSync(path!) });
      const { diagnostics } = checkJson(root);
      const flagged = drifts(diagnostics).filter((d) => ['velocity.averageMinutes', 'velocity.totalMinutes', 'progress.percent'].includes(d.field ?? ''));
      expect(flagged).toEqual([]);
    });
  }
});

// A hand-written three-phase project in GSD's classic layout. Phase 2 has all three plans summarised,
// but the ROADMAP progress row, the checkbox and STATE.md still describe it as in progress.
const plan = (phase: string, n: string, title: string) => `---
phase: ${phase}
plan: ${n}
type: execute
wave: 1
depends_on: []
autonomous: true
---

<objective>
${title}
</objective>

<tasks>
<task type="auto">
  <name>Task 1: ${title}</name>
  <action>Do the work.</action>
  <done>It works.</done>
</task>
</tasks>
`;

const summary = (phase: string, n: string, title: string, minutes: number, day: string) => `---
phase: ${phase}
plan: ${n}
subsystem: core
tags: [notes]
duration: ${minutes}min
completed: ${day}
---

# Phase ${phase} Plan ${n}: ${title} Summary

**${title} finished.**

## Performance

- **Duration:** ${minutes} min
- **Tasks:** 1
`;

const ROADMAP = `# Roadmap: Lantern

## Overview

Lantern is a small note keeper, built in three steps: a skeleton, storage, then search.

## Phases

- [x] **Phase 1: Skeleton** - Repository, build and a first command
- [ ] **Phase 2: Storage** - Notes kept on disk between runs
- [ ] **Phase 3: Search** - Find a note by any word in it

## Phase Details

### Phase 1: Skeleton
**Goal**: A command that starts and prints its version
**Depends on**: Nothing (first phase)
**Plans**: 2 plans

Plans:
- [x] 01-01-PLAN.md -- Repository layout and build
- [x] 01-02-PLAN.md -- Version command

### Phase 2: Storage
**Goal**: Notes survive a restart
**Depends on**: Phase 1
**Plans**: 3 plans

Plans:
- [x] 02-01-PLAN.md -- File format
- [x] 02-02-PLAN.md -- Writer
- [ ] 02-03-PLAN.md -- Reader

### Phase 3: Search
**Goal**: Any word finds its notes
**Depends on**: Phase 2
**Plans**: 2 plans

Plans:
- [ ] 03-01-PLAN.md -- Index
- [ ] 03-02-PLAN.md -- Query command

## Progress

| Phase | Plans Complete | Status | Completed |
|-------|----------------|--------|-----------|
| 1. Skeleton | 2/2 | Complete | 2026-01-10 |
| 2. Storage | 2/3 | In Progress | - |
| 3. Search | 0/2 | Not started | - |
`;

const STATE = `# Project State

## Project Reference

See: .planning/PROJECT.md (updated 2026-01-09)

**Core value:** A note written today can be found again next year
**Current focus:** Phase 2 - Storage

## Current Position

Phase: 2 of 3 (Storage)
Plan: 2 of 3 in current phase
Status: In progress
Last activity: 2026-01-12 - Completed 02-02-PLAN.md

Progress: [██████░░░░] 57%

## Performance Metrics

**Velocity:**
- Total plans completed: 4
- Average duration: 10 min
- Total execution time: 40 min

**By Phase:**

| Phase | Plans | Total | Avg/Plan |
|-------|-------|-------|----------|
| 01-skeleton | 2 | 20 min | 10 min |
| 02-storage | 2 | 20 min | 10 min |

## Accumulated Context

### Decisions

- [Phase 1]: Notes are plain files, not a database

### Pending Todos

None yet.

### Blockers/Concerns

None yet.

## Session Continuity

Last session: 2026-01-12
Stopped at: Completed 02-02-PLAN.md
Resume file: None
`;

const PROJECT = `# Lantern

## What This Is

A command-line note keeper.

## Core Value

A note written today can be found again next year.
`;

function lanternFiles(state: string | Uint8Array = STATE): Record<string, string | Uint8Array> {
  return {
    '.planning/PROJECT.md': PROJECT,
    '.planning/ROADMAP.md': ROADMAP,
    '.planning/STATE.md': state,
    '.planning/phases/01-skeleton/01-01-PLAN.md': plan('01-skeleton', '01', 'Repository layout and build'),
    '.planning/phases/01-skeleton/01-01-SUMMARY.md': summary('01-skeleton', '01', 'Repository layout and build', 12, '2026-01-09'),
    '.planning/phases/01-skeleton/01-02-PLAN.md': plan('01-skeleton', '02', 'Version command'),
    '.planning/phases/01-skeleton/01-02-SUMMARY.md': summary('01-skeleton', '02', 'Version command', 8, '2026-01-10'),
    '.planning/phases/02-storage/02-01-PLAN.md': plan('02-storage', '01', 'File format'),
    '.planning/phases/02-storage/02-01-SUMMARY.md': summary('02-storage', '01', 'File format', 10, '2026-01-11'),
    '.planning/phases/02-storage/02-02-PLAN.md': plan('02-storage', '02', 'Writer'),
    '.planning/phases/02-storage/02-02-SUMMARY.md': summary('02-storage', '02', 'Writer', 10, '2026-01-12'),
    '.planning/phases/02-storage/02-03-PLAN.md': plan('02-storage', '03', 'Reader'),
    '.planning/phases/02-storage/02-03-SUMMARY.md': summary('02-storage', '03', 'Reader', 14, '2026-01-13'),
    '.planning/phases/03-search/03-01-PLAN.md': plan('03-search', '01', 'Index'),
    '.planning/phases/03-search/03-02-PLAN.md': plan('03-search', '02', 'Query command'),
  };
}

describe('check and sync on a hand-written three-phase tree', () => {
  it('check finds the stale progress row; sync --dry-run shows it and writes nothing; sync fixes it, once', () => {
    const root = project(lanternFiles());
    const roadmapPath = join(root, '.planning/ROADMAP.md');
    const statePath = join(root, '.planning/STATE.md');
    const rowLine = lineOf(ROADMAP, (l) => l.startsWith('| 2. Storage |'));

    const before = checkJson(root);
    expect(before.code).toBe(1);
    const roadmapDrift = drifts(before.diagnostics).filter((d) => d.file === '.planning/ROADMAP.md');
    const onRow = roadmapDrift.filter((d) => d.line === rowLine);
    expect(onRow.map((d) => d.field).sort()).toEqual(['roadmap.progress[2].plans', 'roadmap.progress[2].status']);
    expect(onRow.find((d) => d.field === 'roadmap.progress[2].plans')).toMatchObject({ written: '2/3', derived: '3/3' });
    // The unchecked box of the finished phase is drift too.
    expect(roadmapDrift.some((d) => d.field === 'roadmap.phase[2].checked' && d.line === lineOf(ROADMAP, (l) => l.includes('**Phase 2: Storage**')))).toBe(true);
    // STATE.md still describes four finished plans.
    expect(drifts(before.diagnostics).some((d) => d.file === '.planning/STATE.md')).toBe(true);

    const pristine = treeHash(root);
    const dry = cairn(['sync', root, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^--- .*ROADMAP\.md$/m);
    expect(dry.stdout).toMatch(/^\+\+\+ .*ROADMAP\.md$/m);
    expect(dry.stdout).toMatch(/^-\| 2\. Storage \| 2\/3 \| In Progress \|/m);
    expect(dry.stdout).toMatch(/^\+\| 2\. Storage \| 3\/3 \| Complete/m);
    expect(dry.stdout).toMatch(/^-Progress: \[█{6}░{4}\] 57%/m);
    expect(treeHash(root), 'sync --dry-run wrote something').toBe(pristine);

    const first = cairn(['sync', root]);
    expect(first.code, first.stderr).toBe(0);
    const roadmap = readFileSync(roadmapPath, 'utf8');
    const row = roadmap.split('\n').find((l) => l.startsWith('| 2. Storage |'));
    expect(row).toMatch(/^\| 2\. Storage \| 3\/3 \| Complete \|/);
    expect(roadmap).toMatch(/^- \[x\] \*\*Phase 2: Storage\*\*/m);
    // Rows and boxes that were already right, and the prose around them, are untouched.
    expect(roadmap).toContain('| 1. Skeleton | 2/2 | Complete | 2026-01-10 |');
    expect(roadmap).toMatch(/^- \[ \] \*\*Phase 3: Search\*\*/m);
    expect(roadmap.slice(0, roadmap.indexOf('## Phases'))).toBe(ROADMAP.slice(0, ROADMAP.indexOf('## Phases')));

    const state = readFileSync(statePath, 'utf8');
    expect(state).not.toBe(STATE);
    expect(state).toMatch(/^- Total plans completed:\s*5\s*$/m);
    expect(state).toMatch(/^Progress: \[█{7}░{3}\] 71%/m);
    expect(state).toMatch(/^Phase: 3 of 3\b/m);
    expect(state).toContain('[Phase 1]: Notes are plain files, not a database');

    const after = checkJson(root);
    expect(drifts(after.diagnostics)).toEqual([]);

    const synced = treeHash(root);
    const second = cairn(['sync', root]);
    expect(second.code, second.stderr).toBe(0);
    expect(treeHash(root), 'the second sync changed a byte').toBe(synced);
  });
});

describe('sync leaves a file that did not parse cleanly alone', () => {
  it('STATE.md with invalid UTF-8: exit 3, named on stderr, bytes unchanged', () => {
    const good = Buffer.from(STATE, 'utf8');
    const at = good.indexOf(Buffer.from('None yet.'));
    // A lone continuation byte and a truncated two-byte sequence: neither is valid UTF-8.
    const bad = Buffer.concat([good.subarray(0, at), Buffer.from([0x80, 0x4e, 0xc3]), good.subarray(at)]);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bad)).toThrow();
    const root = project(lanternFiles(bad));
    const statePath = join(root, '.planning/STATE.md');

    const r = cairn(['sync', root]);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('.planning/STATE.md');
    expect(Buffer.compare(readFileSync(statePath), bad)).toBe(0);
  });
});
