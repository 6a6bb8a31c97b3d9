/**
 * Burn-up series: per day, plans done and plans in scope (the scope line), over the whole project
 * (every phase folder, archived ones included). Sources, each point saying which it came from:
 *
 *   git    — before adoption (the first ledger event): one pass of `git log --name-status` over
 *            `.planning/` (src/workspace/git-history.ts). A PLAN file added is +1 scope, deleted
 *            −1; a SUMMARY added is +1 done, deleted −1 (an archive move is a delete plus an add
 *            in one commit: no change). A commit touching ROADMAP.md marks `roadmapChanged`.
 *   ledger — from adoption on: done = plans done now that the ledger did not see complete (done
 *            before adoption) + the ledger's `plan.completed` events up to that day. The scope of
 *            a ledger point is git's scope that day when git is there, else today's files (the
 *            ledger records no scope changes): `scopeSource` says which.
 *   files  — the last point, today: plans done and plan files on disk now.
 * Days are UTC. Pure: the git history is read by the caller.
 */
import type { Workspace } from '../workspace/types.ts';
import type { GitHistory } from '../workspace/git-history.ts';
import { isKnownEvent } from '../ledger/index.ts';
import { parsePlanFileName, planKey } from '../model/ids.ts';

export type BurnupSource = 'git' | 'ledger' | 'files';

export interface BurnupPoint {
  /** YYYY-MM-DD (UTC). */
  date: string;
  done: number;
  scope: number;
  /** Where `done` came from. */
  source: BurnupSource;
  /** Where `scope` came from. */
  scopeSource: BurnupSource;
  /** A commit that day changed ROADMAP.md (phases added, inserted or re-planned). */
  roadmapChanged: boolean;
}

export interface Burnup {
  points: BurnupPoint[];
  /** First ledger event (adoption), null without a ledger. */
  adoptedAt: string | null;
  sources: { git: boolean; ledger: boolean };
  /** Ledger milestone events, in order. */
  milestones: { milestone: string; event: 'started' | 'completed'; date: string }[];
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function burnup(ws: Workspace, git: GitHistory | null, now: Date): Burnup {
  const events = ws.ledger.events.filter(isKnownEvent);
  const adoptedMs = events.length ? Date.parse(events[0]!.at) : null;
  const adoptedDay = adoptedMs !== null && Number.isFinite(adoptedMs) ? day(adoptedMs) : null;

  // Today, from the files.
  const ledgerDone = new Map<string, number>();
  const milestones: Burnup['milestones'] = [];
  for (const e of events) {
    const at = Date.parse(e.at);
    if (!Number.isFinite(at)) continue;
    if (e.type === 'plan.completed') {
      const k = planKey(e.plan);
      if (!ledgerDone.has(k)) ledgerDone.set(k, at);
    } else if (e.type === 'milestone.started') milestones.push({ milestone: e.milestone, event: 'started', date: day(at) });
    else if (e.type === 'milestone.completed') milestones.push({ milestone: e.milestone, event: 'completed', date: day(at) });
  }
  let filesDone = 0;
  let filesScope = 0;
  const doneKeys = new Set<string>();
  for (const d of ws.phases) {
    for (const p of d.plans) {
      filesScope++;
      if (p.summary !== null || ledgerDone.has(p.key)) {
        filesDone++;
        doneKeys.add(p.key);
      }
    }
  }
  filesScope = Math.max(filesScope, filesDone);

  // Git, day by day (the state after the day's last commit).
  const gitDays: { date: string; done: number; scope: number; roadmap: boolean }[] = [];
  if (git) {
    let plans = 0;
    let summaries = 0;
    for (const c of git.commits) {
      const ms = Date.parse(c.date);
      if (!Number.isFinite(ms)) continue;
      let roadmap = false;
      for (const ch of c.changes) {
        const name = ch.path.slice(ch.path.lastIndexOf('/') + 1);
        if (ch.path === '.planning/ROADMAP.md') {
          roadmap = true;
          continue;
        }
        if (!ch.path.startsWith('.planning/phases/') && !ch.path.startsWith('.planning/milestones/')) continue;
        const f = parsePlanFileName(name);
        if (!f) continue;
        const delta = ch.status === 'A' ? 1 : ch.status === 'D' ? -1 : 0;
        if (f.kind === 'plan') plans += delta;
        else summaries += delta;
      }
      const date = day(ms);
      const last = gitDays.at(-1);
      const point = { date, done: Math.max(0, summaries), scope: Math.max(0, plans, summaries), roadmap };
      if (last && last.date === date) {
        last.done = point.done;
        last.scope = point.scope;
        last.roadmap ||= roadmap;
      } else if (!last || date > last.date) gitDays.push(point);
    }
  }
  const gitScopeOn = (date: string): number | null => {
    let v: number | null = null;
    for (const g of gitDays) {
      if (g.date > date) break;
      v = g.scope;
    }
    return v;
  };

  const points: BurnupPoint[] = [];
  for (const g of gitDays) {
    if (adoptedDay !== null && g.date >= adoptedDay) break;
    points.push({ date: g.date, done: g.done, scope: g.scope, source: 'git', scopeSource: 'git', roadmapChanged: g.roadmap });
  }
  if (adoptedDay !== null) {
    // Plans done now that the ledger never saw complete were done before adoption.
    let seen = 0;
    for (const k of ledgerDone.keys()) if (doneKeys.has(k)) seen++;
    const base = Math.max(0, filesDone - seen);
    const days = new Set<string>([adoptedDay]);
    for (const [k, at] of ledgerDone) if (doneKeys.has(k)) days.add(day(at));
    for (const g of gitDays) if (g.date >= adoptedDay && g.roadmap) days.add(g.date);
    const sortedDone = [...ledgerDone.entries()].filter(([k]) => doneKeys.has(k)).map(([, at]) => day(at)).sort();
    for (const date of [...days].sort()) {
      let n = 0;
      while (n < sortedDone.length && sortedDone[n]! <= date) n++;
      const gs = gitScopeOn(date);
      const done = base + n;
      points.push({
        date,
        done,
        scope: Math.max(gs ?? filesScope, done),
        source: 'ledger',
        scopeSource: gs !== null ? 'git' : 'files',
        roadmapChanged: gitDays.some((g) => g.date === date && g.roadmap),
      });
    }
  }
  const today = day(now.getTime());
  while (points.length && points.at(-1)!.date >= today) points.pop();
  points.push({ date: today, done: filesDone, scope: filesScope, source: 'files', scopeSource: 'files', roadmapChanged: false });
  return { points, adoptedAt: adoptedMs !== null ? events[0]!.at : null, sources: { git: gitDays.length > 0, ledger: adoptedDay !== null }, milestones };
}
