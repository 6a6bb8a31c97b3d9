/**
 * Reads `.planning/events.jsonl` tolerantly: one bad line never hides the others and never
 * throws. Lines are returned in id order (ids sort by time), which keeps the result independent
 * of how `merge=union` interleaved lines from two branches.
 */
import type { Diagnostic, Severity } from '../model/diagnostic.ts';
import { EVENT_SHAPES, isKnownType, type LedgerEvent } from './events.ts';

export interface LedgerRead {
  events: LedgerEvent[];
  diagnostics: Diagnostic[];
}

const HINT_RESTORE = 'only cairn writes this file; restore the line from git (`git log -p .planning/events.jsonl`) or delete it';

export function readLedger(text: string, file: string): LedgerRead {
  const events: LedgerEvent[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, number>();
  const report = (line: number, rule: string, severity: Severity, message: string, hint?: string): void => {
    diagnostics.push({ rule, severity, file, line, column: 1, message, ...(hint ? { hint } : {}) });
  };

  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let lineNo = 0;
  let sorted = true;
  while (start < text.length) {
    lineNo++;
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    const raw = text.slice(start, end);
    start = end + 1;
    if (raw.trim() === '') continue;

    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      if (nl < 0) {
        report(lineNo, 'ledger-torn-line', 'warning', `the last line of ${file} is incomplete (a write was cut off) and is ignored: ${clip(raw)}`, 'the next cairn command that records an event starts a new line; delete the fragment if it stays');
      } else {
        report(lineNo, 'ledger-invalid-line', 'error', `line ${lineNo} of ${file} is not valid JSON (${(e as Error).message}) and is ignored: ${clip(raw)}`, HINT_RESTORE);
      }
      continue;
    }

    const problem = checkEvent(value);
    if (problem) {
      report(lineNo, 'ledger-invalid-event', 'error', `line ${lineNo} of ${file} is not a valid event (${problem}) and is ignored: ${clip(raw)}`, HINT_RESTORE);
      continue;
    }
    const event = value as LedgerEvent;
    const first = seen.get(event.id);
    if (first !== undefined) {
      report(lineNo, 'ledger-duplicate-id', 'info', `line ${lineNo} of ${file} repeats event ${event.id} from line ${first}; the repeat is ignored`);
      continue;
    }
    seen.set(event.id, lineNo);
    const prev = events[events.length - 1];
    if (prev && prev.id > event.id) sorted = false;
    events.push(event);
  }
  if (!sorted) events.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { events, diagnostics };
}

/** Why `v` is not an event, or null. Unknown types only need the common fields. */
function checkEvent(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'expected a JSON object';
  const o = v as Record<string, unknown>;
  for (const f of ['id', 'at', 'type'] as const) {
    if (typeof o[f] !== 'string' || o[f] === '') return `"${f}" must be a non-empty string`;
  }
  if (Number.isNaN(Date.parse(o.at as string))) return `"at" is not a date: ${clip(o.at as string)}`;
  if (o.source !== undefined && typeof o.source !== 'string') return '"source" must be a string';
  if (o.key !== undefined && typeof o.key !== 'string') return '"key" must be a string';
  const type = o.type as string;
  if (!isKnownType(type)) return null;
  const shape = EVENT_SHAPES[type];
  for (const [name, t] of Object.entries(shape.required)) {
    if (!fieldOk(o[name], t)) return `${type} needs "${name}" as a ${t}`;
  }
  for (const [name, t] of Object.entries(shape.optional)) {
    if (o[name] !== undefined && !fieldOk(o[name], t)) return `"${name}" must be a ${t}`;
  }
  return null;
}

function fieldOk(v: unknown, t: 'string' | 'number'): boolean {
  return t === 'number' ? typeof v === 'number' && Number.isFinite(v) : typeof v === 'string';
}

function clip(s: string): string {
  const one = s.length > 80 ? `${s.slice(0, 77)}...` : s;
  return JSON.stringify(one);
}
