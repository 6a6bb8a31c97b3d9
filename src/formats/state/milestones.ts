/**
 * Milestones named in STATE.md: "## Milestone History" lists (`- **v1 Name** - shipped 2026-01-31`),
 * "## Completed Milestones" sub-headings (`### v1.1 Name (SHIPPED 2026-01-27)`), "## Milestones
 * Shipped" tables (`| v1.0 MVP | 1-13 | 62 | 2026-01-25 |`), one-milestone sections
 * (`## Milestone v1.0 Complete`) and the frontmatter's current milestone.
 */
import type { Section, Span, Table } from '../../markdown/types.ts';
import { extractTimestamp } from '../../model/dates.ts';
import { leadingParenthetical, stripBold, stripEmphasis } from './text.ts';
import type { StateMilestone } from './types.ts';

const MILESTONE_ID = /^(?:milestone\s+)?(v\d+(?:\.\d+)*[a-z]?|\d+\.\d+(?:\.\d+)*)(?![\w.])/i;
const SHIPPED = /\b(?:shipped|complete|completed|released|done|archived|finished)\b|✅|已完成|已发布|conclu[ií]d[oa]|abgeschlossen/iu;

export interface MilestoneText {
  id: string;
  name: string | null;
  statusText: string | null;
  shipped: string | null;
}

/** Reads `**v1 Name** - shipped 2026-01-31`, `v1.1 Name (SHIPPED 2026-01-27)`, `v1.0 MVP: Phases 1-13`. */
export function parseMilestoneText(raw: string): MilestoneText | null {
  let t = raw.trim().replace(/^(?:[✅✓✔🚧📋⏳🎯]\s*)+/u, '');
  let head: string;
  let rest: string;
  const bold = /^\*\*([^*]+)\*\*/.exec(t);
  if (bold) {
    head = bold[1]!.trim();
    rest = t.slice(bold[0].length);
  } else {
    t = stripBold(t);
    const cut = /\s*(?:\(|（|:\s|：|\s[-–—]+\s)/.exec(t);
    head = cut ? t.slice(0, cut.index) : t;
    rest = cut ? t.slice(cut.index) : '';
  }
  const m = MILESTONE_ID.exec(head);
  if (!m) return null;
  const name = head.slice(m[0].length).replace(/^[\s:：\-–—]+/, '').trim() || null;
  rest = rest.trim().replace(/^[-–—:：]+\s*/, '');
  const paren = leadingParenthetical(rest);
  if (paren && rest.slice(paren.end).trim() === '') rest = paren.inner;
  const statusText = stripEmphasis(rest) || null;
  const shipped = statusText !== null && SHIPPED.test(statusText) ? extractTimestamp(statusText) : null;
  return { id: m[1]!, name, statusText, shipped };
}

function located(m: MilestoneText, line: number, span: Span): StateMilestone {
  return { id: m.id, name: m.name, shipped: m.shipped, statusText: m.statusText, line, span };
}

function fromTable(table: Table): StateMilestone[] {
  const cols = table.header.cells.map((c) => stripEmphasis(c.text).toLowerCase());
  const idCol = cols.findIndex((c) => /^(?:milestone|version|里程碑|marco|versão)/.test(c));
  const shippedCol = cols.findIndex((c) => /^(?:shipped|completed|released|date|status|发布|完成)/.test(c));
  if (idCol < 0) return [];
  const out: StateMilestone[] = [];
  for (const row of table.rows) {
    const cell = row.cells[idCol]?.text ?? '';
    const m = parseMilestoneText(cell);
    if (!m) continue;
    if (shippedCol >= 0) {
      const v = row.cells[shippedCol]?.text.trim() ?? '';
      const date = extractTimestamp(v);
      m.statusText = v || null;
      m.shipped = date !== null && !/progress|planned|planning|validating|active/i.test(v) ? date : null;
    }
    out.push(located(m, row.line, row.span));
  }
  return out;
}

/** Milestones listed in a history section: its lists' top-level items, tables and sub-headings. */
export function readMilestoneSection(section: Section): StateMilestone[] {
  const out: StateMilestone[] = [];
  for (const block of section.blocks) {
    if (block.kind === 'list') {
      for (const item of block.items) {
        const first = item.text.split('\n')[0]!;
        const m = parseMilestoneText(first);
        if (m) out.push(located(m, item.line, item.span));
      }
    } else if (block.kind === 'table') out.push(...fromTable(block));
  }
  for (const child of section.children) {
    const m = parseMilestoneText(child.title);
    if (m) out.push(located(m, child.heading.line, child.heading.span));
    out.push(...readMilestoneSection(child));
  }
  return out;
}

/** `## Milestone v1.0 Complete` with `**Completed**: 2026-02-07` below it. */
export function readMilestoneHeading(section: Section, id: string, rest: string, completedDate: string | null): StateMilestone {
  const shippedWords = SHIPPED.test(rest);
  const statusLike = rest === '' || /^(?:complete|completed|shipped|in progress|active|planned|planning|done|released|archived|validating)\b/i.test(rest);
  return {
    id,
    name: statusLike ? null : rest,
    statusText: statusLike ? rest || null : null,
    shipped: shippedWords && statusLike ? (extractTimestamp(rest) ?? completedDate) : null,
    line: section.heading.line,
    span: section.heading.span,
  };
}
