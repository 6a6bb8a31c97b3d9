/**
 * CommonMark HTML block start and end conditions (kinds 1–7 of the spec). Kinds 1–5 end at a line
 * containing their closing marker; kinds 6 and 7 end at a blank line.
 */

const blockTagNames = new Set([
  'address', 'article', 'aside', 'base', 'basefont', 'blockquote', 'body', 'caption', 'center', 'col',
  'colgroup', 'dd', 'details', 'dialog', 'dir', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure',
  'footer', 'form', 'frame', 'frameset', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'head', 'header', 'hr',
  'html', 'iframe', 'legend', 'li', 'link', 'main', 'menu', 'menuitem', 'nav', 'noframes', 'ol',
  'optgroup', 'option', 'p', 'param', 'search', 'section', 'summary', 'table', 'tbody', 'td', 'tfoot',
  'th', 'thead', 'title', 'tr', 'track', 'ul',
]);

const rawTagNames = new Set(['script', 'pre', 'style', 'textarea']);

// Kind 7: one complete open or closing tag alone on its line. Attribute parts are separated by
// mandatory whitespace, so the pattern cannot backtrack more than linearly on a single line.
const completeTag =
  /^(?:<[A-Za-z][A-Za-z0-9-]*(?:[ \t]+[A-Za-z_:][A-Za-z0-9_.:-]*(?:[ \t]*=[ \t]*(?:[^"'=<>`\x00-\x20]+|'[^'\r\n]*'|"[^"\r\n]*"))?)*[ \t]*\/?>|<\/[A-Za-z][A-Za-z0-9-]*[ \t]*>)[ \t]*$/;

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isTagNameChar(c: number): boolean {
  return isAsciiLetter(c) || (c >= 48 && c <= 57) || c === 45;
}

/**
 * Kind (1–7) of the HTML block starting at `s` (the line from its first non-space character),
 * or 0. Kind 7 is only reported when `canInterruptParagraph` is false-safe (caller decides).
 */
export function htmlBlockStart(s: string, allowKind7: boolean): number {
  if (s.charCodeAt(0) !== 60) return 0;
  const c1 = s.charCodeAt(1);
  if (c1 === 33) {
    // <!
    if (s.startsWith('<!--')) return 2;
    if (s.startsWith('<![CDATA[')) return 5;
    if (isAsciiLetter(s.charCodeAt(2))) return 4;
    return 0;
  }
  if (c1 === 63) return 3; // <?
  const closing = c1 === 47;
  let i = closing ? 2 : 1;
  const nameStart = i;
  if (!isAsciiLetter(s.charCodeAt(i))) return 0;
  while (i < s.length && isTagNameChar(s.charCodeAt(i))) i++;
  const name = s.slice(nameStart, i).toLowerCase();
  const after = s.charCodeAt(i);
  const ends = Number.isNaN(after) || after === 32 || after === 9 || after === 62;
  if (!closing && rawTagNames.has(name) && ends) return 1;
  if (blockTagNames.has(name) && (ends || (after === 47 && s.charCodeAt(i + 1) === 62))) return 6;
  if (allowKind7 && !(rawTagNames.has(name) && !closing) && completeTag.test(s)) return 7;
  return 0;
}

const rawClose = /<\/(?:script|pre|style|textarea)>/i;

/** True when `line` holds the end marker of an HTML block of kind 1–5. */
export function htmlBlockEnds(kind: number, line: string): boolean {
  switch (kind) {
    case 1:
      return rawClose.test(line);
    case 2:
      return line.includes('-->');
    case 3:
      return line.includes('?>');
    case 4:
      return line.includes('>');
    case 5:
      return line.includes(']]>');
    default:
      return false;
  }
}
