/**
 * Writing the ledger: events become lines, appended (never rewritten) through a store
 * transaction's `append` step. `merge=union` in `.gitattributes` lets two branches that both
 * appended merge without conflicts; ids keep the merged file's order meaningful.
 */
import type { LedgerEvent } from './events.ts';

export const LEDGER_GITATTRIBUTES_LINE = '.planning/events.jsonl merge=union';

/** One line per event, each ending in `\n`; `id`, `at`, `type` first for readable diffs. */
export function serializeEvents(events: readonly LedgerEvent[]): string {
  let out = '';
  // Assigning onto an object that already has the three keys keeps them first.
  for (const e of events) out += JSON.stringify(Object.assign({ id: e.id, at: e.at, type: e.type }, e)) + '\n';
  return out;
}

/**
 * The text to append to a ledger whose current content is `currentText` (null if it does not
 * exist): the serialized events, after a newline if the file ends with a cut-off line, so that a
 * fragment never swallows a new event.
 */
export function ledgerAppendText(currentText: string | null, events: readonly LedgerEvent[]): string {
  const lines = serializeEvents(events);
  return currentText && !currentText.endsWith('\n') ? `\n${lines}` : lines;
}

/**
 * The new `.gitattributes` content with `.planning/events.jsonl merge=union` added, or null when
 * the ledger already merges by union (the last line naming it sets `merge=union`).
 */
export function gitattributesChange(currentText: string | null): string | null {
  if (currentText === null || currentText === '') return `${LEDGER_GITATTRIBUTES_LINE}\n`;
  let union = false;
  for (const line of currentText.split('\n')) {
    const tokens = line.trim().split(/\s+/);
    const pattern = tokens[0];
    if (pattern !== '.planning/events.jsonl' && pattern !== '/.planning/events.jsonl') continue;
    for (const attr of tokens.slice(1)) {
      // Later attributes override earlier ones, on the same line and across lines.
      if (attr === 'merge=union') union = true;
      else if (attr === 'merge' || attr === '-merge' || attr === '!merge' || attr.startsWith('merge=')) union = false;
    }
  }
  if (union) return null;
  const eol = currentText.includes('\r\n') ? '\r\n' : '\n';
  const sep = currentText.endsWith('\n') ? '' : eol;
  return `${currentText}${sep}${LEDGER_GITATTRIBUTES_LINE}${eol}`;
}
