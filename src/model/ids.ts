/**
 * Phase ids, plan ids, and the file and directory names that carry them.
 *
 * Phase id grammar (GSD): `\d+[A-Za-z]?(\.\d+)*` — an integer, an optional letter suffix (`12A`)
 * and any number of decimal parts (`2.1`, `01.5.3`, `06.10`). Canonical form drops leading zeros
 * in every numeric part and uppercases the letter; the directory form pads the integer to two digits.
 *
 * Ids are scanned by hand and parses are memoised: sorting 20,000 plan ids calls the comparators
 * hundreds of thousands of times.
 */

interface PhaseParts {
  int: string; // digits, no leading zeros
  letter: string; // '' or one uppercase letter
  parts: string[]; // decimal parts, no leading zeros
  canonical: string;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isAsciiLetter(c: number): boolean {
  const l = c | 32;
  return l >= 97 && l <= 122;
}
function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

function stripZeros(digits: string): string {
  let k = 0;
  while (k < digits.length - 1 && digits.charCodeAt(k) === 48) k++;
  return k === 0 ? digits : digits.slice(k);
}

/** Reads `\d+[A-Za-z]?(\.\d+)*` at `start`; the caller checks what follows `end`. */
function scanPhase(s: string, start: number): { phase: PhaseParts; end: number } | null {
  let i = start;
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  if (i === start) return null;
  const int = stripZeros(s.slice(start, i));
  let letter = '';
  if (i < s.length && isAsciiLetter(s.charCodeAt(i))) {
    letter = s[i]!.toUpperCase();
    i++;
  }
  const parts: string[] = [];
  let canonical = int + letter;
  while (i < s.length && s.charCodeAt(i) === 46) {
    let j = i + 1;
    while (j < s.length && isDigit(s.charCodeAt(j))) j++;
    if (j === i + 1) break;
    const part = stripZeros(s.slice(i + 1, j));
    parts.push(part);
    canonical += '.' + part;
    i = j;
  }
  return { phase: { int, letter, parts, canonical }, end: i };
}

/** Length of a project-code prefix (`CK-` before a digit, 1–6 uppercase letters), else 0. GSD strips it everywhere. */
function codePrefixLength(s: string): number {
  let i = 0;
  while (i < 7 && i < s.length && isUpper(s.charCodeAt(i))) i++;
  return i >= 1 && i <= 6 && s.charCodeAt(i) === 45 && isDigit(s.charCodeAt(i + 1)) ? i + 1 : 0;
}

// Bounded memo: a project has a few thousand distinct ids; the bound only guards pathological callers.
const MEMO_LIMIT = 100_000;
function memo<T>(cache: Map<string, T>, key: string, compute: (k: string) => T): T {
  const hit = cache.get(key);
  if (hit !== undefined || cache.has(key)) return hit as T;
  if (cache.size >= MEMO_LIMIT) cache.clear();
  const value = compute(key);
  cache.set(key, value);
  return value;
}

const phaseCache = new Map<string, PhaseParts | null>();
function parsePhase(id: string): PhaseParts | null {
  return memo(phaseCache, id, (raw) => {
    const s = raw.trim();
    const r = scanPhase(s, 0);
    return r && r.end === s.length ? r.phase : null;
  });
}

/** Canonical phase id (`02.1` → `2.1`, `12a` → `12A`), or null when `raw` is not a phase id. */
export function normalizePhaseId(raw: string): string | null {
  return parsePhase(raw)?.canonical ?? null;
}

/** Compares digit strings without leading zeros numerically, at any length (no float overflow). */
function compareDigits(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePhaseParts(a: PhaseParts, b: PhaseParts): number {
  const c = compareDigits(a.int, b.int) || compareText(a.letter, b.letter);
  if (c) return c;
  const n = Math.min(a.parts.length, b.parts.length);
  for (let i = 0; i < n; i++) {
    const d = compareDigits(a.parts[i]!, b.parts[i]!);
    if (d) return d;
  }
  return a.parts.length - b.parts.length;
}

/**
 * Orders phase ids part by part numerically: `2 < 2.1 < 2.2 < 2.10 < 3`, `12 < 12A < 12A.1 < 12B`.
 * Anything that is not a phase id sorts after every phase id, by code-unit order.
 */
export function comparePhaseIds(a: string, b: string): number {
  const pa = parsePhase(a);
  const pb = parsePhase(b);
  if (!pa || !pb) {
    if (pa) return -1;
    if (pb) return 1;
    return compareText(a, b);
  }
  return comparePhaseParts(pa, pb);
}

/** Directory form: integer part padded to two digits (`2.1` → `02.1`, `100` → `100`). Non-ids are returned unchanged. */
export function padPhaseId(id: string): string {
  const p = parsePhase(id);
  if (!p) return id;
  return p.int.padStart(2, '0') + p.canonical.slice(p.int.length);
}

/** `999` and `999.x` are GSD's parking lot: outside progress and numbering. */
export function isBacklogPhase(id: string): boolean {
  return parsePhase(id)?.int === '999';
}

export interface PhaseDirName {
  /** Canonical phase id, or null for non-numeric directories (`post-m1-enhancements`). */
  id: string | null;
  /** The part after the id (`auth-hardening`); the whole name when there is no id. */
  slug: string;
}

/** Splits a phase directory name: `02.1-auth-hardening` → `{ id: '2.1', slug: 'auth-hardening' }`; `CK-01-x` → id `1`. */
export function parsePhaseDirName(name: string): PhaseDirName {
  const r = scanPhase(name, codePrefixLength(name));
  if (!r) return { id: null, slug: name };
  if (r.end === name.length) return { id: r.phase.canonical, slug: '' };
  if (name.charCodeAt(r.end) !== 45) return { id: null, slug: name };
  return { id: r.phase.canonical, slug: name.slice(r.end + 1) };
}

export interface PlanFileName {
  kind: 'plan' | 'summary';
  /** The id as written, minus `-PLAN.md` / `-SUMMARY.md` (`04-01-FIX`); `''` for bare `PLAN.md`. */
  planId: string;
  /** Canonical phase of the plan id (`04-01-FIX` → `4`), or null when it has none. */
  phaseId: string | null;
}

/**
 * Upper-case document types found beside plans in phase directories (GSD templates and the
 * corpus). Unsuffixed files whose tail is upper-case are documents, never plans; this list also
 * guards lower-case slugs (`01-02-research-notes.md` is research, not plan 01-02).
 */
export const NON_PLAN_ARTIFACTS: ReadonlySet<string> = new Set([
  'CONTEXT', 'RESEARCH', 'VERIFICATION', 'VALIDATION', 'UAT', 'PATTERNS', 'UI-SPEC', 'SPEC',
  'SECURITY', 'AI-SPEC', 'DEBUG', 'REVIEWS', 'REVIEW', 'DISCUSSION', 'DISCUSSION-LOG', 'ISSUES',
  'SMOKETEST', 'USER-SETUP', 'DISCOVERY', 'REQUIREMENTS', 'DESIGN', 'AUDIT', 'RESUME', 'NOTES',
  'FINDINGS', 'ANALYSIS', 'ASSESSMENT', 'REPORT', 'CONCERNS', 'ARCHITECTURE', 'RETEST', 'OUTLINE',
  'HANDOFF', 'CHECKPOINT', 'DEFERRED', 'FIXES', 'REVISION', 'SUMMARY', 'PLAN',
]);

// `04-01-FIX.md`, `08-FIX5.md`, `08-ENH1.md`, `02-UAT-FIX.md`: fix/enhancement plans written by
// GSD's old plan-fix workflow (frontmatter `type: fix`), paired with `<same id>-SUMMARY.md`.
const FIX_PLAN = /^(\d+[A-Za-z]?(?:\.\d+)*(?:-\d+)?-(?:UAT-)?(?:FIX|ENH)\d*(?:-(?:FIX|ENH)\d*)*)\.md$/;
// `01-04.md`, `01-04-realtime-sync.md`: a plan named by slug instead of the PLAN suffix.
const SLUG_PLAN = /^(\d+[A-Za-z]?(?:\.\d+)*-\d+)(?:-([^.]*))?\.md$/;

interface PlanParts {
  phase: PhaseParts | null;
  /** Dash parts after the phase (all of them when there is no phase), numbers without leading zeros, words uppercased. */
  segs: string[];
  numeric: boolean[];
  key: string;
}

const planCache = new Map<string, PlanParts>();
function parsePlanId(planId: string): PlanParts {
  return memo(planCache, planId, (id) => {
    const start = codePrefixLength(id);
    const r = scanPhase(id, start);
    const ok = r !== null && (r.end === id.length || id.charCodeAt(r.end) === 45);
    const phase = ok ? r!.phase : null;
    const rest = ok ? id.slice(r!.end + 1) : id;
    const raw = rest === '' ? [] : rest.split('-').filter((s) => s !== '');
    const numeric = raw.map((s) => /^\d+$/.test(s));
    const segs = raw.map((s, i) => (numeric[i] ? stripZeros(s) : s.toUpperCase()));
    return { phase, segs, numeric, key: (phase ? [phase.canonical, ...segs] : segs).join('-') };
  });
}

/**
 * Reads a file name found in a phase directory. Returns null for anything that is not a plan or
 * a summary: CONTEXT, RESEARCH, VERIFICATION, `04-01-ISSUES.md`, `05-RLS-FIX.md` (a note, not a
 * plan-fix plan), `.continue-here.md`, free prose files.
 */
export function parsePlanFileName(name: string): PlanFileName | null {
  const upper = name.toUpperCase();
  if (!upper.endsWith('.MD')) return null;
  if (upper === 'PLAN.MD') return { kind: 'plan', planId: '', phaseId: null };
  if (upper === 'SUMMARY.MD') return { kind: 'summary', planId: '', phaseId: null };
  if (upper.endsWith('-PLAN.MD') && name.length > 8) return planFile('plan', name.slice(0, -8));
  if (upper.endsWith('-SUMMARY.MD') && name.length > 11) return planFile('summary', name.slice(0, -11));
  const f = FIX_PLAN.exec(name);
  if (f) return planFile('plan', f[1]!);
  const s = SLUG_PLAN.exec(name);
  if (s) {
    const tail = s[2] ?? '';
    // Upper-case tails name a document type (ISSUES, SMOKETEST, UAT-FIXES…); slugs are lower-case.
    if (tail !== '' && !/[a-z]/.test(tail)) return null;
    if (tail.toUpperCase().split('-').some((w) => NON_PLAN_ARTIFACTS.has(w))) return null;
    return planFile('plan', s[1]!);
  }
  return null;
}

function planFile(kind: 'plan' | 'summary', planId: string): PlanFileName {
  return { kind, planId, phaseId: parsePlanId(planId).phase?.canonical ?? null };
}

/**
 * Comparison key of a plan id: the phase part canonical, numeric parts without leading zeros,
 * words uppercased, so `04-01`, `4-01` and `4-1` pair, and `02.1-01` pairs with `2.1-01`.
 */
export function planKey(planId: string): string {
  return parsePlanId(planId).key;
}

/**
 * Orders plan ids: by phase, then dash part by dash part (numbers numerically and before words),
 * a shorter chain first, so `04-01 < 04-01-FIX < 04-01-FIX-FIX < 04-02 < 04-FIX5 < 4.1-01`.
 * Ids without a phase sort last. Distinct texts never compare equal.
 */
export function comparePlanIds(a: string, b: string): number {
  if (a === b) return 0;
  const ra = parsePlanId(a);
  const rb = parsePlanId(b);
  if (ra.phase === null || rb.phase === null) {
    if (ra.phase !== null) return -1;
    if (rb.phase !== null) return 1;
  } else {
    const c = comparePhaseParts(ra.phase, rb.phase);
    if (c) return c;
  }
  const n = Math.min(ra.segs.length, rb.segs.length);
  for (let i = 0; i < n; i++) {
    const x = ra.segs[i]!;
    const y = rb.segs[i]!;
    const xn = ra.numeric[i]!;
    const yn = rb.numeric[i]!;
    let d: number;
    if (xn && yn) d = compareDigits(x, y);
    else if (xn !== yn) d = xn ? -1 : 1;
    else d = compareText(x, y);
    if (d) return d;
  }
  return ra.segs.length - rb.segs.length || compareText(a, b);
}

const SAFE_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Strict slug grammar for names cairn creates: lowercase ASCII words joined by single dashes, ≤ 60 chars. */
export function isSafeSlug(s: string): boolean {
  return s.length > 0 && s.length <= 60 && SAFE_SLUG.test(s);
}

/**
 * Slug for a new phase or todo: accents folded to ASCII, lowercased, runs of anything else → `-`,
 * trimmed, at most 60 chars. Returns '' when nothing ASCII is left (e.g. an all-Chinese title)
 * so the caller can report it instead of creating `03-`.
 */
export function slugify(text: string): string {
  const ascii = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  return ascii
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}
