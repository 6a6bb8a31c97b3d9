/** `cairn adopt [--dry-run]` — take over an existing GSD project: import STATE.md's history into the ledger. */
import { runOpCommand } from '../op-command.ts';
import { adopt } from '../../ops/adopt.ts';

export const help = `Usage: cairn adopt [dir] [--dry-run] [--json]

Takes over an existing GSD project: imports what STATE.md records — decisions, blockers (resolved
ones too), pending todos, the last session and the per-phase metrics of the By Phase table — into
.planning/events.jsonl, then re-renders STATE.md's owned sections and the ROADMAP progress from it.
Prints how many entries of each kind were imported. Nothing is dropped: the ledger keeps every
entry in full, STATE.md shows the most recent. Running it again imports nothing new.

Options:
  -C, --dir DIR   the project folder (default: the current folder)
  -n, --dry-run   show the diff (ledger lines and views) and write nothing
  --json          { result: { imported: { decisions, blockers, blockersResolved, todos, sessions, phaseMetrics } }, changed }
  -h, --help

Try it first with: cairn adopt --dry-run`;

export function run(argv: string[]): Promise<number> {
  return runOpCommand(argv, { name: 'adopt', help, importHistory: false, dirPositional: true, decide: (ctx) => adopt(ctx.ws, ctx.now) });
}
