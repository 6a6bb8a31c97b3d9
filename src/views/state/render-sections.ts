/**
 * The bodies of the STATE.md sections Cairn owns, in GSD's classic plain dialect (the one GSD's
 * own field regexes and agents read: `Phase: 3 of 8 (Name)`, `**Core value:** …`), computed from
 * ProjectState alone. Every list is capped and every text clipped so the owned part stays within
 * its budget whatever the project size.
 */
import type { ProjectState } from '../../derive/types.ts';
import { formatMinutes } from '../../model/duration.ts';
import { capitalise, clip, escapeCell, escapeItem, tagText } from './render-text.ts';
import { leadingParenthetical } from '../../formats/state/text.ts';

export type OwnedKind =
  | 'projectReference'
  | 'currentPosition'
  | 'performanceMetrics'
  | 'decisions'
  | 'pendingTodos'
  | 'blockers'
  | 'sessionContinuity';

export const OWNED_KINDS: readonly OwnedKind[] = [
  'projectReference',
  'currentPosition',
  'performanceMetrics',
  'decisions',
  'pendingTodos',
  'blockers',
  'sessionContinuity',
];

/** Sections whose entries are list items (their free sub-headings are entry groups, owned with them). */
export const LIST_KINDS: readonly OwnedKind[] = ['decisions', 'pendingTodos', 'blockers'];

export const OWNED_TITLES: Record<OwnedKind, string> = {
  projectReference: 'Project Reference',
  currentPosition: 'Current Position',
  performanceMetrics: 'Performance Metrics',
  decisions: 'Decisions',
  pendingTodos: 'Pending Todos',
  blockers: 'Blockers/Concerns',
  sessionContinuity: 'Session Continuity',
};

export const ACCUMULATED_CONTEXT_TITLE = 'Accumulated Context';
export const DEFAULT_DECISIONS_HOME = '.planning/events.jsonl (cairn log decisions)';

/** UTF-8 byte limits for clipped texts; the renderer picks the loosest set that fits the budget. */
export interface Limits {
  /** A decision, todo or blocker. */
  item: number;
  /** A one-line value: core value, focus, last activity, session fields. */
  field: number;
  /** A phase name. */
  name: number;
  tag: number;
}

export const LIMIT_LEVELS: readonly Limits[] = [
  { item: 200, field: 200, name: 80, tag: 40 },
  { item: 150, field: 150, name: 64, tag: 32 },
  { item: 110, field: 110, name: 48, tag: 24 },
  { item: 80, field: 80, name: 40, tag: 20 },
  { item: 56, field: 56, name: 32, tag: 16 },
  { item: 40, field: 40, name: 24, tag: 12 },
];

export const MAX_DECISIONS = 5;
export const MAX_LIST_ITEMS = 10;
/** Items shown when a list overflows: the "… N more" note takes two lines of the ten. */
const SHOWN_ON_OVERFLOW = MAX_LIST_ITEMS - 2;
export const MAX_PHASE_ROWS = 10;

const PHASE_CELLS = 10;

export function progressBar(percent: number | null): string {
  const filled = percent === null ? 0 : Math.max(0, Math.min(PHASE_CELLS, Math.round(percent / 10)));
  return '█'.repeat(filled) + '░'.repeat(PHASE_CELLS - filled);
}

function orNone(text: string | null | undefined, max: number): string {
  const t = text === null || text === undefined ? '' : clip(text, max);
  return t === '' ? 'None' : t;
}

function projectReference(s: ProjectState, lim: Limits): string[] {
  const updated = s.project.updated ? clip(s.project.updated, 40) : '';
  const lines = [`See: .planning/PROJECT.md${updated ? ` (updated ${updated})` : ''}`];
  const more: string[] = [];
  const core = s.project.coreValue ? clip(s.project.coreValue, lim.field) : '';
  const focus = s.focus ? clip(s.focus, lim.field) : '';
  if (core) more.push(`**Core value:** ${core}`);
  if (focus) more.push(`**Current focus:** ${focus}`);
  if (more.length > 0) lines.push('', ...more);
  return lines;
}

/** `3 of 8 (Name)`; a name whose parentheses would not read back as one group uses ` - Name`. */
function phaseValue(s: ProjectState, lim: Limits): string {
  const p = s.position.phase;
  if (!p || p.id === null) return 'None';
  let v = clip(p.id, 24);
  if (p.total !== null) v += ` of ${p.total}`;
  const name = p.name ? clip(p.name, lim.name) : '';
  if (name) {
    const paren = leadingParenthetical(`(${name})`);
    v += paren && paren.end === name.length + 2 && paren.inner === name.trim() ? ` (${name})` : ` - ${name}`;
  }
  return v;
}

function currentPosition(s: ProjectState, lim: Limits): string[] {
  const plan = s.position.plan;
  const planText = plan ? `${plan.index} of ${plan.total} in current phase` : s.position.phase ? 'Not planned yet' : 'None';
  const pr = s.progress;
  const percent = pr.percent === null ? 'n/a' : `${pr.estimated ? '~' : ''}${pr.percent}%`;
  return [
    `Phase: ${phaseValue(s, lim)}`,
    `Plan: ${planText}`,
    `Status: ${capitalise(s.position.status)}`,
    `Last activity: ${orNone(s.lastActivity, lim.field)}`,
    '',
    `Progress: [${progressBar(pr.percent)}] ${percent} (${pr.plans.done}/${pr.plans.total} plans)`,
  ];
}

const EARLIER_ROW = /^… (\d+) earlier phases?$/;

function phaseCell(phase: string, name: string | null, lim: Limits): string {
  const id = clip(phase, 32);
  const n = name ? clip(name, lim.name) : '';
  return escapeCell(/^\d/.test(id) && n ? `${id}. ${n}` : id);
}

function minutesCell(minutes: number | null): string {
  return minutes === null ? '—' : formatMinutes(minutes);
}

function performanceMetrics(s: ProjectState, lim: Limits): string[] {
  const v = s.velocity;
  const lines = ['**Velocity:**', `- Total plans completed: ${v?.plansCompleted ?? 0}`];
  if (v && v.averageMinutes !== null) {
    lines.push(`- Average duration: ${formatMinutes(v.averageMinutes)}`, `- Total execution time: ${formatMinutes(v.totalMinutes)}`);
  }
  const rows = v?.byPhase ?? [];
  if (rows.length > 0) {
    lines.push('', '**By Phase:**', '', '| Phase | Plans | Total | Avg/Plan |', '|-------|-------|-------|----------|');
    const shown = rows.slice(-MAX_PHASE_ROWS);
    const earlier = rows.slice(0, rows.length - shown.length);
    if (earlier.length > 0) {
      // A row that is itself an "earlier phases" summary (a STATE.md-only project re-read) keeps its count.
      const count = earlier.reduce((a, r) => a + (r.phase.startsWith('…') ? Number(EARLIER_ROW.exec(r.phase)?.[1] ?? 1) : 1), 0);
      const plans = earlier.reduce((a, r) => a + r.plans, 0);
      const timed = earlier.filter((r) => r.averageMinutes !== null);
      const total = timed.reduce((a, r) => a + r.totalMinutes, 0);
      const avg = plans > 0 && timed.length > 0 ? Math.round((total / timed.reduce((a, r) => a + r.plans, 0)) * 10) / 10 : null;
      lines.push(`| … ${count} earlier phase${count === 1 ? '' : 's'} | ${plans} | ${timed.length > 0 ? formatMinutes(total) : '—'} | ${minutesCell(avg)} |`);
    }
    for (const r of shown) {
      const known = r.averageMinutes !== null;
      lines.push(`| ${phaseCell(r.phase, r.name, lim)} | ${r.plans} | ${known ? formatMinutes(r.totalMinutes) : '—'} | ${minutesCell(r.averageMinutes)} |`);
    }
  }
  const recent = (v?.recent ?? []).map((r) => `${clip(r.planId, 24)} (${formatMinutes(r.minutes)})`).join(', ');
  lines.push('', '**Recent Trend:**', `- Last 5 plans: ${recent || 'none'}`, `- Trend: ${v?.trend ?? 'not enough data'}`);
  return lines;
}

function decisions(s: ProjectState, lim: Limits, home: string): string[] {
  const recent = s.decisions.recent.slice(-MAX_DECISIONS);
  if (recent.length === 0) return ['None yet.'];
  const lines: string[] = [];
  let group: string | null = null;
  for (const d of recent) {
    // A group label line (`**Key Decisions (v2.0):**`) before each run of the group's decisions;
    // the reader takes it back as the group of the entries that follow.
    const g = d.group ?? null;
    if (g !== group) {
      if (lines.length > 0) lines.push('');
      lines.push(g === null ? '**Other decisions:**' : `**${clip(g, lim.name).replace(/\*/g, () => '')}:**`, '');
      group = g;
    }
    const tag = d.tag ? tagText(d.tag, lim.tag) : '';
    // "Subject: detail" shows whole: the rationale is part of what was decided.
    const text = clip(d.rationale ? `${d.text}: ${d.rationale}` : d.text, lim.item);
    if (tag) lines.push(`- [${tag}]: ${text}`);
    // Untagged, a leading `[` would be read back as a tag.
    else lines.push(`- ${text.startsWith('[') ? `\\${text}` : escapeItem(text)}`);
  }
  const earlier = Math.max(0, s.decisions.total - recent.length);
  if (earlier > 0) {
    lines.push('', `… ${earlier} earlier decision${earlier === 1 ? '' : 's'}; all decisions are recorded in ${clip(home, 120)}.`);
  }
  return lines;
}

function itemList(items: string[], lim: Limits, none: string, more: (n: number) => string): string[] {
  if (items.length === 0) return [none];
  const shown = items.length > MAX_LIST_ITEMS ? items.slice(0, SHOWN_ON_OVERFLOW) : items;
  const lines = shown.map((t) => `- ${escapeItem(clip(t, lim.item))}`);
  if (shown.length < items.length) lines.push('', more(items.length - shown.length));
  return lines;
}

function sessionContinuity(s: ProjectState, lim: Limits): string[] {
  const ss = s.session;
  return [
    `Last session: ${orNone(ss?.last, 40)}`,
    `Stopped at: ${orNone(ss?.stoppedAt, lim.field)}`,
    `Resume file: ${orNone(ss?.resumeFile, lim.field)}`,
  ];
}

/** Body lines (between the heading's blank line and the section's closing blank line) of every owned section. */
export function sectionBodies(s: ProjectState, lim: Limits, decisionsHome: string): Record<OwnedKind, string[]> {
  return {
    projectReference: projectReference(s, lim),
    currentPosition: currentPosition(s, lim),
    performanceMetrics: performanceMetrics(s, lim),
    decisions: decisions(s, lim, decisionsHome),
    pendingTodos: itemList(s.todos.items, lim, 'None.', (n) => `… ${n} more pending todo${n === 1 ? '' : 's'}.`),
    blockers: itemList(s.blockers.items, lim, 'None.', (n) => `… ${n} more open blocker${n === 1 ? '' : 's'}.`),
    sessionContinuity: sessionContinuity(s, lim),
  };
}
