/**
 * `cairn check [dir] [--json] [--format text|github|sarif|junit]` — every problem Cairn can see:
 * files it could not read losslessly, values it could not parse, schedule cycles and dangling
 * dependencies, and drift between what STATE.md / the ROADMAP progress say and what the files
 * say. Exit 1 on any error. The CI formats are written in src/checks/report/.
 */
import { parseArgs, type FlagSpec } from '../args.ts';
import { cairnVersion } from '../../model/version.ts';
import { gitPlace, loadWorkspace } from '../../workspace/index.ts';
import { githubReport } from '../../checks/report/github.ts';
import { sarifReport } from '../../checks/report/sarif.ts';
import { junitReport } from '../../checks/report/junit.ts';
import { derive } from '../../derive/index.ts';
import { runChecks } from '../../checks/index.ts';
import { readGitHistory } from '../../workspace/git-history.ts';
import { c, countBySeverity, formatDiagnostic, printJson } from '../output.ts';
import { ExitCode, UsageError } from '../../model/errors.ts';
import { checkDocument } from '../../views/documents.ts';

const flags: Record<string, FlagSpec> = {
  json: { type: 'boolean', description: 'print { diagnostics, counts } as one JSON document' },
  format: { type: 'string', description: '`text` (default), `github` (workflow annotations), `sarif` (SARIF 2.1.0) or `junit` (JUnit XML)' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};


const FORMATS = ['text', 'github', 'sarif', 'junit'];

export const help = `Usage: cairn check [dir] [--json] [--format text|github|sarif|junit]

Reports what is wrong with the planning files in [dir] (default: the current folder):
  - files that cannot be read back byte-for-byte (lossless-read) or parsed,
  - schedule problems: dependency cycles, "Depends on" naming a phase that does not exist,
  - drift (state-drift): STATE.md or the ROADMAP progress table saying something the files do not,
    each with the field, the written value, the derived value, file and line,
  - alerts (warnings): stale-plan (started, not done after 3× its phase's median duration),
    blocker-age (open > 7 days), scope-growth (> 20 % since the milestone started),
    idle-project (no activity for 14 days with work left).
A project whose .planning/ holds only STATE.md gets internal-consistency checks instead.

Exit status: 0 when no error was found, 1 when at least one error was found.

Options:
  --json            { diagnostics: [...], counts: { error, warning, info } }
  --format github   GitHub Actions annotations (::error/::warning/::notice), 10 of each kind
                    (the most a step shows), the rest as plain lines, then a summary line
  --format sarif    SARIF 2.1.0 for code scanning (github/codeql-action/upload-sarif), with
                    stable rule ids and help text; paths relative to the git repository
  --format junit    JUnit XML: one test case per planning file, failing on its errors
  -h, --help

Fix drift with: cairn sync   (cairn sync --dry-run shows the diff first)`;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, flags, 'check');
  if (args.flags.help) {
    process.stdout.write(`${help}\n`);
    return ExitCode.ok;
  }
  const format = (args.flags.format as string | undefined) ?? 'text';
  if (!FORMATS.includes(format)) throw new UsageError(`unknown --format ${format}`, `use --format ${FORMATS.join(', ')}`);
  if (args.positionals.length > 1) throw new UsageError(`check takes one folder, got ${args.positionals.length}`, 'cairn check [dir]');
  const ws = await loadWorkspace(args.positionals[0] ?? '.');
  const now = new Date();
  // Git history feeds the scope-growth and idle-project alerts (one `git log` over .planning/).
  const git = await readGitHistory(ws.root);
  const diagnostics = runChecks(ws, derive(ws, now), { now, git });
  const counts = countBySeverity(diagnostics);
  if (args.flags.json) printJson(checkDocument(diagnostics));
  else if (format === 'github' || format === 'sarif') {
    // CI resolves paths from the repository top, which may sit above the project.
    const prefix = gitPlace(ws.root)?.prefix;
    const pathPrefix = prefix ? `${prefix}/` : '';
    if (format === 'github') process.stdout.write(`${githubReport(diagnostics, pathPrefix).join('\n')}\n`);
    else printJson(sarifReport(diagnostics, { version: cairnVersion, pathPrefix }));
  } else if (format === 'junit') {
    process.stdout.write(junitReport(diagnostics, ws.files.filter((f) => /\.(md|jsonl)$/i.test(f))));
  } else {
    for (const d of diagnostics) process.stdout.write(`${formatDiagnostic(d)}\n`);
    const summary = `${counts.error} error(s), ${counts.warning} warning(s), ${counts.info} note(s)`;
    process.stdout.write(`${diagnostics.length ? '\n' : ''}${counts.error ? c.red(summary) : c.green(summary)}\n`);
  }
  return counts.error > 0 ? ExitCode.problems : ExitCode.ok;
}
