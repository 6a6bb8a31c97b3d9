/**
 * The 2026-style STATE.md frontmatter, rewritten key by key: the keys GSD derives (`status`,
 * `progress`, …) are rendered from ProjectState in GSD's order and shape; every other line — unknown
 * keys, comments, blank lines — stays as written, in place. A key Cairn has no value for keeps its
 * written value (`last_updated` is never set to the current time: a second render must change nothing).
 */
import type { ProjectState } from '../../derive/types.ts';
import type { Status } from '../../model/status.ts';
import { clip, utf8Length, yamlScalar } from './render-text.ts';

const KNOWN = ['gsd_state_version', 'milestone', 'milestone_name', 'status', 'stopped_at', 'last_updated', 'last_activity', 'progress'] as const;
type KnownKey = (typeof KNOWN)[number];
const KNOWN_SET = new Set<string>(KNOWN);

const PROGRESS_KEYS = new Set(['total_phases', 'completed_phases', 'total_plans', 'completed_plans', 'percent']);

// GSD's normalised frontmatter words where one exists (`executing`, `completed`); our own word,
// snake_cased, elsewhere. Each maps back to the same Status through mapStatus.
const GSD_STATUS: Record<Status, string> = {
  'not started': 'not_started',
  planning: 'planning',
  'ready to execute': 'ready_to_execute',
  'in progress': 'executing',
  'phase complete': 'phase_complete',
  'milestone complete': 'completed',
  blocked: 'blocked',
  paused: 'paused',
};

interface Entry {
  key: string | null;
  /** Lines with their own line endings. */
  lines: string[];
}

const TOP_KEY = /^([A-Za-z_][\w.-]*)[ \t]*:(?=[ \t\r\n]|$)/;

function splitLines(raw: string): string[] {
  return raw.match(/[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$/g) ?? [];
}

function isContinuation(line: string): boolean {
  return /^[ \t]/.test(line) || /^-(?:[ \t]|$)/.test(line.replace(/[\r\n]+$/, ''));
}

function isBlank(line: string): boolean {
  return /^[ \t]*[\r\n]*$/.test(line);
}

/** Top-level entries: a key line with its indented continuation (blank lines inside included). */
function entries(raw: string): Entry[] {
  const lines = splitLines(raw);
  const out: Entry[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = TOP_KEY.exec(line);
    if (m) {
      out.push({ key: m[1]!, lines: [line] });
      continue;
    }
    const cur = out[out.length - 1];
    if (cur && cur.key !== null && isContinuation(line)) {
      cur.lines.push(line);
      continue;
    }
    if (cur && cur.key !== null && isBlank(line)) {
      // A blank line belongs to the value (a block scalar) only when the value goes on after it.
      let j = i + 1;
      while (j < lines.length && isBlank(lines[j]!)) j++;
      if (j < lines.length && isContinuation(lines[j]!) && !TOP_KEY.test(lines[j]!)) {
        cur.lines.push(line);
        continue;
      }
    }
    out.push({ key: null, lines: [line] });
  }
  return out;
}

function progressLines(s: ProjectState, entry: Entry | null): string[] {
  const p = s.progress;
  const lines = [
    'progress:',
    `  total_phases: ${p.phases.total}`,
    `  completed_phases: ${p.phases.done}`,
    `  total_plans: ${p.plans.total}`,
    `  completed_plans: ${p.plans.done}`,
  ];
  if (p.percent !== null) lines.push(`  percent: ${p.percent}`);
  return lines.concat(unknownProgressLines(entry));
}

/** Lines of a written `progress:` block under keys GSD does not define; kept after the known ones. */
function unknownProgressLines(entry: Entry | null): string[] {
  if (!entry) return [];
  const out: string[] = [];
  let keep = false;
  let indent = -1;
  for (const line of entry.lines.slice(1)) {
    const bare = line.replace(/[\r\n]+$/, '');
    const sub = /^([ \t]+)([A-Za-z_][\w.-]*)[ \t]*:/.exec(bare);
    if (sub && indent < 0) indent = sub[1]!.length;
    if (sub && sub[1]!.length === indent) keep = !PROGRESS_KEYS.has(sub[2]!);
    if (keep) out.push(bare);
  }
  return out;
}

function renderKey(key: KnownKey, s: ProjectState, fieldMax: number, written: Entry | null): string[] | null {
  const scalar = (v: string | null | undefined): string[] | null => {
    if (v === null || v === undefined) return null;
    const c = clip(v, fieldMax);
    return c === '' ? null : [`${key}: ${yamlScalar(c)}`];
  };
  switch (key) {
    case 'gsd_state_version':
      return written ? null : ['gsd_state_version: 1.0'];
    case 'milestone':
      return scalar(s.scope.milestone);
    case 'milestone_name':
      return scalar(s.scope.name);
    case 'status':
      return [`status: ${GSD_STATUS[s.position.status]}`];
    case 'stopped_at':
      return scalar(s.session?.stoppedAt);
    case 'last_updated':
      return null;
    case 'last_activity':
      return scalar(s.lastActivity);
    case 'progress':
      return progressLines(s, written);
  }
}

export interface FrontmatterRender {
  /** New text between the `---` lines. */
  content: string;
  /** Lines and UTF-8 bytes Cairn wrote (kept lines are not counted). */
  ownedLines: number;
  ownedBytes: number;
}

export function renderFrontmatter(raw: string, s: ProjectState, eol: string, fieldMax: number): FrontmatterRender {
  const list = entries(raw);
  const present = new Map<KnownKey, Entry>();
  for (const e of list) if (e.key !== null && KNOWN_SET.has(e.key)) present.set(e.key as KnownKey, e);

  let ownedLines = 0;
  let ownedBytes = 0;
  const emit = (lines: string[]): string => {
    ownedLines += lines.length;
    const text = lines.map((l) => l + eol).join('');
    ownedBytes += utf8Length(text);
    return text;
  };

  // Known keys that are absent but have a value go after the nearest written predecessor (GSD order),
  // else before the nearest written successor, else at the end.
  const after = new Map<Entry | null, KnownKey[]>();
  const before = new Map<Entry, KnownKey[]>();
  for (let k = 0; k < KNOWN.length; k++) {
    const key = KNOWN[k]!;
    if (present.has(key) || renderKey(key, s, fieldMax, null) === null) continue;
    let anchor: Entry | null = null;
    for (let j = k - 1; j >= 0 && !anchor; j--) anchor = present.get(KNOWN[j]!) ?? null;
    if (anchor) {
      after.set(anchor, [...(after.get(anchor) ?? []), key]);
      continue;
    }
    let next: Entry | null = null;
    for (let j = k + 1; j < KNOWN.length && !next; j++) next = present.get(KNOWN[j]!) ?? null;
    if (next) before.set(next, [...(before.get(next) ?? []), key]);
    else after.set(null, [...(after.get(null) ?? []), key]);
  }
  const added = (keys: KnownKey[] | undefined) => (keys ?? []).map((key) => emit(renderKey(key, s, fieldMax, null)!)).join('');

  let out = '';
  for (let i = 0; i < list.length; i++) {
    const e = list[i]!;
    out += added(before.get(e));
    let text = e.lines.join('');
    if (e.key !== null && KNOWN_SET.has(e.key)) {
      const lines = renderKey(e.key as KnownKey, s, fieldMax, e);
      if (lines) text = emit(lines);
    }
    out += text + added(after.get(e));
  }
  out += added(after.get(null));
  return { content: out, ownedLines, ownedBytes };
}
