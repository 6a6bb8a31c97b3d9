/**
 * Resolving the conflict hunks of a three-way merge of STATE.md or ROADMAP.md (the output of
 * `git merge-file --diff3`). Both files are mostly views — progress rows, checkboxes, position
 * fields — that the post-merge `cairn sync` re-renders from the merged facts, so a hunk never
 * needs a person:
 * - a view line (keyed: a table row by its first cell, a phase checkbox by its phase id, and in
 *   STATE.md a `Field:` line by its name) is taken from our side when both sides have it, and
 *   added from theirs only when its key is new on their side (a phase the other branch created);
 * - a line one side deleted stays deleted even if the other side edited it (an archived or removed
 *   phase does not come back), while lines the other side inserted are kept;
 * - other lines (prose, new details blocks) are the union: ours, then what theirs added.
 * Rows and checkboxes of one hunk end up in phase order.
 */
import { comparePhaseIds, normalizePhaseId } from '../model/ids.ts';
import { OWNED_TITLES } from '../views/state/render-sections.ts';

export type ViewKind = 'state' | 'roadmap';

interface Hunk {
  ours: string[];
  base: string[];
  theirs: string[];
}

type Piece = { text: string } | Hunk;

const SHIPPED = /✅|\bshipped\b|\bcomplete(?:d)?\b/i;
const OURS = /^<{7}(?: |$)/;
const BASE = /^\|{7}(?: |$)/;
const SEP = /^={7}$/;
const THEIRS = /^>{7}(?: |$)/;

/** Splits diff3 output into plain text and hunks; null when the markers do not nest as git writes them. */
export function parseDiff3(text: string): Piece[] | null {
  const lines = text.split(/(?<=\n)/);
  const out: Piece[] = [];
  let plain = '';
  for (let i = 0; i < lines.length; i++) {
    if (!OURS.test(bare(lines[i]!))) {
      plain += lines[i];
      continue;
    }
    const h: Hunk = { ours: [], base: [], theirs: [] };
    let part: 'ours' | 'base' | 'theirs' = 'ours';
    let closed = false;
    for (i++; i < lines.length; i++) {
      const l = bare(lines[i]!);
      if (part === 'ours' && BASE.test(l)) part = 'base';
      else if ((part === 'ours' || part === 'base') && SEP.test(l)) part = 'theirs';
      else if (part === 'theirs' && THEIRS.test(l)) {
        closed = true;
        break;
      } else h[part].push(lines[i]!);
    }
    if (!closed) return null;
    if (plain) out.push({ text: plain });
    plain = '';
    out.push(h);
  }
  if (plain) out.push({ text: plain });
  return out;
}

const OWNED = Object.values(OWNED_TITLES).map(normTitle);

function normTitle(t: string): string {
  return t.toLowerCase().replace(/[^a-z]/g, '');
}

/** True when a STATE.md hunk sits in the frontmatter or under an owned heading (and holds no heading itself). */
function inRenderedPart(before: string, h: Hunk): boolean {
  if ([...h.ours, ...h.theirs].some((l) => /^#{1,6}\s/.test(l))) return false;
  if (before.startsWith('---\n') && !/\n---\r?\n/.test(before.slice(3))) return true;
  const headings = before.match(/^#{1,6}\s+.*$/gm);
  const last = headings?.at(-1)?.replace(/^#{1,6}\s+/, '') ?? null;
  return last !== null && OWNED.some((t) => normTitle(last).startsWith(t));
}

function bare(line: string): string {
  return line.replace(/\r?\n$/, '');
}

/** The key of a view line, or null for a line that is plain content. */
export function lineKey(line: string, kind: ViewKind): string | null {
  const l = bare(line).trim();
  const row = /^\|([^|]*)\|/.exec(l);
  if (row) {
    const cell = row[1]!.replace(/[*_`]/g, '').replace(/^\s*phase\s+/i, '').trim();
    if (/^:?-{3,}:?$/.test(cell.replace(/\s/g, ''))) return 'row:---';
    const id = /^(\d+(?:\.\d+)*)\b/.exec(cell);
    return `row:${id ? (normalizePhaseId(id[1]!) ?? id[1]) : cell.toLowerCase()}`;
  }
  const milestone = /^[-*]\s+(?:\S+\s+)?(?:\*\*|__)?(v\d+(?:\.\d+)+)\b/.exec(l);
  if (milestone) return `milestone:${milestone[1]}`;
  const box = /^[-*]\s+\[[ xX]\]\s+(?:\*\*|__)?(?:phase\s+)?(\d+(?:\.\d+)*)\b/i.exec(l);
  if (box) return `phase:${normalizePhaseId(box[1]!) ?? box[1]}`;
  if (kind === 'state') {
    const field = /^(?:[-*]\s+)?(?:\*\*)?([A-Za-z][A-Za-z /-]{0,40}?)(?::\*\*|\*\*:|:)(?:\s|$)/.exec(l);
    if (field) return `field:${field[1]!.toLowerCase()}`;
  }
  return null;
}

function phaseOf(key: string | null): string | null {
  const m = key ? /^(?:row|phase):(\d+(?:\.\d+)*)$/.exec(key) : null;
  return m ? m[1]! : null;
}

interface Chunk {
  /** Base lines this side removed (empty for a pure insertion). */
  removed: string[];
  /** Lines this side put there (empty for a pure deletion). */
  added: string[];
}

/** How `side` differs from `base`, as chunks, by a longest common subsequence (hunks are small). */
function chunks(base: string[], side: string[]): Chunk[] {
  const n = base.length;
  const m = side.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = base[i] === side[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: Chunk[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && base[i] === side[j]) {
      i++;
      j++;
      continue;
    }
    const c: Chunk = { removed: [], added: [] };
    while (i < n || j < m) {
      if (i < n && j < m && base[i] === side[j]) break;
      if (j < m && (i >= n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) c.added.push(side[j++]!);
      else c.removed.push(base[i++]!);
    }
    // Lines beyond the ones replaced count as inserted (an edited line, then a new block).
    if (c.removed.length && c.added.length > c.removed.length) {
      out.push({ removed: c.removed, added: c.added.slice(0, c.removed.length) });
      out.push({ removed: [], added: c.added.slice(c.removed.length) });
    } else out.push(c);
  }
  return out;
}

export function resolveHunk(h: Hunk, kind: ViewKind): string[] {
  const key = (l: string) => lineKey(l, kind);
  const keysOf = (ls: string[]) => new Set(ls.map(key).filter((k): k is string => k !== null));
  const baseKeys = keysOf(h.base);
  const ourChunks = chunks(h.base, h.ours);
  const result = [...h.ours];
  const present = () => new Set(result.map(bare));
  const add = (l: string): void => {
    const k = key(l);
    if (present().has(bare(l))) return;
    // A view line for a phase both sides knew is ours to render; a new phase's line is added.
    if (k !== null && (keysOf(result).has(k) || baseKeys.has(k))) return;
    result.splice(placeFor(result, l, key), 0, l);
  };
  for (const c of chunks(h.base, h.theirs)) {
    if (c.removed.length === 0) {
      for (const l of c.added) add(l);
      continue;
    }
    const idx = c.removed.map((r) => result.indexOf(r));
    if (idx.every((x) => x >= 0)) {
      // Ours left these base lines alone: theirs' change applies in place.
      let at = Math.min(...idx);
      for (const r of c.removed) result.splice(result.indexOf(r), 1);
      for (const l of c.added) {
        if (present().has(bare(l))) continue;
        result.splice(at++, 0, l);
      }
      continue;
    }
    if (c.added.length === 0) {
      // Theirs deleted lines ours edited: the deletion wins (an archived or removed phase stays
      // gone), and so does any line ours still has from them.
      for (const oc of ourChunks) {
        if (!oc.removed.some((r) => c.removed.includes(r))) continue;
        for (const l of oc.added) {
          const k = key(l);
          if (k !== null && !baseKeys.has(k)) continue;
          const at = result.indexOf(l);
          if (at >= 0) result.splice(at, 1);
        }
      }
      for (const r of c.removed) {
        const at = result.indexOf(r);
        if (at >= 0) result.splice(at, 1);
      }
      continue;
    }
    // Both sides changed the same lines. View lines: ours stands, new phases of theirs join.
    // Other lines: if ours edited them too, both edits are kept (nothing typed is lost); if
    // ours deleted them, the deletion stands.
    const oursEdited = ourChunks.some((oc) => oc.added.length > 0 && oc.removed.some((r) => c.removed.includes(r)));
    for (const l of c.added) if (key(l) !== null || oursEdited) add(l);
  }
  // A milestone one side shipped stays shipped, whichever side is ours.
  for (const l of h.theirs) {
    const k = key(l);
    if (!k?.startsWith('milestone:') || !SHIPPED.test(l)) continue;
    const at = result.findIndex((r) => key(r) === k);
    if (at >= 0 && !SHIPPED.test(result[at]!)) result[at] = l;
  }
  return result;
}

/**
 * Where a line from theirs goes: a phase row or checkbox right after the line of the same kind
 * with the closest lower phase id (else before the closest higher one), so 2.1 lands after 2;
 * anything else at the end of the hunk. Our lines never move.
 */
function placeFor(result: string[], line: string, key: (l: string) => string | null): number {
  const k = key(line);
  const id = phaseOf(k);
  if (id === null) return result.length;
  const kind = k!.split(':')[0];
  let after = -1;
  let before = -1;
  result.forEach((r, i) => {
    const rk = key(r);
    const rid = phaseOf(rk);
    if (rid === null || rk!.split(':')[0] !== kind) return;
    if (comparePhaseIds(rid, id) < 0) {
      if (after < 0 || comparePhaseIds(rid, phaseOf(key(result[after]!))!) > 0) after = i;
    } else if (before < 0 || comparePhaseIds(rid, phaseOf(key(result[before]!))!) < 0) before = i;
  });
  return after >= 0 ? after + 1 : before >= 0 ? before : result.length;
}

/** The merged text with every hunk resolved, or null when the markers could not be parsed. */
export function resolveConflicts(diff3: string, kind: ViewKind): string | null {
  const pieces = parseDiff3(diff3);
  if (!pieces) return null;
  let out = '';
  for (const p of pieces) {
    if ('text' in p) out += p.text;
    else {
      // In STATE.md's frontmatter cache and owned sections every line is rendered from the
      // ledger, which merged by union: ours is as good as any, and the post-merge sync
      // re-renders it. (A union there could read back as a new entry: "3 more decisions".)
      const lines = kind === 'state' && inRenderedPart(out, p) ? p.ours : resolveHunk(p, kind);
      // The last line of a hunk may lack its newline (end of file); lines inside must have one.
      for (let i = 0; i < lines.length; i++) {
        const l = lines[i]!;
        out += i < lines.length - 1 && !l.endsWith('\n') ? `${l}\n` : l;
      }
    }
  }
  return out;
}
