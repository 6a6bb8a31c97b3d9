/**
 * Small text helpers shared by the ROADMAP.md reader: inline-markup stripping, parentheticals,
 * ISO dates and the status words written after phase and milestone names.
 */

const ISO_DATE = /\b(\d{4}-\d{2}-\d{2})\b/;

export function firstIsoDate(s: string): string | null {
  const m = ISO_DATE.exec(s);
  return m ? m[1]! : null;
}

// Status emoji and check marks that prefix names (`✅ v1.0`, `🚧 **v1.1**`, `✓ Complete`).
const LEADING_MARKS = /^(?:[\s*_]|[✅✓✔☑🚧📋⏸⏳🔄🔜❌✗⬜🔲🟢🟡🔴🎉]|\uFE0F|\u200D)+/u;

export function stripLeadingMarks(s: string): string {
  return s.replace(LEADING_MARKS, '');
}

/** Emoji status of a milestone line: ✅ shipped, 🚧 active, 📋 planned. */
export function emojiStatus(s: string): 'shipped' | 'active' | 'planned' | null {
  const head = s.trimStart().slice(0, 6);
  if (head.includes('✅')) return 'shipped';
  if (head.includes('🚧')) return 'active';
  if (head.includes('📋')) return 'planned';
  return null;
}

/** `[text](url)` → `text`, `**b**`/`__b__` → `b`, backticks and HTML tags removed. */
export function stripInline(s: string): string {
  return s
    .replace(/<[^>\n]{1,200}>/g, '')
    .replace(/!?\[([^\]\n]*)\]\([^)\n]*\)/g, (_m, t: string) => t)
    .replace(/\*\*|__|`/g, '')
    .trim();
}

export interface Parenthetical {
  /** Offset of `(` (or of the `*` of `*(…)*`) in the string. */
  start: number;
  /** Offset just past `)` (or its closing `*`). */
  end: number;
  inner: string;
}

/** Top-level `( … )` groups (and full-width `（ … ）`), nesting respected; italic `*( … )*` included. */
export function parentheticals(s: string): Parenthetical[] {
  const out: Parenthetical[] = [];
  let depth = 0;
  let open = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(' || c === '（') {
      if (depth === 0) open = i;
      depth++;
    } else if ((c === ')' || c === '）') && depth > 0) {
      depth--;
      if (depth === 0) {
        let start = open;
        let end = i + 1;
        while (start > 0 && (s[start - 1] === '*' || s[start - 1] === '_') && (s[end] === '*' || s[end] === '_')) {
          start--;
          end++;
        }
        out.push({ start, end, inner: s.slice(open + 1, i).trim() });
      }
    }
  }
  return out;
}

/** Removes every top-level parenthetical (used where parentheses hold commentary, e.g. "Depends on"). */
export function withoutParentheticals(s: string): string {
  const groups = parentheticals(s);
  if (groups.length === 0) return s;
  let out = '';
  let at = 0;
  for (const g of groups) {
    out += s.slice(at, g.start) + ' ';
    at = g.end;
  }
  return out + s.slice(at);
}

export type StatusKind = 'complete' | 'deferred' | 'other';

export interface StatusWords {
  kind: StatusKind;
  /** The status words as written (`Complete`, `SKIPPED`, `In Progress`, `✅ Complete`). */
  text: string;
  date: string | null;
}

const COMPLETE_WORDS =
  /^((?:[✅✓✔☑]\uFE0F?\s*)?(?:complete|completed|done|finished|shipped|verified|conclu[íi]d[oa]|abgeschlossen|fertig|已完成|完成|완료))(?![\p{L}\p{N}])/iu;
const DEFERRED_WORDS =
  /^((?:[❌✗⏸]\uFE0F?\s*)?(?:deferred|retired|superseded|skipped|not planned|cancell?ed|dropped|descoped|abandoned|won'?t do|postponed|parked|adiad[oa]|verschoben|已取消|跳过))(?![\p{L}\p{N}])/iu;
const OTHER_WORDS =
  /^((?:[🚧📋⏳🔄]\uFE0F?\s*)?(?:in[ -]progress|wip|active|current|executing|planning|planned|not[ -]started|blocked|pending|ready(?: to (?:plan|execute))?|em andamento|进行中|진행 중))(?![\p{L}\p{N}])/iu;

/**
 * Reads status words at the start of `s`. With `strict`, the words must be all there is, apart
 * from a date and a trailing parenthetical or separator clause (so a description such as
 * "Complete task system with states" is not a status).
 */
export function statusWords(raw: string, strict: boolean): StatusWords | null {
  const s = raw.replace(/^[\s*_:—–-]+/, '').replace(/[\s*_.]+$/, '');
  if (!s) return null;
  for (const [re, kind] of [
    [COMPLETE_WORDS, 'complete'],
    [DEFERRED_WORDS, 'deferred'],
    [OTHER_WORDS, 'other'],
  ] as const) {
    const m = re.exec(s);
    if (!m) continue;
    const after = s.slice(m[0].length);
    if (strict && !/^(?:\s*:?\s*(?:on\s+)?\d{4}-\d{2}-\d{2})?\s*(?:$|[(（,;—–]|\s-{1,2}\s)/u.test(after)) return null;
    return { kind, text: m[1]!, date: firstIsoDate(after) };
  }
  return null;
}

/** Splits on spaced dash separators (` — `, ` -- `, ` – `, ` - `). */
export function dashSegments(s: string): string[] {
  return s.split(/\s+(?:—|--|–|-)\s+/u);
}

/** Whether a progress-table Status cell says the phase is complete — the one test the drift check and the renderer share. */
export function cellMeansComplete(cellText: string): boolean {
  return statusWords(cellText, false)?.kind === 'complete';
}
