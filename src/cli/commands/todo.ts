/** `cairn todo add|done` — pending todos as files in .planning/todos/, with ledger events. */
import { runOpCommand } from '../op-command.ts';
import { textFileFlag, textFrom } from '../text-input.ts';
import { ExitCode, UsageError } from '../../model/errors.ts';
import { todoAdd, todoDone } from '../../ops/todo.ts';

const addHelp = `Usage: cairn todo add "<text>" [--area AREA] [--dir DIR] [--dry-run] [--json]

Creates .planning/todos/pending/YYYY-MM-DD-<slug>.md (GSD's layout: frontmatter \`created\`,
\`title\`, \`area\`; the text as its body) and records the todo in .planning/events.jsonl.
The title is the text's first line; a name already taken gets -2, -3… appended.

Options:
  --area AREA        what part of the project it concerns (default: general)
  --text-file FILE   read the text from FILE (\`-\` for standard input) instead of the command line
  -C, --dir DIR      the project folder (default: the current folder)
  -n, --dry-run      show the new file and the diff, write nothing
  --json             { result: { todo, at, file, title, area }, changed }
  -h, --help

Example:
  cairn todo add "Handle leap seconds in the iCalendar feed" --area feeds`;

const doneHelp = `Usage: cairn todo done <id | file name | start of its title> [--dir DIR] [--dry-run] [--json]

Moves the todo's file from .planning/todos/pending/ to .planning/todos/done/ (same bytes) and
records it done. Name the todo by the id \`cairn todo add\` printed, by its file name (with or
without .md), or by the start of its title; a name matching several todos lists them (exit 2).
A todo that is already done changes nothing.

Options:
  -C, --dir DIR   the project folder (default: the current folder)
  -n, --dry-run   show what would move and the diff, write nothing
  --json          { result: { todo, file, from, alreadyDone }, changed }
  -h, --help

Example:
  cairn todo done 2026-03-08-southern-hemisphere-moons`;

export const help = `Usage: cairn todo <add|done> … [options]

Subcommands:
  add "<text>"   create a pending todo (.planning/todos/pending/…)
  done <todo>    mark a todo done (moves its file to .planning/todos/done/)

Run \`cairn todo add --help\` or \`cairn todo done --help\` for details.`;

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(`${help}\n`);
    return ExitCode.ok;
  }
  if (sub === 'add') {
    return runOpCommand(rest, {
      name: 'todo add',
      help: addHelp,
      flags: { area: { type: 'string', description: 'what part of the project it concerns' }, ...textFileFlag },
      decide: (ctx, args) => todoAdd(ctx, { text: textFrom(args, 'the todo'), area: args.flags.area as string | undefined }),
    });
  }
  if (sub === 'done') {
    return runOpCommand(rest, {
      name: 'todo done',
      help: doneHelp,
      decide: (ctx, args) => todoDone(ctx, { ref: args.positionals.length ? args.positionals.join(' ') : undefined }),
    });
  }
  process.stderr.write(`${help}\n\n`);
  throw new UsageError(sub === undefined || sub.startsWith('-') ? 'cairn todo needs a subcommand: add or done' : `unknown subcommand "todo ${sub}"; expected add or done`, 'e.g. cairn todo add "Write the migration guide"');
}
