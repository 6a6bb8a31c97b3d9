/**
 * Hand-made documents for the edge cases the corpus shows (or could show tomorrow): each fixture
 * was written for this test, modelled on the variants catalogued in corpus/INDEX.md.
 */
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../src/markdown/index.ts';
import type { Block, Heading, List, ListItem, MarkdownDocument, Table } from '../../src/markdown/index.ts';
import { checkDocument } from './invariants.ts';

function parsed(text: string): MarkdownDocument {
  const doc = parseMarkdown(text);
  expect(doc.toString()).toBe(text);
  expect(checkDocument(doc)).toEqual([]);
  return doc;
}

const headings = (doc: MarkdownDocument) =>
  doc.blocks.filter((b): b is Heading => b.kind === 'heading').map((h) => `${'#'.repeat(h.depth)} ${h.text}`);
const only = <K extends Block['kind']>(doc: MarkdownDocument, kind: K) =>
  doc.blocks.filter((b): b is Extract<Block, { kind: K }> => b.kind === kind);
const slice = (doc: MarkdownDocument, span: { start: number; end: number }) => doc.text.slice(span.start, span.end);

describe('markdown fixtures: degenerate input', () => {
  it('reads the empty string as an empty document', () => {
    const doc = parsed('');
    expect(doc.blocks).toEqual([]);
    expect(doc.sections()).toEqual([]);
    expect(doc.allSections()).toEqual([]);
    expect(doc.lineCount).toBe(0);
    expect(doc.eol).toBe('\n');
    expect(doc.frontmatter).toBeNull();
    expect(doc.frontmatterProblem).toBeNull();
    expect(doc.hasBom).toBe(false);
    expect(doc.position(0)).toEqual({ line: 1, column: 1 });
    expect(doc.lineText(1)).toBe('');
  });

  it('never throws on binary garbage with NUL bytes and keeps it verbatim', () => {
    // Deterministic pseudo-random bytes (a linear congruential generator), decoded as UTF-8.
    let seed = 12345;
    for (let round = 0; round < 20; round++) {
      const bytes = Buffer.alloc(4096);
      for (let i = 0; i < bytes.length; i++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        bytes[i] = round % 2 === 0 ? seed >>> 24 : '\0\n\r\t#|`-*>< [x]~=:\\'.charCodeAt((seed >>> 24) % 22);
      }
      const text = bytes.toString('utf8');
      const doc = parsed(text);
      doc.sections();
      expect(doc.lineCount).toBeGreaterThan(0);
    }
    const doc = parsed('\0# A\0\n\0\0\n| \0 | b |\n|---|---|\n');
    expect(only(doc, 'table')).toHaveLength(1);
  });

  it('survives pathological nesting and very long lines in linear time', () => {
    const deep = '> '.repeat(2000) + '- '.repeat(2000) + 'x\n';
    const ticks = '`a` '.repeat(20000) + '| ' + '``'.repeat(20000) + '\n';
    const table = '| a | b |\n|---|---|\n' + `| ${'`x|y` '.repeat(20000)} | z |\n`.repeat(5);
    const started = performance.now();
    const nested = '- '.repeat(100000) + 'x\n' + '> '.repeat(100000) + '\n' + '1. '.repeat(50000);
    for (const text of [deep, ticks, table, nested, '<a '.repeat(30000), '*'.repeat(100000), '['.repeat(50000)]) parsed(text);
    // Generous bound: catches quadratic blow-ups (minutes), not machine speed.
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});

describe('markdown fixtures: frontmatter', () => {
  it('finds frontmatter closed by --- or ...', () => {
    const doc = parsed('---\nphase: 02\nplan: 01\n---\n# Plan\n');
    expect(doc.frontmatter?.raw).toBe('phase: 02\nplan: 01\n');
    expect(slice(doc, doc.frontmatter!.span)).toBe('---\nphase: 02\nplan: 01\n---\n');
    expect(headings(doc)).toEqual(['# Plan']);
    expect(doc.blocks[0]!.line).toBe(5);
    const dots = parsed('---\na: 1\n...\nbody\n');
    expect(dots.frontmatter?.raw).toBe('a: 1\n');
    expect(only(dots, 'paragraph')[0]!.text).toBe('body');
  });

  it('reports unterminated frontmatter and reads the file as Markdown', () => {
    const doc = parsed('---\nstatus: planning\n# Heading after a broken fence\n\nText.\n');
    expect(doc.frontmatter).toBeNull();
    expect(doc.frontmatterProblem).not.toBeNull();
    expect(doc.frontmatterProblem!.offset).toBe(0);
    expect(doc.frontmatterProblem!.message).toMatch(/never closed/);
    expect(doc.blocks[0]!.kind).toBe('thematicBreak');
    expect(headings(doc)).toEqual(['# Heading after a broken fence']);
  });

  it('does not take a thematic break further down, or `----`, for frontmatter', () => {
    expect(parsed('# T\n---\nx\n---\n').frontmatter).toBeNull();
    expect(parsed('----\na\n----\n').frontmatter).toBeNull();
    const empty = parsed('---\n---\n# T\n');
    expect(empty.frontmatter?.raw).toBe('');
  });
});

describe('markdown fixtures: line endings, BOM, whitespace', () => {
  it('keeps CRLF files intact and points offsets at the right characters', () => {
    const text = '---\r\nstatus: done\r\n---\r\n# State\r\n\r\n## Current Position\r\n\r\nPhase: 3 of 5\r\n- [x] one\r\n- [ ] two\r\n\r\n| a | b |\r\n|---|---|\r\n| 1 | 2 |\r\n';
    const doc = parsed(text);
    expect(doc.eol).toBe('\r\n');
    expect(doc.frontmatter?.raw).toBe('status: done\r\n');
    expect(headings(doc)).toEqual(['# State', '## Current Position']);
    const h2 = only(doc, 'heading')[1]!;
    expect(h2.line).toBe(6);
    expect(slice(doc, h2.textSpan)).toBe('Current Position');
    expect(slice(doc, h2.span)).toBe('## Current Position');
    expect(doc.lineText(6)).toBe('## Current Position');
    expect(doc.position(h2.span.start)).toEqual({ line: 6, column: 1 });
    const list = only(doc, 'list')[0]!;
    expect(list.items.map((i) => [i.task, slice(doc, i.textSpan)])).toEqual([['x', 'one'], [' ', 'two']]);
    const table = only(doc, 'table')[0]!;
    expect(table.rows[0]!.cells.map((c) => c.text)).toEqual(['1', '2']);
    expect(doc.sections()[0]!.children[0]!.bodySpan.end).toBe(text.length);
  });

  it('treats a lone CR as a line ending and picks the dominant ending', () => {
    const doc = parsed('# A\r## B\n## C\n');
    expect(headings(doc)).toEqual(['# A', '## B', '## C']);
    expect(doc.lineCount).toBe(3);
    expect(doc.eol).toBe('\n');
    expect(parsed('a\r\nb\r\nc\n').eol).toBe('\r\n');
  });

  it('keeps a BOM in the text and still sees frontmatter and headings', () => {
    const doc = parsed('\uFEFF---\nphase: 1\n---\n# Title\n');
    expect(doc.hasBom).toBe(true);
    expect(doc.text.charCodeAt(0)).toBe(0xfeff);
    expect(doc.frontmatter?.span.start).toBe(1);
    expect(doc.frontmatter?.raw).toBe('phase: 1\n');
    expect(headings(doc)).toEqual(['# Title']);
    const bare = parsed('\uFEFF# Title\nText\n');
    expect(headings(bare)).toEqual(['# Title']);
    expect(bare.blocks[0]!.span.start).toBe(1);
    expect(bare.blocks[0]!.line).toBe(1);
  });

  it('handles tabs and trailing spaces without losing them', () => {
    const text = '#\tTabbed heading  \n\n\tindented code\n\n-\tfirst\titem   \n\t-\tnested\n\n\tstill item one (content column 4)\n\nline with trailing   \nnext\n';
    const doc = parsed(text);
    expect(headings(doc)).toEqual(['# Tabbed heading']);
    const list = only(doc, 'list')[0]!;
    expect(list.items[0]!.text).toBe('first\titem');
    expect(list.items[0]!.children.map((c) => [c.indent, c.text])).toEqual([[4, 'nested']]);
    expect(slice(doc, list.span).endsWith('still item one (content column 4)')).toBe(true);
    const code = only(doc, 'code')[0]!;
    expect(code.fence).toBeNull();
    expect(slice(doc, code.span)).toBe('\tindented code');
    const para = only(doc, 'paragraph')[0]!;
    expect(para.lines.map((l) => l.text)).toEqual(['line with trailing   ', 'next']);
  });
});

describe('markdown fixtures: what is not a heading', () => {
  it('ignores headings inside ``` and ~~~ fences, and inside a ```` fence holding ```', () => {
    const text = [
      '# Real one',
      '```bash',
      '# a shell comment',
      '```',
      '````markdown',
      '```',
      '# inside the outer fence',
      '```',
      '````',
      '~~~',
      '## tilde fenced',
      '~~~',
      '## Real two',
      '```',
      '# unclosed fence runs to the end',
    ].join('\n');
    const doc = parsed(text);
    expect(headings(doc)).toEqual(['# Real one', '## Real two']);
    const codes = only(doc, 'code');
    expect(codes.map((c) => [c.fence, c.info, c.closed])).toEqual([
      ['```', 'bash', true],
      ['````', 'markdown', true],
      ['~~~', '', true],
      ['```', '', false],
    ]);
  });

  it('ignores headings inside an HTML comment spanning lines', () => {
    const doc = parsed('# Kept\n<!--\n## Commented out\n\n## still inside after a blank line\n-->\n## After\n');
    expect(headings(doc)).toEqual(['# Kept', '## After']);
    expect(only(doc, 'html')[0]!.value).toBe('<!--\n## Commented out\n\n## still inside after a blank line\n-->');
  });

  it('counts headings inside <details> after a blank line, as CommonMark does', () => {
    const text = [
      '## Milestones',
      '',
      '<details>',
      '<summary>v1.0 MVP (Phases 1-3) - SHIPPED 2026-01-20</summary>',
      '',
      '### Phase 1: Foundation',
      '- [x] 01-01-PLAN.md',
      '',
      '</details>',
      '',
      '<details>',
      '### Phase 9: glued to the tag, so part of the HTML block',
      '</details>',
    ].join('\n');
    const doc = parsed(text);
    expect(headings(doc)).toEqual(['## Milestones', '### Phase 1: Foundation']);
    expect(doc.sections()[0]!.children.map((s) => s.title)).toEqual(['Phase 1: Foundation']);
  });

  it('lets a lone tag on a lazy list line open an HTML block (as cmark-gfm), but not interrupt a paragraph', () => {
    const lazy = parsed('## Opts\n\n- a\n</action>\n```bash\n# swallowed by the HTML block\n\n## Next\n');
    expect(headings(lazy)).toEqual(['## Opts', '## Next']);
    expect(only(lazy, 'html')[0]!.value).toBe('</action>\n```bash\n# swallowed by the HTML block');
    const para = parsed('text\n<br>\n## H\n');
    expect(only(para, 'paragraph')[0]!.text).toBe('text\n<br>');
    expect(headings(para)).toEqual(['## H']);
  });

  it('does not make section headings of quoted or indented headings', () => {
    const doc = parsed('> # Quoted\n> more\n\n    # indented code\n\n- # inside a list item\n');
    expect(headings(doc)).toEqual([]);
    expect(only(doc, 'blockquote')[0]!.text).toBe('# Quoted\nmore');
    expect(doc.sections()).toEqual([]);
  });
});

describe('markdown fixtures: other blocks', () => {
  it('reads the HTML block kinds with their end conditions', () => {
    const text = [
      '<pre>',
      '# in pre, even after a blank line',
      '',
      '</pre>',
      '<?php echo 1; ?>',
      '<!DOCTYPE html>',
      '<![CDATA[',
      '# in cdata',
      ']]>',
      '<div class="note">',
      '# in div until the blank line',
      '',
      '# Heading',
      '<custom-tag attr="1">',
      '# in a kind-7 block',
      '',
      'Text <span>inline</span>',
      '<span>',
      'still the paragraph',
    ].join('\n');
    const doc = parsed(text);
    expect(only(doc, 'html').map((h) => h.value.split('\n')[0])).toEqual([
      '<pre>',
      '<?php echo 1; ?>',
      '<!DOCTYPE html>',
      '<![CDATA[',
      '<div class="note">',
      '<custom-tag attr="1">',
    ]);
    expect(headings(doc)).toEqual(['# Heading']);
    expect(only(doc, 'paragraph').map((p) => p.text)).toEqual(['Text <span>inline</span>\n<span>\nstill the paragraph']);
  });

  it('reads thematic breaks, block quotes and indented code', () => {
    const doc = parsed('***\n_ _ _\n> quoted **text**\n>\n> > nested\nlazy line\n\n    code line 1\n\n    code line 2\n\n\nafter\n');
    expect(doc.blocks.map((b) => b.kind)).toEqual(['thematicBreak', 'thematicBreak', 'blockquote', 'code', 'paragraph']);
    expect(only(doc, 'blockquote')[0]!.text).toBe('quoted **text**\n\n> nested\nlazy line');
    const code = only(doc, 'code')[0]!;
    expect(slice(doc, code.span)).toBe('    code line 1\n\n    code line 2');
  });

  it('reads paragraph lines without their indentation', () => {
    const doc = parsed('  first line\n   second line\nthird\n');
    const p = only(doc, 'paragraph')[0]!;
    expect(p.text).toBe('first line\nsecond line\nthird');
    expect(p.lines.map((l) => l.line)).toEqual([1, 2, 3]);
    expect(p.span.start).toBe(2);
  });
});

describe('markdown fixtures: headings', () => {
  it('reads setext headings, but not a --- after a blank line', () => {
    const doc = parsed('Project Title\n=============\n\nSub title\nsecond line\n---\n\n---\n');
    expect(only(doc, 'heading').map((h) => [h.depth, h.text, h.line])).toEqual([
      [1, 'Project Title', 1],
      [2, 'Sub title\nsecond line', 4],
    ]);
    expect(only(doc, 'thematicBreak')).toHaveLength(1);
  });

  it('strips closing #s, keeps inline markup and escaped #', () => {
    const doc = parsed('## Phase 2: **Core** `api` ##\n### C# \\#\n####### seven\n#not\n#\n');
    expect(headings(doc)).toEqual(['## Phase 2: **Core** `api`', '### C# \\#', '# ']);
    const empty = only(doc, 'heading')[2]!;
    expect(empty.text).toBe('');
    expect(empty.textSpan.start).toBe(empty.textSpan.end);
  });

  it('reads CJK and emoji text with UTF-16 offsets', () => {
    const text = '# PROJECT STATE: HiveMind 数仓助手\n\n## 🚀 Launch ✅\n\n| 决策 | 理由 |\n|---|---|\n| 使用 DuckDB 🦆 | 快 |\n';
    const doc = parsed(text);
    expect(headings(doc)).toEqual(['# PROJECT STATE: HiveMind 数仓助手', '## 🚀 Launch ✅']);
    const h = only(doc, 'heading')[1]!;
    expect(slice(doc, h.textSpan)).toBe('🚀 Launch ✅');
    const cells = only(doc, 'table')[0]!.rows[0]!.cells;
    expect(cells.map((c) => slice(doc, c.span))).toEqual(['使用 DuckDB 🦆', '快']);
  });
});

describe('markdown fixtures: tables', () => {
  const table = (doc: MarkdownDocument): Table => only(doc, 'table')[0]!;

  it('reads header, alignment and body rows with cell spans', () => {
    const doc = parsed('| Phase | Plans | Status |\n|:------|:-----:|-------:|\n| 1. Setup | 2/2 | Complete |\n| 2. Core | 0/3 |  |\n');
    const t = table(doc);
    expect(t.header.cells.map((c) => c.text)).toEqual(['Phase', 'Plans', 'Status']);
    expect(t.align).toEqual(['left', 'center', 'right']);
    expect(t.rows.map((r) => r.cells.map((c) => c.text))).toEqual([
      ['1. Setup', '2/2', 'Complete'],
      ['2. Core', '0/3', ''],
    ]);
    const empty = t.rows[1]!.cells[2]!;
    expect(empty.span.start).toBe(empty.span.end);
    expect(doc.text[empty.span.start - 1]).toBe(' ');
  });

  it('keeps ragged rows as written', () => {
    const doc = parsed('a | b | c\n--|---|--\n1 | 2\n1 | 2 | 3 | 4\nonly\n');
    expect(table(doc).rows.map((r) => r.cells.length)).toEqual([2, 4, 1]);
  });

  it('does not split cells at \\| or at pipes inside code spans', () => {
    const doc = parsed('| Command | Note |\n|---|---|\n| `grep a | wc -l` | x \\| y |\n| ``a`|`b`` | `unclosed | z |\n');
    const [first, second] = table(doc).rows;
    expect(first!.cells.map((c) => c.text)).toEqual(['`grep a | wc -l`', 'x | y']);
    expect(second!.cells.map((c) => c.text)).toEqual(['``a`|`b``', '`unclosed', 'z']);
  });

  it('needs a delimiter row with as many cells as the header, and ends at a blank line or a new block', () => {
    expect(only(parsed('| a | b |\n|---|\n'), 'table')).toHaveLength(0);
    expect(only(parsed('| a |\n---\n'), 'table')).toHaveLength(0);
    const doc = parsed('Intro line\n| a | b |\n|---|---|\n| 1 | 2 |\n## Next\n| c | d |\n|---|---|\n\n| e |\n');
    expect(only(doc, 'paragraph')[0]!.text).toBe('Intro line');
    expect(only(doc, 'table').map((t) => t.rows.length)).toEqual([1, 0]);
    expect(headings(doc)).toEqual(['## Next']);
  });
});

describe('markdown fixtures: lists', () => {
  it('reads nested lists with task boxes, markers and indentation', () => {
    const text = [
      '- [ ] **Phase 1: Setup** - scaffolding',
      '  continued on a second line',
      '  - [x] 01-01-PLAN.md — repo skeleton',
      '  - [ ] 01-02-PLAN.md',
      '    1. [X] deep ordered task',
      '    2) not the same list',
      '- [x] Phase 2',
      '* new list, other bullet',
      '- [ ]',
      '- [y] not a task box',
    ].join('\n');
    const doc = parsed(text);
    const lists = only(doc, 'list');
    expect(lists).toHaveLength(3);
    const [first] = lists as [List, List, List];
    const summary = (i: ListItem): unknown => [i.marker, i.indent, i.task, i.text, i.children.map(summary)];
    expect(first.items.map(summary)).toEqual([
      [
        '-', 0, ' ', '**Phase 1: Setup** - scaffolding\ncontinued on a second line',
        [
          ['-', 2, 'x', '01-01-PLAN.md — repo skeleton', []],
          ['-', 2, ' ', '01-02-PLAN.md', [
            ['1.', 4, 'X', 'deep ordered task', []],
            ['2)', 4, null, 'not the same list', []],
          ]],
        ],
      ],
      ['-', 0, 'x', 'Phase 2', []],
    ]);
    expect(lists[1]!.items[0]!.marker).toBe('*');
    expect(lists[2]!.items.map((i) => [i.task, i.text])).toEqual([[' ', ''], [null, '[y] not a task box']]);
    expect(slice(doc, first.items[0]!.textSpan)).toBe('**Phase 1: Setup** - scaffolding');
  });

  it('ends a list at a heading and keeps lazy continuation lines in the item', () => {
    const doc = parsed('1. first\nlazy line\n2. second\n\n   indented paragraph of item 2\n## After\n');
    const list = only(doc, 'list')[0]!;
    expect(list.ordered).toBe(true);
    expect(list.items.map((i) => i.text)).toEqual(['first\nlazy line', 'second']);
    expect(slice(doc, list.span).endsWith('indented paragraph of item 2')).toBe(true);
    expect(headings(doc)).toEqual(['## After']);
  });

  it('keeps a table indented under a list item inside the item', () => {
    const doc = parsed('- item\n\n  | a | b |\n  |---|---|\n  | 1 | 2 |\n');
    expect(only(doc, 'table')).toHaveLength(0);
    expect(only(doc, 'list')).toHaveLength(1);
  });
});

describe('markdown fixtures: positions and lines', () => {
  it('maps offsets to 1-based lines and columns and back to line text', () => {
    const doc = parsed('ab\ncd\r\nef\n');
    expect(doc.lineCount).toBe(3);
    expect(doc.position(0)).toEqual({ line: 1, column: 1 });
    expect(doc.position(4)).toEqual({ line: 2, column: 2 });
    expect(doc.position(7)).toEqual({ line: 3, column: 1 });
    expect(doc.position(doc.text.length)).toEqual({ line: 4, column: 1 });
    expect(doc.position(-5)).toEqual({ line: 1, column: 1 });
    expect([1, 2, 3, 4].map((l) => doc.lineText(l))).toEqual(['ab', 'cd', 'ef', '']);
    expect(parsed('no newline').position(10)).toEqual({ line: 1, column: 11 });
  });

  it('computes blocks only on first access and caches them', () => {
    const doc = parseMarkdown('# A\n');
    const first = doc.blocks;
    expect(doc.blocks).toBe(first);
    expect(doc.sections()).toBe(doc.sections());
  });
});
