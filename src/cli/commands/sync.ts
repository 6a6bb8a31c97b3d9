/**
 * `cairn sync [dir] [--dry-run] [--json]` — re-render the views (STATE.md's owned sections, the
 * ROADMAP progress table and phase checkboxes) from the files, in place, by splicing.
 */
import { parseArgs, type FlagSpec } from '../args.ts';
import { runOperation } from '../../ops/run.ts';
import { adopt } from '../../ops/adopt.ts';
import { c, printJson } from '../output.ts';
import { ExitCode, UsageError } from '../../model/errors.ts';

const flags: Record<string, FlagSpec> = {
  'dry-run': { type: 'boolean', short: 'n', description: 'print the unified diff and write nothing' },
  json: { type: 'boolean', description: 'print { changed, refused, diff } as one JSON document' },
  quiet: { type: 'boolean', short: 'q', description: 'print nothing unless something is wrong (for git hooks)' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

export const help = `Usage: cairn sync [dir] [--dry-run] [--json] [--quiet]

Re-renders the views Cairn owns from the files in [dir] (default: the current folder):
  STATE.md   Project Reference, Current Position, Performance Metrics, Decisions,
             Pending Todos, Blockers/Concerns, Session Continuity (and its YAML frontmatter)
  ROADMAP.md the progress table rows and the phase checkboxes
Every other byte stays as it was. A file Cairn cannot read back byte-for-byte, or that did not
parse cleanly, is not touched: sync names it and exits 3.

Options:
  -n, --dry-run   print the unified diff of what would change; write nothing
  --json          { changed: [paths], refused: [{path, reason}], diff }
  -q, --quiet     print nothing unless a file is refused (the git hooks of \`cairn git install\` use it)
  -h, --help

Run it twice: the second run changes nothing.`;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, flags, 'sync');
  if (args.flags.help) {
    process.stdout.write(`${help}\n`);
    return ExitCode.ok;
  }
  if (args.positionals.length > 1) throw new UsageError(`sync takes one folder, got ${args.positionals.length}`, 'cairn sync [dir]');
  const dir = args.positionals[0] ?? '.';
  const dryRun = args.flags['dry-run'] === true;
  // Entries written into STATE.md by hand are imported into the ledger first (the same import as
  // `cairn adopt`), so re-rendering the owned sections never drops one.
  const outcome = await runOperation({ dir, command: `cairn sync${dryRun ? ' --dry-run' : ''}`, dryRun, importHistory: false }, (ctx) => adopt(ctx.ws, ctx.now));
  const changed = outcome.files.map((f) => f.path);
  const refused = outcome.refused.map((r) => ({ path: r.path, reason: r.reason }));
  if (args.flags.json) {
    printJson({ dryRun, changed, refused, imported: outcome.change.result.imported, diff: outcome.diff });
  } else if (args.flags.quiet && !dryRun) {
    for (const r of refused) process.stderr.write(`cairn: not touching ${r.path}: ${r.reason}\n`);
  } else {
    if (dryRun) process.stdout.write(outcome.diff || 'Nothing to change: the views already follow the files.\n');
    else if (changed.length) {
      if (outcome.change.events.length) process.stdout.write(`${outcome.change.summary[0]}\n`);
      process.stdout.write(`${c.green('Updated')} ${changed.join(', ')}\n`);
    }
    else process.stdout.write('Nothing to change: the views already follow the files.\n');
    for (const r of refused) {
      process.stderr.write(`cairn: not touching ${r.path}: ${r.reason}\n  next: fix it by hand, then run \`cairn check ${dir}\`\n`);
    }
  }
  return refused.length ? ExitCode.precondition : ExitCode.ok;
}
