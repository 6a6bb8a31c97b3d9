/**
 * `cairn phase renumber`: a unique phase (references everywhere follow), a decimal becoming an
 * integer, two phases sharing an id after a merge (ambiguous without --slug; with it only the
 * chosen one moves), refusals (taken id, inserted children, ledger events, bytes it cannot
 * reproduce) that leave every byte in place, and the built CLI (--dry-run, --json, exit codes).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { phaseRenumber } from '../../src/ops/phase-renumber.ts';
import { PreconditionError, UsageError } from '../../src/model/errors.ts';
import { cairn, cairnIn, json, releaseBin } from './cli.ts';
import { remove } from '../support/cli.ts';
import { applyChange, ctxOf, LANTERN_ROADMAP, lanternProject, snapshot } from './phase-fixture.ts';

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

const P = '.planning/phases';
const DEPENDENT = { [`${P}/03-search/03-02-PLAN.md`]: '---\nphase: 03-search\nplan: 02\ndepends_on: ["02.1-01", "03-01"]\n---\n\n# ranking\n' };

/** Lantern after a merge: a second branch also added phase 5 ("Reports"), in every part of ROADMAP.md. */
const MERGED_ROADMAP = LANTERN_ROADMAP.replace('- [ ] **Phase 5: Polish** - final pass\n', '- [ ] **Phase 5: Polish** - final pass\n- [ ] **Phase 5: Reports** - monthly reports\n')
  .replace('**Plans**: TBD\n', '**Plans**: TBD\n\n### Phase 5: Reports\n**Goal**: Monthly reports\n**Depends on**: Phase 4\n**Plans**: 1 plans\n\nPlans:\n- [ ] 05-01: monthly\n')
  .replace('| 5. Polish | 0/0 | Not started | - |\n', '| 5. Polish | 0/0 | Not started | - |\n| 5. Reports | 0/1 | Not started | - |\n');
const MERGED = {
  '.planning/ROADMAP.md': MERGED_ROADMAP,
  [`${P}/05-reports/05-01-PLAN.md`]: '---\nphase: 05-reports\nplan: 01\nwave: 1\n---\n\n# monthly\n',
  [`${P}/05-reports/05-RESEARCH.md`]: '# Reports research\n',
};

async function renumber(root: string, id: string, newId: string, slug?: string) {
  const change = phaseRenumber(await ctxOf(root), { id, newId, slug });
  applyChange(root, change);
  return change;
}

describe('a unique phase', () => {
  it('moves its folder, files, frontmatter, ROADMAP entries and every reference to it', async () => {
    const root = project(DEPENDENT);
    const before = snapshot(root);
    const change = await renumber(root, '2.1', '2.2');
    const after = snapshot(root);
    expect(after[`${P}/02.1-storage-hotfix/`]).toBeUndefined();
    expect(after[`${P}/02.2-storage-hotfix/02.2-01-PLAN.md`]).toBe(before[`${P}/02.1-storage-hotfix/02.1-01-PLAN.md`]!.replace('phase: 02.1-storage-hotfix', 'phase: 02.2-storage-hotfix'));
    expect(after[`${P}/03-search/03-02-PLAN.md`]).toContain('depends_on: ["02.2-01", "03-01"]');
    const roadmap = after['.planning/ROADMAP.md']!;
    expect(roadmap).toContain('- [ ] **Phase 2.2: Storage Hotfix** - lock fix (INSERTED)');
    expect(roadmap).toContain('### Phase 2.2: Storage Hotfix (INSERTED)');
    expect(roadmap).toContain('- [ ] 02.2-01: lock fix');
    expect(roadmap).toContain('**Depends on**: Phase 2, Phase 2.2');
    expect(roadmap).toContain('| 2.2 Storage Hotfix | 0/1 |');
    expect(roadmap).not.toMatch(/\b2\.1\b/);
    // Nothing else changed: the same ROADMAP with 2.1 → 2.2 only.
    expect(roadmap).toBe(before['.planning/ROADMAP.md']!.replace(/\b(0?2)\.1\b/g, (_m, int: string) => `${int}.2`));
    expect(change.result).toEqual({
      from: '2.1',
      to: '2.2',
      slug: 'storage-hotfix',
      renamedDirectory: { from: `${P}/02.1-storage-hotfix`, to: `${P}/02.2-storage-hotfix` },
      renamedFiles: [{ from: `${P}/02.1-storage-hotfix/02.1-01-PLAN.md`, to: `${P}/02.2-storage-hotfix/02.2-01-PLAN.md` }],
      roadmapUpdated: true,
      unresolvedReferences: [],
    });
  });

  it('turns a decimal into an integer (4.1 → 6) in the padding of the project', async () => {
    const root = project();
    await renumber(root, '4.1', '6');
    const after = snapshot(root);
    expect(Object.keys(after).filter((k) => k.includes('export-fixes'))).toEqual([`${P}/06-export-fixes/`, `${P}/06-export-fixes/06-01-PLAN.md`]);
    expect(after[`${P}/06-export-fixes/06-01-PLAN.md`]).toContain('phase: 06-export-fixes\nplan: 01\n');
    expect(after['.planning/ROADMAP.md']).toContain('### Phase 6: Export Fixes (INSERTED)');
    expect(after['.planning/ROADMAP.md']).toContain('- [ ] 06-01: utf8');
    const ws = (await ctxOf(root)).ws;
    expect(ws.roadmap!.record.phases.map((p) => p.id)).toEqual(['1', '2', '2.1', '3', '4', '6', '5']);
  });
});

describe('two phases sharing an id after a merge', () => {
  it('refuses without --slug, naming both folders and both commands', async () => {
    const root = project(MERGED);
    const ctx = await ctxOf(root);
    let err: unknown;
    try {
      phaseRenumber(ctx, { id: '5', newId: '6' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PreconditionError);
    const e = err as PreconditionError;
    expect(e.message).toBe(`phase 5 is ambiguous: 2 folders: ${P}/05-polish and ${P}/05-reports`);
    expect(e.hint).toBe('pick the one to renumber with --slug: cairn phase renumber 5 6 --slug polish  or  cairn phase renumber 5 6 --slug reports');
  });

  it('with --slug moves only that phase and lists the references it cannot tell apart', async () => {
    const root = project({ ...MERGED, [`${P}/06-later/06-01-PLAN.md`]: '---\nphase: 06-later\nplan: 01\ndepends_on: ["05-01"]\n---\n' });
    const before = snapshot(root);
    const change = await renumber(root, '5', '7', 'reports');
    const after = snapshot(root);
    expect(after[`${P}/05-polish/05-CONTEXT.md`]).toBe(before[`${P}/05-polish/05-CONTEXT.md`]);
    expect(after[`${P}/07-reports/07-01-PLAN.md`]).toContain('phase: 07-reports\nplan: 01\n');
    expect(after[`${P}/07-reports/07-RESEARCH.md`]).toBe('# Reports research\n');
    // Which phase 5 the other plan meant cannot be known: left as written, and said.
    expect(after[`${P}/06-later/06-01-PLAN.md`]).toBe(before[`${P}/06-later/06-01-PLAN.md`]);
    // `affects: [05-polish]` and the execution-order chain (`… → 4.1 → 5`) are listed too: they name phase 5.
    expect(change.result.unresolvedReferences).toEqual([`${P}/04-export/04-02-PLAN.md`, `${P}/06-later/06-01-PLAN.md`, '.planning/ROADMAP.md line 86']);
    expect(after['.planning/ROADMAP.md']!.split('\n')[85]).toBe('Phases execute in numeric order: 1 → 2 → 2.1 → 3 → 4 → 4.1 → 5');
    const roadmap = after['.planning/ROADMAP.md']!;
    expect(roadmap).toContain('- [ ] **Phase 5: Polish** - final pass\n- [ ] **Phase 7: Reports** - monthly reports\n');
    expect(roadmap).toContain('### Phase 5: Polish\n');
    expect(roadmap).toContain('### Phase 7: Reports\n**Goal**: Monthly reports\n**Depends on**: Phase 4\n');
    expect(roadmap).toContain('- [ ] 07-01: monthly');
    expect(roadmap).toContain('| 5. Polish | 0/0 | Not started | - |\n| 7. Reports | 0/1 | Not started | - |\n');
    const ws = (await ctxOf(root)).ws;
    expect(ws.diagnostics.filter((d) => d.rule === 'duplicate-phase-id')).toEqual([]);
  });

  it('the duplicate-phase-id diagnostics name the command with a free id', async () => {
    const root = project(MERGED);
    const ws = (await ctxOf(root)).ws;
    const dups = ws.diagnostics.filter((d) => d.rule === 'duplicate-phase-id');
    // The folder collision, and each second declaration in ROADMAP.md (list line, heading, table row).
    expect([...new Set(dups.map((d) => d.file))].sort()).toEqual(['.planning/ROADMAP.md', `${P}/05-reports`]);
    expect(dups.length).toBeGreaterThanOrEqual(4);
    for (const d of dups) expect(d.hint).toBe('renumber one: `cairn phase renumber 5 6 --slug reports` (or 5.1 to keep it next to phase 5), then run `cairn check`');
  });
});

describe('refusals', () => {
  async function refused(root: string, input: { id: string; newId: string; slug?: string }, kind: typeof PreconditionError | typeof UsageError, message: RegExp, hint?: RegExp) {
    const before = snapshot(root);
    const ctx = await ctxOf(root);
    let err: any;
    try {
      phaseRenumber(ctx, input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(kind);
    expect(err.message).toMatch(message);
    if (hint) expect(err.hint).toMatch(hint);
    expect(snapshot(root)).toEqual(before);
  }

  it('a taken id, with the command for a free one', async () => {
    await refused(project(), { id: '3', newId: '4' }, PreconditionError, /^phase 4 is taken \(\.planning\/phases\/04-export\)$/, /^pick a free id: cairn phase renumber 3 6$/);
  });
  it('an id taken only by an archived folder', async () => {
    await refused(project({ '.planning/milestones/v0.9-phases/06-old/06-01-PLAN.md': '---\nphase: 06-old\nplan: 01\n---\n' }), { id: '3', newId: '6' }, PreconditionError, /^phase 6 is taken/);
  });
  it('a phase with inserted phases after it', async () => {
    await refused(project(), { id: '4', newId: '6' }, PreconditionError, /inserted phases 4\.1/);
  });
  it('a phase the ledger names', async () => {
    const event = JSON.stringify({ id: 'e1', at: '2026-03-01T10:00:00.000Z', type: 'plan.completed', plan: '03-01', phase: '3' });
    await refused(project({ '.planning/events.jsonl': `${event}\n` }), { id: '3', newId: '6' }, PreconditionError, /ledger event/);
  });
  it('a file of the phase that is not valid UTF-8', async () => {
    const root = project();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(root, `${P}/03-search/03-01-PLAN.md`), Buffer.concat([Buffer.from('---\nphase: 03-search\nplan: 01\n---\n\n'), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]));
    await refused(root, { id: '3', newId: '6' }, PreconditionError, /not valid UTF-8/);
  });
  it('an unknown phase, a bad new id, the same id, an unknown slug', async () => {
    await refused(project(), { id: '9', newId: '10' }, UsageError, /^unknown phase 9/);
    await refused(project(), { id: '3', newId: 'x' }, UsageError, /is not a phase id/);
    await refused(project(), { id: '3', newId: '03' }, UsageError, /already has id 3/);
    await refused(project(MERGED), { id: '5', newId: '6', slug: 'nope' }, PreconditionError, /no folder or .* entry named "nope"/);
    await refused(project(), { id: '3', newId: '6', slug: '../x' }, UsageError, /looks like a path/);
  });
});

describe('the CLI', () => {
  it('--dry-run prints the renames and the diff and writes nothing', async () => {
    const root = project(MERGED);
    const before = snapshot(root);
    const r = await cairnIn(['phase', 'renumber', '5', '6', '--slug', 'reports', '--dry-run', '--dir', root]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`rename ${P}/05-reports → ${P}/06-reports`);
    expect(r.stdout).toContain(`rename ${P}/06-reports/05-01-PLAN.md → ${P}/06-reports/06-01-PLAN.md`);
    expect(r.stdout).toContain('+### Phase 6: Reports');
    expect(snapshot(root)).toEqual(before);
    expect(existsSync(join(root, '.planning/.cairn.lock'))).toBe(false);
  });

  it('--json reports the result; exit 3 names the next command', () => {
    const root = project(MERGED);
    const amb = cairn(['phase', 'renumber', '5', '6', '--dir', root]);
    expect(amb.code).toBe(3);
    expect(amb.stderr).toContain('cairn phase renumber 5 6 --slug reports');
    const r = cairn(['phase', 'renumber', '5', '6', '--slug', 'reports', '--json', '--dir', root]);
    expect(r.code).toBe(0);
    const out = json(r);
    expect(out.dryRun).toBe(false);
    expect(out.result).toMatchObject({ from: '5', to: '6', slug: 'reports', renamedDirectory: { from: `${P}/05-reports`, to: `${P}/06-reports` }, roadmapUpdated: true });
    expect(out.changed).toContain('.planning/ROADMAP.md');
    const check = json(cairn(['check', root, '--json']));
    expect(check.diagnostics.filter((d: any) => d.rule === 'duplicate-phase-id')).toEqual([]);
    const taken = cairn(['phase', 'renumber', '6', '5', '--dir', root]);
    expect(taken.code).toBe(3);
    expect(taken.stderr).toMatch(/phase 5 is taken/);
    expect(taken.stderr).toContain('cairn phase renumber 6 7');
  });

  it('help teaches the command', async () => {
    expect((await cairnIn(['phase', '--help'])).stdout).toContain('renumber <id> <new-id>');
    expect((await cairnIn(['phase', 'renumber', '--help'])).stdout).toContain('Usage: cairn phase renumber <id> <new-id> [--slug SLUG]');
  });
});
