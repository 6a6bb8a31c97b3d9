/**
 * Cheap line scans for readers that must not build the block tree (plans and summaries, which
 * a large project has tens of thousands of).
 */

export interface LineHit {
  text: string;
  /** Offset of the line start. */
  start: number;
  /** Offset of the line end (before `\r\n` / `\n`). */
  end: number;
}

/**
 * First ATX H1 outside fenced code, from `from` (a line start). Walks line starts with indexOf and
 * looks only at lines that begin (after up to three spaces) with `#`, a backtick or a tilde.
 */
export function firstH1(text: string, from: number): LineHit | null {
  let fence: string | null = null;
  let pos = from;
  const n = text.length;
  while (pos < n) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? n : nl;
    let i = pos;
    while (i < pos + 3 && text.charCodeAt(i) === 32) i++;
    const c = text[i];
    if (c === '`' || c === '~') {
      let j = i;
      while (text[j] === c) j++;
      if (j - i >= 3) {
        const run = text.slice(i, j);
        if (fence === null) fence = run;
        else if (run[0] === fence[0] && run.length >= fence.length && text.slice(j, end).trim() === '') fence = null;
      }
    } else if (c === '#' && fence === null && (text[i + 1] === ' ' || text[i + 1] === '\t')) {
      const t = text
        .slice(i + 2, end)
        .replace(/\r$/, '')
        .replace(/[ \t]+#+[ \t]*$/, '')
        .trim();
      if (t !== '') return { text: t, start: pos, end: text[end - 1] === '\r' ? end - 1 : end };
    }
    pos = end + 1;
  }
  return null;
}

/** The first non-blank line starting at or after `from`, or null. */
export function nextNonBlankLine(text: string, from: number): LineHit | null {
  let pos = from;
  const n = text.length;
  while (pos < n) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? n : nl;
    const line = text.slice(pos, end).replace(/\r$/, '');
    if (line.trim() !== '') return { text: line, start: pos, end: pos + line.length };
    pos = end + 1;
  }
  return null;
}
