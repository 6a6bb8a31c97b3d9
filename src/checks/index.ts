/** Runs every check over a loaded workspace and its derived state. */
import { sortDiagnostics, type Diagnostic } from '../model/diagnostic.ts';
import type { Workspace } from '../workspace/types.ts';
import type { ProjectState } from '../derive/types.ts';
import { checkStateDrift } from './state-drift.ts';
import { checkRoadmapDrift } from './roadmap-drift.ts';
import { checkAlerts, type AlertContext } from './alerts.ts';

/** `alerts`: the clock (and git history) the age-based alerts measure against; the caller's clock when omitted. */
export function runChecks(ws: Workspace, s: ProjectState, alerts: Partial<AlertContext> = {}): Diagnostic[] {
  const ctx: AlertContext = { now: alerts.now ?? new Date(), git: alerts.git ?? null };
  return sortDiagnostics([...ws.diagnostics, ...s.diagnostics, ...checkStateDrift(ws, s), ...checkRoadmapDrift(ws, s), ...checkAlerts(ws, s, ctx)]);
}
