/**
 * ROADMAP.md's views: the progress-table rows and the phase checkboxes, spliced from derive().
 * Only phases in `s.phases` are touched, and in them only the Plans, Status and Completed cells
 * and the checkbox character; everything else (prose counts such as "(2/3 plans)", rows of
 * shipped milestones and backlog, tables other than the one cairn keeps) stays byte-for-byte.
 * The output is a fixed point and satisfies `checkRoadmapDrift` for the same ProjectState.
 */
import { applyEdits, type MarkdownDocument } from '../markdown/index.ts';
import type { Edit, Span } from '../markdown/types.ts';
import type { PhaseState, ProjectState } from '../derive/types.ts';
import type { ProgressColumns, ProgressRow, ProgressTable, RoadmapRecord } from '../formats/roadmap/types.ts';
import { cellMeansComplete, statusWords, stripInline } from '../formats/roadmap/text.ts';

export interface RoadmapViewOptions {
  /** Completion date (YYYY-MM-DD) by canonical phase id, written into an empty Completed cell. */
  completedDates?: ReadonlyMap<string, string>;
}

export interface RoadmapViewResult {
  text: string;
  /** The splices on `doc.text`, by offset; empty when the views already agree. */
  edits: Edit[];
}

export function renderRoadmapViews(doc: MarkdownDocument, record: RoadmapRecord, s: ProjectState, opts: RoadmapViewOptions = {}): RoadmapViewResult {
  const edits: Edit[] = [];
  if (s.source === 'tree' && s.phases.length > 0) {
    const byId = new Map(s.phases.map((p) => [p.id, p]));
    if (record.progressTable) tableEdits(doc, record.progressTable, byId, s, opts, edits);
    checkboxEdits(doc, record, byId, edits);
  }
  edits.sort((a, b) => a.offset - b.offset);
  return { text: applyEdits(doc.text, edits), edits };
}

// ---- checkboxes ---------------------------------------------------------------------------

function checkboxEdits(doc: MarkdownDocument, record: RoadmapRecord, byId: Map<string, PhaseState>, out: Edit[]): void {
  for (const rp of record.phases) {
    // A phase whose key is not its id is a same-numbered phase of another (shipped) milestone.
    if (rp.checkbox === null || rp.key !== rp.id) continue;
    const p = byId.get(rp.id);
    if (!p) continue;
    const char = doc.text[rp.checkbox.start];
    const checked = char === 'x' || char === 'X';
    if (checked !== p.complete) out.push({ offset: rp.checkbox.start, length: rp.checkbox.end - rp.checkbox.start, text: p.complete ? 'x' : ' ' });
  }
}

// ---- progress table -----------------------------------------------------------------------

/** A cell as the renderer sees it: raw text (escapes kept) and where it sits, null for an inserted cell. */
interface RawCell {
  raw: string;
  span: Span | null;
}

interface TableContext {
  text: string;
  /** Header cell segments (between the pipes), by column, for keeping a space-padded layout. */
  headerSegments: Array<Span | null>;
}

function tableEdits(
  doc: MarkdownDocument,
  table: ProgressTable,
  byId: Map<string, PhaseState>,
  s: ProjectState,
  opts: RoadmapViewOptions,
  out: Edit[],
): void {
  const text = doc.text;
  const ctx: TableContext = {
    text,
    headerSegments: table.header.map((span) => segmentOf(text, span)),
  };
  const current = s.position.phase?.id ?? null;
  for (const row of table.rows) {
    const p = row.phaseId ? byId.get(row.phaseId) : undefined;
    if (!p) continue;
    const date = opts.completedDates?.get(p.id) ?? null;
    const shifted = ctx.headerSegments.length > 0 ? withMissingMilestone(row, table.columns, ctx, p) : null;
    if (shifted) {
      out.push(rebuiltTail(shifted, table.columns, p, p.id === current, date));
      continue;
    }
    const cells: RawCell[] = row.cells.map((c) => ({ raw: text.slice(c.span.start, c.span.end), span: c.span }));
    for (const [index, next] of cellUpdates(cells, table.columns, p, p.id === current, date)) {
      const cell = row.cells[index]!;
      const edit = cellEdit(ctx, index, cell.span, next);
      if (edit) out.push(edit);
    }
  }
}

/** New raw text for the Plans, Status and Completed cells that must change, by column index. */
function cellUpdates(cells: RawCell[], cols: ProgressColumns, p: PhaseState, current: boolean, date: string | null): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  const update = (index: number | null, render: (raw: string) => string) => {
    if (index === null) return;
    const cell = cells[index];
    if (!cell) return; // a ragged row without this cell: cells are never added
    const next = render(cell.raw);
    if (next !== cell.raw) out.push([index, next]);
  };
  update(cols.plans, (raw) => plansCell(raw, p.plans.done, p.plans.total));
  update(cols.status, (raw) => statusCell(raw, p, current));
  update(cols.completed, (raw) => completedCell(raw, p, date));
  return out;
}

// ---- cells --------------------------------------------------------------------------------

const COUNT = /(\d{1,6})([ \t]*\/[ \t]*)(\d{1,6}(?!\d)|\?|TBD(?![A-Za-z]))?/i;
const NUMBER = /\d{1,6}(?!\d)/;
/** What the reader takes for "nothing written" in a cell. */
const EMPTY = /^(?:|-|—|–|n\/a|tbd|\?)$/i;

function plain(raw: string): string {
  return stripInline(raw.replace(/\\\|/g, () => '|'));
}

function escapePipes(s: string): string {
  return s.replace(/\|/g, () => '\\|');
}

/** "plan"/"plans" written right after a count follows the new total. */
function agreePlural(after: string, total: number): string {
  return after.replace(/^([ \t]*)(plan)(s?)(?![A-Za-z])/i, (_m, ws: string, word: string) => {
    const upper = word === word.toUpperCase();
    return ws + word + (total === 1 ? '' : upper ? 'S' : 's');
  });
}

/** `done/total`, in the cell's own style ("3/3", "3/3 plans", "2/2 (incl. fix)"); an unknown total stays unknown while nothing is planned. */
export function plansCell(raw: string, done: number, total: number): string {
  const m = COUNT.exec(raw);
  if (m) {
    const written = m[3];
    const keepUnknown = total === 0 && written !== undefined && !/^\d/.test(written);
    const totalText = keepUnknown ? written : String(total);
    const after = raw.slice(m.index + m[0].length);
    return raw.slice(0, m.index) + String(done) + m[2]! + totalText + agreePlural(after, total);
  }
  if (total === 0) return raw;
  if (EMPTY.test(plain(raw))) return `${done}/${total}`;
  // A total alone ("3", "3 plans") keeps saying a total.
  const n = NUMBER.exec(raw);
  if (n && !raw.includes('/')) return raw.slice(0, n.index) + String(total) + agreePlural(raw.slice(n.index + n[0].length), total);
  return raw;
}

type WrittenState = 'complete' | 'in progress' | 'not started' | 'blocked';

// How `checkRoadmapDrift` reads "complete": a word kept for a phase must be read the same way there.
const IN_PROGRESS = /^(?:in[ -]progress|wip|active|current|executing|em andamento|进行中|진행 중)/iu;

/** The state a Status cell states, or null when it is not a status the renderer may keep. */
export function writtenState(cellText: string): WrittenState | null {
  const w = statusWords(cellText, false);
  if (!w) return null;
  const checkerComplete = cellMeansComplete(cellText);
  if (w.kind === 'complete') return checkerComplete ? 'complete' : null;
  if (w.kind !== 'other' || checkerComplete) return null;
  const word = w.text.replace(/^[^\p{L}]+/u, '');
  if (/^blocked/i.test(word)) return 'blocked';
  return IN_PROGRESS.test(word) ? 'in progress' : 'not started';
}

/**
 * Complete / In Progress / Not started, keeping the written words when they already mean the
 * derived state (`✅ Complete`, `Completed`, `完成`, `Pending`). A blocked phase stays blocked
 * until it is complete; the phase being worked on may say "In Progress" before its first summary.
 */
export function statusCell(raw: string, p: PhaseState, current: boolean): string {
  const st = writtenState(plain(raw));
  if (p.complete) return st === 'complete' ? raw : 'Complete';
  if (st === 'blocked') return raw;
  if (p.plans.done > 0) return st === 'in progress' ? raw : 'In Progress';
  return st === 'not started' || (current && st === 'in progress') ? raw : 'Not started';
}

/** A complete phase gets its date in an empty cell (a written date is kept); an open phase has none. */
export function completedCell(raw: string, p: PhaseState, date: string | null): string {
  const empty = EMPTY.test(plain(raw));
  if (p.complete) return empty && date ? escapePipes(date) : raw;
  return empty ? raw : '—';
}

// ---- splicing a cell ----------------------------------------------------------------------

function isWs(c: number): boolean {
  return c === 32 || c === 9;
}

/** The text between the two pipes around a cell, null when the cell is not closed by pipes on both sides. */
function segmentOf(text: string, span: Span): Span | null {
  let a = span.start;
  while (a > 0 && isWs(text.charCodeAt(a - 1))) a--;
  if (a === 0 || text.charCodeAt(a - 1) !== 124) return null;
  let b = span.end;
  while (b < text.length && isWs(text.charCodeAt(b))) b++;
  if (b >= text.length || text.charCodeAt(b) !== 124) return null;
  return { start: a, end: b };
}

/**
 * Replaces a cell's content. In a space-padded table (the cell is exactly as wide as its header
 * cell) the new content is padded to that width, or overflows by the content alone.
 */
function cellEdit(ctx: TableContext, index: number, span: Span, next: string): Edit | null {
  const seg = segmentOf(ctx.text, span);
  const head = ctx.headerSegments[index] ?? null;
  const width = head ? head.end - head.start : -1;
  if (seg && seg.end - seg.start === width) {
    const body = ctx.text.slice(seg.start, span.start) + next;
    const padded = body.length + 1 <= width ? body + ' '.repeat(width - body.length) : `${body} `;
    return { offset: seg.start, length: seg.end - seg.start, text: padded };
  }
  if (seg && seg.start === seg.end) return { offset: seg.start, length: 0, text: ` ${next} ` };
  return { offset: span.start, length: span.end - span.start, text: next };
}

// ---- rows that lost their milestone cell ---------------------------------------------------

const COUNT_ONLY = /^\d{1,6}[ \t]*\/[ \t]*(?:\d{1,6}|\?|TBD)\b/i;

interface ShiftedRow {
  /** Cells as they should be, the milestone cell inserted. */
  cells: RawCell[];
  /** Span from the first shifted cell to the end of the row's last cell (a dropped filler cell included). */
  tail: Span;
  milestoneIndex: number;
}

/**
 * GSD's phase-complete step appends 4-cell rows (`| 22. Sync | 3/3 | Complete | 2026-03-20 | - |`)
 * to 5-column tables that have a Milestone column: every cell after the phase sits one column
 * early. Spliced cell by cell such a row would turn into nonsense, so it is re-aligned instead,
 * with the phase's milestone in the missing cell.
 */
function withMissingMilestone(row: ProgressRow, cols: ProgressColumns, ctx: TableContext, p: PhaseState): ShiftedRow | null {
  const m = cols.milestone;
  if (m === null || cols.plans !== m + 1 || p.milestone === null) return null;
  const cells: RawCell[] = row.cells.map((c) => ({ raw: ctx.text.slice(c.span.start, c.span.end), span: c.span }));
  const atMilestone = cells[m];
  const atPlans = cells[m + 1];
  if (!atMilestone || !COUNT_ONLY.test(plain(atMilestone.raw)) || (atPlans && COUNT_ONLY.test(plain(atPlans.raw)))) return null;
  const n = ctx.headerSegments.length;
  let kept: RawCell[];
  if (cells.length === n && EMPTY.test(plain(cells[n - 1]!.raw))) kept = cells.slice(0, n - 1);
  else if (cells.length === n - 1) kept = cells;
  else return null;
  const last = cells[cells.length - 1]!.span!;
  return {
    cells: [...kept.slice(0, m), { raw: escapePipes(p.milestone), span: null }, ...kept.slice(m)],
    tail: { start: atMilestone.span!.start, end: last.end },
    milestoneIndex: m,
  };
}

function rebuiltTail(shifted: ShiftedRow, cols: ProgressColumns, p: PhaseState, current: boolean, date: string | null): Edit {
  const cells = shifted.cells.map((c) => c.raw);
  for (const [index, next] of cellUpdates(shifted.cells, cols, p, current, date)) cells[index] = next;
  return { offset: shifted.tail.start, length: shifted.tail.end - shifted.tail.start, text: cells.slice(shifted.milestoneIndex).join(' | ') };
}
