/**
 * Rule `state-drift`: STATE.md or the ROADMAP progress say something derive() does not.
 * Each diagnostic names the field, the written and the derived value, and where it was written.
 * On a project whose `.planning/` holds only STATE.md, derive() works from STATE.md's own facts,
 * so the same rule becomes an internal-consistency check (average vs total ÷ count, bar vs percent,
 * totals vs the By Phase table, "Phase X of Y" vs the table).
 */
import type { Diagnostic } from '../model/diagnostic.ts';
import type { Status } from '../model/status.ts';
import type { Workspace } from '../workspace/types.ts';
import type { ProjectState } from '../derive/types.ts';
import type { Located } from '../formats/state/types.ts';
import { agreesMinutes, expectedCells } from './tolerance.ts';
import { percentOf } from '../derive/derive.ts';

export const RULE = 'state-drift';

/** Written statuses that a derived status does not contradict (GSD's words are coarser than ours). */
const COMPATIBLE: Record<Status, Status[]> = {
  'not started': ['not started', 'planning', 'ready to execute'],
  planning: ['planning', 'not started'],
  'ready to execute': ['ready to execute', 'in progress'],
  'in progress': ['in progress', 'ready to execute'],
  'phase complete': ['phase complete', 'planning', 'ready to execute', 'not started'],
  'milestone complete': ['milestone complete'],
  blocked: ['blocked', 'planning', 'ready to execute', 'in progress', 'not started', 'phase complete', 'milestone complete'],
  paused: ['paused', 'planning', 'ready to execute', 'in progress', 'not started', 'phase complete', 'milestone complete'],
};

export function checkStateDrift(ws: Workspace, s: ProjectState): Diagnostic[] {
  const parsed = ws.state;
  if (!parsed) return [];
  const r = parsed.record;
  const file = parsed.path;
  const out: Diagnostic[] = [];
  const drift = (at: Located, field: string, written: string | number | null, derived: string | number | null, message: string) => {
    const pos = parsed.doc.position(at.span.start);
    out.push({
      rule: RULE,
      severity: 'error',
      file,
      line: at.line,
      column: pos.column,
      message,
      hint: 'run `cairn sync` to re-render STATE.md from the files (`cairn sync --dry-run` shows the diff first)',
      field,
      written,
      derived,
    });
  };
  const tree = s.source === 'tree';
  const pos = r.position;

  if (tree && pos?.phase && pos.phase.id !== null && s.position.phase?.id && pos.phase.id !== s.position.phase.id) {
    drift(pos.phase, 'position.phase', pos.phase.id, s.position.phase.id, `STATE.md says the current phase is ${pos.phase.id}, the files say ${s.position.phase.id}`);
  }
  if (pos?.phase?.total != null) {
    const total = tree ? s.progress.phases.total : Math.max(pos.phase.total, r.metrics?.byPhase.length ?? 0);
    if (total > 0 && pos.phase.total !== total) {
      drift(pos.phase, 'position.phase.total', pos.phase.total, total, tree
        ? `STATE.md counts ${pos.phase.total} phases, the roadmap and phase folders have ${total}`
        : `"of ${pos.phase.total}" but the By Phase table lists ${total} phases`);
    }
  }
  if (tree && pos?.plan && pos.plan.total !== null && s.position.plan && pos.plan.total !== s.position.plan.total && pos.phase?.id === s.position.phase?.id) {
    drift(pos.plan, 'position.plan.total', pos.plan.total, s.position.plan.total, `STATE.md says the phase has ${pos.plan.total} plans, the files have ${s.position.plan.total}`);
  }
  // "Phase 4 COMPLETE" on the last phase of a complete milestone says something true, only less.
  const lastPhaseComplete =
    pos?.status === 'phase complete' && s.position.status === 'milestone complete' && (pos.phase?.id == null || pos.phase.id === s.phases.at(-1)?.id);
  if (tree && pos?.status && pos.statusAt && !lastPhaseComplete && !COMPATIBLE[pos.status].includes(s.position.status)) {
    drift(pos.statusAt, 'position.status', pos.statusText, s.position.status, `status "${pos.statusText}" (${pos.status}) but the files say ${s.position.status}`);
  }

  const prog = r.progress;
  // `Progress: 100% (Phase 4: 3/3 plans)` describes one phase: its numbers are compared with that phase's.
  const f = prog?.fraction ?? null;
  const scopedPhase = f?.phase ? (s.phases.find((p) => p.id === f.phase) ?? null) : null;
  const scopedPercent = f?.phase && f.total ? Math.round((100 * f.done) / f.total) : null;
  const phaseLine = scopedPhase !== null && prog?.percent != null && scopedPercent === prog.percent;
  const percent = phaseLine ? percentOf(scopedPhase.plans.done, scopedPhase.plans.total) : s.progress.percent;
  const counts = scopedPhase ? scopedPhase.plans : s.progress.plans;
  const what = scopedPhase ? `phase ${scopedPhase.id}: ` : '';
  if (prog && percent !== null) {
    if (prog.percent !== null && !prog.approximate && Math.abs(prog.percent - percent) > 0.5) {
      drift(prog, 'progress.percent', prog.percent, percent, `progress ${prog.percent}% written, ${what}${percent}% derived (${counts.done}/${counts.total} plans)`);
    }
    if (prog.bar && prog.bar.cells > 0) {
      const want = expectedCells(percent, prog.bar.cells);
      if (prog.bar.filled !== want) {
        drift(prog, 'progress.bar', prog.bar.filled, want, `the bar fills ${prog.bar.filled} of ${prog.bar.cells} cells, ${percent}% fills ${want}`);
      }
    }
    if (f && /plan/i.test(f.unit) && (!f.phase || scopedPhase) && (f.done !== counts.done || (f.total !== null && f.total !== counts.total))) {
      drift(prog, 'progress.plans', `${f.done}/${f.total ?? '?'}`, `${counts.done}/${counts.total}`, `progress says ${what}${f.done}/${f.total ?? '?'} plans, derived ${counts.done}/${counts.total}`);
    }
  }

  const m = r.metrics;
  const v = s.velocity;
  if (m && v) {
    if (m.plansCompleted && m.plansCompleted.value !== v.plansCompleted) {
      drift(m.plansCompleted, 'velocity.plansCompleted', m.plansCompleted.value, v.plansCompleted, `${m.plansCompleted.value} plans completed written, ${v.plansCompleted} derived`);
    }
    if (m.averageMinutes?.value != null && v.averageMinutes !== null && !agreesMinutes(m.averageMinutes.text, m.averageMinutes.value, v.averageMinutes)) {
      drift(m.averageMinutes, 'velocity.averageMinutes', m.averageMinutes.text, v.averageMinutes, `average duration "${m.averageMinutes.text}" written, ${v.averageMinutes} min derived (total ÷ plans)`);
    }
    const rowsTotal = m.byPhase.length && m.byPhase.every((x) => x.totalMinutes !== null || !x.plansDone)
      ? m.byPhase.reduce((a, x) => a + (x.totalMinutes ?? 0), 0)
      : null;
    const total = tree ? v.totalMinutes : rowsTotal;
    if (m.totalMinutes?.value != null && total !== null && !agreesMinutes(m.totalMinutes.text, m.totalMinutes.value, total)) {
      drift(m.totalMinutes, 'velocity.totalMinutes', m.totalMinutes.text, total, tree
        ? `total execution time "${m.totalMinutes.text}" written, ${total} min derived from SUMMARY durations`
        : `total execution time "${m.totalMinutes.text}" but the By Phase table adds up to ${total} min`);
    }
    if (!tree) {
      const rowsDone = m.byPhase.reduce((a, x) => a + (x.plansDone ?? 0), 0);
      if (m.plansCompleted && m.byPhase.length && rowsDone !== m.plansCompleted.value) {
        drift(m.plansCompleted, 'velocity.plansCompleted', m.plansCompleted.value, rowsDone, `${m.plansCompleted.value} plans completed written, the By Phase table adds up to ${rowsDone}`);
      }
    }
    if (tree) {
      // By Phase counts summarised (timed) plans, not plans counted done by an explicit completion.
      const byId = new Map(s.phases.map((p) => [p.id, p]));
      const summarised = new Map(v.byPhase.map((r) => [r.phase, r.plans]));
      for (const row of m.byPhase) {
        const p = row.phaseId ? byId.get(row.phaseId) : undefined;
        const n = p ? (summarised.get(p.id) ?? 0) : 0;
        if (p && row.plansDone !== null && row.plansDone !== n) {
          drift(row, `velocity.byPhase[${p.id}].plans`, row.plansDone, n, `By Phase row for phase ${p.id} says ${row.plansDone} plans done, ${n} SUMMARY files exist`);
        }
      }
    }
  }
  return out;
}
