import type { MarkdownDocument } from '../markdown/index.ts';
import type { Diagnostic } from '../model/diagnostic.ts';
import type { StateRecord } from '../formats/state/types.ts';
import type { RoadmapRecord } from '../formats/roadmap/types.ts';
import type { ProjectRecord } from '../formats/project.ts';
import type { RequirementsRecord } from '../formats/requirements.ts';
import type { PlanRecord } from '../formats/plan.ts';
import type { SummaryRecord } from '../formats/summary.ts';
import type { TodoRecord } from '../formats/todo.ts';
import type { MilestonesRecord } from '../formats/milestones.ts';
import type { LedgerEvent } from '../ledger/index.ts';

/** A file that was read and parsed. `path` is relative to the project root, `/`-separated. */
export interface Parsed<T> {
  path: string;
  doc: MarkdownDocument;
  record: T;
  /** False when the bytes on disk could not be reproduced (invalid UTF-8): such a file is never edited. */
  lossless: boolean;
}

export interface PlanEntry {
  /** The plan id as written in the file name (`04-01`, `04-01-FIX`, `08-ENH1`). */
  id: string;
  /** Normalised key used to pair PLAN and SUMMARY files (`4-01` for `04-01` and `4-01`). */
  key: string;
  plan: Parsed<PlanRecord> | null;
  summary: Parsed<SummaryRecord> | null;
}

export interface PhaseDir {
  /** Directory path relative to the project root, e.g. `.planning/phases/02.1-auth`. */
  path: string;
  name: string;
  /** Canonical phase id (`2.1`), null for non-numeric directories (`post-m1-enhancements`). */
  id: string | null;
  slug: string;
  /** Milestone version when the directory is archived under `milestones/vX.Y-phases/`, else null. */
  archived: string | null;
  /** Plans in file-name order; a SUMMARY without a PLAN is still an entry (its plan file was renamed or removed). */
  plans: PlanEntry[];
  /** Other files of the phase (CONTEXT, RESEARCH, VERIFICATION...), relative paths. */
  otherFiles: string[];
}

export interface TodoEntry extends Parsed<TodoRecord> {
  state: 'pending' | 'done';
}

export interface Workspace {
  /** Absolute path of the project root (the folder that holds `.planning/`). */
  root: string;
  /** `.planning` — kept as a field so every path is built from one place. */
  planningDir: string;
  state: Parsed<StateRecord> | null;
  roadmap: Parsed<RoadmapRecord> | null;
  project: Parsed<ProjectRecord> | null;
  requirements: Parsed<RequirementsRecord> | null;
  milestonesFile: Parsed<MilestonesRecord> | null;
  /** Archived roadmaps `milestones/vX.Y-ROADMAP.md`, by version. */
  archivedRoadmaps: Parsed<RoadmapRecord>[];
  /** Active phase directories (under `phases/`) then archived ones, each group in phase order. */
  phases: PhaseDir[];
  todos: TodoEntry[];
  /** `.planning/events.jsonl`: transitions with engine times, in id (= time) order. */
  ledger: { path: string; exists: boolean; text: string; events: LedgerEvent[] };
  /** Every file found under `.planning/`, relative paths, sorted. */
  files: string[];
  /** Total bytes read. */
  bytesRead: number;
  diagnostics: Diagnostic[];
}
