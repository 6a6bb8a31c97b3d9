/**
 * The `Progress:` line in every shape found: `[████░░░░░░] 28%`, `[##########] 100% (10/10 plans
 * complete)`, `█████████████ 13/13 (v1.0.0 phases)`, `[###___] 14% (3/22 plans)`, `79.2%`, `~80%`,
 * `[##############.] ~93% (14/15+ plans completed)`, several bars on one line (`v1.0 [###] | v1.2
 * [###....] 25%`), and free text (`Milestone initialization`). Nothing is computed that is not
 * written: a fraction without a percent leaves `percent` null.
 */

import { normalizePhaseId } from '../../model/ids.ts';
export interface ProgressValue {
  percent: number | null;
  approximate: boolean;
  bar: { cells: number; filled: number } | null;
  /** `phase`: the phase whose plans the fraction counts (`(Phase 4: 3/3 plans)`), else null. */
  fraction: { done: number; total: number | null; unit: string; phase?: string } | null;
}

// Partial shades (▓ ▒) count as filled; `.`, `-`, `_`, `░` and spaces are empty cells.
const FILLED = new Set(['█', '▓', '▒', '#', '=', '|', '■', '●', '▰', '▮']);
const EMPTY = new Set(['░', '.', '-', '_', ' ', '□', '○', '·', '▱', '▯']);
const BARE_BAR = /[█▓▒░▰▱]{3,}/gu;
const PERCENT = /(~|≈|approx\.?\s*|ca\.\s*)?(\d+(?:\.\d+)?)\s*%/gi;
const FRACTION = /(?<![\d.])(\d+(?:\.\d+)?)\s*(?:\/|\bof\b)\s*(\d+|\?)(\+)?/gi;

function scanBar(chars: string[]): { cells: number; filled: number } | null {
  let filled = 0;
  let any = false;
  for (const ch of chars) {
    if (FILLED.has(ch)) {
      filled++;
      any = true;
    } else if (EMPTY.has(ch)) {
      if (ch !== ' ') any = true;
    } else return null;
  }
  return any ? { cells: chars.length, filled } : null;
}

interface FoundBar {
  index: number;
  bar: { cells: number; filled: number };
}

function findBars(text: string): FoundBar[] {
  const out: FoundBar[] = [];
  // Bracketed bars: `[█░]`, `[#.]`, `[|||---]`; at least three cells so `[x]` / `[ ]` are not bars.
  // One linear pass pairing each `]` with the nearest `[` before it.
  let open = -1;
  for (let k = 0; k < text.length; k++) {
    const ch = text[k];
    if (ch === '[') open = k;
    else if (ch === ']' && open >= 0) {
      const len = k - open - 1;
      if (len >= 3 && len <= 400) {
        const bar = scanBar([...text.slice(open + 1, k)]);
        if (bar) out.push({ index: open, bar });
      }
      open = -1;
    }
  }
  BARE_BAR.lastIndex = 0;
  for (let m = BARE_BAR.exec(text); m; m = BARE_BAR.exec(text)) {
    const before = text[m.index - 1];
    if (before === '[') continue; // already read as a bracketed bar
    const bar = scanBar([...m[0]]);
    if (bar) out.push({ index: m.index, bar });
  }
  return out.sort((a, b) => a.index - b.index);
}

function unitAfter(text: string, from: number): string | null {
  const rest = text.slice(from, from + 120);
  const word = /^\s*([\p{L}]+)/u.exec(rest);
  if (word) return word[1]!.toLowerCase();
  // `13/13 (v1.0.0 phases)`: the unit is the last word of the parenthesis that follows.
  const paren = /^\s*\(([^)]*)\)/.exec(rest);
  if (paren) {
    const words = paren[1]!.match(/[\p{L}]+/gu);
    if (words && words.length > 0) return words[words.length - 1]!.toLowerCase();
  }
  return null;
}

// `Phase 4: ` / `phase 4 -` right before a fraction: the fraction is that phase's, not the project's.
const PHASE_BEFORE = /\bphase\s+(\d+(?:\.\d+)*)\s*[:\-–—]?\s*$/i;

const NOT_UNITS = new Set(['complete', 'completed', 'done', 'of', 'in', 'em', 'en', 'de']);

export function parseProgress(text: string): ProgressValue {
  let percent: number | null = null;
  let approximate = false;
  PERCENT.lastIndex = 0;
  for (let m = PERCENT.exec(text); m; m = PERCENT.exec(text)) {
    percent = Number(m[2]);
    approximate = m[1] !== undefined;
  }
  const bars = findBars(text);
  const bar = bars.length > 0 ? bars[bars.length - 1]!.bar : null;

  let fraction: ProgressValue['fraction'] = null;
  let lowerBound = false;
  FRACTION.lastIndex = 0;
  for (let m = FRACTION.exec(text); m; m = FRACTION.exec(text)) {
    const unit = unitAfter(text, m.index + m[0].length);
    if (unit === null || NOT_UNITS.has(unit)) continue;
    const isPlans = /^plans?$/.test(unit);
    if (fraction !== null && !isPlans) continue;
    const scoped = PHASE_BEFORE.exec(text.slice(Math.max(0, m.index - 40), m.index));
    const phase = scoped ? normalizePhaseId(scoped[1]!) : null;
    fraction = { done: Number(m[1]), total: m[2] === '?' ? null : Number(m[2]), unit, ...(phase ? { phase } : {}) };
    // `14/15+ plans`, `20/? plans`: the total is a lower bound or unknown.
    lowerBound = m[3] !== undefined || m[2] === '?';
    if (isPlans) break;
  }
  if (lowerBound) approximate = true;
  return { percent, approximate, bar, fraction };
}
