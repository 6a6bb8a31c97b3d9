import type { RawNode } from './block-parser.ts';
import type { LineIndex } from './lines.ts';
import { splitRow } from './table-row.ts';
import type {
  Block,
  Blockquote,
  Code,
  Heading,
  Html,
  List,
  ListItem,
  Paragraph,
  Span,
  Table,
  TableRow,
  TextLine,
  ThematicBreak,
} from './types.ts';

/** Turns the parser's raw tree into the public blocks, computing texts and spans from offsets. */
export class BlockBuilder {
  constructor(
    private readonly text: string,
    private readonly index: LineIndex,
  ) {}

  /** Where the body starts (after a BOM or frontmatter): no block may begin before it. */
  private bodyStart = 0;

  blocks(doc: RawNode): Block[] {
    this.bodyStart = doc.startOffset;
    const out: Block[] = [];
    for (const node of doc.children) {
      const b = this.block(node);
      if (b) out.push(b);
    }
    return out;
  }

  private isWs(i: number): boolean {
    const c = this.text.charCodeAt(i);
    return c === 32 || c === 9;
  }

  private skipWs(from: number, end: number): number {
    let i = from;
    while (i < end && this.isWs(i)) i++;
    return i;
  }

  private trimEnd(start: number, end: number): number {
    let e = end;
    while (e > start && this.isWs(e - 1)) e--;
    return e;
  }

  private lineEnd(line: number): number {
    return this.index.ends[line] ?? this.text.length;
  }

  /** The last line holding content of `node` or of any of its descendants. */
  private lastLineOf(node: RawNode): number {
    let last = node.lastLine;
    let n: RawNode | undefined = node;
    while (n && n.children.length > 0) {
      n = n.children[n.children.length - 1];
      if (n && n.lastLine > last) last = n.lastLine;
    }
    return last;
  }

  private block(node: RawNode): Block | null {
    switch (node.type) {
      case 'paragraph':
        return this.paragraph(node);
      case 'heading':
        return this.heading(node);
      case 'code':
        return this.code(node);
      case 'html':
        return this.html(node);
      case 'thematicBreak':
        return this.thematicBreak(node);
      case 'blockquote':
        return this.blockquote(node);
      case 'list':
        return this.list(node);
      case 'table':
        return this.table(node);
      default:
        return null;
    }
  }

  private textLines(node: RawNode): TextLine[] {
    return node.lines.map((ref) => {
      const end = this.lineEnd(ref.line);
      const start = this.skipWs(ref.offset, end);
      return { text: this.text.slice(start, end), span: { start, end }, line: ref.line + 1 };
    });
  }

  private paragraph(node: RawNode): Paragraph {
    const lines = this.textLines(node);
    const first = lines[0];
    const last = lines[lines.length - 1];
    const span: Span = first && last ? { start: first.span.start, end: last.span.end } : { start: node.startOffset, end: node.startOffset };
    return { kind: 'paragraph', span, line: node.startLine + 1, text: lines.map((l) => l.text).join('\n'), lines };
  }

  private heading(node: RawNode): Heading {
    const depth = Math.min(6, Math.max(1, node.level)) as Heading['depth'];
    if (node.setext) {
      const lines = this.textLines(node);
      const texts: string[] = [];
      let textStart = -1;
      let textEnd = -1;
      for (const l of lines) {
        const e = this.trimEnd(l.span.start, l.span.end);
        texts.push(this.text.slice(l.span.start, e));
        if (textStart < 0) textStart = l.span.start;
        textEnd = e;
      }
      const start = textStart < 0 ? node.startOffset : textStart;
      return {
        kind: 'heading',
        depth,
        span: { start, end: this.lineEnd(node.lastLine) },
        line: node.startLine + 1,
        text: texts.join('\n'),
        textSpan: { start, end: Math.max(start, textEnd) },
      };
    }
    const start = node.startOffset;
    const end = this.lineEnd(node.startLine);
    let i = start;
    while (i < end && this.text.charCodeAt(i) === 35) i++;
    const contentStart = this.skipWs(i, end);
    let contentEnd = this.trimEnd(contentStart, end);
    let k = contentEnd;
    while (k > contentStart && this.text.charCodeAt(k - 1) === 35) k--;
    if (k < contentEnd && (k === contentStart || this.isWs(k - 1))) contentEnd = this.trimEnd(contentStart, k);
    return {
      kind: 'heading',
      depth,
      span: { start, end },
      line: node.startLine + 1,
      text: this.text.slice(contentStart, contentEnd),
      textSpan: { start: contentStart, end: contentEnd },
    };
  }

  private code(node: RawNode): Code {
    const lastEnd = this.lineEnd(node.lastLine);
    if (node.fenceChar !== 0) {
      const open = node.lines[0];
      const infoEnd = this.lineEnd(node.startLine);
      const info = open ? this.text.slice(open.offset, infoEnd).trim() : '';
      return {
        kind: 'code',
        span: { start: node.startOffset, end: lastEnd },
        line: node.startLine + 1,
        fence: this.text.slice(node.startOffset, node.startOffset + node.fenceLength),
        info,
        closed: node.closed,
      };
    }
    // The indentation belongs to the block, but a BOM before the first line does not.
    const start = Math.max(this.index.starts[node.startLine] ?? node.startOffset, this.bodyStart);
    return { kind: 'code', span: { start, end: lastEnd }, line: node.startLine + 1, fence: null, info: '', closed: true };
  }

  private html(node: RawNode): Html {
    const first = node.lines[0];
    const start = first ? this.skipWs(first.offset, this.lineEnd(first.line)) : node.startOffset;
    const end = Math.max(start, this.lineEnd(node.lastLine));
    return { kind: 'html', span: { start, end }, line: node.startLine + 1, value: this.text.slice(start, end) };
  }

  private thematicBreak(node: RawNode): ThematicBreak {
    return { kind: 'thematicBreak', span: { start: node.startOffset, end: this.lineEnd(node.startLine) }, line: node.startLine + 1 };
  }

  private blockquote(node: RawNode): Blockquote {
    const last = this.lastLineOf(node);
    const parts: string[] = [];
    for (let line = node.startLine; line <= last; line++) {
      const lineStart = line === node.startLine ? node.startOffset : (this.index.starts[line] ?? 0);
      const end = this.lineEnd(line);
      let i = this.skipWs(lineStart, end);
      if (this.text.charCodeAt(i) === 62) {
        i++;
        if (this.isWs(i)) i++;
      }
      parts.push(this.text.slice(i, end));
    }
    return { kind: 'blockquote', span: { start: node.startOffset, end: this.lineEnd(last) }, line: node.startLine + 1, text: parts.join('\n') };
  }

  private list(node: RawNode): List {
    const items = node.children.map((c) => this.item(c));
    const first = items[0];
    const start = first ? first.span.start : node.startOffset;
    return {
      kind: 'list',
      ordered: node.list?.ordered ?? false,
      items,
      span: { start, end: Math.max(start, this.lineEnd(this.lastLineOf(node))) },
      line: node.startLine + 1,
    };
  }

  private item(node: RawNode): ListItem {
    const lineEnd = this.lineEnd(node.startLine);
    let contentStart = this.skipWs(node.markerEnd, lineEnd);
    let task: ListItem['task'] = null;
    const t = this.text;
    if (t.charCodeAt(contentStart) === 91 && t.charCodeAt(contentStart + 2) === 93) {
      const box = t[contentStart + 1];
      const after = contentStart + 3;
      if ((box === ' ' || box === 'x' || box === 'X') && (after >= lineEnd || this.isWs(after))) {
        task = box;
        contentStart = this.skipWs(after, lineEnd);
      }
    }
    const firstChild = node.children[0];
    const sameLine = firstChild !== undefined && firstChild.startLine === node.startLine;
    let texts: string[];
    let textSpan: Span;
    if (sameLine && firstChild.type === 'list') {
      texts = [];
      textSpan = { start: contentStart, end: contentStart };
    } else {
      const firstEnd = this.trimEnd(contentStart, lineEnd);
      texts = [t.slice(contentStart, firstEnd)];
      textSpan = { start: contentStart, end: firstEnd };
      if (sameLine && firstChild.type === 'paragraph') {
        for (let k = 1; k < firstChild.lines.length; k++) {
          const ref = firstChild.lines[k]!;
          const end = this.lineEnd(ref.line);
          const s = this.skipWs(ref.offset, end);
          texts.push(t.slice(s, this.trimEnd(s, end)));
        }
      }
    }
    const children: ListItem[] = [];
    for (const c of node.children) {
      if (c.type === 'list') for (const sub of c.children) children.push(this.item(sub));
    }
    const end = this.lastLineOf(node) === node.startLine && node.children.length === 0 ? node.markerEnd : this.lineEnd(this.lastLineOf(node));
    return {
      span: { start: node.markerStart, end: Math.max(node.markerEnd, end) },
      line: node.startLine + 1,
      indent: node.markerColumn,
      marker: t.slice(node.markerStart, node.markerEnd),
      task,
      text: texts.join('\n'),
      textSpan,
      children,
    };
  }

  private row(line: number, offset: number): TableRow {
    const end = this.lineEnd(line);
    const start = this.skipWs(offset, end);
    const { cells } = splitRow(this.text, start, end);
    return { span: { start, end: this.trimEnd(start, end) }, line: line + 1, cells };
  }

  private table(node: RawNode): Table {
    const rows = node.lines.map((ref) => this.row(ref.line, ref.offset));
    const header = rows[0]!;
    const last = rows[rows.length - 1]!;
    return {
      kind: 'table',
      span: { start: header.span.start, end: this.lineEnd(last.line - 1) },
      line: header.line,
      header,
      align: node.align,
      rows: rows.slice(2),
    };
  }
}
