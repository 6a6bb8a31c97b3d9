/**
 * `cairn phase add` and `cairn phase insert`: the decisions on hand-made roadmaps of several
 * shapes (template, milestone-grouped, none at all), the order of repeated inserts in every list
 * and on disk, text kept intact (`$1`, `|`, backticks), and the built CLI with every bad input
 * refused (exit 2 or 3) with no file changed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMarkdown } from '../../src/markdown/index.ts';
import { readRoadmap } from '../../src/formats/roadmap/read.ts';
import { phaseAdd } from '../../src/ops/phase-add.ts';
import { phaseInsert } from '../../src/ops/phase-insert.ts';
import { PreconditionError, UsageError } from '../../src/model/errors.ts';
import { cairn, cairnIn, releaseBin } from './cli.ts';
import { remove, tempProject } from '../support/cli.ts';
import { applyChange, ctxOf, LANTERN_ROADMAP, lanternProject, snapshot } from './phase-fixture.ts';

const roots: string[] = [];
afterAll(() => {
  roots.forEach(remove);
  releaseBin();
});
function track(root: string): string {
  roots.push(root);
  return root;
}
const project = (extra: Record<string, string> = {}) => track(lanternProject(extra));

function phasesOf(text: string) {
  return readRoadmap(parseMarkdown(text), 'ROADMAP.md').record.phases;
}

const TRICKY = 'Reports $1 $& | `code` \\ end';

describe('phase add (decision)', () => {
  it('adds the next integer phase in the style of its neighbours: list line, details block, table row, folder', async () => {
    const root = project();
    const change = phaseAdd(await ctxOf(root), { name: 'Sharing', goal: 'Users can share a search' });
    const text = change.files.get('.planning/ROADMAP.md')!;
    expect(text).toBe(
      LANTERN_ROADMAP.replace('- [ ] **Phase 5: Polish** - final pass\n', () => '- [ ] **Phase 5: Polish** - final pass\n- [ ] **Phase 6: Sharing** - Users can share a search\n')
        .replace(
          '**Depends on**: Phases 3-4.1\n**Plans**: TBD\n\n',
          () =>
            '**Depends on**: Phases 3-4.1\n**Plans**: TBD\n\n### Phase 6: Sharing\n**Goal**: Users can share a search\n**Depends on**: Phase 5\n**Requirements**: TBD\n**Success Criteria** (what must be TRUE):\n  1. TBD\n**Plans**: TBD\n\n',
        )
        .replace('| 5. Polish | 0/0 | Not started | - |\n', () => '| 5. Polish | 0/0 | Not started | - |\n| 6. Sharing | 0/0 | Not started | - |\n'),
    );
    expect(change.files.get('.planning/phases/06-sharing/.gitkeep')).toBe('');
    expect(change.result).toMatchObject({ phase: '6', padded: '06', name: 'Sharing', slug: 'sharing', directory: '.planning/phases/06-sharing', dependsOn: ['5'] });
    const p = phasesOf(text).find((x) => x.id === '6')!;
    expect(p).toMatchObject({ name: 'Sharing', goal: 'Users can share a search', dependsOn: ['5'], checked: false, planCountUnknown: true });
    expect(p.declarations.map((d) => d.kind)).toEqual(['checkbox', 'heading', 'table']);
  });

  it('keeps $1, $&, pipes, backslashes and backticks intact (the table cell escapes the pipe)', async () => {
    const root = project();
    const change = phaseAdd(await ctxOf(root), { name: TRICKY, slug: 'reports' });
    const text = change.files.get('.planning/ROADMAP.md')!;
    expect(text).toContain(`- [ ] **Phase 6: ${TRICKY}**\n`);
    expect(text).toContain(`### Phase 6: ${TRICKY}\n`);
    expect(text).toContain('| 6. Reports $1 $& \\| `code` \\ end | 0/0 | Not started | - |\n');
    const p = phasesOf(text).find((x) => x.id === '6')!;
    expect(p.name).toBe(TRICKY);
  });

  it('skips backlog (999.x) when numbering and places the phase before it', async () => {
    const roadmap = LANTERN_ROADMAP.replace('- [ ] **Phase 5: Polish** - final pass\n', () => '- [ ] **Phase 5: Polish** - final pass\n- [ ] **Phase 999.1: Someday** - parked\n').replace(
      '| 5. Polish | 0/0 | Not started | - |\n',
      () => '| 5. Polish | 0/0 | Not started | - |\n| 999.1 Someday | 0/0 | Not started | - |\n',
    );
    const root = project({ '.planning/ROADMAP.md': roadmap, '.planning/phases/999.1-someday/.gitkeep': '' });
    const text = phaseAdd(await ctxOf(root), { name: 'Sharing' }).files.get('.planning/ROADMAP.md')!;
    expect(text).toContain('- [ ] **Phase 5: Polish** - final pass\n- [ ] **Phase 6: Sharing**\n- [ ] **Phase 999.1: Someday**');
    expect(text).toContain('| 5. Polish | 0/0 | Not started | - |\n| 6. Sharing | 0/0 | Not started | - |\n| 999.1 Someday |');
  });

  it('--depends-on names other phases, or none', async () => {
    const ctx = await ctxOf(project());
    expect(phaseAdd(ctx, { name: 'A', dependsOn: '2, 4.1' }).files.get('.planning/ROADMAP.md')).toContain('**Depends on**: Phase 2, Phase 4.1\n');
    expect(phaseAdd(ctx, { name: 'A', dependsOn: 'none' }).files.get('.planning/ROADMAP.md')).toContain('**Depends on**: Nothing (first phase)\n');
    expect(() => phaseAdd(ctx, { name: 'A', dependsOn: '9' })).toThrow(/unknown phase 9; the phases are 1, 2, 2\.1, 3, 4, 4\.1, 5/);
  });

  it('groups the phase under the active milestone: inside its block, with the milestone in the table and its range extended', async () => {
    const roadmap = [
      '# Roadmap: Harbor',
      '',
      '## Milestones',
      '',
      '- ✅ **v1.0 MVP** - Phases 1-2 (shipped 2026-01-10)',
      '- 🚧 **v1.1 Sync** - Phases 3-4 (in progress)',
      '',
      '## Phases',
      '',
      '<details>',
      '<summary>✅ v1.0 MVP (Phases 1-2) - SHIPPED 2026-01-10</summary>',
      '',
      '- [x] Phase 1: Core (2/2 plans) -- completed 2026-01-05',
      '- [x] Phase 2: Shell (1/1 plan) -- completed 2026-01-10',
      '',
      '</details>',
      '',
      '### 🚧 v1.1 Sync (In Progress)',
      '',
      '- [ ] **Phase 3: Pull** - fetch changes',
      '- [ ] **Phase 4: Push** - send changes',
      '',
      '## Phase Details',
      '',
      '### Phase 3: Pull',
      '**Goal**: Changes arrive',
      '**Depends on**: Phase 2',
      '**Plans**: TBD',
      '',
      '---',
      '',
      '### Phase 4: Push',
      '**Goal**: Changes leave',
      '**Depends on**: Phase 3',
      '**Plans**: TBD',
      '',
      '---',
      '',
      '## Progress',
      '',
      '| Phase | Milestone | Plans Complete | Status | Completed |',
      '|-------|-----------|----------------|--------|-----------|',
      '| 1. Core | v1.0 | 2/2 | Complete | 2026-01-05 |',
      '| 2. Shell | v1.0 | 1/1 | Complete | 2026-01-10 |',
      '| 3. Pull | v1.1 | 0/0 | Not started | - |',
      '| 4. Push | v1.1 | 0/0 | Not started | - |',
      '',
    ].join('\n');
    const root = track(tempProject({ '.planning/ROADMAP.md': roadmap }));
    const change = phaseAdd(await ctxOf(root), { name: 'Conflicts' });
    const text = change.files.get('.planning/ROADMAP.md')!;
    expect(text).toContain('- 🚧 **v1.1 Sync** - Phases 3-5 (in progress)');
    expect(text).toContain('- [ ] **Phase 4: Push** - send changes\n- [ ] **Phase 5: Conflicts**\n');
    expect(text).toContain('**Depends on**: Phase 3\n**Plans**: TBD\n\n---\n\n### Phase 5: Conflicts\n**Goal**: To be planned\n**Depends on**: Phase 4\n');
    expect(text).toContain('**Plans**: TBD\n\n---\n\n## Progress');
    expect(text).toContain('| 4. Push | v1.1 | 0/0 | Not started | - |\n| 5. Conflicts | v1.1 | 0/0 | Not started | - |\n');
    expect(phasesOf(text).find((p) => p.id === '5')!.milestone).toBe('v1.1');
    expect(change.result).toMatchObject({ milestone: 'v1.1', notes: [] });

    // Inserting after the shipped phase 2 stays inside v1.0's block.
    const ins = phaseInsert(await ctxOf(root), { after: '2', name: 'Shell fix' }).files.get('.planning/ROADMAP.md')!;
    expect(ins).toContain('- [x] Phase 2: Shell (1/1 plan) -- completed 2026-01-10\n- [ ] Phase 2.1: Shell fix (INSERTED)\n\n### Phase 2.1: Shell fix (INSERTED)\n');
    expect(ins).toMatch(/\*\*Depends on\*\*: Phase 2\n[^<]*<\/details>\n\n### 🚧 v1\.1 Sync/);
    expect(phasesOf(ins).find((p) => p.id === '2.1')!.milestone).toBe('v1.0');
  });

  it('creates the canonical sections in a roadmap that has no phases, and a ROADMAP.md when there is none', async () => {
    const root = track(tempProject({ '.planning/ROADMAP.md': '# Roadmap: Empty\n\n## Overview\n\nNothing yet.\n' }));
    const text = phaseAdd(await ctxOf(root), { name: 'Start' }).files.get('.planning/ROADMAP.md')!;
    expect(text).toBe(
      '# Roadmap: Empty\n\n## Overview\n\nNothing yet.\n\n## Phases\n\n- [ ] **Phase 1: Start**\n\n## Phase Details\n\n### Phase 1: Start\n**Goal**: To be planned\n**Depends on**: Nothing (first phase)\n**Requirements**: TBD\n**Success Criteria** (what must be TRUE):\n  1. TBD\n**Plans**: TBD\n\n## Progress\n\n| Phase | Plans Complete | Status | Completed |\n|-------|----------------|--------|-----------|\n| 1. Start | 0/0 | Not started | - |\n',
    );
    const bare = track(tempProject({ '.planning/STATE.md': '# Project State\n' }));
    const created = phaseAdd(await ctxOf(bare), { name: 'Start' });
    expect(phasesOf(created.files.get('.planning/ROADMAP.md')!).map((p) => p.id)).toEqual(['1']);
  });

  it('keeps CRLF line endings', async () => {
    const root = project({ '.planning/ROADMAP.md': LANTERN_ROADMAP.replace(/\n/g, '\r\n') });
    const text = phaseAdd(await ctxOf(root), { name: 'Sharing' }).files.get('.planning/ROADMAP.md')!;
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(text).toContain('\r\n### Phase 6: Sharing\r\n**Goal**: To be planned\r\n');
  });

  it.each([
    { label: 'a missing name', input: { name: undefined }, error: UsageError, message: /the phase name is missing/ },
    { label: 'a blank name', input: { name: '  ' }, error: UsageError, message: /the phase name is empty/ },
    { label: 'a two-line name', input: { name: 'a\nb' }, error: UsageError, message: /must be one line/ },
    { label: 'a slug with ..', input: { name: 'X', slug: '../x' }, error: UsageError, message: /looks like a path/ },
    { label: 'an absolute slug', input: { name: 'X', slug: '/tmp/x' }, error: UsageError, message: /looks like a path/ },
    { label: 'an uppercase slug', input: { name: 'X', slug: 'Bad Slug' }, error: UsageError, message: /is not valid/ },
    { label: 'a name without ASCII and no slug', input: { name: '日志系统' }, error: UsageError, message: /no ASCII letters or digits/ },
    { label: 'a name that reads back differently', input: { name: 'Deploy (done)' }, error: UsageError, message: /would read back .* as "Deploy"/ },
  ])('refuses $label', async ({ input, error, message }) => {
    const ctx = await ctxOf(project());
    expect(() => phaseAdd(ctx, input)).toThrow(error);
    expect(() => phaseAdd(ctx, input)).toThrow(message);
  });

  it('refuses to edit a ROADMAP.md that is not valid UTF-8', async () => {
    const root = project();
    const bytes = Buffer.concat([Buffer.from(LANTERN_ROADMAP), Buffer.from([0xff, 0x0a])]);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(root, '.planning', 'ROADMAP.md'), bytes);
    await expect(ctxOf(root).then((ctx) => phaseAdd(ctx, { name: 'X' }))).rejects.toThrow(PreconditionError);
  });
});

describe('phase insert (decision)', () => {
  it('inserting after 2 twice gives 2.2 then 2.3 below 2.1, in every list and on disk', async () => {
    const root = project();
    applyChange(root, phaseInsert(await ctxOf(root), { after: '2', name: 'Cache' }));
    applyChange(root, phaseInsert(await ctxOf(root), { after: '2', name: 'Backup' }));
    const text = readFileSync(join(root, '.planning', 'ROADMAP.md'), 'utf8');
    const order = (re: RegExp) => [...text.matchAll(re)].map((m) => m[1]);
    expect(order(/^- \[[ x]\] \*\*Phase ([\d.]+):/gm)).toEqual(['1', '2', '2.1', '2.2', '2.3', '3', '4', '4.1', '5']);
    expect(order(/^### Phase ([\d.]+):/gm)).toEqual(['1', '2', '2.1', '2.2', '2.3', '3', '4', '4.1', '5']);
    expect(order(/^\| (\d+(?:\.\d+)*)\.? /gm)).toEqual(['1', '2', '2.1', '2.2', '2.3', '3', '4', '4.1', '5']);
    expect(text).toContain('- [ ] **Phase 2.2: Cache** (INSERTED)\n- [ ] **Phase 2.3: Backup** (INSERTED)\n- [ ] **Phase 3: Search**');
    expect(text).toContain('### Phase 2.2: Cache (INSERTED)\n**Goal**: To be planned\n**Depends on**: Phase 2\n');
    const dirs = Object.keys(snapshot(root)).filter((k) => /^\.planning\/phases\/[^/]+\/$/.test(k));
    expect(dirs).toEqual([
      '.planning/phases/01-setup/',
      '.planning/phases/02-storage/',
      '.planning/phases/02.1-storage-hotfix/',
      '.planning/phases/02.2-cache/',
      '.planning/phases/02.3-backup/',
      '.planning/phases/03-search/',
      '.planning/phases/04-export/',
      '.planning/phases/04.1-export-fixes/',
      '.planning/phases/05-polish/',
    ]);
    const phases = phasesOf(text);
    expect(phases.map((p) => p.id)).toEqual(['1', '2', '2.1', '2.2', '2.3', '3', '4', '4.1', '5']);
    expect(phases.filter((p) => p.inserted).map((p) => p.id)).toEqual(['2.1', '2.2', '2.3', '4.1']);
  });

  it('inserting after a phase without decimals gives .1, after a decimal gives a third level', async () => {
    const ctx = await ctxOf(project());
    expect(phaseInsert(ctx, { after: '3', name: 'Ranking' }).result).toMatchObject({ phase: '3.1', directory: '.planning/phases/03.1-ranking', dependsOn: ['3'] });
    const deep = phaseInsert(ctx, { after: '2.1', name: 'Lock test' });
    expect(deep.result).toMatchObject({ phase: '2.1.1', directory: '.planning/phases/02.1.1-lock-test' });
    expect(deep.files.get('.planning/ROADMAP.md')).toContain('- [ ] **Phase 2.1: Storage Hotfix** - lock fix (INSERTED)\n- [ ] **Phase 2.1.1: Lock test** (INSERTED)\n');
  });

  it('refuses an unknown <after> listing the phases, and a missing one', async () => {
    const ctx = await ctxOf(project());
    expect(() => phaseInsert(ctx, { after: '7', name: 'X' })).toThrow('unknown phase 7; the phases are 1, 2, 2.1, 3, 4, 4.1, 5');
    expect(() => phaseInsert(ctx, { after: undefined, name: 'X' })).toThrow(/a phase id is missing/);
    expect(() => phaseInsert(ctx, { after: '2', name: undefined })).toThrow(/the phase name is missing/);
  });
});

describe('phase add / insert (CLI)', () => {
  it('writes ROADMAP and the folder; --json reports the phase; the name is shown intact', () => {
    const root = project();
    const r = cairn(['phase', 'add', TRICKY, '--slug', 'reports', '--json', '-C', root]);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    expect(doc.result).toMatchObject({ phase: '6', name: TRICKY, directory: '.planning/phases/06-reports' });
    expect(doc.changed).toEqual(expect.arrayContaining(['.planning/ROADMAP.md', '.planning/phases/06-reports/.gitkeep']));
    expect(existsSync(join(root, '.planning/phases/06-reports/.gitkeep'))).toBe(true);
    expect(readFileSync(join(root, '.planning/ROADMAP.md'), 'utf8')).toContain(`### Phase 6: ${TRICKY}\n`);
    const human = cairn(['phase', 'insert', '6', 'Hot $& fix', '-C', root]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('Inserted phase 6.1: Hot $& fix (.planning/phases/06.1-hot-fix/)');
  });

  it('--dry-run prints the diff and writes nothing', async () => {
    const root = project();
    const before = snapshot(root);
    const r = await cairnIn(['phase', 'insert', '2', 'Cache', '--dry-run', '-C', root]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('+- [ ] **Phase 2.2: Cache** (INSERTED)');
    expect(r.stdout).toContain('+++ b/.planning/phases/02.2-cache/.gitkeep');
    expect(snapshot(root)).toEqual(before);
  });

  it.each([
    { label: 'slug ../x', args: ['add', 'X', '--slug', '../x'], code: 2, message: /looks like a path/ },
    { label: 'absolute slug', args: ['add', 'X', '--slug', '/etc/x'], code: 2, message: /looks like a path/ },
    { label: 'unknown <after>', args: ['insert', '9', 'X'], code: 2, message: /unknown phase 9; the phases are 1, 2, 2\.1, 3, 4, 4\.1, 5/ },
    { label: 'unknown --depends-on', args: ['add', 'X', '--depends-on', '12'], code: 2, message: /unknown phase 12/ },
    { label: 'unquoted name', args: ['add', 'Two', 'words'], code: 2, message: /unexpected argument "words"/ },
    { label: 'unknown option', args: ['add', 'X', '--colour'], code: 2, message: /unknown option --colour/ },
    { label: 'no subcommand', args: [], code: 2, message: /expected add, insert, remove, renumber or complete/ },
    { label: 'unknown subcommand', args: ['rename', '3'], code: 2, message: /unknown subcommand "rename"/ },
  ])('$label → exit $code, nothing changed', async ({ args, code, message }) => {
    const root = project();
    const before = snapshot(root);
    const r = await cairnIn(['phase', ...args, '-C', root]);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(snapshot(root)).toEqual(before);
  });

  it('help lists the subcommands; each subcommand has its own help', async () => {
    const all = await cairnIn(['phase', '--help']);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/add "<name>"[\s\S]*insert <after> "<name>"[\s\S]*remove <id>[\s\S]*complete <id>/);
    const add = await cairnIn(['phase', 'add', '--help']);
    expect(add.stdout).toContain('Usage: cairn phase add "<name>"');
    expect(add.stdout).toContain('Example: cairn phase add');
  });
});
