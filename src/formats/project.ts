/**
 * PROJECT.md reader: name, core value, "What This Is", the key-decision table and the
 * "Last updated" footer. Headings are GSD's English skeleton in every corpus project; the values
 * are in the project's own language and are returned as written.
 */
import type { MarkdownDocument } from '../markdown/index.ts';
import type { Block, Section, Table } from '../markdown/types.ts';
import { extractTimestamp } from '../model/dates.ts';
import { DiagnosticSink, type Diagnostic } from '../model/diagnostic.ts';

/** One row of PROJECT.md's key-decision table. */
export interface ProjectDecision {
  decision: string;
  /** The `Choice` column of `| Decision | Choice | Rationale |` tables, where the decision cell names the topic. */
  choice: string | null;
  rationale: string | null;
  outcome: string | null;
  /** 1-based line of the table row. */
  line: number;
}

export interface ProjectRecord {
  /** H1 text minus a "Project:"-like prefix; null when the file has no H1. */
  name: string | null;
  coreValue: string | null;
  whatThisIs: string | null;
  keyDecisions: ProjectDecision[];
  /** Timestamp from the "*Last updated: …*" footer (the last such line), null when absent or undated. */
  updated: string | null;
  /** The text after "Last updated:" as written, emphasis removed. */
  updatedText: string | null;
}

const NAME_PREFIX = /^(?:project|projekt|projet|proyecto|projeto|progetto|项目|프로젝트)[ \t]*[:：\-–—][ \t]*/i;
const CORE_VALUE_TITLE = /^(?:core value|kernwert|valeur (?:fondamentale|centrale|clé)|valor (?:central|fundamental|principal)|核心价值)\b/i;
const WHAT_TITLE = /^what this is\b/i;
const DECISIONS_TITLE = /\bdecisions?\b|entscheidungen|décisions|decisiones|decisões|决策/i;
const CORE_VALUE_LINE = /^[ \t>]*(?:[-*][ \t]+)?(?:\*\*|__)(?:core value|kernwert)[ \t]*:?[ \t]*(?:\*\*|__)[ \t]*:?[ \t]*([^\r\n]+)$/im;
const LAST_UPDATED = /^[ \t]*[*_]{0,2}[ \t]*Last updated[ \t]*(?::[ \t]*(?:\*\*|__)?|(?:\*\*|__):)[ \t]*([^\r\n]*)$/gim;

export function readProject(doc: MarkdownDocument, file: string): { record: ProjectRecord; diagnostics: Diagnostic[] } {
  const sink = new DiagnosticSink(file, (o) => doc.position(o));
  const sections = doc.allSections();

  const h1 = sections.find((s) => s.depth === 1);
  const name = h1 ? stripEmphasis(h1.title.replace(NAME_PREFIX, '')) || null : null;
  if (name === null) sink.warn(null, 'project-name-missing', 'PROJECT.md has no `# Name` heading', 'Add the project name as the first line: `# My Project`.');

  const coreSection = sections.find((s) => CORE_VALUE_TITLE.test(s.title));
  let coreValue = coreSection ? firstText(coreSection) : null;
  if (coreValue === null) {
    const m = CORE_VALUE_LINE.exec(doc.text);
    if (m) coreValue = stripEmphasis(m[1]!) || null;
  }
  if (coreValue === null) sink.warn(coreSection ? coreSection.heading.span.start : null, 'project-core-value-missing', 'PROJECT.md states no core value', 'Add a `## Core Value` section with one sentence.');

  const whatSection = sections.find((s) => WHAT_TITLE.test(s.title));
  const whatThisIs = whatSection ? firstText(whatSection) : null;

  const keyDecisions: ProjectDecision[] = [];
  for (const s of sections) {
    if (!DECISIONS_TITLE.test(s.title)) continue;
    const table = s.blocks.find((b): b is Table => b.kind === 'table');
    if (!table) continue;
    keyDecisions.push(...readDecisionTable(table));
    break;
  }

  let updatedText: string | null = null;
  LAST_UPDATED.lastIndex = 0;
  for (let m = LAST_UPDATED.exec(doc.text); m; m = LAST_UPDATED.exec(doc.text)) {
    const t = m[1]!.replace(/[ \t*_]+$/, '').trim();
    if (t !== '') updatedText = t;
  }
  const updated = updatedText === null ? null : extractTimestamp(updatedText);

  return { record: { name, coreValue, whatThisIs, keyDecisions, updated, updatedText }, diagnostics: sink.items };
}

function stripEmphasis(s: string): string {
  let t = s.trim();
  for (const mark of ['**', '__', '*', '_']) {
    if (t.length > 2 * mark.length && t.startsWith(mark) && t.endsWith(mark)) t = t.slice(mark.length, -mark.length).trim();
  }
  return t;
}

/** The first paragraph (or quote) of a section, before any child heading; comments are skipped. */
function firstText(section: Section): string | null {
  for (const b of section.blocks) {
    const t = blockText(b);
    if (t !== null) return stripEmphasis(t) || null;
  }
  return null;
}

function blockText(b: Block): string | null {
  if (b.kind === 'paragraph' || b.kind === 'blockquote') {
    const t = b.text.trim();
    return t === '' ? null : t;
  }
  return null;
}

const COL_DECISION = /decision|entscheidung|decisi[oó]n|d[ée]cision|decis[ãa]o|决策|결정/i;
const COL_CHOICE = /choice|chosen|option|auswahl|elecci[oó]n|choix|escolha|选择|선택/i;
const COL_RATIONALE = /rationale|reason|why|begr[üu]ndung|raz[oó]n|raison|justificati|motivo|理由|原因|근거|이유/i;
const COL_OUTCOME = /outcome|status|result|ergebnis|resultado|r[ée]sultat|estado|状态|结果|결과/i;

function readDecisionTable(table: Table): ProjectDecision[] {
  const header = table.header.cells.map((c) => c.text);
  const find = (re: RegExp, skip: number[]) => header.findIndex((h, i) => !skip.includes(i) && re.test(h));
  let dCol = find(COL_DECISION, []);
  if (dCol < 0) dCol = 0;
  const cCol = find(COL_CHOICE, [dCol]);
  const rCol = find(COL_RATIONALE, [dCol, cCol]);
  const oCol = find(COL_OUTCOME, [dCol, cCol, rCol]);
  const out: ProjectDecision[] = [];
  for (const row of table.rows) {
    const cell = (i: number) => {
      if (i < 0) return null;
      const t = row.cells[i]?.text.trim() ?? '';
      return t === '' ? null : t;
    };
    const decision = cell(dCol);
    if (decision === null) continue;
    out.push({ decision, choice: cell(cCol), rationale: cell(rCol), outcome: cell(oCol), line: row.line });
  }
  return out;
}
