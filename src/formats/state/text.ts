/**
 * Small text helpers shared by the STATE.md readers: `Label: value` lines in every dialect,
 * "None yet." detection, emphasis stripping.
 */

/** Removes emphasis markers around the whole text (`**x**`, `_x_`, `` `x` ``) and trims. */
export function stripEmphasis(text: string): string {
  let t = text.trim();
  for (;;) {
    const m = /^(\*\*|__|\*|_|`)([^]*)\1$/.exec(t);
    if (!m || m[2]!.trim() === '' || m[2]!.includes(m[1]!)) return t;
    t = m[2]!.trim();
  }
}

/** Removes every `**` / `__` marker (labels are often half-bold: `**Phase**: 3`). */
export function stripBold(text: string): string {
  return text.replace(/\*\*|__/g, '').trim();
}

export interface FieldLine {
  /** The label as written, without emphasis or colon. */
  label: string;
  value: string;
  /** Index in the line where `value` starts. */
  valueStart: number;
}

// `**Label:** value`, `**Label**: value`, `Label: value`, with an ASCII or full-width colon.
// The label is bounded (60 chars) so the lazy match cannot backtrack far.
const BOLD_FIELD = /^(\*\*|__)([^*_:：\n]{1,60}?)\s*(?:[:：]\s*\1|\1\s*[:：])[ \t]*/u;
// An ASCII colon must be followed by a space (so `https://` is not a label); a full-width one need not.
const PLAIN_FIELD = /^([^*_:：\n`[\]|<>]{1,60}?)\s*(?::(?=\s|$)|：)[ \t]*/u;

/** Reads `Label: value` from one line; null when the line is not a field. */
export function parseFieldLine(line: string): FieldLine | null {
  const bold = BOLD_FIELD.exec(line);
  const m = bold ?? PLAIN_FIELD.exec(line);
  if (!m) return null;
  const label = (bold ? m[2]! : m[1]!).trim();
  if (!/^[\p{L}\p{N}]/u.test(label)) return null;
  const value = line.slice(m[0].length).replace(/\s+$/, '');
  return { label, value, valueStart: m[0].length };
}

/** Lower-cased label with whitespace collapsed, for table lookups. */
export function normalizeLabel(label: string): string {
  return label.toLowerCase().replace(/\s+/g, ' ').trim();
}

// "None", "None yet.", "(none)", "No blockers", "None — all milestones shipped." and translations.
const NONE =
  /^(?:none|nothing|n\/a|no (?:blockers?|concerns?|todos?|pending todos|issues?|decisions?|open issues)|nenhum[a]?|nada|ningun[oa]?|keine?|aucun[e]?|rien|无|暂无|没有|없음|なし)(?![\p{L}\p{N}])/iu;

/** True when the text says there is nothing ("None yet.", "(none)", "No blockers", "暂无"). */
export function isNone(text: string): boolean {
  let t = stripEmphasis(text).replace(/^[\s(（[]+/, '').trim();
  t = stripEmphasis(t);
  return NONE.test(t);
}

/** A paragraph that only labels what follows: `**Active (Hardware Validation):**`, `Recent:`. */
export function labelOf(line: string): string | null {
  const t = line.trim();
  const bold = /^(\*\*|__)(.+?)\1\s*[:：]?\s*$/.exec(t);
  if (bold) {
    const inner = bold[2]!.trim().replace(/\s*[:：]$/, '').trim();
    return inner === '' ? null : inner;
  }
  if (/[:：]$/.test(t)) {
    const inner = stripBold(t.slice(0, -1));
    return inner === '' ? null : inner;
  }
  return null;
}

/** Parenthesised text at the start of `text` (ASCII or full-width), with nesting; null when none. */
export function leadingParenthetical(text: string): { inner: string; end: number } | null {
  const open = text[0];
  if (open !== '(' && open !== '（') return null;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(' || ch === '（') depth++;
    else if (ch === ')' || ch === '）') {
      depth--;
      if (depth === 0) return { inner: text.slice(1, i).trim(), end: i + 1 };
    }
  }
  return null;
}

/** Truncates text for messages. */
export function clip(text: string, max = 60): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
