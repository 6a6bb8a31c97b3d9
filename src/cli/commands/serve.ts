/**
 * `cairn serve [dirs…] [--port N] [--open] [--write]` — the live dashboard. A thin entry: the web
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
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

export const DEFAULT_PORT = 4477;

export const help = `Usage: cairn serve [dir…] [--port N] [--open] [--write]

A live dashboard of your projects in the browser: portfolio, project, roadmap with the dependency
graph, velocity and checks, updated within a second of any change to the files.
With no folder it shows the current project (if the folder has .planning/) and every project
registered with \`cairn projects add\`.

Safe by default: it listens on 127.0.0.1 only, answers only to Host 127.0.0.1/localhost, and asks
for the one-time token in the printed address (in the #fragment, never sent over the network).
It is read-only unless --write. Every view has a JSON twin under /api equal to the CLI's --json.
Set CAIRN_SERVE_TOKEN to keep the same token across restarts (open pages then reconnect).

Options:
  -p, --port N   port (default ${DEFAULT_PORT}; 0 picks a free one)
  --open         open the address in the default browser
  --write        allow writes (decide, todo add) from the dashboard
  -h, --help

Examples:
  cairn serve
  cairn serve ~/code/app ~/code/api --port 8080`;

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
    server = await startServer({ roots, port: Number(portText), write: args.flags.write === true, ...(process.env.CAIRN_SERVE_TOKEN ? { token: process.env.CAIRN_SERVE_TOKEN } : {}) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PreconditionError(`port ${portText} is in use`, 'pick another with --port N, or --port 0 for any free one');
    throw e;
  }
  process.stderr.write(`${c.bold('cairn serve', process.stderr)}: ${roots.length} project(s), ${args.flags.write ? 'writes enabled' : 'read-only'} · Ctrl-C to stop\n`);
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
