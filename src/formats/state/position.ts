/**
 * The values of the position block: `Phase: 4 of 4 (Production Hardening) - COMPLETE`,
 * `Phase: 10.5 - UI Performance`, `Phase: All complete (9 of 9)`, `Plan: 1 of 1 + FIX + FIX-FIX`,
 * `Plan: 0 -- Ready to plan`, `Plan: —`.
 */
import { normalizePhaseId } from '../../model/ids.ts';
import { leadingParenthetical, stripEmphasis } from './text.ts';

export interface PhaseValue {
  id: string | null;
  name: string | null;
  number: number | null;
  total: number | null;
}

const PHASE_OF = /^(?:phase\s+|fase\s+|阶段\s*)?(\d+[A-Za-z]?(?:\.\d+)*)\s*(?:\bof\b|\/|\bde\b|\bvon\b|\bsur\b|共)\s*(\d+)(?!\d)/i;
const PHASE_ONLY = /^(?:phase\s+|fase\s+|阶段\s*)?(\d+[A-Za-z]?(?:\.\d+)*)(?![\d.]|[A-Za-z])/i;
const ALL_OF = /^all\b[^(]*\((\d+)\s*(?:of|\/)\s*(\d+)\)/i;
const STATUS_SUFFIX = /\s+(?:[-–—]+|\|)\s*(?:complete|completed|done|in progress|finished|shipped|✅|✓)[^]*$/i;

function numberOf(id: string | null): number | null {
  return id !== null && /^\d+(?:\.\d+)?$/.test(id) ? Number(id) : null;
}

/** Reads the current phase; `id` is null when the text names none ("Not started", "None (between milestones)"). */
export function parsePhaseValue(raw: string): PhaseValue {
  const t = stripEmphasis(raw);
  let id: string | null = null;
  let total: number | null = null;
  let rest = '';
  let m = PHASE_OF.exec(t);
  if (m) {
    id = normalizePhaseId(m[1]!);
    total = Number(m[2]);
    rest = t.slice(m[0].length);
  } else if ((m = PHASE_ONLY.exec(t))) {
    id = normalizePhaseId(m[1]!);
    rest = t.slice(m[0].length);
  } else if ((m = ALL_OF.exec(t))) {
    id = normalizePhaseId(m[1]!);
    total = Number(m[2]);
  }
  let name: string | null = null;
  if (id !== null && rest !== '') {
    const r = rest.trimStart();
    const paren = leadingParenthetical(r);
    if (paren) name = paren.inner;
    else {
      const sep = /^(?:[-–—]+|:|\.)\s+/.exec(r);
      if (sep) name = r.slice(sep[0].length).replace(STATUS_SUFFIX, '').trim();
    }
    if (name !== null) name = stripEmphasis(name) || null;
  }
  return { id, name, number: numberOf(id), total };
}

/** Words that say there is no current phase, so an unread id is not worth a diagnostic. */
export const NO_PHASE = /^(?:not started|none|n\/a|tbd|-+|—|–|between milestones|all\b.*\bcomplete|v?\d+(?:\.\d+)*\s+(?:complete|shipped))/i;

export interface PlanValue {
  number: number | null;
  total: number | null;
}

const PLAN_OF = /(\d+)\s*(?:\bof\b|\/|\bde\b|\bvon\b|\bsur\b)\s*(\d+)(?!\d)/i;
const PLAN_ONLY = /^(\d+)(?![\d.\-/])/;

export function parsePlanValue(raw: string): PlanValue {
  const t = stripEmphasis(raw);
  const m = PLAN_OF.exec(t);
  if (m) return { number: Number(m[1]), total: Number(m[2]) };
  const n = PLAN_ONLY.exec(t);
  if (n) return { number: Number(n[1]), total: null };
  return { number: null, total: null };
}
