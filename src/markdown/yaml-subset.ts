/**
 * A fast reader for the YAML that planning frontmatter actually uses: block mappings, block
 * sequences (of scalars or of small mappings), one-line flow sequences, plain and quoted scalars,
 * comments. It returns exactly what the `yaml` package (core schema) returns for such input — a
 * test checks that over every frontmatter of the corpus — and declines anything else (block
 * scalars, anchors, tags, flow mappings, multi-line scalars...), which the caller then hands to
 * `yaml`. It exists because `yaml` costs ~0.3 ms per document and a project can hold 40,000.
 *
 * It runs on every PLAN and SUMMARY file, so it walks the text by index instead of splitting
 * and matching: the lines are kept in two reused arrays, positions and results pass through
 * module variables rather than fresh objects (one document is parsed at a time; nothing here
 * calls out), and a decline throws one shared value, not a new Error with a stack.
 */
export type SubsetResult = { ok: true; value: unknown } | { ok: false };

const DECLINE: SubsetResult = { ok: false };

const DECLINED = Symbol('decline');
const decline = (): never => {
  throw DECLINED;
};

/**
 * Characters that make a document take the `yaml` path. Tabs (indentation rules), control
 * characters, and every whitespace or line break JavaScript's `\s` and `.` treat specially:
 * without them the only blanks left are the space and `\r\n` line ends, so this reader trims and
 * compares spaces alone.
 */
const UNUSUAL = /[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]|\r(?!\n)/;

/** Indentation and text (indentation and a trailing comment removed) of each content line. */
const INDENTS: number[] = [];
const TEXTS: string[] = [];
let count = 0;
/** Where the last block ended (line index), or the last quoted scalar ended (offset in its string). */
let nextLine = 0;
let after = 0;

const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const OCT = /^0o[0-7]+$/;

/** Plain scalar → value, per YAML 1.2 core schema. */
function plain(s: string): unknown {
  if (s === '' || s === '~' || s === 'null' || s === 'Null' || s === 'NULL') return null;
  if (s === 'true' || s === 'True' || s === 'TRUE') return true;
  if (s === 'false' || s === 'False' || s === 'FALSE') return false;
  const c = s.charCodeAt(0);
  // Every number form starts with a digit, a sign or a dot, so other values (names, paths,
  // sentences) skip the six number tests.
  if ((c >= 0x30 && c <= 0x39) || c === 0x2b /* + */ || c === 0x2d /* - */ || c === 0x2e /* . */) return numberOrText(s);
  return text(s);
}

function numberOrText(s: string): unknown {
  if (INT.test(s)) {
    const n = Number(s);
    return Number.isSafeInteger(n) ? n : decline();
  }
  if (HEX.test(s)) return parseInt(s.slice(2), 16);
  if (OCT.test(s)) return parseInt(s.slice(2), 8);
  if (FLOAT.test(s)) return Number(s);
  if (/^[-+]?\.(inf|Inf|INF)$/.test(s) || /^\.(nan|NaN|NAN)$/.test(s)) return decline();
  return text(s);
}

/** `[ ] { } & * ! | > ' " % @ \` # , ?`: characters that start another construct, not a plain scalar. */
function isIndicator(c: number): boolean {
  switch (c) {
    case 0x5b: case 0x5d: case 0x7b: case 0x7d: case 0x26: case 0x2a: case 0x21: case 0x7c:
    case 0x3e: case 0x27: case 0x22: case 0x25: case 0x40: case 0x60: case 0x23: case 0x2c: case 0x3f:
      return true;
    default:
      return false;
  }
}

/** A plain scalar that is not a number, null or boolean: itself, unless YAML would read it otherwise. */
function text(s: string): string {
  const c = s.charCodeAt(0);
  if (isIndicator(c) || (c === 0x2d && (s.length === 1 || s.charCodeAt(1) === 0x20))) decline();
  // Sequences that plain scalars may not contain.
  if (s.includes(': ') || s.endsWith(':') || s.includes(' #')) decline();
  return s;
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f', e: '\u001b', ' ': ' ' };

/** The double-quoted scalar opening at s[from]; sets `after` past its closing quote. */
function doubleQuoted(s: string, from: number): string {
  let out = '';
  let chunk = from + 1;
  for (let i = chunk; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch === 0x22) {
      after = i + 1;
      return out + s.slice(chunk, i);
    }
    if (ch !== 0x5c) continue;
    out += s.slice(chunk, i);
    const nx = s[++i];
    if (nx === undefined) decline();
    if (nx === 'u' || nx === 'x' || nx === 'U') {
      const len = nx === 'u' ? 4 : nx === 'x' ? 2 : 8;
      const hex = s.slice(i + 1, i + 1 + len);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) decline();
      out += String.fromCodePoint(parseInt(hex, 16));
      i += len;
    } else {
      const e = ESCAPES[nx!];
      if (e === undefined) decline();
      out += e;
    }
    chunk = i + 1;
  }
  return decline();
}

/** The single-quoted scalar opening at s[from] (`''` is one quote); sets `after` past its closing quote. */
function singleQuoted(s: string, from: number): string {
  let out = '';
  let chunk = from + 1;
  for (let i = chunk; i < s.length; i++) {
    if (s.charCodeAt(i) !== 0x27) continue;
    out += s.slice(chunk, i);
    if (s.charCodeAt(i + 1) === 0x27) {
      out += "'";
      chunk = ++i + 1;
      continue;
    }
    after = i + 1;
    return out;
  }
  return decline();
}

function quoted(s: string, from: number): string {
  return s.charCodeAt(from) === 0x22 ? doubleQuoted(s, from) : singleQuoted(s, from);
}

function skipSpaces(s: string, i: number): number {
  while (s.charCodeAt(i) === 0x20) i++;
  return i;
}

function onlySpacesFrom(s: string, i: number): boolean {
  return skipSpaces(s, i) === s.length;
}

/** A whole value written on one line after `key:` or `- `. */
function inlineValue(s: string): unknown {
  const c = s.charCodeAt(0);
  if (c === 0x5b) return flowSeq(s);
  if (c === 0x7b) decline();
  if (c === 0x22 || c === 0x27) {
    const v = quoted(s, 0);
    if (!onlySpacesFrom(s, after)) decline();
    return v;
  }
  return plain(s.trim());
}

function flowSeq(s: string): unknown[] {
  const out: unknown[] = [];
  let i = skipSpaces(s, 1);
  if (s.charCodeAt(i) === 0x5d) {
    if (!onlySpacesFrom(s, i + 1)) decline();
    return out;
  }
  for (;;) {
    i = skipSpaces(s, i);
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x27) {
      out.push(quoted(s, i));
      i = after;
    } else {
      // A plain item runs to the next `,` or `]`; brackets and braces in it are nested flow.
      let j = i;
      for (; j < s.length; j++) {
        const d = s.charCodeAt(j);
        if (d === 0x2c || d === 0x5d) break;
        if (d === 0x5b || d === 0x7b || d === 0x7d) decline();
      }
      // An empty entry (`[a, , b]`, `[, a]`) is an error to YAML; only one trailing comma is allowed.
      if (j === i) decline();
      out.push(plain(s.slice(i, j).trim()));
      i = j;
    }
    i = skipSpaces(s, i);
    const d = s.charCodeAt(i);
    if (d === 0x2c) {
      i = skipSpaces(s, i + 1);
      if (s.charCodeAt(i) === 0x5d) {
        i++;
        break;
      }
      continue;
    }
    if (d === 0x5d) {
      i++;
      break;
    }
    decline();
  }
  if (!onlySpacesFrom(s, i)) decline();
  return out;
}

/** Strips a trailing ` # comment` that is outside quotes. */
function stripComment(s: string): string {
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === '\\' && quote === '"') i++;
    } else if (ch === '"' || ch === "'") {
      // Quotes only open a scalar at its start; inside a plain scalar they are literal.
      const before = s.slice(0, i).trimEnd();
      if (before === '' || before.endsWith(':') || before.endsWith('-') || before.endsWith('[') || before.endsWith(',')) quote = ch;
    } else if (ch === '#' && (i === 0 || s[i - 1] === ' ')) {
      return s.slice(0, i).trimEnd();
    }
  }
  return s;
}

/**
 * The offset of the colon that ends a `key:` line's key, or -1 when the line is no `key: value`.
 * A key does not start with an indicator (`-` or `:` only when another non-blank follows), runs to
 * the first colon after its first character, holds no comment, and the colon ends the line or is
 * followed by a space.
 */
function keyColon(t: string): number {
  const c = t.charCodeAt(0);
  let from = 1;
  if (c === 0x2d || c === 0x3a) {
    const d = t.charCodeAt(1);
    if (t.length < 2 || d === 0x20 || d === 0x3a) return -1;
    from = 2;
  } else if (isIndicator(c)) return -1;
  const colon = t.indexOf(':', from);
  if (colon < 0 || (colon + 1 < t.length && t.charCodeAt(colon + 1) !== 0x20)) return -1;
  // ` #` starts a comment, which would end the key before its colon (`-' #phase: 1` is no key).
  const hash = t.indexOf(' #', from - 1);
  if (hash >= 0 && hash < colon) return -1;
  return colon;
}

function isDash(t: string): boolean {
  return t.charCodeAt(0) === 0x2d && (t.length === 1 || t.charCodeAt(1) === 0x20);
}

/** The block starting at line `start`, of indentation `indent`; sets `nextLine`. */
function parseBlock(start: number, indent: number): unknown {
  return isDash(TEXTS[start]!) ? parseSeq(start, indent) : parseMap(start, indent, null);
}

function parseSeq(start: number, indent: number): unknown[] {
  const arr: unknown[] = [];
  let i = start;
  while (i < count && INDENTS[i] === indent && isDash(TEXTS[i]!)) {
    const t = TEXTS[i]!;
    const item = t.length === 1 ? '' : t.slice(skipSpaces(t, 2));
    if (item === '') {
      if (i + 1 < count && INDENTS[i + 1]! > indent) {
        arr.push(parseBlock(i + 1, INDENTS[i + 1]!));
        i = nextLine;
      } else {
        arr.push(null);
        i++;
      }
      continue;
    }
    const c = item.charCodeAt(0);
    if (c !== 0x22 && c !== 0x27 && c !== 0x5b && keyColon(item) >= 0) {
      // `- key: value` starts a mapping whose further keys are indented to the key's column,
      // and every deeper line after it belongs to that mapping.
      const inner = indent + (t.length - item.length);
      arr.push(parseMap(i, inner, item));
      i = nextLine;
      if (i < count && INDENTS[i]! >= inner) decline();
      continue;
    }
    arr.push(inlineValue(item));
    i++;
    if (i < count && INDENTS[i]! > indent) decline(); // multi-line scalar
  }
  nextLine = i;
  return arr;
}

/** A mapping at `indent` from line `start`; `first`, when given, stands for that line's text (a `- key: value` item). */
function parseMap(start: number, indent: number, first: string | null): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  let i = start;
  let line = first;
  for (;;) {
    if (line === null) {
      if (i >= count || INDENTS[i] !== indent) break;
      line = TEXTS[i]!;
      if (line.startsWith('- ')) break;
    }
    const colon = keyColon(line);
    if (colon < 0) decline();
    const key = line.slice(0, colon).trimEnd();
    if (key === '__proto__') decline();
    const value = line.slice(colon + 1).trim();
    line = null;
    i++;
    if (value === '') {
      if (i < count && (INDENTS[i]! > indent || (INDENTS[i] === indent && TEXTS[i]!.startsWith('- ')))) {
        map[key] = parseBlock(i, INDENTS[i]!);
        i = nextLine;
      } else map[key] = null;
    } else {
      const v = value.charCodeAt(0);
      // Block scalars, anchors, aliases and tags.
      if (v === 0x7c || v === 0x3e || v === 0x26 || v === 0x2a || v === 0x21) decline();
      map[key] = inlineValue(value);
      if (i < count && INDENTS[i]! > indent) decline(); // continuation of a multi-line scalar
    }
  }
  nextLine = i;
  return map;
}

/** Fills INDENTS/TEXTS with the content lines of `raw`; false when a line needs the full parser. */
function scanLines(raw: string): boolean {
  count = 0;
  const n = raw.length;
  let hash = -1; // the next `#` at or after the line being scanned, or n when there is none
  for (let pos = 0; pos <= n; ) {
    let end = raw.indexOf('\n', pos);
    if (end < 0) end = n;
    const next = end + 1;
    if (end > pos && raw.charCodeAt(end - 1) === 0x0d) end--;
    const c = raw.charCodeAt(pos);
    // Directives, and document markers that end or start another document.
    if (c === 0x25 || (end - pos >= 3 && (raw.startsWith('---', pos) || raw.startsWith('...', pos)))) return false;
    const at = skipSpaces(raw, pos);
    if (at < end && raw.charCodeAt(at) !== 0x23) {
      if (hash < at) {
        hash = raw.indexOf('#', at);
        if (hash < 0) hash = n;
      }
      const body = raw.slice(at, end);
      INDENTS[count] = at - pos;
      TEXTS[count] = hash < end ? stripComment(body) : body;
      count++;
    }
    pos = next;
  }
  return true;
}

export function parseYamlSubset(raw: string): SubsetResult {
  if (UNUSUAL.test(raw) || !scanLines(raw)) return DECLINE;
  try {
    if (count === 0) return { ok: true, value: null };
    if (INDENTS[0] !== 0) return DECLINE;
    const value = parseBlock(0, 0);
    if (nextLine !== count) return DECLINE;
    return { ok: true, value };
  } catch (e) {
    if (e === DECLINED) return DECLINE;
    throw e;
  }
}
