/**
 * `cairn serve [dirs…] [--port N] [--open] [--write] [--new-token]` — the live dashboard. A thin entry: the web
 * layer (hono, chokidar, dagre) is imported only here, so no other command pays for it.
 */
import { parseArgs, type FlagSpec } from '../args.ts';
import { findRoot } from '../../workspace/root.ts';
import { defaultRoots } from '../../views/portfolio.ts';
import { ExitCode, PreconditionError, UsageError } from '../../model/errors.ts';
import { c } from '../output.ts';

const flags: Record<string, FlagSpec> = {
  port: { type: 'string', short: 'p', description: 'port to listen on (default 4477; 0 picks a free one)' },
  open: { type: 'boolean', description: 'open the dashboard in the default browser' },
  write: { type: 'boolean', description: 'allow recording decisions and todos from the dashboard' },
  'new-token': { type: 'boolean', description: 'replace the session secret kept for this port (signs every open page out)' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

export const DEFAULT_PORT = 4477;

export const help = `Usage: cairn serve [dir…] [--port N] [--open] [--write] [--new-token]

A live dashboard of your projects in the browser: portfolio, project, roadmap with the dependency
graph, velocity and checks, updated within a second of any change to the files.
With no folder it shows the current project (if the folder has .planning/) and every project
registered with \`cairn projects add\`.

Safe by default: it listens on 127.0.0.1 only, answers only to Host 127.0.0.1/localhost, and asks
for the token in the printed address (in the #fragment, never sent over the network).
It is read-only unless --write. Every view has a JSON twin under /api equal to the CLI's --json.

Restarts are transparent: the token is kept per port in your state folder
($XDG_STATE_HOME/cairn/serve-<port>.secret, else ~/.local/state/cairn/; mode 0600, never in the
project), so the next \`cairn serve\` on the same port takes it again and open pages reconnect by
themselves. --new-token replaces it: every page signed in before must open the new address.
A secret file that is not 0600, not yours, or not a secret is ignored and replaced.
CAIRN_SERVE_TOKEN=<token> uses that token instead and stores nothing.

Options:
  -p, --port N   port (default ${DEFAULT_PORT}; 0 picks a free one)
  --open         open the address in the default browser
  --write        allow writes (decide, todo add) from the dashboard
  --new-token    rotate the session secret kept for this port (old cookies stop working)
  -h, --help

Examples:
  cairn serve
  cairn serve ~/code/app ~/code/api --port 8080
  cairn serve --new-token        # sign every open dashboard page out`;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, flags, 'serve');
  if (args.flags.help) {
    process.stdout.write(`${help}\n`);
    return ExitCode.ok;
  }
  const portText = (args.flags.port as string | undefined) ?? String(DEFAULT_PORT);
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw new UsageError(`--port ${portText} is not a port number`, 'e.g. --port 8080, or --port 0 for any free port');
  const roots = args.positionals.length ? await Promise.all(args.positionals.map((d) => findRoot(d))) : await defaultRoots(process.cwd());
  if (roots.length === 0) {
    throw new PreconditionError('no project to show: this folder has no .planning/ and no project is registered', 'run `cairn serve <dir>` or `cairn projects add <dir>` first');
  }
  const { startServer } = await import('../../web/server.ts');
  let server;
  try {
    server = await startServer({ roots, port: Number(portText), write: args.flags.write === true, newToken: args.flags['new-token'] === true, ...(process.env.CAIRN_SERVE_TOKEN ? { token: process.env.CAIRN_SERVE_TOKEN } : {}) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PreconditionError(`port ${portText} is in use`, 'pick another with --port N, or --port 0 for any free one');
    throw e;
  }
  process.stderr.write(`${c.bold('cairn serve', process.stderr)}: ${roots.length} project(s), ${args.flags.write ? 'writes enabled' : 'read-only'} · Ctrl-C to stop\n`);
  if (server.secretReplaced) process.stderr.write(`${c.yellow('warning', process.stderr)} ${server.secretFile} was not used (${server.secretReplaced}): a new secret replaces it, open pages must sign in again\n`);
  else if (server.tokenSource === 'rotated') process.stderr.write(`new session secret for port ${server.port}: pages signed in before must open the address below\n`);
  else if (server.tokenSource === 'reused') process.stderr.write(`${c.dim(`session kept from the last run on port ${server.port} (--new-token to rotate)`, process.stderr)}\n`);
  // The address with its token goes to stdout alone, so scripts and tests can read it.
  process.stdout.write(`${server.url}\n`);
  if (args.flags.open) {
    const { spawn } = await import('node:child_process');
    const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
    spawn(opener, [server.url], { stdio: 'ignore', detached: true }).on('error', () => process.stderr.write(`could not run ${opener}: open the address above yourself\n`)).unref();
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return ExitCode.ok;
}
