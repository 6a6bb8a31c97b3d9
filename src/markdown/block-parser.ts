import { htmlBlockEnds, htmlBlockStart } from './html-block.ts';
import type { LineIndex } from './lines.ts';
import { delimiterAlign, splitRow, type Align } from './table-row.ts';

/**
 * A line-based CommonMark block parser (the container/leaf algorithm of the CommonMark spec's
 * appendix, as in commonmark.js) plus GFM tables. One pass over the lines; every node keeps
 * line numbers and offsets into the original text, nothing is copied or normalised.
 */

export type RawType =
  | 'document'
  | 'blockquote'
  | 'list'
  | 'item'
  | 'paragraph'
  | 'heading'
  | 'code'
  | 'html'
  | 'thematicBreak'
  | 'table';

/** One line held by a leaf: its 0-based index and the absolute offset where its content starts. */
export interface LineRef {
  line: number;
  offset: number;
}

export interface ListData {
  ordered: boolean;
  bulletChar: string;
  delimiter: string;
  /** Indentation (columns) of the marker relative to the container's content column. */
  markerOffset: number;
  /** Columns from the marker start to the item's content. */
  padding: number;
}

// Leaves never get children and containers never get lines, so they share one empty array
// instead of allocating two per node (a 100,000-item list allocates enough already).
const NO_CHILDREN: RawNode[] = [];
const NO_LINES: LineRef[] = [];
const NO_ALIGN: Align[] = [];

export class RawNode {
  parent: RawNode | null = null;
  children: RawNode[];
  open = true;
  lastLine: number;
  lines: LineRef[];
  list: ListData | null = null;
  /** Item: absolute offsets of the marker and its 0-based column (tabs = 4). */
  markerStart = 0;
  markerEnd = 0;
  markerColumn = 0;
  level = 0;
  setext = false;
  fenceChar = 0;
  fenceLength = 0;
  fenceOffset = 0;
  closed = false;
  htmlKind = 0;
  align: Align[] = NO_ALIGN;
  /** Number of containers above this node. */
  depth = 0;

  constructor(
    readonly type: RawType,
    readonly startLine: number,
    /** Absolute offset of the block's first character. */
    public startOffset: number,
  ) {
    this.lastLine = startLine;
    const container = type === 'document' || type === 'blockquote' || type === 'list' || type === 'item';
    this.children = container ? [] : NO_CHILDREN;
    this.lines = acceptsLines(type) ? [] : NO_LINES;
  }
}

const C_TAB = 9;
const C_SPACE = 32;
const CODE_INDENT = 4;
/**
 * Deeper containers are read as text. No real document comes near it; it keeps the recursive
 * block builder far from the call-stack limit on hostile input such as `- - - - …` × 100,000.
 */
const MAX_NESTING = 200;

function isSpaceOrTab(c: number): boolean {
  return c === C_SPACE || c === C_TAB;
}

function acceptsLines(t: RawType): boolean {
  return t === 'paragraph' || t === 'code' || t === 'html' || t === 'table';
}

function canContain(parent: RawType, child: RawType): boolean {
  if (parent === 'list') return child === 'item';
  if (parent === 'document' || parent === 'blockquote' || parent === 'item') return child !== 'item';
  return false;
}

/** True when `s` from `i` is only spaces and tabs. */
function restIsBlank(s: string, i: number): boolean {
  for (let k = i; k < s.length; k++) if (!isSpaceOrTab(s.charCodeAt(k))) return false;
  return true;
}

/** Length of an ATX opening sequence at `i` (`#`×1–6 then space/tab/end), or 0. */
function atxMarker(s: string, i: number): number {
  let k = i;
  while (k < s.length && s.charCodeAt(k) === 35) k++;
  const n = k - i;
  if (n < 1 || n > 6) return 0;
  if (k < s.length && !isSpaceOrTab(s.charCodeAt(k))) return 0;
  return n;
}

/** Length of an opening code fence at `i`, or 0. */
function openingFence(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c !== 96 && c !== 126) return 0;
  let k = i;
  while (k < s.length && s.charCodeAt(k) === c) k++;
  const n = k - i;
  if (n < 3) return 0;
  if (c === 96 && s.indexOf('`', k) !== -1) return 0;
  return n;
}

function isThematicBreak(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c !== 42 && c !== 95 && c !== 45) return false;
  let count = 0;
  for (let k = i; k < s.length; k++) {
    const d = s.charCodeAt(k);
    if (d === c) count++;
    else if (!isSpaceOrTab(d)) return false;
  }
  return count >= 3;
}

/** `=` (level 1) or `-` (level 2) setext underline at `i`, else 0. */
function setextLevel(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c !== 61 && c !== 45) return 0;
  let k = i;
  while (k < s.length && s.charCodeAt(k) === c) k++;
  if (!restIsBlank(s, k)) return 0;
  return c === 61 ? 1 : 2;
}

/** Length of a list marker at `i` when one starts there (followed by space, tab or end), else 0. */
function listMarkerLength(s: string, i: number): number {
  const c = s.charCodeAt(i);
  let len = 0;
  if (c === 42 || c === 43 || c === 45) len = 1;
  else if (c >= 48 && c <= 57) {
    let k = i;
    while (k < s.length && k - i < 10 && s.charCodeAt(k) >= 48 && s.charCodeAt(k) <= 57) k++;
    const digits = k - i;
    const d = s.charCodeAt(k);
    if (digits > 9 || (d !== 46 && d !== 41)) return 0;
    len = digits + 1;
  } else return 0;
  const next = s.charCodeAt(i + len);
  if (i + len < s.length && !isSpaceOrTab(next)) return 0;
  return len;
}

export class BlockParser {
  readonly doc: RawNode;
  private tip: RawNode;
  private oldtip: RawNode;
  private lastMatchedContainer: RawNode;
  private allClosed = true;

  private ln = '';
  private lineIdx = 0;
  private lineStart = 0;
  private offset = 0;
  private column = 0;
  private nextNonspace = 0;
  private nextNonspaceColumn = 0;
  private indent = 0;
  private indented = false;
  private blank = false;
  private partiallyConsumedTab = false;

  constructor(
    private readonly text: string,
    private readonly index: LineIndex,
  ) {
    this.doc = new RawNode('document', 0, 0);
    this.tip = this.doc;
    this.oldtip = this.doc;
    this.lastMatchedContainer = this.doc;
  }

  /** Parses the lines from `firstLine` (0-based), starting no earlier than `bodyStart`. */
  parse(firstLine: number, bodyStart: number): RawNode {
    const { starts, ends } = this.index;
    this.doc.startOffset = bodyStart;
    for (let i = firstLine; i < starts.length; i++) {
      this.lineIdx = i;
      // The first line may begin after a BOM.
      this.lineStart = Math.max(starts[i]!, bodyStart);
      this.ln = this.text.slice(this.lineStart, ends[i]!);
      this.incorporateLine();
    }
    while (this.tip !== this.doc) this.finalize(this.tip);
    this.doc.open = false;
    return this.doc;
  }

  private findNextNonspace(): void {
    const ln = this.ln;
    let i = this.offset;
    let cols = this.column;
    while (i < ln.length) {
      const c = ln.charCodeAt(i);
      if (c === C_SPACE) {
        i++;
        cols++;
      } else if (c === C_TAB) {
        i++;
        cols += 4 - (cols % 4);
      } else break;
    }
    this.blank = i >= ln.length;
    this.nextNonspace = i;
    this.nextNonspaceColumn = cols;
    this.indent = cols - this.column;
    this.indented = this.indent >= CODE_INDENT;
  }

  private advanceNextNonspace(): void {
    this.offset = this.nextNonspace;
    this.column = this.nextNonspaceColumn;
    this.partiallyConsumedTab = false;
  }

  private advanceOffset(count: number, columns: boolean): void {
    const ln = this.ln;
    while (count > 0 && this.offset < ln.length) {
      if (ln.charCodeAt(this.offset) === C_TAB) {
        const charsToTab = 4 - (this.column % 4);
        if (columns) {
          this.partiallyConsumedTab = charsToTab > count;
          const charsToAdvance = charsToTab > count ? count : charsToTab;
          this.column += charsToAdvance;
          this.offset += this.partiallyConsumedTab ? 0 : 1;
          count -= charsToAdvance;
        } else {
          this.partiallyConsumedTab = false;
          this.column += charsToTab;
          this.offset += 1;
          count -= 1;
        }
      } else {
        this.partiallyConsumedTab = false;
        this.offset += 1;
        this.column += 1;
        count -= 1;
      }
    }
  }

  private addLine(): void {
    this.tip.lines.push({ line: this.lineIdx, offset: this.lineStart + this.offset });
    this.tip.lastLine = this.lineIdx;
  }

  private addChild(type: RawType, offset: number): RawNode {
    while (!canContain(this.tip.type, type)) this.finalize(this.tip);
    const node = new RawNode(type, this.lineIdx, this.lineStart + offset);
    node.parent = this.tip;
    node.depth = this.tip.depth + 1;
    this.tip.children.push(node);
    this.tip = node;
    return node;
  }

  private closeUnmatchedBlocks(): void {
    if (this.allClosed) return;
    while (this.oldtip !== this.lastMatchedContainer) {
      const parent = this.oldtip.parent!;
      this.finalize(this.oldtip);
      this.oldtip = parent;
    }
    this.allClosed = true;
  }

  private finalize(block: RawNode): void {
    block.open = false;
    if (block.type === 'code' && block.fenceChar === 0) {
      // Indented code does not own the blank lines that trail it.
      const { ends } = this.index;
      let n = block.lines.length;
      while (n > 1) {
        const last = block.lines[n - 1]!;
        if (!restIsBlank(this.text.slice(last.offset, ends[last.line]!), 0)) break;
        n--;
      }
      block.lines.length = n;
      block.lastLine = block.lines[n - 1]?.line ?? block.startLine;
    }
    this.tip = block.parent ?? this.doc;
  }

  /** 0 matched, 1 not matched, 2 line fully consumed (closing fence). */
  private continueBlock(container: RawNode): 0 | 1 | 2 {
    const ln = this.ln;
    switch (container.type) {
      case 'document':
      case 'list':
        return 0;
      case 'blockquote':
        if (!this.indented && ln.charCodeAt(this.nextNonspace) === 62) {
          this.advanceNextNonspace();
          this.advanceOffset(1, false);
          if (isSpaceOrTab(ln.charCodeAt(this.offset))) this.advanceOffset(1, true);
          container.lastLine = this.lineIdx;
          return 0;
        }
        return 1;
      case 'item': {
        const data = container.list!;
        if (this.blank) {
          if (container.children.length === 0) return 1;
          this.advanceNextNonspace();
        } else if (this.indent >= data.markerOffset + data.padding) {
          this.advanceOffset(data.markerOffset + data.padding, true);
        } else return 1;
        return 0;
      }
      case 'heading':
      case 'thematicBreak':
        return 1;
      case 'code': {
        if (container.fenceChar !== 0) {
          if (this.indent <= 3 && ln.charCodeAt(this.nextNonspace) === container.fenceChar) {
            let k = this.nextNonspace;
            while (k < ln.length && ln.charCodeAt(k) === container.fenceChar) k++;
            if (k - this.nextNonspace >= container.fenceLength && restIsBlank(ln, k)) {
              container.closed = true;
              container.lastLine = this.lineIdx;
              this.finalize(container);
              return 2;
            }
          }
          let i = container.fenceOffset;
          while (i > 0 && isSpaceOrTab(ln.charCodeAt(this.offset))) {
            this.advanceOffset(1, true);
            i--;
          }
          return 0;
        }
        if (this.indent >= CODE_INDENT) this.advanceOffset(CODE_INDENT, true);
        else if (this.blank) this.advanceNextNonspace();
        else return 1;
        return 0;
      }
      case 'html':
        return this.blank && (container.htmlKind === 6 || container.htmlKind === 7) ? 1 : 0;
      case 'paragraph':
        return this.blank ? 1 : 0;
      case 'table':
        return this.blank || this.startsNonParagraphBlock() ? 1 : 0;
    }
  }

  /** Whether the current line opens a block that ends a table (any block but a paragraph). */
  private startsNonParagraphBlock(): boolean {
    if (this.indented) return true;
    const ln = this.ln;
    const i = this.nextNonspace;
    const c = ln.charCodeAt(i);
    if (c === 62) return true;
    if (c === 35 && atxMarker(ln, i) > 0) return true;
    if (openingFence(ln, i) > 0) return true;
    if (c === 60 && htmlBlockStart(ln.slice(i), true) > 0) return true;
    if (isThematicBreak(ln, i)) return true;
    return listMarkerLength(ln, i) > 0;
  }

  private incorporateLine(): void {
    this.oldtip = this.tip;
    this.offset = 0;
    this.column = 0;
    this.blank = false;
    this.partiallyConsumedTab = false;
    const ln = this.ln;

    let container = this.doc;
    for (;;) {
      const last = container.children[container.children.length - 1];
      if (!last || !last.open) break;
      container = last;
      this.findNextNonspace();
      const r = this.continueBlock(container);
      if (r === 2) return;
      if (r === 1) {
        container = container.parent!;
        break;
      }
    }
    this.allClosed = container === this.oldtip;
    this.lastMatchedContainer = container;

    let matchedLeaf = container.type !== 'paragraph' && acceptsLines(container.type);
    while (!matchedLeaf) {
      this.findNextNonspace();
      const c = ln.charCodeAt(this.nextNonspace);
      // Only these characters (or 4+ columns of indentation) can open a block.
      if (!this.indented && !isBlockStartChar(c)) {
        this.advanceNextNonspace();
        break;
      }
      const r = this.tryStarts(container);
      if (r === 0) {
        this.advanceNextNonspace();
        break;
      }
      container = this.tip;
      if (r === 2) matchedLeaf = true;
    }

    if (!this.allClosed && !this.blank && this.tip.type === 'paragraph') {
      // Lazy continuation line.
      this.addLine();
    } else {
      this.closeUnmatchedBlocks();
      const t = container.type;
      if (acceptsLines(t)) {
        this.addLine();
        if (t === 'html' && container.htmlKind >= 1 && container.htmlKind <= 5 && htmlBlockEnds(container.htmlKind, ln.slice(this.offset))) {
          this.finalize(container);
        }
      } else if (this.offset < ln.length && !this.blank) {
        this.addChild('paragraph', this.offset);
        this.advanceNextNonspace();
        this.addLine();
      }
    }
  }

  /** Tries each block start in CommonMark order: 0 none, 1 container opened, 2 leaf opened. */
  private tryStarts(container: RawNode): 0 | 1 | 2 {
    const ln = this.ln;
    const nn = this.nextNonspace;
    const c = ln.charCodeAt(nn);

    // GFM table: a delimiter row under a paragraph whose last line has as many cells.
    if (container.type === 'paragraph' && !this.indented && this.tryTable(container)) return 2;

    if (this.indented) {
      // 4+ columns: only indented code (a list marker that deep is not a marker either).
      if (this.tip.type !== 'paragraph' && !this.blank) {
        this.advanceOffset(CODE_INDENT, true);
        this.closeUnmatchedBlocks();
        this.addChild('code', this.offset);
        return 2;
      }
      return 0;
    }

    if (c === 62 && container.depth < MAX_NESTING) {
      // Block quote.
      this.advanceNextNonspace();
      this.advanceOffset(1, false);
      if (isSpaceOrTab(ln.charCodeAt(this.offset))) this.advanceOffset(1, true);
      this.closeUnmatchedBlocks();
      this.addChild('blockquote', nn);
      return 1;
    }

    if (c === 35) {
      const level = atxMarker(ln, nn);
      if (level > 0) {
        this.advanceNextNonspace();
        this.advanceOffset(level, false);
        this.closeUnmatchedBlocks();
        const h = this.addChild('heading', nn);
        h.level = level;
        this.advanceOffset(ln.length - this.offset, false);
        return 2;
      }
    }

    const fence = openingFence(ln, nn);
    if (fence > 0) {
      this.closeUnmatchedBlocks();
      const code = this.addChild('code', nn);
      code.fenceChar = c;
      code.fenceLength = fence;
      code.fenceOffset = this.indent;
      this.advanceNextNonspace();
      this.advanceOffset(fence, false);
      return 2;
    }

    if (c === 60) {
      // A lone tag (kind 7) cannot interrupt a paragraph, but on a line that would otherwise be a
      // lazy continuation it opens a block, as in cmark-gfm (what GitHub renders) and micromark.
      const kind = htmlBlockStart(ln.slice(nn), container.type !== 'paragraph');
      if (kind > 0) {
        this.closeUnmatchedBlocks();
        const html = this.addChild('html', this.offset);
        html.htmlKind = kind;
        return 2;
      }
    }

    if (container.type === 'paragraph') {
      const level = setextLevel(ln, nn);
      if (level > 0) {
        this.closeUnmatchedBlocks();
        this.toSetext(container, level);
        this.advanceOffset(ln.length - this.offset, false);
        return 2;
      }
    }

    if (isThematicBreak(ln, nn)) {
      this.closeUnmatchedBlocks();
      this.addChild('thematicBreak', nn);
      this.advanceOffset(ln.length - this.offset, false);
      return 2;
    }

    return this.tryListItem(container);
  }

  private toSetext(paragraph: RawNode, level: number): void {
    const heading = new RawNode('heading', paragraph.startLine, paragraph.startOffset);
    heading.level = level;
    heading.setext = true;
    heading.lines = paragraph.lines;
    heading.lastLine = this.lineIdx;
    heading.parent = paragraph.parent;
    const siblings = paragraph.parent!.children;
    siblings[siblings.length - 1] = heading;
    this.tip = heading;
  }

  private tryTable(paragraph: RawNode): boolean {
    const ln = this.ln;
    const nn = this.nextNonspace;
    const c = ln.charCodeAt(nn);
    if (c !== 124 && c !== 58 && c !== 45) return false;
    // Cheap rejection before splitting: a delimiter row holds only `|`, `:`, `-` and blanks.
    let pipe = false;
    for (let k = nn; k < ln.length; k++) {
      const d = ln.charCodeAt(k);
      if (d === 124) pipe = true;
      else if (d !== 58 && d !== 45 && d !== 32 && d !== 9) return false;
    }
    if (!pipe) return false;
    const delim = splitRow(this.text, this.lineStart + nn, this.lineStart + ln.length);
    if (!delim.hasPipe) return false;
    const align = delimiterAlign(delim.cells);
    if (!align) return false;
    const headerRef = paragraph.lines[paragraph.lines.length - 1]!;
    const header = splitRow(this.text, headerRef.offset, this.index.ends[headerRef.line]!);
    if (header.cells.length !== align.length) return false;

    this.closeUnmatchedBlocks();
    const table = new RawNode('table', headerRef.line, headerRef.offset);
    table.align = align;
    table.lines.push(headerRef);
    table.parent = paragraph.parent;
    const siblings = paragraph.parent!.children;
    if (paragraph.lines.length === 1) {
      siblings[siblings.length - 1] = table;
    } else {
      paragraph.lines.pop();
      paragraph.lastLine = paragraph.lines[paragraph.lines.length - 1]!.line;
      paragraph.open = false;
      siblings.push(table);
    }
    this.tip = table;
    this.advanceNextNonspace();
    return true;
  }

  private tryListItem(container: RawNode): 0 | 1 {
    if (this.indented || container.depth >= MAX_NESTING) return 0;
    const ln = this.ln;
    const nn = this.nextNonspace;
    const len = listMarkerLength(ln, nn);
    if (len === 0) return 0;
    const c = ln.charCodeAt(nn);
    const ordered = len > 1 || (c >= 48 && c <= 57);
    if (container.type === 'paragraph') {
      // Interrupting a paragraph: ordered lists must start at 1 and the item cannot be empty.
      if (ordered && Number(ln.slice(nn, nn + len - 1)) !== 1) return 0;
      if (restIsBlank(ln, nn + len)) return 0;
    }
    const data: ListData = {
      ordered,
      bulletChar: ordered ? '' : ln[nn]!,
      delimiter: ordered ? ln[nn + len - 1]! : '',
      markerOffset: this.indent,
      padding: 0,
    };
    const markerColumn = this.nextNonspaceColumn;
    this.advanceNextNonspace();
    this.advanceOffset(len, true);
    const spacesStartCol = this.column;
    const spacesStartOffset = this.offset;
    do {
      this.advanceOffset(1, true);
    } while (this.column - spacesStartCol < 5 && isSpaceOrTab(ln.charCodeAt(this.offset)));
    const blankItem = this.offset >= ln.length;
    const spacesAfterMarker = this.column - spacesStartCol;
    if (spacesAfterMarker >= 5 || spacesAfterMarker < 1 || blankItem) {
      data.padding = len + 1;
      this.column = spacesStartCol;
      this.offset = spacesStartOffset;
      this.partiallyConsumedTab = false;
      if (isSpaceOrTab(ln.charCodeAt(this.offset))) this.advanceOffset(1, true);
    } else {
      data.padding = len + spacesAfterMarker;
    }

    this.closeUnmatchedBlocks();
    const prev = this.tip.list;
    if (this.tip.type !== 'list' || !prev || prev.ordered !== data.ordered || prev.bulletChar !== data.bulletChar || prev.delimiter !== data.delimiter) {
      const list = this.addChild('list', nn);
      list.list = data;
    }
    const item = this.addChild('item', nn);
    item.list = data;
    item.markerStart = this.lineStart + nn;
    item.markerEnd = this.lineStart + nn + len;
    item.markerColumn = markerColumn;
    return 1;
  }
}

function isBlockStartChar(c: number): boolean {
  // # ` ~ * + - _ = < > | : 0-9
  return (
    c === 35 || c === 96 || c === 126 || c === 42 || c === 43 || c === 45 || c === 95 || c === 61 ||
    c === 60 || c === 62 || c === 124 || c === 58 || (c >= 48 && c <= 57)
  );
}
