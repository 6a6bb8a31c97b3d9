/**
 * `cairn status [dir] [--json]` — where the project stands, in at most 25 lines, or as one JSON
 * document (the contract is ProjectState plus `diagnostics`; see README "status --json").
 */
import type { Stats } from 'node:fs';
import { parseArgs, type FlagSpec } from '../args.ts';
import type { ProjectState } from '../../derive/types.ts';
import type { Diagnostic } from '../../model/diagnostic.ts';
import type { Forecast } from '../../derive/forecast.ts';
import { findRoot } from '../../workspace/root.ts';
import { c, clip, countBySeverity } from '../output.ts';
import { ExitCode, UsageError } from '../../model/errors.ts';
import { AnswerCache, cacheDisabled } from '../../workspace/answers.ts';
import { answerMode, takeHandOff } from '../status-answer.ts';

const flags: Record<string, FlagSpec> = {
  json: { type: 'boolean', description: 'print one JSON document (the status contract) and nothing else' },
  all: { type: 'boolean', description: 'the portfolio: the current project and every registered one (cairn projects)' },
  brief: { type: 'boolean', description: 'at most 200 tokens for agents: position, progress, next action and why, open blockers' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

export const help = `Usage: cairn status [dir] [--json | --brief]
       cairn status --all [--json]

Shows where the project in [dir] (default: the current folder) stands: current phase and plan,
progress bar, velocity, recent decisions, open blockers, pending todos, the last session and
the next thing to do. Every number is computed from the files (see README "Formulas").

Options:
  --json   one JSON document on stdout (camelCase): project, position, progress, velocity,
           decisions, todos, blockers, session, milestones, phases, next, criticalPath,
           forecast (as \`cairn forecast --json\`), diagnostics
  --all    one line per project: the current one and those registered with \`cairn projects add\`
           (--json: { schemaVersion, projects: [{ id, root, name, status, progress, blockers,
           lastActivity, forecast, stale, … }] }, the same document as the dashboard's /api/portfolio)
  --brief  at most 200 tokens (chars ÷ 4) for coding agents: position, progress, the next
           action and why, open blockers — the same text as the MCP tool cairn_status
  -h, --help

Examples:
  cairn status
  cairn status --all
  cairn status ../my-app --json | jq .progress
  cairn status --brief`;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, flags, 'status');
  if (args.flags.help) {
    process.stdout.write(`${help}\n`);
    return ExitCode.ok;
  }
  if (args.flags.all) {
    if (args.positionals.length) throw new UsageError('status --all takes no folder', 'register folders with `cairn projects add <dir>`');
    const { runPortfolio } = await import('../portfolio.ts');
    return runPortfolio(args.flags.json === true);
  }
  if (args.positionals.length > 1) throw new UsageError(`status takes one folder, got ${args.positionals.length}`, 'cairn status [dir]');
  const root = await findRoot(args.positionals[0] ?? '.');
  if (args.flags.json && args.flags.brief) throw new UsageError('--json and --brief are two different answers; pick one', 'cairn status --brief');
  const mode = answerMode(args.flags.brief === true, args.flags.json === true);
  // An unchanged tree on the same day has the same answer: print it without loading a reader.
  // (The launcher has usually looked already; its lookup is reused, not taken again.)
  const answers = cacheDisabled() ? null : new AnswerCache();
  const now = new Date();
  const found = answers ? (takeHandOff(root, mode) ?? answers.lookup(root, mode, now)) : null;
  if (found?.output != null) {
    process.stdout.write(found.output);
    return ExitCode.ok;
  }
  const output = await renderAnswer(root, mode, now, found?.stamp?.stats);
  process.stdout.write(output);
  answers?.store(root, mode, found?.stamp ?? null, output, now);
  return ExitCode.ok;
}

/** The whole output of one mode, computed from the files. */
async function renderAnswer(root: string, mode: string, now: Date, stats?: ReadonlyMap<string, Stats>): Promise<string> {
  const { state, diagnostics, forecast } = await computeStatus(root, now, stats);
  if (mode === 'brief') {
    const { renderBrief } = await import('../../views/brief.ts');
    return `${renderBrief(state, diagnostics)}\n`;
  }
  if (mode === 'json') {
    const { statusDocument } = await import('../../views/documents.ts');
    return `${JSON.stringify(statusDocument(root, state, diagnostics, forecast), null, 2)}\n`;
  }
  const { forecastLine } = await import('./forecast.ts');
  return `${renderStatus(state, diagnostics, forecastLine(forecast)).join('\n')}\n`;
}

interface StatusResult {
  state: ProjectState;
  diagnostics: Diagnostic[];
  forecast: Forecast;
}

/**
 * Loads through the parse cache (unchanged files are not read; see src/workspace/cache.ts) and
 * derives. The readers are loaded only when the command runs.
 */
async function computeStatus(root: string, now: Date, stats?: ReadonlyMap<string, Stats>): Promise<StatusResult> {
  const [{ WorkspaceCache }, { derive }, { statusDiagnostics }, { forecast }, { planHistory }] = await Promise.all([
    import('../../workspace/index.ts'),
    import('../../derive/index.ts'),
    import('../../views/documents.ts'),
    import('../../derive/forecast.ts'),
    import('../../derive/plan-history.ts'),
  ]);
  // The stats of the stamp just taken (a miss): each file is stated once per command, not twice.
  const ws = await new WorkspaceCache({ persist: true }).loadRoot(root, { stats });
  const state = derive(ws, now);
  return {
    state,
    diagnostics: statusDiagnostics(ws.diagnostics, state),
    forecast: forecast(state, planHistory(ws), { now }),
  };
}

function minutes(n: number | null): string {
  if (n === null) return '—';
  if (n >= 60) {
    const h = Math.floor(n / 60);
    const m = Math.round(n - h * 60);
    return m ? `${h}h ${m}m` : `${h}h`;
  }
  return `${n} min`;
}

/** The human view; at most 25 lines whatever the project size. */
export function renderStatus(s: ProjectState, diagnostics: Diagnostic[], forecastText: string | null = null): string[] {
  const out: string[] = [];
  const title = s.project.name ?? 'Project';
  out.push(c.bold(title) + (s.scope.milestone ? c.dim(`  ·  milestone ${s.scope.milestone}${s.scope.name ? ` ${s.scope.name}` : ''}`) : ''));
  if (s.project.coreValue) out.push(c.dim(clip(s.project.coreValue, 100)));
  out.push('');

  const p = s.position;
  const phase = p.phase
    ? `Phase ${p.phase.id ?? '?'}${p.phase.name ? `: ${p.phase.name}` : ''}${p.phase.total ? ` (${p.phase.index ?? '?'} of ${p.phase.total})` : ''}`
    : 'No current phase';
  const plan = p.plan ? ` · plan ${p.plan.index} of ${p.plan.total}` : '';
  out.push(`${c.bold('Position')}   ${phase}${plan} · ${c.cyan(p.status)}`);

  const pr = s.progress;
  const pct = pr.percent === null ? '—' : `${pr.percent}%${pr.estimated ? ' (estimated)' : ''}`;
  out.push(`${c.bold('Progress')}   ${pr.bar} ${pct} · ${pr.plans.done}/${pr.plans.total} plans · ${pr.phases.done}/${pr.phases.total} phases`);

  const v = s.velocity;
  out.push(
    v
      ? `${c.bold('Velocity')}   ${v.plansCompleted} plans · avg ${minutes(v.averageMinutes)} · total ${minutes(v.totalMinutes)} · trend ${v.trend}`
      : `${c.bold('Velocity')}   ${c.dim('no completed plans with a duration yet')}`,
  );

  if (forecastText !== null) out.push(`${c.bold('Forecast')}   ${forecastText}`);

  out.push(`${c.bold('Decisions')}  ${s.decisions.total}${s.decisions.total ? ' · latest:' : ''}`);
  for (const d of s.decisions.recent.slice(-3)) out.push(`  - ${clip(`${d.tag ? `[${d.tag}] ` : ''}${d.text}`, 96)}`);

  out.push(`${c.bold('Blockers')}   ${s.blockers.open} open${s.blockers.resolved ? `, ${s.blockers.resolved} resolved` : ''}`);
  // Numbered: `cairn unblock <n>` takes the number shown here.
  s.blockers.items.slice(0, 3).forEach((b, i) => out.push(`  ${i + 1}. ${clip(b, 94)}`));
  if (s.blockers.items.length > 3) out.push(c.dim(`  … ${s.blockers.items.length - 3} more`));

  out.push(`${c.bold('Todos')}      ${s.todos.pending} pending`);
  for (const t of s.todos.items.slice(0, 2)) out.push(`  - ${clip(t, 96)}`);
  if (s.todos.items.length > 2) out.push(c.dim(`  … ${s.todos.items.length - 2} more`));

  if (s.session) {
    const parts = [s.session.last ?? 'date unknown', s.session.stoppedAt ? `stopped at: ${clip(s.session.stoppedAt, 60)}` : null].filter(Boolean);
    out.push(`${c.bold('Session')}    ${parts.join(' · ')}`);
    if (s.session.resumeFile) out.push(`  resume: ${s.session.resumeFile}`);
  }
  out.push('');
  out.push(`${c.bold('Next')}       ${s.next.text}`);
  const n = countBySeverity(diagnostics);
  if (n.error || n.warning) {
    out.push(c.dim(`${n.error} error(s), ${n.warning} warning(s) in the files — run \`cairn check\` for details`));
  }
  return out.slice(0, 25);
}
