/**
 * SUMMARY.md reader. Like the plan reader it reads the frontmatter and makes linear string scans
 * of the text, never the block tree: a large project has tens of thousands of summaries.
 * About a sixth of real summaries have no frontmatter; their metrics live in body lines such as
 * `- **Duration:** 8 min`, `- **Started:** 2026-02-28T15:36:50Z`, `*Completed: 2026-01-28*`.
 */
import type { MarkdownDocument } from '../markdown/index.ts';
import { extractTimestamp } from '../model/dates.ts';
import { DiagnosticSink, type Diagnostic } from '../model/diagnostic.ts';
import { parseDuration } from '../model/duration.ts';
import { asText, asTextList, isMapping, pick, readFrontmatter, type FrontmatterData, type FrontmatterView } from './frontmatter-fields.ts';
import { firstH1, nextNonBlankLine } from './text-scan.ts';

export interface SummaryRecord {
  hasFrontmatter: boolean;
  /** Duration as written: the first source that parses, else the first one written. */
  duration: string | null;
  /** Minutes from `duration`, `metrics.duration`, `duration_minutes`, `duration_seconds` or the body; null when unknown. */
  durationMinutes: number | null;
  /** True when the duration was approximate (`~8 min`, `<1min`, a range). */
  durationApproximate: boolean;
  /** Where the duration came from. */
  durationSource: 'frontmatter' | 'body' | null;
  /** ISO date or date-time (`started`, `started_at`, else a `Started:` body line). */
  started: string | null;
  /** ISO date or date-time (`completed`, `completed_at`, else a `Completed:` body line). */
  completed: string | null;
  /** From `key-decisions` and `decisions` (strings, or maps with decision/description/choice/what). */
  keyDecisions: string[];
  /** Frontmatter `requirements-completed` ids, empty when absent. */
  requirementsCompleted: string[];
}

interface DurationCandidate {
  text: string;
  source: 'frontmatter' | 'body';
  /** Body line offset; frontmatter positions are looked up only when reporting. */
  offset: number | null;
  /** Set for numeric `duration_minutes` / `duration_seconds`, which need no parsing. */
  minutes?: number;
}

export function readSummary(doc: MarkdownDocument, file: string): { record: SummaryRecord; diagnostics: Diagnostic[] } {
  const sink = new DiagnosticSink(file, (o) => doc.position(o));
  const view = readFrontmatter(doc, sink);
  const data = view.data;
  const metrics = isMapping(data?.['metrics']) ? (data!['metrics'] as FrontmatterData) : null;
  const body = scanBody(doc.text, view.bodyStart);

  const candidates: DurationCandidate[] = [];
  for (const src of [data, metrics]) {
    const d = asText(pick(src, 'duration'));
    if (d !== null) candidates.push({ text: d, source: 'frontmatter', offset: null });
  }
  for (const src of [data, metrics]) {
    const m = pick(src, 'duration_minutes', 'duration-minutes');
    if (typeof m === 'number' && m >= 0) candidates.push({ text: `${m} min`, source: 'frontmatter', offset: null, minutes: m });
    const s = pick(src, 'duration_seconds', 'duration-seconds');
    if (typeof s === 'number' && s >= 0) candidates.push({ text: `${s}s`, source: 'frontmatter', offset: null, minutes: s / 60 });
  }
  for (const d of body.durations) candidates.push({ text: d.value, source: 'body', offset: d.offset });

  let duration: string | null = null;
  let durationMinutes: number | null = null;
  let durationApproximate = false;
  let durationSource: SummaryRecord['durationSource'] = null;
  for (const c of candidates) {
    if (c.minutes !== undefined) {
      duration = c.text;
      durationMinutes = c.minutes;
      durationSource = c.source;
      break;
    }
    const r = parseDuration(c.text);
    if (r.ok) {
      duration = c.text;
      durationMinutes = r.minutes;
      durationApproximate = r.approximate;
      durationSource = c.source;
      break;
    }
  }
  if (durationMinutes === null && candidates.length > 0) {
    const first = candidates[0]!;
    duration = first.text;
    durationSource = first.source;
    const r = parseDuration(first.text);
    const why = r.ok ? '' : r.reason === 'bare-number' ? ' (a number without a unit)' : r.reason === 'placeholder' ? ' (an unfilled placeholder)' : '';
    sink.warn(first.source === 'frontmatter' ? fmKeyOffset(view, 'duration') : first.offset, 'duration-unknown', `duration \`${clip(first.text)}\` is not a length of time${why}; it is left out of velocity`, 'Write it as e.g. `8 min`, `1h 15m` or `3m 54s`.');
  }

  const completedRaw = pick(data, 'completed', 'completed_at', 'completed-at');
  let completed: string | null = null;
  if (completedRaw !== undefined && completedRaw !== null) {
    const t = typeof completedRaw === 'boolean' ? null : timestampOf(completedRaw);
    if (t === null) {
      sink.warn(fmKeyOffset(view, 'completed'), 'summary-completed-invalid', `\`completed\` should be the date the plan finished, found \`${clip(String(asText(completedRaw) ?? ''))}\``, 'Write `completed: YYYY-MM-DD` with the real date.');
    }
    completed = t;
  }
  completed ??= timestampOf(pick(metrics, 'completed', 'completed_at')) ?? body.completed;
  const started = timestampOf(pick(data, 'started', 'started_at', 'started-at')) ?? timestampOf(pick(metrics, 'started', 'started_at')) ?? body.started;

  const keyDecisions = [
    ...decisionTexts(pick(data, 'key-decisions', 'key_decisions', 'keyDecisions')),
    ...decisionTexts(pick(data, 'decisions')),
  ];

  const record: SummaryRecord = {
    hasFrontmatter: data !== null,
    duration,
    durationMinutes,
    durationApproximate,
    durationSource,
    started,
    completed,
    keyDecisions,
    requirementsCompleted: asTextList(pick(data, 'requirements-completed', 'requirements_completed'), true),
  };
  return { record, diagnostics: sink.items };
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function timestampOf(v: unknown): string | null {
  const t = asText(v);
  return t === null ? null : extractTimestamp(t);
}

/** Offset in the file of the `key:` line; `key` is one of our own constant names, never user text. */
function fmKeyOffset(view: FrontmatterView, key: string): number | null {
  const fm = view.fmDoc.frontmatter;
  if (!fm) return null;
  const i = fm.raw.search(new RegExp(`^[ \\t]*${key}[ \\t]*:`, 'm'));
  return i < 0 ? view.shift + fm.contentSpan.start : view.shift + fm.contentSpan.start + i;
}

// Field names used for the decision itself in the corpus, most specific first (`key` is a slug, last resort).
const DECISION_FIELDS = ['decision', 'description', 'choice', 'chosen', 'what', 'title', 'summary', 'text', 'name', 'key'];

function decisionTexts(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  const items = Array.isArray(v) ? v : [v];
  const out: string[] = [];
  for (const item of items) {
    const t = asText(item);
    if (t !== null) {
      out.push(t);
      continue;
    }
    if (!isMapping(item)) continue;
    let found: string | null = null;
    for (const f of DECISION_FIELDS) {
      found = asText(item[f]);
      if (found !== null) break;
    }
    if (found === null) {
      // An unquoted `- Chose X: because Y` list item is read by YAML as the map {"Chose X": "because Y"}.
      const keys = Object.keys(item);
      if (keys.length === 1) {
        const val = asText(item[keys[0]!]);
        found = val === null ? keys[0]! : `${keys[0]!}: ${val}`;
      }
    }
    if (found !== null) out.push(found);
  }
  return out;
}

interface BodyValue {
  value: string;
  offset: number;
}

interface BodyFields {
  /** Every duration line, in order (a later one may parse where the first does not). */
  durations: BodyValue[];
  started: string | null;
  completed: string | null;
}

// `- **Duration:** 8 min`, `**Started**: …`, `*Completed: 2026-01-28*`, `- Duration: 8 min`,
// `**Execution time:** ~90 minutes`;
// `| Duration | 8 min |`; a `## Duration` heading with the value on the next non-blank line.
// Applied (sticky) only at the start of lines that contain one of the keywords.
const KEYWORD = /Duration|Started|Completed|Execution [Tt]ime/g;
const BODY_FIELD =
  /(?:[ \t>]*(?:[-*+][ \t]+)?(?:\*\*|__|\*|_)?(Duration|Started|Completed|Execution [Tt]ime)(?:\*\*|__)?[ \t]*:[ \t]*(?:\*\*|__)?[ \t]*([^\r\n]*)|\|[ \t]*(?:\*\*)?(Duration|Started|Completed)(?:\*\*)?[ \t]*\|[ \t]*([^|\r\n]*)|#{2,4}[ \t]+(Duration)[ \t]*\r?\n(?:[ \t]*\r?\n)*[ \t]*([^\s#][^\r\n]*))/y;
const INLINE_FIELD = /^[ \t]*[*_]*[ \t]*(Duration|Started|Completed)[*_]*[ \t]*:[ \t]*[*_]*[ \t]*(.*)$/;

function cleanValue(v: string): string {
  return v.replace(/[ \t*_]+$/, '').replace(/^[*_]+/, '').trim();
}

function scanBody(text: string, from: number): BodyFields {
  const out: BodyFields = { durations: [], started: null, completed: null };
  const take = (key: string, raw: string, offset: number) => {
    const value = cleanValue(raw);
    if (value === '') return;
    if (key === 'Duration' || key.startsWith('Execution')) {
      if (out.durations.length < 8) out.durations.push({ value, offset });
    } else if (key === 'Started') {
      out.started ??= extractTimestamp(value);
    } else {
      out.completed ??= extractTimestamp(value);
    }
  };
  KEYWORD.lastIndex = from;
  for (let k = KEYWORD.exec(text); k; k = KEYWORD.exec(text)) {
    const lineStart = Math.max(from, text.lastIndexOf('\n', k.index) + 1);
    const nl = text.indexOf('\n', k.index);
    KEYWORD.lastIndex = nl < 0 ? text.length : nl + 1;
    BODY_FIELD.lastIndex = lineStart;
    const m = BODY_FIELD.exec(text);
    if (!m) continue;
    const key = m[1] ?? m[3] ?? m[5]!;
    const raw = m[2] ?? m[4] ?? m[6] ?? '';
    // `*Completed: 2026-01-28 | Duration: 4 minutes | Tasks: 2/2*` holds several fields.
    const parts = m[1] !== undefined ? raw.split('|') : [raw];
    take(key, parts[0]!, m.index);
    for (let i = 1; i < parts.length; i++) {
      const f = INLINE_FIELD.exec(parts[i]!);
      if (f) take(f[1]!, f[2]!, m.index);
    }
  }
  return out;
}

// Unfilled template values: `[X]`, `[time]`, `[Date]`, `{avg_duration}`, `YYYY-MM-DD`, `X min`,
// `TODO: fill`, `TBD`, `XX-name`/`YY`. A bracket must hold a letter and not sit in a path or link:
// `[27.1]`, `obras/[id]/`, `[text](url)` and `[text][ref]` are not placeholders.
const MARKER =
  /(?<![/\\])\[[^\]\r\n]{0,60}\p{L}[^\]\r\n]{0,60}\](?![/(\[])|\{[A-Za-z_][\w.-]{0,40}\}|\bYYYY(?:-MM(?:-DD)?)?\b|\bHH:MM(?::SS)?\b|\bTODO\b(?::[^|*\r\n]*)?|\bTBD\b|(?<![\w.])(?:X{1,2}|Y{1,2})(?:[ \t]?(?:minutes|min|hours|h|m|s))?(?![\w])/gu;
const BRACKET = /(?<![\w/])\[[^\]\r\n]{0,60}\p{L}[^\]\r\n]{0,60}\](?![\w/(\[])/gu;
const ONE_LINER_PLACEHOLDER = /^[ \t]*(?:\*\*|__)[ \t]*(\[[^\]\r\n]+\])[ \t]*(?:\*\*|__)[ \t]*$/;
const FM_CHECKED = /^(phase|plan|duration|completed|completed_at|started|started_at|one-liner)[ \t]*:[ \t]*(.*)$/gm;
// Template metric lines start at column 0: `- **Duration:** [time]`, `*Completed: YYYY-MM-DD*`.
const METRIC_LINE = /^(?:[-*+][ \t]+)?(?:\*\*|__|\*|_)?(?:Duration|Started|Completed|Tasks|Files modified)[*_]*[ \t]*:[^\r\n]*|^\|[ \t]*(?:Duration|Started|Completed|Tasks)[ \t]*\|[^\r\n]*/gm;

/**
 * Template placeholders a SUMMARY still holds, in order, each once (`[X] min`, `{avg_duration}`,
 * `YYYY-MM-DD`, `[Date]`, `TODO: fill`…). Only the places a template fills are looked at — the
 * frontmatter metric keys, the title (first H1), a one-liner that is only `**[…]**`, and the metric lines —
 * because the narrative legitimately quotes `{id}`, `[id]` or `YYYY-MM-DD`.
 * Empty means the summary looks filled in.
 */
export function summaryPlaceholders(doc: MarkdownDocument): string[] {
  const found: string[] = [];
  const add = (t: string) => {
    if (t !== '' && !found.includes(t)) found.push(t);
  };
  const scanWith = (re: RegExp, s: string) => {
    re.lastIndex = 0;
    for (let m = re.exec(s); m; m = re.exec(s)) add(m[0].trim());
  };
  const scan = (s: string) => scanWith(MARKER, s);
  const view = readFrontmatter(doc, new DiagnosticSink(''));
  const fm = view.fmDoc.frontmatter;
  if (fm) {
    FM_CHECKED.lastIndex = 0;
    for (let m = FM_CHECKED.exec(fm.raw); m; m = FM_CHECKED.exec(fm.raw)) scan(m[2]!);
  }
  const text = doc.text;
  const bodyStart = view.bodyStart;
  const title = firstH1(text, bodyStart);
  if (title) {
    // Titles and one-liners quote `X` and `{path}` legitimately; only template brackets count there.
    scanWith(BRACKET, title.text);
    const next = nextNonBlankLine(text, title.end + 1);
    const one = next ? ONE_LINER_PLACEHOLDER.exec(next.text) : null;
    if (one) add(one[1]!);
  }
  METRIC_LINE.lastIndex = bodyStart;
  for (let m = METRIC_LINE.exec(text); m; m = METRIC_LINE.exec(text)) scan(m[0]);
  return found;
}
