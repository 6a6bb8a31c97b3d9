/** Reading one project for a read-only view: load, derive, collect the diagnostics status reports. */
import { findRoot, loadWorkspace, type Workspace } from '../workspace/index.ts';
import { derive } from '../derive/index.ts';
import { statusDiagnostics } from './documents.ts';
import { forecast } from '../derive/forecast.ts';
import { planHistory } from '../derive/plan-history.ts';
import type { LoadedProject } from './portfolio.ts';

/** `read` may be an incremental cache (WorkspaceCache.loadRoot) in a long-running process. */
export async function loadProject(dir: string, now: Date = new Date(), read: (root: string) => Promise<Workspace> = loadWorkspace): Promise<LoadedProject> {
  const root = await findRoot(dir);
  const ws = await read(root);
  const state = derive(ws, now);
  return { root, ws, state, diagnostics: statusDiagnostics(ws.diagnostics, state), forecast: forecast(state, planHistory(ws), { now }), now };
}
