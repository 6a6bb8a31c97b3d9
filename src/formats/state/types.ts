/**
 * What `readState` gives back for one STATE.md, whatever its dialect. Values are kept as written
 * (`text`) beside what could be read from them, and every value carries where it was read so that
 * drift reports can point at it and writers can splice it.
 */
import type { Span } from '../../markdown/types.ts';
import type { Status } from '../../model/status.ts';
import type { Diagnostic } from '../../model/diagnostic.ts';

export type { Span, Status };

/**
 * Where a value was read. `span` covers the value as written (after its label, e.g. the
 * `4 of 4 (Name)` of `Phase: 4 of 4 (Name)`; the whole item/row for list and table entries);
 * `line` is the 1-based line of `span.start`.
 */
export interface Located {
  line: number;
  span: Span;
}

export interface StatePhasePosition extends Located {
  /** Canonical phase id (`normalizePhaseId`), null when the line names no phase ("Not started", "None (between milestones)"). */
  id: string | null;
  name: string | null;
  /** The phase number as a number (`2.1` for "2.1 of 6"), null when there is none. */
  number: number | null;
  total: number | null;
  /** The value as written. */
  text: string;
}

export interface StatePlanPosition extends Located {
  number: number | null;
  total: number | null;
  text: string;
}

export interface StatePosition {
  phase: StatePhasePosition | null;
  plan: StatePlanPosition | null;
  /** Status as written (body `Status:` line, else frontmatter `status`). */
  statusText: string | null;
  status: Status | null;
  /** Where `statusText` was read; null when it came from the frontmatter or is absent. */
  statusAt: Located | null;
  lastActivity: ({ date: string | null; text: string } & Located) | null;
  /** A `Milestone:` line inside the position block, as written. */
  milestone: ({ text: string } & Located) | null;
}

export interface StateProgress extends Located {
  text: string;
  percent: number | null;
  approximate: boolean;
  bar: { cells: number; filled: number } | null;
  /** `phase` is set when the fraction counts one phase's plans (`100% (Phase 4: 3/3 plans)`). */
  fraction: { done: number; total: number | null; unit: string; phase?: string } | null;
}

export interface StateMetrics {
  plansCompleted: ({ value: number } & Located) | null;
  averageMinutes: ({ value: number | null; text: string } & Located) | null;
  totalMinutes: ({ value: number | null; text: string } & Located) | null;
  byPhase: ByPhaseRow[];
  recent: { planId: string; minutes: number | null }[];
  trendText: string | null;
}

export interface StateProjectRef {
  coreValue: string | null;
  currentFocus: string | null;
  projectFile: string | null;
  updated: string | null;
}

export interface StateSession extends Located {
  last: string | null;
  stoppedAt: string | null;
  /** Path as written; null for "None", "N/A", "None - all phases complete"... */
  resumeFile: string | null;
}

/** The 2026-style frontmatter, typed. Unknown keys stay in `StateRecord.frontmatter`. */
export interface StateFrontmatterFields {
  version: string | null;
  milestone: string | null;
  milestoneName: string | null;
  status: string | null;
  stoppedAt: string | null;
  lastUpdated: string | null;
  lastActivity: string | null;
  progress: {
    totalPhases: number | null;
    completedPhases: number | null;
    totalPlans: number | null;
    completedPlans: number | null;
    percent: number | null;
  } | null;
}

export interface StateRecord {
  /** Parsed YAML frontmatter, null when absent or not a mapping. */
  frontmatter: Record<string, unknown> | null;
  /** Typed view of the known frontmatter keys; null when there is no frontmatter. */
  frontmatterFields: StateFrontmatterFields | null;
  /** Text of the first level-1 heading ("Project State", "PROJECT STATE: HiveMind 数仓助手"). */
  title: string | null;
  /** Every heading section of the file, in document order, classified. */
  sections: StateSection[];
  projectRef: StateProjectRef | null;
  position: StatePosition | null;
  progress: StateProgress | null;
  metrics: StateMetrics | null;
  /** Every decision entry, any format. */
  decisions: StateDecision[];
  /** A sentence sending the reader elsewhere ("Decisions are logged in PROJECT.md Key Decisions table."). */
  decisionsPointer: string | null;
  /** Pending todo entries ("None." / "None yet" → empty). */
  todos: StateTodo[];
  blockers: StateBlocker[];
  milestones: StateMilestone[];
  session: StateSession | null;
}

export interface ByPhaseRow extends Located {
  /** First cell as written. */
  phase: string;
  phaseId: string | null;
  name: string | null;
  plansDone: number | null;
  plansTotal: number | null;
  totalMinutes: number | null;
  avgMinutes: number | null;
}

export interface StateDecision extends Located {
  text: string;
  /** `[01-01]`, `[Roadmap]`, `08-02:`, trailing `(01-01)`, an ID or Phase column... */
  tag: string | null;
  date: string | null;
  rationale: string | null;
  /** The bold label paragraph or sub-heading the entry sits under. */
  group: string | null;
}

export interface StateTodo extends Located {
  text: string;
}

export interface StateBlocker extends Located {
  text: string;
  /** `~~struck~~`, "RESOLVED", "✅", `[x]`. */
  resolved: boolean;
  group: string | null;
}

export interface StateMilestone extends Located {
  /** `v1`, `v0.3.0`... as written. */
  id: string;
  name: string | null;
  /** Date it shipped (`extractTimestamp`), null when not shipped or undated. */
  shipped: string | null;
  statusText: string | null;
}

export type StateSectionKind =
  | 'projectReference'
  | 'currentPosition'
  | 'performanceMetrics'
  | 'accumulatedContext'
  | 'decisions'
  | 'pendingTodos'
  | 'blockers'
  | 'sessionContinuity'
  | 'milestoneHistory'
  | 'other';

export interface StateSection {
  kind: StateSectionKind;
  title: string;
  depth: number;
  /** The whole section (heading to next heading of the same or higher level). */
  span: Span;
  line: number;
}

export interface StateReadResult {
  record: StateRecord;
  diagnostics: Diagnostic[];
}
