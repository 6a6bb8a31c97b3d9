/**
 * `cairn phase remove`: the renumbering map, the frontmatter and ROADMAP rewrites as units, the
 * decision on a five-phase tree with inserted phases (whole tree asserted after), refusals, and
 * the built CLI (tree, --dry-run, --json, bad input leaves every byte in place).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseMarkdown, applyEdits } from '../../src/markdown/index.ts';
import { readRoadmap } from '../../src/formats/roadmap/read.ts';
import { frontmatterEdits, phaseRemove, renumberMap } from '../../src/ops/phase-remove.ts';
import { renumberEdits, type Renumbering } from '../../src/ops/roadmap-edit.ts';
import { PreconditionError, UsageError } from '../../src/model/errors.ts';
import { cairn, cairnIn, releaseBin } from './cli.ts';
import { remove } from '../support/cli.ts';
import { applyChange, ctxOf, LANTERN_ROADMAP, lanternFiles, lanternProject, snapshot } from './phase-fixture.ts';

const roots: string[] = [];
afterAll(() => {
  roots.forEach(remove);
  releaseBin();
});
function project(extra: Record<string, string> = {}): string {
  const root = lanternProject(extra);
  roots.push(root);
  return root;
}

describe('renumberMap', () => {
  const ids = ['1', '2', '2.1', '2.1.1', '2.2', '2.3', '3', '3.1', '4', '12A', '999', '999.1'];
  it('integer removal moves later integers and their decimal children down by one', () => {
    expect(Object.fromEntries(renumberMap('2', ids))).toEqual({ '3': '2', '3.1': '2.1', '4': '3', '12A': '11A' });
  });
  it('decimal removal moves only later siblings, with their children', () => {
    expect(Object.fromEntries(renumberMap('2.1', ids))).toEqual({ '2.2': '2.1', '2.3': '2.2' });
    expect(Object.fromEntries(renumberMap('2.2', ids))).toEqual({ '2.3': '2.2' });
    expect(Object.fromEntries(renumberMap('2.1.1', ids))).toEqual({});
  });
  it('backlog (999.x) never moves, and nothing is renumbered onto 999', () => {
    expect(renumberMap('999.1', ids).size).toBe(0);
    expect(Object.fromEntries(renumberMap('998', ['997', '998', '999', '1000', '1001']))).toEqual({ '1000': '998', '1001': '1000' });
  });
  it('maps every id in one pass: no two phases end on one number (GSD #3355)', () => {
    const many = Array.from({ length: 40 }, (_, i) => String(i + 1));
    const map = renumberMap('1', many);
    expect(new Set(map.values()).size).toBe(39);
    expect(map.get('40')).toBe('39');
  });
});

describe('frontmatterEdits', () => {
  const map = new Map([['4', '3'], ['4.1', '3.1'], ['5', '4']]);
  const apply = (text: string) => applyEdits(text, frontmatterEdits(text, map));
  it('rewrites phase, phase-plan ids and dependency references, keeping padding and quotes', () => {
    const text = [
      '---',
      'phase: 04-export',
      'plan: 02',
      "depends_on: ['04-01', \"4.1-02\"]",
      'requires:',
      '  - phase: 04.1-01',
      '    provides: the csv writer for 04-01 users',
      'affects: [05-polish, docs]',
      'other: 04-01 stays',
      '---',
      'Body mentions 04-01 and phase: 04 and stays.',
      '',
    ].join('\n');
    expect(apply(text)).toBe(
      [
        '---',
        'phase: 03-export',
        'plan: 02',
        "depends_on: ['03-01', \"3.1-02\"]",
        'requires:',
        '  - phase: 03.1-01',
        '    provides: the csv writer for 04-01 users',
        'affects: [04-polish, docs]',
        'other: 04-01 stays',
        '---',
        'Body mentions 04-01 and phase: 04 and stays.',
        '',
      ].join('\n'),
    );
  });
  it('reads bare, unpadded and block-list values; leaves bare numbers in lists alone', () => {
    expect(apply('---\nphase: 4\nplan: 04-03\ndepends_on:\n  - 04-01\n  - "05"\n---\n')).toBe('---\nphase: 3\nplan: 03-03\ndepends_on:\n  - 03-01\n  - "05"\n---\n');
    expect(apply('no frontmatter\nphase: 04\n')).toBe('no frontmatter\nphase: 04\n');
  });
});

function renumber(text: string, r: Renumbering, skip = [] as { start: number; end: number }[]) {
  const doc = parseMarkdown(text);
  const res = renumberEdits(doc, readRoadmap(doc, 'ROADMAP.md').record, r, skip);
  return { text: applyEdits(text, res.edits), mentions: res.mentions };
}

describe('renumberEdits', () => {
  const r: Renumbering = {
    map: new Map([['4', '3'], ['4.1', '3.1'], ['5', '4'], ['10', '9']]),
    removed: { id: '3', dependsOn: ['2', '2.1'] },
    ids: ['1', '2', '2.1', '3', '4', '4.1', '5', '10'],
    dirs: new Map([['04-export', '03-export'], ['10-docs', '09-docs']]),
  };
  it('renumbers phase words, ranges, lists and arrow chains; padded ids stay padded', () => {
    const text = 'Phases 4-5 ship together. Phase 04 and Phase 10, then Phases 2 and 4.1.\nOrder: 1 → 2 → 3 → 4 → 10\n';
    expect(renumber(text, r).text).toBe('Phases 3-4 ship together. Phase 03 and Phase 9, then Phases 2 and 3.1.\nOrder: 1 → 2 → 3 → 9\n');
  });
  it('a range ending at the removed phase ends at its predecessor; one starting there keeps its number', () => {
    expect(renumber('Milestone: Phases 1-3; later Phases 3-5\n', r).text).toBe('Milestone: Phases 1-2.1; later Phases 3-4\n');
  });
  it('a dependency on the removed phase becomes its dependencies; "Nothing" when it had none', () => {
    const text = '### Phase 4: Export\n**Depends on**: Phase 3 (search first)\n\n### Phase 5: Polish\n**Depends on**: Phase 1, Phase 3, Phase 4\n';
    expect(renumber(text, r).text).toBe('### Phase 3: Export\n**Depends on**: Phase 2, 2.1 (search first)\n\n### Phase 4: Polish\n**Depends on**: Phase 1, Phase 2, 2.1, Phase 3\n');
    const alone: Renumbering = { ...r, removed: { id: '3', dependsOn: [] } };
    expect(renumber('### Phase 4: X\n**Depends on**: Phase 3\n', alone).text).toBe('### Phase 3: X\n**Depends on**: Nothing\n');
    expect(renumber('### Phase 4: X\n**Depends on**: 1, 3, 5\n', alone).text).toBe('### Phase 3: X\n**Depends on**: 1, 4\n');
  });
  it('plan ids of plan lines, plan file names and folder names; not dates, versions or durations', () => {
    const text = [
      '### Phase 4: Export',
      'Plans:',
      '- [ ] 04-01: csv',
      '- [x] **04-02** pdf, see 04-01-PLAN.md and phases/04-export/ and 10-docs',
      '',
      'Shipped 2026-04-05 in v1.0-ROADMAP.md, took 10-15 min; 04-exporter is another folder.',
      '',
    ].join('\n');
    expect(renumber(text, r).text).toBe(
      [
        '### Phase 3: Export',
        'Plans:',
        '- [ ] 03-01: csv',
        '- [x] **03-02** pdf, see 03-01-PLAN.md and phases/03-export/ and 09-docs',
        '',
        'Shipped 2026-04-05 in v1.0-ROADMAP.md, took 10-15 min; 04-exporter is another folder.',
        '',
      ].join('\n'),
    );
  });
  it('leaves fenced code and comments alone, and reports lines that still name the removed phase', () => {
    const text = 'See Phase 3 notes.\n\n```\nPhase 4 in code\n```\n\n<!-- Phase 5 -->\n\n- [ ] 03-02: old plan\n';
    const out = renumber(text, r);
    expect(out.text).toBe(text);
    expect(out.mentions).toEqual(['line 1: See Phase 3 notes.', 'line 9: - [ ] 03-02: old plan']);
  });
  it('skips the spans being deleted', () => {
    const text = 'Phase 4 here\nPhase 4 there\n';
    expect(renumber(text, r, [{ start: 0, end: 13 }]).text).toBe('Phase 4 here\nPhase 3 there\n');
  });
});

const EXPECTED_ROADMAP = LANTERN_ROADMAP.replace(
  '- [ ] **Phase 3: Search** - queries\n- [ ] **Phase 4: Export** - output files\n- [ ] **Phase 4.1: Export Fixes** - encodings (INSERTED)\n- [ ] **Phase 5: Polish** - final pass',
  () => '- [ ] **Phase 3: Export** - output files\n- [ ] **Phase 3.1: Export Fixes** - encodings (INSERTED)\n- [ ] **Phase 4: Polish** - final pass',
)
  .replace(
    /### Phase 3: Search[\s\S]*?(?=### Phase 4: Export)/,
    () => '',
  )
  .replace(
    '### Phase 4: Export\n**Goal**: Users can export\n**Depends on**: Phase 3\n**Plans**: 2 plans\n\nPlans:\n- [ ] 04-01: csv\n- [ ] 04-02: pdf (after 04-01-PLAN.md)',
    () => '### Phase 3: Export\n**Goal**: Users can export\n**Depends on**: Phase 2, 2.1\n**Plans**: 2 plans\n\nPlans:\n- [ ] 03-01: csv\n- [ ] 03-02: pdf (after 03-01-PLAN.md)',
  )
  .replace(
    '### Phase 4.1: Export Fixes (INSERTED)\n**Goal**: Exports keep their encoding\n**Depends on**: Phase 4\n**Plans**: 1 plans\n\nPlans:\n- [ ] 04.1-01: utf8',
    () => '### Phase 3.1: Export Fixes (INSERTED)\n**Goal**: Exports keep their encoding\n**Depends on**: Phase 3\n**Plans**: 1 plans\n\nPlans:\n- [ ] 03.1-01: utf8',
  )
  .replace('### Phase 5: Polish\n**Goal**: It feels finished\n**Depends on**: Phases 3-4.1', () => '### Phase 4: Polish\n**Goal**: It feels finished\n**Depends on**: Phases 3-3.1')
  .replace('1 → 2 → 2.1 → 3 → 4 → 4.1 → 5', () => '1 → 2 → 2.1 → 3 → 3.1 → 4')
  .replace(
    '| 3. Search | 0/1 | Not started | - |\n| 4. Export | 0/2 | Not started | - |\n| 4.1 Export Fixes | 0/1 | Not started | - |\n| 5. Polish | 0/0 | Not started | - |',
    () => '| 3. Export | 0/2 | Not started | - |\n| 3.1 Export Fixes | 0/1 | Not started | - |\n| 4. Polish | 0/0 | Not started | - |',
  );

/** The whole `.planning/` tree expected after `phase remove 3` on the Lantern project. */
function expectedTree(): Record<string, string> {
  const f = lanternFiles();
  const p = '.planning/phases';
  const tree: Record<string, string> = {
    '.planning/PROJECT.md': f['.planning/PROJECT.md']!,
    '.planning/ROADMAP.md': EXPECTED_ROADMAP,
    '.planning/phases/': '',
    [`${p}/01-setup/`]: '',
    [`${p}/01-setup/01-01-PLAN.md`]: f[`${p}/01-setup/01-01-PLAN.md`]!,
    [`${p}/01-setup/01-01-SUMMARY.md`]: f[`${p}/01-setup/01-01-SUMMARY.md`]!,
    [`${p}/02-storage/`]: '',
    [`${p}/02-storage/02-01-PLAN.md`]: f[`${p}/02-storage/02-01-PLAN.md`]!,
    [`${p}/02-storage/02-02-PLAN.md`]: f[`${p}/02-storage/02-02-PLAN.md`]!,
    [`${p}/02.1-storage-hotfix/`]: '',
    [`${p}/02.1-storage-hotfix/02.1-01-PLAN.md`]: f[`${p}/02.1-storage-hotfix/02.1-01-PLAN.md`]!,
    [`${p}/03-export/`]: '',
    [`${p}/03-export/03-01-PLAN.md`]: f[`${p}/04-export/04-01-PLAN.md`]!.replace('phase: 04-export', () => 'phase: 03-export'),
    [`${p}/03-export/03-02-PLAN.md`]: f[`${p}/04-export/04-02-PLAN.md`]!
      .replace('phase: 04-export', () => 'phase: 03-export')
      .replace('depends_on: ["04-01"]', () => 'depends_on: ["03-01"]')
      .replace('affects: [05-polish]', () => 'affects: [04-polish]'),
    [`${p}/03-export/notes.txt`]: f[`${p}/04-export/notes.txt`]!,
    [`${p}/03.1-export-fixes/`]: '',
    [`${p}/03.1-export-fixes/03.1-01-PLAN.md`]: f[`${p}/04.1-export-fixes/04.1-01-PLAN.md`]!.replace('phase: 04.1-export-fixes', () => 'phase: 03.1-export-fixes'),
    [`${p}/04-polish/`]: '',
    [`${p}/04-polish/04-CONTEXT.md`]: f[`${p}/05-polish/05-CONTEXT.md`]!.replace('phase: 05-polish', () => 'phase: 04-polish'),
  };
  return tree;
}

describe('phase remove (decision)', () => {
  it('removes phase 3 and renumbers folders, files, frontmatter and ROADMAP in one pass (whole tree)', async () => {
    const root = project();
    const change = phaseRemove(await ctxOf(root), { id: '3' });
    applyChange(root, change);
    const tree = snapshot(root);
    expect(Object.keys(tree).sort()).toEqual(Object.keys(expectedTree()).sort());
    expect(tree).toEqual(expectedTree());
    expect(change.result).toMatchObject({
      removed: '3',
      name: 'Search',
      directoryDeleted: '.planning/phases/03-search',
      renumbered: [
        { from: '4', to: '3' },
        { from: '4.1', to: '3.1' },
        { from: '5', to: '4' },
      ],
      mentions: [],
    });
    const reread = readRoadmap(parseMarkdown(tree['.planning/ROADMAP.md']!), 'ROADMAP.md').record;
    expect(reread.phases.map((p) => `${p.id} ${p.name}`)).toEqual(['1 Setup', '2 Storage', '2.1 Storage Hotfix', '3 Export', '3.1 Export Fixes', '4 Polish']);
    expect(reread.phases.find((p) => p.id === '3')!.dependsOn).toEqual(['2', '2.1']);
    expect(reread.phases.find((p) => p.id === '4')!.dependsOn).toEqual(['3', '3.1']);
  });

  it('removing a decimal renumbers its later siblings only (2.2 → 2.1)', async () => {
    const root = project({ '.planning/phases/02.2-storage-index/02.2-01-PLAN.md': '---\nphase: 02.2-storage-index\nplan: 01\n---\n' });
    const change = phaseRemove(await ctxOf(root), { id: '2.1' });
    expect(change.renames).toEqual([
      { from: '.planning/phases/02.2-storage-index', to: '.planning/phases/02.1-storage-index' },
      { from: '.planning/phases/02.1-storage-index/02.2-01-PLAN.md', to: '.planning/phases/02.1-storage-index/02.1-01-PLAN.md' },
    ]);
    expect(change.files.get('.planning/phases/02.1-storage-index/02.1-01-PLAN.md')).toBe('---\nphase: 02.1-storage-index\nplan: 01\n---\n');
    const roadmap = change.files.get('.planning/ROADMAP.md')!;
    expect(roadmap).not.toContain('Storage Hotfix');
    // Search depended on 2 and 2.1; 2.1 depended on 2 alone, which Search already names.
    expect(roadmap).toContain('### Phase 3: Search\n**Goal**: Users can search\n**Depends on**: Phase 2\n');
    expect(roadmap).toContain('Phases 3-4.1');
  });

  it('refuses a phase with completed plans unless --force, naming the SUMMARY files', async () => {
    const root = project();
    const ctx = await ctxOf(root);
    expect(() => phaseRemove(ctx, { id: '1' })).toThrow(PreconditionError);
    expect(() => phaseRemove(ctx, { id: '1' })).toThrow(/phase 1 has 1 completed plan\(s\): \.planning\/phases\/01-setup\/01-01-SUMMARY\.md/);
    const forced = phaseRemove(ctx, { id: '1', force: true });
    expect(forced.result).toMatchObject({ removed: '1', completedPlansDeleted: ['.planning/phases/01-setup/01-01-SUMMARY.md'] });
  });

  it('refuses a phase that still has inserted phases', async () => {
    const ctx = await ctxOf(project());
    expect(() => phaseRemove(ctx, { id: '2' })).toThrow(/phase 2 has inserted phases 2\.1/);
    expect(() => phaseRemove(ctx, { id: '4', force: true })).toThrow(PreconditionError);
  });

  it('refuses an unknown phase (listing the phases) and ids that are not ids', async () => {
    const ctx = await ctxOf(project());
    expect(() => phaseRemove(ctx, { id: '7' })).toThrow(UsageError);
    expect(() => phaseRemove(ctx, { id: '7' })).toThrow('unknown phase 7; the phases are 1, 2, 2.1, 3, 4, 4.1, 5');
    expect(() => phaseRemove(ctx, { id: '../3' })).toThrow(/is not a phase id/);
    expect(() => phaseRemove(ctx, { id: undefined })).toThrow(/a phase id is missing/);
  });

  it('removes the last phase without renumbering anything', async () => {
    const root = project();
    const change = phaseRemove(await ctxOf(root), { id: '5' });
    expect(change.renames).toEqual([]);
    expect(change.files.get('.planning/phases/05-polish/05-CONTEXT.md')).toBeNull();
    expect(change.files.get('.planning/phases/05-polish')).toBeNull();
    expect(change.files.get('.planning/ROADMAP.md')).not.toMatch(/Polish/);
  });
});

describe('phase remove (CLI)', () => {
  it('writes the expected tree, with no folder left behind', () => {
    const root = project();
    const r = cairn(['phase', 'remove', '3', '-C', root]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Removed phase 3 (Search): deleted .planning/phases/03-search/');
    expect(r.stdout).toContain('Renumbered 4 → 3, 4.1 → 3.1, 5 → 4');
    const tree = snapshot(root);
    delete tree['.planning/events.jsonl'];
    expect(tree).toEqual(expectedTree());
  });

  it('--dry-run writes nothing and shows the ROADMAP diff; --json reports the renames', async () => {
    const root = project();
    const before = snapshot(root);
    const dry = await cairnIn(['phase', 'remove', '3', '--dry-run', '-C', root]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('-### Phase 3: Search');
    expect(snapshot(root)).toEqual(before);
    const j = await cairnIn(['phase', 'remove', '3', '--dry-run', '--json', '-C', root]);
    const doc = JSON.parse(j.stdout);
    expect(doc.dryRun).toBe(true);
    expect(doc.result.renamedDirectories).toEqual([
      { from: '.planning/phases/04-export', to: '.planning/phases/03-export' },
      { from: '.planning/phases/04.1-export-fixes', to: '.planning/phases/03.1-export-fixes' },
      { from: '.planning/phases/05-polish', to: '.planning/phases/04-polish' },
    ]);
    expect(snapshot(root)).toEqual(before);
  });

  it.each([
    { label: 'completed plans without --force', args: ['1'], code: 3, message: /completed plan/ },
    { label: 'inserted phases', args: ['2'], code: 3, message: /inserted phases 2\.1/ },
    { label: 'unknown phase', args: ['8'], code: 2, message: /unknown phase 8; the phases are 1, 2, 2\.1, 3, 4, 4\.1, 5/ },
    { label: 'not an id', args: ['x'], code: 2, message: /"x" is not a phase id/ },
    { label: 'missing id', args: [], code: 2, message: /a phase id is missing/ },
    { label: 'two ids', args: ['3', '4'], code: 2, message: /unexpected argument "4"/ },
  ])('$label → exit $code, nothing changed', async ({ args, code, message }) => {
    const root = project();
    const before = snapshot(root);
    const r = await cairnIn(['phase', 'remove', ...args, '-C', root]);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(snapshot(root)).toEqual(before);
    expect(existsSync(join(root, '.planning', 'events.jsonl'))).toBe(false);
  });
});
