/**
 * `cairn mcp [dir] [--http [--port N]]` — a thin entry: bind console to stderr, then load the MCP
 * shell (src/mcp/, and the SDK with it) only now, so no other command ever loads that code.
 */
import { parseArgs, type FlagSpec } from '../args.ts';
import { findRoot } from '../../workspace/root.ts';
import { ExitCode, UsageError } from '../../model/errors.ts';

const flags: Record<string, FlagSpec> = {
  http: { type: 'boolean', description: 'serve streamable HTTP on 127.0.0.1 instead of stdio' },
  port: { type: 'string', description: 'with --http: the port (default: a free one)' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

export const help = `Usage: cairn mcp [dir] [--http [--port N]]

Serves the project in [dir] (default: the current folder) to a coding agent over the Model
Context Protocol. stdio by default: the host launches \`cairn mcp\` and talks on stdin/stdout
(stdout carries protocol only; messages go to stderr). Both the 2025 \`initialize\` handshake
and the stateless 2026-07-28 protocol are answered.

Tools: cairn_status, cairn_list, cairn_read (reads, never write), cairn_plan, cairn_roadmap,
cairn_note, cairn_handoff, cairn_sync (writes, under the same lock as the CLI).
Resources: cairn://state, cairn://roadmap, cairn://project, cairn://handoff;
templates cairn://phase/{id}, cairn://plan/{id}, cairn://summary/{id}.

Options:
  --http       streamable HTTP on 127.0.0.1 only; prints the URL, with its per-run token, on stderr
  --port N     with --http: listen on N (default: a free port)
  -h, --help

Add it to a host with: cairn agents install   (writes the project's MCP config files)`;

/** Everything a library might print goes to stderr: stdout is the protocol channel. */
function bindConsoleToStderr(): void {
  const toErr = (...a: unknown[]) => console.error(...a);
  console.log = toErr;
  console.info = toErr;
  console.debug = toErr;
  console.warn = toErr;
}

export async function run(argv: string[]): Promise<number> {
  bindConsoleToStderr();
  const args = parseArgs(argv, flags, 'mcp');
  if (args.flags.help) {
    process.stdout.write(`${help}\n`);
    return ExitCode.ok;
  }
  if (args.positionals.length > 1) throw new UsageError(`mcp takes one folder, got ${args.positionals.length}`, 'cairn mcp [dir]');
  const portText = args.flags.port as string | undefined;
  if (portText !== undefined && !args.flags.http) throw new UsageError('--port goes with --http', 'cairn mcp --http --port 7300');
  const port = portText === undefined ? 0 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, got "${portText}"`, 'cairn mcp --http --port 7300');
  const root = await findRoot(args.positionals[0] ?? '.');
  const { runMcp } = await import('../../mcp/server.ts');
  await runMcp({
    root,
    ...(args.flags.http ? { http: { port } } : {}),
    onListening: (url) => process.stderr.write(`cairn mcp: serving ${root} on ${url}\n`),
  });
  return ExitCode.ok;
}
