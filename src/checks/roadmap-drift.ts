/**
 * Rule `state-drift` on ROADMAP.md's views: the progress table rows and the phase checkboxes
 * must follow derive(). Rows and boxes of phases outside the derived scope are left alone.
 */
import type { Diagnostic } from '../model/diagnostic.ts';
import type { Workspace } from '../workspace/types.ts';
import type { ProjectState } from '../derive/types.ts';
import { RULE } from './state-drift.ts';
import { cellMeansComplete } from '../formats/roadmap/text.ts';


export function checkRoadmapDrift(ws: Workspace, s: ProjectState): Diagnostic[] {
  const parsed = ws.roadmap;
  if (!parsed || s.source !== 'tree') return [];
  const out: Diagnostic[] = [];
  const byId = new Map(s.phases.map((p) => [p.id, p]));
  const drift = (line: number, offset: number, field: string, written: string, derived: string, message: string) => {
    out.push({
      rule: RULE,
      severity: 'error',
      file: parsed.path,
      line,
      column: parsed.doc.position(offset).column,
      message,
      hint: 'run `cairn sync` to update the progress table and checkboxes (`--dry-run` shows the diff first)',
      field,
      written,
      derived,
    });
  };
  for (const row of parsed.record.progressTable?.rows ?? []) {
    const p = row.phaseId ? byId.get(row.phaseId) : undefined;
    if (!p) continue;
    if (row.plansDone !== null && (row.plansDone !== p.plans.done || (row.plansTotal !== null && row.plansTotal !== p.plans.total))) {
      const written = `${row.plansDone}/${row.plansTotal ?? '?'}`;
      const derived = `${p.plans.done}/${p.plans.total}`;
      drift(row.line, row.span.start, `roadmap.progress[${p.id}].plans`, written, derived, `progress table says ${written} plans for phase ${p.id}, the files say ${derived}`);
    }
    if (row.statusText !== null && cellMeansComplete(row.statusText) !== p.complete) {
      drift(row.line, row.span.start, `roadmap.progress[${p.id}].status`, row.statusText, p.complete ? 'Complete' : 'not complete', `progress table marks phase ${p.id} "${row.statusText}" but it is ${p.complete ? 'complete' : 'not complete'}`);
    }
  }
  for (const rp of parsed.record.phases) {
    const p = byId.get(rp.id);
    if (!p || rp.checked === null || rp.checkbox === null || rp.key !== rp.id) continue;
    if (rp.checked !== p.complete) {
      const line = parsed.doc.position(rp.checkbox.start).line;
      drift(line, rp.checkbox.start, `roadmap.phase[${p.id}].checked`, rp.checked ? '[x]' : '[ ]', p.complete ? '[x]' : '[ ]', `phase ${p.id} is ${rp.checked ? 'checked' : 'unchecked'} in ROADMAP.md but ${p.complete ? 'complete' : 'not complete'} on disk`);
    }
  }
  return out;
}
