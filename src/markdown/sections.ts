import type { Block, Heading, Section } from './types.ts';

/** Offset of the line after the one ending at `end` (past its line ending). */
function nextLineStart(text: string, end: number): number {
  const c = text.charCodeAt(end);
  if (c === 13) return text.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
  if (c === 10) return end + 1;
  return end;
}

/** Start of the line holding `offset`, so a section never swallows the next heading's indentation. */
export function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0) {
    const c = text.charCodeAt(i - 1);
    if (c === 10 || c === 13) break;
    i--;
  }
  return i;
}

export interface SectionTree {
  roots: Section[];
  all: Section[];
}

/**
 * Builds the heading tree over top-level blocks in one pass: a stack of open sections, each
 * closed (its end fixed) by the next heading of the same or a higher level.
 */
export function buildSections(text: string, blocks: Block[]): SectionTree {
  const roots: Section[] = [];
  const all: Section[] = [];
  const stack: Section[] = [];
  let current: Section | null = null;
  for (const block of blocks) {
    if (block.kind !== 'heading') {
      if (current) current.blocks.push(block);
      continue;
    }
    const heading: Heading = block;
    const start = lineStartOf(text, heading.span.start);
    while (stack.length > 0 && stack[stack.length - 1]!.depth >= heading.depth) {
      const done = stack.pop()!;
      done.span.end = start;
      done.bodySpan.end = Math.max(done.bodySpan.start, start);
    }
    const bodyStart = nextLineStart(text, heading.span.end);
    const section: Section = {
      heading,
      depth: heading.depth,
      title: heading.text,
      span: { start: heading.span.start, end: text.length },
      bodySpan: { start: bodyStart, end: text.length },
      blocks: [],
      children: [],
    };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(section);
    else roots.push(section);
    stack.push(section);
    all.push(section);
    current = section;
  }
  return { roots, all };
}
