/**
 * MILESTONES.md reader and the names of archive entries under `.planning/milestones/`.
 * Entries are `## v1.0 MVP (Shipped: 2026-01-24)` headings (also `(Backfilled: …)` and
 * `## v1.0 -- Name` with `**Status:**`/`**Dates:**` lines), each followed by
 * `**Phases completed:** 1-4 (6 plans total)` or `**Stats:** 4 phases, 7 plans`.
 */
import type { MarkdownDocument } from '../markdown/index.ts';
import type { Section } from '../markdown/types.ts';
import { extractTimestamp } from '../model/dates.ts';
import { DiagnosticSink, type Diagnostic } from '../model/diagnostic.ts';

export interface MilestoneEntry {
  /** Version id as written, e.g. `v1.0`, `v0.10.0`, `v1.2.1`. */
  id: string;
  /** Name after the version (`MVP`), empty string when none. */
  name: string;
  /** ISO date from `(Shipped: …)` / `(Backfilled: …)`, a `**Shipped:**` line, or the end of `**Dates:** A to B`; null otherwise. */
  shipped: string | null;
  line: number;
  /** The `**Phases completed:**` value as written (`1-4 (6 plans total)`, `3 phases (12-14), 6 plans`), null when absent. */
  phases: string | null;
  /** Plans counted in the phases (or stats) line; `9 plans + 4 FIX plans` is 13. Null when it names none. */
  plans: number | null;
}

export interface MilestonesRecord {
  milestones: MilestoneEntry[];
}

const ENTRY = /^(?:milestone[ \t]+)?(v\d+(?:\.\d+)*)\b[ \t]*(?:[:\-–—]+[ \t]*)?(.*?)[ \t]*(?:\((?:shipped|backfilled|completed|released)[ \t]*:?[ \t]*([^)]*)\))?[ \t]*$/i;
const FIELD = /^[ \t]*(?:[-*][ \t]+)?(?:\*\*|__)([^*_:\r\n]+?)[ \t]*:?[ \t]*(?:\*\*|__)[ \t]*:?[ \t]*(.*)$/;
const PLAN_COUNT = /(\d+)[ \t]+(?:[A-Z]+[ \t]+)?plans?\b/gi;

export function readMilestones(doc: MarkdownDocument, file: string): { record: MilestonesRecord; diagnostics: Diagnostic[] } {
  const sink = new DiagnosticSink(file, (o) => doc.position(o));
  const milestones: MilestoneEntry[] = [];
  const seen = new Map<string, number>();
  for (const s of doc.allSections()) {
    if (s.depth !== 2) continue;
    const m = ENTRY.exec(s.title.replace(/[*_]/g, ''));
    if (!m) continue;
    const fields = readFields(s);
    const phases = fields.get('phases completed') ?? null;
    const countFrom = phases ?? fields.get('stats') ?? null;
    let shipped = m[3] !== undefined ? extractTimestamp(m[3]) : null;
    shipped ??= fieldDate(fields.get('shipped')) ?? fieldDate(fields.get('completed'));
    if (shipped === null && fields.has('dates') && /complete|shipped|done/i.test(fields.get('status') ?? '')) {
      const d = fields.get('dates')!;
      const to = d.search(/\bto\b|→|–|—/);
      shipped = extractTimestamp(to >= 0 ? d.slice(to) : d);
    }
    const entry: MilestoneEntry = {
      id: m[1]!,
      name: m[2]!.trim(),
      shipped,
      line: s.heading.line,
      phases: phases === null || phases === '' ? null : phases,
      plans: countFrom === null ? null : countPlans(countFrom),
    };
    const prev = seen.get(entry.id);
    if (prev !== undefined) {
      sink.warn(s.heading.span.start, 'milestone-duplicate-id', `milestone ${entry.id} appears again (first on line ${prev})`, 'Merge the two entries or correct the version.');
    } else {
      seen.set(entry.id, entry.line);
    }
    milestones.push(entry);
  }
  if (milestones.length === 0) {
    sink.warn(null, 'milestones-none-found', 'no milestone entries found (expected `## v1.0 Name (Shipped: YYYY-MM-DD)` headings)', 'Add one `## vX.Y Name (Shipped: YYYY-MM-DD)` heading per shipped milestone.');
  }
  return { record: { milestones }, diagnostics: sink.items };
}

/** `**Label:** value` lines of the entry's own paragraphs, keyed by lower-case label; first wins. */
function readFields(s: Section): Map<string, string> {
  const out = new Map<string, string>();
  for (const b of s.blocks) {
    if (b.kind !== 'paragraph') continue;
    for (const line of b.lines) {
      const f = FIELD.exec(line.text);
      if (!f) continue;
      const key = f[1]!.trim().toLowerCase();
      if (!out.has(key)) out.set(key, f[2]!.trim());
    }
  }
  return out;
}

function fieldDate(v: string | undefined): string | null {
  return v === undefined ? null : extractTimestamp(v);
}

function countPlans(text: string): number | null {
  let total = 0;
  let any = false;
  PLAN_COUNT.lastIndex = 0;
  for (let m = PLAN_COUNT.exec(text); m; m = PLAN_COUNT.exec(text)) {
    total += Number(m[1]);
    any = true;
  }
  return any ? total : null;
}

export type MilestoneArchiveKind = 'roadmap' | 'requirements' | 'audit' | 'phases';

export interface MilestoneArchiveName {
  /** `v1.0`, `v0.10.0`, `v1.2.1`. */
  version: string;
  kind: MilestoneArchiveKind;
}

const ARCHIVE_FILE = /^(v\d+(?:\.\d+)*)-(ROADMAP|REQUIREMENTS|MILESTONE-AUDIT|AUDIT)\.md$/i;
const ARCHIVE_DIR = /^(v\d+(?:\.\d+)*)-phases$/i;

/**
 * Classifies an entry of `.planning/milestones/`: `v1.0-ROADMAP.md`, `v1.0-REQUIREMENTS.md`,
 * `v1.0-MILESTONE-AUDIT.md` (also `v2.0-AUDIT.md`), the `v1.0-phases` directory. Anything else
 * (`v1.1-INTEGRATION-CHECK.md`, notes) is null.
 */
export function parseMilestoneArchiveName(name: string): MilestoneArchiveName | null {
  const d = ARCHIVE_DIR.exec(name);
  if (d) return { version: d[1]!, kind: 'phases' };
  const f = ARCHIVE_FILE.exec(name);
  if (!f) return null;
  const k = f[2]!.toUpperCase();
  return { version: f[1]!, kind: k === 'ROADMAP' ? 'roadmap' : k === 'REQUIREMENTS' ? 'requirements' : 'audit' };
}
