/**
 * Phase ids, plan ids, and the file and directory names that carry them.
 *
 * Phase id grammar (GSD): `\d+[A-Za-z]?(\.\d+)*` — an integer, an optional letter suffix (`12A`)
 * and any number of decimal parts (`2.1`, `01.5.3`, `06.10`). Canonical form drops leading zeros
 * in every numeric part and uppercases the letter; the directory form pads the integer to two digits.
 */

const PHASE_ID = /^(\d+)([A-Za-z]?)((?:\.\d+)*)$/;

function stripZeros(digits: string): string {
  const s = digits.replace(/^0+/, '');
  return s === '' ? '0' : s;
}

/** Canonical phase id (`02.1` → `2.1`, `12a` → `12A`), or null when `raw` is not a phase id. */
export function normalizePhaseId(raw: string): string | null {
  const m = PHASE_ID.exec(raw.trim());
  if (!m) return null;
  const decimals = m[3] ? m[3].slice(1).split('.').map(stripZeros) : [];
  return stripZeros(m[1]!) + m[2]!.toUpperCase() + decimals.map((d) => '.' + d).join('');
}

interface ParsedPhase {
  int: string;
  letter: string;
  parts: string[];
}

function parsePhase(id: string): ParsedPhase | null {
  const m = PHASE_ID.exec(id.trim());
  if (!m) return null;
  return {
    int: stripZeros(m[1]!),
    letter: m[2]!.toUpperCase(),
    parts: m[3] ? m[3].slice(1).split('.').map(stripZeros) : [],
  };
}

/** Compares digit strings without leading zeros numerically, at any length (no float overflow). */
function compareDigits(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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
  const c = compareDigits(pa.int, pb.int) || compareText(pa.letter, pb.letter);
  if (c) return c;
  const n = Math.min(pa.parts.length, pb.parts.length);
  for (let i = 0; i < n; i++) {
    const d = compareDigits(pa.parts[i]!, pb.parts[i]!);
    if (d) return d;
  }
  return pa.parts.length - pb.parts.length;
}

/** Directory form: integer part padded to two digits (`2.1` → `02.1`, `100` → `100`). Non-ids are returned unchanged. */
export function padPhaseId(id: string): string {
  const p = parsePhase(id);
  if (!p) return id;
  return p.int.padStart(2, '0') + p.letter + p.parts.map((d) => '.' + d).join('');
}

/** `999` and `999.x` are GSD's parking lot: outside progress and numbering. */
export function isBacklogPhase(id: string): boolean {
  const p = parsePhase(id);
  return p !== null && p.int === '999';
}

// An optional project-code prefix (`CK-01-slug`, 1–6 uppercase letters) is stripped, as GSD does.
const PHASE_DIR = /^(?:[A-Z]{1,6}-(?=\d))?(\d+[A-Za-z]?(?:\.\d+)*)(?:-(.*))?$/s;

export interface PhaseDirName {
  /** Canonical phase id, or null for non-numeric directories (`post-m1-enhancements`). */
  id: string | null;
  /** The part after the id (`auth-hardening`); the whole name when there is no id. */
  slug: string;
}

/** Splits a phase directory name: `02.1-auth-hardening` → `{ id: '2.1', slug: 'auth-hardening' }`. */
export function parsePhaseDirName(name: string): PhaseDirName {
  const m = PHASE_DIR.exec(name);
  if (!m) return { id: null, slug: name };
  return { id: normalizePhaseId(m[1]!), slug: m[2] ?? '' };
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

const PLAN_SUFFIX = /^(.+)-(PLAN|SUMMARY)\.md$/i;
const LEADING_PHASE = /^(?:[A-Z]{1,6}-(?=\d))?(\d+[A-Za-z]?(?:\.\d+)*)(?=-|$)/;
// `04-01-FIX.md`, `08-FIX5.md`, `08-ENH1.md`, `02-UAT-FIX.md`: fix/enhancement plans written by
// GSD's old plan-fix workflow (frontmatter `type: fix`), paired with `<same id>-SUMMARY.md`.
const FIX_PLAN = /^(\d+[A-Za-z]?(?:\.\d+)*(?:-\d+)?-(?:UAT-)?(?:FIX|ENH)\d*(?:-(?:FIX|ENH)\d*)*)\.md$/;
// `01-04.md`, `01-04-realtime-sync.md`: a plan named by slug instead of the PLAN suffix.
const SLUG_PLAN = /^(\d+[A-Za-z]?(?:\.\d+)*-\d+)(?:-([^.]*))?\.md$/;

function leadingPhase(planId: string): string | null {
  const m = LEADING_PHASE.exec(planId);
  return m ? normalizePhaseId(m[1]!) : null;
}

/**
 * Reads a file name found in a phase directory. Returns null for anything that is not a plan or
 * a summary: CONTEXT, RESEARCH, VERIFICATION, `04-01-ISSUES.md`, `05-RLS-FIX.md` (a note, not a
 * plan-fix plan), `.continue-here.md`, free prose files.
 */
export function parsePlanFileName(name: string): PlanFileName | null {
  const upper = name.toUpperCase();
  if (upper === 'PLAN.MD') return { kind: 'plan', planId: '', phaseId: null };
  if (upper === 'SUMMARY.MD') return { kind: 'summary', planId: '', phaseId: null };
  const m = PLAN_SUFFIX.exec(name);
  if (m) {
    const planId = m[1]!;
    return { kind: m[2]!.toUpperCase() === 'PLAN' ? 'plan' : 'summary', planId, phaseId: leadingPhase(planId) };
  }
  const f = FIX_PLAN.exec(name);
  if (f) return { kind: 'plan', planId: f[1]!, phaseId: leadingPhase(f[1]!) };
  const s = SLUG_PLAN.exec(name);
  if (s) {
    const tail = s[2] ?? '';
    // Upper-case tails name a document type (ISSUES, SMOKETEST, UAT-FIXES…); slugs are lower-case.
    if (tail !== '' && !/[a-z]/.test(tail)) return null;
    if (tail.toUpperCase().split('-').some((w) => NON_PLAN_ARTIFACTS.has(w))) return null;
    return { kind: 'plan', planId: s[1]!, phaseId: leadingPhase(s[1]!) };
  }
  return null;
}

/**
 * Comparison key of a plan id: the phase part canonical, numeric parts without leading zeros,
 * words uppercased, so `04-01`, `4-01` and `4-1` pair, and `02.1-01` pairs with `2.1-01`.
 */
export function planKey(planId: string): string {
  const m = LEADING_PHASE.exec(planId);
  const phase = m ? normalizePhaseId(m[1]!) : null;
  const rest = m && phase !== null ? planId.slice(m[0].length) : planId;
  const tail = rest
    .split('-')
    .map((seg) => (/^\d+$/.test(seg) ? stripZeros(seg) : seg.toUpperCase()))
    .join('-');
  return (phase ?? '') + tail;
}

function restSegments(planId: string): { phase: string | null; segs: string[] } {
  const m = LEADING_PHASE.exec(planId);
  const phase = m ? normalizePhaseId(m[1]!) : null;
  const rest = m && phase !== null ? planId.slice(m[0].length) : planId;
  const segs = rest.split('-').filter((s) => s !== '');
  return { phase, segs };
}

/**
 * Orders plan ids: by phase, then dash part by dash part (numbers numerically and before words),
 * a shorter chain first, so `04-01 < 04-01-FIX < 04-01-FIX-FIX < 04-02 < 04-FIX5 < 4.1-01`.
 * Ids without a phase sort last, by text.
 */
export function comparePlanIds(a: string, b: string): number {
  const ra = restSegments(a);
  const rb = restSegments(b);
  if (ra.phase === null || rb.phase === null) {
    if (ra.phase !== null) return -1;
    if (rb.phase !== null) return 1;
    return compareText(a.toUpperCase(), b.toUpperCase()) || compareText(a, b);
  }
  const c = comparePhaseIds(ra.phase, rb.phase);
  if (c) return c;
  const n = Math.min(ra.segs.length, rb.segs.length);
  for (let i = 0; i < n; i++) {
    const x = ra.segs[i]!;
    const y = rb.segs[i]!;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    let d: number;
    if (xn && yn) d = compareDigits(stripZeros(x), stripZeros(y));
    else if (xn !== yn) d = xn ? -1 : 1;
    else d = compareText(x.toUpperCase(), y.toUpperCase());
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
