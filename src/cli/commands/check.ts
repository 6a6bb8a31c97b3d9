/**
 * `cairn check [dir] [--json] [--format github]` — every problem Cairn can see: files it could not
 * read losslessly, values it could not parse, schedule cycles and dangling dependencies, and drift
 * between what STATE.md / the ROADMAP progress say and what the files say. Exit 1 on any error.
 */
import { parseArgs, type FlagSpec } from '../args.ts';
import { loadWorkspace } from '../../workspace/index.ts';
import { derive } from '../../derive/index.ts';
import { runChecks } from '../../checks/index.ts';
import type { Diagnostic } from '../../model/diagnostic.ts';
import { c, countBySeverity, formatDiagnostic, printJson } from '../output.ts';
import { ExitCode, UsageError } from '../../model/errors.ts';

const flags: Record<string, FlagSpec> = {
  json: { type: 'boolean', description: 'print { diagnostics, counts } as one JSON document' },
  format: { type: 'string', description: '`text` (default) or `github` (workflow annotations)' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

export const help = `Usage: cairn check [dir] [--json] [--format github]

Reports what is wrong with the planning files in [dir] (default: the current folder):
  - files that cannot be read back byte-for-byte (lossless-read) or parsed,
  - schedule problems: dependency cycles, "Depends on" naming a phase that does not exist,
  - drift (state-drift): STATE.md or the ROADMAP progress table saying something the files do not,
    each with the field, the written value, the derived value, file and line.
A project whose .planning/ holds only STATE.md gets internal-consistency checks instead.

Exit status: 0 when no error was found, 1 when at least one error was found.

Options:
  --json            { diagnostics: [...], counts: { error, warning, info } }
  --format github   one ::error/::warning annotation per problem, for GitHub Actions
  -h, --help

Fix drift with: cairn sync   (cairn sync --dry-run shows the diff first)`;

function escapeGithub(s: string, property = false): string {
  const out = s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  return property ? out.replace(/:/g, '%3A').replace(/,/g, '%2C') : out;
}

export function githubAnnotation(d: Diagnostic): string {
  const level = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice';
  const props = [`file=${escapeGithub(d.file, true)}`];
  if (d.line > 0) props.push(`line=${d.line}`, `col=${d.column}`);
  props.push(`title=${escapeGithub(`cairn ${d.rule}`, true)}`);
  return `::${level} ${props.join(',')}::${escapeGithub(d.hint ? `${d.message} — ${d.hint}` : d.message)}`;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, flags, 'check');
  if (args.flags.help) {
    process.stdout.write(`${help}\n`);
    return ExitCode.ok;
  }
  const format = (args.flags.format as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'github') throw new UsageError(`unknown --format ${format}`, 'use --format text or --format github');
  if (args.positionals.length > 1) throw new UsageError(`check takes one folder, got ${args.positionals.length}`, 'cairn check [dir]');
  const ws = await loadWorkspace(args.positionals[0] ?? '.');
  const diagnostics = runChecks(ws, derive(ws, new Date()));
  const counts = countBySeverity(diagnostics);
  if (args.flags.json) printJson({ diagnostics, counts });
  else if (format === 'github') {
    for (const d of diagnostics) process.stdout.write(`${githubAnnotation(d)}\n`);
  } else {
    for (const d of diagnostics) process.stdout.write(`${formatDiagnostic(d)}\n`);
    const summary = `${counts.error} error(s), ${counts.warning} warning(s), ${counts.info} note(s)`;
    process.stdout.write(`${diagnostics.length ? '\n' : ''}${counts.error ? c.red(summary) : c.green(summary)}\n`);
  }
  return counts.error > 0 ? ExitCode.problems : ExitCode.ok;
}
