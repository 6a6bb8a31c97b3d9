/** `cairn milestone new | complete` — start a milestone, or archive a finished one. */
import { runOpCommand } from '../op-command.ts';
import { ExitCode, UsageError } from '../../model/errors.ts';
import { milestoneNew, requireMilestoneName, requireVersion } from '../../ops/milestone-new.ts';
import { milestoneComplete } from '../../ops/milestone-complete.ts';

export const newHelp = `Usage: cairn milestone new VERSION "NAME" [--dir DIR] [--dry-run] [--json]

Starts a milestone: adds it to ROADMAP.md's milestone list in the roadmap's own style (a bullet
like the others, and a "### 🚧 VERSION NAME (In Progress)" heading under "## Phases" where the
roadmap groups phases under milestone headings) and records milestone.started in the ledger.
It is "in progress" unless another milestone still is; then it is listed as planned.
VERSION is v<major>.<minor>[.<patch>] (v1.2, v0.10.0); a version already used is refused (exit 3).

Options:
  -C, --dir DIR   the project folder (default: the current folder)
  -n, --dry-run   show the diff and write nothing
  --json          { result: { version, name, status, roadmapCreated }, changed }
  -h, --help

Example:
  cairn milestone new v1.1 "Night Sky"`;

export const completeHelp = `Usage: cairn milestone complete VERSION [--archive-phases] [--force] [--name NAME]
                                [--dir DIR] [--dry-run] [--json]

Archives a finished milestone, as GSD does:
  - copies ROADMAP.md to milestones/VERSION-ROADMAP.md and REQUIREMENTS.md (with an archive
    header) to milestones/VERSION-REQUIREMENTS.md; moves .planning/VERSION-MILESTONE-AUDIT.md
    into milestones/; with --archive-phases moves its phase folders into milestones/VERSION-phases/
  - marks it shipped in ROADMAP.md (✅, "shipped DATE") and adds "## VERSION NAME (Shipped: DATE)"
    with its one-liners to MILESTONES.md (created when missing)
  - records milestone.completed in the ledger
Refuses (exit 3) while phases of the milestone are incomplete, listing them; --force ships anyway.
Existing archive files are kept, never overwritten. Running it again changes nothing.

Options:
  --archive-phases   move the milestone's phase folders into milestones/VERSION-phases/
  --force            complete it even with incomplete phases (they are listed in MILESTONES.md)
  --name NAME        the name for MILESTONES.md when ROADMAP.md and the ledger name none
  -C, --dir DIR      the project folder (default: the current folder)
  -n, --dry-run      show the diff and the moves; write nothing
  --json             { result: { version, name, date, phases, plans, incomplete, archived }, changed }
  -h, --help

Example:
  cairn milestone complete v1.0 --archive-phases`;

export const help = `Usage: cairn milestone <new|complete> …

Subcommands:
  new VERSION "NAME"                        start a milestone (ROADMAP.md entry + ledger)
  complete VERSION [--archive-phases] [--force]   archive a finished milestone

Run \`cairn milestone new --help\` or \`cairn milestone complete --help\` for details.`;

export function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(`${help}\n`);
    return Promise.resolve(ExitCode.ok);
  }
  if (sub === 'new') {
    return runOpCommand(rest, {
      name: 'milestone new',
      help: newHelp,
      decide: (ctx, args) => {
        const [version, ...words] = args.positionals;
        const v = requireVersion(version, 'cairn milestone new v1.1 "Night Sky"');
        const name = requireMilestoneName(words.length ? words.join(' ') : undefined, 'the milestone name', `cairn milestone new ${v} "Night Sky"`);
        return milestoneNew(ctx, { version: v, name });
      },
    });
  }
  if (sub === 'complete') {
    return runOpCommand(rest, {
      name: 'milestone complete',
      help: completeHelp,
      flags: {
        'archive-phases': { type: 'boolean', description: 'move the phase folders into milestones/VERSION-phases/' },
        force: { type: 'boolean', description: 'complete even with incomplete phases' },
        name: { type: 'string', description: 'name for MILESTONES.md' },
      },
      decide: (ctx, args) => {
        if (args.positionals.length > 1) {
          throw new UsageError(`cairn milestone complete takes one version, got: ${args.positionals.join(' ')}`, 'e.g. cairn milestone complete v1.0');
        }
        const version = requireVersion(args.positionals[0], 'cairn milestone complete v1.0');
        const name = args.flags.name === undefined ? null : requireMilestoneName(args.flags.name as string, 'the milestone name (--name)', '--name "First Light"');
        return milestoneComplete(ctx, { version, name, archivePhases: args.flags['archive-phases'] === true, force: args.flags.force === true });
      },
    });
  }
  const what = sub === undefined || sub.startsWith('-') ? 'a subcommand is missing' : `unknown subcommand "${sub}"`;
  return Promise.reject(new UsageError(`cairn milestone: ${what}\n\n${help}`, 'e.g. cairn milestone new v1.1 "Night Sky"'));
}
