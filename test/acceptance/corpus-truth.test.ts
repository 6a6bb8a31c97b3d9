/**
 * Acceptance (issue 7): for every corpus repository, `loadWorkspace` + `derive` give the milestone,
 * current phase, phase and plan counts, status and `estimated` of the hand-judged truth table
 * `test/fixtures/corpus-truth.tsv` (status-rules.md applied by hand; never copied from Cairn).
 * A row whose note starts with `status-differs:` is exempt from the status and estimated checks.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir, corpusRepos, hasCorpus } from '../support/corpus.ts';
import { loadWorkspace } from '../../src/workspace/index.ts';
import { derive } from '../../src/derive/index.ts';
import { STATUSES } from '../../src/model/status.ts';

const COLUMNS = ['repo', 'milestone', 'current_phase', 'phases_done', 'phases_total', 'plans_done', 'plans_total', 'estimated', 'status', 'note'] as const;
type Row = Record<(typeof COLUMNS)[number], string>;

function readTruth(): Row[] {
  const text = readFileSync(new URL('../fixtures/corpus-truth.tsv', import.meta.url), 'utf8');
  const [header, ...lines] = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  if (header !== COLUMNS.join('\t')) throw new Error(`corpus-truth.tsv: header must be ${COLUMNS.join(' ')}`);
  return lines.map((line) => {
    const cells = line.split('\t');
    if (cells.length !== COLUMNS.length) throw new Error(`corpus-truth.tsv: ${cells.length} cells, expected ${COLUMNS.length}: ${line.slice(0, 80)}`);
    return Object.fromEntries(COLUMNS.map((c, i) => [c, cells[i]!])) as Row;
  });
}

/**
 * Rows Cairn gets wrong today, with the fields and the issue-7 class. Each runs as `it.fails`, so
 * the suite stays green and a fix shows up as a failure here: then delete the entry. This list must
 * shrink to empty; never add to it to make a regression pass.
 */
const KNOWN_WRONG: Record<string, string> = {};

const truth = readTruth();

describe('corpus truth table', () => {
  it('uses the closed status vocabulary and true/false for estimated', () => {
    for (const row of truth) {
      expect(STATUSES, row.repo).toContain(row.status);
      expect(['true', 'false'], row.repo).toContain(row.estimated);
    }
  });

  it.skipIf(!hasCorpus())('has exactly one row per corpus repository', () => {
    expect(truth.map((r) => r.repo).sort()).toEqual(corpusRepos());
  });

  it('lists only rows of the table in KNOWN_WRONG', () => {
    expect(Object.keys(KNOWN_WRONG).filter((repo) => !truth.some((r) => r.repo === repo))).toEqual([]);
  });
});

describe.skipIf(!hasCorpus())('derive() agrees with the hand-judged corpus truth', () => {
  for (const row of truth) {
    const known = KNOWN_WRONG[row.repo];
    (known ? it.fails : it)(known ? `${row.repo} (known wrong: ${known})` : row.repo, async () => {
      const state = derive(await loadWorkspace(join(corpusDir!, row.repo)), new Date('2026-06-01T00:00:00Z'));
      const statusChecked = !row.note.startsWith('status-differs:');
      const actual = {
        milestone: state.scope.milestone ?? '-',
        current_phase: state.position.phase?.id ?? '-',
        phases: `${state.progress.phases.done}/${state.progress.phases.total}`,
        plans: `${state.progress.plans.done}/${state.progress.plans.total}`,
        ...(statusChecked ? { estimated: String(state.progress.estimated), status: state.position.status } : {}),
      };
      const expected = {
        milestone: row.milestone,
        current_phase: row.current_phase,
        phases: `${row.phases_done}/${row.phases_total}`,
        plans: `${row.plans_done}/${row.plans_total}`,
        ...(statusChecked ? { estimated: row.estimated, status: row.status } : {}),
      };
      expect(actual, row.note).toEqual(expected);
    });
  }
});
