/** `cairn plan start|done <plan-id>` — record a plan starting and finishing, with measured time. */
import { runOpCommand } from '../op-command.ts';
import { ExitCode, UsageError } from '../../model/errors.ts';
import { planStart } from '../../ops/plan-start.ts';
import { planDone } from '../../ops/plan-done.ts';

const startHelp = `Usage: cairn plan start <plan-id> [--dir DIR] [--dry-run] [--json]

Records that a plan starts now (engine clock). Its measured duration runs from here to
\`cairn plan done\`, and \`cairn status\` shows the plan in progress. The plan must have a PLAN
file (.planning/phases/<phase>/<plan-id>-PLAN.md); 2-1, 02-01 and 02-01-PLAN.md name the same plan.
Starting a plan that is already started changes nothing; starting a done plan fails (exit 3).

Options:
  -C, --dir DIR   the project folder (default: the current folder)
  -n, --dry-run   show the diff and write nothing
  --json          { result: { plan, phase, started, alreadyStarted }, changed }
  -h, --help

Example:
  cairn plan start 02-01`;

const doneHelp = `Usage: cairn plan done <plan-id> [--dir DIR] [--dry-run] [--json]

Records that a plan is finished. Its SUMMARY file must exist and be filled in: template
placeholders left in it ([X], YYYY-MM-DD, {avg_duration}…) are listed with their line numbers and
nothing is recorded (exit 3). Cairn writes what it measured into the SUMMARY's frontmatter —
\`duration\` (minutes since \`cairn plan start\`; left alone when the start was never recorded) and
\`completed\` (now) — and keeps every other byte. Running it again changes nothing.

Options:
  -C, --dir DIR   the project folder (default: the current folder)
  -n, --dry-run   show the diff (SUMMARY frontmatter, ledger, views) and write nothing
  --json          { result: { plan, phase, completed, minutes, alreadyDone }, changed }
  -h, --help

Example:
  cairn plan done 02-01`;

export const help = `Usage: cairn plan <start|done> <plan-id> [options]

Subcommands:
  start <plan-id>   record that a plan starts now (its duration is measured from here)
  done <plan-id>    record that a plan is finished (its SUMMARY must be filled in)

Run \`cairn plan start --help\` or \`cairn plan done --help\` for details.`;

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(`${help}\n`);
    return ExitCode.ok;
  }
  if (sub === 'start') {
    return runOpCommand(rest, { name: 'plan start', help: startHelp, decide: (ctx, args) => planStart(ctx, { plan: one(args.positionals, 'plan start') }) });
  }
  if (sub === 'done') {
    return runOpCommand(rest, { name: 'plan done', help: doneHelp, decide: (ctx, args) => planDone(ctx, { plan: one(args.positionals, 'plan done') }) });
  }
  process.stderr.write(`${help}\n\n`);
  throw new UsageError(sub === undefined || sub.startsWith('-') ? 'cairn plan needs a subcommand: start or done' : `unknown subcommand "plan ${sub}"; expected start or done`, 'e.g. cairn plan start 02-01');
}

function one(positionals: string[], cmd: string): string | undefined {
  if (positionals.length > 1) throw new UsageError(`cairn ${cmd} takes one plan id, got ${positionals.length}: ${positionals.join(' ')}`, `e.g. cairn ${cmd} 02-01`);
  return positionals[0];
}
