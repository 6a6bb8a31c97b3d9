/**
 * Field values found under phase headings: `**Goal**:`, `**Depends on**:`, `**Requirements**:`,
 * `**Plans**:` (and their bold-colon, full-width-colon and translated spellings), plus the plan
 * counts written in phase lines (`(2/3 plans)`, `(5/5 + 2 FIX plans)`).
 */
import { normalizePhaseId } from '../../model/ids.ts';
import { withoutParentheticals } from './text.ts';

export type FieldName =
  | 'goal'
  | 'depends'
  | 'requirements'
  | 'plans'
  | 'status'
  | 'completed'
  | 'shipped'
  | 'milestone'
  | 'phases';

const LABELS: Record<string, FieldName> = {
  goal: 'goal',
  'milestone goal': 'goal',
  objective: 'goal',
  objetivo: 'goal',
  ziel: 'goal',
  目标: 'goal',
  목표: 'goal',
  'depends on': 'depends',
  'depends': 'depends',
  'dependencies': 'depends',
  'depende de': 'depends',
  'abhängigkeiten': 'depends',
  'abhängig von': 'depends',
  依赖: 'depends',
  依赖关系: 'depends',
  의존성: 'depends',
  requirements: 'requirements',
  reqs: 'requirements',
  requisitos: 'requirements',
  anforderungen: 'requirements',
  需求: 'requirements',
  覆盖需求: 'requirements',
  요구사항: 'requirements',
  plans: 'plans',
  计划: 'plans',
  플랜: 'plans',
  planos: 'plans',
  status: 'status',
  'phase status': 'status',
  estado: 'status',
  状态: 'status',
  상태: 'status',
  completed: 'completed',
  'completed on': 'completed',
  完成时间: 'completed',
  完成日期: 'completed',
  shipped: 'shipped',
  milestone: 'milestone',
  phases: 'phases',
};

export interface LabelLine {
  field: FieldName;
  /** The value after the label, trimmed. */
  value: string;
  /** Index of `value` in the line. */
  valueIndex: number;
}

const LIST_MARKER = /^(?:[-*+]\s+(?:\[[ xX]\]\s+)?|\d{1,9}[.)]\s+)/;

/**
 * Reads `**Label**: value`, `**Label:** value`, `**Label** (note): value`, `*Label: value*` and,
 * for the known labels only, plain `Label: value`. Returns null for any other line.
 */
export function parseLabelLine(line: string): LabelLine | null {
  if (line.indexOf(':') < 0 && line.indexOf('：') < 0) return null;
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  const marker = LIST_MARKER.exec(line.slice(i));
  if (marker) i += marker[0].length;
  let label: string;
  let rest: number;
  if (line.startsWith('**', i) || line.startsWith('__', i)) {
    const delim = line.slice(i, i + 2);
    const close = line.indexOf(delim, i + 2);
    if (close < 0 || close - i > 60) return null;
    label = line.slice(i + 2, close).trim();
    rest = close + 2;
    if (/[:：]$/.test(label)) label = label.slice(0, -1).trim();
    else {
      const after = /^\s*(?:\([^)\n]{0,80}\)\s*)?[:：]/.exec(line.slice(rest));
      if (!after) return null;
      rest += after[0].length;
    }
  } else {
    const italic = line[i] === '*' || line[i] === '_' ? 1 : 0;
    const m = /^([^:：*_\n]{1,30}?)\s*[:：]/.exec(line.slice(i + italic));
    if (!m) return null;
    label = m[1]!.trim();
    rest = i + italic + m[0].length;
  }
  const field = LABELS[label.toLowerCase()];
  if (!field) return null;
  while (rest < line.length && (line[rest] === ' ' || line[rest] === '\t')) rest++;
  let value = line.slice(rest);
  // A wholly italic line (`*Milestone: v1.0 -- Name*`) closes its emphasis at the end.
  value = value.replace(/\s+$/, '').replace(/(?<!\*)[*_]$/, '');
  return { field, value: value.trim(), valueIndex: rest };
}

export interface PlanCountValue {
  done: number | null;
  total: number | null;
  /** FIX/ENH plans written beside the count (`5/5 + 2 FIX plans` → 2). */
  extra: number;
  /** `TBD`, `?`, `To be planned`, an estimate such as `2-3 plans`. */
  unknown: boolean;
  /** Index and length of the count text inside the parsed string. */
  index: number;
  length: number;
}

const TBD = /^(?:tbd|to be (?:planned|determined)|unknown|n\/a|pending|未定|待定|미정|a definir)(?![\p{L}\p{N}])/iu;

function extraPlans(s: string): number {
  let n = 0;
  for (const m of s.matchAll(/\+\s*(\d+)\s*(?:FIX|ENH|fix|gap)/g)) n += Number(m[1]);
  if (n === 0 && /\+\s*(?:FIX|ENH)\b/.test(s)) n = 1;
  return n;
}

/**
 * Reads a plan count value (`2 plans`, `2/3 plans executed`, `1/1 complete (+ 1 FIX)`, `TBD`,
 * `TBD (estimated 7-9 plans)`, `0 plans`, `3`). Returns null when nothing readable is there.
 */
export function parsePlanCountValue(value: string): PlanCountValue | null {
  const lead = /^\s*/.exec(value)![0].length;
  const s = value.slice(lead);
  const tbd = TBD.exec(s);
  if (tbd) return { done: null, total: null, extra: 0, unknown: true, index: lead, length: tbd[0].length };
  const frac = /^(\d{1,6})\s*\/\s*(\d{1,6}(?![\d.\/-])|\?|TBD\b)/i.exec(s);
  if (frac) {
    const tail = s.slice(frac[0].length);
    const known = /^\d+$/.test(frac[2]!);
    const word = /^(?:\s*\+\s*\d*\s*(?:FIX|ENH)\b)*\s*(?:plans?\b)?/i.exec(tail)![0];
    return {
      done: Number(frac[1]),
      total: known ? Number(frac[2]) : null,
      extra: extraPlans(tail),
      unknown: !known,
      index: lead,
      length: (frac[0] + word).trimEnd().length,
    };
  }
  const range = /^(\d{1,6})\s*[-–]\s*(\d{1,6})\s*plans?\b/i.exec(s);
  if (range) return { done: null, total: null, extra: 0, unknown: true, index: lead, length: range[0].length };
  const count = /^(\d{1,6})(?![\d.\/:-])(?:\s*(?:main|regular))?(?:\s*plans?\b)?/i.exec(s);
  if (count) {
    const tail = s.slice(count[0].length);
    if (tail === '' || /^[\s,;(+—–-]/.test(tail)) {
      return { done: null, total: Number(count[1]), extra: extraPlans(tail), unknown: false, index: lead, length: count[0].length };
    }
  }
  return null;
}

/** Finds the plan count inside a phase line: `(2/3 plans)`, `(1/1 plan + 3 FIX)`, `(2 plans, 12m 31s)`. */
export function findPlanCountInLine(text: string): { value: PlanCountValue; start: number; end: number } | null {
  const re = /\(\s*(\d{1,6}\s*(?:\/\s*(?:\d{1,6}|\?))?[^()]*?\bplans?\b[^()]*)\)/gi;
  for (const m of text.matchAll(re)) {
    const inner = m[1]!;
    const v = parsePlanCountValue(inner);
    if (!v) continue;
    const innerStart = m.index + m[0].indexOf(inner);
    return { value: { ...v, index: innerStart + v.index }, start: m.index, end: m.index + m[0].length };
  }
  return null;
}

const PHASE_ID_SRC = String.raw`\d{1,6}[A-Za-z]?(?:\.\d{1,6})*(?![\d.]*\d)`;
const PHASE_WORD = String.raw`(?:Phases?|Fases?|阶段|단계)`;
const SEP = String.raw`\s*(?:,|、|&|\+|\/|;|\band\b|\bor\b|\be\b|\bund\b|\by\b|\bet\b|和)\s*`;
const RANGE_OP = String.raw`\s*(?:-|–|—|\bto\b|\bthrough\b|\bbis\b|\baté\b|~)\s*`;
const ITEM = `(?:${PHASE_WORD}\\s*)?(${PHASE_ID_SRC})(?:${RANGE_OP}(${PHASE_ID_SRC}))?`;
const ITEM_NC = `(?:${PHASE_WORD}\\s*)?${PHASE_ID_SRC}(?:${RANGE_OP}${PHASE_ID_SRC})?`;
const DEP_LIST = new RegExp(`${PHASE_WORD}\\s*${ITEM_NC}(?:${SEP}${ITEM_NC})*`, 'gi');
const DEP_ITEM = new RegExp(ITEM, 'gi');
const BARE_LIST = new RegExp(`^${ITEM_NC}(?:${SEP}${ITEM_NC})*$`, 'i');

export interface DependencyRef {
  from: string;
  /** Upper end of a range (`Phases 1-5`), null for a single phase. */
  to: string | null;
}

const NO_DEPENDENCY = /^(?:nothing|none|no dependencies|n\/a|-|—|无|없음|nenhum[a]?|keine)(?![\p{L}\p{N}])/iu;

/**
 * Reads a "Depends on" value into phase references; a range (`Phases 1-5`) keeps both ends so
 * the caller can expand it once every phase is known. Parenthetical commentary is ignored, so
 * `Phase 9 (v1.1 complete)` is phase 9 and never phase 1.1.
 */
export function parseDependsOn(value: string): DependencyRef[] {
  const s = withoutParentheticals(value).trim();
  if (!s || NO_DEPENDENCY.test(s)) return [];
  const out: DependencyRef[] = [];
  const take = (chunk: string) => {
    for (const m of chunk.matchAll(DEP_ITEM)) {
      const from = normalizePhaseId(m[1]!);
      if (!from) continue;
      const to = m[2] ? normalizePhaseId(m[2]) : null;
      out.push({ from, to });
    }
  };
  let found = false;
  for (const m of s.matchAll(DEP_LIST)) {
    found = true;
    take(m[0]);
  }
  // A bare list of ids (`1, 2`), with no "Phase" word anywhere.
  if (!found && BARE_LIST.test(s)) take(s);
  return out;
}

const REQ_ID = /\b[A-Z][A-Z0-9]*(?:[._][A-Z0-9]+)*(?:-[A-Z][A-Z0-9]*)*-\d+[a-z]?\b/g;

/** Requirement ids in a value (`AUTH-01, AUTH-02`, `[CLI-01]`, `REQ-01 to REQ-05` expanded). */
export function parseRequirements(value: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (id: string) => {
    if (!seen.has(id)) {
      seen.add(id);
      out.push(id);
    }
  };
  const matches = [...value.matchAll(REQ_ID)];
  for (let k = 0; k < matches.length; k++) {
    const m = matches[k]!;
    const next = matches[k + 1];
    add(m[0]);
    if (!next) continue;
    const between = value.slice(m.index + m[0].length, next.index);
    if (!/^\s*(?:to|through|thru|até|a|bis|–|—|~|-)\s*$/.test(between) || !/\s|–|—|~/.test(between)) continue;
    const a = /^(.*-)(\d+)$/.exec(m[0]);
    const b = /^(.*-)(\d+)$/.exec(next[0]);
    if (!a || !b || a[1] !== b[1]) continue;
    const lo = Number(a[2]);
    const hi = Number(b[2]);
    if (hi <= lo || hi - lo > 200) continue;
    const width = a[2]!.length;
    for (let n = lo + 1; n < hi; n++) add(a[1] + String(n).padStart(width, '0'));
  }
  return out;
}

const PLAN_REF = /^(\d{1,6}[A-Za-z]?(?:\.\d{1,6})*-(?:\d{1,4}|FIX\d*|ENH\d*)(?:-[A-Z][A-Z0-9]*)*?)(?:-PLAN)?(?:\.md)?(?=$|[\s:：—–`*),.;]|-\s)/;

/** The plan id a plan line starts with (`01-02-PLAN.md — …`, `**04-01-FIX**: …`, `` `02.1-03` ``), or null. */
export function planRefId(text: string): string | null {
  const s = text.replace(/^[\s*_`[]+/, '');
  const m = PLAN_REF.exec(s);
  return m ? m[1]! : null;
}
