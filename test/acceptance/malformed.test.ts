/**
 * Acceptance: malformed input never crashes the CLI. Each case is a small temp project; `status
 * --json` and `check --json` must answer with their documented exit codes (status 0; check 1 when an
 * error diagnostic exists, else 0), never a stack trace or exit 70, and diagnostics point at a line
 * whenever the problem sits on one.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync, symlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { corpusSeeds, hasCorpus } from '../support/corpus.ts';
import { cairn, remove, tempProject } from '../support/cli.ts';

interface Diag { rule: string; severity: string; file: string; line: number; column: number; message: string }
interface Status { phases: { id: string | null; name: string }[]; diagnostics?: Diag[]; [k: string]: unknown }

const roots: string[] = [];
afterAll(() => roots.forEach(remove));

function project(files: Record<string, string | Uint8Array>): string {
  const root = tempProject(files);
  roots.push(root);
  return root;
}

function noCrash(r: { code: number; stderr: string }): void {
  expect(r.code, r.stderr).not.toBe(70);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at \S+ \(/);
}

/** Runs both commands and checks what holds for every malformed project. */
function inspect(root: string): { status: Status; diagnostics: Diag[]; checkCode: number } {
  const s = cairn(['status', root, '--json']);
  noCrash(s);
  expect(s.code, s.stderr).toBe(0);
  const status = JSON.parse(s.stdout) as Status;

  const c = cairn(['check', root, '--json']);
  noCrash(c);
  const diagnostics = (JSON.parse(c.stdout) as { diagnostics: Diag[] }).diagnostics;
  expect(c.code, c.stdout).toBe(diagnostics.some((d) => d.severity === 'error') ? 1 : 0);
  for (const d of diagnostics) {
    expect(Number.isInteger(d.line) && d.line >= 0, `${d.rule} line ${d.line}`).toBe(true);
    expect(d.file).not.toMatch(/^\/|\\/);
    expect(d.message.length).toBeGreaterThan(0);
  }
  return { status, diagnostics, checkCode: c.code };
}

function withoutRoot(s: Status): Omit<Status, 'root'> {
  const { root: _root, ...rest } = s;
  return rest;
}

const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

const PROJECT = `# Lanternfish

## What This Is

A tide-table app for small harbours.

## Core Value

Tomorrow's tides, offline.
`;

const ROADMAP = `# Roadmap: Lanternfish

## Phases

- [x] **Phase 1: Foundation** - data model and storage
- [ ] **Phase 2: Tables** - tide tables per harbour

## Phase Details

### Phase 1: Foundation
**Goal**: Store harbour data locally
**Plans**: 1 plan

Plans:
- [x] 01-01: Harbour schema

### Phase 2: Tables
**Goal**: Show a week of tides
**Plans**: 2 plans

Plans:
- [x] 02-01: Tide computation
- [ ] 02-02: Table screen

## Progress

| Phase | Plans Complete | Status | Completed |
|-------|----------------|--------|-----------|
| 1. Foundation | 1/1 | Complete | 2026-03-02 |
| 2. Tables | 1/2 | In progress | - |
`;

const STATE = `# Project State

## Project Reference

See: .planning/PROJECT.md

**Core value:** Tomorrow's tides, offline.
**Current focus:** Phase 2 - Tables

## Current Position

Phase: 2 of 2 (Tables)
Plan: 1 of 2 in current phase
Status: In progress
Last activity: 2026-03-04 - Completed 02-01-PLAN.md

Progress: [███████░░░] 67%

## Performance Metrics

**Velocity:**
- Total plans completed: 2
- Average duration: 10 min
- Total execution time: 20 min

## Accumulated Context

### Decisions

- [01-01]: Harbour ids are ISO port codes - stable across data vendors
- [02-01]: Harmonic constants cached per harbour - recomputing is slow on old phones

### Pending Todos

- Add a dark theme for night fishing

### Blockers/Concerns

- Vendor licence for the Norwegian harbours is unsigned
- [x] Timezone data for Faroe harbours (resolved: bundled tzdata)

## Session Continuity

Last session: 2026-03-04
Stopped at: Completed 02-01-PLAN.md
Resume file: None
`;

const PLAN = (phase: string, plan: string) => `---
phase: ${phase}
plan: ${plan}
type: execute
wave: 1
depends_on: []
files_modified: []
autonomous: true
---

<objective>
Build the piece this plan names.
</objective>

<tasks>
<task type="auto">
  <name>Task 1: Do it</name>
  <action>Write the code.</action>
</task>
</tasks>
`;

const SUMMARY = (phase: string, plan: string) => `---
phase: ${phase}
plan: ${plan}
duration: 10min
completed: 2026-03-02
---

# Phase ${phase} Plan ${plan} Summary

Done.
`;

/** A healthy two-phase project; cases override or add files. */
function base(extra: Record<string, string | Uint8Array> = {}): Record<string, string | Uint8Array> {
  return {
    '.planning/PROJECT.md': PROJECT,
    '.planning/ROADMAP.md': ROADMAP,
    '.planning/STATE.md': STATE,
    '.planning/phases/01-foundation/01-01-PLAN.md': PLAN('01-foundation', '01'),
    '.planning/phases/01-foundation/01-01-SUMMARY.md': SUMMARY('01-foundation', '01'),
    '.planning/phases/02-tables/02-01-PLAN.md': PLAN('02-tables', '01'),
    '.planning/phases/02-tables/02-01-SUMMARY.md': SUMMARY('02-tables', '01'),
    '.planning/phases/02-tables/02-02-PLAN.md': PLAN('02-tables', '02'),
    ...extra,
  };
}

describe('malformed input', () => {
  it('the healthy base project passes check', () => {
    const { diagnostics, checkCode } = inspect(project(base()));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(checkCode).toBe(0);
  });

  it('an empty STATE.md', () => {
    const { status } = inspect(project(base({ '.planning/STATE.md': '' })));
    expect(status.phases.map((p) => p.id)).toEqual(['1', '2']);
  });

  it('a STATE.md of binary bytes with NUL is an error, not a crash', () => {
    // The opening of a PNG: NUL bytes and bytes that are not UTF-8.
    const bytes = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0xff, 0xfe, 0, 0x80, 0xc3]);
    const { diagnostics, checkCode } = inspect(project(base({ '.planning/STATE.md': bytes })));
    const hit = diagnostics.find((d) => d.file === '.planning/STATE.md' && d.severity === 'error' && /lossless|binary|encoding|utf/i.test(d.rule));
    expect(hit, JSON.stringify(diagnostics)).toBeDefined();
    expect(checkCode).toBe(1);
  });

  it('unterminated frontmatter in a PLAN file is reported on its line', () => {
    const broken = PLAN('02-tables', '02').replace('autonomous: true\n---\n', () => 'autonomous: true\n');
    const { diagnostics } = inspect(project(base({ '.planning/phases/02-tables/02-02-PLAN.md': broken })));
    const hit = diagnostics.find((d) => d.rule === 'frontmatter-unterminated');
    expect(hit, JSON.stringify(diagnostics)).toBeDefined();
    expect(hit!.file).toBe('.planning/phases/02-tables/02-02-PLAN.md');
    // The `---` that opens and never closes is on line 1.
    expect(hit!.line).toBe(1);
  });

  it('a ROADMAP progress table with ragged rows', () => {
    const ragged = ROADMAP.replace('| 1. Foundation | 1/1 | Complete | 2026-03-02 |', () => '| 1. Foundation | 1/1 |').replace(
      '| 2. Tables | 1/2 | In progress | - |',
      () => '| 2. Tables | 1/2 | In progress | - | extra | cells |',
    );
    const { status, diagnostics } = inspect(project(base({ '.planning/ROADMAP.md': ragged })));
    expect(status.phases.map((p) => p.id)).toEqual(['1', '2']);
    const tableStart = lineOf(ragged, '| Phase |');
    for (const d of diagnostics.filter((d) => d.file === '.planning/ROADMAP.md')) {
      expect(d.line, `${d.rule}: ${d.message}`).toBeGreaterThanOrEqual(1);
      if (/table|row|cell|column/i.test(d.rule)) expect(d.line).toBeGreaterThanOrEqual(tableStart);
    }
  });

  it('a phase heading inside a code fence in ROADMAP is not a phase', () => {
    const fenced = ROADMAP.replace('## Progress', () => 'Template for new phases:\n\n```markdown\n### Phase 9: Ghost\n**Goal**: never real\n```\n\n## Progress');
    const { status } = inspect(project(base({ '.planning/ROADMAP.md': fenced })));
    expect(status.phases.map((p) => p.id)).toEqual(['1', '2']);
    expect(JSON.stringify(status.phases)).not.toMatch(/Ghost/);
  });

  it('a symlinked phase directory pointing outside .planning/ is skipped, not followed', () => {
    // The link target holds a phase plan: if Cairn followed the link, phase 3 would show up.
    const root = project(base({ 'x/03-01-PLAN.md': PLAN('03-escape', '01') }));
    symlinkSync('../../x', join(root, '.planning/phases/03-escape'));
    const { status, diagnostics } = inspect(root);
    const hit = diagnostics.find((d) => d.rule === 'symlink-skipped');
    expect(hit, JSON.stringify(diagnostics)).toBeDefined();
    expect(hit!.file).toBe('.planning/phases/03-escape');
    expect(status.phases.map((p) => p.id)).not.toContain('3');
  });

  it('two phase directories with the same number are an error', () => {
    const { diagnostics, checkCode } = inspect(
      project(base({ '.planning/phases/02-a/02-01-PLAN.md': PLAN('02-a', '01'), '.planning/phases/02-b/02-01-PLAN.md': PLAN('02-b', '01') })),
    );
    const hit = diagnostics.find((d) => d.rule === 'duplicate-phase-id' && d.severity === 'error');
    expect(hit, JSON.stringify(diagnostics)).toBeDefined();
    expect(checkCode).toBe(1);
  });

  it('a CRLF STATE.md reads the same as its LF original', () => {
    const lf = inspect(project(base()));
    const crlf = inspect(project(base({ '.planning/STATE.md': STATE.replace(/\n/g, () => '\r\n') })));
    // The LF reading is the full one, so equality below is not two empty readings agreeing.
    const s = lf.status as unknown as { decisions: { total: number }; blockers: { open: number; resolved: number }; todos: { pending: number }; session: { stoppedAt: string } };
    expect([s.decisions.total, s.blockers.open, s.blockers.resolved, s.todos.pending, s.session.stoppedAt]).toEqual([2, 1, 1, 1, 'Completed 02-01-PLAN.md']);
    expect(withoutRoot(crlf.status)).toEqual(withoutRoot(lf.status));
    expect(crlf.diagnostics.map(({ rule, file, line }) => ({ rule, file, line }))).toEqual(lf.diagnostics.map(({ rule, file, line }) => ({ rule, file, line })));
  });

  it('status on a folder that does not exist exits 2 and names it', () => {
    const r = cairn(['status', '/nonexistent']);
    noCrash(r);
    expect(r.code).toBe(2);
    expect(r.stderr + r.stdout).toContain('/nonexistent');
  });
});

describe.skipIf(!hasCorpus())('CRLF copies of the corpus seeds read the same as the originals', () => {
  for (const seed of corpusSeeds()) {
    it(basename(seed).slice(0, 3), () => {
      const text = readFileSync(seed, 'utf8').replace(/\r\n/g, '\n');
      const lf = inspect(project({ '.planning/STATE.md': text }));
      const crlf = inspect(project({ '.planning/STATE.md': text.replace(/\n/g, () => '\r\n') }));
      expect(withoutRoot(crlf.status)).toEqual(withoutRoot(lf.status));
    });
  }
});
