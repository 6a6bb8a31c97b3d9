import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { STATUSES, mapStatus, type Status } from '../../src/model/status.ts';
import { corpusDir, corpusRepos, corpusSeeds, hasCorpus } from '../support/corpus.ts';

describe('mapStatus', () => {
  it.each<[string, Status]>([
    // GSD's own strings (tools and templates).
    ['Ready to plan', 'planning'],
    ['Planning', 'planning'],
    ['Ready to execute', 'ready to execute'],
    ['In progress', 'in progress'],
    ['Phase complete', 'phase complete'],
    ['Executing Phase 3', 'in progress'],
    ['Phase complete — ready for verification', 'phase complete'],
    ['Phase 4 complete', 'phase complete'],
    ['Milestone complete', 'milestone complete'],
    ['v1.2 milestone complete', 'milestone complete'],
    ['Awaiting next milestone', 'milestone complete'],
    ['Defining requirements', 'planning'],
    ['Resuming', 'in progress'],
    ['Phase 14 planning complete — 3 plans ready', 'ready to execute'],
    // Frontmatter values.
    ['executing', 'in progress'],
    ['verifying', 'in progress'],
    ['discussing', 'planning'],
    ['completed', 'milestone complete'],
    ['ready_to_plan', 'planning'],
    ['milestone_complete', 'milestone complete'],
    ['paused', 'paused'],
    ['stopped', 'paused'],
    // Free text.
    ['Project complete', 'milestone complete'],
    ['All phases complete', 'milestone complete'],
    ['shipped', 'milestone complete'],
    ['Phase 3 complete — ready for Phase 4', 'phase complete'],
    ['Ready for Phase 4', 'phase complete'],
    ['Phase 6 in progress', 'in progress'],
    ['Phase 6 in progress (plan 2 complete)', 'in progress'],
    ['Milestone v2 in progress, phase 3 complete', 'phase complete'],
    ['Researching', 'planning'],
    ['Planned', 'ready to execute'],
    ['Blocked', 'blocked'],
    ['Phase 3 in progress — blocked on API keys', 'blocked'],
    ['Paused at checkpoint', 'paused'],
    ['Not started', 'not started'],
    ['Not Started', 'not started'],
    ['⏳ In Progress', 'in progress'],
    ['✓ Complete', 'milestone complete'],
    // pt-BR, es, de, fr, zh, ko.
    ['Concluído', 'milestone complete'],
    ['Fase 3 concluída', 'phase complete'],
    ['Em andamento', 'in progress'],
    ['Pendente', 'not started'],
    ['Bloqueado', 'blocked'],
    ['Completado', 'milestone complete'],
    ['En progreso', 'in progress'],
    ['Pendiente', 'not started'],
    ['Abgeschlossen', 'milestone complete'],
    ['In Arbeit', 'in progress'],
    ['Blockiert', 'blocked'],
    ['Terminé', 'milestone complete'],
    ['En cours', 'in progress'],
    ['已完成', 'milestone complete'],
    ['阶段 3 完成', 'phase complete'],
    ['进行中', 'in progress'],
    ['未开始', 'not started'],
    ['阻塞', 'blocked'],
    ['完成', 'milestone complete'],
    ['완료', 'milestone complete'],
    ['Phase 3 완료', 'phase complete'],
    ['진행 중', 'in progress'],
  ])('%j → %j', (text, want) => {
    expect(mapStatus(text)).toBe(want);
  });

  it.each(['', '   ', 'gibberish', 'unblocked', 'Skipped', 'Deferred', 'See ROADMAP.md', 'completely rewritten docs'])('%j → null', (text) => {
    expect(mapStatus(text)).toBeNull();
  });

  it('only ever returns the closed vocabulary', () => {
    for (const s of ['complete', 'x', 'Phase 1', 'in progress']) {
      const r = mapStatus(s);
      if (r !== null) expect(STATUSES).toContain(r);
    }
  });
});

/**
 * Every status line of every STATE.md in the corpus (top-level `Status:` / `**Status:**` lines and
 * frontmatter `status:`), with the mapping reviewed by hand. A file's line is identified by its
 * exact text, so a corpus change shows up here.
 */
const CORPUS_STATUS: [file: string, text: string, want: Status][] = [
  ['0xc0re__godot-mcp', 'completed', 'milestone complete'],
  ['0xc0re__godot-mcp', 'Complete', 'milestone complete'],
  ['0xdevxyz__legal', 'verifying', 'in progress'],
  ['0xdevxyz__legal', 'Phase complete — ready for verification', 'phase complete'],
  ['4qan__ClinicSoftware', 'Ready to plan', 'planning'],
  ['9thLevelSoftware__SoundCheck', 'complete', 'milestone complete'],
  ['9thLevelSoftware__SoundCheck', 'v4.0 milestone complete (OPS-02 carry-forward)', 'milestone complete'],
  ['AllTheMachines__Faceplate', 'Phase 65 complete and verified ✓ — Milestone v0.11.0 complete', 'milestone complete'],
  ['Gochiri__Focus-Os', 'Finished', 'milestone complete'],
  ['TheBlueMuzzy__roll-better', 'v1.5 milestone shipped', 'milestone complete'],
  ['VitalPointAI__Hopper', 'Phase complete (with fixes)', 'phase complete'],
  ['ahmetb__kubectl-fields', 'v1.0 milestone complete, archived', 'milestone complete'],
  ['allanpk716__ai-commit-hub', 'Phase complete', 'phase complete'],
  ['axeforeverjumo__spora', '✅ Complete', 'milestone complete'],
  // Phase 8 of 8 done; the project awaits its audit, the text states the phase.
  ['deletexiumu__hivemind', 'Phase 8 Complete - v1 Ready for Audit', 'phase complete'],
  ['dougbarrett__gomcp', 'MILESTONE SHIPPED', 'milestone complete'],
  ['fisherd80__Listarr', 'Complete', 'milestone complete'],
  ['gannonh__macrokinetic', 'Phase complete', 'phase complete'],
  // In "## GitHub Tracking": the milestone branch is done and waits for its release.
  ['gannonh__macrokinetic', 'Ready for release', 'milestone complete'],
  ['hillefrederic-alt__hydrophon-design-system', 'Milestone archived, ready for distribution', 'milestone complete'],
  ['j-labbe__pretty-table-explorer', 'Between milestones', 'milestone complete'],
  ['jushyi__Flick', 'Complete', 'milestone complete'],
  ['lbpfeil__ardens', 'Ready for /gsd:discuss-phase 13', 'planning'],
  ['msfstef__crossing-words', 'MILESTONE COMPLETE', 'milestone complete'],
  ['raphasaru__appfinance', 'Milestone shipped', 'milestone complete'],
  [
    'sebc-dev__sebc.dev',
    'Phase 6 complete. All 3 plans executed: SEO infrastructure, View Transitions, quality validation. Full roadmap done.',
    'milestone complete',
  ],
  ['suhwan__ultra-planning', 'COMPLETE', 'milestone complete'],
  ['seed:000', 'Project complete', 'milestone complete'],
  ['seed:001', 'Phase 6 in progress', 'in progress'],
  ['seed:002', 'Phase complete', 'phase complete'],
  ['seed:003', 'In progress', 'in progress'],
  ['seed:004', 'Defining v0.6.0 requirements', 'planning'],
];

const STATUS_LINE = /^(?:\*\*)?status(?:\*\*)?\s*:\s*(?:\*\*)?\s*(.*?)\s*$/i;

function statusLines(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .map((l) => STATUS_LINE.exec(l)?.[1])
    .filter((v): v is string => v !== undefined && v !== '');
}

describe.skipIf(!hasCorpus())('mapStatus against every STATE.md status line of the corpus', () => {
  const found: [string, string][] = [];
  for (const repo of corpusRepos()) {
    const path = join(corpusDir!, repo, '.planning', 'STATE.md');
    try {
      for (const text of statusLines(path)) found.push([repo, text]);
    } catch {
      // caseycraps has no STATE.md.
    }
  }
  for (const seed of corpusSeeds()) for (const text of statusLines(seed)) found.push([`seed:${seed.match(/(\d{3})_[^/\\]*$/)![1]}`, text]);

  it('the reviewed table lists exactly the lines in the corpus', () => {
    expect(found).toEqual(CORPUS_STATUS.map(([file, text]) => [file, text]));
  });

  it.each(CORPUS_STATUS)('%s: %j → %j', (_file, text, want) => {
    expect(mapStatus(text)).toBe(want);
  });
});
