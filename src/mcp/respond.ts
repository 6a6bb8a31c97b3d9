/**
 * How every MCP answer is shaped: planning text inside the data envelope (one text block), and a
 * small structured part that always carries `stateHash`, plus `truncated` and `nextCursor` when
 * the answer was cut to its budget. Budgets are in tokens counted as characters ÷ 4 over the
 * whole serialised result, envelope included.
 */
import type { CallToolResult } from '@modelcontextprotocol/server';
import { envelope, newMarker, neutralise } from './envelope.ts';
import { isCairnError } from '../model/errors.ts';

export const BUDGET = { brief: 200, status: 2000, list: 2000, readDefault: 4000, readMax: 20000, write: 400 } as const;

export function tokens(value: unknown): number {
  return Math.ceil(JSON.stringify(value).length / 4);
}

export interface Meta {
  stateHash: string;
  truncated?: boolean;
  nextCursor?: string;
  [k: string]: unknown;
}

export function result(body: string, meta: Meta): CallToolResult {
  return { content: [{ type: 'text', text: envelope(neutralise(body), newMarker()) }], structuredContent: meta };
}

/**
 * The longest prefix of `text` from `offset` whose result fits `budget` tokens; the cursor, if any,
 * is where the next page starts.
 */
export function pagedText(text: string, offset: number, budget: number, meta: Meta): CallToolResult {
  const probe = result('', { ...meta, truncated: true, nextCursor: encodeCursor(text.length) });
  // JSON escaping can grow text (quotes, newlines, non-ASCII escapes are not used by JSON.stringify).
  let room = Math.max(0, budget * 4 - JSON.stringify(probe).length - 8);
  for (;;) {
    const end = Math.min(text.length, offset + room);
    const truncated = end < text.length;
    const out = result(text.slice(offset, end), truncated ? { ...meta, truncated, nextCursor: encodeCursor(end) } : { ...meta, truncated: false });
    if (tokens(out) <= budget || room === 0) return out;
    room = Math.floor(room * 0.9);
  }
}

export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  const m = /^o:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new CursorError();
  return Number(m[1]);
}

class CursorError extends Error {
  readonly code = 'usage';
  readonly hint = 'pass back the nextCursor of the previous answer unchanged, or omit cursor to start over';
  constructor() {
    super('invalid cursor');
  }
}

/** `{code, message, hint}` for any failure, with the project root shown as `.` (paths stay project-relative). */
export function errorResult(e: unknown, root: string): CallToolResult {
  const rel = (s: string) => s.split(`${root}/`).join('').split(root).join('.');
  let body: { code: string; message: string; hint: string };
  if (isCairnError(e)) body = { code: e.code, message: rel(e.message), hint: rel(e.hint ?? '') };
  else if (e instanceof CursorError) body = { code: e.code, message: e.message, hint: e.hint };
  else {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`cairn mcp: internal error: ${e instanceof Error ? e.stack : msg}\n`);
    body = { code: 'internal', message: rel(msg), hint: 'this is a bug in cairn; the server log (stderr) has the stack' };
  }
  const safe = neutraliseBody(body);
  return { content: [{ type: "text", text: JSON.stringify(safe) }], structuredContent: safe, isError: true };
}

function neutraliseBody(b: { code: string; message: string; hint: string }) {
  return { code: b.code, message: neutralise(b.message), hint: neutralise(b.hint) };
}
