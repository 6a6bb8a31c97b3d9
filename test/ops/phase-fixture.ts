/**
 * A hand-made five-phase project with inserted phases (modelled on the corpus: template-style
 * ROADMAP with a phase list, details blocks, "Plans:" lists and a progress table), plus helpers
 * to snapshot a whole tree (folders included) and to apply a Change the way the runner does.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadWorkspace } from '../../src/workspace/index.ts';
import { derive } from '../../src/derive/index.ts';
import type { Context } from '../../src/ops/run.ts';
import type { Change } from '../../src/ops/change.ts';
import { tempProject } from '../support/cli.ts';

export const NOW = new Date('2026-04-02T10:00:00.000Z');

export async function ctxOf(root: string, now = NOW): Promise<Context> {
  const ws = await loadWorkspace(root);
  return { root: ws.root, now, ws, state: derive(ws, now) };
}

function plan(dir: string, plan: string, extra: string[] = []): string {
  return ['---', `phase: ${dir}`, `plan: ${plan}`, 'type: execute', 'wave: 1', ...extra, '---', '', '<objective>', `Plan ${plan} of ${dir}.`, '</objective>', ''].join('\n');
}

function summary(dir: string, plan: string): string {
  return ['---', `phase: ${dir}`, `plan: ${plan}`, 'duration: 12min', 'completed: 2026-03-01', '---', '', `# ${dir} ${plan} summary`, '', '**Scaffold in place.**', ''].join('\n');
}

export const LANTERN_ROADMAP = `# Roadmap: Lantern

## Overview

A small search tool, built in five phases.

## Phases

- [x] **Phase 1: Setup** - scaffolding
- [ ] **Phase 2: Storage** - persistence
- [ ] **Phase 2.1: Storage Hotfix** - lock fix (INSERTED)
- [ ] **Phase 3: Search** - queries
- [ ] **Phase 4: Export** - output files
- [ ] **Phase 4.1: Export Fixes** - encodings (INSERTED)
- [ ] **Phase 5: Polish** - final pass

## Phase Details

### Phase 1: Setup
**Goal**: The project builds
**Depends on**: Nothing (first phase)
**Plans**: 1 plans

Plans:
- [x] 01-01: Scaffold

### Phase 2: Storage
**Goal**: Data persists
**Depends on**: Phase 1
**Plans**: 2 plans

Plans:
- [ ] 02-01-PLAN.md — schema
- [ ] 02-02-PLAN.md — migrations

### Phase 2.1: Storage Hotfix (INSERTED)
**Goal**: The lock is released
**Depends on**: Phase 2
**Plans**: 1 plans

Plans:
- [ ] 02.1-01: lock fix

### Phase 3: Search
**Goal**: Users can search
**Depends on**: Phase 2, Phase 2.1
**Plans**: 1 plans

Plans:
- [ ] 03-01: index

### Phase 4: Export
**Goal**: Users can export
**Depends on**: Phase 3
**Plans**: 2 plans

Plans:
- [ ] 04-01: csv
- [ ] 04-02: pdf (after 04-01-PLAN.md)

### Phase 4.1: Export Fixes (INSERTED)
**Goal**: Exports keep their encoding
**Depends on**: Phase 4
**Plans**: 1 plans

Plans:
- [ ] 04.1-01: utf8

### Phase 5: Polish
**Goal**: It feels finished
**Depends on**: Phases 3-4.1
**Plans**: TBD

## Progress

**Execution Order:**
Phases execute in numeric order: 1 → 2 → 2.1 → 3 → 4 → 4.1 → 5

| Phase | Plans Complete | Status | Completed |
|-------|----------------|--------|-----------|
| 1. Setup | 1/1 | Complete | 2026-03-01 |
| 2. Storage | 0/2 | Not started | - |
| 2.1 Storage Hotfix | 0/1 | Not started | - |
| 3. Search | 0/1 | Not started | - |
| 4. Export | 0/2 | Not started | - |
| 4.1 Export Fixes | 0/1 | Not started | - |
| 5. Polish | 0/0 | Not started | - |
`;

export function lanternFiles(): Record<string, string> {
  const p = '.planning/phases';
  return {
    '.planning/PROJECT.md': '# Lantern\n\n## Core Value\n\nFind any note in a second.\n',
    '.planning/ROADMAP.md': LANTERN_ROADMAP,
    [`${p}/01-setup/01-01-PLAN.md`]: plan('01-setup', '01'),
    [`${p}/01-setup/01-01-SUMMARY.md`]: summary('01-setup', '01'),
    [`${p}/02-storage/02-01-PLAN.md`]: plan('02-storage', '01'),
    [`${p}/02-storage/02-02-PLAN.md`]: plan('02-storage', '02', ['depends_on: ["02-01"]']),
    [`${p}/02.1-storage-hotfix/02.1-01-PLAN.md`]: plan('02.1-storage-hotfix', '01'),
    [`${p}/03-search/03-01-PLAN.md`]: plan('03-search', '01'),
    [`${p}/03-search/03-CONTEXT.md`]: '---\nphase: 03-search\n---\n\n# Search context\n',
    [`${p}/04-export/04-01-PLAN.md`]: plan('04-export', '01'),
    [`${p}/04-export/04-02-PLAN.md`]: plan('04-export', '02', ['depends_on: ["04-01"]', 'affects: [05-polish]']),
    [`${p}/04-export/notes.txt`]: 'free notes, not a plan\n',
    [`${p}/04.1-export-fixes/04.1-01-PLAN.md`]: plan('04.1-export-fixes', '01'),
    [`${p}/05-polish/05-CONTEXT.md`]: '---\nphase: 05-polish\n---\n\n# Polish context\n',
  };
}

export function lanternProject(extra: Record<string, string> = {}): string {
  return tempProject({ ...lanternFiles(), ...extra });
}

/** Every file (path → content) and every folder (path + '/' → '') under `root/.planning`. */
export function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (abs: string, rel: string) => {
    for (const name of readdirSync(abs).sort()) {
      const a = join(abs, name);
      const r = `${rel}/${name}`;
      if (statSync(a).isDirectory()) {
        out[`${r}/`] = '';
        walk(a, r);
      } else out[r] = readFileSync(a, 'utf8');
    }
  };
  walk(join(root, '.planning'), '.planning');
  return out;
}

/**
 * Applies a Change to disk with the semantics the runner gives it: deletions first (a null on a
 * folder removes the folder), then the renames in order, then the writes. Views are not rendered.
 */
export function applyChange(root: string, change: Change): void {
  for (const [rel, content] of change.files) {
    if (content !== null) continue;
    rmSync(join(root, rel), { recursive: true, force: true });
  }
  for (const r of change.renames) {
    mkdirSync(dirname(join(root, r.to)), { recursive: true });
    renameSync(join(root, r.from), join(root, r.to));
  }
  for (const [rel, content] of change.files) {
    if (content === null) continue;
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
}
