/**
 * One parser for every duration written in the corpus (`8 min`, `~8m`, `3m 54s`, `1h 15m`,
 * `1,076 min (~18 hours)`, `~2.5-3.5 hours`, `5 days (…)`…). It never guesses: a number without a
 * unit, a template placeholder or prose without a quantity is reported with a reason.
 *
 * Rules:
 * - The first quantity wins; what follows it (parenthesised annotations, `/plan`, `per plan`,
 *   `with checkpoint`) is ignored. Compound quantities (`1h 15m`, `15 min 32 sec`) add up.
 * - A range (`2.5-3.5 hours`, `~3-5m`) is its midpoint, approximate.
 * - `~`, `≈`, `approx`, `about`, `<`, `>` and days/weeks (wall-clock spans) mark it approximate;
 *   `<1min` is 1 minute, approximate.
 * - No leading quantity (`multi-session (~12h elapsed, …)`, `3 sessions (approx 2-3 hours)`):
 *   the first time quantity inside the first parenthesis is used, approximate. A parenthesis that
 *   holds only dates (`multi-session (2026-03-12 to 2026-03-25)`) states no duration: unparseable.
 */

export type DurationResult =
  | { ok: true; minutes: number; approximate: boolean }
  | { ok: false; reason: 'empty' | 'placeholder' | 'bare-number' | 'unparseable' };

const UNIT_MINUTES: Record<string, number> = {
  ms: 1 / 60000,
  s: 1 / 60,
  m: 1,
  h: 60,
  d: 1440,
  w: 10080,
};

// Latin spellings must end at a word boundary; longer ones come first so that `min` is not read
// as `m` + `in`. CJK units (zh, ja, ko) are written without spaces, so they need no boundary.
const UNIT =
  '((?:milliseconds?|msecs?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|hr|h|days?|d|weeks?|wks?|w)(?!\\p{L})|毫秒|小时|小時|時間|시간|分钟|分鐘|分|분|秒|초|天|周)';
const NUMBER = '(\\d{1,3}(?:,\\d{3})+(?!\\d)|\\d+(?:\\.\\d+)?|\\.\\d+)';
// One quantity, optionally a range, anchored at the sticky position.
const QUANTITY = new RegExp(`${NUMBER}(?:\\s*(?:-|–|—|to)\\s*${NUMBER})?\\s*${UNIT}`, 'iuy');
const SEPARATOR = /(?:\s*,\s*|\s+and\s+|\s*)/y;
const APPROX =
  /^(?:~|≈|<|>|≤|≥|约|大约|大約|約|약|대략|(?:approx\.?|approximately|about|around|under|over|less than|more than|circa|ca\.|cerca de|aprox\.?|aproximadamente|etwa|ungefähr|environ)(?=\s|\d))\s*/i;
const PLACEHOLDER =
  /^(?:tbd|tba|n\/?a|none|unknown|pending|\?+|-+|—+|–+|yyyy.*|\{[^}]*\}|\[[^\]]*\](?:\s*\S+)?|[xn](?:\.x)?\s*(?:ms|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)?|x+)$/i;

const CJK_UNIT: Record<string, string> = {
  毫秒: 'ms', 小时: 'h', 小時: 'h', 時間: 'h', 시간: 'h', 分钟: 'm', 分鐘: 'm', 分: 'm', 분: 'm', 秒: 's', 초: 's', 天: 'd', 周: 'w',
};

function unitKey(unit: string): string {
  const cjk = CJK_UNIT[unit];
  if (cjk) return cjk;
  const u = unit.toLowerCase();
  if (u.startsWith('ms') || u.startsWith('milli')) return 'ms';
  if (u.startsWith('s')) return 's';
  if (u.startsWith('m')) return 'm';
  if (u.startsWith('h')) return 'h';
  if (u.startsWith('d')) return 'd';
  return 'w';
}

function toNumber(s: string): number {
  return Number(s.replace(/,/g, ''));
}

interface Scan {
  minutes: number;
  approximate: boolean;
  end: number;
}

/** Reads one or more consecutive quantities starting at `start`; null when none is there. */
function scanQuantities(text: string, start: number): Scan | null {
  let pos = start;
  let minutes = 0;
  let approximate = false;
  let count = 0;
  let lastUnitMinutes = Infinity;
  for (;;) {
    QUANTITY.lastIndex = pos;
    const m = QUANTITY.exec(text);
    if (!m) break;
    const per = UNIT_MINUTES[unitKey(m[3]!)]!;
    // A compound only goes down in size (`1h 15m`, not `15m 1h` or `3 min 2 min`).
    if (count > 0 && per >= lastUnitMinutes) break;
    const a = toNumber(m[1]!);
    const value = m[2] === undefined ? a : (a + toNumber(m[2])) / 2;
    if (m[2] !== undefined) approximate = true;
    if (per >= 1440) approximate = true;
    minutes += value * per;
    lastUnitMinutes = per;
    count++;
    pos = QUANTITY.lastIndex;
    SEPARATOR.lastIndex = pos;
    const sep = SEPARATOR.exec(text);
    if (sep) pos = SEPARATOR.lastIndex;
  }
  return count === 0 ? null : { minutes, approximate, end: pos };
}

function clean(raw: string): string {
  let t = raw.trim();
  // Markdown emphasis and YAML quotes around the whole value.
  t = t.replace(/^[*_`]+|[*_`]+$/g, '').trim();
  if (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t[t.length - 1] === t[0]) t = t.slice(1, -1).trim();
  return t;
}

export function parseDuration(text: string): DurationResult {
  const t = clean(text);
  if (t === '') return { ok: false, reason: 'empty' };
  if (PLACEHOLDER.test(t)) return { ok: false, reason: 'placeholder' };

  let approximate = false;
  let start = 0;
  const a = APPROX.exec(t);
  if (a) {
    approximate = true;
    start = a[0].length;
  }
  const lead = scanQuantities(t, start);
  if (lead) return { ok: true, minutes: lead.minutes, approximate: approximate || lead.approximate };

  if (/^[~≈<>]?\s*\d+(?:[.,]\d+)?$/.test(t)) return { ok: false, reason: 'bare-number' };

  // Prose first, the quantity in a parenthesis: `3 sessions (approx 2-3 hours)`.
  const open = t.search(/[(（]/);
  if (open >= 0) {
    const close = t.slice(open).search(/[)）]/) + open;
    const inner = t.slice(open + 1, close < open ? t.length : close);
    for (let i = 0; i < inner.length; i++) {
      const ch = inner.charCodeAt(i);
      const prev = i === 0 ? 32 : inner.charCodeAt(i - 1);
      const isDigit = ch >= 48 && ch <= 57;
      const prevWord = (prev >= 48 && prev <= 57) || (prev >= 65 && prev <= 90) || (prev >= 97 && prev <= 122) || prev === 45 || prev === 46;
      if (isDigit && !prevWord) {
        const q = scanQuantities(inner, i);
        if (q) return { ok: true, minutes: q.minutes, approximate: true };
        // Skip the rest of this number so `2026-03-12` is not rescanned as `03-12`.
        while (i + 1 < inner.length && /[\d.:,-]/.test(inner[i + 1]!)) i++;
      }
    }
  }
  return { ok: false, reason: 'unparseable' };
}

/** Rounds to one decimal, without `-0`. */
export function roundTo1(n: number): number {
  const r = Math.round(n * 10) / 10;
  return r === 0 ? 0 : r;
}

/** Canonical text for renderers: `8 min`, `1.5 min`, `1h 15m` from 60 minutes on, `2h` on the hour. */
export function formatMinutes(min: number): string {
  if (!Number.isFinite(min)) return '—';
  if (min < 0) return '-' + formatMinutes(-min);
  const r = roundTo1(min);
  if (r < 60) return `${r} min`;
  const total = Math.round(min);
  const h = Math.floor(total / 60);
  const m = total % 60;
  return m === 0 ? `${h}h` : `${h}h ${m}m`;
}
