/**
 * The brief status: position, progress, the next action and why, open blockers — at most 200
 * tokens (chars ÷ 4) whatever the project size, for agents. One renderer for `cairn status
 * --brief` and the MCP tool `cairn_status` (detail "brief"), so both surfaces say the same thing.
 */
import type { ProjectState } from '../derive/types.ts';
import type { Diagnostic } from '../model/diagnostic.ts';

/** 200 tokens at 4 characters a token. */
export const BRIEF_MAX_CHARS = 800;

function clip(text: string, max: number): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}

/** Why the next action is the next one: what the schedule says about the current phase. */
function why(s: ProjectState): string | null {
  const sch = s.schedule;
  if (s.blockers.open > 0 && s.position.status === 'blocked') return 'blocked: resolve the blockers first';
  const wave = sch.readyPlans[0];
  if (wave && sch.currentPhase) return `plan ready in phase ${sch.currentPhase}${wave.wave !== null ? ` (wave ${wave.wave})` : ''}; its dependencies are done`;
  if (sch.readyPhases.length > 1) return `${sch.readyPhases.length} phases can start in parallel: ${sch.readyPhases.slice(0, 4).join(', ')}`;
  if (sch.readyPhases.length === 1) return `phase ${sch.readyPhases[0]} is the first whose dependencies are complete`;
  const w = sch.waiting[0];
  if (w) return `phase ${w.id} waits (${w.reason}) on ${clip(w.waitingOn.join(', '), 60)}`;
  return null;
}

/** Lines of the brief, within BRIEF_MAX_CHARS (the budget, separators included). */
export function renderBrief(s: ProjectState, diagnostics: readonly Diagnostic[], max = BRIEF_MAX_CHARS): string {
  const p = s.position;
  const phase = p.phase ? `phase ${p.phase.id ?? '?'}${p.phase.name ? ` ${clip(p.phase.name, 40)}` : ''}${p.phase.total ? ` (${p.phase.index ?? '?'}/${p.phase.total})` : ''}` : 'no current phase';
  const plan = p.plan ? `, plan ${p.plan.index}/${p.plan.total}` : '';
  const pr = s.progress;
  const pct = pr.percent === null ? '—' : `${pr.percent}%${pr.estimated ? ' (est.)' : ''}`;
  const lines = [
    `${clip(s.project.name ?? 'Project', 40)}${s.scope.milestone ? ` · ${s.scope.milestone}` : ''}: ${phase}${plan} · ${p.status}`,
    `progress ${pct} · ${pr.plans.done}/${pr.plans.total} plans · ${pr.phases.done}/${pr.phases.total} phases`,
    `next: ${clip(s.next.text, 140)}`,
  ];
  const reason = why(s);
  if (reason) lines.push(`why: ${reason}`);
  if (s.blockers.open) {
    lines.push(`blockers (${s.blockers.open} open):`);
    s.blockers.items.slice(0, 3).forEach((b, i) => lines.push(`${i + 1}. ${clip(b, 90)}`));
  } else lines.push('blockers: none');
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  if (errors) lines.push(`${errors} error(s) in the files: run cairn check`);
  // Drop whole lines from the end (keeping the first three) until it fits.
  const out: string[] = [];
  let used = 0;
  for (const [i, line] of lines.entries()) {
    const cost = line.length + 1;
    if (used + cost > max && i >= 3) break;
    out.push(used + cost > max ? clip(line, Math.max(8, max - used - 1)) : line);
    used += cost;
  }
  return out.join('\n');
}
