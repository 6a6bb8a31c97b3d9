/**
 * What `readRoadmap` returns for a ROADMAP.md (current or archived `milestones/vX.Y-ROADMAP.md`).
 * Every position is a line (1-based) and, where a writer may edit, a span in the document text.
 */
import type { Span, TableCell } from '../../markdown/types.ts';
import type { Diagnostic } from '../../model/diagnostic.ts';

export type { Span, TableCell };

export interface RoadmapRecord {
  /** Text of the first level-1 heading (e.g. "Roadmap: Foo"), null when there is none. */
  title: string | null;
  /** In document order; empty when the roadmap has no milestone grouping. */
  milestones: RoadmapMilestone[];
  /**
   * In roadmap order (document order of first declaration), one entry per key.
   * The key is the canonical phase id, except for a phase that re-uses an id already declared under
   * a DIFFERENT milestone (archived/shipped blocks that restart numbering): that one is a separate
   * phase whose `key` is `<milestone id>/<id>` (see `RoadmapPhase.key`).
   */
  phases: RoadmapPhase[];
  /**
   * The table `cairn sync` keeps: the last progress table under a "Progress" heading outside
   * `<details>`, else the first under a "Progress" heading, else the first recognised one.
   */
  progressTable: ProgressTable | null;
  /** Every recognised progress table, document order (archived milestones keep their own). */
  progressTables: ProgressTable[];
}

export type MilestoneStatus = 'shipped' | 'active' | 'planned';

export interface RoadmapMilestone {
  /** Version as written, lower-case "v" (`v1.0`, `v0.10.0`); null for a milestone named without one. */
  id: string | null;
  name: string;
  status: MilestoneStatus | null;
  /** Shipped date as written (usually YYYY-MM-DD), null when not shipped or undated. */
  shipped: string | null;
  line: number;
  /** The milestone block (heading/details section); for a summary bullet, the bullet line. */
  span: Span;
  /** Canonical ids of phases grouped under it, roadmap order. */
  phaseIds: string[];
  /** Where it was first declared: a heading, a `<details>` block, a bullet of a "Milestones" list, a `**Milestone:**` field. */
  kind: MilestoneDeclarationKind;
  /** "Phases 1-4" / "Phases 5–8" range from the declaration, canonical ids; null when not given. */
  phaseRange: { from: string; to: string } | null;
  /** Every place it is declared (a list bullet, then its `<details>` block…), merged by id. */
  declarations: Array<{ line: number; kind: MilestoneDeclarationKind; span: Span }>;
}

export type MilestoneDeclarationKind = 'heading' | 'details' | 'bullet' | 'field';

export interface PlanCount {
  done: number | null;
  total: number | null;
  /** FIX/ENH plans written beside the count (`5/5 + 2 FIX plans` → 2). */
  extra: number;
  /** The count as written (`2/3 plans`, `3 plans`, `TBD`); `span` covers exactly this text. */
  text: string;
  line: number;
  span: Span;
}

export interface RoadmapPhase {
  /** Canonical id (normalizePhaseId). */
  id: string;
  /**
   * Unique within the record. Equals `id`, except when the same id is declared under several
   * milestones (numbering restarted, archived blocks kept): then the phase of the unshipped (else the
   * last declared) milestone keeps `id` and the others are `<milestone>/<id>`.
   */
  key: string;
  /** As written ("02.1", "2.1"). */
  rawId: string;
  name: string;
  /**
   * Id (or name when it has no id) of the milestone it is grouped under: by the block it is declared
   * in, else by a milestone's "Phases N-M" range, else (phases known only from a progress table)
   * the table's Milestone cell as written.
   */
  milestone: string | null;
  /** Checkbox in the phase list; null when the phase has no checkbox line. */
  checked: boolean | null;
  /** Span of the single character inside `[ ]`/`[x]` (writers toggle it). */
  checkbox: Span | null;
  goal: string | null;
  /** Canonical ids; "Nothing (first phase)" → []. Ids not declared in the roadmap are kept. */
  dependsOn: string[];
  dependsOnLine: number | null;
  /** The "Depends on" value as written. */
  dependsOnText: string | null;
  requirements: string[];
  plans: RoadmapPlanRef[];
  /**
   * "(2/3 plans)", "(1/1 plan)", "(5/5 + 2 FIX plans)", "**Plans:** 3 plans", "**Plans**: TBD" (total null).
   * When written in several places the details field wins over a heading, which wins over the list line.
   * Progress-table counts stay in `ProgressRow` (the table is a view).
   */
  planCount: PlanCount | null;
  /** The roadmap says the count is not known yet: "TBD", "To be planned", "0/?", "TBD (estimated 7-9 plans)", a "- [ ] TBD" plan line. */
  planCountUnknown: boolean;
  /**
   * Status words as written ("completed", "Complete", "SKIPPED", "In Progress", "✅ Complete"): from the
   * phase line or heading first, then a `**Status:**` field, then the progress-table row.
   */
  statusText: string | null;
  /** Completion date as written, or "" when marked completed without a date ("-- completed", "(Complete)"). */
  completed: string | null;
  inserted: boolean;
  /** Marked "Deferred" / "Retired" / "Superseded" / "Cancelled" / "Skipped" / "Not Planned" (line, field or table status). */
  deferred: boolean;
  /** 999.x (isBacklogPhase). */
  backlog: boolean;
  /** Line of the first declaration (roadmap order is the order of these lines). */
  line: number;
  declarations: PhaseDeclaration[];
}

export type PhaseDeclarationKind = 'checkbox' | 'heading' | 'table' | 'bullet';

export interface PhaseDeclaration {
  line: number;
  kind: PhaseDeclarationKind;
}

export interface RoadmapPlanRef {
  /** Plan id such as "01-02" / "04-01-FIX", null when the line names none. */
  id: string | null;
  /** The item text after the checkbox, as written. */
  text: string;
  checked: boolean | null;
  line: number;
  checkbox: Span | null;
}

export interface ProgressColumns {
  phase: number;
  milestone: number | null;
  plans: number | null;
  status: number | null;
  completed: number | null;
  /** A percent column (`完成度`, `Progress`), when there is one. */
  percent: number | null;
}

export interface ProgressTable {
  span: Span;
  line: number;
  /** Column indices by header meaning (any order). */
  columns: ProgressColumns;
  /** Each header cell's span: the view aligns what it writes with them, without parsing the document's blocks again. */
  header: Span[];
  rows: ProgressRow[];
}

export interface ProgressRow {
  line: number;
  span: Span;
  /** Canonical id, null when the phase cell holds no readable id (`v1.6 (Phases 1-31)`, `**v4.0**`). */
  phaseId: string | null;
  /** A row for several phases (`12-14. All v2.1 phases`): their range; `phaseId` is then null. */
  phaseSpan: { from: string; to: string } | null;
  phaseText: string;
  /** `2/3` → 2 and 3; `0/?` and `0/TBD` → 0 and null; a bare `108` → null and 108. */
  plansDone: number | null;
  plansTotal: number | null;
  /** Null when the cell is empty or `-`/`—`. */
  statusText: string | null;
  /** The date in the cell, else the cell text; null when empty or `-`/`—`. */
  completed: string | null;
  /** The phase cell without its id (`1. Foundation` → `Foundation`). */
  name: string;
  /** The milestone cell as written (`v1.0`), null without a milestone column. */
  milestone: string | null;
  /** The percent cell (`100%` → 100), null without one. */
  percent: number | null;
  cells: TableCell[];
}

export interface RoadmapReadResult {
  record: RoadmapRecord;
  diagnostics: Diagnostic[];
}
