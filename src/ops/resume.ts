/**
 * `resume`: the last handoff (time, where it stopped, resume file, plan in flight) and the next
 * step from derive(), with everything the files now contradict flagged: a resume file that is
 * gone, a plan in flight that has since been completed, a position that moved on. Read-only: it
 * takes no lock and writes nothing.
 */
import { existsSync } from 'node:fs';
import { historyOf } from '../derive/history.ts';
import type { ProjectState } from '../derive/types.ts';
import { isKnownEvent, type LedgerEvent, type SessionSaved } from '../ledger/index.ts';
import { toEpochMs } from '../model/dates.ts';
import { planKey } from '../model/ids.ts';
import { confine } from '../store/paths.ts';
import type { Workspace } from '../workspace/types.ts';
import { planLedger } from './plan-lookup.ts';

export type ContradictionKind = 'resume-file-missing' | 'resume-file-outside' | 'plan-completed' | 'plan-missing' | 'position-moved';

export interface Contradiction {
  kind: ContradictionKind;
  message: string;
}

export interface ResumeReport {
  session: {
    /** When it was saved: the ledger time, or STATE.md's "Last session" as written. */
    last: string | null;
    stoppedAt: string | null;
    resumeFile: string | null;
    plan: string | null;
    source: 'ledger' | 'state';
  } | null;
  planInFlight: { plan: string; phase: string | null; started: string | null; done: boolean; file: string | null } | null;
  position: ProjectState['position'];
  focus: string | null;
  next: ProjectState['next'];
  contradictions: Contradiction[];
}

const NONE = /^(?:none|n\/a|na|-|—|null|nothing|\(none\))\.?$/i;

/** The path a "Resume file" value names: backticks and surrounding prose removed; null for "None". */
function resumeCandidates(value: string): string[] {
  const v = value.replace(/`/g, '').trim();
  if (v === '' || NONE.test(v)) return [];
  const tokens = v.split(/\s+/).filter((t) => /[/.]/.test(t)).map((t) => t.replace(/^[("'[]+|[)"'\],;:]+$/g, ''));
  return [...new Set([v, ...tokens])].filter((t) => t !== '');
}

function lastSessionEvent(ws: Workspace): SessionSaved | null {
  let last: SessionSaved | null = null;
  for (const e of ws.ledger.events) if (isKnownEvent(e) && e.type === 'session.saved') last = e;
  return last;
}

/** Time of a timestamp as written, with how precise it is (a date alone cannot be ordered within its day). */
function timeOf(text: string | null): { ms: number; dateOnly: boolean } | null {
  if (!text) return null;
  const ms = toEpochMs(text);
  if (ms === null) return null;
  return { ms, dateOnly: !/\d[T ]\d{1,2}:\d{2}/.test(text) };
}

function describeEvent(e: LedgerEvent): string | null {
  if (!isKnownEvent(e)) return null;
  switch (e.type) {
    case 'plan.started':
      return `plan ${e.plan} started`;
    case 'plan.completed':
      return `plan ${e.plan} completed`;
    case 'phase.completed':
      return `phase ${e.phase} completed`;
    case 'milestone.completed':
      return `milestone ${e.milestone} completed`;
    default:
      return null;
  }
}

export function resumeReport(ws: Workspace, state: ProjectState): ResumeReport {
  const history = historyOf(ws);
  const event = lastSessionEvent(ws);
  const s = history.session;
  const fromLedger = s !== null && s.fromLedger && event !== null;
  const report: ResumeReport = {
    session: s
      ? { last: s.last, stoppedAt: s.stoppedAt, resumeFile: s.resumeFile, plan: fromLedger ? (event!.plan ?? null) : null, source: fromLedger ? 'ledger' : 'state' }
      : null,
    planInFlight: null,
    position: state.position,
    focus: state.focus,
    next: state.next,
    contradictions: [],
  };
  if (!s || !report.session) return report;
  const flag = (kind: ContradictionKind, message: string) => report.contradictions.push({ kind, message });

  const candidates = s.resumeFile ? resumeCandidates(s.resumeFile) : [];
  if (candidates.length) {
    const inside = candidates.map((c) => confine(ws.root, c)).filter((c) => c.ok);
    if (inside.length === 0) flag('resume-file-outside', `the resume file ${s.resumeFile} is outside the project folder; it was not checked`);
    else if (!inside.some((c) => c.ok && existsSync(c.abs))) flag('resume-file-missing', `the resume file ${s.resumeFile} no longer exists`);
  }

  const planId = report.session.plan;
  const key = planId ? planKey(planId) : null;
  if (planId && key) {
    const dir = ws.phases.find((d) => d.archived === null && d.plans.some((p) => p.key === key));
    const entry = dir?.plans.find((p) => p.key === key) ?? null;
    const ledger = planLedger(ws, key);
    if (!entry) {
      report.planInFlight = { plan: planId, phase: null, started: ledger.started?.at ?? null, done: ledger.completed !== null, file: null };
      flag('plan-missing', `the plan in flight, ${planId}, no longer has a file under .planning/phases/`);
    } else {
      const done = entry.summary !== null || ledger.completed !== null;
      report.planInFlight = { plan: entry.id, phase: dir!.id, started: ledger.started?.at ?? null, done, file: entry.plan?.path ?? null };
      if (done) {
        const how = ledger.completed ? `recorded done at ${ledger.completed.at}` : `its SUMMARY exists (${entry.summary!.path})`;
        flag('plan-completed', `the plan in flight, ${entry.id}, has been completed since: ${how}`);
      }
    }
  }

  // What happened after the handoff: transitions in the ledger, and SUMMARYs completed later.
  const since: string[] = [];
  const seen = new Set<string>(key ? [key] : []);
  const at = fromLedger ? timeOf(event!.at) : timeOf(s.last);
  for (const e of ws.ledger.events) {
    const after = fromLedger ? e.id > event!.id : at !== null && !at.dateOnly && Date.parse(e.at) > at.ms;
    if (!after) continue;
    const what = describeEvent(e);
    if (!what) continue;
    const plan = (e as { plan?: unknown }).plan;
    if (typeof plan === 'string' && planKey(plan) === key) continue;
    if (typeof plan === 'string' && e.type === 'plan.completed') seen.add(planKey(plan));
    since.push(what);
  }
  if (at) {
    for (const d of ws.phases) {
      if (d.archived !== null) continue;
      for (const p of d.plans) {
        if (seen.has(p.key)) continue;
        const done = timeOf(p.summary?.record.completed ?? null);
        if (!done) continue;
        const later = done.dateOnly || at.dateOnly ? Math.floor(done.ms / 86_400_000) > Math.floor(at.ms / 86_400_000) : done.ms > at.ms;
        if (later) {
          seen.add(p.key);
          since.push(`plan ${p.id} completed (${p.summary!.path})`);
        }
      }
    }
  }
  if (since.length) {
    const shown = since.slice(0, 6).join(', ') + (since.length > 6 ? `, … ${since.length - 6} more` : '');
    flag('position-moved', `the position moved on since the session was saved: ${shown}`);
  }
  return report;
}
