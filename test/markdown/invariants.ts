/**
 * Structural invariants every parsed document must satisfy, shared by the corpus and fixture
 * tests. Returns a list of violations (empty when the document is sound) so a failing test can
 * name the file and the block.
 */
import type { Block, ListItem, MarkdownDocument, Section, Span, TableRow } from '../../src/markdown/index.ts';

function spanOk(span: Span, length: number): boolean {
  return Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.start <= span.end && span.end <= length;
}

function within(inner: Span, outer: Span): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}

export function checkDocument(doc: MarkdownDocument): string[] {
  const problems: string[] = [];
  const { text } = doc;
  const n = text.length;
  const bodyStart = doc.frontmatter ? doc.frontmatter.span.end : doc.hasBom ? 1 : 0;
  const say = (where: string, what: string) => problems.push(`${where}: ${what}`);

  if (doc.frontmatter) {
    const fm = doc.frontmatter;
    if (!spanOk(fm.span, n) || !within(fm.contentSpan, fm.span)) say('frontmatter', 'span outside the text');
    if (text.slice(fm.contentSpan.start, fm.contentSpan.end) !== fm.raw) say('frontmatter', 'raw is not the content slice');
  }

  const checkItem = (item: ListItem, outer: Span, where: string) => {
    if (!spanOk(item.span, n) || !within(item.span, outer)) say(where, `item span ${JSON.stringify(item.span)} outside ${JSON.stringify(outer)}`);
    if (!spanOk(item.textSpan, n) || !within(item.textSpan, item.span) && item.textSpan.start !== item.textSpan.end) say(where, 'item textSpan outside the item');
    const first = item.text.split('\n')[0];
    if (text.slice(item.textSpan.start, item.textSpan.end) !== first && item.textSpan.start !== item.textSpan.end) say(where, `item textSpan does not hold ${JSON.stringify(first)}`);
    if (text.slice(item.span.start, item.span.start + item.marker.length) !== item.marker) say(where, 'marker not at the item start');
    if (doc.position(item.span.start).line !== item.line) say(where, 'item line disagrees with its offset');
    let prevEnd = item.span.start;
    for (const child of item.children) {
      if (child.span.start < prevEnd) say(where, 'nested items out of order');
      prevEnd = child.span.end;
      checkItem(child, item.span, where);
    }
  };

  const checkRow = (row: TableRow, outer: Span, where: string) => {
    if (!spanOk(row.span, n) || !within(row.span, outer)) say(where, 'row span outside the table');
    let prev = row.span.start;
    for (const cell of row.cells) {
      if (!spanOk(cell.span, n) || !within(cell.span, row.span)) say(where, `cell span ${JSON.stringify(cell.span)} outside its row`);
      if (cell.span.start < prev) say(where, 'cells out of order');
      prev = cell.span.end;
      const raw = text.slice(cell.span.start, cell.span.end).replace(/\\\|/g, () => '|');
      if (raw !== cell.text) say(where, `cell text ${JSON.stringify(cell.text)} is not its slice ${JSON.stringify(raw)}`);
    }
  };

  let prevEnd = bodyStart;
  doc.blocks.forEach((block: Block, i) => {
    const where = `block ${i} (${block.kind}, line ${block.line})`;
    if (!spanOk(block.span, n)) return say(where, `span ${JSON.stringify(block.span)} outside the text`);
    if (block.span.start < prevEnd) say(where, `starts at ${block.span.start}, before the previous block ends (${prevEnd})`);
    prevEnd = block.span.end;
    if (doc.position(block.span.start).line !== block.line) say(where, `line ${block.line} disagrees with offset (line ${doc.position(block.span.start).line})`);
    switch (block.kind) {
      case 'heading':
        if (!within(block.textSpan, block.span)) say(where, 'textSpan outside the heading');
        if (!block.text.includes('\n') && text.slice(block.textSpan.start, block.textSpan.end) !== block.text) say(where, 'heading text is not its slice');
        break;
      case 'paragraph':
        for (const l of block.lines) {
          if (!within(l.span, block.span) || text.slice(l.span.start, l.span.end) !== l.text) say(where, `line ${l.line} text is not its slice`);
        }
        if (block.lines.map((l) => l.text).join('\n') !== block.text) say(where, 'paragraph text is not its lines');
        break;
      case 'list':
        for (const item of block.items) checkItem(item, block.span, where);
        break;
      case 'table':
        checkRow(block.header, block.span, where);
        for (const row of block.rows) checkRow(row, block.span, where);
        if (block.align.length !== block.header.cells.length) say(where, 'align and header disagree');
        break;
      case 'html':
        if (text.slice(block.span.start, block.span.end) !== block.value) say(where, 'html value is not its slice');
        break;
      default:
        break;
    }
  });

  const checkSection = (s: Section, outer: Span | null) => {
    const where = `section "${s.title}"`;
    if (!spanOk(s.span, n) || !spanOk(s.bodySpan, n)) return say(where, 'span outside the text');
    if (outer && !within(s.span, outer)) say(where, 'not inside its parent section');
    if (!within(s.bodySpan, s.span)) say(where, 'bodySpan outside span');
    if (s.span.start !== s.heading.span.start) say(where, 'span does not start at its heading');
    for (const c of s.children) {
      if (c.depth <= s.depth) say(where, `child "${c.title}" is not deeper`);
      checkSection(c, s.span);
    }
  };
  for (const s of doc.sections()) checkSection(s, null);
  const headings = doc.blocks.filter((b) => b.kind === 'heading').length;
  if (doc.allSections().length !== headings) say('sections', `${doc.allSections().length} sections for ${headings} headings`);
  return problems;
}
