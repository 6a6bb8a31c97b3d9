/**
 * The git shell's entry, loaded by the thin CLI commands `cairn git` and `cairn merge-driver`
 * with a dynamic import: install/uninstall (install.ts) and the merge driver (merge-driver.ts).
 * Output is plain text or one JSON document on stdout; errors are the closed set of model/errors.
 */
import { parseArgs } from 'node:util';
import { findRoot } from '../workspace/index.ts';
import { ExitCode, UsageError } from '../model/errors.ts';
import { planInstall, planUninstall } from './install.ts';
import { runMergeDriver } from './merge-driver.ts';

export const gitHelp = `Usage: cairn git install [dir] [--dry-run] [--json]
       cairn git uninstall [dir] [--dry-run] [--json]

Makes the planning files of the project in [dir] (default: the current folder) merge like code.

install adds
  .gitattributes          events.jsonl merge=union; STATE.md and ROADMAP.md merge=cairn
  .cairn/gitconfig        the cairn merge driver (commit it), included from this clone's
                          .git/config with include.path — no global git config is touched
  .cairn/merge-driver.sh  runs \`cairn merge-driver\`, or git merge-file where cairn is missing
  hooks                   post-merge, post-rewrite, post-checkout run \`cairn sync --quiet\`, in
                          the hooks folder git uses (core.hooksPath: husky, lefthook), after
                          any hook already there (kept as <hook>.pre-cairn and still run)
Running install again changes nothing. uninstall removes all of it and restores every file it
changed byte for byte (recorded in <git common dir>/cairn/install.json).

Each clone runs \`cairn git install\` once (the committed files are shared, the include and the
hooks are per clone). Set CAIRN_BIN when cairn is not on PATH as \`cairn\`.

Options:
  -n, --dry-run   list what would change
  --json          { dryRun, actions: [{ text, path }] }
  -h, --help`;


function options(argv: string[], name: string) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { 'dry-run': { type: 'boolean', short: 'n' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    throw new UsageError(`${name}: ${(e as Error).message}`, `cairn ${name} --help`);
  }
}

export async function gitCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(`${gitHelp}\n`);
    return sub === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (sub !== 'install' && sub !== 'uninstall') throw new UsageError(`unknown git subcommand "${sub}"`, 'cairn git install | uninstall');
  const args = options(rest, `git ${sub}`);
  if (args.values.help) {
    process.stdout.write(`${gitHelp}\n`);
    return ExitCode.ok;
  }
  if (args.positionals.length > 1) throw new UsageError(`git ${sub} takes one folder, got ${args.positionals.length}`, `cairn git ${sub} [dir]`);
  const root = await findRoot(args.positionals[0] ?? '.');
  const plan = sub === 'install' ? planInstall(root) : planUninstall(root);
  const dryRun = args.values['dry-run'] === true;
  if (!dryRun) plan.apply();
  if (args.values.json) process.stdout.write(`${JSON.stringify({ dryRun, actions: plan.actions }, null, 2)}\n`);
  else if (!plan.actions.length) process.stdout.write(sub === 'install' ? 'Already installed: nothing to change.\n' : 'Nothing to uninstall.\n');
  else {
    const verb = dryRun ? 'Would change' : sub === 'install' ? 'Installed' : 'Uninstalled';
    process.stdout.write(`${verb}:\n${plan.actions.map((a) => `  ${a.path}  ${a.text}`).join('\n')}\n`);
    if (sub === 'install' && !dryRun) process.stdout.write('Commit .gitattributes and .cairn/ so every clone merges the same way.\n');
  }
  return ExitCode.ok;
}

export const mergeDriverHelp = `Usage: cairn merge-driver <base> <ours> <theirs> <path>

The git merge driver for STATE.md and ROADMAP.md, set up by \`cairn git install\` as
  driver = sh .cairn/merge-driver.sh %O %A %B %P
It three-way merges the files, resolves conflicts in the views Cairn renders (progress rows,
phase checkboxes, position fields) and keeps both sides' other lines; the post-merge hook's
\`cairn sync\` then re-renders the views from the merged facts. Exit 0: merged into <ours>.`;


export async function mergeDriverCommand(argv: string[]): Promise<number> {
  if (argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write(`${mergeDriverHelp}\n`);
    return ExitCode.ok;
  }
  if (argv.length !== 4) throw new UsageError(`merge-driver takes 4 arguments (%O %A %B %P), got ${argv.length}`, 'it is run by git; see `cairn git install --help`');
  const [base, ours, theirs, path] = argv as [string, string, string, string];
  const r = runMergeDriver(base, ours, theirs, path, process.cwd());
  if (r.code !== 0) process.stderr.write(`cairn: ${path}: ${r.conflicts} conflict(s) left for you to resolve\n`);
  return r.code;
}
