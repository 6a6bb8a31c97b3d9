/** `cairn block "<text>"` — record a blocker. */
import { runOpCommand } from '../op-command.ts';
import { textFileFlag, textFrom } from '../text-input.ts';
import { block } from '../../ops/block.ts';

export const help = `Usage: cairn block "<text>" [--dir DIR] [--dry-run] [--json]

Records a blocker (something that stops the work) in .planning/events.jsonl. Its id is printed;
STATE.md's Blockers/Concerns section and \`cairn status\` list the open ones. Resolve it with
\`cairn unblock <id>\` (or the start of its text, or its number in the list).

Options:
  --text-file FILE   read the text from FILE (\`-\` for standard input) instead of the command line
  -C, --dir DIR      the project folder (default: the current folder)
  -n, --dry-run      show the diff and write nothing
  --json             { result: { blocker, at, text, open }, changed }
  -h, --help

Example:
  cairn block "Waiting for the payment provider's sandbox keys"`;

export function run(argv: string[]): Promise<number> {
  return runOpCommand(argv, {
    name: 'block',
    help,
    flags: { ...textFileFlag },
    decide: (ctx, args) => block(ctx, { text: textFrom(args, 'the blocker') }),
  });
}
