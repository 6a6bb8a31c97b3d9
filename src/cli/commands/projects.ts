/**
 * `cairn projects add|remove|list [dir…] [--json]` — the registry of projects that `cairn serve`
 * and `cairn status --all` show (a file in the user config folder, see src/store/registry.ts).
 */
import { resolve } from 'node:path';
import { parseArgs, type FlagSpec } from '../args.ts';
import { addProject, readRegistry, registryPath, removeProject } from '../../store/registry.ts';
import { findRoot } from '../../workspace/root.ts';
import { c, printJson } from '../output.ts';
import { ExitCode, UsageError } from '../../model/errors.ts';

const flags: Record<string, FlagSpec> = {
  json: { type: 'boolean', description: 'print one JSON document and nothing else' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

export const help = `Usage: cairn projects add [dir…] | remove [dir…] | list   [--json]

The projects \`cairn serve\` (with no folder) and \`cairn status --all\` show, besides the current one.
  add [dir…]      register each folder that holds .planning/ (default: the current folder)
  remove [dir…]   forget each folder (it may no longer exist)
  list            print the registered folders, one a line

The list lives in ${'$'}XDG_CONFIG_HOME/cairn/projects.json (else ~/.config/cairn/projects.json).

Options:
  --json   add/remove: { added|removed: [...], unchanged: [...] }; list: { file, projects: [{ root, added }] }
  -h, --help

Examples:
  cairn projects add ~/code/app ~/code/api
  cairn status --all
  cairn serve`;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, flags, 'projects');
  const [action, ...dirs] = args.positionals;
  if (args.flags.help || action === undefined) {
    process.stdout.write(`${help}\n`);
    return action === undefined && !args.flags.help ? ExitCode.usage : ExitCode.ok;
  }
  const file = registryPath();
  if (action === 'list') {
    if (dirs.length) throw new UsageError('projects list takes no folder', 'cairn projects list');
    const reg = await readRegistry(file);
    if (args.flags.json) printJson({ file, projects: reg.projects });
    else if (reg.projects.length === 0) process.stdout.write(c.dim(`No projects registered (${file}). Add one with: cairn projects add <dir>\n`));
    else for (const p of reg.projects) process.stdout.write(`${p.root}\n`);
    return ExitCode.ok;
  }
  if (action !== 'add' && action !== 'remove') {
    throw new UsageError(`unknown projects action "${action}"`, 'use cairn projects add|remove|list');
  }
  const targets = dirs.length ? dirs : ['.'];
  const changed: string[] = [];
  const unchanged: string[] = [];
  for (const dir of targets) {
    // A project is registered by the folder that holds .planning/; a removed one may be gone already.
    const root = action === 'add' ? await findRoot(dir) : await findRoot(dir).catch(() => resolve(dir));
    const did = action === 'add' ? await addProject(root, new Date(), file) : await removeProject(root, file);
    (did ? changed : unchanged).push(root);
  }
  if (args.flags.json) printJson({ [action === 'add' ? 'added' : 'removed']: changed, unchanged });
  else {
    for (const r of changed) process.stdout.write(`${action === 'add' ? 'added' : 'removed'} ${r}\n`);
    for (const r of unchanged) process.stdout.write(c.dim(`${action === 'add' ? 'already registered' : 'not registered'}: ${r}\n`));
  }
  return ExitCode.ok;
}
