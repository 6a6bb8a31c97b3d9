/**
 * Recognises a ROADMAP progress table (`| Phase | Milestone | Plans Complete | Status | Completed |`
 * and its variants, in any column order and several languages) and reads its rows.
 */
import type { Table } from '../../markdown/types.ts';
import { comparePhaseIds, normalizePhaseId } from '../../model/ids.ts';
import { firstIsoDate, stripInline } from './text.ts';
import type { ProgressColumns, ProgressRow } from './types.ts';

type Meaning = keyof ProgressColumns | 'known';

function meaningOf(header: string): Meaning | 'reject' | null {
  const h = stripInline(header).toLowerCase().replace(/\s+/g, ' ').trim();
  if (/^(?:phase|phases|fase|阶段|단계|phase (?:#|no\.?|name|id))$/.test(h)) return 'phase';
  if (/^(?:milestone|里程碑|마일스톤|marco|meilenstein|version)$/.test(h)) return 'milestone';
  if (/^(?:status|state|状态|상태|estado|situação|stand)$/.test(h)) return 'status';
  if (/^(?:completed|completed on|completion date|date completed|done|finished|完成时间|完成日期|완료일?|concluído em|concluído|data|datum|abgeschlossen)$/.test(h)) return 'completed';
  if (/^(?:完成度|progress|%|percent|percentage|진행률|progresso|fortschritt)$/.test(h)) return 'percent';
  if (/\bplans?\b|计划|플랜|planos?/.test(h) && !/\bavg\b|average|\/plan/.test(h)) return 'plans';
  // Tables about decisions, timing or effort that happen to have a Phase column are not progress tables.
  if (/decision|rationale|\bavg\b|average|duration|\btotal\b|\btime\b|工作量|时间|估算|effort|risk|风险/.test(h)) return 'reject';
  if (
    /^(?:name|title|goal|目标|이름|내용|nome|名称|description|beschreibung|descrição|requirements?|需求数?|覆盖需求|요구사항|requisitos|notes?|备注|비고|deliverables?|关键交付物|scope|summary|focus|theme|plans? total)$/.test(h)
  )
    return 'known';
  return null;
}

export interface TableShape {
  columns: ProgressColumns;
  /** Header cells whose meaning is unknown: [index, text]. */
  unknown: Array<[number, string]>;
}

/** The column layout when `table` is a progress table, else null. */
export function progressTableShape(table: Table): TableShape | null {
  const cols: ProgressColumns = { phase: -1, milestone: null, plans: null, status: null, completed: null, percent: null };
  const unknown: Array<[number, string]> = [];
  table.header.cells.forEach((cell, i) => {
    const m = meaningOf(cell.text);
    if (m === 'reject') {
      cols.phase = -2;
      return;
    }
    if (m === 'phase') {
      if (cols.phase === -1) cols.phase = i;
    } else if (m === 'known') return;
    else if (m === null) unknown.push([i, cell.text]);
    else if (cols[m] === null) cols[m] = i;
  });
  if (cols.phase < 0) return null;
  if (cols.plans === null && cols.status === null && cols.completed === null && cols.percent === null) return null;
  return { columns: cols, unknown };
}

const EMPTY = /^(?:|-|—|–|n\/a|tbd|\?)$/i;

function cellText(table: Table['rows'][number], index: number | null): string | null {
  if (index === null) return null;
  const c = table.cells[index];
  if (!c) return null;
  const t = stripInline(c.text);
  return EMPTY.test(t) ? null : t;
}

const ROW_SPAN = /^(?:phases?\s+|fases?\s+)?(\d{1,6}(?:\.\d{1,6})*)\s*(?:-|–|—|to|through|bis)\s*(\d{1,6}(?:\.\d{1,6})*)(?![\d.]*\d)(?=$|[.:)\s])/i;
const ROW_PHASE = /^(?:phase\s+|fase\s+)?(\d{1,6}[A-Za-z]?(?:\.\d{1,6})*)(?![\d.]*\d)(?=$|[.:)\s—–-])/i;

export function readProgressRow(row: Table['rows'][number], shape: TableShape): ProgressRow {
  const phaseCell = row.cells[shape.columns.phase];
  const phaseText = phaseCell ? phaseCell.text : '';
  const stripped = stripInline(phaseText);
  // `12-14. All v2.1 phases`, `Phases 5–8`: one row for several phases, no phase's own count.
  const r = ROW_SPAN.exec(stripped);
  const from = r ? normalizePhaseId(r[1]!) : null;
  const to = r ? normalizePhaseId(r[2]!) : null;
  const phaseSpan = from && to && comparePhaseIds(from, to) < 0 ? { from, to } : null;
  const m = phaseSpan ? null : ROW_PHASE.exec(stripped);
  const phaseId = m ? normalizePhaseId(m[1]!) : null;
  const head = phaseSpan ? r : m;
  const name = head ? stripped.slice(head[0].length).replace(/^[\s.:)—–-]+/u, '').trim() : stripped;

  let plansDone: number | null = null;
  let plansTotal: number | null = null;
  const plans = cellText(row, shape.columns.plans);
  if (plans) {
    const f = /^(\d{1,6})\s*\/\s*(\d{1,6})?/.exec(plans);
    if (f) {
      plansDone = Number(f[1]);
      plansTotal = f[2] !== undefined ? Number(f[2]) : null;
    } else {
      const n = /^(\d{1,6})\b/.exec(plans);
      if (n) plansTotal = Number(n[1]);
    }
  }
  const completedText = cellText(row, shape.columns.completed);
  const pct = cellText(row, shape.columns.percent);
  const pm = pct ? /(\d{1,3}(?:\.\d+)?)\s*%/.exec(pct) : null;
  return {
    line: row.line,
    span: row.span,
    phaseId,
    phaseSpan,
    phaseText,
    plansDone,
    plansTotal,
    statusText: cellText(row, shape.columns.status),
    completed: completedText ? (firstIsoDate(completedText) ?? completedText) : null,
    cells: row.cells,
    name,
    milestone: cellText(row, shape.columns.milestone),
    percent: pm ? Number(pm[1]) : null,
  };
}
