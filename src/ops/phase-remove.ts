/**
 * `phase remove <id> [--force]`: deletes a phase — its folder and its ROADMAP entries (list line,
 * details block, progress rows) — and renumbers the later phases of the same level: removing 3
 * makes 4 → 3 and 4.1 → 3.1; removing 2.1 makes 2.2 → 2.1. The whole old → new map is computed
 * first and applied in one pass (GSD's repeated passes collapsed later phases onto one number):
 * folder names, file names inside them, frontmatter `phase:`/`plan:`/dependency values in those
 * files, and every ROADMAP reference (headings, list lines, table cells, "Depends on", plan ids,
 * folder names). A dependency on the removed phase becomes a dependency on its own dependencies.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PreconditionError } from '../model/errors.ts';
import { applyEdits, parseMarkdown } from '../markdown/index.ts';
import type { Edit, Span } from '../markdown/types.ts';
import { comparePhaseIds, isBacklogPhase, normalizePhaseId, planKey } from '../model/ids.ts';
import { isKnownEvent } from '../ledger/index.ts';
import { confine } from '../store/paths.ts';
import { decode } from '../workspace/index.ts';
import type { PhaseDir, Workspace } from '../workspace/types.ts';
import type { Context } from './run.ts';
import { emptyChange, type Change } from './change.ts';
import { conflict, requireKnownPhase } from './input.ts';
import {
  afterLine,
  formatLike,
  lineEnd,
  locatePhases,
  newErrors,
  phaseEntrySpans,
  renumberEdits,
  requireEditable,
  reread,
  type Renumbering,
} from './roadmap-edit.ts';
import { knownPhaseIds } from './phase-add.ts';

export interface PhaseRemoveInput {
  id: string | undefined;
  force?: boolean;
}

const BACKLOG = 999n;

interface IdParts {
  int: bigint;
  letter: string;
  parts: bigint[];
}

function partsOf(id: string): IdParts {
  const m = /^(\d+)([A-Z]?)((?:\.\d+)*)$/.exec(id)!;
  return { int: BigInt(m[1]!), letter: m[2]!, parts: m[3] ? m[3].slice(1).split('.').map((x) => BigInt(x)) : [] };
}

function idOf(p: IdParts): string {
  return [p.int.toString() + p.letter, ...p.parts.map((x) => x.toString())].join('.');
}

/**
 * Old → new ids after removing `removed`: later integers (with their decimal children) move down
 * by one; for a decimal, its later siblings (with their children) do. Backlog (999.x) and ids
 * with a letter suffix of the removed integer never move.
 */
export function renumberMap(removed: string, ids: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  if (isBacklogPhase(removed)) return map;
  const r = partsOf(removed);
  if (r.letter !== '' && r.parts.length === 0) return map;
  for (const id of ids) {
    if (id === removed || isBacklogPhase(id)) continue;
    const x = partsOf(id);
    if (r.parts.length === 0) {
      // 999 is GSD's backlog number: a phase above it steps over it.
      if (x.int > r.int) map.set(id, idOf({ ...x, int: x.int - 1n === BACKLOG ? x.int - 2n : x.int - 1n }));
      continue;
    }
    // Same parent (all parts but the last), then a later last part.
    const depth = r.parts.length;
    if (x.int !== r.int || x.letter !== r.letter || x.parts.length < depth) continue;
    let same = true;
    for (let i = 0; i < depth - 1; i++) if (x.parts[i] !== r.parts[i]) same = false;
    if (!same || x.parts[depth - 1]! <= r.parts[depth - 1]!) continue;
    const parts = [...x.parts];
    parts[depth - 1] = parts[depth - 1]! - 1n;
    map.set(id, idOf({ ...x, parts }));
  }
  return map;
}

const DIR_ID = /^([A-Z]{1,6}-)?(\d{1,6}[A-Za-z]?(?:\.\d{1,6})*)/;

/** `04-auth` → `03-auth`, `3.1-x` → `2.1-x`, `CK-04-x` → `CK-03-x`: the id part in its own padding style. */
export function renamedDir(name: string, id: string): string {
  const m = DIR_ID.exec(name)!;
  return (m[1] ?? '') + formatLike(m[2]!, id, true) + name.slice(m[0].length);
}

/** A file whose name starts with its phase's id (`04-01-PLAN.md`, `04-CONTEXT.md`) takes the new id. */
export function renamedFile(base: string, oldId: string, newId: string): string {
  const m = /^([A-Z]{1,6}-)?(\d{1,6}[A-Za-z]?(?:\.\d{1,6})*)(?=[-.])/.exec(base);
  if (!m || normalizePhaseId(m[2]!) !== oldId) return base;
  return (m[1] ?? '') + formatLike(m[2]!, newId, true) + base.slice(m[0].length);
}

const ID_SRC = String.raw`\d{1,6}[A-Za-z]?(?:\.\d{1,6})*`;
const KEY_LINE = /^([ \t]*)(-[ \t]+)?([A-Za-z_][\w-]*)[ \t]*:[ \t]?(.*)$/;
const REF_KEYS = new Set(['depends_on', 'depends-on', 'dependson', 'requires', 'affects', 'provides_to', 'blocks', 'after']);

/**
 * Frontmatter values that name phases or plans: `phase:` (`04-slug`, `04`, `4`), a phase-plan
 * `plan:` (`04-02`), and plan/phase references in dependency lists (`depends_on: ["04-01"]`,
 * `requires: - phase: 04-01`, `affects: [05-session]`). Bare numbers in lists stay (ambiguous).
 */
export function frontmatterEdits(text: string, map: ReadonlyMap<string, string>): Edit[] {
  const doc = parseMarkdown(text);
  const fm = doc.frontmatter;
  if (!fm) return [];
  const edits: Edit[] = [];
  let listKey: string | null = null;
  const lead = new RegExp(`^[ \\t]*(["']?)(${ID_SRC})(?=$|-|["'\\s,\\]])`);
  const refs = new RegExp(String.raw`(?<![\w.\-])(${ID_SRC})-(?=\d|[a-z])`, 'g');
  const mapAt = (at: number, raw: string) => {
    const next = map.get(normalizePhaseId(raw) ?? '');
    if (next !== undefined) edits.push({ offset: at, length: raw.length, text: formatLike(raw, next, true) });
  };
  const value = (key: string, start: number, end: number) => {
    const k = key.toLowerCase();
    const v = text.slice(start, end);
    if (k === 'phase') {
      const m = lead.exec(v);
      if (m) mapAt(start + m.index + m[0].length - m[2]!.length, m[2]!);
    } else if (k === 'plan') {
      const m = new RegExp(`^[ \\t]*(["']?)(${ID_SRC})-\\d`).exec(v);
      if (m) mapAt(start + m[0].length - 2 - m[2]!.length, m[2]!);
    } else if (REF_KEYS.has(k)) {
      for (const m of v.matchAll(refs)) mapAt(start + m.index, m[1]!);
    }
  };
  let pos = fm.contentSpan.start;
  const end = fm.contentSpan.end;
  while (pos < end) {
    const e = Math.min(lineEnd(text, pos), end);
    const line = text.slice(pos, e);
    const m = KEY_LINE.exec(line);
    const item = /^([ \t]*)-[ \t]+(.*)$/.exec(line);
    if (m && !(item && !/^[A-Za-z_][\w-]*[ \t]*:/.test(item[2]!))) {
      const [, indent, dash, key, rest] = m;
      const valueStart = pos + line.length - rest!.length;
      if (indent === '' && !dash) listKey = rest!.trim() === '' ? key! : null;
      value(key!, valueStart, e);
    } else if (item && listKey) {
      value(listKey, pos + line.length - item[2]!.length, e);
    }
    pos = afterLine(text, pos);
    if (pos <= 0) break;
  }
  return edits;
}

function completedPlans(ws: Workspace, dir: PhaseDir): string[] {
  const done = new Set<string>();
  for (const e of ws.ledger.events) if (isKnownEvent(e) && e.type === 'plan.completed') done.add(planKey(e.plan));
  return dir.plans.filter((p) => p.summary !== null || done.has(p.key)).map((p) => p.summary?.path ?? p.plan?.path ?? p.id);
}

/** Texts of the plans and summaries already read, by path; other files are read when needed. */
export function parsedTexts(ws: Workspace): Map<string, { text: string; lossless: boolean }> {
  const out = new Map<string, { text: string; lossless: boolean }>();
  for (const d of ws.phases) {
    for (const p of d.plans) {
      if (p.plan) out.set(p.plan.path, { text: p.plan.doc.text, lossless: p.plan.lossless });
      if (p.summary) out.set(p.summary.path, { text: p.summary.doc.text, lossless: p.summary.lossless });
    }
  }
  return out;
}

export function textOf(known: Map<string, { text: string; lossless: boolean }>, root: string, rel: string): { text: string; lossless: boolean } | null {
  const hit = known.get(rel);
  if (hit) return hit;
  try {
    return decode(readFileSync(join(root, rel)));
  } catch {
    return null;
  }
}

/** Files of each folder directly under a parent (`.planning/phases/<dir>/…`), in one pass. */
export function filesByDir(files: readonly string[], dirs: readonly PhaseDir[]): Map<string, string[]> {
  const out = new Map<string, string[]>(dirs.map((d) => [d.path, []]));
  for (const rel of files) {
    for (let i = rel.lastIndexOf('/'); i > 0; i = rel.lastIndexOf('/', i - 1)) {
      const list = out.get(rel.slice(0, i));
      if (list) {
        list.push(rel);
        break;
      }
    }
  }
  return out;
}

export function phaseRemove(ctx: Context, input: PhaseRemoveInput): Change {
  const { ws, root } = ctx;
  const known = knownPhaseIds(ws);
  const id = requireKnownPhase(input.id, known, 'cairn phase remove 3');
  const record = ws.roadmap?.record ?? null;
  const rp = record?.phases.find((p) => p.key === p.id && p.id === id) ?? null;
  const dir = ws.phases.find((d) => d.archived === null && d.id === id) ?? null;

  const done = dir ? completedPlans(ws, dir) : [];
  if (done.length && !input.force) {
    throw new PreconditionError(
      `phase ${id} has ${done.length} completed plan(s): ${done.join(', ')}`,
      `removing it deletes that work; if you mean it: cairn phase remove ${id} --force`,
    );
  }
  const children = known.filter((k) => k.startsWith(`${id}.`));
  if (children.length) {
    conflict(`phase ${id} has inserted phases ${children.join(', ')}`, `remove them first (cairn phase remove ${children[children.length - 1]}), then phase ${id}`);
  }
  if (record?.phases.some((p) => p.key !== p.id)) {
    const dup = record.phases.filter((p) => p.key !== p.id).map((p) => p.key);
    conflict(
      `${ws.roadmap!.path} declares the same phase number under several milestones (${dup.slice(0, 5).join(', ')}): renumbering would be ambiguous`,
      'give the phases unique numbers (or move shipped milestones to milestones/vX.Y-ROADMAP.md), then retry',
    );
  }

  const map = renumberMap(id, known);
  const archived = ws.phases.filter((d) => d.archived !== null && d.id !== null && (map.has(d.id) || d.id === id));
  if (archived.length) {
    conflict(
      `phase ${id} shares its numbers with archived phases (${archived.slice(0, 3).map((d) => d.path).join(', ')}): renumbering them is not supported`,
      'remove the phase by hand, or leave it and mark it deferred in ROADMAP.md',
    );
  }

  const change = emptyChange();
  const dirs = new Map<string, string>();
  const renamedDirs: { from: string; to: string }[] = [];
  const renamedFiles: { from: string; to: string }[] = [];
  const moving = ws.phases.filter((d) => d.archived === null && d.id !== null && map.has(d.id)).sort((a, b) => comparePhaseIds(a.id!, b.id!));
  const lossy: string[] = [];
  const texts = parsedTexts(ws);
  const byDir = filesByDir(ws.files, [...moving, ...(dir ? [dir] : [])]);

  for (const d of moving) {
    const newId = map.get(d.id!)!;
    const name = renamedDir(d.name, newId);
    const parent = d.path.slice(0, d.path.length - d.name.length);
    const to = parent + name;
    const c = confine(root, to);
    if (!c.ok) conflict(`cannot rename ${d.path} to ${to}: the path ${c.reason}`, 'rename the folder by hand');
    dirs.set(d.name, name);
    if (to !== d.path) {
      renamedDirs.push({ from: d.path, to });
      change.renames.push({ from: d.path, to });
    }
    for (const rel of byDir.get(d.path) ?? []) {
      const inner = rel.slice(d.path.length + 1);
      const slash = inner.lastIndexOf('/');
      const base = inner.slice(slash + 1);
      const newBase = renamedFile(base, d.id!, newId);
      const finalPath = `${to}/${inner.slice(0, slash + 1)}${newBase}`;
      if (newBase !== base) {
        renamedFiles.push({ from: rel, to: finalPath });
        change.renames.push({ from: `${to}/${inner}`, to: finalPath });
      }
      if (!base.toLowerCase().endsWith('.md')) continue;
      const src = textOf(texts, root, rel);
      if (!src) continue;
      const edits = frontmatterEdits(src.text, map);
      if (!edits.length) continue;
      if (!src.lossless) {
        lossy.push(rel);
        continue;
      }
      change.files.set(finalPath, applyEdits(src.text, edits));
    }
  }
  if (lossy.length) {
    throw new PreconditionError(`refusing to edit ${lossy.join(', ')}: not valid UTF-8, so the bytes cannot be reproduced`, 'save them as UTF-8, then retry');
  }

  const r: Renumbering = { map, removed: { id, dependsOn: rp?.dependsOn ?? [] }, ids: known, dirs };
  let mentions: string[] = [];
  if (ws.roadmap) {
    const roadmap = ws.roadmap;
    requireEditable(ws, roadmap);
    const spots = locatePhases(roadmap.doc, roadmap.record);
    const removedSpans: Span[] = rp ? phaseEntrySpans(roadmap.doc, spots.get(rp.key)!) : [];
    const renumbered = renumberEdits(roadmap.doc, roadmap.record, r, removedSpans);
    mentions = renumbered.mentions;
    const edits: Edit[] = [...removedSpans.map((s) => ({ offset: s.start, length: s.end - s.start, text: '' })), ...renumbered.edits];
    const text = applyEdits(roadmap.doc.text, edits);
    const after = reread(text, roadmap.path);
    const expected = roadmap.record.phases.filter((p) => p.id !== id).map((p) => map.get(p.id) ?? p.id).sort(comparePhaseIds);
    const got = after.record.phases.map((p) => p.id).sort(comparePhaseIds);
    const errors = newErrors(ws.diagnostics.filter((d) => d.file === roadmap.path), after.diagnostics);
    if (expected.join(',') !== got.join(',') || errors.length) {
      const missing = expected.filter((x) => !got.includes(x));
      const extra = got.filter((x) => !expected.includes(x));
      const list = (xs: string[]) => (xs.length > 8 ? `${xs.slice(0, 8).join(', ')}, …` : xs.join(', '));
      const why = errors.length
        ? errors.slice(0, 3).map((d) => `line ${d.line}: ${d.message}`).join('; ')
        : `the edited roadmap would ${missing.length ? `lose phase(s) ${list(missing)}` : ''}${missing.length && extra.length ? ' and ' : ''}${extra.length ? `read phase(s) ${list(extra)} twice or anew` : ''}`;
      conflict(`could not edit ${roadmap.path} safely: ${why}`, `remove phase ${id} from it by hand, then run \`cairn check\``);
    }
    if (text !== roadmap.doc.text) change.files.set(roadmap.path, text);
  }
  // REQUIREMENTS.md traceability names phases too ("| AUTH-01 | Phase 4 | Pending |").
  const req = ws.requirements;
  if (req && map.size) {
    const renumbered = renumberEdits(req.doc, null, r, []);
    if (renumbered.edits.length) {
      requireEditable(ws, req);
      change.files.set(req.path, applyEdits(req.doc.text, renumbered.edits));
    }
  }

  if (dir) {
    for (const rel of byDir.get(dir.path) ?? []) change.files.set(rel, null);
    // The folder itself goes too (the runner deletes a folder given as null).
    change.files.set(dir.path, null);
  }

  const name = rp?.name ?? (dir ? dir.slug.replace(/-/g, ' ') : null);
  const moves = [...map].sort((a, b) => comparePhaseIds(a[0], b[0]));
  change.summary = [
    `Removed phase ${id}${name ? ` (${name})` : ''}${dir ? `: deleted ${dir.path}/` : ''}${done.length ? ` with ${done.length} completed plan(s)` : ''}`,
  ];
  if (moves.length) change.summary.push(`Renumbered ${moves.map(([a, b]) => `${a} → ${b}`).join(', ')}`);
  if (renamedDirs.length || renamedFiles.length) change.summary.push(`Renamed ${renamedDirs.length} folder(s) and ${renamedFiles.length} file(s)`);
  if (!rp && ws.roadmap) change.summary.push(`Phase ${id} was not in ${ws.roadmap.path}; only its folder was removed.`);
  for (const m of mentions) change.summary.push(`Check ${ws.roadmap!.path} ${m} (still mentions phase ${id})`);
  change.result = {
    removed: id,
    name,
    directoryDeleted: dir?.path ?? null,
    completedPlansDeleted: done,
    renumbered: moves.map(([from, to]) => ({ from, to })),
    renamedDirectories: renamedDirs,
    renamedFiles,
    roadmapUpdated: change.files.has(ws.roadmap?.path ?? ''),
    mentions,
  };
  return change;
}

