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
  // indexOf is native and far faster than a charCodeAt loop; lone `\r` endings are rare.
  let lf = text.indexOf('\n');
  let cr = text.indexOf('\r');
  while (lf !== -1 || cr !== -1) {
    if (cr !== -1 && (lf === -1 || cr < lf)) {
      starts.push(start);
      ends.push(cr);
      if (cr + 1 === lf) {
        start = lf + 1;
        lf = text.indexOf('\n', start);
      } else start = cr + 1;
      cr = text.indexOf('\r', start);
    } else {
      starts.push(start);
      ends.push(lf);
      start = lf + 1;
      lf = text.indexOf('\n', start);
    }
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
