/** Reading one project for a read-only view: load, derive, collect the diagnostics status reports. */
import { findRoot, loadWorkspace } from '../workspace/index.ts';
import { derive } from '../derive/index.ts';
import { statusDiagnostics } from './documents.ts';
import { forecast } from '../derive/forecast.ts';
import { planHistory } from '../derive/plan-history.ts';
import type { LoadedProject } from './portfolio.ts';

export async function loadProject(dir: string, now: Date = new Date()): Promise<LoadedProject> {
  const root = await findRoot(dir);
  const ws = await loadWorkspace(root);
  const state = derive(ws, now);
  return { root, ws, state, diagnostics: statusDiagnostics(ws.diagnostics, state), forecast: forecast(state, planHistory(ws), { now }), now };
}
