/**
 * Dates and times as GSD files write them, normalised to ISO-like text.
 *
 * `extractTimestamp` keeps what the writer stated and nothing more: a date stays a date, a time
 * without a zone stays zone-less, an offset is kept (`+08:00`), `UTC`/`GMT` become `Z`.
 * Non-ISO dates (`28.06.2025`, `23/01/2026`, `10 Jan 2026`, `May 1, 2024`) become `YYYY-MM-DD`;
 * a slashed date whose day and month are both ≤ 12 is ambiguous and is not guessed.
 */

const ISO =
  /(?<![\d.])(\d{4})-(\d{2})-(\d{2})(?:(?:T|\s+at\s+|[ ]{1,2})(\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(?!\d)(?:\s*(Z|UTC|GMT|CEST|CET|EEST|EET|BST|EDT|EST|CDT|CST|MDT|MST|PDT|PST|JST|KST|HKT|SGT|AEDT|AEST|BRT)(?![A-Za-z])|\s?([+-])(\d{2}):?(\d{2})(?!\d))?)?(?!\d)/g;
const DOTTED = /(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d|\.\d)/g;
const SLASHED = /(?<![\d/])(\d{1,2})\/(\d{1,2})\/(\d{4})(?![\d/])/g;
const MONTHS = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const DAY_MONTH_YEAR = new RegExp(`(?<![\\dA-Za-z])(\\d{1,2})\\.?\\s+(${MONTHS})\\.?,?\\s+(\\d{4})(?!\\d)`, 'gi');
const MONTH_DAY_YEAR = new RegExp(`(?<![A-Za-z])(${MONTHS})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})(?!\\d)`, 'gi');

// Zone abbreviations seen in hand-written logs, as offsets; ambiguous ones (IST) are left out.
const ZONES: Record<string, string> = {
  Z: 'Z', UTC: 'Z', GMT: 'Z', CET: '+01:00', CEST: '+02:00', EET: '+02:00', EEST: '+03:00', BST: '+01:00',
  EST: '-05:00', EDT: '-04:00', CST: '-06:00', CDT: '-05:00', MST: '-07:00', MDT: '-06:00', PST: '-08:00',
  PDT: '-07:00', JST: '+09:00', KST: '+09:00', HKT: '+08:00', SGT: '+08:00', AEST: '+10:00', AEDT: '+11:00',
  BRT: '-03:00',
};

const MONTH_INDEX: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

function pad2(n: number | string): string {
  return String(n).padStart(2, '0');
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Days in a month (1–12), by arithmetic: a Date per call showed up when 20,000 completion dates
 * are read. Years 0–99 follow the 1900s' leap rule, as `Date.UTC` (which maps them there) did.
 */
function daysIn(year: number, month: number): number {
  if (month !== 2) return MONTH_DAYS[month - 1]!;
  const y = year >= 0 && year < 100 ? year + 1900 : year;
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
}

function validDate(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m);
}

function isoDate(y: number, m: number, d: number): string | null {
  return validDate(y, m, d) ? `${y}-${pad2(m)}-${pad2(d)}` : null;
}

interface Found {
  index: number;
  value: string;
}

function firstValid(re: RegExp, text: string, convert: (m: RegExpExecArray) => string | null): Found | null {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const v = convert(m);
    if (v !== null) return { index: m.index, value: v };
  }
  return null;
}

function fromIso(m: RegExpExecArray): string | null {
  const y = Number(m[1]);
  const date = isoDate(y, Number(m[2]), Number(m[3]));
  if (!date) return null;
  if (m[4] === undefined) return date;
  const hh = Number(m[4]);
  const mm = Number(m[5]);
  const ss = m[6] === undefined ? null : Number(m[6]);
  if (hh > 23 || mm > 59 || (ss !== null && ss > 60)) return date;
  let out = `${date}T${pad2(hh)}:${m[5]}`;
  if (m[6] !== undefined) out += `:${m[6]}${m[7] ?? ''}`;
  if (m[8] !== undefined) out += ZONES[m[8].toUpperCase()] ?? '';
  // `12:07-12:17` is a time range, not an offset: real offsets are ≤ 14h on quarter hours.
  else if (m[9] !== undefined && Number(m[10]) <= 14 && Number(m[11]) % 15 === 0) out += `${m[9]}${m[10]}:${m[11]}`;
  return out;
}

/**
 * The first date or date-time in `text`, normalised (`2026-02-05 20:54 UTC (plan execution)` →
 * `2026-02-05T20:54Z`), or null when there is none (`YYYY-MM-DD`, `[Date]`, prose).
 */
export function extractTimestamp(text: string): string | null {
  // Cheap exit for the common no-date case: every form has a run of four digits.
  if (!/\d{4}/.test(text)) return null;
  const iso = firstValid(ISO, text, fromIso);
  // Nothing can come before a leading ISO date, the common case in frontmatter.
  if (iso && iso.index === 0) return iso.value;
  const candidates: (Found | null)[] = [
    iso,
    firstValid(DOTTED, text, (m) => isoDate(Number(m[3]), Number(m[2]), Number(m[1]))),
    firstValid(SLASHED, text, (m) => {
      const a = Number(m[1]);
      const b = Number(m[2]);
      const y = Number(m[3]);
      if (a > 12) return isoDate(y, b, a);
      if (b > 12) return isoDate(y, a, b);
      return a === b ? isoDate(y, a, b) : null;
    }),
    firstValid(DAY_MONTH_YEAR, text, (m) => isoDate(Number(m[3]), MONTH_INDEX[m[2]!.slice(0, 3).toLowerCase()]!, Number(m[1]))),
    firstValid(MONTH_DAY_YEAR, text, (m) => isoDate(Number(m[3]), MONTH_INDEX[m[1]!.slice(0, 3).toLowerCase()]!, Number(m[2]))),
  ];
  let best: Found | null = null;
  for (const c of candidates) if (c && (!best || c.index < best.index)) best = c;
  return best ? best.value : null;
}

const CANONICAL = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|([+-])(\d{2}):(\d{2}))?)?$/;

/**
 * Milliseconds since the epoch of a timestamp (canonical form, or any text `extractTimestamp`
 * reads). A date alone is midnight UTC; a time without a zone is taken as UTC.
 */
export function toEpochMs(ts: string): number | null {
  // Memoised: a project's completion dates repeat (many plans finish on one day), and every
  // derive() reads all of them.
  const hit = epochMemo.get(ts);
  if (hit !== undefined) return hit;
  if (epochMemo.size >= EPOCH_MEMO_LIMIT) epochMemo.clear();
  const t = parseEpochMs(ts);
  epochMemo.set(ts, t);
  return t;
}

const EPOCH_MEMO_LIMIT = 50_000;
const epochMemo = new Map<string, number | null>();

function parseEpochMs(ts: string): number | null {
  let m = CANONICAL.exec(ts.trim());
  if (!m) {
    const found = extractTimestamp(ts);
    if (found === null) return null;
    m = CANONICAL.exec(found);
    if (!m) return null;
  }
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (!validDate(y, mo, d)) return null;
  const hh = m[4] === undefined ? 0 : Number(m[4]);
  const mi = m[5] === undefined ? 0 : Number(m[5]);
  const ss = m[6] === undefined ? 0 : Math.min(Number(m[6]), 59);
  const ms = m[7] === undefined ? 0 : Math.round(Number(`0${m[7]}`) * 1000);
  if (hh > 23 || mi > 59) return null;
  let t = Date.UTC(y, mo - 1, d, hh, mi, ss, ms);
  // Years 0–99 are mapped to 1900+ by Date.UTC; set them back.
  if (y < 100) {
    const dt = new Date(t);
    dt.setUTCFullYear(y);
    t = dt.getTime();
  }
  if (m[9] !== undefined) {
    const offset = (Number(m[10]) * 60 + Number(m[11])) * 60000;
    t -= m[9] === '+' ? offset : -offset;
  }
  return t;
}
