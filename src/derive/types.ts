/**
 * ProjectState: every number Cairn shows, computed once by derive(). This is also the `--json`
 * contract of `cairn status` (camelCase; fields are only ever added, never renamed).
 */
import type { Status } from '../model/status.ts';
import type { Diagnostic } from '../model/diagnostic.ts';
import type { Schedule, ScheduleGraph } from './schedule.ts';
import type { ProjectCriticalPath } from './critical-path.ts';

export type Trend = 'improving' | 'stable' | 'degrading' | 'not enough data';

export interface PhaseState {
  id: string;
  name: string | null;
  /** Directory relative to the project root, null when the phase exists only in ROADMAP.md. */
  dir: string | null;
  plans: { done: number; total: number };
  /** True when the plan count is not known yet (ROADMAP says TBD and no PLAN files exist). */
  estimated: boolean;
  complete: boolean;
  /** Milestone the phase belongs to (ROADMAP grouping), null when ungrouped. */
  milestone: string | null;
  dependsOn: string[];
  /** Plan files not yet summarised, in order: what can be executed next. */
  pendingPlans: string[];
  /** Plans started (ledger `plan.started`) and not finished. */
  inProgress: string[];
}

export interface VelocityPhase {
  phase: string;
  name: string | null;
  plans: number;
  totalMinutes: number;
  averageMinutes: number | null;
}

export interface Velocity {
  plansCompleted: number;
  /** total ÷ plans with a known duration, one decimal. */
  averageMinutes: number | null;
  totalMinutes: number;
  byPhase: VelocityPhase[];
  /** Up to five most recent plans with a known duration, oldest first. */
  recent: { planId: string; minutes: number }[];
  trend: Trend;
}

export interface ProjectState {
  /** Where the numbers come from: the files on disk (`tree`), or STATE.md alone (`state-only`). */
  source: 'tree' | 'state-only';
  project: { name: string | null; coreValue: string | null; /** PROJECT.md "Last updated" date. */ updated: string | null };
  /** "Phase 3 - Feeds and Print": what the project is focused on now. */
  focus: string | null;
  /** The active milestone the progress is computed over; null when the roadmap has no grouping. */
  scope: { milestone: string | null; name: string | null };
  position: {
    phase: { id: string | null; name: string | null; index: number | null; total: number | null } | null;
    plan: { index: number; total: number } | null;
    status: Status;
    /** The status as written in STATE.md, null when it has none. */
    statusText: string | null;
  };
  progress: {
    /** round(100 × plans done ÷ plans total); null when there is nothing to count. */
    percent: number | null;
    /** True when some phase's plan count is unknown (TBD): the percent will move when it is planned. */
    estimated: boolean;
    plans: { done: number; total: number };
    phases: { done: number; total: number };
    /** 10 cells of █/░, filled = round(percent / 10). */
    bar: string;
  };
  velocity: Velocity | null;
  /** Where decisions, blockers, todos and sessions are read from: the ledger once adopted, else STATE.md. */
  history: 'ledger' | 'state';
  decisions: {
    total: number;
    /** `group`: the heading or label it is kept under (`Key Decisions (v2.0)`), null when ungrouped. */
    recent: { text: string; tag: string | null; date: string | null; rationale: string | null; group?: string | null }[];
  };
  todos: { pending: number; items: string[] };
  blockers: { open: number; resolved: number; items: string[] };
  session: { last: string | null; stoppedAt: string | null; resumeFile: string | null } | null;
  milestones: { id: string; name: string | null; status: 'shipped' | 'active' | 'planned' | null; shipped: string | null }[];
  lastActivity: string | null;
  phases: PhaseState[];
  /** The next thing to do, in words, and the file it concerns when there is one. */
  next: { text: string; file: string | null };
  /** What can start now and why the rest waits (see schedule.ts). */
  schedule: Schedule;
  /** The phase dependency graph in scope as the schedule resolved it ("Depends on", else the phase numbered before). */
  phaseGraph: ScheduleGraph['phases'];
  /** Critical path and slack over the phase graph and the current phase's plan graph (critical-path.ts). */
  criticalPath: ProjectCriticalPath;
  /** Problems found while deriving (schedule cycles, dangling dependencies...). */
  diagnostics: Diagnostic[];
}
