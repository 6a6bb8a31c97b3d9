/**
 * The portfolio: one line per project, as `cairn status --all` prints it and the dashboard's home
 * page shows it. Every number comes from derive(); this only picks fields. A project that cannot be
 * loaded is kept in the list with its error, so a moved folder is visible instead of silently gone.
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { ProjectState } from '../derive/types.ts';
import type { Forecast } from '../derive/forecast.ts';
import { countBySeverity, type Diagnostic } from '../model/diagnostic.ts';
import { renderViews } from './index.ts';
import type { Workspace } from '../workspace/types.ts';
import { findRoot } from '../workspace/root.ts';
import { readRegistry } from '../store/registry.ts';

/** A stable, URL-safe id for a project root: its folder name and a short hash of the full path. */
export function projectId(root: string): string {
  const slug = basename(root).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'project';
  return `${slug}-${createHash('sha256').update(root).digest('hex').slice(0, 6)}`;
}

/** Why a project is flagged stale: its views are behind the files (`cairn sync` would change them). */
export type StaleReason = 'views-behind-files';

export interface PortfolioEntry {
  id: string;
  root: string;
  name: string | null;
  /** The project could not be loaded (folder moved, no .planning/): the message, else null. */
  error: string | null;
  scope: ProjectState['scope'] | null;
  status: ProjectState['position']['status'] | null;
  phase: { id: string | null; name: string | null } | null;
  progress: ProjectState['progress'] | null;
  blockers: { open: number; items: string[] } | null;
  todos: { pending: number } | null;
  lastActivity: string | null;
  next: string | null;
  /** The forecast's status and completion range (P50, P85 dates), as `cairn forecast` gives it. */
  forecast: { status: Forecast['status']; completion: { p50: string; p85: string } | null } | null;
  stale: boolean;
  staleReasons: StaleReason[];
  diagnostics: Record<Diagnostic['severity'], number> | null;
}

export function portfolioEntry(root: string, ws: Workspace, state: ProjectState, diagnostics: Diagnostic[], forecast: Forecast): PortfolioEntry {
  const staleReasons: StaleReason[] = renderViews(ws, state).changes.length > 0 ? ['views-behind-files'] : [];
  return {
    id: projectId(root),
    root,
    name: state.project.name,
    error: null,
    scope: state.scope,
    status: state.position.status,
    phase: state.position.phase ? { id: state.position.phase.id, name: state.position.phase.name } : null,
    progress: state.progress,
    blockers: { open: state.blockers.open, items: state.blockers.items },
    todos: { pending: state.todos.pending },
    lastActivity: state.lastActivity,
    next: state.next.text,
    forecast: { status: forecast.status, completion: forecast.completion ? { p50: forecast.completion.p50, p85: forecast.completion.p85 } : null },
    stale: staleReasons.length > 0,
    staleReasons,
    diagnostics: countBySeverity(diagnostics),
  };
}

export function failedEntry(root: string, message: string): PortfolioEntry {
  return {
    id: projectId(root),
    root,
    name: null,
    error: message,
    scope: null,
    status: null,
    phase: null,
    progress: null,
    blockers: null,
    todos: null,
    lastActivity: null,
    next: null,
    forecast: null,
    stale: false,
    staleReasons: [],
    diagnostics: null,
  };
}

/** `cairn status --all --json`. */
export function portfolioDocument(projects: PortfolioEntry[]) {
  return { schemaVersion: 1, projects };
}

export interface LoadedProject {
  root: string;
  ws: Workspace;
  state: ProjectState;
  /** statusDiagnostics(): the files' and the derivation's. */
  diagnostics: Diagnostic[];
  /** forecast() as `cairn status` computes it, at `now`. */
  forecast: Forecast;
  now: Date;
}

/** The portfolio of `roots` in order, duplicates dropped; `load` reads one project (a cache may stand behind it). */
export async function portfolioOf(roots: readonly string[], load: (root: string) => Promise<LoadedProject>): Promise<PortfolioEntry[]> {
  const unique = [...new Set(roots)];
  return Promise.all(
    unique.map(async (root) => {
      try {
        const p = await load(root);
        return portfolioEntry(p.root, p.ws, p.state, p.diagnostics, p.forecast);
      } catch (e) {
        return failedEntry(root, e instanceof Error ? e.message : String(e));
      }
    }),
  );
}

/** The projects shown when none is named: the current one (when the folder has .planning/) first, then the registry's. */
export async function defaultRoots(cwd: string, registryFile?: string): Promise<string[]> {
  const current = await findRoot(cwd).then(
    (r) => [r],
    () => [] as string[],
  );
  const reg = await readRegistry(registryFile);
  return [...new Set([...current, ...reg.projects.map((p) => p.root)])];
}
