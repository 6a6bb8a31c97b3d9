/** `cairn decide "<text>" [--tag T] [--rationale R]` — record a decision in the ledger. */
import { runOpCommand } from '../op-command.ts';
import { textFileFlag, textFrom } from '../text-input.ts';
import { decide } from '../../ops/decide.ts';

export const help = `Usage: cairn decide "<text>" [--tag TAG] [--rationale "<why>"] [--dir DIR] [--dry-run] [--json]

Records a decision in .planning/events.jsonl with the time it was taken. STATE.md's Decisions
section shows the five latest; the ledger keeps every one in full. The text is stored exactly as
given (quotes, backticks, \`$1\`, pipes and line breaks included); at most 4,096 bytes.

Options:
  --tag TAG          what the decision belongs to: a plan id (02-01), a phase, or a word (Roadmap)
  --rationale TEXT   why it was taken
  --text-file FILE   read the text from FILE (\`-\` for standard input) instead of the command line
  -C, --dir DIR      the project folder (default: the current folder)
  -n, --dry-run      show the diff (ledger line and STATE.md) and write nothing
  --json             { result: { decision, at, text, tag, rationale, total }, changed }
  -h, --help

Example:
  cairn decide "Store all instants in UTC; convert only when rendering" --tag 02.1-01`;

export function run(argv: string[]): Promise<number> {
  return runOpCommand(argv, {
    name: 'decide',
    help,
    flags: {
      tag: { type: 'string', description: 'plan id, phase or word the decision belongs to' },
      rationale: { type: 'string', description: 'why it was taken' },
      ...textFileFlag,
    },
    decide: (ctx, args) =>
      decide(ctx, {
        text: textFrom(args, 'the decision'),
        tag: args.flags.tag as string | undefined,
        rationale: args.flags.rationale as string | undefined,
      }),
  });
}
