/**
 * Alerts: work that has gone quiet or grown, as warnings in `cairn check` (they never fail it).
 * Every age is measured against the `now` passed in, never the wall clock.
 *
 *   stale-plan    a plan started (ledger `plan.started`) and not done for more than 3 × the median
 *                 measured duration of its phase's plans (the project's median when the phase has
 *                 none yet; no alert without any measured duration)
 *   blocker-age   a blocker open for more than BLOCKER_DAYS days (raised in the ledger; blockers
 *                 only STATE.md knows carry no date and are not aged)
 *   scope-growth  plans in scope grew by more than 20 % (and at least 2 plans) of the plans the
 *                 milestone had planned when it started — the burn-up's scope line at the
 *                 milestone's start (ledger `milestone.started`, else the previous milestone's
 *                 shipped date); needs history (git or ledger) reaching back to that day
 *   idle-project  nothing happened for more than IDLE_DAYS days (latest of: ledger events, plan
 *                 completions, STATE.md last activity, session, git commits) while work is left
 */
import type { Diagnostic } from '../model/diagnostic.ts';
import type { Workspace } from '../workspace/types.ts';
import type { GitHistory } from '../workspace/git-history.ts';
import type { ProjectState } from '../derive/types.ts';
import { planHistory, type PlanHistory } from '../derive/plan-history.ts';
import { burnup } from '../derive/burnup.ts';
import { blockerKey, historyOf } from '../derive/history.ts';
import { isKnownEvent } from '../ledger/index.ts';
import { extractTimestamp, toEpochMs } from '../model/dates.ts';
import { planKey } from '../model/ids.ts';
import { median } from '../model/median.ts';

export const STALE_FACTOR = 3;
export const BLOCKER_DAYS = 7;
export const SCOPE_GROWTH = 0.2;
export const IDLE_DAYS = 14;
const DAY_MS = 86_400_000;

export interface AlertContext {
  now: Date;
  /** `.planning/` git history when the caller read it (scope-growth before adoption, idle-project). */
  git?: GitHistory | null;
}

export function checkAlerts(ws: Workspace, s: ProjectState, ctx: AlertContext): Diagnostic[] {
  const history = planHistory(ws);
  return [...stalePlans(ws, history, ctx.now), ...agedBlockers(ws, ctx.now), ...scopeGrowth(ws, s, ctx), ...idleProject(ws, s, history, ctx)];
}

function warn(rule: string, file: string, message: string, hint: string): Diagnostic {
  return { rule, severity: 'warning', file, line: 0, column: 0, message, hint };
}

const days = (ms: number) => Math.floor(ms / DAY_MS);
const fmtMinutes = (m: number) => (m >= 90 ? `${Math.round(m / 6) / 10} h` : `${Math.round(m)} min`);

function stalePlans(ws: Workspace, h: PlanHistory, now: Date): Diagnostic[] {
  if (h.started.length === 0) return [];
  const byPhase = new Map<string, number[]>();
  const all: number[] = [];
  for (const c of h.completed) {
    if (c.minutes === null) continue;
    all.push(c.minutes);
    (byPhase.get(c.phase) ?? byPhase.set(c.phase, []).get(c.phase)!).push(c.minutes);
  }
  if (all.length === 0) return [];
  const out: Diagnostic[] = [];
  for (const p of h.started) {
    const own = byPhase.get(p.phase);
    const base = own?.length ? median(own) : median(all);
    const limit = STALE_FACTOR * base;
    const age = (now.getTime() - p.at) / 60_000;
    if (age <= limit) continue;
    const entry = ws.phases.flatMap((d) => d.plans).find((e) => e.key === planKey(p.planId));
    out.push(
      warn(
        'stale-plan',
        entry?.plan?.path ?? ws.ledger.path,
        `Plan ${p.planId} was started ${fmtMinutes(age)} ago and is not done: more than ${STALE_FACTOR}× the median ${own?.length ? `of phase ${p.phase}'s plans` : 'plan of the project'} (${fmtMinutes(base)}).`,
        `Finish it (\`cairn plan done ${p.planId}\` once its SUMMARY is written), or record what holds it up: cairn block "<what>"`,
      ),
    );
  }
  return out;
}

function agedBlockers(ws: Workspace, now: Date): Diagnostic[] {
  const raisedAt = new Map<string, number>();
  for (const e of ws.ledger.events) {
    if (!isKnownEvent(e) || e.type !== 'blocker.raised') continue;
    const at = Date.parse(e.at);
    const key = e.key ?? blockerKey(e.text);
    if (Number.isFinite(at) && !raisedAt.has(key)) raisedAt.set(key, at);
  }
  if (raisedAt.size === 0) return [];
  const out: Diagnostic[] = [];
  for (const b of historyOf(ws).blockers) {
    if (b.done) continue;
    const at = raisedAt.get(b.key);
    if (at === undefined) continue;
    const age = days(now.getTime()) - days(at);
    if (age <= BLOCKER_DAYS) continue;
    out.push(
      warn(
        'blocker-age',
        ws.ledger.path,
        `Blocker open for ${age} days (since ${new Date(at).toISOString().slice(0, 10)}): "${b.text.length > 80 ? `${b.text.slice(0, 79)}…` : b.text}".`,
        `Resolve it (cairn unblock "${b.text.slice(0, 20)}"), or escalate it: open more than ${BLOCKER_DAYS} days.`,
      ),
    );
  }
  return out;
}

function milestoneStart(ws: Workspace, s: ProjectState): { date: string; why: string } | null {
  const id = s.scope.milestone;
  if (id === null) return null;
  for (const e of ws.ledger.events) {
    if (isKnownEvent(e) && e.type === 'milestone.started' && e.milestone === id) return { date: e.at.slice(0, 10), why: `milestone ${id} started` };
  }
  const shipped = s.milestones.filter((m) => m.id !== id && m.shipped).map((m) => m.shipped!.slice(0, 10)).sort();
  const last = shipped.at(-1);
  return last ? { date: last, why: `the previous milestone shipped` } : null;
}

function scopeGrowth(ws: Workspace, s: ProjectState, ctx: AlertContext): Diagnostic[] {
  const start = milestoneStart(ws, s);
  if (!start) return [];
  const series = burnup(ws, ctx.git ?? null, ctx.now).points;
  // The scope at the start is the last point on or before the start day; history must reach it.
  const before = series.filter((p) => p.date <= start.date && p.source !== 'files');
  const at = before.at(-1);
  if (!at) return [];
  const planned = at.scope - at.done;
  const now = series.at(-1)!;
  const grew = now.scope - at.scope;
  if (planned <= 0 || grew < 2 || grew <= SCOPE_GROWTH * planned) return [];
  return [
    warn(
      'scope-growth',
      ws.roadmap?.path ?? `${ws.planningDir}/ROADMAP.md`,
      `Scope grew by ${grew} plans (${Math.round((100 * grew) / planned)} %) since ${start.why} on ${start.date}: ${planned} plan(s) were planned then, ${now.scope - at.done} are in scope now.`,
      `Check the milestone still fits (cairn burnup shows when it grew); move extra work to a later milestone or the backlog (999.x).`,
    ),
  ];
}

function idleProject(ws: Workspace, s: ProjectState, h: PlanHistory, ctx: AlertContext): Diagnostic[] {
  const status = s.position.status;
  if (status === 'milestone complete' || s.phases.length === 0 || s.phases.every((p) => p.complete)) return [];
  let last: number | null = null;
  const see = (ms: number | null) => {
    if (ms !== null && Number.isFinite(ms) && ms <= ctx.now.getTime() && (last === null || ms > last)) last = ms;
  };
  for (const e of ws.ledger.events) see(Date.parse(e.at));
  for (const c of h.completed) see(c.at);
  for (const p of h.started) see(p.at);
  const lastActivity = ws.state?.record.position?.lastActivity?.text ?? null;
  const ts = lastActivity ? extractTimestamp(lastActivity) : null;
  see(ts ? toEpochMs(ts) : null);
  const session = s.session?.last ? toEpochMs(s.session.last) : null;
  see(session);
  for (const c of ctx.git?.commits ?? []) see(Date.parse(c.date));
  if (last === null) return [];
  const idle = days(ctx.now.getTime()) - days(last);
  if (idle <= IDLE_DAYS) return [];
  return [
    warn(
      'idle-project',
      ws.state?.path ?? `${ws.planningDir}/STATE.md`,
      `No activity for ${idle} days (last on ${new Date(last).toISOString().slice(0, 10)}) with ${s.progress.plans.total - s.progress.plans.done} plan(s) left in scope.`,
      `Pick it up (cairn next shows what can start), or park it: cairn session save --stopped-at "<where>"`,
    ),
  ];
}
