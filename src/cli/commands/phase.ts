/** `cairn phase add | insert | remove | renumber | complete` — change the phases of the roadmap. */
import { runOpCommand } from '../op-command.ts';
import type { FlagSpec, ParsedArgs } from '../args.ts';
import { ExitCode, UsageError } from '../../model/errors.ts';
import type { Context } from '../../ops/run.ts';
import type { Change } from '../../ops/change.ts';

export const help = `Usage: cairn phase <add|insert|remove|renumber|complete> … [--dir DIR] [--dry-run] [--json]

Changes the phases of the roadmap: ROADMAP.md (phase list, details block, progress table) and the
phase folders under .planning/phases/, as one transaction. STATE.md and the progress views follow.

Subcommands:
  add "<name>"              the next integer phase, at the end of the active milestone
  insert <after> "<name>"   urgent work after a phase, numbered <after>.1, then <after>.2, …
  remove <id>               delete a phase and renumber the later ones (refuses completed work without --force)
  renumber <id> <new-id>    give one phase a free number (two branches both made phase 7: --slug picks one)
  complete <id>             record the phase as complete (refuses plans without a SUMMARY without --force)

Run \`cairn phase <subcommand> --help\` for its options. Start with --dry-run to see the diff.

Example: cairn phase add "Reporting" --goal "Users can export monthly reports"`;

const common = `Options:
  -C, --dir DIR   the project folder (default: the current folder)
  -n, --dry-run   show the diff of every file that would change; write nothing
  --json          print one JSON document: { dryRun, result, summary, changed }
  -h, --help`;

const newPhaseFlags: Record<string, FlagSpec> = {
  slug: { type: 'string', description: 'folder name after the number (default: made from the name)' },
  goal: { type: 'string', description: 'the phase goal, one line' },
  'depends-on': { type: 'string', description: 'phase ids it depends on, e.g. 3 or 2,3 (or none)' },
};

const forceFlag: Record<string, FlagSpec> = {
  force: { type: 'boolean', description: 'do it even though work would be lost or left unfinished' },
};

const addHelp = `Usage: cairn phase add "<name>" [--slug SLUG] [--goal TEXT] [--depends-on IDS] [--dir DIR] [--dry-run] [--json]

Adds the next integer phase (one above the highest; backlog 999.x ignored). In ROADMAP.md it writes
a phase-list line, a details block (Goal, Depends on, Requirements, Success Criteria, Plans: TBD)
after the last phase of the active milestone, and a progress-table row matching the table's
columns; a roadmap without them gets the canonical sections. Creates .planning/phases/NN-slug/.
By default the new phase depends on the one before it.

  --slug SLUG        folder name after the number: lowercase letters, digits, dashes
  --goal TEXT        the goal, one line (default: "To be planned")
  --depends-on IDS   e.g. 3, 2,3 or none
${common}

Example: cairn phase add "Reporting" --goal "Users can export monthly reports" --dry-run`;

const insertHelp = `Usage: cairn phase insert <after> "<name>" [--slug SLUG] [--goal TEXT] [--depends-on IDS] [--dir DIR] [--dry-run] [--json]

Inserts urgent work after phase <after> without renumbering anything: the next decimal of <after>
(2 → 2.1, then 2.2), placed after the last existing 2.x entry in the phase list, the details and the
progress table, marked (INSERTED), in folder .planning/phases/02.1-slug/. Depends on <after> by default.

  --slug SLUG        folder name after the number
  --goal TEXT        the goal, one line
  --depends-on IDS   e.g. 2, 2,1.5 or none
${common}

Example: cairn phase insert 2 "Fix login timeout"`;

const removeHelp = `Usage: cairn phase remove <id> [--force] [--dir DIR] [--dry-run] [--json]

Deletes a phase: its folder and its ROADMAP.md entries (list line, details block, progress rows).
Later phases of the same level are renumbered in one pass — removing 3 makes 4 → 3 and 4.1 → 3.1;
removing 2.1 makes 2.2 → 2.1 — in folder names, file names (04-01-PLAN.md → 03-01-PLAN.md),
frontmatter phase/plan references, ROADMAP.md (headings, list lines, table rows, "Depends on",
plan ids) and REQUIREMENTS.md. Phases that depended on the removed one depend on its dependencies.
Refuses a phase with completed plans (SUMMARY files) unless --force, and a phase that still has
inserted phases (remove those first).

  --force   delete even though plans of the phase are complete
${common}

Example: cairn phase remove 3 --dry-run`;

const renumberHelp = `Usage: cairn phase renumber <id> <new-id> [--slug SLUG] [--dir DIR] [--dry-run] [--json]

Gives one phase a new, free number — usually because two branches each added phase 7 and were
merged (\`cairn check\` reports duplicate-phase-id with this command). Renames its folder in the
project's padding (07-bar → 08-bar) and the files named by the id (07-01-PLAN.md → 08-01-PLAN.md,
07-CONTEXT.md), rewrites their phase/plan/depends_on frontmatter and its ROADMAP.md entries (list
line, details heading, progress row, plan ids). Nothing else moves: 3.1 → 4 is fine when 4 is free.

When the id is unique, references elsewhere follow (other plans' depends_on, "Depends on" lines,
REQUIREMENTS.md). When two phases share it, --slug (the folder name after the number) picks one,
only its own folder and entries change, and references elsewhere are listed for you to check.
Refuses (exit 3) a taken new id, an ambiguous id without --slug, a phase that ledger events already
name, and files it cannot reproduce byte for byte.

  --slug SLUG   which of the phases sharing <id>: its folder name after the number
\${common}

Example: cairn phase renumber 7 8 --slug reporting --dry-run`;

const completeHelp = `Usage: cairn phase complete <id> [--force] [--dir DIR] [--dry-run] [--json]

Records that the phase is complete (a phase.completed event in .planning/events.jsonl, stamped with
the engine clock). The ROADMAP checkbox and progress row and STATE.md's position follow. Refuses
while plans of the phase have no SUMMARY, listing them, unless --force. Running it again changes nothing.

  --force   complete it even though some plans have no SUMMARY
${common}

Example: cairn phase complete 2`;

function positionals(args: ParsedArgs, names: string[], usage: string): (string | undefined)[] {
  if (args.positionals.length > names.length) {
    const extra = args.positionals.slice(names.length).map((s) => JSON.stringify(s)).join(' ');
    throw new UsageError(`unexpected argument ${extra}; expected ${names.join(' ')}`, `quote a name that has spaces: ${usage}`);
  }
  return names.map((_, i) => args.positionals[i]);
}

function str(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

interface Sub {
  help: string;
  flags: Record<string, FlagSpec>;
  decide: (ctx: Context, args: ParsedArgs) => Promise<Change>;
}

const subcommands: Record<string, Sub> = {
  add: {
    help: addHelp,
    flags: newPhaseFlags,
    decide: async (ctx, args) => {
      const [name] = positionals(args, ['"<name>"'], 'cairn phase add "Reporting"');
      const { phaseAdd } = await import('../../ops/phase-add.ts');
      return phaseAdd(ctx, { name, slug: str(args.flags.slug), goal: str(args.flags.goal), dependsOn: str(args.flags['depends-on']) });
    },
  },
  insert: {
    help: insertHelp,
    flags: newPhaseFlags,
    decide: async (ctx, args) => {
      const [after, name] = positionals(args, ['<after>', '"<name>"'], 'cairn phase insert 2 "Fix login"');
      const { phaseInsert } = await import('../../ops/phase-insert.ts');
      return phaseInsert(ctx, { after, name, slug: str(args.flags.slug), goal: str(args.flags.goal), dependsOn: str(args.flags['depends-on']) });
    },
  },
  remove: {
    help: removeHelp,
    flags: forceFlag,
    decide: async (ctx, args) => {
      const [id] = positionals(args, ['<id>'], 'cairn phase remove 3');
      const { phaseRemove } = await import('../../ops/phase-remove.ts');
      return phaseRemove(ctx, { id, force: args.flags.force === true });
    },
  },
  renumber: {
    help: renumberHelp,
    flags: { slug: { type: 'string', description: 'which phase, when two share <id>: its folder name after the number' } },
    decide: async (ctx, args) => {
      const [id, newId] = positionals(args, ['<id>', '<new-id>'], 'cairn phase renumber 7 8 --slug reporting');
      const { phaseRenumber } = await import('../../ops/phase-renumber.ts');
      return phaseRenumber(ctx, { id, newId, slug: str(args.flags.slug) });
    },
  },
  complete: {
    help: completeHelp,
    flags: forceFlag,
    decide: async (ctx, args) => {
      const [id] = positionals(args, ['<id>'], 'cairn phase complete 2');
      const { phaseComplete } = await import('../../ops/phase-complete.ts');
      return phaseComplete(ctx, { id, force: args.flags.force === true });
    },
  },
};

export async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${help}\n`);
    return ExitCode.ok;
  }
  const sub = name === undefined ? undefined : Object.hasOwn(subcommands, name) ? subcommands[name] : undefined;
  if (!sub) {
    const what = name === undefined ? 'a subcommand is missing' : `unknown subcommand "${name}"`;
    throw new UsageError(`cairn phase: ${what}; expected add, insert, remove, renumber or complete\n\n${help}`, 'e.g. cairn phase add "Reporting"');
  }
  return runOpCommand(rest, { name: `phase ${name}`, help: sub.help, flags: sub.flags, decide: sub.decide });
}
