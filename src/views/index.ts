/**
 * The views: STATE.md's owned sections and ROADMAP.md's progress table and checkboxes, rendered
 * from derive() by splicing. A file that was not read losslessly or whose reader reported an error
 * is never rewritten: it is returned in `refused` instead, with the reason.
 */
import type { Diagnostic } from '../model/diagnostic.ts';
import type { Workspace, Parsed } from '../workspace/types.ts';
import type { ProjectState } from '../derive/types.ts';
import { renderState } from './state/render.ts';
import { renderRoadmapViews } from './roadmap.ts';

export interface ViewChange {
  path: string;
  before: string;
  after: string;
}

export interface Refusal {
  path: string;
  reason: string;
  diagnostics: Diagnostic[];
}

/** Reader errors that make a file unsafe to edit (drift is not one: fixing it is the point). */
function blockingProblems(ws: Workspace, p: Parsed<unknown>): Diagnostic[] {
  return ws.diagnostics.filter((d) => d.file === p.path && d.severity === 'error');
}

function editable(ws: Workspace, p: Parsed<unknown>, refused: Refusal[]): boolean {
  if (!p.lossless) {
    refused.push({ path: p.path, reason: 'its bytes cannot be reproduced (not valid UTF-8)', diagnostics: blockingProblems(ws, p) });
    return false;
  }
  const problems = blockingProblems(ws, p);
  if (problems.length) {
    refused.push({ path: p.path, reason: `it did not parse cleanly (${problems.map((d) => `line ${d.line}: ${d.message}`).join('; ')})`, diagnostics: problems });
    return false;
  }
  return true;
}

/** Completion date of each phase: the latest `completed` of its SUMMARY files. */
export function completedDates(ws: Workspace): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of ws.phases) {
    if (d.id === null || d.archived !== null) continue;
    let latest: string | null = null;
    for (const p of d.plans) {
      const c = p.summary?.record.completed;
      if (c && (latest === null || c > latest)) latest = c;
    }
    if (latest) out.set(d.id, latest.slice(0, 10));
  }
  return out;
}

export function renderViews(ws: Workspace, s: ProjectState): { changes: ViewChange[]; refused: Refusal[] } {
  const changes: ViewChange[] = [];
  const refused: Refusal[] = [];
  if (ws.state && editable(ws, ws.state, refused)) {
    const before = ws.state.doc.text;
    const { text } = renderState(ws.state.doc, ws.state.record, s);
    if (text !== before) changes.push({ path: ws.state.path, before, after: text });
  }
  if (ws.roadmap && s.source === 'tree' && editable(ws, ws.roadmap, refused)) {
    const before = ws.roadmap.doc.text;
    const { text } = renderRoadmapViews(ws.roadmap.doc, ws.roadmap.record, s, { completedDates: completedDates(ws) });
    if (text !== before) changes.push({ path: ws.roadmap.path, before, after: text });
  }
  return { changes, refused };
}
