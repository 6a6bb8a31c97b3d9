/**
 * Line index over a text. Line endings are `\n`, `\r\n` and a lone `\r`, as in CommonMark, so
 * line numbers agree with every Markdown tool. A final line ending does not open an empty line.
 */
export interface LineIndex {
  /** Offset of the first character of each line. */
  starts: number[];
  /** Offset just past each line's content (its line ending excluded). */
  ends: number[];
}

export function buildLineIndex(text: string): LineIndex {
  const starts: number[] = [];
  const ends: number[] = [];
  const n = text.length;
  let start = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      starts.push(start);
      ends.push(i);
      start = ++i;
    } else if (c === 13) {
      starts.push(start);
      ends.push(i);
      i += text.charCodeAt(i + 1) === 10 ? 2 : 1;
      start = i;
    } else i++;
  }
  if (start < n) {
    starts.push(start);
    ends.push(n);
  }
  return { starts, ends };
}

/** Index of the line containing `offset` (0-based), by binary search. */
export function lineIndexAt(index: LineIndex, offset: number): number {
  const { starts } = index;
  let lo = 0;
  let hi = starts.length - 1;
  if (hi < 0) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** `\r\n` when CRLF endings outnumber bare `\n` ones, else `\n`. */
export function dominantEol(text: string): '\n' | '\r\n' {
  let lf = 0;
  let crlf = 0;
  let i = text.indexOf('\n');
  while (i !== -1) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
    i = text.indexOf('\n', i + 1);
  }
  return crlf > lf ? '\r\n' : '\n';
}
