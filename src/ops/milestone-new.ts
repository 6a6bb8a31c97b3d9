/**
 * `cairn milestone new <version> "<name>"`: records `milestone.started` and adds the milestone to
 * ROADMAP.md in the roadmap's own style — a bullet like its other milestone bullets (emoji, bold or
 * plain, its dash) and, when it becomes the milestone in progress, GSD's `### 🚧 vX Name (In
 * Progress)` heading at the end of `## Phases`, so that phases written under it belong to it. Every edit is a splice, and the result is read back: an entry the reader would not
 * recognise is refused instead of written. The text helpers here are shared with init and complete.
 */
import { applyEdits, parseMarkdown, type MarkdownDocument } from '../markdown/index.ts';
import type { Edit, ListItem } from '../markdown/types.ts';
import { readRoadmap } from '../formats/roadmap/index.ts';
import type { RoadmapMilestone, RoadmapRecord } from '../formats/roadmap/types.ts';
import { isKnownEvent } from '../ledger/index.ts';
import type { Parsed, Workspace } from '../workspace/types.ts';
import { PreconditionError, UsageError } from '../model/errors.ts';
import { addEvent, emptyChange, type Change } from './change.ts';
import { conflict, requireText } from './input.ts';
import type { Context } from './run.ts';

export const ROADMAP_PATH = '.planning/ROADMAP.md';

// ---- input ------------------------------------------------------------------------------------

const VERSION = /^[vV]?(\d{1,6}(?:\.\d{1,6}){1,3})$/;

/** `v1.2`, `1.2`, `V0.10.0` → `v1.2` / `v0.10.0`; null when it is not a version. */
export function normalizeVersion(raw: string): string | null {
  const m = VERSION.exec(raw.trim());
  return m ? `v${m[1]}` : null;
}

export function requireVersion(raw: string | undefined, example: string): string {
  if (raw === undefined || raw.trim() === '') throw new UsageError('a milestone version is missing', `e.g. ${example}`);
  const v = normalizeVersion(raw);
  if (v === null) {
    const shown = JSON.stringify(raw.length > 40 ? `${raw.slice(0, 39)}…` : raw);
    throw new UsageError(`${shown} is not a milestone version; expected v<major>.<minor>[.<patch>] such as v1.2 or v0.10.0`, `e.g. ${example}`);
  }
  return v;
}

/** One line of free text (a name or a sentence that lands in a heading or a `**Label:**` line). */
export function requireLine(raw: string | undefined, what: string, example: string): string {
  const text = requireText(raw, what, example);
  if (/[\r\n]/.test(text)) throw new UsageError(`${what} must be one line; it contains a line break`, `e.g. ${example}`);
  return text;
}

/** A milestone name: one line, without `**`/`__`, which would break the bold name of its roadmap entry. */
export function requireMilestoneName(raw: string | undefined, what: string, example: string): string {
  const name = requireLine(raw, what, example);
  if (/\*\*|__/.test(name)) throw new UsageError(`${what} contains "**" or "__", which would break its ROADMAP.md entry`, `e.g. ${example}`);
  return name;
}

export function sameVersion(a: string | null | undefined, b: string | null | undefined): boolean {
  return !!a && !!b && a.toLowerCase() === b.toLowerCase();
}

/** Refuses to edit a file that was not read losslessly or whose reader reported an error. */
export function requireEditable(ws: Workspace, p: Parsed<unknown>): void {
  if (!p.lossless) {
    conflict(`refusing to edit ${p.path}: its bytes are not valid UTF-8, so they cannot be kept exactly`, `save it as UTF-8, then run \`cairn check\``);
  }
  const errors = ws.diagnostics.filter((d) => d.file === p.path && d.severity === 'error');
  if (errors.length) {
    conflict(
      `refusing to edit ${p.path}: it did not parse cleanly (${errors.map((d) => `line ${d.line}: ${d.message}`).join('; ')})`,
      `fix the file by hand, then run \`cairn check\``,
    );
  }
}

// ---- milestones already known -----------------------------------------------------------------

/** Where each milestone version is already recorded (ROADMAP, archives, MILESTONES.md, ledger). */
export function milestoneSources(ws: Workspace): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const put = (id: string | null, where: string) => {
    if (!id) return;
    const key = id.toLowerCase();
    const list = out.get(key) ?? [];
    if (!list.includes(where)) list.push(where);
    out.set(key, list);
  };
  for (const m of ws.roadmap?.record.milestones ?? []) put(m.id, ws.roadmap!.path);
  for (const r of ws.archivedRoadmaps) put(/\/(v[\d.]+)-ROADMAP\.md$/i.exec(r.path)?.[1] ?? null, r.path);
  for (const m of ws.milestonesFile?.record.milestones ?? []) put(m.id, ws.milestonesFile!.path);
  for (const e of ws.ledger.events) {
    if (isKnownEvent(e) && (e.type === 'milestone.started' || e.type === 'milestone.completed')) put(e.milestone, ws.ledger.path);
  }
  return out;
}

// ---- Markdown text helpers ----------------------------------------------------------------------

/** Offset of the first character of 1-based `line`. */
export function lineStart(text: string, line: number): number {
  let pos = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) return text.length;
    pos = nl + 1;
  }
  return pos;
}

/** Offset just before the line ending of the line that starts at `start`. */
export function lineEnd(text: string, start: number): number {
  const nl = text.indexOf('\n', start);
  const end = nl < 0 ? text.length : nl;
  return text[end - 1] === '\r' ? end - 1 : end;
}

/** An insertion of `block` at `offset` (a line start, or the end of a line) with one blank line before and after it. */
export function blockInsertion(text: string, offset: number, block: string, eol: string): Edit {
  const atLineEnd = offset === text.length ? text.length > 0 && !text.endsWith('\n') : text[offset] === '\n' || text[offset] === '\r';
  if (atLineEnd) {
    const rest = text.slice(offset).replace(/^\r?\n/, '');
    const blankAfter = rest === '' || /^[ \t]*\r?\n/.test(rest);
    return { offset, length: 0, text: eol + eol + block + (blankAfter ? '' : eol) };
  }
  const before = text.slice(Math.max(0, offset - 8), offset);
  const prefix = offset === 0 || /\n[ \t]*\r?\n$/.test(before) ? '' : eol;
  const rest = text.slice(offset, offset + 8);
  const suffix = rest === '' || /^[ \t]*\r?\n/.test(rest) ? '' : eol;
  return { offset, length: 0, text: prefix + block + eol + suffix };
}

const EMOJI = /(?:✅|🚧|📋)\uFE0F?/u;

export type NewStatus = 'active' | 'planned';

/** The style of a roadmap's milestone bullets, taken from an existing one. */
export interface BulletStyle {
  indent: string;
  marker: string;
  emoji: boolean;
  bold: boolean;
  dash: string;
}

export const DEFAULT_BULLET: BulletStyle = { indent: '', marker: '-', emoji: true, bold: true, dash: ' - ' };

export function milestoneBullet(style: BulletStyle, version: string, name: string, status: NewStatus | 'shipped', detail: string): string {
  const emoji = style.emoji ? `${status === 'active' ? '🚧' : status === 'planned' ? '📋' : '✅'} ` : '';
  const title = name ? `${version} ${name}` : version;
  const label = style.bold ? `**${title}**` : title;
  // A shipped entry's detail already carries its date: `Phases 1-4 (shipped 2026-03-10)`.
  const tail = status === 'shipped' ? detail : `${detail} (${status === 'active' ? 'in progress' : 'planned'})`;
  return `${style.indent}${style.marker} ${emoji}${label}${style.dash}${tail}`;
}

export function milestoneHeading(depth: number, emoji: boolean, dash: string, version: string, name: string, status: NewStatus): string {
  const mark = emoji ? `${status === 'active' ? '🚧' : '📋'} ` : '';
  const title = name ? `${version}${dash}${name}` : version;
  return `${'#'.repeat(depth)} ${mark}${title} (${status === 'active' ? 'In Progress' : 'Planned'})`;
}

/** A fresh ROADMAP.md: title, optional milestone, and the sections phase commands fill. */
export function roadmapSkeleton(title: string, milestone: { version: string; name: string } | null, eol = '\n'): string {
  const lines = [`# Roadmap: ${title}`, ''];
  if (milestone) {
    lines.push('## Milestones', '', milestoneBullet(DEFAULT_BULLET, milestone.version, milestone.name, 'active', 'Phases TBD'), '');
  }
  lines.push('## Phases', '');
  if (milestone) lines.push(milestoneHeading(3, true, ' ', milestone.version, milestone.name, 'active'), '');
  lines.push('## Phase Details', '', '## Progress', '', '| Phase | Plans Complete | Status | Completed |', '|-------|----------------|--------|-----------|', '');
  return lines.join(eol);
}

function findItem(doc: MarkdownDocument, line: number): { item: ListItem; prev: ListItem | null } | null {
  const visit = (items: ListItem[]): { item: ListItem; prev: ListItem | null } | null => {
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      if (it.line === line) return { item: it, prev: items[i - 1] ?? null };
      const inner = visit(it.children);
      if (inner) return inner;
    }
    return null;
  };
  for (const b of doc.blocks) {
    if (b.kind !== 'list') continue;
    const hit = visit(b.items);
    if (hit) return hit;
  }
  return null;
}

const DASHES = [' -- ', ' — ', ' – ', ' - '];

function dashOf(text: string): string | null {
  let best: { at: number; dash: string } | null = null;
  for (const d of DASHES) {
    const at = text.indexOf(d);
    if (at >= 0 && (best === null || at < best.at)) best = { at, dash: d };
  }
  return best?.dash ?? null;
}

function styleOf(doc: MarkdownDocument, item: ListItem, anyEmoji: boolean): BulletStyle {
  const first = doc.lineText(item.line);
  const content = doc.text.slice(item.textSpan.start, item.textSpan.end);
  const v = content.search(/v\d/i);
  return {
    indent: ' '.repeat(item.indent),
    marker: /^\d/.test(item.marker) ? '-' : item.marker,
    emoji: anyEmoji || EMOJI.test(first),
    // A linked name (`[v1.0 MVP](milestones/…)`) has no archive yet: the new entry is bold instead.
    bold: /\*\*|__|\[/.test(v >= 0 ? content.slice(0, v) : content),
    dash: dashOf(content) ?? ' - ',
  };
}

const MILESTONES_TITLE =
  /^[^\p{L}\p{N}]*(?:(active|current|planned|upcoming|future|completed?|shipped|previous|past|archived)\s+)?milestones?\s*(?:\(.*\))?\s*$/iu;

function isCompletedTitle(title: string): boolean {
  const m = MILESTONES_TITLE.exec(title);
  return !!m && !!m[1] && /^(?:complete|shipped|previous|past|archived)/i.test(m[1]);
}

/**
 * The splices that add milestone `version` to a roadmap, in the roadmap's style. `detail` is the
 * text after the name (`Phases TBD`, `Phases 1-4 (shipped 2026-03-10)` for a shipped one).
 */
export function milestoneEntryEdits(
  doc: MarkdownDocument,
  record: RoadmapRecord,
  entry: { version: string; name: string; status: NewStatus | 'shipped'; detail: string; heading: boolean },
): Edit[] {
  const text = doc.text;
  const eol = doc.eol;
  const sections = doc.allSections();
  const edits: Edit[] = [];
  const bullets = record.milestones.flatMap((m) => m.declarations.filter((d) => d.kind === 'bullet').map((d) => ({ m, d })));
  const declLines = record.milestones.flatMap((m) => m.declarations.map((d) => doc.lineText(d.line)));
  const anyEmoji = declLines.some((l) => EMOJI.test(l)) || record.milestones.length === 0;

  // Where the list goes: a Milestones section that is not the "completed" one.
  const listSections = sections.filter((s) => s.depth <= 3 && MILESTONES_TITLE.test(s.title) && !isCompletedTitle(s.title));
  const target = listSections[0] ?? null;
  const inTarget = target ? bullets.filter(({ d }) => d.span.start >= target.span.start && d.span.start < target.span.end) : [];
  const model = (inTarget.at(-1) ?? bullets.at(-1)) ?? null;
  const modelHit = model ? findItem(doc, model.d.line) : null;
  const style = modelHit ? styleOf(doc, modelHit.item, anyEmoji) : { ...DEFAULT_BULLET, emoji: anyEmoji };

  if (inTarget.length && modelHit) {
    // After the last milestone bullet of the list, keeping the list tight or loose as it is.
    const { item, prev } = modelHit;
    const loose = prev !== null && /\n[ \t]*\r?\n/.test(text.slice(prev.span.end, item.span.start));
    edits.push({ offset: item.span.end, length: 0, text: eol + (loose ? eol : '') + milestoneBullet(style, entry.version, entry.name, entry.status, entry.detail) });
  } else if (target) {
    const own = target.blocks.at(-1);
    const at = own ? own.span.end : target.heading.span.end;
    edits.push(blockInsertion(text, at, milestoneBullet({ ...style, indent: '' }, entry.version, entry.name, entry.status, entry.detail), eol));
  } else {
    const h2 = sections.filter((s) => s.depth === 2);
    const overview = h2.findIndex((s) => /^overview\b/i.test(s.title));
    const before = overview >= 0 ? h2[overview + 1] : h2[0];
    const block = `## Milestones${eol}${eol}${milestoneBullet({ ...style, indent: '' }, entry.version, entry.name, entry.status, entry.detail)}`;
    edits.push(blockInsertion(text, before ? before.span.start : text.length, block, eol));
  }

  if (entry.heading && entry.status === 'active') {
    const phases = sections.find((s) => s.depth === 2 && /^phases\s*$/i.test(s.title.replace(/[*_]/g, '')));
    if (phases) {
      // GSD's own layout for the current milestone: phases written under its heading belong to it.
      const headings = record.milestones.flatMap((m) => m.declarations.filter((d) => d.kind === 'heading'));
      const modelHeading = headings.filter((d) => d.span.start > phases.span.start && d.span.start < phases.span.end).at(-1);
      const modelText = modelHeading ? doc.lineText(modelHeading.line) : '';
      const depth = /^\s{0,3}(#{1,6})\s/.exec(modelText)?.[1]!.length ?? phases.depth + 1;
      const afterVersion = modelText.replace(/^#+\s*/, '').replace(EMOJI, '').trim().replace(/^v[\d.]+/i, '');
      const dash = /^(?:\s*:\s+|\s+-{1,2}\s+|\s+[—–]\s+)/.exec(afterVersion)?.[0] ?? ' ';
      edits.push(blockInsertion(text, phases.span.end, milestoneHeading(depth, anyEmoji, dash, entry.version, entry.name, 'active'), eol));
    }
  }
  return edits;
}

/** The milestone `version` as the roadmap reader sees it in `text`. */
export function readBack(text: string, path: string, version: string): RoadmapMilestone | null {
  const { record } = readRoadmap(parseMarkdown(text), path);
  return record.milestones.find((m) => sameVersion(m.id, version)) ?? null;
}

// ---- the operation ----------------------------------------------------------------------------

export interface MilestoneNewInput {
  version: string;
  name: string;
}

export function milestoneNew(ctx: Context, input: MilestoneNewInput): Change {
  const { ws, now } = ctx;
  const { version, name } = input;
  const known = milestoneSources(ws).get(version.toLowerCase());
  if (known) {
    conflict(
      `milestone ${version} already exists (in ${known.join(', ')})`,
      `pick the next version, e.g. \`cairn milestone new ${bump(version)} "${name}"\`; \`cairn status --json\` lists the milestones`,
    );
  }
  const roadmap = ws.roadmap;
  // The milestone derive() computes progress over stays the current one until it is completed.
  const scope = ctx.state.scope.milestone;
  const current = scope && !shippedInLedger(ws, scope) ? (roadmap?.record.milestones.find((m) => m.id === scope && m.status !== 'shipped') ?? null) : null;
  const status: NewStatus = current ? 'planned' : 'active';

  let after: string;
  if (roadmap) {
    requireEditable(ws, roadmap);
    const edits = milestoneEntryEdits(roadmap.doc, roadmap.record, { version, name, status, detail: 'Phases TBD', heading: true });
    after = applyEdits(roadmap.doc.text, edits);
  } else {
    after = roadmapSkeleton(ws.project?.record.name ?? 'Project', { version, name });
  }
  const back = readBack(after, ROADMAP_PATH, version);
  if (!back || back.status !== status) {
    throw new PreconditionError(
      `could not add ${version} to ${ROADMAP_PATH} in its own style: the new entry would not read back as a ${status === 'active' ? 'milestone in progress' : 'planned milestone'}`,
      `add a line such as "- 🚧 **${version} ${name}** - Phases TBD (in progress)" under "## Milestones" by hand, then run \`cairn check\``,
    );
  }

  const change = emptyChange();
  change.files.set(ROADMAP_PATH, after);
  addEvent(change, ws, { type: 'milestone.started', milestone: version, name }, now);
  change.summary.push(
    status === 'active'
      ? `Started milestone ${version} ${name}: it is now the milestone in progress in ${ROADMAP_PATH}.`
      : `Added milestone ${version} ${name} to ${ROADMAP_PATH} as planned: ${scope} is still the current milestone (\`cairn milestone complete ${scope}\` ships it).`,
    `Next: add its phases with \`cairn phase add "<name>"\`.`,
  );
  const loose = roadmap && roadmap.record.milestones.length === 0 ? roadmap.record.phases.length : 0;
  if (loose) change.summary.push(`The ${loose} phase(s) already in ${ROADMAP_PATH} belong to no milestone, so they are not part of ${version}.`);
  change.result = { version, name, status, roadmapCreated: roadmap === null };
  return change;
}

function shippedInLedger(ws: Workspace, id: string | null): boolean {
  return ws.ledger.events.some((e) => isKnownEvent(e) && e.type === 'milestone.completed' && sameVersion(e.milestone, id));
}

function bump(version: string): string {
  const parts = version.slice(1).split('.');
  parts[1] = String(Number(parts[1]) + 1);
  return `v${parts.slice(0, 2).join('.')}${parts.length > 2 ? '.0' : ''}`;
}
