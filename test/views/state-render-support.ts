/**
 * Invariants every STATE.md render must satisfy, checked from the outside: the free parts of the
 * file are byte-identical, the owned part (measured on the output) is within budget, a second
 * render changes nothing, and the reader reads back the values that were rendered.
 */
import { expect } from 'vitest';
import type { ProjectState } from '../../src/derive/types.ts';
import { readState } from '../../src/formats/state/read.ts';
import { renderState, undrivenSessionLines, type RenderOptions, type RenderResult } from '../../src/views/state/render.ts';
import type { StateRecord, StateSectionKind } from '../../src/formats/state/types.ts';
import { parseMarkdown, parseYamlFrontmatter, type MarkdownDocument } from '../../src/markdown/index.ts';
import type { Section } from '../../src/markdown/types.ts';
import { extractTimestamp } from '../../src/model/dates.ts';
import { formatMinutes } from '../../src/model/duration.ts';
import { mapStatus } from '../../src/model/status.ts';

const OWNED: StateSectionKind[] = ['projectReference', 'currentPosition', 'performanceMetrics', 'decisions', 'pendingTodos', 'blockers', 'sessionContinuity'];
const LIST: StateSectionKind[] = ['decisions', 'pendingTodos', 'blockers'];
const KNOWN_FM = new Set(['gsd_state_version', 'milestone', 'milestone_name', 'status', 'stopped_at', 'last_updated', 'last_activity', 'progress']);

export const read = (text: string): { doc: MarkdownDocument; record: StateRecord } => {
  const doc = parseMarkdown(text);
  return { doc, record: readState(doc, '.planning/STATE.md').record };
};

function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

interface Part {
  kind: StateSectionKind | 'preamble';
  title: string;
  text: string;
  /** True when the part runs to the end of the file. */
  atEnd: boolean;
}

/** Own parts (heading to first sub-heading) of every section, classified; sub-sections of list sections are consumed. */
function parts(doc: MarkdownDocument, record: StateRecord): { free: Part[]; owned: Part[] } {
  const text = doc.text;
  const all = doc.allSections();
  const kind = new Map<Section, StateSectionKind>();
  all.forEach((s, i) => kind.set(s, record.sections[i]?.kind ?? 'other'));
  expect(record.sections.map((s) => s.span.start)).toEqual(all.map((s) => s.span.start));
  const free: Part[] = [];
  const owned: Part[] = [];
  const bodyStart = doc.frontmatter ? doc.frontmatter.span.end : doc.hasBom ? 1 : 0;
  const firstHeading = all[0] ? lineStart(text, all[0].heading.span.start) : text.length;
  if (firstHeading > bodyStart) free.push({ kind: 'preamble', title: '', text: text.slice(bodyStart, firstHeading), atEnd: firstHeading === text.length });
  const consumed = new Set<Section>();
  const consume = (s: Section) => {
    for (const c of s.children) {
      if (kind.get(c) !== 'other') continue;
      consumed.add(c);
      consume(c);
    }
  };
  for (const s of all) if (LIST.includes(kind.get(s)!)) consume(s);
  for (const s of all) {
    if (consumed.has(s)) continue;
    const k = kind.get(s)!;
    const start = lineStart(text, s.heading.span.start);
    let end = s.children[0] ? lineStart(text, s.children[0].heading.span.start) : s.span.end;
    if (LIST.includes(k)) {
      // A list section's own part runs over its consumed sub-sections, up to its first classified one.
      const stop = (x: Section): number | null => {
        for (const c of x.children) {
          if (kind.get(c) !== 'other') return lineStart(text, c.heading.span.start);
          const inner = stop(c);
          if (inner !== null) return inner;
        }
        return null;
      };
      end = stop(s) ?? s.span.end;
    }
    const part = { kind: k, title: s.title, text: text.slice(start, end), atEnd: end === text.length };
    (OWNED.includes(k) ? owned : free).push(part);
  }
  return { free, owned };
}

/** Top-level frontmatter entries: a key line and its indented lines; other lines on their own. */
function frontmatterEntries(raw: string): { key: string | null; text: string }[] {
  const out: { key: string | null; text: string }[] = [];
  for (const line of raw.split(/(?<=\n)/)) {
    const key = /^([A-Za-z_][\w.-]*)[ \t]*:/.exec(line);
    const last = out[out.length - 1];
    if (key) out.push({ key: key[1]!, text: line });
    else if (last && last.key !== null && /^[ \t-]/.test(line)) last.text += line;
    else out.push({ key: null, text: line });
  }
  return out;
}

const utf8 = (t: string) => Buffer.byteLength(t, 'utf8');
const lines = (t: string) => (t === '' ? 0 : (t.match(/\r\n|\n|\r/g)?.length ?? 0) + (/[\r\n]$/.test(t) ? 0 : 1));

/** The part of the file Cairn wrote, measured on the output: owned sections and known frontmatter keys. */
export function measureOwned(text: string): { lines: number; bytes: number } {
  const { doc, record } = read(text);
  let l = 0;
  let b = 0;
  for (const p of parts(doc, record).owned) {
    l += lines(p.text);
    b += utf8(p.text);
  }
  // Session Continuity lines Cairn does not derive are the user's, kept as written.
  for (const u of undrivenSessionLines(doc, record).filter((x) => x.trim() !== '')) {
    l -= 1;
    b -= utf8(u) + doc.eol.length;
  }
  if (doc.frontmatter) {
    let known = false;
    for (const line of doc.frontmatter.raw.split(/(?<=\n)/)) {
      const key = /^([A-Za-z_][\w.-]*)[ \t]*:/.exec(line);
      if (key) known = KNOWN_FM.has(key[1]!);
      else if (!/^[ \t]/.test(line)) known = false;
      if (known) {
        l += 1;
        b += utf8(line);
      }
    }
  }
  return { lines: l, bytes: b };
}

/** Same text, or a clipped prefix of it ending in `…`. */
export function expectClipped(written: string | null | undefined, derived: string | null | undefined, what: string): void {
  const want = (derived ?? '').replace(/\s*[\r\n]\s*/g, ' ').replace(/\t/g, ' ').trim();
  const got = written ?? '';
  if (got === want) return;
  expect(got.endsWith('…') && want.startsWith(got.slice(0, -1).trimEnd()), `${what}: "${got}" is not "${want}" nor a clipped prefix of it`).toBe(true);
}

/** Reader values that stand for "nothing": the reader keeps "None" verbatim for these fields. */
const none = (v: string | null | undefined) => (v === null || v === undefined || v === 'None' ? null : v);

export function expectReadBack(text: string, s: ProjectState): void {
  const { doc, record: r } = read(text);
  const pos = r.position!;
  expect(pos, 'position').not.toBeNull();
  const ph = s.position.phase;
  if (ph?.id) {
    expect(pos.phase?.id).toBe(ph.id);
    expect(pos.phase?.total).toBe(ph.total);
    if (ph.name) expectClipped(pos.phase?.name, ph.name, 'phase name');
    else expect(pos.phase?.name).toBeNull();
  } else expect(pos.phase?.id ?? null).toBeNull();
  if (s.position.plan) expect([pos.plan?.number, pos.plan?.total]).toEqual([s.position.plan.index, s.position.plan.total]);
  else expect([pos.plan?.number ?? null, pos.plan?.total ?? null]).toEqual([null, null]);
  expect(pos.status).toBe(s.position.status);
  expectClipped(none(pos.lastActivity?.text), s.lastActivity, 'last activity');

  const pr = r.progress!;
  expect(pr.percent).toBe(s.progress.percent);
  expect(pr.approximate).toBe(s.progress.percent !== null && s.progress.estimated);
  expect(pr.fraction).toEqual({ done: s.progress.plans.done, total: s.progress.plans.total, unit: 'plans' });
  expect(pr.bar).toEqual({ cells: 10, filled: s.progress.percent === null ? 0 : Math.round(s.progress.percent / 10) });

  if (s.project.coreValue) expectClipped(r.projectRef?.coreValue, s.project.coreValue, 'core value');
  if (s.focus) expectClipped(r.projectRef?.currentFocus, s.focus, 'focus');
  expect(r.projectRef?.updated ?? null).toBe(s.project.updated ? extractTimestamp(s.project.updated) : null);

  const m = r.metrics!;
  const v = s.velocity;
  const fmt = (x: number | null | undefined) => (x === null || x === undefined ? null : formatMinutes(x));
  expect(m.plansCompleted?.value).toBe(v?.plansCompleted ?? 0);
  expect(fmt(m.averageMinutes?.value)).toBe(fmt(v?.averageMinutes));
  expect(fmt(m.totalMinutes?.value)).toBe(v?.averageMinutes == null ? null : fmt(v.totalMinutes));
  const rows = v?.byPhase ?? [];
  const shown = rows.slice(-10);
  const readRows = m.byPhase.slice(m.byPhase.length - shown.length);
  expect(m.byPhase.length).toBe(shown.length + (rows.length > 10 ? 1 : 0));
  shown.forEach((row, i) => {
    const got = readRows[i]!;
    expect(got.plansDone, `By Phase ${row.phase}`).toBe(row.plans);
    expect(fmt(got.avgMinutes)).toBe(fmt(row.averageMinutes));
    expect(fmt(got.totalMinutes)).toBe(row.averageMinutes === null ? null : fmt(row.totalMinutes));
    if (/^\d/.test(row.phase)) expect(got.phaseId).toBe(row.phase.replace(/^0+(?=\d)/, ''));
  });
  if (rows.length > 10) {
    const earlier = rows.slice(0, -10);
    expect(m.byPhase[0]!.plansDone).toBe(earlier.reduce((a, x) => a + x.plans, 0));
  }
  expect(m.recent.map((x) => [x.planId, fmt(x.minutes)])).toEqual((v?.recent ?? []).map((x) => [x.planId, fmt(x.minutes)]));
  expect(m.trendText).toBe(v?.trend ?? 'not enough data');

  const recent = s.decisions.recent.slice(-5);
  expect(r.decisions.length).toBe(recent.length);
  recent.forEach((d, i) => {
    const got = r.decisions[i]!;
    if (d.tag) expectClipped(got.tag, d.tag.replace(/\[/g, '(').replace(/\]/g, ')'), 'decision tag');
    else expect(got.tag).toBeNull();
    // Untagged, the reader splits "Title: rationale" back apart; the line is what must match.
    const line = got.rationale !== null && !d.tag ? `${got.text}: ${got.rationale}` : got.text;
    // The view shows a decision whole, its rationale after the subject ("PaymentConfig: one per merchant").
    expectClipped(line, d.rationale ? `${d.text}: ${d.rationale}` : d.text, 'decision');
    // Groups read back from the label lines; an ungrouped decision after a group sits under "Other decisions".
    if (d.group) expectClipped(got.group, d.group.replace(/\*/g, ''), 'decision group');
    else expect([null, 'Other decisions']).toContain(got.group);
  });
  if (s.decisions.total > recent.length) expect(r.decisionsPointer).toMatch(new RegExp(`^… ${s.decisions.total - recent.length} earlier decision`));

  const shownItems = (items: string[]) => (items.length > 10 ? items.slice(0, 8) : items);
  const todos = shownItems(s.todos.items);
  expect(r.todos.length).toBe(todos.length);
  todos.forEach((t, i) => expectClipped(r.todos[i]!.text, t, 'todo'));
  const blockers = shownItems(s.blockers.items);
  expect(r.blockers.length).toBe(blockers.length);
  blockers.forEach((t, i) => {
    expectClipped(r.blockers[i]!.text, t, 'blocker');
    expect(r.blockers[i]!.resolved).toBe(false);
  });

  const ss = r.session!;
  expect(ss.last).toBe(s.session?.last ?? null);
  expectClipped(none(ss.stoppedAt), s.session?.stoppedAt, 'stopped at');
  expectClipped(ss.resumeFile, s.session?.resumeFile, 'resume file');

  if (doc.frontmatter) {
    const f = r.frontmatterFields!;
    expect(f.progress).toEqual({
      totalPhases: s.progress.phases.total,
      completedPhases: s.progress.phases.done,
      totalPlans: s.progress.plans.total,
      completedPlans: s.progress.plans.done,
      percent: s.progress.percent,
    });
    expect(mapStatus(f.status ?? '')).toBe(s.position.status);
    expect(parseYamlFrontmatter(doc).problem).toBeNull();
  }
}

/** Renders `source` and checks every invariant; returns the result for further checks. */
export function checkRender(source: string, s: ProjectState, opts?: RenderOptions): RenderResult {
  const before = read(source);
  const r = renderState(before.doc, before.record, s, opts);
  const after = read(r.text);

  // Free parts: same sequence, byte for byte (only the last one may gain the blank line before text added at the end).
  const a = parts(before.doc, before.record).free.filter((p) => p.kind !== 'accumulatedContext');
  const b = parts(after.doc, after.record).free.filter((p) => p.kind !== 'accumulatedContext');
  const bodyStart = before.doc.frontmatter ? before.doc.frontmatter.span.end : before.doc.hasBom ? 1 : 0;
  if (source.slice(bodyStart).trim() === '') {
    // Only an empty file gets a title (after a blank line below the frontmatter).
    if (b[0]?.kind === 'preamble' && b[0].text.trim() === '') b.shift();
    expect(b.shift()?.text.trim()).toBe('# Project State');
  }
  expect(b.map((p) => p.title)).toEqual(a.map((p) => p.title));
  a.forEach((p, i) => {
    const q = b[i]!;
    if (p.atEnd && !q.atEnd) expect(q.text.trimEnd(), `free part "${p.title}"`).toBe(p.text.trimEnd());
    else expect(q.text, `free part "${p.title}"`).toBe(p.text);
  });
  const acAfter = parts(after.doc, after.record).free.filter((p) => p.kind === 'accumulatedContext').map((p) => p.text);
  for (const p of parts(before.doc, before.record).free.filter((x) => x.kind === 'accumulatedContext')) expect(acAfter).toContain(p.text);

  // Unknown frontmatter keys, comments and blank lines stay as written, in order.
  if (before.doc.frontmatter) {
    const kept = (raw: string) => frontmatterEntries(raw).filter((e) => e.key === null || !KNOWN_FM.has(e.key)).map((e) => e.text);
    expect(kept(after.doc.frontmatter!.raw)).toEqual(kept(before.doc.frontmatter.raw));
  }

  // Budget, as reported and as measured on the output.
  expect(r.ownedLines).toBeLessThanOrEqual(100);
  expect(r.ownedBytes).toBeLessThanOrEqual(6 * 1024);
  const measured = measureOwned(r.text);
  expect(measured.lines).toBeLessThanOrEqual(100);
  expect(measured.bytes).toBeLessThanOrEqual(6 * 1024);

  // Fixed point.
  const again = renderState(after.doc, after.record, s, opts);
  expect(again.edits).toEqual([]);
  expect(again.text).toBe(r.text);

  expectReadBack(r.text, s);
  return r;
}

/**
 * The fictional project the fixtures are rendered with ("Tidewatch", a tide-window app): a tree
 * project in the middle of phase 4 of 6. `patch` replaces top-level fields.
 */
export function fixtureState(patch: Partial<ProjectState> = {}): ProjectState {
  const base: ProjectState = {
    source: 'tree',
    project: { name: 'Tidewatch', coreValue: 'Harbour crews see the next safe tide window at a glance, even offline.', updated: '2026-04-02' },
    focus: 'Phase 4 - Alerts and Sync',
    scope: { milestone: 'v1.1', name: 'Field Release' },
    position: { phase: { id: '4', name: 'Alerts and Sync', index: 4, total: 6 }, plan: { index: 1, total: 3 }, status: 'in progress', statusText: 'Executing Phase 4' },
    progress: { percent: 63, estimated: false, plans: { done: 10, total: 16 }, phases: { done: 3, total: 6 }, bar: '██████░░░░' },
    velocity: {
      plansCompleted: 10,
      averageMinutes: 7.4,
      totalMinutes: 74,
      byPhase: [
        { phase: '1', name: 'Tide Tables', plans: 3, totalMinutes: 21, averageMinutes: 7 },
        { phase: '2', name: 'Offline Cache', plans: 3, totalMinutes: 30, averageMinutes: 10 },
        { phase: '3', name: 'Harbour Map | Layers', plans: 3, totalMinutes: 17, averageMinutes: 5.7 },
        { phase: '4', name: 'Alerts and Sync', plans: 1, totalMinutes: 6, averageMinutes: 6 },
      ],
      recent: [
        { planId: '03-01', minutes: 6 },
        { planId: '03-02', minutes: 5 },
        { planId: '03-03', minutes: 6 },
        { planId: '03-03-FIX', minutes: 2.5 },
        { planId: '04-01', minutes: 6 },
      ],
      trend: 'stable',
    },
    history: 'state',
    decisions: {
      total: 8,
      recent: [
        { text: 'Store tide tables as one SQLite file per harbour', tag: '02-01', date: null, rationale: null },
        { text: 'Cache eviction: least recently viewed harbour first', tag: null, date: '2026-03-20', rationale: null },
        { text: 'Map tiles cost $1 per 1k requests, so keep $& and $$ literal', tag: '03-02', date: null, rationale: null },
        { text: 'Push alerts go through one queue', tag: 'Phase 4', date: null, rationale: null },
        { text: 'Sync conflicts: newest reading wins', tag: '04-01', date: null, rationale: null },
      ],
    },
    todos: { pending: 2, items: ['Ask the harbour master for the 2027 tide feed', 'Check icon contrast on the night theme'] },
    blockers: { open: 1, resolved: 1, items: ['Buoy API rate limit is unknown'] },
    session: { last: '2026-04-03T16:20:00Z', stoppedAt: 'Task 2 of 04-02', resumeFile: '.planning/phases/04-alerts-sync/.continue-here.md' },
    milestones: [],
    lastActivity: '2026-04-03 - Completed 04-01-PLAN.md (push alerts)',
    phases: [],
    next: { text: 'Execute 04-02-PLAN.md in phase 4 (Alerts and Sync)', file: null },
    schedule: {} as ProjectState['schedule'],
    phaseGraph: [],
    criticalPath: { unit: 'plans', phases: { path: [], minutes: 0, estimated: [], nodes: [], cycles: [] }, plans: null },
    diagnostics: [],
  };
  return { ...base, ...patch };
}

/** A project far beyond the budget: 2,000 phases, hundreds of long decisions, todos and blockers. */
export function hugeState(): ProjectState {
  const long = (seed: string, n: number) => Array.from({ length: n }, (_, i) => `${seed} ${i}`).join(' ');
  const cjk = '潮汐窗口数据同步与离线缓存策略需要在港口网络不稳定时保持一致性';
  const byPhase = Array.from({ length: 2000 }, (_, i) => ({
    phase: String(i + 1),
    name: `${cjk} ${i + 1}`,
    plans: 10,
    totalMinutes: 123.4,
    averageMinutes: 12.3,
  }));
  return fixtureState({
    project: { name: 'Huge', coreValue: long('core value that never ends', 60), updated: '2026-04-02' },
    focus: long('focus', 80),
    position: { phase: { id: '1999.12.3', name: long(cjk, 5), index: 1999, total: 2000 }, plan: { index: 9, total: 10 }, status: 'in progress', statusText: null },
    progress: { percent: 99, estimated: true, plans: { done: 19990, total: 20000 }, phases: { done: 1998, total: 2000 }, bar: '██████████' },
    velocity: {
      plansCompleted: 20000,
      averageMinutes: 12.3,
      totalMinutes: 246000,
      byPhase,
      recent: Array.from({ length: 5 }, (_, i) => ({ planId: `1999.12.3-0${i + 1}-FIX-FIX-FIX`, minutes: 61.5 })),
      trend: 'degrading',
    },
    decisions: { total: 900, recent: Array.from({ length: 5 }, (_, i) => ({ text: long(cjk, 20), tag: `[${long('tag', 20)}] ${i}`, date: null, rationale: null })) },
    todos: { pending: 300, items: Array.from({ length: 300 }, () => long(cjk, 20)) },
    blockers: { open: 300, resolved: 0, items: Array.from({ length: 300 }, () => long('blocked by a very long explanation', 30)) },
    session: { last: '2026-04-03T16:20:00Z', stoppedAt: long('stopped', 100), resumeFile: `.planning/${'deep/'.repeat(80)}file.md` },
    lastActivity: long(cjk, 30),
    scope: { milestone: 'v9.9', name: long('milestone name', 40) },
  });
}
