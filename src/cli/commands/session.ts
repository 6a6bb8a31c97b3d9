/** `cairn session save` — record where this session stopped, for `cairn resume`. */
import { runOpCommand } from '../op-command.ts';
import { ExitCode, UsageError } from '../../model/errors.ts';
import { sessionSave } from '../../ops/session.ts';

const saveHelp = `Usage: cairn session save [--stopped-at "<text>"] [--resume-file PATH] [--plan PLAN-ID] [--dir DIR] [--dry-run] [--json]

Records the handoff for the next session (human or agent): the time (engine clock), where the
work stopped, the file to resume from and the plan in flight. STATE.md's Session Continuity
section shows it; \`cairn resume\` prints it and flags what has changed since.
Without --plan, the plan started and not yet done is recorded.

Options:
  --stopped-at TEXT    where the work stopped
  --resume-file PATH   file to pick up from, relative to the project folder (must stay inside it;
                       a file that does not exist yet is recorded with a warning)
  --plan PLAN-ID       the plan in flight (default: the last one started and not done)
  -C, --dir DIR        the project folder (default: the current folder)
  -n, --dry-run        show the diff and write nothing
  --json               { result: { session, at, stoppedAt, resumeFile, plan, warnings }, changed }
  -h, --help

Example:
  cairn session save --stopped-at "Task 2 of 02-01: callback route" --resume-file .planning/phases/02-auth/.continue-here.md`;

export const help = `Usage: cairn session save [options]

Subcommands:
  save   record where this session stopped and what to resume

Run \`cairn session save --help\` for details; \`cairn resume\` reads it back.`;

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(`${help}\n`);
    return ExitCode.ok;
  }
  if (sub === 'save') {
    return runOpCommand(rest, {
      name: 'session save',
      help: saveHelp,
      flags: {
        'stopped-at': { type: 'string', description: 'where the work stopped' },
        'resume-file': { type: 'string', description: 'file to pick up from' },
        plan: { type: 'string', description: 'the plan in flight' },
      },
      decide: (ctx, args) => {
        if (args.positionals.length) {
          throw new UsageError(`cairn session save takes no arguments, got: ${args.positionals.join(' ')}`, 'use --stopped-at "<text>" for where the work stopped');
        }
        return sessionSave(ctx, {
          stoppedAt: args.flags['stopped-at'] as string | undefined,
          resumeFile: args.flags['resume-file'] as string | undefined,
          plan: args.flags.plan as string | undefined,
        });
      },
    });
  }
  process.stderr.write(`${help}\n\n`);
  throw new UsageError(sub === undefined || sub.startsWith('-') ? 'cairn session needs a subcommand: save' : `unknown subcommand "session ${sub}"; expected save`, 'e.g. cairn session save --stopped-at "…"');
}
