/**
 * ROADMAP.md views (progress-table rows and phase checkboxes) rendered from derive():
 * every corpus roadmap, hand-made fixture pairs (test/fixtures/roadmap-render/<case>.md →
 * <case>.out.md, `UPDATE=1` regenerates the .out.md files), and the cell rules one by one.
 * Every render must be a fixed point and leave `checkRoadmapDrift` with nothing to report.
 */
import { cellMeansComplete } from '../../src/formats/roadmap/text.ts';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRoadmapDrift } from '../../src/checks/roadmap-drift.ts';
import { derive } from '../../src/derive/index.ts';
import type { PhaseState, ProjectState } from '../../src/derive/types.ts';
import { readRoadmap } from '../../src/formats/roadmap/read.ts';
import { completedCell, plansCell, renderRoadmapViews, statusCell, writtenState } from '../../src/views/roadmap.ts';
import { parseMarkdown } from '../../src/markdown/index.ts';
import { completedDates } from '../../src/views/index.ts';
import { loadWorkspace, type Workspace } from '../../src/workspace/index.ts';
import { corpusDir, corpusRepos, hasCorpus, repoRoot } from '../support/corpus.ts';

const fixtureDir = join(repoRoot, 'test/fixtures/roadmap-render');
const UPDATE = process.env.UPDATE === '1';

/** 1-based lines the renderer may change: rows of the kept table and checkbox lines, of phases in s.phases. */
function viewLines(ws: Workspace, s: ProjectState): Set<number> {
  const ids = new Set(s.phases.map((p) => p.id));
  const r = ws.roadmap!;
  const lines = new Set<number>();
  for (const row of r.record.progressTable?.rows ?? []) if (row.phaseId && ids.has(row.phaseId)) lines.add(row.line);
  for (const p of r.record.phases) {
    if (p.checkbox && p.key === p.id && ids.has(p.id)) lines.add(r.doc.position(p.checkbox.start).line);
  }
  return lines;
}

interface Rendered {
  ws: Workspace;
  s: ProjectState;
  before: string;
  text: string;
  changedLines: number[];
}

function render(ws: Workspace): Rendered {
  const s = derive(ws);
  const r = ws.roadmap!;
  const { text, edits } = renderRoadmapViews(r.doc, r.record, s, { completedDates: completedDates(ws) });
  expect(edits.length === 0).toBe(text === r.doc.text);
  const a = r.doc.text.split('\n');
  const b = text.split('\n');
  expect(b.length).toBe(a.length);
  const changedLines: number[] = [];
  a.forEach((line, i) => {
    if (line !== b[i]) changedLines.push(i + 1);
  });
  return { ws, s, before: r.doc.text, text, changedLines };
}

/** Re-reads the output, then: a second render changes nothing and the drift check is clean. */
function expectSettled({ ws, s, text }: Rendered): void {
  const doc = parseMarkdown(text);
  const { record } = readRoadmap(doc, ws.roadmap!.path);
  const again = renderRoadmapViews(doc, record, s, { completedDates: completedDates(ws) });
  expect(again.edits).toEqual([]);
  expect(again.text).toBe(text);
  const after: Workspace = { ...ws, roadmap: { ...ws.roadmap!, doc, record } };
  expect(checkRoadmapDrift(after, s).map((d) => `${d.line}: ${d.message}`)).toEqual([]);
}

describe.skipIf(!hasCorpus())('every corpus ROADMAP.md', () => {
  const repos = corpusRepos().filter((repo) => existsSync(join(corpusDir!, repo, '.planning/ROADMAP.md')));
  let changedRepos = 0;

  it('has roadmaps to render', () => {
    expect(repos.length).toBeGreaterThanOrEqual(20);
  });

  for (const repo of repos) {
    it(`${repo}: only view lines change, the result is a fixed point and drift-clean`, async () => {
      const ws = await loadWorkspace(join(corpusDir!, repo));
      const out = render(ws);
      const allowed = viewLines(ws, out.s);
      const stray = out.changedLines.filter((l) => !allowed.has(l)).map((l) => `${l}: ${ws.roadmap!.doc.lineText(l)}`);
      expect(stray).toEqual([]);
      // Drift before the render means the render has something to fix.
      if (checkRoadmapDrift(ws, out.s).length > 0) expect(out.changedLines.length).toBeGreaterThan(0);
      if (out.changedLines.length > 0) changedRepos++;
      expectSettled(out);
    });
  }

  it('changes at least one roadmap (the corpus has drifted tables)', () => {
    expect(changedRepos).toBeGreaterThan(0);
  });
});

// ---- fixture pairs --------------------------------------------------------------------------

type Tree = Record<string, string>;

const plan = (id: string) => `---\nphase: ${id.split('-')[0]}\nplan: ${id.split('-')[1]}\nwave: 1\n---\n\n# Plan ${id}\n`;
const summary = (id: string, completed: string) => `---\nphase: ${id.split('-')[0]}\nplan: ${id.split('-')[1]}\nduration: 5min\ncompleted: ${completed}\n---\n\n# ${id} Summary\n`;

/** Plan files of a phase directory; `done` maps a plan id to its SUMMARY `completed` date. */
function phaseDir(dir: string, ids: string[], done: Record<string, string>): Tree {
  const out: Tree = {};
  for (const id of ids) {
    out[`${dir}/${id}-PLAN.md`] = plan(id);
    if (done[id]) out[`${dir}/${id}-SUMMARY.md`] = summary(id, done[id]!);
  }
  return out;
}

const TREES: Record<string, Tree> = {
  'three-phase': {
    ...phaseDir('phases/01-sensor-intake', ['01-01', '01-02'], { '01-01': '2026-03-01', '01-02': '2026-03-02' }),
    ...phaseDir('phases/02-tide-tables', ['02-01', '02-02', '02-03'], { '02-01': '2026-03-04', '02-02': '2026-03-05', '02-03': '2026-03-07' }),
    ...phaseDir('phases/03-alerts', ['03-01', '03-02'], { '03-01': '2026-03-08' }),
  },
  'details-milestones': {
    ...phaseDir('milestones/v1.0-phases/01-berth-register', ['01-01', '01-02'], { '01-01': '2026-01-11', '01-02': '2026-01-12' }),
    ...phaseDir('milestones/v1.0-phases/02-booking', ['02-01'], { '02-01': '2026-01-20' }),
    ...phaseDir('phases/03-crane-roster', ['03-01', '03-02'], { '03-01': '2026-02-02', '03-02': '2026-02-05' }),
    ...phaseDir('phases/04-lift-planner', ['04-01', '04-02'], {}),
  },
  'milestone-column': {
    ...phaseDir('phases/04-vessel-registry', ['04-01', '04-02', '04-03'], { '04-01': '2026-02-08', '04-02': '2026-02-09', '04-03': '2026-02-10' }),
    ...phaseDir('phases/05-crew-rota', ['05-01', '05-02'], { '05-01': '2026-02-12', '05-02': '2026-02-14' }),
    ...phaseDir('phases/06-fuel-log', ['06-01', '06-02', '06-03', '06-04'], { '06-01': '2026-02-15' }),
    ...phaseDir('phases/07-harbour-dues', ['07-01', '07-02'], { '07-01': '2026-02-16', '07-02': '2026-02-18' }),
  },
  'space-padded': {
    ...phaseDir('phases/04-search', ['04-01', '04-02'], { '04-01': '2026-02-09', '04-02': '2026-02-11' }),
    ...phaseDir('phases/05-filters', ['05-01', '05-02', '05-03'], { '05-01': '2026-02-12' }),
    ...phaseDir('phases/06-saved-views', ['06-01'], {}),
  },
  crlf: {
    ...phaseDir('phases/01-lamp', ['01-01'], { '01-01': '2026-04-01' }),
    ...phaseDir('phases/02-lens', ['02-01', '02-02'], { '02-01': '2026-04-03' }),
  },
};

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

async function fixture(name: string): Promise<Rendered> {
  const root = mkdtempSync(join(tmpdir(), `cairn-roadmap-render-${name}-`));
  temps.push(root);
  const planning = join(root, '.planning');
  mkdirSync(planning, { recursive: true });
  copyFileSync(join(fixtureDir, `${name}.md`), join(planning, 'ROADMAP.md'));
  for (const [rel, content] of Object.entries(TREES[name]!)) {
    mkdirSync(dirname(join(planning, rel)), { recursive: true });
    writeFileSync(join(planning, rel), content);
  }
  const out = render(await loadWorkspace(root));
  const expectedPath = join(fixtureDir, `${name}.out.md`);
  if (UPDATE) writeFileSync(expectedPath, out.text);
  expect(existsSync(expectedPath), `${name}.out.md is missing: run with UPDATE=1 and review it`).toBe(true);
  expect(out.text).toBe(readFileSync(expectedPath, 'utf8'));
  expect(out.changedLines.filter((l) => !viewLines(out.ws, out.s).has(l))).toEqual([]);
  expectSettled(out);
  return out;
}

const line = (text: string, n: number) => text.split(/\r?\n/)[n - 1]!;
const rowOf = (text: string, start: string) => text.split(/\r?\n/).find((l) => l.startsWith(start))!;

describe('fixture pairs', () => {
  it('three phases: a table saying 2/3 for a phase whose 3 SUMMARY files exist', async () => {
    const out = await fixture('three-phase');
    expect(out.s.phases.map((p) => [p.id, p.plans.done, p.plans.total, p.complete])).toEqual([
      ['1', 2, 2, true],
      ['2', 3, 3, true],
      ['3', 1, 2, false],
    ]);
    expect(rowOf(out.text, '| 2.')).toBe('| 2. Tide Tables | 3/3 | Complete | 2026-03-07 |');
    expect(rowOf(out.text, '| 3.')).toBe('| 3. Alerts | 1/2 (gauge \\| radio) | In Progress | - |');
    // The prose count in the checkbox line stays; only the box flips. Backlog stays as written.
    expect(rowOf(out.text, '- [x] **Phase 2')).toBe('- [x] **Phase 2: Tide Tables** - Turn readings into high and low water tables (2/3 plans)');
    expect(rowOf(out.text, '- [ ] **Phase 3')).toBeDefined();
    expect(rowOf(out.text, '| 999.1')).toBe('| 999.1 Moon phase overlay | 0/0 | Backlog | - |');
    expect(rowOf(out.text, '- [ ] 02-03-PLAN.md')).toBeDefined();
    expect(out.changedLines).toHaveLength(3);
  });

  it('<details> milestones: the shipped block and its table stay, the current table follows the files', async () => {
    const out = await fixture('details-milestones');
    expect(out.s.phases.map((p) => p.id)).toEqual(['3', '4']);
    expect(rowOf(out.text, '| 2. Booking')).toBe('| 2. Booking | 1/2 | Complete | 2026-01-20 |');
    expect(rowOf(out.text, '| 3.')).toBe('| 3. Crane Roster | 2/2 | Complete | 2026-02-05 |');
    expect(rowOf(out.text, '| 4.')).toBe('| 4. Lift Planner | 0/2 | Not started | - |');
    expect(rowOf(out.text, '- [x] **Phase 3')).toBeDefined();
    expect(out.changedLines).toHaveLength(3);
  });

  it('Milestone column: shipped rows stay, kept words stay, a row missing its milestone cell is re-aligned', async () => {
    const out = await fixture('milestone-column');
    expect(rowOf(out.text, '| 2. Tickets')).toBe('| 2. Tickets | v1.0 | 2/3 | Complete | 2026-01-20 |');
    expect(rowOf(out.text, '| 4.')).toBe('| 4. Vessel Registry | v2.0 | 3/3 plans | ✅ Complete | 2026-02-10 |');
    expect(rowOf(out.text, '| 5.')).toBe('| 5. Crew Rota | v2.0 | 2/2 | Complete | 2026-02-14 |');
    expect(rowOf(out.text, '| 6.')).toBe('| 6. Fuel Log | v2.0 | 1/4 | Blocked (fuel API keys) | — |');
    expect(rowOf(out.text, '| 7.')).toBe('| 7. Harbour Dues | v2.0 | 2/2 | Complete | 2026-02-18 |');
    expect(out.text.match(/- \[x\] \*\*Phase/g)).toHaveLength(3);
  });

  it('space-padded table: cells keep the column width, longer words overflow by themselves', async () => {
    const out = await fixture('space-padded');
    const table = out.text.slice(out.text.indexOf('| Phase'));
    expect(table).toBe(
      [
        '| Phase              | Milestone | Plans | Status   | Completed  |',
        '| ------------------ | --------- | ----- | -------- | ---------- |',
        '| v1.0 (Phases 1-3)  | v1.0      | 7     | Complete | 2026-01-30 |',
        '| 4. Search          | v1.1      | 2/2   | Complete | 2026-02-11 |',
        '| 5. Filters         | v1.1      | 1/3   | In Progress | -          |',
        '| 6. Saved Views     | v1.1      | 0/1   | Planned  | -          |',
        '',
      ].join('\n'),
    );
  });

  it('CRLF with a BOM: line endings and the BOM survive', async () => {
    const out = await fixture('crlf');
    expect(out.text.startsWith('\uFEFF# Roadmap')).toBe(true);
    expect(out.text.split('\r\n').length).toBe(out.before.split('\r\n').length);
    expect(out.text.replace(/\r\n/g, '')).not.toMatch(/\n/);
    expect(line(out.text, 5)).toBe('- [x] Phase 1: Lamp (1/1 plan)');
    expect(rowOf(out.text, '| 1.')).toBe('| 1. Lamp | 1/1 | Complete | 2026-04-01 |');
    expect(rowOf(out.text, '| 2.')).toBe('| 2. Lens | 1/2 | In Progress | - |');
  });
});

// ---- cells, one rule at a time --------------------------------------------------------------

const phase = (done: number, total: number, complete = total > 0 && done >= total): PhaseState => ({
  id: '3',
  name: 'Alerts',
  dir: null,
  plans: { done, total },
  estimated: total === 0,
  complete,
  milestone: null,
  dependsOn: [],
  pendingPlans: [],
  inProgress: [],
});

describe('Plans cell', () => {
  it.each([
    ['2/3', 3, 3, '3/3'],
    ['2/3 plans', 1, 1, '1/1 plan'],
    ['0/1 plan', 1, 2, '1/2 plans'],
    ['2 / 3', 3, 4, '3 / 4'],
    ['**2/3**', 3, 3, '**3/3**'],
    ['2/2 (incl. fix)', 2, 3, '2/3 (incl. fix)'],
    ['0/?', 0, 4, '0/4'],
    ['0/TBD', 0, 2, '0/2'],
    ['0/TBD', 0, 0, '0/TBD'],
    ['0/?', 0, 0, '0/?'],
    ['-', 1, 3, '1/3'],
    ['', 0, 2, '0/2'],
    ['TBD', 0, 0, 'TBD'],
    ['3 plans', 2, 4, '4 plans'],
    ['1', 1, 1, '1'],
    ['see notes', 1, 2, 'see notes'],
  ])('%j with %i/%i → %j', (raw, done, total, want) => {
    expect(plansCell(raw, done, total)).toBe(want);
  });
});

describe('Status cell', () => {
  it.each([
    ['Complete', phase(3, 3), false, 'Complete'],
    ['✅ Complete', phase(3, 3), false, '✅ Complete'],
    ['✓ Verified', phase(2, 2), false, '✓ Verified'],
    ['Completed', phase(3, 3), false, 'Completed'],
    ['**Done**', phase(3, 3), false, '**Done**'],
    ['完成', phase(1, 1), false, '完成'],
    ['In Progress', phase(3, 3), false, 'Complete'],
    ['Concluído', phase(3, 3), false, 'Concluído'], // Portuguese "complete": kept, the drift check reads it as complete too
    ['2026-03-20', phase(3, 3), false, 'Complete'],
    ['', phase(3, 3), false, 'Complete'],
    ['Blocked (OPS-02)', phase(0, 1), false, 'Blocked (OPS-02)'],
    ['Blocked (OPS-02)', phase(1, 1), false, 'Complete'],
    ['Not started', phase(1, 3), false, 'In Progress'],
    ['In progress', phase(1, 3), false, 'In progress'],
    ['🚧 In Progress', phase(1, 3), false, '🚧 In Progress'],
    ['Complete', phase(1, 3), false, 'In Progress'],
    ['Incomplete', phase(0, 3), false, 'Not started'],
    ['Not Started', phase(0, 3), false, 'Not Started'],
    ['Pending', phase(0, 3), false, 'Pending'],
    ['Planned', phase(0, 0), false, 'Planned'],
    ['In Progress', phase(0, 3), true, 'In Progress'],
    ['In Progress', phase(0, 3), false, 'Not started'],
  ])('%j for %o (current: %s) → %j', (raw, p, current, want) => {
    expect(statusCell(raw, p, current)).toBe(want);
  });

  it('reads "complete" exactly as the drift check does', () => {
    for (const w of ['Complete', '✅ Complete', 'Completed', 'Concluído', '완료', '完成', 'Incomplete', 'Not done', 'Not complete', 'Planned ✓', 'In Progress', 'Not started', 'Blocked (OPS-02)']) {
      expect(writtenState(w) === 'complete', w).toBe(cellMeansComplete(w));
    }
  });
});

describe('Completed cell', () => {
  it.each([
    ['-', phase(2, 2), '2026-03-07', '2026-03-07'],
    ['—', phase(2, 2), '2026-03-07', '2026-03-07'],
    ['', phase(2, 2), '2026-03-07', '2026-03-07'],
    ['-', phase(2, 2), null, '-'],
    ['2026-03-01', phase(2, 2), '2026-03-07', '2026-03-01'],
    ['-', phase(1, 2), '2026-03-07', '-'],
    ['', phase(1, 2), null, ''],
    ['2026-03-01', phase(1, 2), null, '—'],
  ])('%j for %o with date %s → %j', (raw, p, date, want) => {
    expect(completedCell(raw, p, date)).toBe(want);
  });

  it('escapes a pipe in a date it writes', () => {
    expect(completedCell('-', phase(1, 1), '2026-01-01|x')).toBe('2026-01-01\\|x');
  });
});

// ---- synthetic roadmaps ---------------------------------------------------------------------

/**
 * A real workspace and state of an empty project, loaded once: synthetic cases override only the
 * roadmap and the phases, so they keep up with fields added to Workspace and ProjectState.
 */
let base: { ws: Workspace; s: ProjectState } | null = null;
async function baseProject(): Promise<{ ws: Workspace; s: ProjectState }> {
  if (!base) {
    const root = mkdtempSync(join(tmpdir(), 'cairn-roadmap-render-base-'));
    temps.push(root);
    mkdirSync(join(root, '.planning'));
    const ws = await loadWorkspace(root);
    base = { ws, s: derive(ws) };
  }
  return base;
}

function syntheticState(baseState: ProjectState, phases: PhaseState[]): ProjectState {
  const current = phases.find((p) => !p.complete) ?? phases[phases.length - 1] ?? null;
  return {
    ...baseState,
    source: 'tree',
    position: {
      ...baseState.position,
      phase: current ? { id: current.id, name: current.name, index: 1, total: phases.length } : null,
    },
    phases,
  };
}

function workspaceOf(baseWs: Workspace, text: string): Workspace {
  const doc = parseMarkdown(text);
  const { record } = readRoadmap(doc, '.planning/ROADMAP.md');
  return { ...baseWs, roadmap: { path: '.planning/ROADMAP.md', doc, record, lossless: true } };
}

describe('synthetic roadmaps', () => {
  it('never adds a table to a roadmap without one', async () => {
    const b = await baseProject();
    const text = '# Roadmap\n\n## Phases\n\n- [ ] **Phase 1: Hull** - Keel and frames\n- [ ] **Phase 2: Rig** - Mast and sails\n';
    const ws = workspaceOf(b.ws, text);
    const s = syntheticState(b.s, [{ ...phase(2, 2), id: '1' }, { ...phase(0, 1), id: '2' }]);
    const r = renderRoadmapViews(ws.roadmap!.doc, ws.roadmap!.record, s);
    expect(r.text).toBe(text.replace('- [ ] **Phase 1', '- [x] **Phase 1'));
    expect(r.edits).toEqual([{ offset: text.indexOf('[ ]') + 1, length: 1, text: 'x' }]);
  });

  it('leaves a STATE-only derivation alone', async () => {
    const b = await baseProject();
    const text = '## Progress\n\n| Phase | Plans Complete | Status |\n|---|---|---|\n| 1. Hull | 0/2 | Not started |\n';
    const ws = workspaceOf(b.ws, text);
    const s = { ...syntheticState(b.s, [{ ...phase(2, 2), id: '1' }]), source: 'state-only' as const };
    expect(renderRoadmapViews(ws.roadmap!.doc, ws.roadmap!.record, s).edits).toEqual([]);
  });

  const statusWords = ['Complete', '✅ Complete', 'Completed', 'In Progress', 'Not started', 'Blocked (rigging)', 'Planned', '', '2026-01-05', 'Skipped?'];
  const planCells = ['0/1', '1/3 plans', '2 / 2', 'TBD', '0/?', '-', '', '4', '3/3 (two FIX)'];
  const dateCells = ['-', '—', '', '2026-01-09', 'TBD'];
  const row = fc.record({
    plans: fc.constantFrom(...planCells),
    status: fc.constantFrom(...statusWords),
    completed: fc.constantFrom(...dateCells),
    done: fc.nat(4),
    extra: fc.nat(3),
    explicit: fc.boolean(),
    checked: fc.boolean(),
  });

  it('any table and any derived state: one render settles it and the drift check is clean', async () => {
    const b = await baseProject();
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 6 }), fc.boolean(), (rows, padded) => {
        const pad = (s: string, w: number) => (padded ? s.padEnd(w) : s);
        const lines = ['# Roadmap: Sloop', '', '## Phases', ''];
        rows.forEach((r, i) => lines.push(`- [${r.checked ? 'x' : ' '}] **Phase ${i + 1}: Part ${i + 1}** - Work`));
        lines.push('', '## Progress', '');
        lines.push(`| ${pad('Phase', 9)} | ${pad('Plans Complete', 14)} | ${pad('Status', 17)} | ${pad('Completed', 10)} |`);
        lines.push(`|${'-'.repeat(padded ? 11 : 3)}|${'-'.repeat(padded ? 16 : 3)}|${'-'.repeat(padded ? 19 : 3)}|${'-'.repeat(padded ? 12 : 3)}|`);
        rows.forEach((r, i) => lines.push(`| ${pad(`${i + 1}. Part`, 9)} | ${pad(r.plans, 14)} | ${pad(r.status, 17)} | ${pad(r.completed, 10)} |`));
        const text = lines.join('\n') + '\n';
        const phases = rows.map((r, i) => {
          const total = r.done + r.extra;
          return { ...phase(r.done, total, (total > 0 && r.extra === 0) || r.explicit), id: String(i + 1) };
        });
        const s = syntheticState(b.s, phases);
        const ws = workspaceOf(b.ws, text);
        const dates = new Map(phases.map((p) => [p.id, `2026-02-0${Number(p.id)}`]));
        const out = renderRoadmapViews(ws.roadmap!.doc, ws.roadmap!.record, s, { completedDates: dates });
        const ws2 = workspaceOf(b.ws, out.text);
        const again = renderRoadmapViews(ws2.roadmap!.doc, ws2.roadmap!.record, s, { completedDates: dates });
        expect(again.text).toBe(out.text);
        expect(checkRoadmapDrift(ws2, s)).toEqual([]);
        expect(out.text.split('\n').length).toBe(lines.length + 1);
      }),
      { numRuns: 300 },
    );
  });
});
