import { BlockParser } from './block-parser.ts';
import { scanFrontmatter } from './frontmatter.ts';
import { buildLineIndex, dominantEol, lineIndexAt, type LineIndex } from './lines.ts';
import { buildSections, type SectionTree } from './sections.ts';
import { BlockBuilder } from './to-blocks.ts';
import type { Block, Frontmatter, Section } from './types.ts';

/**
 * A parsed Markdown file that keeps its text untouched. Only the BOM and frontmatter are found
 * eagerly; lines, blocks and sections are computed on first use, because most readers (plan and
 * summary files) need the frontmatter alone.
 */
export class MarkdownDocument {
  readonly text: string;
  readonly hasBom: boolean;
  readonly frontmatter: Frontmatter | null;
  readonly frontmatterProblem: { offset: number; message: string } | null;
  private readonly bodyStart: number;
  private eolCache: '\n' | '\r\n' | null = null;
  private indexCache: LineIndex | null = null;
  private blocksCache: Block[] | null = null;
  private sectionsCache: SectionTree | null = null;

  constructor(text: string) {
    this.text = typeof text === 'string' ? text : String(text ?? '');
    this.hasBom = this.text.charCodeAt(0) === 0xfeff;
    const fm = scanFrontmatter(this.text, this.hasBom);
    this.frontmatter = fm.frontmatter;
    this.frontmatterProblem = fm.problem;
    this.bodyStart = fm.bodyStart;
  }

  toString(): string {
    return this.text;
  }

  /** The dominant line ending, for writers adding new lines (`\n` when there are none). */
  get eol(): '\n' | '\r\n' {
    return (this.eolCache ??= dominantEol(this.text));
  }

  private get index(): LineIndex {
    return (this.indexCache ??= buildLineIndex(this.text));
  }

  /** Number of lines; a final line ending does not open another line, and '' has none. */
  get lineCount(): number {
    return this.index.starts.length;
  }

  /** Top-level blocks after the frontmatter, in order. */
  get blocks(): Block[] {
    if (!this.blocksCache) {
      const index = this.index;
      const firstLine = this.bodyStart >= this.text.length ? index.starts.length : lineIndexAt(index, this.bodyStart);
      const parser = new BlockParser(this.text, index);
      const raw = parser.parse(firstLine, this.bodyStart);
      this.blocksCache = new BlockBuilder(this.text, index).blocks(raw);
    }
    return this.blocksCache;
  }

  private get tree(): SectionTree {
    return (this.sectionsCache ??= buildSections(this.text, this.blocks));
  }

  /** Roots of the heading tree. */
  sections(): Section[] {
    return this.tree.roots;
  }

  /** Every section in document order. */
  allSections(): Section[] {
    return this.tree.all;
  }

  /** 1-based line and column (in UTF-16 code units) of `offset`, clamped to the text. */
  position(offset: number): { line: number; column: number } {
    const { starts, ends } = this.index;
    if (starts.length === 0) return { line: 1, column: 1 };
    const at = Math.max(0, Math.min(Number.isFinite(offset) ? Math.floor(offset) : 0, this.text.length));
    const i = lineIndexAt(this.index, at);
    // Past the final line ending: the (empty) line after the last one.
    if (i === starts.length - 1 && at > ends[i]! && at === this.text.length) return { line: starts.length + 1, column: 1 };
    return { line: i + 1, column: at - starts[i]! + 1 };
  }

  /** Text of a 1-based line without its line ending; '' outside the document. */
  lineText(line: number): string {
    const { starts, ends } = this.index;
    const i = line - 1;
    if (!Number.isInteger(i) || i < 0 || i >= starts.length) return '';
    return this.text.slice(starts[i], ends[i]);
  }
}

/** Parses `text`; never throws. */
export function parseMarkdown(text: string): MarkdownDocument {
  return new MarkdownDocument(text);
}
