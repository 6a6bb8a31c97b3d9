/**
 * The shared shell of every operation command: parse flags (`--dir`, `--dry-run`, `--json`,
 * `--help` for all), run the operation through the one applier, and print the result the same way
 * everywhere: the summary lines (or the diff with --dry-run), or one JSON document.
 */
import { parseArgs, type FlagSpec, type ParsedArgs } from './args.ts';
import { runOperation, type Context, type Outcome } from '../ops/run.ts';
import type { Change } from '../ops/change.ts';
import { c, printJson } from './output.ts';
import { ExitCode } from '../model/errors.ts';

export const commonFlags: Record<string, FlagSpec> = {
  dir: { type: 'string', short: 'C', description: 'the project folder (default: the current folder)' },
  'dry-run': { type: 'boolean', short: 'n', description: 'print the diff of what would change; write nothing' },
  json: { type: 'boolean', description: 'print one JSON document: { result, changed, diff }' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

export interface OpCommand {
  /** e.g. `decide` or `phase add` — used in messages and the lock. */
  name: string;
  help: string;
  flags?: Record<string, FlagSpec>;
  decide: (ctx: Context, args: ParsedArgs) => Change | Promise<Change>;
  /** False for operations that import STATE.md history themselves (adopt). */
  importHistory?: boolean;
  /** The operation takes no text, so a positional argument is the project folder (`cairn adopt ../app`). */
  dirPositional?: boolean;
}

export async function runOpCommand(argv: string[], cmd: OpCommand): Promise<number> {
  const args = parseArgs(argv, { ...commonFlags, ...cmd.flags }, cmd.name);
  if (args.flags.help) {
    process.stdout.write(`${cmd.help}\n`);
    return ExitCode.ok;
  }
  const dryRun = args.flags['dry-run'] === true;
  const outcome = await runOperation(
    { dir: (args.flags.dir as string | undefined) ?? (cmd.dirPositional ? args.positionals[0] : undefined) ?? '.', command: `cairn ${cmd.name}`, dryRun, ...(cmd.importHistory === false ? { importHistory: false } : {}) },
    (ctx) => cmd.decide(ctx, args),
  );
  printOutcome(outcome, { json: args.flags.json === true, dryRun, verb: 'updated' });
  return ExitCode.ok;
}

/** How every operation reports: the summary lines (or the diff with --dry-run), or one JSON document. */
export function printOutcome(outcome: Outcome, opts: { json: boolean; dryRun: boolean; verb: string }): void {
  const changed = outcome.files.map((f) => f.path);
  if (opts.json) {
    printJson({ dryRun: opts.dryRun, result: outcome.change.result, summary: outcome.change.summary, changed, ...(opts.dryRun ? { diff: outcome.diff } : {}) });
  } else if (opts.dryRun) {
    process.stdout.write(outcome.diff || 'Nothing would change.\n');
  } else {
    for (const line of outcome.change.summary) process.stdout.write(`${line}\n`);
    if (changed.length) process.stdout.write(c.dim(`${opts.verb} ${changed.join(', ')}\n`));
  }
}
