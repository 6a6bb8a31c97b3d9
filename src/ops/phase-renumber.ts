/**
 * `phase renumber <id> <new-id> [--slug SLUG]`: gives one phase a new number — the fix for two
 * branches that each created phase 7. Renames its folder (`07-bar` → `08-bar`, padding kept) and
 * the files in it named by the id (`07-01-PLAN.md`, `07-CONTEXT.md`), rewrites the `phase:` /
 * `plan:` / dependency frontmatter of those files, and its ROADMAP.md entries (list line, details
 * block, progress row, plan ids).
 *
 * When the id is unique, references elsewhere follow too ("Depends on: Phase 7", `depends_on:
 * ["07-01"]` in other plans, REQUIREMENTS.md), exactly as `phase remove` renumbers. When two
 * phases share the id, `--slug` picks one and only its own folder and entries change: a reference
 * elsewhere cannot tell the two apart, so it is left as written and listed for a person to check.
 */
import { applyEdits } from '../markdown/index.ts';
import type { MarkdownDocument } from '../markdown/index.ts';
import type { Edit, Heading, Span } from '../markdown/types.ts';
import type { RoadmapPhase, RoadmapRecord } from '../formats/roadmap/types.ts';
import { parsePhaseHead } from '../formats/roadmap/phase-line.ts';
import { isKnownEvent } from '../ledger/index.ts';
import { PreconditionError, UsageError } from '../model/errors.ts';
import { comparePhaseIds, normalizePhaseId, slugify } from '../model/ids.ts';
import { confine } from '../store/paths.ts';
import type { PhaseDir, Workspace } from '../workspace/types.ts';
import type { Context } from './run.ts';
import { emptyChange, type Change } from './change.ts';
import { conflict, requirePhaseIdSyntax, requireSlug } from './input.ts';
import { knownPhaseIds, nextIntegerPhase } from './phase-add.ts';
import { filesByDir, frontmatterEdits, parsedTexts, renamedDir, renamedFile, textOf } from './phase-remove.ts';
import { detailsExtent, indexBlocks, newErrors, renumberEdits, requireEditable, reread, wholeLines, type Renumbering } from './roadmap-edit.ts';

export interface PhaseRenumberInput {
  id: string | undefined;
  newId: string | undefined;
  slug?: string | undefined;
}

const EXAMPLE = 'cairn phase renumber 7 8 --slug reporting';

/** One declaration of the phase in ROADMAP.md: the lines it covers and the name it gives. */
interface Entry {
  kind: 'list' | 'heading' | 'table';
  span: Span;
  slug: string;
}

/** Every declaration of phase `p`: its list lines (with their sub-items), details blocks and progress rows. */
function roadmapEntries(doc: MarkdownDocument, record: RoadmapRecord, p: RoadmapPhase): Entry[] {
  const text = doc.text;
  const index = indexBlocks(doc);
  const out: Entry[] = [];
  for (const d of p.declarations) {
    if (d.kind === 'checkbox' || d.kind === 'bullet') {
      const hit = index.items.get(d.line);
      if (!hit) continue;
      const first = hit.item.text.split('\n')[0]!;
      out.push({ kind: 'list', span: wholeLines(text, hit.item.span), slug: slugify(parsePhaseHead(first, 'list', true)?.name ?? '') });
    } else if (d.kind === 'heading') {
      const hi = index.headings.get(d.line);
      if (hi === undefined) continue;
      const h = doc.blocks[hi] as Heading;
      out.push({ kind: 'heading', span: detailsExtent(doc, hi).span, slug: slugify(parsePhaseHead(h.text, 'heading')?.name ?? '') });
    }
  }
  for (const table of record.progressTables) {
    for (const row of table.rows) {
      if (row.phaseId !== p.id) continue;
      const cell = row.cells[table.columns.phase];
      // `| 7. Reporting |`, `| **Phase 7: Reporting** |`: the name after the number.
      const raw = cell ? text.slice(cell.span.start, cell.span.end) : '';
      const name = raw.replace(/^[\s*_]*(?:(?:Phase|Fase)\s+)?\d[\w.]*[\s.:)\-–—]*/i, '');
      out.push({ kind: 'table', span: wholeLines(text, row.span), slug: slugify(name) });
    }
  }
  return out;
}

/** Two declarations of one kind: the roadmap holds two phases under this id. */
function duplicated(entries: Entry[]): boolean {
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.kind)) return true;
    seen.add(e.kind);
  }
  return false;
}

/** The leading phase id of a ledger reference (`07`, `07-01`, `07-reporting`). */
function refPhase(ref: unknown): string | null {
  if (typeof ref !== 'string') return null;
  const m = /^\d{1,6}[A-Za-z]?(?:\.\d{1,6})*/.exec(ref);
  return m ? normalizePhaseId(m[0]) : null;
}

/** Ledger events that name the phase: they keep its number (the ledger is append-only). */
function eventsNaming(ws: Workspace, id: string): string[] {
  const out: string[] = [];
  for (const e of ws.ledger.events) {
    if (!isKnownEvent(e)) continue;
    const ref = 'plan' in e ? e.plan : 'phase' in e ? e.phase : null;
    if (('phase' in e && refPhase(e.phase) === id) || refPhase(ref) === id) out.push(`${e.type} ${String(ref)}`);
  }
  return out;
}

export function phaseRenumber(ctx: Context, input: PhaseRenumberInput): Change {
  const { ws, root } = ctx;
  const id = requirePhaseIdSyntax(input.id, EXAMPLE);
  if (input.newId === undefined) throw new UsageError('the new phase id is missing', `e.g. cairn phase renumber ${input.id} ${nextIntegerPhase(ws)}`);
  const newId = requirePhaseIdSyntax(input.newId, EXAMPLE);
  const slug = input.slug === undefined ? null : requireSlug(input.slug.trim(), 'slug');
  const known = knownPhaseIds(ws);
  if (!known.includes(id)) {
    throw new UsageError(`unknown phase ${id}; the phases are ${known.length ? known.join(', ') : 'none yet'}`, '`cairn status` lists them');
  }
  const free = nextIntegerPhase(ws);
  const cmd = (s: string | null, to = newId === id ? free : newId) => `cairn phase renumber ${id} ${to}${s ? ` --slug ${s}` : ''}`;
  if (newId === id) throw new UsageError(`phase ${id} already has id ${newId}`, `give it a free id, e.g. ${cmd(slug)}`);

  const roadmap = ws.roadmap;
  const rp = roadmap?.record.phases.find((p) => p.key === p.id && p.id === id) ?? null;
  const entries = roadmap && rp ? roadmapEntries(roadmap.doc, roadmap.record, rp) : [];
  const dirs = ws.phases.filter((d) => d.archived === null && d.id === id);
  const ambiguous = dirs.length > 1 || duplicated(entries);

  // Which phase: the one folder/entry, or the one --slug names.
  const slugs = [...new Set([...dirs.map((d) => d.slug), ...entries.map((e) => e.slug).filter((s) => s !== '')])].sort();
  if (ambiguous && slug === null) {
    const where = dirs.length > 1 ? `${dirs.length} folders: ${dirs.map((d) => d.path).join(' and ')}` : `${entries.filter((e) => e.kind !== 'table').length} entries in ${roadmap!.path}`;
    conflict(`phase ${id} is ambiguous: ${where}`, `pick the one to renumber with --slug: ${slugs.map((s) => cmd(s)).join('  or  ')}`);
  }
  let dir: PhaseDir | null = dirs.length === 1 ? dirs[0]! : null;
  let chosen: Entry[] = entries;
  if (slug !== null) {
    dir = dirs.find((d) => d.slug === slug) ?? null;
    if (ambiguous) chosen = entries.filter((e) => e.slug === slug);
    else if (dir === null && !entries.some((e) => e.slug === slug)) chosen = [];
    if (dir === null && chosen.length === 0) {
      conflict(`phase ${id} has no folder or ${roadmap?.path ?? 'ROADMAP.md'} entry named "${slug}"`, `its names are ${slugs.join(', ') || 'none'}: e.g. ${cmd(slugs[0] ?? null)}`);
    }
  }

  // The new id must be free everywhere, archived folders included.
  const taken = known.includes(newId) || ws.phases.some((d) => d.id === newId);
  if (taken) {
    const holder = ws.phases.find((d) => d.id === newId)?.path ?? roadmap?.path ?? 'the roadmap';
    conflict(`phase ${newId} is taken (${holder})`, `pick a free id: ${cmd(slug ?? (ambiguous ? slugs[0]! : null), free)}`);
  }
  const children = known.filter((k) => k.startsWith(`${id}.`));
  if (children.length && !ambiguous) {
    conflict(`phase ${id} has inserted phases ${children.join(', ')}, numbered after it`, `renumber them first (cairn phase renumber ${children[0]} ${free}), then phase ${id}`);
  }
  const events = eventsNaming(ws, id);
  if (events.length && !ambiguous) {
    conflict(
      `phase ${id} is named by ${events.length} ledger event(s) (${events.slice(0, 3).join(', ')}): they would keep pointing at ${id}`,
      'the ledger is append-only, so renumber only a phase with no recorded progress',
    );
  }

  const change = emptyChange();
  const map = new Map([[id, newId]]);
  const renamedFiles: { from: string; to: string }[] = [];
  let renamedDirectory: { from: string; to: string } | null = null;
  const dirNames = new Map<string, string>();
  const lossy: string[] = [];
  const texts = parsedTexts(ws);

  if (dir) {
    const to = dir.path.slice(0, dir.path.length - dir.name.length) + renamedDir(dir.name, newId);
    const c = confine(root, to);
    if (!c.ok) conflict(`cannot rename ${dir.path} to ${to}: the path ${c.reason}`, 'rename the folder by hand');
    if (ws.files.some((f) => f === to || f.startsWith(`${to}/`))) conflict(`cannot rename ${dir.path} to ${to}: it exists`, 'move it away, then retry');
    renamedDirectory = { from: dir.path, to };
    dirNames.set(dir.name, to.slice(to.lastIndexOf('/') + 1));
    change.renames.push(renamedDirectory);
    for (const rel of filesByDir(ws.files, [dir]).get(dir.path) ?? []) {
      const inner = rel.slice(dir.path.length + 1);
      const slash = inner.lastIndexOf('/');
      const base = inner.slice(slash + 1);
      const newBase = renamedFile(base, id, newId);
      const finalPath = `${to}/${inner.slice(0, slash + 1)}${newBase}`;
      if (newBase !== base) {
        renamedFiles.push({ from: rel, to: finalPath });
        change.renames.push({ from: `${to}/${inner}`, to: finalPath });
      }
      if (base.toLowerCase().endsWith('.md')) editFrontmatter(rel, finalPath);
    }
  }

  // A unique id: every reference in the other phases' files follows.
  const referencing: string[] = [];
  for (const d of ws.phases) {
    if (d.archived !== null || d === dir || d.id === id) continue;
    for (const p of d.plans) {
      for (const f of [p.plan, p.summary]) {
        if (!f) continue;
        if (ambiguous) {
          if (frontmatterEdits(f.doc.text, map).length) referencing.push(f.path);
        } else editFrontmatter(f.path, f.path);
      }
    }
  }
  function editFrontmatter(rel: string, finalPath: string): void {
    const src = textOf(texts, root, rel);
    if (!src) return;
    const edits = frontmatterEdits(src.text, map);
    if (!edits.length) return;
    if (!src.lossless) lossy.push(rel);
    else change.files.set(finalPath, applyEdits(src.text, edits));
  }
  if (lossy.length) {
    throw new PreconditionError(`refusing to edit ${lossy.join(', ')}: not valid UTF-8, so the bytes cannot be reproduced`, 'save them as UTF-8, then retry');
  }

  // Renumbering with nothing removed: no reference matches the empty id.
  const r: Renumbering = { map, removed: { id: '', dependsOn: [] }, ids: known, dirs: dirNames };
  if (roadmap && chosen.length) {
    requireEditable(ws, roadmap);
    let edits: Edit[] = renumberEdits(roadmap.doc, roadmap.record, r, []).edits;
    if (ambiguous) {
      const covers = (spans: Span[]) => (e: Edit) => spans.some((s) => e.offset >= s.start && e.offset + e.length <= s.end);
      const within = covers(chosen.map((e) => e.span));
      // The other phase's own entries keep the id; anything else naming it is for a person to check.
      const others = covers(entries.filter((e) => !chosen.includes(e)).map((e) => e.span));
      const outside = edits.filter((e) => !within(e) && !others(e));
      if (outside.length) referencing.push(...outside.map((e) => `${roadmap.path} line ${roadmap.doc.position(e.offset).line}`));
      edits = edits.filter(within);
    }
    const text = applyEdits(roadmap.doc.text, edits);
    const after = reread(text, roadmap.path);
    const before = roadmap.record.phases.map((p) => p.id);
    const keepsOld = ambiguous && chosen.length < entries.length;
    const expected = [...new Set([...before.filter((p) => p !== id || keepsOld), newId])].sort(comparePhaseIds);
    const got = [...new Set(after.record.phases.map((p) => p.id))].sort(comparePhaseIds);
    const errors = newErrors(ws.diagnostics.filter((d) => d.file === roadmap.path), after.diagnostics);
    if (expected.join(',') !== got.join(',') || errors.length) {
      const why = errors.length ? errors.slice(0, 3).map((d) => `line ${d.line}: ${d.message}`).join('; ') : `it would read phases ${got.join(', ')} instead of ${expected.join(', ')}`;
      conflict(`could not edit ${roadmap.path} safely: ${why}`, `renumber phase ${id} in it by hand, then run \`cairn check\``);
    }
    if (text !== roadmap.doc.text) change.files.set(roadmap.path, text);
  }
  const req = ws.requirements;
  if (req && !ambiguous) {
    const edits = renumberEdits(req.doc, null, r, []).edits;
    if (edits.length) {
      requireEditable(ws, req);
      change.files.set(req.path, applyEdits(req.doc.text, edits));
    }
  }

  const which = slug ? ` (${slug})` : '';
  change.summary = [`Renumbered phase ${id}${which} → ${newId}`];
  if (renamedDirectory) change.summary.push(`Renamed ${renamedDirectory.from}/ → ${renamedDirectory.to}/ and ${renamedFiles.length} file(s) in it`);
  if (roadmap && !change.files.has(roadmap.path)) change.summary.push(`${roadmap.path} has no entry for this phase; only its folder moved.`);
  for (const ref of referencing) change.summary.push(`Check ${ref}: it still names phase ${id}; if it meant this phase, write ${newId}`);
  if (events.length && ambiguous) change.summary.push(`${events.length} ledger event(s) name phase ${id} (${events.slice(0, 3).join(', ')}); they keep that number`);
  change.result = {
    from: id,
    to: newId,
    slug: dir?.slug ?? slug,
    renamedDirectory,
    renamedFiles,
    roadmapUpdated: change.files.has(roadmap?.path ?? ''),
    unresolvedReferences: referencing,
  };
  return change;
}
