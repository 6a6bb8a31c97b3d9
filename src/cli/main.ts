/**
 * The `cairn` entry point: a thin table of commands, each imported only when it runs, so that
 * `cairn --version` and `cairn status` load only what they need (startup is a budgeted figure).
 */
import { ExitCode, isCairnError } from '../model/errors.ts';
import { cairnVersion } from '../model/version.ts';
import { isVersionFlag, versionOutput } from './version-output.ts';


export interface CommandModule {
  run(argv: string[]): Promise<number>;
}

interface CommandEntry {
  summary: string;
  load: () => Promise<CommandModule>;
}

export const commands: Record<string, CommandEntry> = {
  init: { summary: 'Start a new project: PROJECT.md, ROADMAP.md, STATE.md and the ledger', load: () => import('./commands/init.ts') },
  adopt: { summary: 'Take over a GSD project: import STATE.md decisions, blockers, todos, sessions, metrics into the ledger', load: () => import('./commands/adopt.ts') },
  check: { summary: 'Problems in the files: unreadable values, schedule cycles, drift between STATE.md/ROADMAP and the files', load: () => import('./commands/check.ts') },
  sync: { summary: 'Re-render the views (STATE.md owned sections, ROADMAP progress) from the files; --dry-run shows the diff', load: () => import('./commands/sync.ts') },
  next: { summary: 'What can start now: ready phases (in parallel), ready plans by wave, and why the rest waits', load: () => import('./commands/next.ts') },
  phase: { summary: 'phase add | insert <after> | remove | complete — change the phases of the roadmap', load: () => import('./commands/phase.ts') },
  plan: { summary: 'plan start | done — record a plan starting and finishing, with measured time', load: () => import('./commands/plan.ts') },
  decide: { summary: 'Record a decision', load: () => import('./commands/decide.ts') },
  todo: { summary: 'todo add | done — pending todos', load: () => import('./commands/todo.ts') },
  block: { summary: 'Record a blocker', load: () => import('./commands/block.ts') },
  unblock: { summary: 'Resolve a blocker', load: () => import('./commands/unblock.ts') },
  session: { summary: 'session save — where this session stopped and what to resume', load: () => import('./commands/session.ts') },
  resume: { summary: 'Print the last handoff and flag what the files contradict', load: () => import('./commands/resume.ts') },
  milestone: { summary: 'milestone new | complete — start or archive a milestone', load: () => import('./commands/milestone.ts') },
  log: { summary: 'The history, newest first: decisions, blockers, todos, sessions, plans, phases (--since 7d, --phase, --json)', load: () => import('./commands/log.ts') },
  burnup: { summary: 'Plans done and plans in scope per day (git history, then the ledger), as a chart or --json', load: () => import('./commands/burnup.ts') },
  forecast: { summary: 'When the work in scope will be done: P50–P85 hours and dates from measured history, and the critical path', load: () => import('./commands/forecast.ts') },
  projects: { summary: 'projects add | remove | list — the projects `cairn serve` and `status --all` show', load: () => import('./commands/projects.ts') },
  serve: { summary: 'A live local dashboard of your projects (127.0.0.1 only, read-only unless --write)', load: () => import('./commands/serve.ts') },
  agents: { summary: 'agents install | uninstall — point coding agents at Cairn (MCP entries, an AGENTS.md block)', load: () => import('./commands/agents.ts') },
  mcp: { summary: 'Serve the project to coding agents over MCP (stdio, or --http on 127.0.0.1)', load: () => import('./commands/mcp.ts') },
  git: { summary: 'git install | uninstall — merge driver, union ledger and sync hooks so planning files merge like code', load: () => import('./commands/git.ts') },
  'merge-driver': { summary: 'The git merge driver for STATE.md and ROADMAP.md (run by git, set up by `cairn git install`)', load: () => import('./commands/merge-driver.ts') },
  status: { summary: 'Where the project stands: position, progress, velocity, decisions, blockers, todos, next step', load: () => import('./commands/status.ts') },
};

function version(): string {
  return cairnVersion;
}

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    `cairn ${version()} — the project-state engine for .planning/ folders`,
    '',
    'Usage: cairn <command> [dir] [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Every command takes --json (one JSON document on stdout) and --help.',
    'Exit codes: 0 ok · 1 problems found · 2 bad usage or input · 3 precondition failed · 4 lock busy · 70 internal error',
    '',
    'Start with: cairn status        (in a folder that has .planning/)',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (isVersionFlag(name)) {
    process.stdout.write(versionOutput(rest));
    return ExitCode.ok;
  }
  const entry = commands[name];
  if (!entry) {
    process.stderr.write(`cairn: unknown command "${name}"\n\n${usage()}\n`);
    return ExitCode.usage;
  }
  const mod = await entry.load();
  return mod.run(rest);
}

export function report(e: unknown): number {
  if (isCairnError(e)) {
    process.stderr.write(`cairn: ${e.message}\n${e.hint ? `  next: ${e.hint}\n` : ''}`);
    return e.exitCode;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  process.stderr.write(
    `cairn: internal error: ${err.message}\n${err.stack ?? ''}\n` +
      'This is a bug in cairn, not in your files. Please report it with the command you ran and the output above.\n',
  );
  return ExitCode.internal;
}
