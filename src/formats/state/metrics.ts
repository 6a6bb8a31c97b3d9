/**
 * "Performance Metrics": velocity fields, the By-Phase table(s) and the recent-plans list.
 * Values are read as written; a duration that cannot be read is a diagnostic, never a zero.
 */
import type { Block, Table } from '../../markdown/types.ts';
import type { DiagnosticSink } from '../../model/diagnostic.ts';
import { parseDuration } from '../../model/duration.ts';
import { normalizePhaseId } from '../../model/ids.ts';
import type { FieldHit, FieldKey } from './fields.ts';
import { clip, normalizeLabel, stripEmphasis } from './text.ts';
import type { ByPhaseRow, StateMetrics } from './types.ts';

// `1.03 hours` is 61.800000000000004 in floating point; three decimals keep output stable.
function tidy(minutes: number): number {
  return Math.round(minutes * 1000) / 1000;
}

/** Minutes of a written duration; a diagnostic when it is neither empty/placeholder nor readable. */
export function readMinutes(text: string, offset: number, what: string, sink: DiagnosticSink, quietPlaceholders: boolean): number | null {
  const r = parseDuration(text);
  if (r.ok) return tidy(r.minutes);
  if (r.reason === 'empty') return null;
  if (r.reason === 'placeholder') {
    if (!quietPlaceholders) sink.info(offset, 'duration-unknown', `${what} is a placeholder ("${clip(text)}"), so it is unknown.`, 'Let cairn measure durations: `cairn sync` rewrites this from SUMMARY files and the ledger.');
    return null;
  }
  const why = r.reason === 'bare-number' ? 'a number without a unit' : 'not a duration';
  sink.warn(offset, 'duration-unknown', `${what} "${clip(text)}" is ${why}; expected e.g. "8 min", "1h 15m".`, 'Write the unit (`8 min`), or run `cairn sync` to recompute it.');
  return null;
}

// The leading count: "10", "108 (including 18 FIX plans)", "12 (v1.0)"; a written sum such as
// "36 + 10 FIX" is added up.
function leadingInt(text: string): number | null {
  const t = stripEmphasis(text);
  const m = /^\D{0,3}?(\d[\d,]*)(?![\d.])/.exec(t);
  if (!m) return null;
  let total = Number(m[1]!.replace(/,/g, ''));
  const more = /\s*\+\s*(\d+)(?![\d.])/y;
  more.lastIndex = m[0].length;
  for (let p = more.exec(t); p; p = more.exec(t)) total += Number(p[1]);
  return total;
}

// Plan ids in "Last 5 plans:" lists: `05-01`, `9.4-01`, `09-02-FIX-FIX`, `04-01-FIX5`.
const RECENT = /(?<![\w.])(\d+(?:\.\d+)*-\d+(?:-[A-Za-z]+\d*)*)(?:\s*\(([^()]{0,80})\))?/g;

function readRecent(text: string): StateMetrics['recent'] {
  const out: StateMetrics['recent'] = [];
  RECENT.lastIndex = 0;
  for (let m = RECENT.exec(text); m; m = RECENT.exec(text)) {
    let minutes: number | null = null;
    if (m[2] !== undefined) {
      const r = parseDuration(m[2]);
      if (r.ok) minutes = tidy(r.minutes);
    }
    out.push({ planId: m[1]!, minutes });
  }
  return out;
}

type Column = 'phase' | 'plans' | 'total' | 'avg';

function columnOf(header: string): Column | null {
  const h = normalizeLabel(stripEmphasis(header));
  if (/^(?:phase|phases|阶段|fase)\b/.test(h)) return 'phase';
  if (/^(?:plans?|计划|planos?|planes)\b/.test(h)) return 'plans';
  if (/^(?:avg|average|mean|平均|média|media)/.test(h)) return 'avg';
  if (/^(?:total|duration|time|总|耗时|tempo|tiempo)/.test(h)) return 'total';
  return null;
}

/** A By-Phase table: a Phase column plus at least one of Plans / Total / Avg. */
export function isByPhaseTable(table: Table): boolean {
  const cols = table.header.cells.map((c) => columnOf(c.text));
  return cols.includes('phase') && cols.some((c) => c === 'plans' || c === 'total' || c === 'avg');
}

// `1. Operator Foundation`, `3.1 Puzzle Downloader`, `01 - Foundation`, `01-docker-image`, `Phase 01-slug`.
const PHASE_CELL = /^(?:phase\s+)?(\d+[A-Za-z]?(?:\.\d+)*)(?:(\.\s+|\s*[-–—:]\s+|\s+)(.+)|-(\S.*))?$/i;
// Rows appended per plan by GSD's record-metric (`Phase 10 P01 | 20 | 3 tasks | 4 files`).
const PLAN_ROW = /\bP\d+$/;

function readPlans(text: string): { done: number | null; total: number | null } {
  const t = stripEmphasis(text);
  const frac = /^(\d+)\s*\/\s*(\d+|\?)/.exec(t);
  if (frac) return { done: Number(frac[1]), total: frac[2] === '?' ? null : Number(frac[2]) };
  const n = /^(\d+)(?![\d.])/.exec(t);
  return { done: n ? Number(n[1]) : null, total: null };
}

export function readByPhase(table: Table, sink: DiagnosticSink): ByPhaseRow[] {
  const cols = table.header.cells.map((c) => columnOf(c.text));
  const idx = (c: Column) => cols.indexOf(c);
  const out: ByPhaseRow[] = [];
  for (const row of table.rows) {
    const cell = (c: Column) => {
      const i = idx(c);
      return i < 0 ? null : (row.cells[i] ?? null);
    };
    const phaseCell = cell('phase');
    const phase = phaseCell ? stripEmphasis(phaseCell.text) : '';
    if (phase === '' || /^[-–—]+$/.test(phase)) continue; // the template's `| - | - | - | - |` row
    if (PLAN_ROW.test(phase)) {
      sink.info(row.span.start, 'state-metrics-plan-row', `By-Phase row "${clip(phase)}" describes one plan, not a phase; it is not counted.`, 'Run `cairn sync` to rebuild the By-Phase table.');
      continue;
    }
    const m = PHASE_CELL.exec(phase);
    let phaseId: string | null = null;
    let name: string | null = null;
    if (m) {
      phaseId = normalizePhaseId(m[1]!);
      // `01-docker-image` is a directory slug, not a name.
      name = m[3] !== undefined ? m[3].trim() || null : null;
    }
    const plansCell = cell('plans');
    const plans = plansCell ? readPlans(plansCell.text) : { done: null, total: null };
    if (plansCell && plans.done === null && !/^[-–—]*$/.test(plansCell.text.trim())) {
      sink.info(plansCell.span.start, 'state-field-unreadable', `By-Phase plans cell "${clip(plansCell.text)}" has no plan count.`);
    }
    const totalCell = cell('total');
    const avgCell = cell('avg');
    out.push({
      phase,
      phaseId,
      name,
      plansDone: plans.done,
      plansTotal: plans.total,
      totalMinutes: totalCell ? readMinutes(totalCell.text, totalCell.span.start, 'By-Phase total', sink, true) : null,
      avgMinutes: avgCell ? readMinutes(avgCell.text, avgCell.span.start, 'By-Phase average', sink, true) : null,
      line: row.line,
      span: row.span,
    });
  }
  return out;
}

export function readMetrics(fields: Map<FieldKey, FieldHit>, blocks: Block[], sink: DiagnosticSink): StateMetrics {
  const plansHit = fields.get('plansCompleted');
  let plansCompleted: StateMetrics['plansCompleted'] = null;
  if (plansHit) {
    const n = leadingInt(plansHit.value);
    if (n === null) sink.info(plansHit.span.start, 'state-field-unreadable', `"${plansHit.label}" has no number ("${clip(plansHit.value)}").`, 'Run `cairn sync` to recompute it.');
    else plansCompleted = { value: n, line: plansHit.line, span: plansHit.span };
  }
  const duration = (key: 'averageDuration' | 'totalTime', what: string) => {
    const hit = fields.get(key);
    if (!hit) return null;
    const value = readMinutes(hit.value, hit.span.start, what, sink, false);
    return { value, text: hit.value, line: hit.line, span: hit.span };
  };
  const byPhase: ByPhaseRow[] = [];
  for (const b of blocks) if (b.kind === 'table' && isByPhaseTable(b)) byPhase.push(...readByPhase(b, sink));
  const recentHit = fields.get('recent');
  return {
    plansCompleted,
    averageMinutes: duration('averageDuration', 'Average duration'),
    totalMinutes: duration('totalTime', 'Total execution time'),
    byPhase,
    recent: recentHit ? readRecent(recentHit.value) : [],
    trendText: fields.get('trend')?.value ?? null,
  };
}
