/**
 * REQUIREMENTS.md reader (also the archived `milestones/vX.Y-REQUIREMENTS.md`).
 * A requirement is defined by a list item (`- [ ] **AUTH-01**: text`, `- [x] AUTH-01: text`,
 * `- **SYNC-01**: text`), a heading (`## AUTH-10: title`, `### FLOG-01: title`) or a row of a
 * table whose id column holds requirement ids and which has a text column
 * (`| REQ | Feature | Priority | Phase | Status |`). Any table with an id column and a phase
 * column is traceability (`| Requirement | Phase | Status |`).
 */
import type { MarkdownDocument } from '../markdown/index.ts';
import type { ListItem, Table } from '../markdown/types.ts';
import { DiagnosticSink, type Diagnostic } from '../model/diagnostic.ts';

export interface Requirement {
  /** e.g. `AUTH-01`, `BUG-40-01`, `REQ-001`, as written. */
  id: string;
  text: string;
  /** true for `[x]` (or a table status like Complete), false for `[ ]`, null when there is no box or status. */
  checked: boolean | null;
  /** 1-based line. */
  line: number;
  /** Text of the nearest heading above (e.g. `Authentication`), null before the first heading. */
  section: string | null;
}

export interface TraceabilityRow {
  id: string;
  /** Phase cell as written (`Phase 1`, `40`, `Phase 19 + Gap Closure`), null when absent or empty. */
  phase: string | null;
  status: string | null;
  line: number;
}

export interface RequirementsRecord {
  requirements: Requirement[];
  traceability: TraceabilityRow[];
}

const ID = '[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\\d+[a-z]?';
const ID_ONLY = new RegExp(`^(?:\\*\\*|__|\`)?(${ID})(?:\\*\\*|__|\`)?$`);
// `**AUTH-01**: text`, `**AUTH-01:** text`, `AUTH-01: text`, `**AUTH-01** text`, `AUTH-01 — text`.
const ITEM = new RegExp(`^(\\*\\*|__)?(${ID})(?:\\*\\*|__)?[ \\t]*[:：]?[ \\t]*(?:\\*\\*|__)?[ \\t]*(?:[-–—][ \\t]+)?([\\s\\S]*)$`);
const HEADING = new RegExp(`^(${ID})[ \\t]*[:：\\-–—][ \\t]*(.*)$`);

const COL_ID = /^(?:req(?:uirement)?s?(?:[ \t]*-?[ \t]*id)?|id|#|requisito|anforderung|需求)$/i;
const COL_PHASE = /phase|fase|phasen|阶段|단계/i;
const COL_STATUS = /status|estado|état|状态|상태/i;
const COL_SKIP = /phase|fase|status|estado|priority|priorit|prioridad|plan|reason|notes?|owner|category|milestone|wave|effort|阶段|状态/i;
const DONE_STATUS = /^(?:✓|✅|☑|✔)?[ \t]*(?:complete|completed|done|shipped|validated|verified|satisfied)\b/i;

export function readRequirements(doc: MarkdownDocument, file: string): { record: RequirementsRecord; diagnostics: Diagnostic[] } {
  const sink = new DiagnosticSink(file, (o) => doc.position(o));
  const defined: (Requirement & { offset: number })[] = [];
  const fromTables: (Requirement & { offset: number })[] = [];
  const traceability: (TraceabilityRow & { offset: number })[] = [];
  let section: string | null = null;

  const visitItems = (items: ListItem[]) => {
    for (const item of items) {
      const m = ITEM.exec(item.text.trim());
      if (m) {
        defined.push({
          id: m[2]!,
          text: m[3]!.trim(),
          checked: item.task === null ? null : item.task !== ' ',
          line: item.line,
          section,
          offset: item.textSpan.start,
        });
      }
      visitItems(item.children);
    }
  };

  for (const b of doc.blocks) {
    if (b.kind === 'heading') {
      const m = HEADING.exec(stripBold(b.text));
      if (m) defined.push({ id: m[1]!, text: m[2]!.trim(), checked: null, line: b.line, section, offset: b.textSpan.start });
      section = b.text;
    } else if (b.kind === 'list') {
      visitItems(b.items);
    } else if (b.kind === 'table') {
      readTable(b, section, fromTables, traceability);
    }
  }

  const definedIds = new Set(defined.map((r) => r.id));
  const all = [...defined, ...fromTables.filter((r) => !definedIds.has(r.id))].sort((a, b) => a.offset - b.offset);

  const firstLine = new Map<string, number>();
  for (const r of all) {
    const prev = firstLine.get(r.id);
    if (prev === undefined) firstLine.set(r.id, r.line);
    else sink.warn(r.offset, 'requirement-duplicate-id', `requirement id ${r.id} is defined again (first on line ${prev})`, 'Give each requirement its own id.');
  }
  const seenTrace = new Map<string, number>();
  for (const t of traceability) {
    const prev = seenTrace.get(t.id);
    if (prev === undefined) seenTrace.set(t.id, t.line);
    else sink.warn(t.offset, 'traceability-duplicate-id', `traceability lists ${t.id} again (first on line ${prev})`, 'Keep one traceability row per requirement; list several phases in its Phase cell.');
  }
  if (all.length === 0 && traceability.length === 0) {
    sink.warn(null, 'requirements-none-found', 'no requirement ids found (expected items like `- [ ] **AUTH-01**: text`)', 'Write each requirement as `- [ ] **AREA-01**: what the user can do`.');
  }

  const requirements: Requirement[] = all.map(({ offset: _offset, ...r }) => r);
  const rows: TraceabilityRow[] = traceability.map(({ offset: _offset, ...t }) => t);
  return { record: { requirements, traceability: rows }, diagnostics: sink.items };
}

function stripBold(s: string): string {
  return s.replace(/^(\*\*|__)(.*)\1$/, (_m, _d: string, inner: string) => inner).trim();
}

function readTable(table: Table, section: string | null, defs: (Requirement & { offset: number })[], trace: (TraceabilityRow & { offset: number })[]): void {
  const header = table.header.cells.map((c) => c.text.replace(/[*_`]/g, '').trim());
  const idCell = (row: number, col: number) => {
    const c = table.rows[row]?.cells[col];
    return c ? ID_ONLY.exec(c.text.trim())?.[1] ?? null : null;
  };
  // The id column: a header that names it, else the first column whose cells are ids.
  let idCol = header.findIndex((h) => COL_ID.test(h));
  if (idCol < 0 || !table.rows.some((_r, i) => idCell(i, idCol) !== null)) {
    idCol = header.findIndex((_h, col) => table.rows.length > 0 && table.rows.some((_r, i) => idCell(i, col) !== null));
  }
  if (idCol < 0) return;
  const phaseCol = header.findIndex((h, i) => i !== idCol && COL_PHASE.test(h));
  const statusCol = header.findIndex((h, i) => i !== idCol && COL_STATUS.test(h));
  const textCol = header.findIndex((h, i) => i !== idCol && !COL_SKIP.test(h) && h !== '');

  table.rows.forEach((row, i) => {
    const id = idCell(i, idCol);
    if (id === null) return;
    const cell = (col: number) => {
      if (col < 0) return null;
      const t = row.cells[col]?.text.trim() ?? '';
      return t === '' ? null : t;
    };
    const status = cell(statusCol);
    if (phaseCol >= 0) trace.push({ id, phase: cell(phaseCol), status, line: row.line, offset: row.span.start });
    if (textCol >= 0) {
      defs.push({
        id,
        text: cell(textCol) ?? '',
        checked: status === null ? null : DONE_STATUS.test(status),
        line: row.line,
        section,
        offset: row.span.start,
      });
    }
  });
}
