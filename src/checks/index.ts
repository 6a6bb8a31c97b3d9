/** Runs every check over a loaded workspace and its derived state. */
import { sortDiagnostics, type Diagnostic } from '../model/diagnostic.ts';
import type { Workspace } from '../workspace/types.ts';
import type { ProjectState } from '../derive/types.ts';
import { checkStateDrift } from './state-drift.ts';
import { checkRoadmapDrift } from './roadmap-drift.ts';

export function runChecks(ws: Workspace, s: ProjectState): Diagnostic[] {
  return sortDiagnostics([...ws.diagnostics, ...s.diagnostics, ...checkStateDrift(ws, s), ...checkRoadmapDrift(ws, s)]);
}
