/**
 * The hint of every `duplicate-phase-id` diagnostic: the exact `cairn phase renumber` command that
 * gives one of the two phases a free number. Computed once the whole workspace is loaded, because
 * a free id must be free in ROADMAP.md and among the folders (archived ones included).
 */
import type { Diagnostic } from '../model/diagnostic.ts';
import { isBacklogPhase, normalizePhaseId, slugify } from '../model/ids.ts';
import type { Workspace } from './types.ts';

const ID = String.raw`\d{1,6}[A-Za-z]?(?:\.\d{1,6})*`;

/** One above the highest integer id (backlog 999.x ignored, 999 itself skipped). */
export function nextFreeInteger(ids: Iterable<string>): string {
  let max = 0n;
  for (const id of ids) {
    if (isBacklogPhase(id)) continue;
    const n = BigInt(/^\d+/.exec(id)?.[0] ?? '0');
    if (n > max) max = n;
  }
  return (max + 1n === 999n ? 1000n : max + 1n).toString();
}

/** The first free decimal after `id`: 7 → 7.1 (or 7.2 when 7.1 exists). */
export function nextFreeDecimal(ids: Iterable<string>, id: string): string {
  const taken = new Set(ids);
  let n = 1n;
  while (taken.has(`${id}.${n}`)) n++;
  return `${id}.${n}`;
}

/** The phase name a ROADMAP line gives after the id (`**Phase 7: Reporting** - …`, `| 7. Reporting |`), as a slug. */
export function slugAfterId(line: string, rawId: string): string {
  const at = new RegExp(String.raw`(?<![\d.])${rawId.replace(/\./g, '\\.')}(?![\d.]*\d)`).exec(line);
  if (!at) return '';
  const rest = line.slice(at.index + at[0].length).replace(/^[\s*_:.)\-–—]*/, '');
  return slugify(rest.split(/\*\*|__|\||\s[-–—]\s|\s\(/)[0] ?? '');
}

export function withRenumberHints(ws: Workspace, diagnostics: Diagnostic[]): Diagnostic[] {
  if (!diagnostics.some((d) => d.rule === 'duplicate-phase-id')) return diagnostics;
  const ids = new Set<string>();
  for (const p of ws.roadmap?.record.phases ?? []) ids.add(p.id);
  for (const d of ws.phases) if (d.id !== null) ids.add(d.id);
  const free = nextFreeInteger(ids);
  return diagnostics.map((d) => {
    if (d.rule !== 'duplicate-phase-id') return d;
    let id: string | null = null;
    let slug = '';
    const folder = ws.phases.find((p) => p.path === d.file && p.archived === null);
    if (folder) {
      id = folder.id;
      slug = folder.slug;
    } else if (ws.roadmap && d.file === ws.roadmap.path) {
      const raw = new RegExp(String.raw`^Phase (${ID}) `).exec(d.message)?.[1];
      id = raw ? normalizePhaseId(raw) : null;
      if (raw && d.line > 0) slug = slugAfterId(ws.roadmap.doc.lineText(d.line), raw);
      // Two folders of that id: name the later one, as the folder diagnostic does (one command for all).
      const dirs = ws.phases.filter((p) => p.archived === null && p.id === id);
      if (dirs.length > 1) slug = dirs[dirs.length - 1]!.slug;
    }
    if (id === null) return d;
    const flag = slug ? ` --slug ${slug}` : '';
    const hint = `renumber one: \`cairn phase renumber ${id} ${free}${flag}\` (or ${nextFreeDecimal(ids, id)} to keep it next to phase ${id}), then run \`cairn check\``;
    return { ...d, hint };
  });
}
