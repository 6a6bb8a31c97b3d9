/**
 * Burn-up on real temp git repositories built with dated commits (GIT_AUTHOR_DATE /
 * GIT_COMMITTER_DATE), and on a ledger alone: the series and its scope line must match the
 * commits and events exactly, each point naming its source.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadWorkspace } from '../../src/workspace/index.ts';
import { readGitHistory } from '../../src/workspace/git-history.ts';
import { burnup } from '../../src/derive/burnup.ts';
import { createEvent, serializeEvents } from '../../src/ledger/index.ts';

const hasGit = spawnSync('git', ['--version']).status === 0;
const NOW = new Date('2026-03-20T12:00:00Z');
const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function project(): { root: string; write: (rel: string, text?: string) => void } {
  const root = mkdtempSync(join(tmpdir(), 'cairn-burnup-'));
  roots.push(root);
  const write = (rel: string, text = '# x\n') => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  return { root, write };
}

function commit(root: string, date: string, message: string): void {
  const env = { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' };
  execFileSync('git', ['add', '-A'], { cwd: root, env });
  execFileSync('git', ['commit', '-q', '--no-gpg-sign', '-m', message], { cwd: root, env });
}

const roadmap = (phases: string[]) => `# Roadmap\n\n${phases.map((p) => `- [ ] **Phase ${p}**`).join('\n')}\n`;

describe.runIf(hasGit)('burn-up from git history', () => {
  it('matches the commits: SUMMARY additions are done, PLAN additions and an inserted phase are scope', async () => {
    const { root, write } = project();
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: root });
    write('README.md', 'not planning\n');
    write('.planning/ROADMAP.md', roadmap(['1: Core', '2: Api']));
    write('.planning/phases/01-core/01-01-PLAN.md');
    write('.planning/phases/01-core/01-02-PLAN.md');
    write('.planning/phases/01-core/01-CONTEXT.md');
    commit(root, '2026-03-01T10:00:00Z', 'plan phase 1');
    write('.planning/phases/01-core/01-01-SUMMARY.md');
    commit(root, '2026-03-02T09:00:00Z', '01-01 done');
    write('.planning/phases/01-core/01-02-SUMMARY.md');
    write('src.txt', 'code outside .planning is not read\n');
    commit(root, '2026-03-02T18:00:00Z', '01-02 done');
    // Phase 1.1 inserted, with two plans.
    write('.planning/ROADMAP.md', roadmap(['1: Core', '1.1: Hotfix (INSERTED)', '2: Api']));
    write('.planning/phases/01.1-hotfix/01.1-01-PLAN.md');
    write('.planning/phases/01.1-hotfix/01.1-02-PLAN.md');
    commit(root, '2026-03-04T12:00:00Z', 'insert phase 1.1');
    write('.planning/phases/01.1-hotfix/01.1-01-SUMMARY.md');
    commit(root, '2026-03-05T12:00:00Z', '01.1-01 done');
    // Archive move: a delete and an add in one commit, no change.
    mkdirSync(join(root, '.planning/milestones/v1.0-phases'), { recursive: true });
    renameSync(join(root, '.planning/phases/01-core'), join(root, '.planning/milestones/v1.0-phases/01-core'));
    commit(root, '2026-03-06T12:00:00Z', 'archive phase 1');
    // A re-plan that removes a plan.
    rmSync(join(root, '.planning/phases/01.1-hotfix/01.1-02-PLAN.md'));
    commit(root, '2026-03-07T12:00:00Z', 'drop 01.1-02');

    const git = await readGitHistory(root);
    expect(git!.commits).toHaveLength(7);
    expect(git!.commits[0]!.changes.map((c) => `${c.status} ${c.path}`)).toEqual([
      'A .planning/ROADMAP.md',
      'A .planning/phases/01-core/01-01-PLAN.md',
      'A .planning/phases/01-core/01-02-PLAN.md',
      'A .planning/phases/01-core/01-CONTEXT.md',
    ]);
    const b = burnup(await loadWorkspace(root), git, NOW);
    expect(b.sources).toEqual({ git: true, ledger: false });
    expect(b.points.map((p) => [p.date, p.done, p.scope, p.source, p.scopeSource, p.roadmapChanged])).toEqual([
      ['2026-03-01', 0, 2, 'git', 'git', true],
      ['2026-03-02', 2, 2, 'git', 'git', false],
      ['2026-03-04', 2, 4, 'git', 'git', true],
      ['2026-03-05', 3, 4, 'git', 'git', false],
      ['2026-03-06', 3, 4, 'git', 'git', false],
      ['2026-03-07', 3, 3, 'git', 'git', false],
      ['2026-03-20', 3, 3, 'files', 'files', false],
    ]);
  });

  it('a folder outside any git repository has no git history', async () => {
    const { root, write } = project();
    write('.planning/ROADMAP.md', roadmap(['1: Core']));
    expect(await readGitHistory(root)).toBeNull();
  });
});

describe('burn-up from the ledger alone', () => {
  it('matches the plan.completed events; scope comes from the files and says so', async () => {
    const { root, write } = project();
    write('.planning/ROADMAP.md', roadmap(['1: Core']));
    for (const n of ['01', '02', '03', '04', '05']) write(`.planning/phases/01-core/01-${n}-PLAN.md`);
    // 01-01 was done before adoption (SUMMARY, no event); 02 and 03 on the 10th, 04 on the 12th.
    for (const n of ['01', '02', '03', '04']) write(`.planning/phases/01-core/01-${n}-SUMMARY.md`);
    const at = (iso: string) => new Date(iso);
    let last: string | undefined;
    const ev = <T extends Parameters<typeof createEvent>[0]>(body: T, when: string) => {
      const e = createEvent(body, at(when), last);
      last = e.id;
      return e;
    };
    const events = [
      ev({ type: 'decision.recorded', text: 'adopted' }, '2026-03-09T08:00:00Z'),
      ev({ type: 'milestone.started', milestone: 'v1.0', name: 'Core' }, '2026-03-09T08:00:01Z'),
      ev({ type: 'plan.started', plan: '01-02', phase: '1' }, '2026-03-10T08:00:00Z'),
      ev({ type: 'plan.completed', plan: '01-02', phase: '1', minutes: 30 }, '2026-03-10T09:00:00Z'),
      ev({ type: 'plan.completed', plan: '01-03', phase: '1' }, '2026-03-10T23:59:00Z'),
      ev({ type: 'plan.completed', plan: '01-04', phase: '1' }, '2026-03-12T10:00:00Z'),
      ev({ type: 'plan.started', plan: '01-05', phase: '1' }, '2026-03-13T10:00:00Z'),
    ];
    writeFileSync(join(root, '.planning/events.jsonl'), serializeEvents(events));
    const b = burnup(await loadWorkspace(root), null, NOW);
    expect(b.adoptedAt).toBe('2026-03-09T08:00:00.000Z');
    expect(b.sources).toEqual({ git: false, ledger: true });
    expect(b.milestones).toEqual([{ milestone: 'v1.0', event: 'started', date: '2026-03-09' }]);
    expect(b.points.map((p) => [p.date, p.done, p.scope, p.source, p.scopeSource])).toEqual([
      ['2026-03-09', 1, 5, 'ledger', 'files'],
      ['2026-03-10', 3, 5, 'ledger', 'files'],
      ['2026-03-12', 4, 5, 'ledger', 'files'],
      ['2026-03-20', 4, 5, 'files', 'files'],
    ]);
  });

  it('with neither git nor ledger, only today is known', async () => {
    const { root, write } = project();
    write('.planning/phases/01-core/01-01-PLAN.md');
    write('.planning/phases/01-core/01-01-SUMMARY.md');
    write('.planning/phases/01-core/01-02-PLAN.md');
    const b = burnup(await loadWorkspace(root), null, NOW);
    expect(b.points).toEqual([{ date: '2026-03-20', done: 1, scope: 2, source: 'files', scopeSource: 'files', roadmapChanged: false }]);
  });
});

describe.runIf(hasGit)('burn-up: git before adoption, ledger after', () => {
  it('switches source at the first ledger event and keeps git as the scope line', async () => {
    const { root, write } = project();
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: root });
    write('.planning/phases/01-core/01-01-PLAN.md');
    write('.planning/phases/01-core/01-02-PLAN.md');
    commit(root, '2026-03-01T10:00:00Z', 'plans');
    write('.planning/phases/01-core/01-01-SUMMARY.md');
    commit(root, '2026-03-02T10:00:00Z', 'done 1');
    const e1 = createEvent({ type: 'decision.recorded', text: 'adopt' }, new Date('2026-03-03T10:00:00Z'));
    const e2 = createEvent({ type: 'plan.completed', plan: '01-02', phase: '1' }, new Date('2026-03-04T10:00:00Z'), e1.id);
    write('.planning/events.jsonl', serializeEvents([e1, e2]));
    write('.planning/phases/01-core/01-02-SUMMARY.md');
    write('.planning/phases/01-core/01-03-PLAN.md');
    commit(root, '2026-03-04T11:00:00Z', 'done 2, plan 3');
    const b = burnup(await loadWorkspace(root), await readGitHistory(root), NOW);
    expect(b.points.map((p) => [p.date, p.done, p.scope, p.source, p.scopeSource])).toEqual([
      ['2026-03-01', 0, 2, 'git', 'git'],
      ['2026-03-02', 1, 2, 'git', 'git'],
      ['2026-03-03', 1, 2, 'ledger', 'git'],
      ['2026-03-04', 2, 3, 'ledger', 'git'],
      ['2026-03-20', 2, 3, 'files', 'files'],
    ]);
  });
});
