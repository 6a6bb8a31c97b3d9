/**
 * The JSON documents of the read-only commands, made in one place so that every surface that shows
 * them (`--json` on the CLI, `/api` on the dashboard) prints the same document for the same project.
 */
import type { ProjectState } from '../derive/types.ts';
import type { Forecast } from '../derive/forecast.ts';
import { countBySeverity, sortDiagnostics, type Diagnostic } from '../model/diagnostic.ts';
import type { LogKind, LogResult } from './log.ts';
import type { Burnup } from '../derive/burnup.ts';

/** Every diagnostic `status` reports: the files' and the derivation's, sorted. */
export function statusDiagnostics(fileDiagnostics: readonly Diagnostic[], state: ProjectState): Diagnostic[] {
  return sortDiagnostics([...fileDiagnostics, ...state.diagnostics]);
}

/** `cairn status --json`: ProjectState, the forecast, and `diagnostics` (from statusDiagnostics). */
export function statusDocument(root: string, state: ProjectState, diagnostics: Diagnostic[], forecast: Forecast) {
  return { schemaVersion: 1, root, ...state, forecast, diagnostics };
}

/** `cairn forecast --json`. */
export function forecastDocument(root: string, state: ProjectState, forecast: Forecast) {
  return { schemaVersion: 1, root, scope: state.scope, forecast, criticalPath: state.criticalPath ?? null };
}

/** `cairn log --json`: the query as given and the entries, newest first. */
export function logDocument(root: string, query: { kinds: readonly LogKind[]; since: Date | null; phase: string | null; limit: number | null }, result: LogResult) {
  return { schemaVersion: 1, root, kinds: query.kinds, since: query.since?.toISOString() ?? null, phase: query.phase, limit: query.limit, total: result.total, entries: result.entries };
}

/** `cairn check --json`: every problem, with the counts by severity. */
export function checkDocument(diagnostics: Diagnostic[]) {
  return { diagnostics, counts: countBySeverity(diagnostics) };
}

/** `cairn burnup --json`: the per-day series with its scope line. */
export function burnupDocument(root: string, series: Burnup) {
  return { schemaVersion: 1, root, ...series };
}
