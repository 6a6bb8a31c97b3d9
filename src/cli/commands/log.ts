/**
 * `cairn log [kind] [dir] [--since DATE|7d] [--phase ID] [--limit N] [--json]` — the project's
 * history, newest first (entries from `src/views/log.ts`, the function every surface shares).
 * On a terminal, output longer than the screen goes through `$PAGER` (default `less -FRX`).
 */
import { statSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { parseArgs, type FlagSpec } from '../args.ts';
import { findRoot } from '../../workspace/root.ts';
import { loadWorkspace } from '../../workspace/index.ts';
import { LOG_SELECTORS, logOf, parseLimit, parseLogSelector, parseSince, unknownSelector, type LogEntry, type LogKind } from '../../views/log.ts';
import { normalizePhaseId } from '../../model/ids.ts';
import { c, clip, printJson } from '../output.ts';
import { logDocument } from '../../views/documents.ts';
import { ExitCode, UsageError } from '../../model/errors.ts';

const flags: Record<string, FlagSpec> = {
  since: { type: 'string', description: 'only entries on or after a date (2026-03-01) or within an age (7d, 12h, 2w)' },
  phase: { type: 'string', description: 'only entries of one phase (3, 02.1)' },
  limit: { type: 'string', short: 'n', description: 'at most N entries (the newest)' },
  json: { type: 'boolean', description: 'print { entries, total, … } as one JSON document' },
  'no-pager': { type: 'boolean', description: 'never page, even on a terminal' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

export const help = `Usage: cairn log [${Object.keys(LOG_SELECTORS).join('|')}] [dir] [options]

The history of the project in [dir] (default: the current folder), newest first: decisions,
blockers raised and resolved, todos added and done, sessions, plans started and completed,
phases completed, milestones started, completed and shipped. Each line shows the date, the kind,
the tag or group, the text and the ledger event id.

Entries come from the ledger (.planning/events.jsonl). For a project not yet adopted, decisions,
blockers, todos and the last session come from STATE.md, and plans, todos and milestones from the
dates their own files carry (a SUMMARY's \`completed\`, a todo's \`created\`, MILESTONES.md).
"—" marks an entry whose date is unknown (imported without one); those come last.

Options:
  --since DATE|AGE   on or after a date (2026-03-01, 2026-03-01T12:00Z) or an age: 7d, 12h, 2w.
                     Undated entries are left out.
  --phase ID         only entries of that phase (a decision tagged 03-02 belongs to phase 3)
  -n, --limit N      the N newest entries
  --json             { schemaVersion, root, kinds, since, phase, limit, total, entries: [...] }
                     (see README "log --json")
  --no-pager         never page; output is paged only on a terminal and only when longer than it
  -h, --help

Examples:
  cairn log                         everything, newest first
  cairn log decisions --since 7d    decisions of the last seven days
  cairn log plans --phase 3         plans of phase 3
  cairn log all ../app --json | jq '.entries[] | select(.kind == "blocker")'`;

export interface LogIo {
  /** The clock `--since 7d` counts back from. */
  now?: Date;
  write?: (text: string) => void;
}

interface Parsed {
  kinds: readonly LogKind[];
  selector: string;
  dir: string;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** `[kind] [dir]`: the first word is a kind when it names one, else a folder that exists. */
function positionals(words: string[]): Parsed {
  if (words.length > 2) throw new UsageError(`log takes a kind and a folder, got ${words.length} words`, 'cairn log [kind] [dir]');
  const [first, second] = words;
  if (first === undefined) return { kinds: LOG_SELECTORS.all!, selector: 'all', dir: '.' };
  const kinds = parseLogSelector(first);
  if (kinds) return { kinds, selector: first.toLowerCase(), dir: second ?? '.' };
  if (second === undefined && isDir(first)) return { kinds: LOG_SELECTORS.all!, selector: 'all', dir: first };
  throw unknownSelector(first);
}

export async function run(argv: string[], io: LogIo = {}): Promise<number> {
  const args = parseArgs(argv, flags, 'log');
  const write = io.write ?? ((t: string) => void process.stdout.write(t));
  if (args.flags.help) {
    write(`${help}\n`);
    return ExitCode.ok;
  }
  const now = io.now ?? new Date();
  const { kinds, selector, dir } = positionals(args.positionals);
  const since = typeof args.flags.since === 'string' ? parseSince(args.flags.since, now) : null;
  const limit = typeof args.flags.limit === 'string' ? parseLimit(args.flags.limit) : null;
  let phase: string | null = null;
  if (typeof args.flags.phase === 'string') {
    phase = normalizePhaseId(args.flags.phase);
    if (phase === null) throw new UsageError(`--phase expects a phase id, got "${args.flags.phase}"`, 'e.g. --phase 3 or --phase 02.1');
  }
  const root = await findRoot(dir);
  const ws = await loadWorkspace(root);
  const result = logOf(ws, { kinds, since, phase, limit });

  if (args.flags.json) {
    const doc = logDocument(root, { kinds, since, phase, limit }, result);
    if (io.write) write(`${JSON.stringify(doc, null, 2)}\n`);
    else printJson(doc);
    return ExitCode.ok;
  }
  const lines = renderLog(result.entries);
  const shown = result.entries.length;
  const filters = [selector !== 'all' ? selector : null, since ? `since ${since.toISOString().slice(0, 16).replace('T', ' ')}` : null, phase ? `phase ${phase}` : null].filter(Boolean);
  const footer = shown === 0
    ? `No history entries${filters.length ? ` (${filters.join(', ')})` : ''}. Decisions, blockers, todos and sessions are recorded by \`cairn decide\`, \`cairn block\`, \`cairn todo add\`, \`cairn session save\`.`
    : `${shown}${result.total > shown ? ` of ${result.total}` : ''} entr${result.total === 1 ? 'y' : 'ies'}${filters.length ? ` (${filters.join(', ')})` : ''}, newest first${result.total > shown ? ` — raise --limit to see more` : ''}`;
  const text = `${[...lines, ...(lines.length ? [''] : []), c.dim(footer)].join('\n')}\n`;
  if (io.write) write(text);
  else await page(text, { isTTY: process.stdout.isTTY === true && args.flags['no-pager'] !== true, rows: process.stdout.rows ?? 24 });
  return ExitCode.ok;
}

const LABEL: Record<string, string> = {
  'decision:recorded': 'decision',
  'session:saved': 'session',
};

function shortDate(d: string | null): string {
  if (d === null) return '—';
  // `2026-03-10T09:00:00.000Z` → `2026-03-10 09:00`; a date alone stays as it is.
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(d);
  return m ? `${m[1]} ${m[2]}` : d;
}

/** One line per entry: date, kind, [tag] or (group), text, and the event id dimmed. */
export function renderLog(entries: readonly LogEntry[]): string[] {
  const dateWidth = Math.max(10, ...entries.map((e) => shortDate(e.date).length));
  return entries.map((e) => {
    const label = LABEL[`${e.kind}:${e.action}`] ?? `${e.kind} ${e.action}`;
    const tag = e.tag ? `[${e.tag}] ` : '';
    const group = e.group ? c.dim(`(${clip(e.group, 40)}) `) : '';
    const where = e.id ?? (e.file ? `${e.file}${e.line ? `:${e.line}` : ''}` : '');
    return `${shortDate(e.date).padEnd(dateWidth)}  ${c.cyan(label.padEnd(18))}${group}${tag}${clip(e.text, 100)}${e.detail && e.kind !== 'plan' ? c.dim(` — ${clip(e.detail, 60)}`) : e.detail ? c.dim(` (${e.detail})`) : ''}  ${c.dim(where)}`;
  });
}

/** `$PAGER` split into program and arguments (never run through a shell); `less -FRX` by default. */
export function pagerCommand(env: NodeJS.ProcessEnv = process.env): string[] | null {
  const raw = (env.PAGER ?? '').trim();
  if (raw === 'cat') return null;
  const words = raw ? raw.split(/\s+/) : ['less', '-FRX'];
  return words;
}

/**
 * Writes `text` to stdout, through the pager when stdout is a terminal and the text is taller
 * than it. A pager that cannot start (not installed) falls back to writing directly.
 */
export function page(text: string, opts: { isTTY: boolean; rows: number; env?: NodeJS.ProcessEnv; stdout?: NodeJS.WritableStream }): Promise<void> {
  const out = opts.stdout ?? process.stdout;
  const lineCount = text.split('\n').length - 1;
  const cmd = opts.isTTY && lineCount > opts.rows - 1 ? pagerCommand(opts.env) : null;
  if (!cmd) {
    out.write(text);
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    let settled = false;
    const fallback = () => {
      if (settled) return;
      settled = true;
      out.write(text);
      resolve();
    };
    const child = spawn(cmd[0]!, cmd.slice(1), { stdio: ['pipe', opts.stdout ? 'pipe' : 'inherit', 'inherit'], env: { LESS: 'FRX', ...(opts.env ?? process.env) } });
    if (opts.stdout) child.stdout?.pipe(opts.stdout, { end: false });
    child.on('error', fallback);
    // The user quitting the pager early closes its stdin: not an error.
    child.stdin?.on('error', () => {});
    child.on('close', () => {
      if (settled) return;
      settled = true;
      resolve();
    });
    child.stdin?.end(text);
  });
}
