import type { Edit } from './types.ts';

/**
 * Applies splices to `text`. Edits may come in any order; the result never depends on it, so two
 * insertions at the same offset (whose order would matter) are rejected like overlapping edits.
 * Replacement texts are inserted verbatim (no `$` patterns, no normalisation).
 */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  if (edits.length === 0) return text;
  for (const e of edits) {
    if (!Number.isInteger(e.offset) || !Number.isInteger(e.length) || e.offset < 0 || e.length < 0 || e.offset + e.length > text.length) {
      throw new RangeError(`edit {offset: ${e.offset}, length: ${e.length}} is outside the text (length ${text.length})`);
    }
    if (typeof e.text !== 'string') throw new RangeError(`edit at offset ${e.offset} has no text`);
  }
  // At one offset an insertion sorts before a replacement: it lands in front of the replaced range.
  const sorted = [...edits].sort((a, b) => a.offset - b.offset || a.length - b.length);
  const parts: string[] = [];
  let pos = 0;
  let prev: Edit | null = null;
  for (const e of sorted) {
    if (prev && (e.offset < pos || (e.length === 0 && prev.length === 0 && e.offset === prev.offset))) {
      throw new RangeError(
        `edits overlap: {offset: ${prev.offset}, length: ${prev.length}} and {offset: ${e.offset}, length: ${e.length}}`,
      );
    }
    parts.push(text.slice(pos, e.offset), e.text);
    pos = e.offset + e.length;
    prev = e;
  }
  parts.push(text.slice(pos));
  return parts.join('');
}
