/**
 * `decide "<text>" [--tag 02-01] [--rationale "…"]`: records `decision.recorded` in the ledger.
 * The text is stored exactly as given (after trimming); STATE.md's Decisions section is a view
 * of the ledger that the runner re-renders.
 */
import { UsageError } from '../model/errors.ts';
import type { Context } from './run.ts';
import { addEvent, emptyChange, type Change } from './change.ts';
import { requireText } from './input.ts';

export interface DecideInput {
  text: string | undefined;
  tag?: string | undefined;
  rationale?: string | undefined;
}

/** Tags label a decision (`02-01`, `Roadmap`, `auth`): one short line. */
export const MAX_TAG_CHARS = 80;

export function requireLabel(raw: string, what: string, example: string): string {
  const label = requireText(raw, what, example);
  if (/[\r\n]/.test(label)) throw new UsageError(`${what} must be one line`, `e.g. ${example}`);
  if (label.length > MAX_TAG_CHARS) throw new UsageError(`${what} is ${label.length} characters; the limit is ${MAX_TAG_CHARS}`, `e.g. ${example}`);
  return label;
}

export function clipOne(text: string, max = 72): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

export function decide(ctx: Context, input: DecideInput): Change {
  const text = requireText(input.text, 'the decision', 'cairn decide "Store times in UTC"');
  const tag = input.tag === undefined ? undefined : requireLabel(input.tag, 'the tag', '--tag 02-01');
  const rationale = input.rationale === undefined ? undefined : requireText(input.rationale, 'the rationale', '--rationale "local dates drift across zones"');
  const change = emptyChange();
  const e = addEvent(
    change,
    ctx.ws,
    { type: 'decision.recorded', text, ...(tag !== undefined ? { tag } : {}), ...(rationale !== undefined ? { rationale } : {}) },
    ctx.now,
  );
  change.summary = [`Recorded decision ${e.id}${tag ? ` [${clipOne(tag, 30)}]` : ''}: ${clipOne(text)}`];
  change.result = { decision: e.id, at: e.at, text, tag: tag ?? null, rationale: rationale ?? null, total: ctx.state.decisions.total + 1 };
  return change;
}
