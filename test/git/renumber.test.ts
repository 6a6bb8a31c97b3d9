/**
 * Acceptance, with real git in temp repositories and the built CLI: two clones each add phase 4
 * (separate clones, so the cross-branch id check cannot see the other side), the merge holds two
 * phases 4, `cairn check` names the exact renumber command, running it makes the check clean and
 * `status --json` counts both phases.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { remove } from '../support/cli.ts';
import { CONFLICT_MARKER, cairn, commitAll, files, git, ok, project, read, sandbox, status, write } from './repo.ts';

const s = sandbox();
afterAll(() => remove(s.dir));

function clone(origin: string, name: string): string {
  const dir = join(s.dir, name);
  git(s, s.dir, 'clone', '-q', origin, dir);
  ok(s, dir, 'git', 'install');
  return dir;
}

describe('a phase id collision after a merge', () => {
  it('is reported with the renumber command, which resolves it', () => {
    const origin = project(s);
    const a = clone(origin, 'alice');
    const b = clone(origin, 'bob');
    ok(s, a, 'phase', 'add', 'Reporting', '--goal', 'Monthly reports');
    write(a, '.planning/phases/04-reporting/04-01-PLAN.md', '---\nphase: 04-reporting\nplan: 01\nwave: 1\n---\n\n# Plan 04-01\n');
    commitAll(s, a, 'alice adds phase 4');
    ok(s, b, 'phase', 'add', 'Billing', '--goal', 'Invoices');
    write(b, '.planning/phases/04-billing/04-01-PLAN.md', '---\nphase: 04-billing\nplan: 01\nwave: 1\n---\n\n# Plan 04-01\n');
    write(b, '.planning/phases/04-billing/04-CONTEXT.md', '# Phase 4 context\n');
    commitAll(s, b, 'bob adds phase 4');
    git(s, b, 'push', '-q', 'origin', 'HEAD:bob');
    git(s, a, 'fetch', '-q', 'origin', 'bob');
    const m = git(s, a, 'merge', '--no-edit', 'FETCH_HEAD');
    expect(m).not.toMatch(/CONFLICT/);
    expect(files(a).filter((f) => !f.startsWith('bin/') && CONFLICT_MARKER.test(read(a, f)))).toEqual([]);
    expect(existsSync(join(a, '.planning/phases/04-reporting'))).toBe(true);
    expect(existsSync(join(a, '.planning/phases/04-billing'))).toBe(true);

    const check = cairn(s, a, 'check', '--json');
    const dups = JSON.parse(check.stdout).diagnostics.filter((d: any) => d.rule === 'duplicate-phase-id');
    expect(dups.length).toBeGreaterThan(0);
    const folder = dups.find((d: any) => d.file.startsWith('.planning/phases/'));
    expect(folder.message).toContain('.planning/phases/04-billing');
    expect(folder.message).toContain('.planning/phases/04-reporting');
    const command = /`(cairn phase renumber [^`]+)`/.exec(folder.hint)?.[1];
    expect(command).toMatch(/^cairn phase renumber 4 5 --slug (billing|reporting)$/);
    // Every duplicate diagnostic (ROADMAP lines too) names a runnable command.
    for (const d of dups) expect(d.hint).toMatch(/`cairn phase renumber 4 5 --slug (billing|reporting)`/);

    const args = command!.split(' ').slice(1);
    ok(s, a, ...args);
    const moved = command!.endsWith('billing') ? 'billing' : 'reporting';
    const stayed = moved === 'billing' ? 'reporting' : 'billing';
    expect(existsSync(join(a, `.planning/phases/05-${moved}/05-01-PLAN.md`))).toBe(true);
    expect(read(a, `.planning/phases/05-${moved}/05-01-PLAN.md`)).toContain(`phase: 05-${moved}`);
    expect(existsSync(join(a, `.planning/phases/04-${stayed}/04-01-PLAN.md`))).toBe(true);

    const after = JSON.parse(ok(s, a, 'check', '--json'));
    expect(after.diagnostics.filter((d: any) => d.severity !== 'info')).toEqual([]);
    const st = status(s, a);
    expect(st.progress.phases.total).toBe(5);
    const byId = Object.fromEntries(st.phases.map((p: any) => [p.id, p.dir]));
    expect(byId['4']).toBe(`.planning/phases/04-${stayed}`);
    expect(byId['5']).toBe(`.planning/phases/05-${moved}`);
    const roadmap = read(a, '.planning/ROADMAP.md');
    expect(roadmap).toMatch(new RegExp(`### Phase 5: ${moved === 'billing' ? 'Billing' : 'Reporting'}`));
    expect(roadmap).toMatch(new RegExp(`\\| 5\\. ${moved === 'billing' ? 'Billing' : 'Reporting'} \\|`));
  }, 120_000);
});
