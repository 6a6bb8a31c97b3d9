/**
 * Reads a milestone declaration: a heading (`### 🚧 v1.1 Growth (In Progress)`, `## v1.0 MVP (Shipped: 2026-01-24)`),
 * a `<details>` summary (`✅ v1.0 MVP (Phases 1-4) — SHIPPED 2026-01-24`), a bullet of a
 * "Milestones" list (`✅ **v1.0 MVP** - Phases 1-4 (shipped 2026-01-24)`,
 * `[v1.0 MVP](milestones/v1.0-ROADMAP.md) (Phases 1-10) — SHIPPED 2026-01-12`) or a `**Milestone:**` value.
 */
import { normalizePhaseId } from '../../model/ids.ts';
import { dashSegments, emojiStatus, firstIsoDate, parentheticals, statusWords, stripInline, stripLeadingMarks } from './text.ts';
import type { MilestoneStatus } from './types.ts';

export interface MilestoneHead {
  id: string | null;
  name: string;
  status: MilestoneStatus | null;
  shipped: string | null;
  phaseRange: { from: string; to: string } | null;
}

const VERSION = /^(v\d{1,6}(?:\.\d{1,6})*)(?![\w.]*\w)/i;
const MILESTONE_WORD = /^(?:milestone|里程碑|marco|meilenstein)\s*(?::\s*|\s+(?=v?\d))/i;
const PHASE_LIKE = /^(?:phase|fase|阶段|단계)\s*\d/i;
const RANGE = /\bPhases?\s+(\d{1,6}[A-Za-z]?(?:\.\d{1,6})*)(?:\s*(?:-|–|—|to|through)\s*(\d{1,6}[A-Za-z]?(?:\.\d{1,6})*))?/i;

function statusOf(words: string): MilestoneStatus | null {
  const s = statusWords(words, false);
  if (s) {
    if (s.kind === 'complete') return 'shipped';
    if (/progress|active|current|executing|wip|andamento|进行|진행/i.test(s.text)) return 'active';
    if (/plann|not[ -]started|pending|ready/i.test(s.text)) return 'planned';
    return null;
  }
  if (/^archived\b/i.test(words.trim())) return 'shipped';
  if (/^(?:next|upcoming|future|backlog)\b/i.test(words.trim())) return 'planned';
  return null;
}

/**
 * `mode`: a bullet (or a `**Milestone:**` value) must carry a version to be a milestone; a heading
 * may instead say "Milestone" or start with a status emoji; a `<details>` summary may also be
 * recognised by "SHIPPED" or "(Phases N-M)".
 */
export function parseMilestoneText(raw: string, mode: 'bullet' | 'heading' | 'summary'): MilestoneHead | null {
  const emoji = emojiStatus(stripInline(raw)) ?? emojiStatus(raw.replace(/^[\s*_[]+/, ''));
  let s = stripLeadingMarks(stripInline(raw));
  const explicit = MILESTONE_WORD.exec(s);
  if (explicit) s = s.slice(explicit[0].length);
  else if (/^milestones?\b/i.test(s)) return null;
  if (PHASE_LIKE.test(s)) return null;
  const v = VERSION.exec(s);
  let id: string | null = null;
  let rest: string;
  if (v) {
    id = v[1]!;
    if (id[0] === 'V') id = 'v' + id.slice(1);
    rest = s.slice(v[0].length).replace(/^[\s:：—–-]+/u, '');
  } else {
    const hinted =
      mode === 'heading'
        ? emoji !== null || explicit !== null
        : mode === 'summary' && (emoji !== null || explicit !== null || /\bSHIPPED\b|\(Phases?\s+\d/.test(s));
    if (!hinted) return null;
    rest = s;
  }

  // The name runs up to the first parenthetical or dash clause.
  const paren = rest.search(/\s*[(（]/);
  const dash = rest.search(/\s+(?:—|--|–|-)\s+/u);
  const cut = [paren, dash].filter((n) => n >= 0);
  let name = (cut.length ? rest.slice(0, Math.min(...cut)) : rest).trim();
  const tail = rest.slice(name.length);

  let status: MilestoneStatus | null = emoji;
  let shipped: string | null = null;
  const consider = (words: string) => {
    const st = statusOf(words);
    if (st && !status) status = st;
    if (st === 'shipped' && !shipped) shipped = firstIsoDate(words);
  };
  if (statusOf(name) && (statusWords(name, true) || /^archived$/i.test(name))) {
    consider(name);
    name = '';
  }
  for (const p of parentheticals(tail)) consider(p.inner.replace(/^shipped\s*:/i, 'shipped '));
  for (const seg of dashSegments(tail.replace(/^\s*(?:—|--|–|-)\s*/u, ''))) consider(seg.replace(/\([^)]*\)/g, ' ').trim());
  if (status === 'shipped' && !shipped) shipped = firstIsoDate(tail);

  let phaseRange: MilestoneHead['phaseRange'] = null;
  const r = RANGE.exec(tail);
  if (r) {
    const from = normalizePhaseId(r[1]!);
    const to = r[2] ? normalizePhaseId(r[2]) : from;
    if (from && to) phaseRange = { from, to };
  }
  return { id, name: name || id || '', status, shipped, phaseRange };
}

/** Status words of a heading such as "## Completed Milestones" or "## Active Milestones". */
export function sectionMilestoneHint(heading: string): MilestoneStatus | null {
  if (!/milestones?|phases|里程碑|marcos?|meilensteine?/i.test(heading)) return null;
  if (/\b(?:completed?|shipped|previous|past|archived?|done|finished)\b|已完成|concluíd/i.test(heading)) return 'shipped';
  if (/\b(?:active|current|in progress)\b|进行中/i.test(heading)) return 'active';
  if (/\b(?:planned|upcoming|future|next)\b|计划/i.test(heading)) return 'planned';
  return null;
}
