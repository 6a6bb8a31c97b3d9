/** `cairn init [DIR] --name … --core-value …` — start a new project. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, type FlagSpec } from '../args.ts';
import { commonFlags, printOutcome } from '../op-command.ts';
import { ExitCode, PreconditionError, UsageError } from '../../model/errors.ts';
import { runOperation } from '../../ops/run.ts';
import { INIT_FILES, decideInit, validateInitInput, type RawInitInput } from '../../ops/init.ts';

export const help = `Usage: cairn init [DIR] --name NAME --core-value TEXT [--description TEXT]
                  [--milestone VERSION --milestone-name NAME] [--dry-run] [--json]

Starts a new project in DIR (default: the current folder; created if missing):
  .planning/PROJECT.md   the name, what it is, the core value, requirement and decision skeletons
  .planning/ROADMAP.md   the title, the first milestone (if given), Phases, Phase Details, Progress
  .planning/STATE.md     rendered from the files, like after every cairn command
  .planning/events.jsonl the ledger, with the first milestone's start when one is given
                         (and .gitattributes, so branches merge the ledger by union)
On a terminal it asks for a missing name or core value; otherwise they must be given as flags.
Refuses a folder whose .planning/ already holds a project (use \`cairn adopt\` for those).

Options:
  --name NAME              the project name (the H1 of PROJECT.md)
  --core-value TEXT        the one thing that must work, in one sentence
  --description TEXT       what this is and who it is for ("What This Is")
  --milestone VERSION      the first milestone's version, e.g. v1.0
  --milestone-name NAME    its name, e.g. "First Light"
  -C, --dir DIR            the project folder (same as DIR)
  -n, --dry-run            show the files that would be written; write nothing
  --json                   { result: { root, name, milestone, files }, changed }
  -h, --help

Example:
  cairn init moonlight --name "Moonlight" --core-value "Anyone can look up tonight's moon" \\
    --milestone v1.0 --milestone-name "First Light"`;

const flags: Record<string, FlagSpec> = {
  name: { type: 'string', description: 'the project name' },
  'core-value': { type: 'string', description: 'the one thing that must work' },
  description: { type: 'string', description: 'what this is and who it is for' },
  milestone: { type: 'string', description: 'first milestone version' },
  'milestone-name': { type: 'string', description: 'first milestone name' },
};

async function ask(raw: RawInitInput): Promise<void> {
  const { createInterface } = await import('node:readline/promises');
  // Questions go to stderr so that --json keeps stdout to one JSON document. Lines are read through
  // the iterator, which buffers them: answers pasted all at once are not lost between questions.
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const lines = rl[Symbol.asyncIterator]();
  const question = async (prompt: string): Promise<string> => {
    rl.setPrompt(prompt);
    rl.prompt();
    const next = await lines.next();
    if (next.done) throw new UsageError('cairn init was cancelled before every question was answered; nothing was written', 'run it again, or pass --name and --core-value');
    return next.value;
  };
  try {
    raw.name ??= await question('Project name: ');
    raw.coreValue ??= await question('Core value (the one thing that must work, one sentence): ');
    if (raw.milestone !== undefined) raw.milestoneName ??= await question(`Name of milestone ${raw.milestone}: `);
  } finally {
    rl.close();
  }
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { ...commonFlags, ...flags }, 'init');
  if (args.flags.help) {
    process.stdout.write(`${help}\n`);
    return ExitCode.ok;
  }
  if (args.positionals.length > 1) {
    throw new UsageError(`cairn init takes one folder, got ${args.positionals.length}: ${args.positionals.join(' ')}`, 'quote names with spaces: cairn init --name "My Project" …');
  }
  const flagDir = args.flags.dir as string | undefined;
  const posDir = args.positionals[0];
  if (flagDir !== undefined && posDir !== undefined && flagDir !== posDir) {
    throw new UsageError(`two project folders given: ${posDir} and --dir ${flagDir}`, 'give the folder once');
  }
  const dir = posDir ?? flagDir ?? '.';
  const raw: RawInitInput = {
    name: args.flags.name as string | undefined,
    coreValue: args.flags['core-value'] as string | undefined,
    description: args.flags.description as string | undefined,
    milestone: args.flags.milestone as string | undefined,
    milestoneName: args.flags['milestone-name'] as string | undefined,
  };
  const missing = [raw.name === undefined && '--name', raw.coreValue === undefined && '--core-value', raw.milestone !== undefined && raw.milestoneName === undefined && '--milestone-name'].filter(
    (x): x is string => typeof x === 'string',
  );
  if (missing.length) {
    if (!process.stdin.isTTY) {
      throw new UsageError(
        `missing ${missing.join(' and ')}: there is no terminal to ask, so pass ${missing.length === 1 ? 'it as a flag' : 'them as flags'}`,
        'e.g. cairn init --name "Moonlight" --core-value "Anyone can look up tonight\'s moon"',
      );
    }
    // Say it before asking questions whose answers would be thrown away.
    const present = INIT_FILES.filter((f) => existsSync(join(dir, f)));
    if (present.length) throw new PreconditionError(`this folder already has a project: ${present.join(', ')}`, 'run `cairn adopt` to take over an existing GSD project');
    await ask(raw);
  }
  const input = validateInitInput(raw);
  const dryRun = args.flags['dry-run'] === true;
  const outcome = await runOperation({ dir, command: 'cairn init', dryRun, create: true }, (ctx) => decideInit(ctx, input));
  printOutcome(outcome, { json: args.flags.json === true, dryRun, verb: 'created' });
  return ExitCode.ok;
}
