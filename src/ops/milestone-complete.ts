/**
 * `cairn milestone complete <version> [--archive-phases] [--force]`: archives a milestone as GSD
 * does — ROADMAP.md and REQUIREMENTS.md copied to `milestones/<v>-*.md`, `<v>-MILESTONE-AUDIT.md`
 * moved there, phase folders moved to `milestones/<v>-phases/` on request — then marks it shipped
 * in ROADMAP.md (emoji, status words, "Phases TBD" → its range, all by splicing), adds its entry to
 * MILESTONES.md and records `milestone.completed`. Unlike GSD it refuses while phases of the
 * milestone are incomplete (unless --force), never overwrites an archive file that already exists,
 * and does nothing the second time.
 */
import { applyEdits, type MarkdownDocument } from '../markdown/index.ts';
import type { Edit } from '../markdown/types.ts';
import type { RoadmapMilestone } from '../formats/roadmap/types.ts';
import { derive } from '../derive/index.ts';
import type { PhaseState, ProjectState } from '../derive/types.ts';
import { isKnownEvent } from '../ledger/index.ts';
import { confine } from '../store/paths.ts';
import { firstH1, nextNonBlankLine } from '../formats/text-scan.ts';
import type { Workspace } from '../workspace/types.ts';
import { PreconditionError, UsageError } from '../model/errors.ts';
import { addEvent, emptyChange, type Change } from './change.ts';
import { conflict } from './input.ts';
import type { Context } from './run.ts';
import {
  ROADMAP_PATH,
  blockInsertion,
  lineEnd,
  lineStart,
  milestoneEntryEdits,
  readBack,
  requireEditable,
  sameVersion,
} from './milestone-new.ts';

const PLANNING = '.planning';
const MILESTONES_PATH = `${PLANNING}/MILESTONES.md`;

export interface MilestoneCompleteInput {
  version: string;
  /** Name for MILESTONES.md when the roadmap and ledger name none. */
  name: string | null;
  archivePhases: boolean;
  force: boolean;
}

/** Date of the milestone's `milestone.completed` event, or null. */
function completedInLedger(ws: Workspace, version: string): string | null {
  for (const e of ws.ledger.events) {
    if (isKnownEvent(e) && e.type === 'milestone.completed' && sameVersion(e.milestone, version)) return e.at.slice(0, 10);
  }
  return null;
}

function startedName(ws: Workspace, version: string): string | null {
  let name: string | null = null;
  for (const e of ws.ledger.events) {
    if (isKnownEvent(e) && e.type === 'milestone.started' && sameVersion(e.milestone, version)) name = e.name;
  }
  return name;
}

/**
 * The phases of `m`, computed by derive() itself with `m` as the active milestone, so "complete"
 * means exactly what `cairn status` means by it.
 */
function scopedTo(ws: Workspace, m: RoadmapMilestone, now: Date): ProjectState {
  const roadmap = ws.roadmap!;
  const milestones = roadmap.record.milestones.map((x) =>
    x === m ? { ...x, status: 'active' as const } : x.status === 'active' ? { ...x, status: 'planned' as const } : x,
  );
  return derive({ ...ws, roadmap: { ...roadmap, record: { ...roadmap.record, milestones } } }, now);
}

function rangeText(phases: PhaseState[]): string | null {
  if (phases.length === 0) return null;
  const first = phases[0]!.id;
  const last = phases.at(-1)!.id;
  return first === last ? first : `${first}-${last}`;
}

const STATUS = 'in[ -]progress|planned|not[ -]started|active|current|wip|upcoming|next|executing|in[ -]development';
const STATUS_IN_PARENS = new RegExp(`\\(\\s*(${STATUS})(?![\\p{L}\\p{N}])`, 'iu');
const STATUS_AFTER_DASH = new RegExp(`(?:—|–|--|\\s-)\\s*\\**(${STATUS})(?![\\p{L}\\p{N}])`, 'iu');
const SHIPPED_ALREADY = /\bshipped\b|\bcompleted?\b|✅/i;

function shippedWord(written: string): string {
  if (written === written.toUpperCase()) return 'SHIPPED';
  if (written[0] === written[0]!.toUpperCase()) return 'Shipped';
  return 'shipped';
}

/** Splices that turn one declaration (a bullet or heading line, a `<summary>`) into a shipped one. */
function shipSegment(text: string, start: number, end: number, m: RoadmapMilestone, date: string, range: string | null, kind: string): Edit[] {
  const seg = text.slice(start, end);
  const edits: Edit[] = [];
  const emoji = /(?:🚧|📋)\uFE0F?/u.exec(seg);
  if (emoji) edits.push({ offset: start + emoji.index, length: emoji[0].length, text: '✅' });
  // Status words are looked for after the version and name, so a name such as "Next Gen" is never edited.
  let tail = m.id ? seg.toLowerCase().indexOf(m.id.toLowerCase()) : -1;
  tail = tail < 0 ? 0 : tail + m.id!.length;
  if (m.name && m.name !== m.id) {
    const at = seg.indexOf(m.name, tail);
    if (at >= 0) tail = at + m.name.length;
  }
  const rest = seg.slice(tail);
  if (range) {
    const tbd = /\bPhases?\s+(TBD)\b/i.exec(rest);
    if (tbd) edits.push({ offset: start + tail + tbd.index + tbd[0].length - 3, length: 3, text: range });
  }
  const st = STATUS_IN_PARENS.exec(rest) ?? STATUS_AFTER_DASH.exec(rest);
  if (st) {
    const word = st[1]!;
    edits.push({ offset: start + tail + st.index + st[0].length - word.length, length: word.length, text: `${shippedWord(word)} ${date}` });
  } else if (!SHIPPED_ALREADY.test(rest)) {
    const closing = kind === 'heading' ? /\s+#+\s*$/.exec(seg) : null;
    const at = start + (closing ? closing.index : seg.trimEnd().length);
    edits.push({ offset: at, length: 0, text: kind === 'details' ? ` - SHIPPED ${date}` : kind === 'heading' ? ` (Shipped ${date})` : ` (shipped ${date})` });
  }
  return edits;
}

function shipEdits(doc: MarkdownDocument, m: RoadmapMilestone, date: string, range: string | null): Edit[] {
  const text = doc.text;
  const edits: Edit[] = [];
  const seen = new Set<number>();
  for (const d of m.declarations) {
    let start: number;
    let end: number;
    if (d.kind === 'bullet' || d.kind === 'heading') {
      start = lineStart(text, d.line);
      end = lineEnd(text, start);
    } else if (d.kind === 'details') {
      const limit = Math.min(d.span.end === -1 ? text.length : d.span.end, d.span.start + 4000);
      const open = text.indexOf('<summary>', d.span.start);
      const close = open < 0 ? -1 : text.indexOf('</summary>', open);
      if (open < 0 || close < 0 || close > limit) continue;
      start = open + '<summary>'.length;
      end = close;
    } else {
      continue; // a `**Milestone:**` field carries no status
    }
    if (seen.has(start)) continue;
    seen.add(start);
    edits.push(...shipSegment(text, start, end, m, date, range, d.kind));
  }
  return edits;
}

/** The one-liner of a SUMMARY: the bold line right under its H1 (GSD's template). */
function oneLiner(doc: MarkdownDocument): string | null {
  const text = doc.text;
  const h1 = firstH1(text, doc.frontmatter?.span.end ?? 0);
  if (!h1) return null;
  const nl = text.indexOf('\n', h1.end);
  if (nl < 0) return null;
  const line = nextNonBlankLine(text, nl + 1);
  const m = line ? /^\s*\*\*(.+?)\*\*\s*$/.exec(line.text) : null;
  return m ? m[1]!.trim() : null;
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function milestonesEntry(version: string, name: string, date: string, phases: PhaseState[], ws: Workspace, eol: string): string {
  const done = phases.filter((p) => p.complete);
  const plans = phases.reduce((a, p) => a + p.plans.done, 0);
  const dirs = new Set(phases.map((p) => p.dir).filter((d): d is string => d !== null));
  const lines: string[] = [];
  for (const d of ws.phases) {
    if (!dirs.has(d.path)) continue;
    for (const p of d.plans) {
      const line = p.summary ? oneLiner(p.summary.doc) : null;
      if (line) lines.push(`- ${line}`);
    }
  }
  const out = [`## ${name ? `${version} ${name}` : version} (Shipped: ${date})`, '', `**Phases completed:** ${count(done.length, 'phase')}, ${count(plans, 'plan')}`];
  const open = phases.filter((p) => !p.complete);
  if (open.length) out.push(`**Shipped incomplete:** ${open.map((p) => `Phase ${p.id} (${p.plans.done}/${p.plans.total} plans)`).join(', ')}`);
  out.push('', '**Key accomplishments:**', '', ...(lines.length ? lines : ['- (none recorded)']));
  return out.join(eol);
}

function milestonesFileEdit(ws: Workspace, version: string, name: string, date: string, phases: PhaseState[]): { path: string; text: string } | null {
  const file = ws.milestonesFile;
  if (!file) {
    return { path: MILESTONES_PATH, text: ['# Milestones', '', milestonesEntry(version, name, date, phases, ws, '\n'), '', '---', ''].join('\n') };
  }
  const doc = file.doc;
  const entries = file.record.milestones;
  const existing = entries.find((e) => sameVersion(e.id, version));
  if (existing?.shipped) return null;
  requireEditable(ws, file);
  const text = doc.text;
  if (existing) {
    const start = lineStart(text, existing.line);
    const end = lineEnd(text, start);
    const closing = /\s+#+\s*$/.exec(text.slice(start, end));
    const at = closing ? start + closing.index : start + text.slice(start, end).trimEnd().length;
    return { path: file.path, text: applyEdits(text, [{ offset: at, length: 0, text: ` (Shipped: ${date})` }]) };
  }
  const eol = doc.eol;
  const entry = milestonesEntry(version, name, date, phases, ws, eol);
  const dated = entries.filter((e) => e.shipped);
  // Most files list the newest first (GSD inserts at the top); keep an oldest-first file in its order.
  const ascending = dated.length >= 2 && dated[0]!.shipped! < dated.at(-1)!.shipped!;
  const edit =
    entries.length && !ascending
      ? blockInsertion(text, lineStart(text, entries[0]!.line), `${entry}${eol}${eol}---`, eol)
      : blockInsertion(text, text.length, `${entry}${eol}${eol}---`, eol);
  return { path: file.path, text: applyEdits(text, [edit]) };
}

function requirementsArchive(text: string, version: string, name: string, date: string): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const header = [
    `# Requirements Archive: ${name ? `${version} ${name}` : version}`,
    '',
    `**Archived:** ${date}`,
    '**Status:** SHIPPED',
    '',
    'For current requirements, see `.planning/REQUIREMENTS.md`.',
    '',
    '---',
    '',
    '',
  ].join(eol);
  return bom + header + text.slice(bom.length);
}

function relInside(ctx: Context, rel: string): string {
  const c = confine(ctx.root, rel);
  if (!c.ok) throw new UsageError(`refusing to use ${JSON.stringify(rel)}: the path ${c.reason}`, 'milestone versions and phase folders must stay inside .planning/');
  return c.rel;
}

export function milestoneComplete(ctx: Context, input: MilestoneCompleteInput): Change {
  const { ws, now } = ctx;
  const { version } = input;
  const roadmap = ws.roadmap;
  const m = roadmap?.record.milestones.find((x) => sameVersion(x.id, version)) ?? null;

  const shipped = completedInLedger(ws, version) ?? (m?.status === 'shipped' ? m.shipped ?? '' : null);
  if (shipped !== null) {
    const change = emptyChange();
    change.summary.push(`Milestone ${version} is already complete${shipped ? ` (shipped ${shipped})` : ''}; nothing to do.`);
    change.result = { version, alreadyComplete: true, shipped: shipped || null };
    return change;
  }
  if (roadmap && roadmap.record.milestones.length > 0 && !m) {
    const ids = roadmap.record.milestones.map((x) => x.id).filter((x): x is string => x !== null);
    throw new UsageError(
      `unknown milestone ${version}; ${ROADMAP_PATH} lists ${ids.length ? ids.join(', ') : 'milestones without versions'}`,
      ids.length ? `e.g. cairn milestone complete ${ids.find((i) => !roadmap.record.milestones.find((x) => x.id === i && x.status === 'shipped')) ?? ids.at(-1)}` : '`cairn milestone new <version> "<name>"` adds one',
    );
  }

  const scoped = m ? scopedTo(ws, m, now) : ctx.state;
  const phases = scoped.phases;
  const open = phases.filter((p) => !p.complete);
  if (!input.force) {
    if (phases.length === 0) {
      conflict(`milestone ${version} has no phases in ${ROADMAP_PATH} or .planning/phases/: there is nothing to complete`, `add its phases first, or pass --force to record it shipped anyway: cairn milestone complete ${version} --force`);
    }
    if (open.length) {
      conflict(
        `milestone ${version} has ${open.length} incomplete phase(s): ${open.map((p) => `${p.id}${p.name ? ` (${p.name}, ${p.plans.done}/${p.plans.total} plans)` : ` (${p.plans.done}/${p.plans.total} plans)`}`).join(', ')}`,
        `finish them (\`cairn status\` shows what is next), or ship anyway with: cairn milestone complete ${version} --force`,
      );
    }
  }

  const name = input.name ?? (m && m.name && m.name !== m.id ? m.name : null) ?? startedName(ws, version) ?? ws.milestonesFile?.record.milestones.find((e) => sameVersion(e.id, version))?.name ?? '';
  const date = now.toISOString().slice(0, 10);
  const range = rangeText(phases);
  const change = emptyChange();
  const archived: { roadmap: string | null; requirements: string | null; audit: string | null; phases: string[] } = { roadmap: null, requirements: null, audit: null, phases: [] };
  const kept: string[] = [];
  const archiveDir = `${PLANNING}/milestones`;
  const has = new Set(ws.files);

  // ROADMAP.md: mark the milestone shipped (or, in a roadmap without milestones, list it as shipped).
  let roadmapAfter: string | null = null;
  if (roadmap) {
    requireEditable(ws, roadmap);
    const edits = m
      ? shipEdits(roadmap.doc, m, date, range)
      : milestoneEntryEdits(roadmap.doc, roadmap.record, { version, name, status: 'shipped', detail: `${range ? `Phases ${range} ` : ''}(shipped ${date})`, heading: false });
    roadmapAfter = applyEdits(roadmap.doc.text, edits);
    if (edits.length && readBack(roadmapAfter, roadmap.path, version)?.status !== 'shipped') {
      throw new PreconditionError(
        `could not mark ${version} shipped in ${roadmap.path}: after the edit its entry still does not read as shipped`,
        `mark it by hand (e.g. "✅ **${version}** … (shipped ${date})"), then rerun: cairn milestone complete ${version}`,
      );
    }
    if (roadmapAfter !== roadmap.doc.text) change.files.set(roadmap.path, roadmapAfter);

    const target = relInside(ctx, `${archiveDir}/${version}-ROADMAP.md`);
    if (has.has(target)) kept.push(target);
    else {
      change.files.set(target, roadmapAfter);
      archived.roadmap = target;
    }
  }

  if (ws.requirements) {
    if (!ws.requirements.lossless) conflict(`refusing to copy ${ws.requirements.path}: its bytes are not valid UTF-8`, 'save it as UTF-8, then rerun');
    const target = relInside(ctx, `${archiveDir}/${version}-REQUIREMENTS.md`);
    if (has.has(target)) kept.push(target);
    else {
      change.files.set(target, requirementsArchive(ws.requirements.doc.text, version, name, date));
      archived.requirements = target;
    }
  }

  const auditName = `${version}-MILESTONE-AUDIT.md`.toLowerCase();
  const audit = ws.files.find((f) => f.startsWith(`${PLANNING}/`) && f.indexOf('/', PLANNING.length + 1) < 0 && f.slice(PLANNING.length + 1).toLowerCase() === auditName);
  if (audit) {
    const target = relInside(ctx, `${archiveDir}/${audit.slice(PLANNING.length + 1)}`);
    if (has.has(target)) kept.push(target);
    else {
      change.renames.push({ from: audit, to: target });
      archived.audit = target;
    }
  }

  if (input.archivePhases) {
    const dirs = new Set(phases.map((p) => p.dir).filter((d): d is string => d !== null));
    for (const id of m?.phaseIds ?? []) {
      const d = ws.phases.find((x) => x.archived === null && x.id === id);
      if (d) dirs.add(d.path);
    }
    const into = relInside(ctx, `${archiveDir}/${version}-phases`);
    for (const d of ws.phases) {
      if (!dirs.has(d.path) || d.archived !== null) continue;
      const to = relInside(ctx, `${into}/${d.name}`);
      if (ws.phases.some((x) => x.path === to) || ws.files.some((f) => f.startsWith(`${to}/`))) {
        conflict(`cannot archive ${d.path}: ${to} already exists`, `merge or remove ${to} by hand, then rerun: cairn milestone complete ${version} --archive-phases`);
      }
      change.renames.push({ from: d.path, to });
      archived.phases.push(to);
    }
  }

  const milestones = milestonesFileEdit(ws, version, name, date, phases);
  if (milestones) change.files.set(milestones.path, milestones.text);

  addEvent(change, ws, { type: 'milestone.completed', milestone: version }, now);

  const plans = phases.reduce((a, p) => a + p.plans.done, 0);
  const title = name ? `${version} ${name}` : version;
  change.summary.push(`Completed milestone ${title}: ${phases.length - open.length} of ${phases.length} phase(s), ${plans} plan(s) done.`);
  if (open.length) change.summary.push(`Shipped with --force while ${open.length} phase(s) were incomplete: ${open.map((p) => p.id).join(', ')}.`);
  const moved = [archived.roadmap, archived.requirements, archived.audit].filter((x): x is string => x !== null);
  if (moved.length) change.summary.push(`Archived ${moved.join(', ')}.`);
  if (archived.phases.length) change.summary.push(`Moved ${archived.phases.length} phase folder(s) into ${archiveDir}/${version}-phases/.`);
  if (kept.length) change.summary.push(`Kept the existing ${kept.join(', ')} (archives are never overwritten).`);
  change.summary.push(`Next: start the next milestone with \`cairn milestone new <version> "<name>"\`.`);
  change.result = {
    version,
    name,
    date,
    phases: phases.length,
    phasesComplete: phases.length - open.length,
    plans,
    incomplete: open.map((p) => p.id),
    forced: open.length > 0 || phases.length === 0,
    archived,
    kept,
    alreadyComplete: false,
  };
  return change;
}
