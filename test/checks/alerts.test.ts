/**
 * Alerts: each fires on a project built to trigger it (real files, a real ledger, a real git
 * repository with dated commits) and stays quiet just under its threshold; then a spot-check list
 * of corpus repositories where each should not fire.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadWorkspace } from '../../src/workspace/index.ts';
import { readGitHistory } from '../../src/workspace/git-history.ts';
import { derive } from '../../src/derive/index.ts';
import { runChecks } from '../../src/checks/index.ts';
import { checkAlerts } from '../../src/checks/alerts.ts';
import { createEvent, serializeEvents, type EventBody } from '../../src/ledger/index.ts';
import { planHistory } from '../../src/derive/plan-history.ts';
import { corpusDir, hasCorpus } from '../support/corpus.ts';

const NOW = new Date('2026-03-20T12:00:00Z');
const ALERTS = ['stale-plan', 'blocker-age', 'scope-growth', 'idle-project'];
const hasGit = spawnSync('git', ['--version']).status === 0;
const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function project(files: Record<string, string>, events: [EventBody, string][] = []): string {
  const root = mkdtempSync(join(tmpdir(), 'cairn-alerts-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  if (events.length) {
    let last: string | undefined;
    const list = events.map(([body, at]) => {
      const e = createEvent(body, new Date(at), last);
      last = e.id;
      return e;
    });
    writeFileSync(join(root, '.planning/events.jsonl'), serializeEvents(list));
  }
  return root;
}

const summary = (minutes: number, completed = '2026-03-18') => `---\nduration: ${minutes} min\ncompleted: ${completed}\n---\n# Done\n`;
const PLAN = '---\nphase: 01\n---\n# Plan\n';
const ROADMAP = '# Roadmap\n\n## Phases\n\n- [ ] **Phase 1: Core**\n';

async function alerts(root: string, now = NOW, git = false): Promise<{ rule: string; message: string; file: string }[]> {
  const ws = await loadWorkspace(root);
  const g = git ? await readGitHistory(root) : null;
  return runChecks(ws, derive(ws, now), { now, git: g }).filter((d) => ALERTS.includes(d.rule));
}

describe('stale-plan', () => {
  it('fires past 3× the phase median, not before', async () => {
    const files: Record<string, string> = { '.planning/ROADMAP.md': ROADMAP };
    ['01', '02', '03', '04', '05'].forEach((n) => (files[`.planning/phases/01-core/01-${n}-PLAN.md`] = PLAN));
    files['.planning/phases/01-core/01-01-SUMMARY.md'] = summary(20);
    files['.planning/phases/01-core/01-02-SUMMARY.md'] = summary(30);
    files['.planning/phases/01-core/01-03-SUMMARY.md'] = summary(40);
    // Median 30 min → limit 90 min. 01-04 started 2 h ago, 01-05 80 min ago.
    const root = project(files, [
      [{ type: 'plan.started', plan: '01-04', phase: '1' }, '2026-03-20T10:00:00Z'],
      [{ type: 'plan.started', plan: '01-05', phase: '1' }, '2026-03-20T10:40:00Z'],
    ]);
    const found = (await alerts(root)).filter((d) => d.rule === 'stale-plan');
    expect(found).toHaveLength(1);
    expect(found[0]!.file).toBe('.planning/phases/01-core/01-04-PLAN.md');
    expect(found[0]!.message).toContain("more than 3× the median of phase 1's plans (30 min)");
    // 89 minutes after the start of 01-04: nothing.
    expect((await alerts(root, new Date('2026-03-20T11:29:00Z'))).filter((d) => d.rule === 'stale-plan')).toEqual([]);
  });
});

describe('blocker-age', () => {
  it('fires for a blocker open more than 7 days; not for a young or a resolved one', async () => {
    const root = project({ '.planning/ROADMAP.md': ROADMAP, '.planning/phases/01-core/01-01-PLAN.md': PLAN }, [
      [{ type: 'blocker.raised', blocker: 'b1', text: 'Waiting on the API key' }, '2026-03-10T09:00:00Z'],
      [{ type: 'blocker.raised', blocker: 'b2', text: 'Design review pending' }, '2026-03-17T09:00:00Z'],
      [{ type: 'blocker.raised', blocker: 'b3', text: 'Old vendor outage' }, '2026-02-01T09:00:00Z'],
      [{ type: 'blocker.resolved', blocker: 'b3' }, '2026-02-03T09:00:00Z'],
    ]);
    const found = (await alerts(root)).filter((d) => d.rule === 'blocker-age');
    expect(found.map((d) => d.message)).toEqual(['Blocker open for 10 days (since 2026-03-10): "Waiting on the API key".']);
    expect((await alerts(root, new Date('2026-03-17T12:00:00Z'))).filter((d) => d.rule === 'blocker-age')).toEqual([]);
  });
});

describe.runIf(hasGit)('scope-growth', () => {
  const ROADMAP_M = '# Roadmap\n\n## Milestones\n\n- 🚧 **v1.0 Core** - Phases 1-2 (in progress)\n\n## Phases\n\n### 🚧 v1.0 Core (In Progress)\n\n### Phase 1: Core\n**Goal**: x\n\n### Phase 2: More\n**Goal**: y\n';
  function repo(extraPlans: number): string {
    const root = project({ '.planning/ROADMAP.md': ROADMAP_M });
    const env = (date: string) => ({ ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' });
    const commit = (date: string) => {
      execFileSync('git', ['add', '-A'], { cwd: root, env: env(date) });
      execFileSync('git', ['commit', '-q', '--no-gpg-sign', '-m', date], { cwd: root, env: env(date) });
    };
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: root });
    for (const n of ['01', '02', '03', '04', '05']) writeFileSync(join(mkdirp(root, '.planning/phases/01-core'), `01-${n}-PLAN.md`), PLAN);
    const ev = createEvent({ type: 'milestone.started', milestone: 'v1.0', name: 'Core' }, new Date('2026-03-02T09:00:00Z'));
    writeFileSync(join(root, '.planning/events.jsonl'), serializeEvents([ev]));
    commit('2026-03-01T10:00:00Z');
    for (let i = 1; i <= extraPlans; i++) writeFileSync(join(mkdirp(root, '.planning/phases/02-more'), `02-0${i}-PLAN.md`), PLAN);
    if (extraPlans) commit('2026-03-08T10:00:00Z');
    return root;
  }
  function mkdirp(root: string, rel: string): string {
    mkdirSync(join(root, rel), { recursive: true });
    return join(root, rel);
  }

  it('fires when plans in scope grew by more than 20 % since the milestone started', async () => {
    const found = (await alerts(repo(2), NOW, true)).filter((d) => d.rule === 'scope-growth');
    expect(found.map((d) => d.message)).toEqual([
      'Scope grew by 2 plans (40 %) since milestone v1.0 started on 2026-03-02: 5 plan(s) were planned then, 7 are in scope now.',
    ]);
  });

  it('does not fire at 20 % or without the history to measure from', async () => {
    expect((await alerts(repo(1), NOW, true)).filter((d) => d.rule === 'scope-growth')).toEqual([]);
    // Same tree without git: the ledger records no scope changes, so nothing can be said.
    expect((await alerts(repo(2), NOW, false)).filter((d) => d.rule === 'scope-growth')).toEqual([]);
  });
});

describe('idle-project', () => {
  const files = {
    '.planning/ROADMAP.md': ROADMAP,
    '.planning/phases/01-core/01-01-PLAN.md': PLAN,
    '.planning/phases/01-core/01-01-SUMMARY.md': summary(20, '2026-03-01'),
    '.planning/phases/01-core/01-02-PLAN.md': PLAN,
  };
  it('fires after 14 idle days with work left', async () => {
    const found = (await alerts(project(files))).filter((d) => d.rule === 'idle-project');
    expect(found.map((d) => d.message)).toEqual(['No activity for 19 days (last on 2026-03-01) with 1 plan(s) left in scope.']);
  });
  it('not after 14 days exactly, and not when everything is done', async () => {
    expect((await alerts(project(files), new Date('2026-03-15T23:00:00Z'))).filter((d) => d.rule === 'idle-project')).toEqual([]);
    const done = { ...files, '.planning/phases/01-core/01-02-SUMMARY.md': summary(20, '2026-03-01') };
    expect((await alerts(project(done))).filter((d) => d.rule === 'idle-project')).toEqual([]);
  });
});

describe.runIf(hasCorpus())('alerts stay quiet on corpus repositories where they should not fire', () => {
  // No ledger and no git history in the corpus: plans were never started through cairn
  // (stale-plan), blockers carry no raise date (blocker-age), and the scope at a milestone's start
  // is unknown (scope-growth) — none of them may fire, whatever the clock says.
  const quiet = ['jushyi__Flick', 'AllTheMachines__Faceplate', 'lbpfeil__ardens', '9thLevelSoftware__SoundCheck', 'fisherd80__Listarr', 'suhwan__ultra-planning', 'gannonh__macrokinetic'];
  it.each(quiet)('%s: no stale-plan, blocker-age or scope-growth', async (repo) => {
    const root = join(corpusDir!, repo);
    const found = (await alerts(root, new Date('2027-06-01T00:00:00Z'))).filter((d) => d.rule !== 'idle-project');
    expect(found).toEqual([]);
  });
  // Finished projects are never idle, however long ago they finished.
  it.each(['dougbarrett__gomcp', 'mbarnson__caseycraps', 'axeforeverjumo__spora', 'deletexiumu__hivemind', 'msfstef__crossing-words'])(
    '%s (finished): no idle-project even years later',
    async (repo) => {
      expect((await alerts(join(corpusDir!, repo), new Date('2029-01-01T00:00:00Z'))).filter((d) => d.rule === 'idle-project')).toEqual([]);
    },
  );
  // In-progress projects a week after their last completion are not idle.
  it.each(['lbpfeil__ardens', 'allanpk716__ai-commit-hub', '0xdevxyz__legal', 'jushyi__Flick'])('%s a week after its last completion: no idle-project', async (repo) => {
    const ws = await loadWorkspace(join(corpusDir!, repo));
    const last = Math.max(...planHistory(ws).completed.map((c) => c.at ?? 0));
    const now = new Date(last + 7 * 86_400_000);
    const s = derive(ws, now);
    expect(s.phases.some((p) => !p.complete)).toBe(true); // really in progress
    // ...and idle a month later, which is the alert working.
    const later = new Date(last + 30 * 86_400_000);
    expect(checkAlerts(ws, derive(ws, later), { now: later }).map((d) => d.rule)).toContain('idle-project');
    expect(checkAlerts(ws, s, { now }).filter((d) => d.rule === 'idle-project')).toEqual([]);
  });
});
