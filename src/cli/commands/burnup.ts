/**
 * `cairn burnup [dir] [--json]` — per day, plans done and plans in scope (the scope line), from
 * git history before adoption and the ledger after (src/derive/burnup.ts); on a terminal a
 * compact Unicode chart, each column one point (a day something changed), or the last of a span of
 * points on long histories.
 */
import { parseArgs, type FlagSpec } from '../args.ts';
import { loadWorkspace } from '../../workspace/index.ts';
import { readGitHistory } from '../../workspace/git-history.ts';
import { burnup, type Burnup } from '../../derive/burnup.ts';
import { c, printJson } from '../output.ts';
import { burnupDocument } from '../../views/documents.ts';
import { ExitCode, UsageError } from '../../model/errors.ts';

const flags: Record<string, FlagSpec> = {
  json: { type: 'boolean', description: 'print one JSON document (the series) and nothing else' },
  'no-git': { type: 'boolean', description: 'do not read git history (ledger and files only)' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

export const help = `Usage: cairn burnup [dir] [--json] [--no-git]

Shows, per day, how many plans were done and how many were in scope (the scope line: when it
rises, the plan grew). History before the ledger existed comes from one \`git log\` pass over
.planning/ (SUMMARY files added = plans done, PLAN files added = scope); from adoption on, from
the ledger's plan.completed events; today's point from the files. Every point says its source.
Without git (or with --no-git) the ledger and the files alone are used.

Chart: one column per point (a day something changed; spans of points on long histories),
█ done, ░ in scope but not done, ▲ under a column whose days changed the ROADMAP.

Options:
  --json     { points: [{ date, done, scope, source, scopeSource, roadmapChanged }], adoptedAt,
             sources: { git, ledger }, milestones } (see README "burnup --json")
  --no-git   skip git history
  -h, --help

Examples:
  cairn burnup
  cairn burnup --json | jq '.points[-1]'`;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, flags, 'burnup');
  if (args.flags.help) {
    process.stdout.write(`${help}\n`);
    return ExitCode.ok;
  }
  if (args.positionals.length > 1) throw new UsageError(`burnup takes one folder, got ${args.positionals.length}`, 'cairn burnup [dir]');
  const ws = await loadWorkspace(args.positionals[0] ?? '.');
  const git = args.flags['no-git'] ? null : await readGitHistory(ws.root);
  const series = burnup(ws, git, new Date());
  if (args.flags.json) printJson(burnupDocument(ws.root, series));
  else process.stdout.write(`${renderBurnup(series).join('\n')}\n`);
  return ExitCode.ok;
}

const HEIGHT = 8;
const WIDTH = 60;

/** Columns: the last point of each span of points (points are cumulative, so the last one stands for the span). */
export function renderBurnup(b: Burnup, width = WIDTH): string[] {
  const pts = b.points;
  const out: string[] = [];
  const src = [b.sources.git ? 'git' : null, b.sources.ledger ? 'ledger' : null, 'files'].filter(Boolean).join(' + ');
  out.push(`${c.bold('Burn-up')}  ${pts[0]!.date} → ${pts.at(-1)!.date}  ${c.dim(`(${pts.length} point(s) from ${src})`)}`);
  if (!b.sources.git && !b.sources.ledger) out.push(c.dim('No git history of .planning/ and no ledger: only today is known. Commit .planning/ or run `cairn adopt`.'));
  const cols: typeof pts = [];
  const step = Math.max(1, Math.ceil(pts.length / width));
  for (let i = step - 1; i < pts.length + step - 1; i += step) cols.push(pts[Math.min(i, pts.length - 1)]!);
  const marks = cols.map((_, k) => pts.slice(k * step, (k + 1) * step).some((p) => p.roadmapChanged));
  const top = Math.max(1, ...pts.map((p) => p.scope));
  const label = (n: number) => String(n).padStart(String(top).length);
  for (let r = HEIGHT; r >= 1; r--) {
    const level = (top * (r - 0.5)) / HEIGHT;
    const row = cols.map((p) => (p.done >= level ? '█' : p.scope >= level ? '░' : ' ')).join('');
    out.push(`${r === HEIGHT ? label(top) : r === 1 ? label(0) : ' '.repeat(String(top).length)} ┤${row}`);
  }
  if (marks.some(Boolean)) out.push(`${' '.repeat(String(top).length)}  ${marks.map((m) => (m ? '▲' : ' ')).join('')}`);
  const last = pts.at(-1)!;
  const first = pts[0]!;
  out.push(`Now ${last.done}/${last.scope} plans done` + (pts.length > 1 ? ` · scope ${last.scope - first.scope >= 0 ? '+' : ''}${last.scope - first.scope} since ${first.date}` : ''));
  return out;
}
