/**
 * `cairn next [dir] [--json]` — what can start now: the ready phases (all startable at once, so
 * they can run in parallel), the ready plans of the current phase by wave, and why everything else
 * waits. The schedule comes from derive() like every other number (see src/derive/schedule.ts).
 */
import { parseArgs, type FlagSpec } from '../args.ts';
import { loadWorkspace } from '../../workspace/index.ts';
import { derive, type PhaseState, type ProjectState } from '../../derive/index.ts';
import type { WaitingItem } from '../../derive/schedule.ts';
import { sortDiagnostics, type Diagnostic } from '../../model/diagnostic.ts';
import { c, clip, formatDiagnostic, printJson } from '../output.ts';
import { ExitCode, UsageError } from '../../model/errors.ts';

const flags: Record<string, FlagSpec> = {
  json: { type: 'boolean', description: 'print one JSON document (the schedule) and nothing else' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

export const help = `Usage: cairn next [dir] [--json]

Shows what can start now in the project in [dir] (default: the current folder): the phases whose
dependencies are complete (they can run in parallel), the plans of the current phase that can
start, grouped by wave, and why every other phase or plan is waiting (a dependency, a blocker,
or a dependency cycle).

Phase dependencies come from the ROADMAP.md "Depends on" lines; a phase without one follows the
phase numbered before it. Plan dependencies come from PLAN frontmatter depends_on, else wave.

Options:
  --json   one JSON document on stdout (camelCase): scope, readyPhases, currentPhase,
           readyPlans, waiting, waitingPlans, next, diagnostics
  -h, --help

Examples:
  cairn next
  cairn next ../my-app --json | jq .readyPhases`;

/** Lines per list in the human view; --json always has everything. */
const LIST_LIMIT = 12;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, flags, 'next');
  if (args.flags.help) {
    process.stdout.write(`${help}\n`);
    return ExitCode.ok;
  }
  if (args.positionals.length > 1) throw new UsageError(`next takes one folder, got ${args.positionals.length}`, 'cairn next [dir]');
  const ws = await loadWorkspace(args.positionals[0] ?? '.');
  const state = derive(ws, new Date());
  const diagnostics = sortDiagnostics(state.diagnostics);
  if (args.flags.json) {
    printJson({ schemaVersion: 1, root: ws.root, scope: state.scope, ...state.schedule, byCriticalPath: byCriticalPath(state), criticalPath: state.criticalPath, next: state.next, diagnostics });
  } else {
    process.stdout.write(`${renderNext(state, diagnostics, ws.diagnostics.filter((d) => d.severity !== 'info').length).join('\n')}\n`);
  }
  return ExitCode.ok;
}

/** Ready phases and ready plans, least slack first (critical work first), roadmap/wave order on ties. */
export function byCriticalPath(s: ProjectState): { phases: string[]; plans: string[] } {
  const rank = (nodes: { id: string; slackMinutes: number }[], ids: string[]) => {
    const slack = new Map(nodes.map((n) => [n.id, n.slackMinutes]));
    return ids.map((id, i) => ({ id, i, s: slack.get(id) ?? Infinity })).sort((a, b) => a.s - b.s || a.i - b.i).map((x) => x.id);
  };
  return {
    phases: rank(s.criticalPath.phases.nodes, s.schedule.readyPhases),
    plans: rank(s.criticalPath.plans?.nodes ?? [], s.schedule.readyPlans.flatMap((w) => w.plans)),
  };
}

function phaseLabel(p: PhaseState | undefined, id: string): string {
  return `Phase ${id}${p?.name ? `: ${clip(p.name, 60)}` : ''}`;
}

function plansNote(p: PhaseState | undefined): string {
  if (!p) return '';
  if (p.plans.total === 0) return 'not planned yet';
  return `${p.plans.done}/${p.plans.total} plans done`;
}

function why(w: WaitingItem, phaseWord: boolean): string {
  if (w.reason === 'blocker') return `blocked: ${clip(w.waitingOn.join('; '), 70)}`;
  const list = (ids: string[]) => clip(ids.map((id) => (phaseWord && !id.startsWith('phase ') ? `phase ${id}` : id)).join(', '), 70);
  if (w.reason === 'cycle') return `in a dependency cycle with ${list(w.waitingOn)}`;
  return `waits for ${list(w.waitingOn)}`;
}

function more(out: string[], total: number): void {
  if (total > LIST_LIMIT) out.push(c.dim(`  … ${total - LIST_LIMIT} more (cairn next --json lists all)`));
}

/** The human view. */
export function renderNext(s: ProjectState, diagnostics: Diagnostic[], fileProblems = 0): string[] {
  const out: string[] = [];
  const sc = s.schedule;
  const byId = new Map(s.phases.map((p) => [p.id, p]));
  const title = s.project.name ?? 'Project';
  out.push(c.bold(title) + (s.scope.milestone ? c.dim(`  ·  milestone ${s.scope.milestone}${s.scope.name ? ` ${s.scope.name}` : ''}`) : ''));
  out.push('');

  if (s.phases.length === 0) {
    out.push(s.source === 'state-only' ? 'No ROADMAP.md phases or phase folders: nothing to schedule.' : 'No phases found: nothing to schedule.');
    out.push(`${c.bold('Next')}  ${s.next.text}`);
  } else if (sc.readyPhases.length === 0 && sc.waiting.length === 0) {
    out.push(`All ${s.phases.length} phases are complete: nothing left to start.`);
    out.push(`${c.bold('Next')}  ${s.next.text}`);
  } else {
    const n = sc.readyPhases.length;
    if (n === 0) out.push(c.bold('Nothing can start now.'));
    else out.push(c.bold(n === 1 ? 'Can start now:' : `Can start now — ${n} phases, can run in parallel:`));
    const order = byCriticalPath(s);
    // Marked only when it tells something: some ready phase can wait (has slack) and this one cannot.
    const slackOf = new Map(s.criticalPath.phases.nodes.map((x) => [x.id, x.slackMinutes]));
    const someFloat = order.phases.some((id) => (slackOf.get(id) ?? 0) > 0);
    const critical = new Set(someFloat ? order.phases.filter((id) => slackOf.get(id) === 0) : []);
    const width = Math.min(60, Math.max(0, ...order.phases.slice(0, LIST_LIMIT).map((id) => phaseLabel(byId.get(id), id).length)));
    for (const id of order.phases.slice(0, LIST_LIMIT)) {
      const p = byId.get(id);
      out.push(`  ${phaseLabel(p, id).padEnd(width)}  ${c.dim(plansNote(p))}${critical.has(id) ? c.yellow('  critical path') : ''}`);
    }
    more(out, n);

    if (sc.currentPhase !== null) {
      const cur = byId.get(sc.currentPhase);
      out.push('');
      out.push(c.bold(`${phaseLabel(cur, sc.currentPhase)} — plans:`));
      if (sc.readyPlans.length === 0 && sc.waitingPlans.length === 0) {
        out.push(
          cur && cur.plans.total > cur.plans.done
            ? `  No plan files to execute (${cur.plans.done}/${cur.plans.total} done): plan the phase first.`
            : '  No plan files to execute: plan the phase first.',
        );
      }
      const planRank = new Map(order.plans.map((id, i) => [id, i]));
      const planSlack = new Map((s.criticalPath.plans?.nodes ?? []).map((x) => [x.id, x.slackMinutes]));
      // A plan is marked when it has no slack and another plan of its wave has some.
      const criticalPlans = new Set(
        sc.readyPlans.flatMap((w) => (w.plans.some((id) => (planSlack.get(id) ?? 0) > 0) ? w.plans.filter((id) => planSlack.get(id) === 0) : [])),
      );
      for (const w of sc.readyPlans) {
        const label = w.wave === null ? 'No wave' : `Wave ${w.wave}`;
        const parallel = w.plans.length > 1 ? ' (can run in parallel)' : '';
        // Critical plans first, marked with *: starting them first shortens the phase.
        const plans = [...w.plans].sort((a, b) => planRank.get(a)! - planRank.get(b)!).map((id) => (w.plans.length > 1 && criticalPlans.has(id) ? `${id}*` : id));
        out.push(`  ${c.cyan(`${label}${parallel}:`)} ${clip(plans.join(', '), 90)}`);
      }
      if (sc.readyPlans.some((w) => w.plans.length > 1 && w.plans.some((id) => criticalPlans.has(id)))) out.push(c.dim('  * on the critical path of the phase: start it first'));
      for (const w of sc.waitingPlans.slice(0, LIST_LIMIT)) out.push(`  ${c.dim('waiting:')} ${w.id} — ${why(w, false)}`);
      more(out, sc.waitingPlans.length);
    }

    if (sc.waiting.length > 0) {
      out.push('');
      out.push(c.bold('Waiting:'));
      for (const w of sc.waiting.slice(0, LIST_LIMIT)) out.push(`  ${phaseLabel(byId.get(w.id), w.id)} — ${why(w, true)}`);
      more(out, sc.waiting.length);
    }
  }

  if (diagnostics.length > 0) {
    out.push('');
    for (const d of diagnostics.slice(0, LIST_LIMIT)) out.push(formatDiagnostic(d));
    if (diagnostics.length > LIST_LIMIT) out.push(c.dim(`… ${diagnostics.length - LIST_LIMIT} more`));
  }
  if (fileProblems > 0) out.push(c.dim(`${fileProblems} other problem(s) in the files — run \`cairn check\` for details`));
  return out;
}
