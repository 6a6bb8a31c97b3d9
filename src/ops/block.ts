/**
 * `block "<text>"` records `blocker.raised` (the blocker's id is its event's id); `unblock <ref>`
 * records `blocker.resolved`. A blocker is named by its id, a unique prefix of its text, or its
 * number in the open list `cairn status` shows. A blocker that only STATE.md knows (not yet
 * adopted) is imported first, so resolving it never loses its text.
 */
import { UsageError } from '../model/errors.ts';
import { historyOf, normalizeText, type HistoryItem } from '../derive/history.ts';
import type { Context } from './run.ts';
import { addEvent, emptyChange, type Change } from './change.ts';
import { requireText } from './input.ts';
import { clipOne } from './decide.ts';

export interface BlockInput {
  text: string | undefined;
}

export interface UnblockInput {
  ref: string | undefined;
}

export function block(ctx: Context, input: BlockInput): Change {
  const text = requireText(input.text, 'the blocker', 'cairn block "Waiting for the API key from ops"');
  const change = emptyChange();
  const e = addEvent(change, ctx.ws, { type: 'blocker.raised', blocker: '', text }, ctx.now);
  e.blocker = e.id;
  change.summary = [`Raised blocker ${e.id}: ${clipOne(text)}`, `When it is solved: cairn unblock ${e.id}`];
  change.result = { blocker: e.id, at: e.at, text, open: ctx.state.blockers.open + 1 };
  return change;
}

function describe(items: HistoryItem[], max = 10): string {
  const lines = items.slice(0, max).map((b, i) => `${b.id ?? `#${i + 1}`}: ${clipOne(b.text, 60)}`);
  return lines.join('; ') + (items.length > max ? `; … ${items.length - max} more` : '');
}

/** Exact matches win over prefixes, so a text that is the prefix of another still names itself. */
function byText(items: HistoryItem[], query: string): HistoryItem[] {
  const q = normalizeText(query);
  if (q === '') return [];
  const exact = items.filter((b) => normalizeText(b.text) === q);
  return exact.length ? exact : items.filter((b) => normalizeText(b.text).startsWith(q));
}

export function unblock(ctx: Context, input: UnblockInput): Change {
  const raw = input.ref === undefined ? undefined : input.ref.trim();
  if (!raw) throw new UsageError('which blocker? give its id, the start of its text, or its number in `cairn status`', 'e.g. cairn unblock 1');
  const all = historyOf(ctx.ws).blockers;
  const open = all.filter((b) => !b.done);
  const resolved = all.filter((b) => b.done);

  let target: HistoryItem | undefined;
  const upper = raw.toUpperCase();
  target = all.find((b) => b.id !== null && b.id.toUpperCase() === upper);
  if (!target && /^\d{1,6}$/.test(raw)) {
    const n = Number(raw);
    if (n < 1 || n > open.length) {
      throw new UsageError(
        `there is no open blocker number ${n}; ${open.length === 0 ? 'no blocker is open' : `the open blockers are 1 to ${open.length}: ${describe(open)}`}`,
        '`cairn status` lists the open blockers',
      );
    }
    target = open[n - 1]!;
  }
  if (!target) {
    const inOpen = byText(open, raw);
    if (inOpen.length > 1) {
      throw new UsageError(`"${clipOne(raw, 40)}" matches ${inOpen.length} open blockers: ${describe(inOpen)}`, 'give more of the text, or the id');
    }
    target = inOpen[0] ?? byText(resolved, raw)[0];
  }
  if (!target) {
    throw new UsageError(
      `no blocker matches "${clipOne(raw, 40)}"; ${open.length ? `the open blockers are: ${describe(open)}` : 'no blocker is open'}`,
      '`cairn status` lists the open blockers; `cairn unblock 1` resolves the first',
    );
  }

  const change = emptyChange();
  if (target.done) {
    change.summary = [`${target.id ? `Blocker ${target.id}` : 'That blocker'} is already resolved: ${clipOne(target.text)}; nothing changed.`];
    change.result = { blocker: target.id, text: target.text, alreadyResolved: true, open: open.length };
    return change;
  }
  let id = target.id;
  if (id === null) {
    // Only STATE.md knows it: import it (keyed like `cairn adopt` does), then resolve it.
    const raised = addEvent(
      change,
      ctx.ws,
      { type: 'blocker.raised', key: target.key, blocker: '', text: target.text, ...(target.group ? { group: target.group } : {}) },
      ctx.now,
    );
    raised.blocker = raised.id;
    id = raised.id;
  }
  const e = addEvent(change, ctx.ws, { type: 'blocker.resolved', blocker: id }, ctx.now);
  change.summary = [`Resolved blocker ${id}: ${clipOne(target.text)}`];
  change.result = { blocker: id, text: target.text, alreadyResolved: false, open: open.length - 1, event: e.id };
  return change;
}
