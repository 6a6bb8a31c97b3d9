/**
 * Splicing edits on ROADMAP.md for the phase operations: where each phase is declared (its line
 * in the phase list, its details block, its progress-table row), new entries written in the
 * style of their neighbours, removal of a phase's entries, and single-pass renumbering of every
 * reference a removal shifts. Every function returns edits on the original text; nothing here
 * re-serialises a document or touches the disk.
 */
import { applyEdits, parseMarkdown, type MarkdownDocument } from '../markdown/index.ts';
import type { Block, Edit, Heading, List, ListItem, Span, Table } from '../markdown/types.ts';
import type { Diagnostic } from '../model/diagnostic.ts';
import { readRoadmap } from '../formats/roadmap/read.ts';
import { parsePhaseHead } from '../formats/roadmap/phase-line.ts';
import { parseMilestoneText } from '../formats/roadmap/milestone-line.ts';
import { parseLabelLine, planRefId } from '../formats/roadmap/fields.ts';
import type { ProgressRow, ProgressTable, RoadmapMilestone, RoadmapPhase, RoadmapRecord } from '../formats/roadmap/types.ts';
import { comparePhaseIds, isBacklogPhase, normalizePhaseId, padPhaseId } from '../model/ids.ts';
import type { Parsed, Workspace } from '../workspace/types.ts';
import { PreconditionError } from '../model/errors.ts';

// ---- editability ------------------------------------------------------------------------

/** A file an operation must edit: refused when its bytes cannot be reproduced or its reader reported an error. */
export function requireEditable(ws: Workspace, p: Parsed<unknown>): void {
  if (!p.lossless) {
    throw new PreconditionError(
      `refusing to edit ${p.path}: it is not valid UTF-8, so its bytes cannot be reproduced`,
      `save it as UTF-8, then run \`cairn check\` and retry`,
    );
  }
  const errors = ws.diagnostics.filter((d) => d.file === p.path && d.severity === 'error');
  if (errors.length) {
    const where = errors.slice(0, 3).map((d) => `line ${d.line}: ${d.message}`).join('; ');
    throw new PreconditionError(`refusing to edit ${p.path}: it did not parse cleanly (${where})`, 'fix the file by hand, then run `cairn check` and retry');
  }
}

// ---- text positions ---------------------------------------------------------------------

export function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0) {
    const c = text.charCodeAt(i - 1);
    if (c === 10 || c === 13) break;
    i--;
  }
  return i;
}

/** End of the line holding `offset`, line ending excluded. */
export function lineEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) break;
    i++;
  }
  return i;
}

/** Offset just after the line ending of the line holding `offset` (the text length on the last line). */
export function afterLine(text: string, offset: number): number {
  const e = lineEnd(text, offset);
  if (e >= text.length) return e;
  return text.charCodeAt(e) === 13 && text.charCodeAt(e + 1) === 10 ? e + 2 : e + 1;
}

/** Whole lines covering `span` (the last line's ending included). */
export function wholeLines(text: string, span: Span): Span {
  return { start: lineStart(text, span.start), end: afterLine(text, Math.max(span.start, span.end - 1)) };
}

function withEol(s: string, eol: string): string {
  return eol === '\n' ? s : s.replace(/\n/g, () => eol);
}

const BLANK_LINE = /^[ \t]*\r?\n/;

/** Splices a block of lines (written with `\n`) at a line start, keeping one blank line on each side. */
function blockInsertion(text: string, offset: number, block: string, eol: string): Edit {
  // Blank lines at the insertion point stay above the block, so it lands right before the next content.
  for (let m = BLANK_LINE.exec(text.slice(offset, offset + 200)); m && offset < text.length; m = BLANK_LINE.exec(text.slice(offset, offset + 200))) {
    offset += m[0].length;
  }
  let before = '';
  if (offset > 0) {
    const prev = text.slice(Math.max(0, offset - 4), offset).replace(/\r/g, '');
    if (!prev.endsWith('\n')) before = '\n\n';
    else if (!prev.endsWith('\n\n')) before = '\n';
  }
  const body = block.replace(/\n+$/, '');
  const after = offset >= text.length ? '\n' : '\n\n';
  return { offset, length: 0, text: withEol(before + body + after, eol) };
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, () => '\\|');
}

// ---- where each phase is declared -------------------------------------------------------

export interface DetailsBlock {
  heading: Heading;
  /** From the heading's line start to the start of what follows the block (trailing blank lines included). */
  span: Span;
  /** The block ends with a `---` rule (the roadmap separates phase blocks with rules). */
  rule: boolean;
}

export interface PhaseSpots {
  item: ListItem | null;
  /** Loose list: items separated by blank lines. */
  loose: boolean;
  details: DetailsBlock | null;
  /** Rows in every progress table, the kept table's first. */
  rows: { table: ProgressTable; row: ProgressRow }[];
}

export interface BlockIndex {
  items: Map<number, { item: ListItem; list: List; index: number; siblings: ListItem[] }>;
  headings: Map<number, number>;
}

export function indexBlocks(doc: MarkdownDocument): BlockIndex {
  const items: BlockIndex['items'] = new Map();
  const headings = new Map<number, number>();
  const walk = (list: List, siblings: ListItem[]) => {
    siblings.forEach((item, index) => {
      if (!items.has(item.line)) items.set(item.line, { item, list, index, siblings });
      if (item.children.length) walk(list, item.children);
    });
  };
  doc.blocks.forEach((b, i) => {
    if (b.kind === 'heading') headings.set(b.line, i);
    else if (b.kind === 'list') walk(b, b.items);
  });
  return { items, headings };
}

const DETAILS_TAG = /<(\/?)details\b[^>]*>/gi;

/** True when an html block opens a `<details>` whose summary names a milestone. */
function opensMilestone(value: string): boolean {
  const m = /<summary[^>]*>([\s\S]*?)(?:<\/summary>|$)/i.exec(value);
  return m !== null && parseMilestoneText(m[1]!.replace(/\s+/g, ' '), 'summary') !== null;
}

/**
 * A phase heading's block: up to the next heading of the same or a higher level (or any phase
 * heading), a `</details>` that closes an enclosing block, or a `<details>` that opens a milestone.
 */
export function detailsExtent(doc: MarkdownDocument, headingIndex: number): DetailsBlock {
  const blocks = doc.blocks;
  const h = blocks[headingIndex] as Heading;
  let depth = 0;
  let last: Block = h;
  let j = headingIndex + 1;
  scan: for (; j < blocks.length; j++) {
    const b = blocks[j]!;
    if (b.kind === 'heading' && (b.depth <= h.depth || parsePhaseHead(b.text, 'heading') !== null)) break;
    if (b.kind === 'html') {
      if (/<details\b/i.test(b.value) && opensMilestone(b.value) && depth === 0) break;
      DETAILS_TAG.lastIndex = 0;
      for (let m = DETAILS_TAG.exec(b.value); m; m = DETAILS_TAG.exec(b.value)) {
        if (m[1]) {
          if (depth === 0) break scan;
          depth--;
        } else depth++;
      }
    }
    last = b;
  }
  const text = doc.text;
  const end = j < blocks.length ? lineStart(text, blocks[j]!.span.start) : text.length;
  return { heading: h, span: { start: lineStart(text, h.span.start), end: Math.max(end, afterLine(text, h.span.start)) }, rule: last.kind === 'thematicBreak' };
}

function isLoose(text: string, siblings: ListItem[], index: number): boolean {
  const gap = (a: ListItem, b: ListItem) => /\n[ \t]*\r?\n/.test(text.slice(a.span.end, b.span.start));
  if (index > 0 && gap(siblings[index - 1]!, siblings[index]!)) return true;
  if (index + 1 < siblings.length && gap(siblings[index]!, siblings[index + 1]!)) return true;
  return false;
}

/** Where each phase (by key) is declared: its first list line, its first details heading, its table rows. */
export function locatePhases(doc: MarkdownDocument, record: RoadmapRecord): Map<string, PhaseSpots> {
  const index = indexBlocks(doc);
  const out = new Map<string, PhaseSpots>();
  for (const p of record.phases) {
    const spots: PhaseSpots = { item: null, loose: false, details: null, rows: [] };
    for (const d of p.declarations) {
      if ((d.kind === 'checkbox' || d.kind === 'bullet') && spots.item === null) {
        const hit = index.items.get(d.line);
        if (hit) {
          spots.item = hit.item;
          spots.loose = isLoose(doc.text, hit.siblings, hit.index);
        }
      } else if (d.kind === 'heading' && spots.details === null) {
        const hi = index.headings.get(d.line);
        if (hi !== undefined) spots.details = detailsExtent(doc, hi);
      }
    }
    out.set(p.key, spots);
  }
  const tables = record.progressTable ? [record.progressTable, ...record.progressTables.filter((t) => t !== record.progressTable)] : record.progressTables;
  const byId = new Map(record.phases.filter((p) => p.key === p.id).map((p) => [p.id, p.key]));
  for (const table of tables) {
    for (const row of table.rows) {
      const key = row.phaseId ? byId.get(row.phaseId) : undefined;
      if (key) out.get(key)?.rows.push({ table, row });
    }
  }
  return out;
}

function findTableBlock(doc: MarkdownDocument, span: Span): Table | null {
  for (const b of doc.blocks) if (b.kind === 'table' && b.span.start === span.start) return b;
  return null;
}

// ---- milestones -------------------------------------------------------------------------

export function milestoneKey(m: RoadmapMilestone): string {
  return m.id ?? m.name;
}

export function inMilestone(p: RoadmapPhase, m: RoadmapMilestone): boolean {
  return p.milestone !== null && (p.milestone === m.id || p.milestone === m.name);
}

export function milestoneOf(record: RoadmapRecord, key: string | null): RoadmapMilestone | null {
  if (key === null) return null;
  return record.milestones.find((m) => m.id === key || m.name === key) ?? null;
}

export function isShipped(record: RoadmapRecord, p: RoadmapPhase): boolean {
  return milestoneOf(record, p.milestone)?.status === 'shipped';
}

/** The milestone block (heading or `<details>`) holding `offset`, innermost first. */
function enclosingBlock(record: RoadmapRecord, offset: number): { m: RoadmapMilestone; kind: 'heading' | 'details'; span: Span } | null {
  let best: { m: RoadmapMilestone; kind: 'heading' | 'details'; span: Span } | null = null;
  for (const m of record.milestones) {
    for (const d of m.declarations) {
      if (d.kind !== 'heading' && d.kind !== 'details') continue;
      if (d.span.start <= offset && offset < d.span.end && (!best || d.span.start >= best.span.start)) best = { m, kind: d.kind, span: d.span };
    }
  }
  return best;
}

/** Offset right after a block: for `<details>`, after its closing tag's line. */
function afterBlock(text: string, b: { kind: 'heading' | 'details'; span: Span }): number {
  if (b.kind === 'heading') return b.span.end;
  return afterLine(text, Math.max(b.span.start, b.span.end - 1));
}

/** Inside a block, the place to append content: before `</details>`, or at the end of a heading's section. */
function blockTail(text: string, b: { kind: 'heading' | 'details'; span: Span }): number {
  if (b.kind === 'heading') return b.span.end;
  const close = text.slice(b.span.start, b.span.end).toLowerCase().lastIndexOf('</details>');
  return close < 0 ? b.span.end : lineStart(text, b.span.start + close);
}

function headingDepthAt(doc: MarkdownDocument, offset: number): number | null {
  for (const b of doc.blocks) if (b.kind === 'heading' && b.span.start >= lineStart(doc.text, offset) && b.span.start <= offset + 3) return b.depth;
  return null;
}

// ---- new entries --------------------------------------------------------------------------

export interface NewPhase {
  id: string;
  name: string;
  goal: string | null;
  /** Canonical ids, written as "Phase 2, Phase 3"; empty → "Nothing (first phase)". */
  dependsOn: string[];
  inserted: boolean;
  /** The milestone the phase must be grouped under, null when ungrouped. */
  milestone: RoadmapMilestone | null;
  /** Only entries of these phases may serve as anchors (the neighbours the new phase joins). */
  neighbours: (p: RoadmapPhase) => boolean;
}

const PHASE_WORD_IN_LINE = /(Phase|Fase|阶段|단계)/i;

function listLine(text: string, anchor: ListItem | null, p: NewPhase): string {
  let prefix = '- [ ] ';
  let word = 'Phase';
  let bold = true;
  if (anchor) {
    const start = lineStart(text, anchor.span.start);
    prefix = text.slice(start, anchor.textSpan.start).replace(/\[[xX ]\]/, '[ ]');
    const first = text.slice(anchor.textSpan.start, lineEnd(text, anchor.textSpan.start));
    word = PHASE_WORD_IN_LINE.exec(first)?.[1] ?? 'Phase';
    bold = /^\s*(?:[✅✓☑🚧📋]\uFE0F?\s*)?(?:\*\*|__)/u.test(first);
  }
  const head = `${word} ${p.id}: ${p.name}`;
  let line = prefix + (bold ? `**${head}**` : head);
  if (p.inserted) line += ' (INSERTED)';
  if (p.goal) line += ` - ${p.goal}`;
  return line;
}

function dependsText(ids: string[]): string {
  return ids.length ? ids.map((id) => `Phase ${id}`).join(', ') : 'Nothing (first phase)';
}

function detailsText(depth: number, word: string, p: NewPhase, rule: boolean): string {
  const lines = [
    `${'#'.repeat(depth)} ${word} ${p.id}: ${p.name}${p.inserted ? ' (INSERTED)' : ''}`,
    `**Goal**: ${p.goal ?? 'To be planned'}`,
    `**Depends on**: ${dependsText(p.dependsOn)}`,
    '**Requirements**: TBD',
    '**Success Criteria** (what must be TRUE):',
    '  1. TBD',
    '**Plans**: TBD',
  ];
  if (rule) lines.push('', '---');
  return lines.join('\n');
}

const NAME_COLUMN = /^(?:name|title|名称|이름|nome|phase name)$/i;
const GOAL_COLUMN = /^(?:goal|目标|목표|objetivo|ziel|description|beschreibung|descrição|focus|theme|scope|summary)$/i;
const PHASE_COLUMN = /^(?:phase|phases|fase|阶段|단계|phase (?:#|no\.?|id))$/i;

function plainHeader(s: string): string {
  return s.replace(/[*_`]/g, '').replace(/\s+/g, ' ').trim();
}

/** The phase cell in the style of `sample` (`3. Name`, `Phase 3: Name`, `**3**`, `3`). */
function phaseCell(sampleRaw: string | null, id: string, name: string): string {
  if (sampleRaw === null) return `${id}. ${escapeCell(name)}`;
  const m = /\d{1,6}[A-Za-z]?(?:\.\d{1,6})*/.exec(sampleRaw);
  if (!m) return `${id}. ${escapeCell(name)}`;
  const prefix = sampleRaw.slice(0, m.index);
  const after = sampleRaw.slice(m.index + m[0].length);
  const close = /(\*\*|__)\s*$/.exec(after)?.[1] ?? '';
  const core = close ? after.slice(0, after.length - close.length - (after.length - after.trimEnd().length)) : after;
  if (core.replace(/[\s.:)]/g, '') === '') return `${prefix}${id}${core}${close}`;
  let sep = /^[\s.:)—–-]*/.exec(core)![0];
  if (sep.trim() === '.' && id.includes('.')) sep = ' ';
  if (sep === '') sep = ' ';
  return `${prefix}${id}${sep}${escapeCell(name)}${close}`;
}

function tableRowText(doc: MarkdownDocument, table: ProgressTable, block: Table, anchor: ProgressRow | null, p: NewPhase, milestoneCell: string | null): string {
  const text = doc.text;
  const cols = table.columns;
  const cells = block.header.cells.map((h, i): string => {
    if (i === cols.phase) return phaseCell(anchor ? text.slice(anchor.cells[i]?.span.start ?? 0, anchor.cells[i]?.span.end ?? 0) : null, p.id, p.name);
    if (i === cols.milestone) return milestoneCell ? escapeCell(milestoneCell) : '-';
    if (i === cols.plans) return '0/0';
    if (i === cols.status) return 'Not started';
    if (i === cols.completed) return '-';
    if (i === cols.percent) return '0%';
    const head = plainHeader(h.text);
    if (NAME_COLUMN.test(head)) return escapeCell(p.name);
    if (GOAL_COLUMN.test(head)) return escapeCell(p.goal ?? p.name);
    return '-';
  });
  // A space-padded table (every cell as wide as its header cell) stays aligned.
  const sample = anchor ? text.slice(lineStart(text, anchor.span.start), lineEnd(text, anchor.span.start)) : null;
  const headerLine = text.slice(lineStart(text, block.header.span.start), lineEnd(text, block.header.span.start));
  const segments = (line: string) => line.trim().replace(/^\||\|$/g, '').split(/(?<!\\)\|/);
  const widths = segments(headerLine).map((s) => s.length);
  const padded = sample !== null && sample.length === headerLine.length && segments(sample).every((s, i) => s.length === widths[i]);
  const leading = (sample ?? headerLine).trimStart().startsWith('|');
  const indent = /^[ \t]*/.exec(sample ?? headerLine)![0];
  const body = cells.map((c, i) => {
    const w = widths[i] ?? 0;
    return padded && c.length + 2 <= w ? ` ${c}${' '.repeat(w - c.length - 1)}` : ` ${c} `;
  });
  return leading ? `${indent}|${body.join('|')}|` : indent + body.join('|').trim();
}

/** The entry with the greatest id below `id` among `phases` (backlog anchors only for backlog phases). */
function anchorBelow<T>(phases: RoadmapPhase[], id: string, spot: (p: RoadmapPhase) => T | null): { phase: RoadmapPhase; at: T } | null {
  let best: { phase: RoadmapPhase; at: T } | null = null;
  const backlog = isBacklogPhase(id);
  for (const p of phases) {
    if (p.key !== p.id || (!backlog && isBacklogPhase(p.id)) || comparePhaseIds(p.id, id) >= 0) continue;
    const at = spot(p);
    if (at === null) continue;
    if (!best || comparePhaseIds(p.id, best.phase.id) > 0) best = { phase: p, at };
  }
  return best;
}

export interface NewPhaseEdits {
  edits: Edit[];
  /** Notes for the person (an entry that could not be placed as expected). */
  notes: string[];
}

/**
 * Edits that declare a new phase in the roadmap: a line in the phase list (when the roadmap has
 * one), a details block, and a progress-table row (when it has a table). A roadmap with no phase
 * at all gets the canonical sections.
 */
export function newPhaseEdits(doc: MarkdownDocument, record: RoadmapRecord, p: NewPhase): NewPhaseEdits {
  const text = doc.text;
  const eol = doc.eol;
  const spots = locatePhases(doc, record);
  const edits: Edit[] = [];
  const notes: string[] = [];
  const phases = record.phases.filter((x) => x.key === x.id);
  if (phases.length === 0) return { edits: [canonicalSections(doc, record, p)], notes };

  // ---- the phase list ----
  const listed = phases.filter((x) => spots.get(x.key)?.item);
  if (listed.length) {
    const candidates = listed.filter(p.neighbours);
    const anchor = anchorBelow(candidates, p.id, (x) => spots.get(x.key)?.item ?? null);
    const sampleItem = anchor?.at ?? spots.get(listed[listed.length - 1]!.key)!.item!;
    const line = listLine(text, sampleItem, p);
    if (anchor) {
      const loose = spots.get(anchor.phase.key)!.loose;
      const at = lineEnd(text, Math.max(anchor.at.span.start, anchor.at.span.end - 1));
      edits.push({ offset: at, length: 0, text: withEol((loose ? '\n\n' : '\n') + line, eol) });
    } else {
      const bare = line.replace(/^[ \t]+/, '');
      const own = p.milestone ? p.milestone.declarations.find((d) => d.kind === 'heading' || d.kind === 'details') : undefined;
      if (own && (own.kind === 'heading' || own.kind === 'details')) {
        edits.push(blockInsertion(text, blockTail(text, { kind: own.kind, span: own.span }), bare, eol));
      } else {
        const open = listed.filter((x) => !isBacklogPhase(x.id));
        const lastPhase = (open.length ? open : listed).reduce((a, b) => (comparePhaseIds(a.id, b.id) >= 0 ? a : b));
        const lastItem = spots.get(lastPhase.key)!.item!;
        const enclosing = enclosingBlock(record, lastItem.span.start);
        const at = enclosing ? afterBlock(text, enclosing) : afterLine(text, lastItem.span.end - 1);
        if (p.milestone && (!enclosing || enclosing.m !== p.milestone)) {
          const depth = enclosing?.kind === 'heading' ? (headingDepthAt(doc, enclosing.span.start) ?? 3) : 3;
          const m = p.milestone;
          const title = `${'#'.repeat(depth)} 🚧 ${m.id ? `${m.id} ` : ''}${m.id && m.name === m.id ? '' : m.name}`.trimEnd();
          edits.push(blockInsertion(text, at, `${title}\n\n${bare}`, eol));
        } else {
          edits.push(blockInsertion(text, at, bare, eol));
        }
      }
    }
  }

  // ---- the details block ----
  const headed = phases.filter((x) => spots.get(x.key)?.details);
  const word = 'Phase';
  if (headed.length) {
    const candidates = headed.filter(p.neighbours);
    const anchor = anchorBelow(candidates, p.id, (x) => spots.get(x.key)?.details ?? null);
    if (anchor) {
      edits.push(blockInsertion(text, anchor.at.span.end, detailsText(anchor.at.heading.depth, word, p, anchor.at.rule), eol));
    } else {
      const own = p.milestone?.declarations.find((d) => d.kind === 'heading' || d.kind === 'details');
      const sample = spots.get(headed[headed.length - 1]!.key)!.details!;
      if (own && (own.kind === 'heading' || own.kind === 'details')) {
        // The milestone has its own block but none of its phases has details yet: they go inside it.
        const depth = own.kind === 'heading' ? Math.min(6, (headingDepthAt(doc, own.span.start) ?? 2) + 1) : sample.heading.depth;
        edits.push(blockInsertion(text, blockTail(text, { kind: own.kind, span: own.span }), detailsText(depth, word, p, sample.rule), eol));
      } else {
        const below = anchorBelow(headed, p.id, (x) => spots.get(x.key)?.details ?? null)?.at ?? null;
        const first = headed.reduce((a, b) => (comparePhaseIds(a.id, b.id) <= 0 ? a : b));
        const like = below ?? spots.get(first.key)!.details!;
        let at = below ? below.span.end : like.span.start;
        const enclosing = at > 0 ? enclosingBlock(record, at - 1) : null;
        if (enclosing && enclosing.kind === 'details' && enclosing.m !== p.milestone) at = afterBlock(text, enclosing);
        edits.push(blockInsertion(text, at, detailsText(like.heading.depth, word, p, like.rule), eol));
      }
    }
  } else {
    edits.push(detailsSection(doc, record, p));
  }

  // ---- the progress table ----
  const table = record.progressTable;
  const block = table ? findTableBlock(doc, table.span) : null;
  if (table && block) {
    let best: ProgressRow | null = null;
    const backlog = isBacklogPhase(p.id);
    for (const row of table.rows) {
      if (!row.phaseId || (!backlog && isBacklogPhase(row.phaseId)) || comparePhaseIds(row.phaseId, p.id) >= 0) continue;
      if (!best || comparePhaseIds(row.phaseId, best.phaseId!) > 0) best = row;
    }
    const sample = best ?? table.rows.find((r) => r.phaseId !== null) ?? null;
    const milestoneCell = p.milestone ? milestoneKey(p.milestone) : null;
    const row = tableRowText(doc, table, block, sample, p, milestoneCell);
    const at = best ? lineEnd(text, best.span.start) : lineEnd(text, afterLine(text, block.header.span.start));
    edits.push({ offset: at, length: 0, text: eol + row });
  }
  if (p.milestone && !p.inserted) edits.push(...rangeEdits(doc, record, p.milestone, p.id));
  return { edits: combineInsertions(edits), notes };
}

const RANGE = /\bPhases?[ \t]+(\d{1,6}[A-Za-z]?(?:\.\d{1,6})*)[ \t]*(?:-|–|—|to|through)[ \t]*(\d{1,6}[A-Za-z]?(?:\.\d{1,6})*)/i;

/** A milestone declared with "Phases 12-15" holds a phase added after 15 once the range says so. */
function rangeEdits(doc: MarkdownDocument, record: RoadmapRecord, m: RoadmapMilestone, id: string): Edit[] {
  const range = m.phaseRange;
  if (!range || comparePhaseIds(id, range.to) <= 0) return [];
  // Never stretch a range over another milestone's phases.
  const between = record.phases.filter((x) => comparePhaseIds(x.id, range.to) > 0 && comparePhaseIds(x.id, id) < 0);
  if (between.some((x) => !inMilestone(x, m))) return [];
  const text = doc.text;
  const out: Edit[] = [];
  for (const d of m.declarations) {
    let start = d.span.start;
    if (d.kind === 'details') {
      const k = text.slice(start, Math.min(d.span.end, start + 400)).toLowerCase().indexOf('<summary');
      if (k < 0) continue;
      start += k;
    }
    const end = lineEnd(text, start);
    const r = RANGE.exec(text.slice(start, end));
    if (!r || normalizePhaseId(r[2]!) !== range.to) continue;
    const at = start + r.index + r[0].length - r[2]!.length;
    out.push({ offset: at, length: r[2]!.length, text: formatLike(r[2]!, id, false) });
  }
  return out;
}

/** Insertions at one offset become one edit, in the order given, without doubling the blank line between them. */
function combineInsertions(edits: Edit[]): Edit[] {
  const out: Edit[] = [];
  const byOffset = new Map<number, Edit>();
  for (const e of edits) {
    const prev = e.length === 0 ? byOffset.get(e.offset) : undefined;
    if (!prev) {
      const copy = { ...e };
      out.push(copy);
      if (e.length === 0) byOffset.set(e.offset, copy);
      continue;
    }
    const blank = /(?:\r?\n){2}$/.test(prev.text);
    prev.text += blank ? e.text.replace(/^(?:\r?\n)+/, '') : e.text;
  }
  return out;
}

/** `## Phase Details` for a roadmap whose phases have no details blocks: before the progress section, else at the end. */
function detailsSection(doc: MarkdownDocument, record: RoadmapRecord, p: NewPhase): Edit {
  const text = doc.text;
  const existing = doc.allSections().find((s) => /^phase details$/i.test(s.title.trim()));
  if (existing) return blockInsertion(text, existing.span.end, detailsText(existing.depth + 1, 'Phase', p, false), doc.eol);
  const at = progressSectionStart(doc, record) ?? text.length;
  return blockInsertion(text, at, `## Phase Details\n\n${detailsText(3, 'Phase', p, false)}`, doc.eol);
}

function progressSectionStart(doc: MarkdownDocument, record: RoadmapRecord): number | null {
  const table = record.progressTable;
  if (!table) return null;
  let start: number | null = null;
  for (const s of doc.allSections()) {
    if (s.span.start <= table.span.start && table.span.start < s.span.end && s.depth <= 2) start = s.span.start;
  }
  return start;
}

/** A roadmap without phases gets the canonical phase list, details and progress table (appended to existing sections when present). */
function canonicalSections(doc: MarkdownDocument, record: RoadmapRecord, p: NewPhase): Edit {
  void record;
  const text = doc.text;
  const q: NewPhase = { ...p, milestone: null };
  const list = listLine('', null, q);
  const details = detailsText(3, 'Phase', q, false);
  const row = `| ${p.id}. ${escapeCell(p.name)} | 0/0 | Not started | - |`;
  const block = [
    '## Phases',
    '',
    list,
    '',
    '## Phase Details',
    '',
    details,
    '',
    '## Progress',
    '',
    '| Phase | Plans Complete | Status | Completed |',
    '|-------|----------------|--------|-----------|',
    row,
  ].join('\n');
  return blockInsertion(text, text.length, block, doc.eol);
}

/** The text of a new ROADMAP.md holding one phase. */
export function newRoadmapText(p: NewPhase): string {
  const doc = parseMarkdown('# Roadmap\n');
  return applyEdits(doc.text, [canonicalSections(doc, { title: 'Roadmap', milestones: [], phases: [], progressTable: null, progressTables: [] }, p)]);
}

// ---- removal and renumbering ----------------------------------------------------------------

/** Spans (whole lines) that declare phase `key`: its list line, its details block, its progress rows. */
export function phaseEntrySpans(doc: MarkdownDocument, spots: PhaseSpots): Span[] {
  const text = doc.text;
  const out: Span[] = [];
  if (spots.item) out.push(wholeLines(text, spots.item.span));
  if (spots.details) out.push(spots.details.span);
  for (const r of spots.rows) out.push(wholeLines(text, r.row.span));
  return mergeSpans(out);
}

function mergeSpans(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

export interface Renumbering {
  /** Old canonical id → new canonical id, for every phase that moves. */
  map: ReadonlyMap<string, string>;
  /** The removed phase: its id and its own dependencies (canonical), substituted where others depended on it. */
  removed: { id: string; dependsOn: string[] };
  /** Every phase id before the change, for range ends that named the removed phase. */
  ids: readonly string[];
  /** Phase directories renamed: old name → new name (references to them are rewritten too). */
  dirs: ReadonlyMap<string, string>;
}

/** `04` stays padded, `4` stays bare; file-like contexts (`04-01`, dir names) pad to two digits. */
export function formatLike(raw: string, id: string, file: boolean): string {
  const int = /^\d+/.exec(raw)?.[0] ?? '';
  const padded = (int.length >= 2 && int[0] === '0') || (file && int.length >= 2);
  return padded ? padPhaseId(id) : id;
}

interface Token {
  start: number;
  end: number;
  raw: string;
  id: string;
  role: 'single' | 'from' | 'to';
  /** Start of the "Phase" word written right before the token, when there is one. */
  wordStart: number | null;
}

const ID_SRC = String.raw`\d{1,6}[A-Za-z]?(?:\.\d{1,6})*`;
const WORD_REF = new RegExp(String.raw`(?<![\p{L}\p{N}_])(?:Phases?|Fases?|阶段|단계)[ \t]*(${ID_SRC})(?![\d.]*\d)(?![\p{L}])`, 'giu');
const LIST_SEP = String.raw`[ \t]*(?:,|、|&|\+|;|\band\b|\bor\b|\be\b|\bund\b|\by\b|\bet\b|和)[ \t]*`;
const RANGE_SEP = String.raw`[ \t]*(?:-|–|—|\bto\b|\bthrough\b|\bbis\b|\baté\b|~)[ \t]*`;
const CONTINUATION = new RegExp(
  String.raw`(${LIST_SEP}|${RANGE_SEP})((?:Phases?|Fases?|阶段|단계)[ \t]*)?(${ID_SRC})(?![\d.]*\d)(?![\p{L}])(?![ \t]*(?:plans?\b|min|minutes?\b|hours?\b|h\b|%|\/))`,
  'iuy',
);

/** Every phase-word reference with its continuations (`Phases 5-8`, `Phase 1, 2 and 3`). */
function wordTokens(text: string, from: number, to: number): Token[] {
  const out: Token[] = [];
  WORD_REF.lastIndex = from;
  for (let m = WORD_REF.exec(text); m && m.index < to; m = WORD_REF.exec(text)) {
    const raw = m[1]!;
    const start = m.index + m[0].length - raw.length;
    const first: Token = { start, end: start + raw.length, raw, id: normalizePhaseId(raw)!, role: 'single', wordStart: m.index };
    out.push(first);
    let prev = first;
    let pos = first.end;
    for (;;) {
      CONTINUATION.lastIndex = pos;
      const c = CONTINUATION.exec(text);
      if (!c || c.index + c[0].length > to) break;
      const sep = c[1]!;
      const word = c[2] ?? '';
      const craw = c[3]!;
      const isRange = new RegExp(`^${RANGE_SEP}$`, 'iu').test(sep);
      // `Phase 04-01` names plan 01 of phase 4, not the range 4–1.
      if (isRange && sep === '-' && /^0\d/.test(prev.raw) && /^\d{2,}$/.test(craw)) break;
      const id = normalizePhaseId(craw);
      if (!id) break;
      if (isRange && (prev.role !== 'single' || comparePhaseIds(id, prev.id) <= 0)) break;
      const cstart = c.index + c[0].length - craw.length;
      const tok: Token = { start: cstart, end: cstart + craw.length, raw: craw, id, role: 'single', wordStart: word ? c.index + sep.length : null };
      if (isRange) {
        prev.role = 'from';
        tok.role = 'to';
      }
      out.push(tok);
      prev = tok;
      pos = tok.end;
    }
    WORD_REF.lastIndex = Math.max(pos, m.index + m[0].length);
  }
  return out;
}

const LEADING_ID = new RegExp(`^${ID_SRC}`);
const DIR_PREFIX = new RegExp(`^(?:[A-Z]{1,6}-)?${ID_SRC}-`);
const DIR_START = new RegExp(String.raw`(?<![\w.\-])(?:[A-Z]{1,6}-)?${ID_SRC}-`, 'g');
const ARROW_CHAIN = new RegExp(String.raw`(?<![\w.\-])${ID_SRC}(?:[ \t]*(?:→|->|⟶)[ \t]*${ID_SRC}(?![\w]))+`, 'g');
const BARE_ID = new RegExp(String.raw`(?<![\w.\-])(${ID_SRC})(?![\d.]*\d)(?![\w])`, 'g');

/** Code fences and HTML comments: references inside them are left as written. */
function frozenSpans(doc: MarkdownDocument): Span[] {
  const out: Span[] = [];
  for (const b of doc.blocks) {
    if (b.kind === 'code') out.push(b.span);
    else if (b.kind === 'html' && b.value.trimStart().startsWith('<!--')) out.push(b.span);
  }
  return out;
}

/** `spans` sorted by start and not overlapping (binary search: a roadmap may hold thousands). */
function inside(spans: Span[], offset: number): boolean {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = spans[mid]!;
    if (offset < s.start) hi = mid - 1;
    else if (offset >= s.end) lo = mid + 1;
    else return true;
  }
  return false;
}

export interface RenumberResult {
  edits: Edit[];
  /** Lines that still mention the removed phase outside its own entries ("line 12: …"). */
  mentions: string[];
}

/**
 * Renumbers every reference in a roadmap-like text in one pass (the full old → new map is known
 * before any edit, so a phase is never renumbered twice): phase-word references and their ranges,
 * "Depends on" values (the removed phase replaced by its own dependencies), progress-table phase
 * cells, plan ids at the start of plan lines, plan file names, and phase directory names.
 * `skip` are the spans being deleted.
 */
export function renumberEdits(doc: MarkdownDocument, record: RoadmapRecord | null, r: Renumbering, skip: Span[]): RenumberResult {
  const text = doc.text;
  const frozen = frozenSpans(doc);
  const skipSorted = mergeSpans(skip);
  const blocked = (o: number) => inside(skipSorted, o) || inside(frozen, o);
  const edits = new Map<number, Edit>();
  const put = (e: Edit) => {
    if (!blocked(e.offset) && !edits.has(e.offset)) edits.set(e.offset, e);
  };
  const mentions = new Set<number>();
  const removed = r.removed.id;
  const sortedIds = [...r.ids].sort(comparePhaseIds);
  const predecessor = (id: string) => {
    const i = sortedIds.indexOf(id);
    for (let k = i - 1; k >= 0; k--) if (sortedIds[k] !== removed) return sortedIds[k]!;
    return null;
  };
  const mapped = (id: string) => r.map.get(id) ?? id;

  // "Depends on" values: handled as a whole so that a dependency on the removed phase becomes its dependencies.
  const dependsRanges: Span[] = [];
  forEachLine(text, (start, end) => {
    if (blocked(start)) return;
    const line = text.slice(start, end);
    if (!line.includes(':') && !line.includes('：')) return;
    const label = parseLabelLine(line);
    if (!label || label.field !== 'depends') return;
    const vStart = start + label.valueIndex;
    dependsRanges.push({ start: vStart, end });
    dependsEdits(text, vStart, end, r, sortedIds, mapped, put);
  });
  const inDepends = (o: number) => inside(dependsRanges, o);

  for (const t of wordTokens(text, 0, text.length)) {
    if (blocked(t.start) || inDepends(t.start)) continue;
    if (t.id === removed) {
      if (t.role === 'to') {
        const pred = predecessor(removed);
        if (pred !== null) put({ offset: t.start, length: t.end - t.start, text: formatLike(t.raw, mapped(pred), false) });
      } else if (t.role === 'single') mentions.add(doc.position(t.start).line);
      continue;
    }
    const next = r.map.get(t.id);
    if (next !== undefined) put({ offset: t.start, length: t.end - t.start, text: formatLike(t.raw, next, false) });
  }

  // Progress tables: the phase cell's leading id (`| 4. Name |`, `| **4** |`).
  for (const table of record?.progressTables ?? []) {
    for (const row of table.rows) {
      const cell = row.cells[table.columns.phase];
      if (!cell || !row.phaseId) continue;
      const raw = text.slice(cell.span.start, cell.span.end);
      const m = /^(?:\*\*|__)?[ \t]*(?:(?:Phase|Fase)[ \t]+)?(\d{1,6}[A-Za-z]?(?:\.\d{1,6})*)/i.exec(raw);
      if (!m) continue;
      const at = cell.span.start + m[0].length - m[1]!.length;
      const next = r.map.get(normalizePhaseId(m[1]!) ?? '');
      if (next !== undefined) put({ offset: at, length: m[1]!.length, text: formatLike(m[1]!, next, false) });
    }
  }

  // Plan ids at the start of list items (`- [ ] 04-01: …`, `- [x] **04-02**`).
  const visit = (items: ListItem[]) => {
    for (const item of items) {
      const first = text.slice(item.textSpan.start, item.textSpan.end);
      const id = planRefId(first);
      if (id !== null) {
        const lead = /^[\s*_`[]*/.exec(first)![0].length;
        planToken(text, item.textSpan.start + lead, r, put, mentions, doc, blocked);
      }
      visit(item.children);
    }
  };
  for (const b of doc.blocks) if (b.kind === 'list') visit(b.items);

  // Plan and phase file names (`04-01-PLAN.md`, `04-CONTEXT.md`).
  const FILE = new RegExp(String.raw`(?<![\w.\-])(${ID_SRC})-[\w.\-]*?\.md\b`, 'g');
  for (const m of text.matchAll(FILE)) planToken(text, m.index, r, put, mentions, doc, blocked);

  // Execution order chains (`1 → 2 → 2.1 → 3`): the removed phase leaves the chain.
  for (const m of text.matchAll(ARROW_CHAIN)) {
    if (blocked(m.index)) continue;
    const ids = [...m[0].matchAll(new RegExp(ID_SRC, 'g'))];
    ids.forEach((t, k) => {
      const at = m.index + t.index;
      const raw = t[0];
      const id = normalizePhaseId(raw);
      if (!id) return;
      if (id === removed) {
        const next = ids[k + 1];
        const prev = ids[k - 1];
        if (next) put({ offset: at, length: next.index - t.index, text: '' });
        else if (prev) put({ offset: m.index + prev.index + prev[0].length, length: t.index + raw.length - prev.index - prev[0].length, text: '' });
        return;
      }
      const to = r.map.get(id);
      if (to !== undefined) put({ offset: at, length: raw.length, text: formatLike(raw, to, false) });
    });
  }

  // Phase directory names, exactly as they were.
  // One scan for `<id>-` starts, then only the folder names with that prefix are compared.
  if (r.dirs.size) {
    const byPrefix = new Map<string, [string, string][]>();
    for (const [from, to] of r.dirs) {
      const m = DIR_PREFIX.exec(from);
      if (!m) continue;
      const list = byPrefix.get(m[0]) ?? [];
      list.push([from, to]);
      byPrefix.set(m[0], list);
    }
    for (const m of text.matchAll(DIR_START)) {
      const i = m.index;
      for (const [from, to] of byPrefix.get(m[0]) ?? []) {
        if (!text.startsWith(from, i) || /[\w\-]/.test(text[i + from.length] ?? '')) continue;
        edits.delete(i);
        if (!blocked(i)) edits.set(i, { offset: i, length: from.length, text: to });
      }
    }
  }

  // Two rules may claim overlapping text (never in the corpus): the earlier edit wins.
  const sorted = [...edits.values()].sort((a, b) => a.offset - b.offset || b.length - a.length);
  const kept: Edit[] = [];
  for (const e of sorted) {
    const last = kept[kept.length - 1];
    if (last && e.offset < last.offset + Math.max(last.length, 1)) continue;
    kept.push(e);
  }
  return { edits: kept, mentions: [...mentions].sort((a, b) => a - b).map((l) => `line ${l}: ${clip(doc.lineText(l))}`) };
}

function clip(s: string): string {
  const t = s.trim();
  return t.length > 90 ? `${t.slice(0, 89)}…` : t;
}

/** The phase part of a plan id or file name at `at` (`04` of `04-01-PLAN.md`). */
function planToken(text: string, at: number, r: Renumbering, put: (e: Edit) => void, mentions: Set<number>, doc: MarkdownDocument, blocked: (o: number) => boolean): void {
  if (blocked(at)) return;
  const m = LEADING_ID.exec(text.slice(at, at + 40));
  if (!m || text[at + m[0].length] !== '-') return;
  const id = normalizePhaseId(m[0]);
  if (!id) return;
  if (id === r.removed.id) {
    mentions.add(doc.position(at).line);
    return;
  }
  const next = r.map.get(id);
  if (next !== undefined) put({ offset: at, length: m[0].length, text: formatLike(m[0], next, true) });
}

function forEachLine(text: string, fn: (start: number, end: number) => void): void {
  let pos = 0;
  while (pos <= text.length) {
    const end = lineEnd(text, pos);
    fn(pos, end);
    if (end >= text.length) break;
    pos = text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
  }
}

/** Renumbers one "Depends on" value; a dependency on the removed phase becomes that phase's own dependencies. */
function dependsEdits(text: string, start: number, end: number, r: Renumbering, sortedIds: string[], mapped: (id: string) => string, put: (e: Edit) => void): void {
  const value = text.slice(start, end);
  // Parenthetical commentary is not a dependency list (`Phase 4 (v1.0 baseline)`).
  const masked = value.replace(/\([^()]*\)/g, (m) => ' '.repeat(m.length));
  let tokens = wordTokens(masked, 0, masked.length);
  if (tokens.length === 0) {
    const bare = masked.trim();
    if (!new RegExp(String.raw`^${ID_SRC}(?:\s*(?:,|;|&|\band\b|-|–|—|\bto\b)\s*${ID_SRC})*$`, 'i').test(bare)) return;
    tokens = [];
    for (const m of masked.matchAll(BARE_ID)) {
      const id = normalizePhaseId(m[1]!);
      if (id) tokens.push({ start: m.index, end: m.index + m[1]!.length, raw: m[1]!, id, role: 'single', wordStart: null });
    }
  }
  tokens.forEach((t, k) => {
    const at = start + t.start;
    if (t.id !== r.removed.id) {
      const next = r.map.get(t.id);
      if (next !== undefined) put({ offset: at, length: t.end - t.start, text: formatLike(t.raw, next, false) });
      return;
    }
    if (t.role === 'to') {
      const i = sortedIds.indexOf(t.id);
      const pred = i > 0 ? sortedIds[i - 1]! : null;
      if (pred) put({ offset: at, length: t.end - t.start, text: formatLike(t.raw, mapped(pred), false) });
      return;
    }
    if (t.role === 'from') return;
    const inherited = r.removed.dependsOn.filter((d) => d !== r.removed.id && !tokens.some((o) => o !== t && o.id === d)).map(mapped);
    if (inherited.length) {
      put({ offset: at, length: t.end - t.start, text: inherited.join(', ') });
      return;
    }
    const prev = tokens[k - 1];
    const next = tokens[k + 1];
    if (!prev && !next) {
      const from = t.wordStart ?? t.start;
      put({ offset: start + from, length: t.end - from, text: 'Nothing' });
    } else if (!prev && next) {
      const from = t.wordStart !== null && next.wordStart !== null ? t.wordStart : t.start;
      const to = next.wordStart ?? next.start;
      put({ offset: start + from, length: to - from, text: '' });
    } else if (prev) {
      put({ offset: start + prev.end, length: t.end - prev.end, text: '' });
    }
  });
}

// ---- checking the result ---------------------------------------------------------------

export interface Reread {
  record: RoadmapRecord;
  diagnostics: Diagnostic[];
}

export function reread(text: string, path: string): Reread {
  return readRoadmap(parseMarkdown(text), path);
}

/** Error diagnostics of `after` that `before` did not have (compared by rule and message). */
export function newErrors(before: Diagnostic[], after: Diagnostic[]): Diagnostic[] {
  const seen = new Set(before.filter((d) => d.severity === 'error').map((d) => `${d.rule}\u0000${d.message}`));
  return after.filter((d) => d.severity === 'error' && !seen.has(`${d.rule}\u0000${d.message}`));
}
