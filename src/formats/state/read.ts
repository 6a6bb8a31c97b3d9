/**
 * Tolerant reader for every STATE.md dialect in the corpus: the GSD template (plain `Phase:` lines),
 * the bold dialect (`**Current Phase:** 3`), bullets, the 2026 YAML frontmatter, translated
 * headings and labels. Sections are found by heading text, values by label; nothing is guessed,
 * and whatever exists but cannot be read becomes a diagnostic. Never throws.
 */
import type { MarkdownDocument } from '../../markdown/index.ts';
import { parseYamlFrontmatter } from '../../markdown/index.ts';
import type { Block, Section, Span } from '../../markdown/types.ts';
import { extractTimestamp } from '../../model/dates.ts';
import { DiagnosticSink } from '../../model/diagnostic.ts';
import { mapStatus } from '../../model/status.ts';
import { readBlockers, readDecisions, readPointer, readTodos, scanEntries } from './entries.ts';
import { collectFields, firstByKey, sectionBlocks, type FieldHit, type FieldKey } from './fields.ts';
import { readMetrics } from './metrics.ts';
import { readMilestoneHeading, readMilestoneSection } from './milestones.ts';
import { NO_PHASE, parsePhaseValue, parsePlanValue } from './position.ts';
import { parseProgress } from './progress.ts';
import { classifyTitle, isPositionFallbackTitle, milestoneHeading } from './sections.ts';
import { clip, isNone, stripEmphasis } from './text.ts';
import type {
  StateFrontmatterFields,
  StateMilestone,
  StatePosition,
  StateProgress,
  StateProjectRef,
  StateReadResult,
  StateRecord,
  StateSection,
  StateSectionKind,
  StateSession,
} from './types.ts';

export function readState(doc: MarkdownDocument, file: string): StateReadResult {
  const sink = new DiagnosticSink(file, (offset) => doc.position(offset));
  try {
    return { record: read(doc, sink), diagnostics: sink.items };
  } catch (err) {
    // A reader bug must not take the whole workspace down; report it and return what is safe.
    sink.error(null, 'state-read-failed', `STATE.md could not be read: ${(err as Error)?.message ?? String(err)}.`, 'Report this: it is a bug in cairn, not in your file.');
    return { record: emptyRecord(), diagnostics: sink.items };
  }
}

export function emptyRecord(): StateRecord {
  return {
    frontmatter: null, frontmatterFields: null, title: null, sections: [], projectRef: null, position: null,
    progress: null, metrics: null, decisions: [], decisionsPointer: null, todos: [], blockers: [], milestones: [],
    session: null,
  };
}

const HINT_SYNC = 'Run `cairn sync` to rewrite the sections cairn owns.';

function read(doc: MarkdownDocument, sink: DiagnosticSink): StateRecord {
  const record = emptyRecord();

  // Frontmatter ---------------------------------------------------------------------------------
  if (doc.frontmatterProblem) sink.warn(doc.frontmatterProblem.offset, 'state-frontmatter-invalid', doc.frontmatterProblem.message);
  if (doc.frontmatter) {
    const fm = parseYamlFrontmatter(doc);
    let data = fm.data;
    if (fm.problem) {
      // GSD writes values like `last_activity: 2026-03-26 -- task 260326-fkr: fix …` that strict
      // YAML rejects; its own reader is line-based, so read the same way rather than lose the fields.
      data = looseFrontmatter(doc.frontmatter.raw);
      sink.warn(fm.problem.offset, 'state-frontmatter-invalid', `${fm.problem.message}; its keys were read line by line instead.`, 'Quote values that contain ": " in the frontmatter; cairn never rewrites a file it cannot parse.');
    }
    record.frontmatter = data;
    if (data) record.frontmatterFields = frontmatterFields(doc, data);
  }

  // Sections ------------------------------------------------------------------------------------
  const all = doc.allSections();
  const kinds = new Map<Section, StateSectionKind>();
  for (const s of all) kinds.set(s, s.depth === 1 ? 'other' : classifyTitle(s.title));
  const hasPositionSection = all.some((s) => kinds.get(s) === 'currentPosition');
  let positionFallback: Section | null = null;
  if (!hasPositionSection) {
    // Listarr keeps its position block under "## Current Status".
    positionFallback =
      all.find((s) => isPositionFallbackTitle(s.title) && collectFields(s.blocks).some((f) => f.key === 'phase' || f.key === 'plan')) ?? null;
    if (positionFallback) kinds.set(positionFallback, 'currentPosition');
  }
  const kindOf = (s: Section): StateSectionKind => kinds.get(s) ?? 'other';
  record.sections = all.map(
    (s): StateSection => ({ kind: kindOf(s), title: s.title, depth: s.depth, span: s.span, line: s.heading.line }),
  );
  record.title = all.find((s) => s.depth === 1)?.title ?? null;
  const ofKind = (k: StateSectionKind) => all.filter((s) => kindOf(s) === k);
  // A classified sub-section is read on its own, not as part of its parent.
  const claimed = (s: Section) => kindOf(s) !== 'other';
  const blocksOf = (sections: Section[]): Block[] => {
    const out: Block[] = [];
    for (const s of sections) for (const { block } of sectionBlocks(s, claimed)) out.push(block);
    return out;
  };
  const preamble = preambleBlocks(doc);

  // Position ------------------------------------------------------------------------------------
  const positionSections = ofKind('currentPosition');
  const posFields = firstByKey(collectFields(blocksOf(positionSections)));
  const preFields = firstByKey(collectFields(preamble));
  const pos = (k: FieldKey): FieldHit | undefined => posFields.get(k) ?? preFields.get(k);
  record.position = readPosition(pos, positionSections.length > 0, record.frontmatterFields, sink);
  if (!hasPositionSection) {
    const where = positionFallback ? `; the position was read from "${positionFallback.title}"` : '';
    sink.info(
      positionFallback?.heading.span.start ?? null,
      'state-position-missing',
      `STATE.md has no "Current Position" section${where}${record.position ? '' : ', so the current phase, plan and status are unknown'}.`,
      HINT_SYNC,
    );
  }
  const progressHit = pos('progress');
  if (progressHit) record.progress = readProgress(progressHit);

  // Project reference -----------------------------------------------------------------------------
  const refSections = ofKind('projectReference');
  if (refSections.length > 0) record.projectRef = readProjectRef(firstByKey(collectFields(blocksOf(refSections))));

  // Metrics ---------------------------------------------------------------------------------------
  const metricSections = ofKind('performanceMetrics');
  if (metricSections.length > 0) {
    const blocks = blocksOf(metricSections);
    record.metrics = readMetrics(firstByKey(collectFields(blocks)), blocks, sink);
    const m = record.metrics;
    if (!m.plansCompleted && !m.averageMinutes && !m.totalMinutes && m.byPhase.length === 0) {
      sink.info(metricSections[0]!.heading.span.start, 'state-field-missing', `"${metricSections[0]!.title}" has no velocity fields (Total plans completed, Average duration, Total execution time) or By-Phase table.`, HINT_SYNC);
    }
  }

  // Decisions, todos, blockers ----------------------------------------------------------------------
  // A qualified decisions heading (`### Key Decisions (v2.0)`, `(Phase 12 UX)`) names the group of its entries.
  const decisionScan = scanEntries(ofKind('decisions'), claimed, (s) => (/[)）]\s*[:：]?\s*$/.test(s.title) ? stripEmphasis(s.title).trim() : null));
  record.decisions = readDecisions(decisionScan, extractTimestamp);
  record.decisionsPointer = readPointer(decisionScan);
  record.todos = readTodos(scanEntries(ofKind('pendingTodos'), claimed));
  record.blockers = readBlockers(scanEntries(ofKind('blockers'), claimed));

  // Milestones --------------------------------------------------------------------------------------
  const milestones: StateMilestone[] = [];
  const covered = new Set<Section>();
  const cover = (s: Section): void => {
    covered.add(s);
    s.children.forEach(cover);
  };
  for (const s of ofKind('milestoneHistory')) {
    milestones.push(...readMilestoneSection(s));
    cover(s);
  }
  for (const s of all) {
    if (kindOf(s) !== 'other' || covered.has(s)) continue;
    const mh = milestoneHeading(s.title);
    if (!mh) continue;
    const completed = firstByKey(collectFields(s.blocks)).get('completed');
    milestones.push(readMilestoneHeading(s, mh.id, mh.rest, completed ? extractTimestamp(completed.value) : null));
  }
  const fmMilestone = frontmatterMilestone(doc, record.frontmatterFields);
  if (fmMilestone && !milestones.some((m) => m.id === fmMilestone.id)) milestones.push(fmMilestone);
  record.milestones = milestones;

  // Session -----------------------------------------------------------------------------------------
  const sessionSections = ofKind('sessionContinuity');
  if (sessionSections.length > 0) {
    record.session = readSession(firstByKey(collectFields(blocksOf(sessionSections))), sessionSections[0]!, record.frontmatterFields, sink);
  }

  // Sections a reader expects ----------------------------------------------------------------------
  const expected: [StateSectionKind, string][] = [
    ['performanceMetrics', 'Performance Metrics'],
    ['decisions', 'Decisions'],
    ['pendingTodos', 'Pending Todos'],
    ['blockers', 'Blockers/Concerns'],
    ['sessionContinuity', 'Session Continuity'],
  ];
  for (const [kind, title] of expected) {
    if (ofKind(kind).length === 0) sink.info(null, 'state-section-missing', `STATE.md has no "${title}" section; nothing was read for it.`, HINT_SYNC);
  }
  return record;
}

/** Blocks before the first level-2+ heading (the text under the title). */
function preambleBlocks(doc: MarkdownDocument): Block[] {
  const out: Block[] = [];
  for (const b of doc.blocks) {
    if (b.kind === 'heading') {
      if (b.depth === 1) continue;
      break;
    }
    out.push(b);
  }
  return out;
}

function at(hit: FieldHit): { line: number; span: Span } {
  return { line: hit.line, span: hit.span };
}

function readPosition(
  get: (k: FieldKey) => FieldHit | undefined,
  hasSection: boolean,
  fm: StateFrontmatterFields | null,
  sink: DiagnosticSink,
): StatePosition | null {
  const phaseHit = get('phase');
  const planHit = get('plan');
  const statusHit = get('status');
  const activityHit = get('lastActivity');
  const milestoneHit = get('milestone');
  if (!hasSection && !phaseHit && !planHit && !statusHit && !activityHit) return null;

  let phase: StatePosition['phase'] = null;
  if (phaseHit) {
    const v = parsePhaseValue(phaseHit.value);
    const nameHit = get('phaseName');
    const totalHit = get('totalPhases');
    if (v.name === null && nameHit) v.name = stripEmphasis(nameHit.value) || null;
    if (v.total === null && totalHit && /^\d+$/.test(stripEmphasis(totalHit.value))) v.total = Number(stripEmphasis(totalHit.value));
    phase = { ...v, text: phaseHit.value, ...at(phaseHit) };
    if (v.id === null && /\d/.test(phaseHit.value) && !NO_PHASE.test(stripEmphasis(phaseHit.value))) {
      sink.info(phaseHit.span.start, 'state-field-unreadable', `Could not read a phase number from "${clip(phaseHit.value)}"; expected e.g. "3 of 8 (Name)".`, HINT_SYNC);
    }
  } else if (hasSection) {
    sink.info(null, 'state-field-missing', 'The position block has no "Phase:" line, so the current phase is unknown.', HINT_SYNC);
  }

  let plan: StatePosition['plan'] = null;
  if (planHit) {
    const v = parsePlanValue(planHit.value);
    const totalHit = get('plansInPhase');
    if (v.total === null && totalHit && /^\d+$/.test(stripEmphasis(totalHit.value))) v.total = Number(stripEmphasis(totalHit.value));
    plan = { ...v, text: planHit.value, ...at(planHit) };
  }

  let statusText: string | null = null;
  let statusAt: StatePosition['statusAt'] = null;
  if (statusHit && statusHit.value !== '') {
    statusText = statusHit.value;
    statusAt = at(statusHit);
  } else if (fm?.status) statusText = fm.status;
  const status = statusText === null ? null : mapStatus(statusText);
  if (statusText !== null && status === null) {
    sink.info(statusHit?.span.start ?? null, 'state-status-unmapped', `Status "${clip(statusText)}" does not map to a known status.`, 'Use one of: not started, planning, ready to execute, in progress, phase complete, milestone complete, blocked, paused.');
  }

  // "None" is what a renderer writes for an absent value: read it back as absent.
  const lastActivity = activityHit && !isNone(activityHit.value) ? { date: extractTimestamp(activityHit.value), text: activityHit.value, ...at(activityHit) } : null;
  const milestone = milestoneHit ? { text: milestoneHit.value, ...at(milestoneHit) } : null;
  return { phase, plan, statusText, status, statusAt, lastActivity, milestone };
}

function readProgress(hit: FieldHit): StateProgress {
  return { text: hit.value, ...parseProgress(hit.value), ...at(hit) };
}

function readProjectRef(fields: Map<FieldKey, FieldHit>): StateProjectRef {
  const see = fields.get('see')?.value ?? null;
  const file = see === null ? null : (/[^\s()`'"]+\.md\b/.exec(see)?.[0] ?? null);
  return {
    coreValue: fields.get('coreValue')?.value || null,
    currentFocus: fields.get('currentFocus')?.value || null,
    projectFile: file,
    updated: see === null ? null : extractTimestamp(see),
  };
}

const NO_FILE = /^(?:none|n\/a|null|nil|tbd|-+|—|–)(?![\p{L}\p{N}])/iu;

function readSession(fields: Map<FieldKey, FieldHit>, section: Section, fm: StateFrontmatterFields | null, sink: DiagnosticSink): StateSession {
  const lastHit = fields.get('lastSession');
  const stoppedHit = fields.get('stoppedAt');
  const resumeHit = fields.get('resumeFile');
  let last: string | null = null;
  if (lastHit && lastHit.value !== '' && !isNone(lastHit.value)) {
    last = extractTimestamp(lastHit.value);
    if (last === null) sink.info(lastHit.span.start, 'state-field-unreadable', `"${lastHit.label}" has no date ("${clip(lastHit.value)}").`, HINT_SYNC);
  }
  let resumeFile: string | null = null;
  if (resumeHit) {
    const v = stripEmphasis(resumeHit.value);
    if (v !== '' && !NO_FILE.test(v) && !isNone(v)) resumeFile = v;
  }
  const first = lastHit ?? stoppedHit ?? resumeHit;
  return {
    last,
    // A body line saying "None" is explicit; the frontmatter only fills in when the body has no line.
    stoppedAt: stoppedHit ? (isNone(stoppedHit.value) ? null : stoppedHit.value || null) : (fm?.stoppedAt ?? null),
    resumeFile,
    ...(first ? at(first) : { line: section.heading.line, span: section.heading.span }),
  };
}

// Frontmatter -------------------------------------------------------------------------------------

/** The value of a top-level frontmatter key as written, quotes removed, and where it is. */
function frontmatterScalar(doc: MarkdownDocument, key: string): { text: string; span: Span } | null {
  const fm = doc.frontmatter;
  if (!fm) return null;
  // Keys are fixed identifiers chosen here, never user text.
  const re = new RegExp(`^${key}[ \\t]*:[ \\t]*([^\\r\\n]*)`, 'm');
  const m = re.exec(fm.raw);
  if (!m) return null;
  let text = m[1]!.replace(/\s+#.*$/, '').trim();
  let start = fm.contentSpan.start + m.index + m[0].length - m[1]!.length;
  if (text.length >= 2 && (text[0] === '"' || text[0] === "'") && text[text.length - 1] === text[0]) {
    text = text.slice(1, -1);
    start += 1;
  }
  return { text, span: { start, end: start + text.length } };
}

/** `key: value` lines and one level of indented `key: value` / `- item` lines; values stay text. */
export function looseFrontmatter(raw: string): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  let parent: string | null = null;
  for (const line of raw.split(/\r?\n/)) {
    if (/^\s*(?:#|$)/.test(line)) continue;
    const top = /^([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t]+(.*))?$/.exec(line);
    if (top) {
      const value = unquote(top[2] ?? '');
      out[top[1]!] = value === '' ? {} : value;
      parent = value === '' ? top[1]! : null;
      continue;
    }
    if (parent === null) continue;
    const item = /^\s+-\s+(.*)$/.exec(line);
    if (item) {
      const cur = out[parent];
      const list = Array.isArray(cur) ? cur : [];
      list.push(unquote(item[1]!));
      out[parent] = list;
      continue;
    }
    const sub = /^\s+([A-Za-z_][\w.-]*)[ \t]*:[ \t]*(.*)$/.exec(line);
    const cur = out[parent];
    if (sub && cur && typeof cur === 'object' && !Array.isArray(cur)) {
      const v = unquote(sub[2]!);
      (cur as Record<string, unknown>)[sub[1]!] = /^-?\d+(?:\.\d+)?$/.test(v) ? Number(v) : v;
    }
  }
  return Object.keys(out).length > 0 ? out : null;
}

function unquote(v: string): string {
  const t = v.replace(/\s+#.*$/, '').trim();
  return t.length >= 2 && (t[0] === '"' || t[0] === "'") && t[t.length - 1] === t[0] ? t.slice(1, -1) : t;
}

function frontmatterFields(doc: MarkdownDocument, data: Record<string, unknown>): StateFrontmatterFields {
  const text = (key: string): string | null => {
    const v = data[key];
    if (typeof v === 'string') return v.trim() === '' ? null : v;
    if (typeof v === 'number' || typeof v === 'boolean') return frontmatterScalar(doc, key)?.text ?? String(v);
    if (v instanceof Date) return v.toISOString();
    return null;
  };
  const p = data.progress;
  let progress: StateFrontmatterFields['progress'] = null;
  if (p && typeof p === 'object' && !Array.isArray(p)) {
    const map = p as Record<string, unknown>;
    const num = (k: string): number | null => {
      const v = map[k];
      if (typeof v === 'number' && Number.isFinite(v)) return v;
      if (typeof v === 'string' && /^\s*\d+(?:\.\d+)?\s*%?\s*$/.test(v)) return Number(v.replace('%', ''));
      return null;
    };
    progress = {
      totalPhases: num('total_phases'),
      completedPhases: num('completed_phases'),
      totalPlans: num('total_plans'),
      completedPlans: num('completed_plans'),
      percent: num('percent'),
    };
  }
  return {
    version: text('gsd_state_version'),
    milestone: text('milestone'),
    milestoneName: text('milestone_name'),
    status: text('status'),
    stoppedAt: text('stopped_at'),
    lastUpdated: text('last_updated'),
    lastActivity: text('last_activity'),
    progress,
  };
}

function frontmatterMilestone(doc: MarkdownDocument, fm: StateFrontmatterFields | null): StateMilestone | null {
  if (!fm?.milestone) return null;
  const where = frontmatterScalar(doc, 'milestone');
  const span = where?.span ?? doc.frontmatter!.contentSpan;
  // `milestone_name: milestone` is an unfilled template value, not a name.
  const name = fm.milestoneName && fm.milestoneName.toLowerCase() !== 'milestone' ? fm.milestoneName : null;
  return { id: fm.milestone, name, shipped: null, statusText: fm.status, line: doc.position(span.start).line, span };
}
