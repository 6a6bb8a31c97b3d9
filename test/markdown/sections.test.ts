import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../src/markdown/index.ts';
import type { MarkdownDocument, Section } from '../../src/markdown/index.ts';
import { checkDocument } from './invariants.ts';

const tree = (list: Section[]): unknown => list.map((s) => [s.title, tree(s.children)]);
const slice = (doc: MarkdownDocument, span: { start: number; end: number }) => doc.text.slice(span.start, span.end);

describe('sections', () => {
  const text = [
    '---',
    'status: executing',
    '---',
    'Preamble outside any section.',
    '# Project State',
    '',
    '## Project Reference',
    'See PROJECT.md',
    '',
    '## Current Position',
    '',
    'Phase: 2 of 4',
    '#### Skipped levels still nest',
    'deep text',
    '### Sibling of the deep one',
    '',
    '## Accumulated Context',
    '### Decisions',
    '- [01-01]: chose X',
    '# Second root',
    '',
  ].join('\n');
  const doc = parseMarkdown(text);

  it('builds the heading tree', () => {
    expect(tree(doc.sections())).toEqual([
      [
        'Project State',
        [
          ['Project Reference', []],
          ['Current Position', [['Skipped levels still nest', []], ['Sibling of the deep one', []]]],
          ['Accumulated Context', [['Decisions', []]]],
        ],
      ],
      ['Second root', []],
    ]);
    expect(doc.allSections().map((s) => s.title)).toEqual([
      'Project State',
      'Project Reference',
      'Current Position',
      'Skipped levels still nest',
      'Sibling of the deep one',
      'Accumulated Context',
      'Decisions',
      'Second root',
    ]);
    expect(checkDocument(doc)).toEqual([]);
  });

  it('gives spans that end where the next same-or-higher heading line starts', () => {
    const position = doc.allSections()[2]!;
    expect(slice(doc, position.span)).toBe('## Current Position\n\nPhase: 2 of 4\n#### Skipped levels still nest\ndeep text\n### Sibling of the deep one\n\n');
    expect(slice(doc, position.bodySpan)).toBe('\nPhase: 2 of 4\n#### Skipped levels still nest\ndeep text\n### Sibling of the deep one\n\n');
    expect(position.depth).toBe(2);
    expect(position.heading.line).toBe(10);
    const last = doc.sections()[1]!;
    expect(last.span.end).toBe(text.length);
    expect(slice(doc, last.bodySpan)).toBe('');
  });

  it('lists the blocks between a heading and its first child heading', () => {
    const position = doc.allSections()[2]!;
    expect(position.blocks.map((b) => b.kind)).toEqual(['paragraph']);
    const decisions = doc.allSections()[6]!;
    expect(decisions.blocks.map((b) => b.kind)).toEqual(['list']);
    expect(doc.sections()[0]!.blocks).toEqual([]);
  });

  it('splices a section body without touching anything else', () => {
    const reference = doc.allSections()[1]!;
    const edited = text.slice(0, reference.bodySpan.start) + 'See PROJECT.md (updated)\n\n' + text.slice(reference.bodySpan.end);
    const again = parseMarkdown(edited);
    expect(again.allSections().map((s) => s.title)).toEqual(doc.allSections().map((s) => s.title));
    expect(again.frontmatter?.raw).toBe('status: executing\n');
  });

  it('handles a heading on the last line without a line ending', () => {
    const d = parseMarkdown('# A\ntext\n## B');
    const b = d.allSections()[1]!;
    expect(b.bodySpan).toEqual({ start: d.text.length, end: d.text.length });
    expect(d.sections()[0]!.span.end).toBe(d.text.length);
  });
});

describe('invariant checker', () => {
  it('can fail: it catches a corrupted span', () => {
    const doc = parseMarkdown('# A\n\n| a |\n|---|\n| 1 |\n');
    expect(checkDocument(doc)).toEqual([]);
    const table = doc.blocks[1]!;
    if (table.kind !== 'table') throw new Error('expected a table');
    table.rows[0]!.cells[0]!.span.start += 1;
    doc.blocks[0]!.span.end = doc.text.length + 1;
    const problems = checkDocument(doc);
    expect(problems.some((p) => p.includes('outside the text'))).toBe(true);
    expect(problems.some((p) => p.includes('cell text'))).toBe(true);
  });
});
