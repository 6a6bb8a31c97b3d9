/**
 * STATE.md as a view of ProjectState. Only the sections Cairn owns are rewritten, by splicing their
 * spans in the original text; every other byte — free sections, the text under the title, the
 * Accumulated Context sub-sections Cairn does not own, unknown frontmatter keys — stays where it was.
 *
 * Layout rules:
 * - A section is found by the reader's classification, whatever its title or language, and is
 *   replaced in place (same heading level) by its canonical heading and body. Of several sections of
 *   one kind, the first is replaced and the others removed (their content was merged on read).
 * - A field section (position, metrics, …) owns its heading and the text before its first
 *   sub-heading; sub-sections stay. A list section (decisions, todos, blockers) also owns its free
 *   sub-headings, because the reader reads their items as its entries.
 * - A missing section is inserted at its canonical place relative to the owned sections present.
 * - Rendering is a fixed point: re-rendering the output with the same ProjectState changes nothing.
 */
import type { ProjectState } from '../../derive/types.ts';
import type { MarkdownDocument } from '../../markdown/index.ts';
import { applyEdits, lineStartOf } from '../../markdown/index.ts';
import type { Edit, Section } from '../../markdown/types.ts';
import { renderFrontmatter } from './render-frontmatter.ts';
import {
  ACCUMULATED_CONTEXT_TITLE,
  DEFAULT_DECISIONS_HOME,
  LIMIT_LEVELS,
  LIST_KINDS,
  OWNED_KINDS,
  OWNED_TITLES,
  sectionBodies,
  type Limits,
  type OwnedKind,
} from './render-sections.ts';
import { utf8Length } from './render-text.ts';
import { classifyTitle } from '../../formats/state/sections.ts';
import { fieldKey } from '../../formats/state/fields.ts';
import type { StateRecord, StateSectionKind } from '../../formats/state/types.ts';

export interface RenderOptions {
  /** Where the decisions beyond the five shown live; default `.planning/events.jsonl (cairn log decisions)`. */
  decisionsHome?: string;
}

export interface RenderResult {
  text: string;
  /** Splices on `doc.text`; empty when the file already shows the state. */
  edits: Edit[];
  /** Lines and UTF-8 bytes of what Cairn wrote (owned sections and frontmatter keys). */
  ownedLines: number;
  ownedBytes: number;
}

export const OWNED_BUDGET = { lines: 100, bytes: 6 * 1024 } as const;
// Kept below the budget: the level is chosen on canonical heading depths, real ones may be deeper.
const TARGET_BYTES = OWNED_BUDGET.bytes - 160;

const TITLE = 'Project State';

type Bodies = Record<OwnedKind, string[]>;

/** Order of units at the top level; the list sections live inside Accumulated Context. */
type TopUnit = 'projectReference' | 'currentPosition' | 'performanceMetrics' | 'accumulated' | 'sessionContinuity';
const TOP_UNITS: readonly TopUnit[] = ['projectReference', 'currentPosition', 'performanceMetrics', 'accumulated', 'sessionContinuity'];

const isListKind = (k: OwnedKind) => LIST_KINDS.includes(k);
const ownedKind = (k: StateSectionKind): OwnedKind | null => ((OWNED_KINDS as readonly string[]).includes(k) ? (k as OwnedKind) : null);

/** A splice being planned: `unit` marks text Cairn wrote (counted against the budget). */
interface Piece {
  offset: number;
  length: number;
  text: string;
  unit: boolean;
  /** Sort key among insertions at one offset. */
  order: number;
}

export function renderState(doc: MarkdownDocument, record: StateRecord, s: ProjectState, opts: RenderOptions = {}): RenderResult {
  const eol = doc.eol;
  const home = opts.decisionsHome ?? DEFAULT_DECISIONS_HOME;
  const { limits, bodies } = chooseLimits(doc, s, home);
  const kept = undrivenSessionLines(doc, record);
  if (kept.length > 0) bodies.sessionContinuity = [...bodies.sessionContinuity, ...kept];
  // The user's lines are theirs, not Cairn's: they do not count against the owned budget.
  const userLines = kept.filter((l) => l.trim() !== '');

  const unitText = (kind: OwnedKind, depth: number): string =>
    [`${'#'.repeat(depth)} ${OWNED_TITLES[kind]}`, '', ...bodies[kind], ''].join(eol) + eol;
  const accumulatedText = (depth: number, kinds: readonly OwnedKind[]): string =>
    `${'#'.repeat(depth)} ${ACCUMULATED_CONTEXT_TITLE}${eol}${eol}` + kinds.map((k) => unitText(k, depth + 1)).join('');
  const topUnitText = (u: TopUnit, depth = 2): string => (u === 'accumulated' ? accumulatedText(depth, LIST_KINDS) : unitText(u, depth));

  const text = doc.text;
  const bodyStart = doc.frontmatter ? doc.frontmatter.span.end : doc.hasBom ? 1 : 0;
  const pieces: Piece[] = [];

  if (text.slice(bodyStart).trim() === '') {
    // An empty file (or frontmatter alone) gets the title and every section.
    const lead = doc.frontmatter ? eol : '';
    pieces.push({
      offset: bodyStart,
      length: text.length - bodyStart,
      text: `${lead}# ${TITLE}${eol}${eol}` + TOP_UNITS.map((u) => topUnitText(u)).join(''),
      unit: true,
      order: 0,
    });
  } else {
    planSections(doc, record, unitText, topUnitText, pieces);
  }

  finishPieces(text, bodyStart, pieces, eol);

  let ownedLines = 0;
  let ownedBytes = 0;
  const edits: Edit[] = [];
  for (const p of pieces) {
    if (p.unit) {
      ownedLines += countLines(p.text);
      ownedBytes += utf8Length(p.text);
    }
    if (text.slice(p.offset, p.offset + p.length) !== p.text) edits.push({ offset: p.offset, length: p.length, text: p.text });
  }
  ownedLines -= userLines.length;
  ownedBytes -= userLines.reduce((a, l) => a + utf8Length(l) + eol.length, 0);
  const fm = doc.frontmatter;
  if (fm) {
    const r = renderFrontmatter(fm.raw, s, eol, limits.field);
    ownedLines += r.ownedLines;
    ownedBytes += r.ownedBytes;
    if (r.content !== fm.raw) edits.push({ offset: fm.contentSpan.start, length: fm.raw.length, text: r.content });
  }
  edits.sort((a, b) => a.offset - b.offset || a.length - b.length);
  return { text: applyEdits(text, edits), edits, ownedLines, ownedBytes };
}

/** Session Continuity lines Cairn renders itself; every other line of that section is the user's. */
const DERIVED_SESSION_KEYS = new Set(['lastSession', 'stoppedAt', 'resumeFile']);
function derivedSessionLine(line: string): boolean {
  const m = /^\s*(?:[-*+]\s+)?(?:\*\*|__)?([^:：*_]{1,40}?)\s*(?:\*\*|__)?\s*[:：]/.exec(line);
  const key = m ? fieldKey(m[1]!) : null;
  return key !== null && DERIVED_SESSION_KEYS.has(key);
}

/**
 * Lines of the Session Continuity section Cairn does not derive (`Next step: …`, notes), as written,
 * in order, so that re-rendering the section keeps them. Leading and trailing blank lines are dropped.
 */
export function undrivenSessionLines(doc: MarkdownDocument, record: StateRecord): string[] {
  const section = record.sections.find((x) => x.kind === 'sessionContinuity');
  if (!section) return [];
  const lines = doc.text.slice(section.span.start, section.span.end).split(/\r\n|\n|\r/).slice(1);
  // Sub-sections (`### Handoff`) are sections of their own and stay where they are.
  const child = lines.findIndex((l) => /^ {0,3}#{1,6}(?:\s|$)/.test(l));
  const kept = (child >= 0 ? lines.slice(0, child) : lines).filter((l) => !derivedSessionLine(l));
  while (kept.length > 0 && kept[0]!.trim() === '') kept.shift();
  while (kept.length > 0 && kept[kept.length - 1]!.trim() === '') kept.pop();
  if (kept.length === 0) return [];
  // A blank line keeps a following paragraph or heading apart from the three derived lines.
  return /^\s*(?:[-*]\s|\w[^:]{0,40}:)/.test(kept[0]!) ? kept : ['', ...kept];
}

/** The loosest clipping limits whose full canonical rendering fits the budget. Depends only on `s` and the frontmatter. */
function chooseLimits(doc: MarkdownDocument, s: ProjectState, home: string): { limits: Limits; bodies: Bodies } {
  let chosen: { limits: Limits; bodies: Bodies } | null = null;
  for (const limits of LIMIT_LEVELS) {
    const bodies = sectionBodies(s, limits, home);
    let lines = 2; // the Accumulated Context heading and its blank line
    let bytes = utf8Length(ACCUMULATED_CONTEXT_TITLE) + 4 + 2 * doc.eol.length;
    for (const kind of OWNED_KINDS) {
      const unit = [`### ${OWNED_TITLES[kind]}`, '', ...bodies[kind], ''];
      lines += unit.length;
      bytes += unit.reduce((a, l) => a + utf8Length(l) + doc.eol.length, 0);
    }
    if (doc.frontmatter) {
      const fm = renderFrontmatter(doc.frontmatter.raw, s, doc.eol, limits.field);
      lines += fm.ownedLines;
      bytes += fm.ownedBytes;
    }
    chosen = { limits, bodies };
    if (bytes <= TARGET_BYTES && lines <= OWNED_BUDGET.lines) break;
  }
  return chosen!;
}

function countLines(text: string): number {
  if (text === '') return 0;
  const breaks = text.match(/\r\n|\n|\r/g)?.length ?? 0;
  return /[\r\n]$/.test(text) ? breaks : breaks + 1;
}

/** The kind of every section, as the reader classified it (by position; titles as a fallback). */
function sectionKinds(doc: MarkdownDocument, record: StateRecord): Map<Section, StateSectionKind> {
  const all = doc.allSections();
  const byStart = new Map<number, StateSectionKind>();
  for (const r of record.sections) byStart.set(r.span.start, r.kind);
  const kinds = new Map<Section, StateSectionKind>();
  for (const sec of all) kinds.set(sec, byStart.get(sec.span.start) ?? (sec.depth === 1 ? 'other' : classifyTitle(sec.title)));
  return kinds;
}

function planSections(
  doc: MarkdownDocument,
  record: StateRecord,
  unitText: (kind: OwnedKind, depth: number) => string,
  topUnitText: (u: TopUnit, depth: number) => string,
  pieces: Piece[],
): void {
  const text = doc.text;
  const all = doc.allSections();
  const kinds = sectionKinds(doc, record);
  const kindOf = (sec: Section) => kinds.get(sec) ?? 'other';
  const parent = new Map<Section, Section>();
  for (const sec of all) for (const c of sec.children) parent.set(c, sec);
  const start = (sec: Section) => lineStartOf(text, sec.heading.span.start);
  const top = (sec: Section): Section => {
    let t = sec;
    for (let p = parent.get(t); p && p.depth >= 2; p = parent.get(t)) t = p;
    return t;
  };

  const primaries = new Map<OwnedKind, Section>();
  const accumulated = all.find((sec) => kindOf(sec) === 'accumulatedContext') ?? null;

  for (const sec of all) {
    const kind = ownedKind(kindOf(sec));
    if (!kind) continue;
    const ranges = ownedRanges(sec, kind, kindOf, start);
    const first = primaries.has(kind) ? null : ranges.shift()!;
    if (first) {
      primaries.set(kind, sec);
      pieces.push({ offset: first[0], length: first[1] - first[0], text: unitText(kind, sec.depth), unit: true, order: 0 });
    }
    for (const [a, b] of ranges) pieces.push({ offset: a, length: b - a, text: '', unit: false, order: 0 });
  }

  const insert = (offset: number, order: number, t: string) => pieces.push({ offset, length: 0, text: t, unit: true, order });

  // Top-level units -------------------------------------------------------------------------------
  const anchor = (u: TopUnit): { start: number; end: number; depth: number } | null => {
    const secs: Section[] = [];
    if (u === 'accumulated') {
      if (accumulated) secs.push(accumulated);
      else for (const k of LIST_KINDS) if (primaries.has(k)) secs.push(primaries.get(k)!);
    } else if (primaries.has(u)) secs.push(primaries.get(u)!);
    if (secs.length === 0) return null;
    const tops = secs.map(top);
    return { start: Math.min(...tops.map(start)), end: Math.max(...tops.map((t) => t.span.end)), depth: Math.min(...tops.map((t) => t.depth)) };
  };
  const anchors = TOP_UNITS.map(anchor);
  const fallback = (() => {
    const first = all.find((sec) => sec.depth >= 2);
    return first ? start(first) : text.length;
  })();
  // A missing unit goes after the nearest unit before it, else before the nearest after it, at that unit's level.
  TOP_UNITS.forEach((u, i) => {
    if (anchors[i]) return;
    let at: { offset: number; depth: number } | null = null;
    for (let j = i - 1; j >= 0 && !at; j--) at = anchors[j] ? { offset: anchors[j]!.end, depth: anchors[j]!.depth } : null;
    for (let j = i + 1; j < TOP_UNITS.length && !at; j++) at = anchors[j] ? { offset: anchors[j]!.start, depth: anchors[j]!.depth } : null;
    insert(at?.offset ?? fallback, i, topUnitText(u, Math.min(at?.depth ?? 2, 5)));
  });

  // List sections inside an existing Accumulated Context (or beside their list siblings) -----------
  if (!anchors[TOP_UNITS.indexOf('accumulated')]) return;
  LIST_KINDS.forEach((k, i) => {
    if (primaries.has(k)) return;
    const order = TOP_UNITS.indexOf('accumulated') + (i + 1) / 10;
    for (let j = i - 1; j >= 0; j--) {
      const pred = primaries.get(LIST_KINDS[j]!);
      if (pred) return insert(pred.span.end, order, unitText(k, pred.depth));
    }
    for (let j = i + 1; j < LIST_KINDS.length; j++) {
      const succ = primaries.get(LIST_KINDS[j]!);
      if (succ) return insert(start(succ), order, unitText(k, succ.depth));
    }
    const ac = accumulated!;
    const at = ac.children[0] ? start(ac.children[0]) : ac.span.end;
    insert(at, order, unitText(k, ac.depth + 1));
  });
}

/**
 * The spans a section owns. A field section: heading to its first sub-heading. A list section: its
 * whole span except sub-sections of other classified kinds (read, and rendered, on their own).
 */
function ownedRanges(
  sec: Section,
  kind: OwnedKind,
  kindOf: (s: Section) => StateSectionKind,
  start: (s: Section) => number,
): [number, number][] {
  const from = start(sec);
  if (!isListKind(kind)) return [[from, sec.children[0] ? start(sec.children[0]) : sec.span.end]];
  const kept: [number, number][] = [];
  const walk = (s: Section) => {
    for (const c of s.children) {
      if (kindOf(c) === 'other') walk(c);
      else kept.push([start(c), c.span.end]);
    }
  };
  walk(sec);
  const out: [number, number][] = [];
  let pos = from;
  for (const [a, b] of kept) {
    if (a > pos) out.push([pos, a]);
    pos = Math.max(pos, b);
  }
  if (sec.span.end > pos) out.push([pos, sec.span.end]);
  return out;
}

/**
 * Sorts the pieces, drops the closing blank line of whatever ends the file, and separates text
 * inserted at the end of the file from what was there.
 */
function finishPieces(text: string, bodyStart: number, pieces: Piece[], eol: string): void {
  pieces.sort((a, b) => a.offset - b.offset || a.length - b.length || a.order - b.order);
  // Insertions at one offset become one splice (applyEdits rejects two at the same place).
  for (let i = pieces.length - 1; i > 0; i--) {
    const a = pieces[i - 1]!;
    const b = pieces[i]!;
    if (a.length === 0 && b.length === 0 && a.offset === b.offset) {
      a.text += b.text;
      a.unit = a.unit || b.unit;
      pieces.splice(i, 1);
    }
  }
  let end = text.length;
  for (let i = pieces.length - 1; i >= 0; i--) {
    const p = pieces[i]!;
    if (p.offset + p.length !== end) break;
    if (p.text === '') {
      end = p.offset;
      continue;
    }
    if (p.text.endsWith(eol + eol)) p.text = p.text.slice(0, -eol.length);
    break;
  }
  // What precedes an insertion at the very end must close with a blank line.
  let tail = '';
  let pos = 0;
  for (const p of pieces) {
    if (p.offset > pos) tail = (tail + text.slice(Math.max(pos, p.offset - 4), p.offset)).slice(-4);
    if (p.offset === text.length && p.length === 0 && p.text !== '' && p.offset > bodyStart) {
      const sep = tail === '' || /(?:\r\n|\n|\r)[ \t]*(?:\r\n|\n|\r)$/.test(tail) ? '' : /[\r\n]$/.test(tail) ? eol : eol + eol;
      p.text = sep + p.text;
    }
    if (p.text !== '') tail = (tail + p.text).slice(-4);
    pos = p.offset + p.length;
  }
}
