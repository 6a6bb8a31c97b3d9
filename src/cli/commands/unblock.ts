/** `cairn unblock <id|text prefix|number>` — resolve a blocker. */
import { runOpCommand } from '../op-command.ts';
import { unblock } from '../../ops/block.ts';

export const help = `Usage: cairn unblock <id | start of its text | number> [--dir DIR] [--dry-run] [--json]

Records that a blocker is resolved. Name it by the id \`cairn block\` printed, by the start of its
text (it must match one open blocker), or by its number in the open list (1 = the first one
\`cairn status\` shows). Resolving a blocker that is already resolved changes nothing.
A blocker written only in STATE.md is first imported into the ledger, then resolved.

Options:
  -C, --dir DIR   the project folder (default: the current folder)
  -n, --dry-run   show the diff and write nothing
  --json          { result: { blocker, text, alreadyResolved, open }, changed }
  -h, --help

Examples:
  cairn unblock 1
  cairn unblock "Waiting for the payment"`;

export function run(argv: string[]): Promise<number> {
  return runOpCommand(argv, {
    name: 'unblock',
    help,
    decide: (ctx, args) => unblock(ctx, { ref: args.positionals.length ? args.positionals.join(' ') : undefined }),
  });
}
