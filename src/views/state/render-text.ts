/**
 * Text helpers for the STATE.md renderer: every user text goes through them before it lands in a
 * line Cairn writes, so that no text can open a structure (a heading, a nested list, a table cell
 * boundary, a YAML mapping) it was not meant to open. Texts are clipped by UTF-8 bytes because the
 * budget is in bytes and CJK text takes three per character.
 */

/** UTF-8 bytes of the code point starting at `i` (a surrogate pair counts once, as 4). */
function bytesAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 0x80) return 1;
  if (c < 0x800) return 2;
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 4;
  }
  return 3;
}

export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const b = bytesAt(text, i);
    n += b;
    if (b === 4) i++;
  }
  return n;
}

/** Collapses every run of whitespace that holds a line break (and tabs) to one space, then trims. */
export function oneLine(text: string): string {
  return text.replace(/[ \t]*[\r\n\u2028\u2029\u0085][\s]*/g, () => ' ').replace(/\t/g, () => ' ').trim();
}

/** One line, at most `max` UTF-8 bytes; a clipped text ends with `…`. Never splits a code point. */
export function clip(text: string, max: number): string {
  const t = oneLine(text);
  if (utf8Length(t) <= max) return t;
  const room = max - 3; // the ellipsis is three bytes
  let bytes = 0;
  let end = 0;
  while (end < t.length) {
    const b = bytesAt(t, end);
    if (bytes + b > room) break;
    bytes += b;
    end += b === 4 ? 2 : 1;
  }
  return `${t.slice(0, end).trimEnd()}…`;
}

// What a list item's first characters could turn into: a heading, a nested list, a thematic
// break (`- ---`), a block quote, a fence, a task box, an HTML block.
const ITEM_HAZARD = /^(?:#{1,6}(?=[ \t]|$)|-(?=[\s-]|$)|[*+](?=[ \t]|$)|>|`{3,}|~{3,}|\[[ xX]\](?=[ \t]|$)|<)/;
const ORDERED = /^(\d{1,9})([.)])(?=[ \t]|$)/;

/** Makes `text` safe as the content of a `- ` list item, escaping only what would change the structure. */
export function escapeItem(text: string): string {
  if (ITEM_HAZARD.test(text)) return `\\${text}`;
  const m = ORDERED.exec(text);
  if (m) return `${m[1]}\\${text.slice(m[1]!.length)}`;
  return text;
}

/** A table cell: one line, `|` escaped as `\|`. */
export function escapeCell(text: string): string {
  return oneLine(text).split('|').join('\\|');
}

/** A bracket tag (`[03-01]`): brackets inside would end it early, so they become parentheses. */
export function tagText(tag: string, max: number): string {
  return clip(tag.replace(/\[/g, () => '(').replace(/\]/g, () => ')'), max);
}

const YAML_PLAIN = /^[A-Za-z][A-Za-z0-9 ._/()+-]*$/;
const YAML_WORDS = /^(?:true|false|yes|no|on|off|null|y|n|~)$/i;

/** A YAML scalar for a one-line string: plain when unambiguous, else double-quoted (JSON escapes are valid YAML). */
export function yamlScalar(value: string): string {
  const v = oneLine(value);
  if (YAML_PLAIN.test(v) && !v.endsWith(' ') && !YAML_WORDS.test(v)) return v;
  return JSON.stringify(v);
}

/** `in progress` → `In progress`. */
export function capitalise(text: string): string {
  return text === '' ? text : text[0]!.toUpperCase() + text.slice(1);
}
