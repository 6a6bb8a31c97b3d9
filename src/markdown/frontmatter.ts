import type { Frontmatter } from './types.ts';

export interface FrontmatterScan {
  frontmatter: Frontmatter | null;
  problem: { offset: number; message: string } | null;
  /** Offset where the Markdown body starts (after the frontmatter, or after the BOM). */
  bodyStart: number;
}

/** End of the line starting at `from` (its line ending excluded) and the start of the next line. */
function lineBounds(text: string, from: number): [end: number, next: number] {
  const lf = text.indexOf('\n', from);
  const stop = lf === -1 ? text.length : lf;
  for (let i = from; i < stop; i++) {
    if (text.charCodeAt(i) === 13) return [i, i + 1 === lf ? lf + 1 : i + 1];
  }
  return lf === -1 ? [stop, stop] : [lf, lf + 1];
}

/** True when text[start, end) is `marker` followed only by spaces or tabs. */
function isFenceLine(text: string, start: number, end: number, marker: string): boolean {
  if (!text.startsWith(marker, start)) return false;
  for (let i = start + 3; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/**
 * Finds YAML frontmatter: a `---` first line (after an optional BOM) closed by a `---` or `...`
 * line. Only the frontmatter lines are scanned, so readers that need nothing else stay cheap.
 */
export function scanFrontmatter(text: string, hasBom: boolean): FrontmatterScan {
  const open = hasBom ? 1 : 0;
  const none: FrontmatterScan = { frontmatter: null, problem: null, bodyStart: open };
  if (!text.startsWith('---', open)) return none;
  const [openEnd, contentStart] = lineBounds(text, open);
  if (!isFenceLine(text, open, openEnd, '---')) return none;
  let pos = contentStart;
  while (pos < text.length) {
    const [end, next] = lineBounds(text, pos);
    if (isFenceLine(text, pos, end, '---') || isFenceLine(text, pos, end, '...')) {
      return {
        frontmatter: {
          span: { start: open, end: next },
          contentSpan: { start: contentStart, end: pos },
          raw: text.slice(contentStart, pos),
        },
        problem: null,
        bodyStart: next,
      };
    }
    pos = next;
  }
  return {
    frontmatter: null,
    problem: {
      offset: open,
      message: 'frontmatter opened with `---` on the first line is never closed by a `---` line; the file is read as Markdown',
    },
    bodyStart: open,
  };
}
