/**
 * The lossless Markdown document model. Every node carries its span in the source text so that
 * writers can splice (`applyEdits`) instead of re-serialising. Offsets are UTF-16 code-unit
 * indices into `MarkdownDocument.text` (JS string indices), `end` exclusive.
 */
export interface Span {
  start: number;
  end: number;
}

interface Node {
  span: Span;
  /** 1-based line of `span.start`. */
  line: number;
}

export interface Heading extends Node {
  kind: 'heading';
  depth: 1 | 2 | 3 | 4 | 5 | 6;
  /** Heading content, trimmed, closing `#`s removed, inline markup kept as written. */
  text: string;
  textSpan: Span;
}

export interface Paragraph extends Node {
  kind: 'paragraph';
  /** The lines joined by `\n` (line endings normalised), each line's leading indentation removed. */
  text: string;
  lines: TextLine[];
}

export interface TextLine {
  /** Line content without its line ending and leading indentation. */
  text: string;
  span: Span;
  line: number;
}

export interface List extends Node {
  kind: 'list';
  ordered: boolean;
  items: ListItem[];
}

export interface ListItem extends Node {
  /** Column (0-based, tabs = 4) of the marker. */
  indent: number;
  /** `-`, `*`, `+`, or an ordered marker such as `1.` / `2)`. */
  marker: string;
  /** Task box: `' '` unchecked, `'x'`/`'X'` checked, null when the item has no box. */
  task: ' ' | 'x' | 'X' | null;
  /** First line content after marker and task box, plus lazy/indented continuation lines joined with `\n`. Nested lists are not included. */
  text: string;
  /** Span of the first line's content (after marker and task box, line ending excluded). */
  textSpan: Span;
  /** Items of lists nested inside this item. */
  children: ListItem[];
}

export interface TableCell {
  /** Trimmed cell text with `\|` unescaped; inline markup kept. */
  text: string;
  /** Span of the trimmed raw cell content (empty span at the cell position when the cell is empty). */
  span: Span;
}

export interface TableRow extends Node {
  cells: TableCell[];
}

export interface Table extends Node {
  kind: 'table';
  header: TableRow;
  align: Array<'left' | 'right' | 'center' | null>;
  /** Body rows. Ragged rows are kept as written (fewer or more cells than the header). */
  rows: TableRow[];
}

export interface Code extends Node {
  kind: 'code';
  /** Opening fence (```` ``` ````, `~~~~`...) or null for an indented code block. */
  fence: string | null;
  info: string;
  /** False when the fence is never closed (the block then runs to the end of its container). */
  closed: boolean;
}

export interface Html extends Node {
  kind: 'html';
  /** Raw text of the block (a comment, `<details>`, `<summary>` ...). */
  value: string;
}

export interface ThematicBreak extends Node {
  kind: 'thematicBreak';
}

export interface Blockquote extends Node {
  kind: 'blockquote';
  /** The quoted lines with their `>` markers removed, joined by `\n`. */
  text: string;
}

export type Block = Heading | Paragraph | List | Table | Code | Html | ThematicBreak | Blockquote;

export interface Frontmatter {
  /** From the opening `---` to the end of the closing `---` line (line ending included). */
  span: Span;
  /** The YAML text between the delimiters. */
  contentSpan: Span;
  raw: string;
}

/** A heading and everything up to the next heading of the same or a higher level. */
export interface Section {
  heading: Heading;
  depth: number;
  title: string;
  /** From the heading's first character to the section end. */
  span: Span;
  /** From the line after the heading to the section end (includes child sections). */
  bodySpan: Span;
  /** Blocks between the heading and the first child heading. */
  blocks: Block[];
  children: Section[];
}

export interface Edit {
  offset: number;
  length: number;
  text: string;
}
