/**
 * Entries of the list-like sections (decisions, todos, blockers). One structural rule for all:
 * an entry is a top-level list item or a table body row; nested items are details of their
 * parent; other paragraphs are not entries — a bold label paragraph (`**Active (…):**`) or a
 * one-line paragraph ending in a colon names the group of what follows, and "None yet." says
 * there is nothing.
 */
import type { Block, ListItem, Section, Span, Table, TableRow } from '../../markdown/types.ts';
import { isNone, labelOf, stripEmphasis } from './text.ts';
import type { StateBlocker, StateDecision, StateTodo } from './types.ts';

export type Entry =
  | { kind: 'item'; item: ListItem; group: string | null }
  | { kind: 'row'; table: Table; row: TableRow; group: string | null };

export interface EntryScan {
  entries: Entry[];
  /** Paragraph lines that are neither labels nor "None" (pointers, closing remarks). */
  prose: { text: string; line: number; span: Span }[];
}

/**
 * Walks the blocks of `sections` (with descendants that `skip` does not claim): sub-headings and
 * label paragraphs become groups; "None" items and rows are dropped.
 */
export function scanEntries(sections: Section[], skip: (s: Section) => boolean, groupOf: (s: Section) => string | null = () => null): EntryScan {
  const entries: Entry[] = [];
  const prose: EntryScan['prose'] = [];
  const visit = (section: Section, group: string | null) => {
    let g = group;
    for (const block of section.blocks) g = scanBlock(block, g, entries, prose);
    for (const child of section.children) if (!skip(child)) visit(child, stripEmphasis(child.title));
  };
  for (const s of sections) visit(s, groupOf(s));
  return { entries, prose };
}

function scanBlock(block: Block, group: string | null, entries: Entry[], prose: EntryScan['prose']): string | null {
  if (block.kind === 'paragraph') {
    const lines = block.lines;
    if (lines.length === 0) return group;
    // The last line may label what follows (`Recent decisions affecting current work:`).
    const label = labelOf(lines[lines.length - 1]!.text);
    const body = label === null ? lines : lines.slice(0, -1);
    for (const l of body) {
      const t = l.text.trim();
      if (t === '' || isNone(t)) continue;
      prose.push({ text: t, line: l.line, span: l.span });
    }
    return label ?? group;
  }
  if (block.kind === 'list') {
    for (const item of block.items) if (!isNone(item.text)) entries.push({ kind: 'item', item, group });
    return group;
  }
  if (block.kind === 'table') {
    for (const row of block.rows) {
      if (row.cells.every((c) => c.text.trim() === '' || /^[-–—]+$/.test(c.text.trim()))) continue;
      if (row.cells.length === 1 && isNone(row.cells[0]!.text)) continue;
      entries.push({ kind: 'row', table: block, row, group });
    }
    return group;
  }
  return group;
}

function itemText(item: ListItem): string {
  return item.text.replace(/\r/g, '').trim();
}

function rowText(row: TableRow): string {
  return row.cells
    .map((c) => c.text.trim())
    .filter((t) => t !== '')
    .join(' | ');
}

// ---------------------------------------------------------------------------------------------
// Decisions

type DecisionColumn = 'text' | 'choice' | 'rationale' | 'date' | 'id' | 'plan' | 'phase' | null;

function decisionColumn(header: string): DecisionColumn {
  const h = stripEmphasis(header).toLowerCase().trim();
  if (/^(?:decision|decisions|决策|决定|decisão|decisión|entscheidung|décision|what)$/.test(h)) return 'text';
  if (/^(?:choice|chosen|选择|escolha|elección|wahl|choix)$/.test(h)) return 'choice';
  if (/^(?:rationale|reason|reasoning|why|context|理由|原因|razão|justificativa|motivo|razón|begründung|grund|justification)$/.test(h)) return 'rationale';
  if (/^(?:date|日期|时间|data|fecha|datum)$/.test(h)) return 'date';
  if (/^(?:id|#|编号)$/.test(h)) return 'id';
  if (/^(?:plan|计划|plano)$/.test(h)) return 'plan';
  if (/^(?:phase|阶段|fase)$/.test(h)) return 'phase';
  return null;
}

function decisionFromRow(table: Table, row: TableRow, group: string | null, extractDate: (t: string) => string | null): StateDecision {
  const cols = table.header.cells.map((c) => decisionColumn(c.text));
  const get = (c: DecisionColumn) => {
    const i = cols.indexOf(c);
    const v = i < 0 ? '' : (row.cells[i]?.text.trim() ?? '');
    return v === '' ? null : v;
  };
  let text = get('text');
  const choice = get('choice');
  if (text !== null && choice !== null) text = `${text}: ${choice}`;
  if (text === null) {
    // No Decision column: the first cell that is not a known metadata column.
    const i = cols.findIndex((c, k) => (c === null || c === 'choice') && (row.cells[k]?.text.trim() ?? '') !== '');
    text = i >= 0 ? row.cells[i]!.text.trim() : rowText(row);
  }
  const dateCell = get('date');
  return {
    text,
    tag: get('id') ?? get('plan') ?? get('phase'),
    date: dateCell === null ? null : (extractDate(dateCell) ?? dateCell),
    rationale: get('rationale'),
    group,
    line: row.line,
    span: row.span,
  };
}

const BRACKET_TAG = /^\[([^\][\n]{1,80})\]\s*:?\s*/;
// `08-02: text`, `27-01: text`, `v2.0: text` (D3).
const PREFIX_TAG = /^(\d+(?:\.\d+)*-[\w.]+(?:-[\w.]+)*|v\d+(?:\.\d+)*):\s+/;
// `… (01-01)`, `… (04-context)` at the end (D5).
const TRAILING_TAG = /\s*\((\d+(?:\.\d+)*-[\w-]+)\)\s*$/;
// `**key** - text`, `**key**: text`, `**key:** text` (D6).
const BOLD_KEY = /^\*\*([^*\n]{1,120})\*\*\s*[-–—:：]\s*([^]*)$/;
const BOLD_KEY_COLON_INSIDE = /^\*\*([^*\n]{1,120}?)\s*[:：]\*\*\s*([^]*)$/;

function decisionFromItem(item: ListItem, group: string | null): StateDecision {
  const whole = itemText(item);
  let rest = whole;
  let tag: string | null = null;
  for (let m = BRACKET_TAG.exec(rest); m; m = BRACKET_TAG.exec(rest)) {
    tag = m[1]!.trim();
    rest = rest.slice(m[0].length);
  }
  const prefix = tag === null ? PREFIX_TAG.exec(rest) : null;
  if (prefix) {
    tag = prefix[1]!;
    rest = rest.slice(prefix[0].length);
  }
  let text = rest.trim();
  let rationale: string | null = null;
  const bold = BOLD_KEY_COLON_INSIDE.exec(text) ?? BOLD_KEY.exec(text);
  if (bold && bold[2]!.trim() !== '') {
    text = bold[1]!.trim();
    rationale = bold[2]!.trim();
  }
  if (tag === null) {
    const trailing = TRAILING_TAG.exec(rationale ?? text);
    if (trailing) {
      tag = trailing[1]!;
      if (rationale !== null) rationale = rationale.slice(0, trailing.index).trim();
      else text = text.slice(0, trailing.index).trim();
    }
    // "Title: rationale" (D4/D5/D14): split at the first ": " of an untagged single-line entry.
    if (rationale === null && !text.includes('\n')) {
      const c = text.indexOf(': ');
      if (c > 0 && c <= 120 && !text.slice(0, c).includes('`')) {
        rationale = text.slice(c + 2).trim() || null;
        text = text.slice(0, c).trim();
      }
    }
  }
  return { text, tag, date: null, rationale, group, line: item.line, span: item.span };
}

export function readDecisions(scan: EntryScan, extractDate: (t: string) => string | null): StateDecision[] {
  return scan.entries.map((e) => (e.kind === 'row' ? decisionFromRow(e.table, e.row, e.group, extractDate) : decisionFromItem(e.item, e.group)));
}

/** "Decisions are logged in PROJECT.md Key Decisions table." and the like. */
export function readPointer(scan: EntryScan): string | null {
  for (const p of scan.prose) {
    if (/\.md\b|key decisions|decisions (?:are |were )?(?:logged|documented|archived|recorded|tracked)/i.test(p.text)) return p.text;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Todos and blockers

export function readTodos(scan: EntryScan): StateTodo[] {
  const out: StateTodo[] = [];
  for (const e of scan.entries) {
    if (e.kind === 'item') {
      // A checked box is a done todo, not a pending one.
      if (e.item.task === 'x' || e.item.task === 'X') continue;
      out.push({ text: itemText(e.item), line: e.item.line, span: e.item.span });
    } else out.push({ text: rowText(e.row), line: e.row.line, span: e.row.span });
  }
  return out;
}

const RESOLVED_WORD = /\b(?:RESOLVED|FIXED|ADDRESSED|CLOSED|MITIGATED)\b/;
const RESOLVED_LEAD = /^(?:\*\*)?[([]?(?:resolved|fixed|closed|addressed|mitigated|solved|已解决|已修复|resolvido|resuelto|gelöst|erledigt)\b/iu;

export function isResolved(text: string, task: ' ' | 'x' | 'X' | null): boolean {
  if (task === 'x' || task === 'X') return true;
  let t = text.trim();
  for (let m = BRACKET_TAG.exec(t); m; m = BRACKET_TAG.exec(t)) t = t.slice(m[0].length);
  if (t.startsWith('⏳')) return false;
  // `~~Port 4124 UDP missing~~ RESOLVED in 04-01`: the struck text is the blocker.
  if (/^~~[^~]+~~/.test(t)) return true;
  if (/^[✓✔☑]/u.test(t) || t.includes('✅')) return true;
  return RESOLVED_WORD.test(t) || RESOLVED_LEAD.test(t);
}

export function readBlockers(scan: EntryScan): StateBlocker[] {
  return scan.entries.map((e) =>
    e.kind === 'item'
      ? { text: itemText(e.item), resolved: isResolved(e.item.text, e.item.task), group: e.group, line: e.item.line, span: e.item.span }
      : { text: rowText(e.row), resolved: e.row.cells.some((c) => isResolved(c.text, null)), group: e.group, line: e.row.line, span: e.row.span },
  );
}
