import type { TableCell } from './types.ts';

/**
 * GFM table rows. Cells split at `|` except an escaped `\|` or a pipe inside a backtick code
 * span (planning files put shell pipelines in cells); a leading and a trailing pipe are optional.
 */

function isWs(c: number): boolean {
  return c === 32 || c === 9;
}

/**
 * Code spans on one line as [start, end) pairs, matched in a single pass: each backtick run is
 * paired with the next run of the same length, found through per-length cursors that only move
 * forward, so pathological lines stay linear.
 */
function codeSpans(text: string, start: number, end: number): number[] {
  const runStart: number[] = [];
  const runLen: number[] = [];
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) {
      i++;
      continue;
    }
    if (c !== 96) continue;
    let j = i + 1;
    while (j < end && text.charCodeAt(j) === 96) j++;
    runStart.push(i);
    runLen.push(j - i);
    i = j - 1;
  }
  if (runStart.length < 2) return [];
  const byLen = new Map<number, number[]>();
  runLen.forEach((len, k) => {
    const list = byLen.get(len);
    if (list) list.push(k);
    else byLen.set(len, [k]);
  });
  const cursor = new Map<number, number>();
  const spans: number[] = [];
  for (let k = 0; k < runStart.length; k++) {
    const len = runLen[k]!;
    const list = byLen.get(len)!;
    let p = cursor.get(len) ?? 0;
    while (p < list.length && list[p]! <= k) p++;
    cursor.set(len, p);
    if (p === list.length) continue;
    const close = list[p]!;
    spans.push(runStart[k]!, runStart[close]! + len);
    k = close;
  }
  return spans;
}

export interface RowSplit {
  cells: TableCell[];
  /** True when the row contains at least one cell-separating pipe. */
  hasPipe: boolean;
}

/** Splits text[start, end) (one line, line ending excluded) into cells with absolute spans. */
export function splitRow(text: string, start: number, end: number): RowSplit {
  let s = start;
  let e = end;
  while (s < e && isWs(text.charCodeAt(s))) s++;
  while (e > s && isWs(text.charCodeAt(e - 1))) e--;
  const spans = codeSpans(text, s, e);
  const pipes: number[] = [];
  let sp = 0;
  for (let i = s; i < e; i++) {
    if (sp < spans.length && i === spans[sp]) {
      i = spans[sp + 1]! - 1;
      sp += 2;
      continue;
    }
    const c = text.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 124) pipes.push(i);
  }
  const hasPipe = pipes.length > 0;
  // Boundaries of the cell segments, leading/trailing pipes dropped.
  let first = 0;
  let last = pipes.length;
  let segStart = s;
  let segEndFinal = e;
  if (pipes.length > 0 && pipes[0] === s) {
    segStart = s + 1;
    first = 1;
  }
  if (last > first && pipes[last - 1] === e - 1) {
    segEndFinal = e - 1;
    last--;
  }
  const cells: TableCell[] = [];
  let from = segStart;
  for (let k = first; k <= last; k++) {
    const to = k < last ? pipes[k]! : segEndFinal;
    cells.push(makeCell(text, from, to));
    from = to + 1;
  }
  return { cells, hasPipe };
}

function makeCell(text: string, from: number, to: number): TableCell {
  let a = from;
  let b = to;
  while (a < b && isWs(text.charCodeAt(a))) a++;
  while (b > a && isWs(text.charCodeAt(b - 1))) b--;
  if (a === b) {
    const at = from < to && isWs(text.charCodeAt(from)) ? from + 1 : from;
    return { text: '', span: { start: at, end: at } };
  }
  const raw = text.slice(a, b);
  return { text: raw.includes('\\|') ? raw.replace(/\\\|/g, () => '|') : raw, span: { start: a, end: b } };
}

export type Align = 'left' | 'right' | 'center' | null;

/** Alignments of a delimiter row, or null when the cells are not all `:?-+:?`. */
export function delimiterAlign(cells: TableCell[]): Align[] | null {
  const out: Align[] = [];
  for (const cell of cells) {
    const t = cell.text;
    let a = 0;
    let b = t.length;
    const left = t.charCodeAt(0) === 58;
    const right = b > 1 && t.charCodeAt(b - 1) === 58;
    if (left) a++;
    if (right) b--;
    if (b <= a) return null;
    for (let i = a; i < b; i++) if (t.charCodeAt(i) !== 45) return null;
    out.push(left && right ? 'center' : left ? 'left' : right ? 'right' : null);
  }
  return out.length > 0 ? out : null;
}
