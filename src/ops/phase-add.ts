/**
 * `phase add "<name>" [--slug s] [--goal …] [--depends-on 3]`: the next integer phase after the
 * highest one (backlog 999.x ignored), declared in ROADMAP.md in the style of its neighbours — a
 * phase-list line, a details block, a progress-table row — inside the active milestone's block,
 * plus its folder `phases/NN-slug/`. Also the shared machinery `phase insert` uses.
 */
import { UsageError } from '../model/errors.ts';
import { applyEdits } from '../markdown/index.ts';
import type { RoadmapMilestone, RoadmapPhase } from '../formats/roadmap/types.ts';
import { comparePhaseIds, isBacklogPhase, padPhaseId, slugify } from '../model/ids.ts';
import { confine } from '../store/paths.ts';
import type { Workspace } from '../workspace/types.ts';
import { nextFreeInteger, phaseIdsElsewhere, type TakenIds } from '../workspace/index.ts';
import type { Context } from './run.ts';
import { emptyChange, type Change } from './change.ts';
import { conflict, requireKnownPhase, requireSlug, requireText } from './input.ts';
import { inMilestone, isShipped, milestoneOf, newErrors, newPhaseEdits, newRoadmapText, requireEditable, reread, type NewPhase } from './roadmap-edit.ts';

export interface PhaseAddInput {
  name: string | undefined;
  slug?: string | undefined;
  goal?: string | undefined;
  dependsOn?: string | undefined;
}

export const ROADMAP_PATH = '.planning/ROADMAP.md';
const MAX_NAME_CHARS = 200;

/** Every phase id the project knows: declared in ROADMAP.md or present as a folder under phases/. */
export function knownPhaseIds(ws: Workspace): string[] {
  const ids = new Set<string>();
  for (const p of ws.roadmap?.record.phases ?? []) ids.add(p.id);
  for (const d of ws.phases) if (d.id !== null && d.archived === null) ids.add(d.id);
  return [...ids].sort(comparePhaseIds);
}

/**
 * Every phase id in use anywhere, archived folders included, and — so that two branches never
 * hand out one number — the ids other local branches and worktrees hold: a new id must differ
 * from all of them.
 */
function usedPhaseIds(ws: Workspace): string[] {
  const ids = new Set(knownPhaseIds(ws));
  for (const d of ws.phases) if (d.id !== null) ids.add(d.id);
  for (const id of elsewhere(ws).keys()) ids.add(id);
  return [...ids];
}

const elsewhereCache = new WeakMap<Workspace, TakenIds>();
function elsewhere(ws: Workspace): TakenIds {
  let taken = elsewhereCache.get(ws);
  if (!taken) elsewhereCache.set(ws, (taken = phaseIdsElsewhere(ws.root)));
  return taken;
}

/** Where ids below `id` (same parent) were skipped because another branch or worktree holds them, for the summary. */
export function skippedElsewhere(ws: Workspace, id: string): string[] {
  const local = new Set(knownPhaseIds(ws));
  for (const d of ws.phases) if (d.id !== null) local.add(d.id);
  const parent = id.includes('.') ? id.slice(0, id.lastIndexOf('.') + 1) : '';
  const out: string[] = [];
  for (const [other, where] of elsewhere(ws)) {
    if (local.has(other) || !other.startsWith(parent) || other.slice(parent.length).includes('.')) continue;
    if (comparePhaseIds(other, id) < 0 && !isBacklogPhase(other)) out.push(`phase ${other} is taken on ${where}`);
  }
  return out.sort();
}

function requireLine(raw: string | undefined, what: string, example: string, max: number): string {
  const text = requireText(raw, what, example);
  if (/[\r\n]/.test(text)) throw new UsageError(`${what} must be one line`, `e.g. ${example}`);
  if (text.length > max) throw new UsageError(`${what} is ${text.length} characters; the limit is ${max}`, `e.g. ${example}`);
  return text.replace(/[ \t]+/g, ' ');
}

export function requirePhaseName(raw: string | undefined, example: string): string {
  return requireLine(raw, 'the phase name', example, MAX_NAME_CHARS);
}

export function requireGoal(raw: string | undefined): string | null {
  return raw === undefined ? null : requireLine(raw, 'the goal', '--goal "Users can reset their password"', 1000);
}

/** `--depends-on 3`, `--depends-on 2,3`, `--depends-on "Phase 2"`, `--depends-on none`. */
export function requireDependsOn(raw: string, known: string[]): string[] {
  const text = raw.trim();
  if (/^(?:none|nothing|-)$/i.test(text)) return [];
  const parts = text.replace(/\bphases?\b/gi, ' ').split(/[\s,;]+/).filter((s) => s !== '');
  if (parts.length === 0) throw new UsageError('--depends-on is empty', 'e.g. --depends-on 3 or --depends-on 2,3 (or none)');
  const out: string[] = [];
  for (const part of parts) {
    const id = requireKnownPhase(part, known, 'cairn phase add "Reporting" --depends-on 3');
    if (!out.includes(id)) out.push(id);
  }
  return out;
}

export function slugFor(name: string, raw: string | undefined): string {
  if (raw !== undefined) return requireSlug(raw.trim(), 'slug');
  const slug = slugify(name);
  if (slug === '') {
    throw new UsageError(`cannot make a folder name from "${name}": it has no ASCII letters or digits`, 'pass one with --slug, e.g. --slug logging-fixes');
  }
  return slug;
}

export interface PhaseSpec {
  id: string;
  name: string;
  slug: string;
  goal: string | null;
  dependsOn: string[];
  inserted: boolean;
  milestone: RoadmapMilestone | null;
  neighbours: (p: RoadmapPhase) => boolean;
  /** The command, for the messages (`phase add`, `phase insert`). */
  command: string;
}

/**
 * The Change that creates a phase: ROADMAP.md edits (or a new ROADMAP.md) checked by reading the
 * result back, and the phase folder with a `.gitkeep` so it exists before any plan is written.
 */
export function createPhase(ctx: Context, spec: PhaseSpec): Change {
  const { ws, root } = ctx;
  const dirName = `${padPhaseId(spec.id)}-${spec.slug}`;
  const dir = `${ws.planningDir}/phases/${dirName}`;
  const confined = confine(root, dir);
  if (!confined.ok) throw new UsageError(`the phase folder ${JSON.stringify(dir)} ${confined.reason}`, 'use a slug of lowercase letters, digits and dashes');
  const clash = ws.phases.find((d) => d.archived === null && (d.id === spec.id || d.path === dir));
  if (clash || ws.files.some((f) => f.startsWith(`${dir}/`))) {
    conflict(`phase folder ${clash?.path ?? dir} already exists`, '`cairn status` lists the phases; pick another name with --slug');
  }

  const p: NewPhase = { id: spec.id, name: spec.name, goal: spec.goal, dependsOn: spec.dependsOn, inserted: spec.inserted, milestone: spec.milestone, neighbours: spec.neighbours };
  const roadmap = ws.roadmap;
  const path = roadmap?.path ?? ROADMAP_PATH;
  let text: string;
  const notes: string[] = [];
  if (roadmap) {
    requireEditable(ws, roadmap);
    const planned = newPhaseEdits(roadmap.doc, roadmap.record, p);
    text = applyEdits(roadmap.doc.text, planned.edits);
    notes.push(...planned.notes);
  } else {
    text = newRoadmapText(p);
  }

  // The roadmap must read back with the new phase, as named, and no phase lost.
  const after = reread(text, path);
  const declared = after.record.phases.filter((x) => x.id === spec.id);
  const found = declared.find((x) => x.key === x.id);
  if (!found || declared.length > 1) {
    const why = found ? `its entries would read as ${declared.length} phases (under different milestones)` : 'it does not read back after the edit';
    conflict(`could not declare phase ${spec.id} in ${path}: ${why}`, `add it by hand, then run \`cairn check\``);
  }
  if (found.name !== spec.name) {
    throw new UsageError(
      `the phase name ${JSON.stringify(spec.name)} would read back from ${path} as ${JSON.stringify(found.name)}`,
      'drop trailing status words or parentheses such as "(done)", and "**", from the name',
    );
  }
  const lost = (roadmap?.record.phases ?? []).filter((x) => !after.record.phases.some((y) => y.key === x.key));
  const errors = newErrors(ws.diagnostics.filter((d) => d.file === path), after.diagnostics);
  if (lost.length || errors.length) {
    const why = lost.length ? `phase ${lost.map((x) => x.key).join(', ')} would no longer read` : errors.map((d) => `line ${d.line}: ${d.message}`).join('; ');
    conflict(`could not edit ${path} safely: ${why}`, `add the phase by hand, then run \`cairn check\``);
  }
  const home = milestoneOf(after.record, found.milestone);
  if (!spec.inserted && home?.status === 'shipped' && home !== spec.milestone) {
    notes.push(`Phase ${spec.id} is grouped under milestone ${home.id ?? home.name}, which is shipped; start the next milestone (cairn milestone new) and move it there.`);
  } else if (spec.milestone && !(found.milestone !== null && inMilestone(found, spec.milestone))) {
    notes.push(`Phase ${spec.id} is not grouped under milestone ${spec.milestone.id ?? spec.milestone.name} in ${path}; move its line into that milestone's block.`);
  }

  const change = emptyChange();
  change.files.set(path, text);
  change.files.set(`${dir}/.gitkeep`, '');
  const label = spec.inserted ? 'Inserted' : 'Added';
  const skipped = skippedElsewhere(ws, spec.id);
  if (skipped.length) notes.push(`Numbered ${spec.id} because ${skipped.join(', ')}.`);
  change.summary = [`${label} phase ${spec.id}: ${spec.name} (${dir}/)`, ...notes];
  change.result = {
    phase: spec.id,
    padded: padPhaseId(spec.id),
    name: spec.name,
    slug: spec.slug,
    directory: dir,
    milestone: spec.milestone ? (spec.milestone.id ?? spec.milestone.name) : null,
    dependsOn: spec.dependsOn,
    inserted: spec.inserted,
    roadmap: path,
    notes,
  };
  return change;
}

/** The next integer phase: one above the highest id in use, backlog (999.x) ignored. */
export function nextIntegerPhase(ws: Workspace): string {
  return nextFreeInteger(usedPhaseIds(ws));
}

/** The next decimal child of `after`: `2` → `2.1`, then `2.2`; `1.5` → `1.5.4` after `1.5.3`. */
export function nextDecimalPhase(ws: Workspace, after: string): string {
  let max = 0n;
  const prefix = `${after}.`;
  for (const id of usedPhaseIds(ws)) {
    if (!id.startsWith(prefix)) continue;
    const part = id.slice(prefix.length);
    if (!/^\d+$/.test(part)) continue;
    const n = BigInt(part);
    if (n > max) max = n;
  }
  return `${after}.${(max + 1n).toString()}`;
}

/** The highest non-backlog id below `id`: what a new phase depends on unless told otherwise. */
export function previousPhase(ws: Workspace, id: string): string | null {
  let best: string | null = null;
  for (const k of knownPhaseIds(ws)) {
    if (isBacklogPhase(k) || comparePhaseIds(k, id) >= 0) continue;
    if (best === null || comparePhaseIds(k, best) > 0) best = k;
  }
  return best;
}

export function phaseAdd(ctx: Context, input: PhaseAddInput): Change {
  const { ws } = ctx;
  const name = requirePhaseName(input.name, 'cairn phase add "Reporting"');
  const slug = slugFor(name, input.slug);
  const goal = requireGoal(input.goal);
  const known = knownPhaseIds(ws);
  const id = nextIntegerPhase(ws);
  const prev = previousPhase(ws, id);
  const dependsOn = input.dependsOn !== undefined ? requireDependsOn(input.dependsOn, known) : prev ? [prev] : [];

  const record = ws.roadmap?.record ?? null;
  let milestone: RoadmapMilestone | null = null;
  if (record && record.milestones.length && ctx.state.scope.milestone !== null) {
    const scope = ctx.state.scope;
    milestone = record.milestones.find((m) => m.id === scope.milestone) ?? record.milestones.find((m) => m.id === null && m.name === scope.milestone) ?? null;
  }
  const m = milestone;
  const neighbours = m ? (p: RoadmapPhase) => inMilestone(p, m) : (p: RoadmapPhase) => record === null || !isShipped(record, p);
  return createPhase(ctx, { id, name, slug, goal, dependsOn, inserted: false, milestone, neighbours, command: 'phase add' });
}

