/**
 * Differential test against the reference CommonMark + GFM implementation (micromark / mdast):
 * for every Markdown file of the corpus, top-level headings (depth, text, line) and tables
 * (header cells, row count) must agree. The reference is a devDependency only.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../src/markdown/index.ts';
import { corpusMarkdownFiles, corpusRelative, hasCorpus, repoRoot } from '../support/corpus.ts';

/**
 * micromark needs minutes for the 30 MB corpus, so its answers are cached per file content and
 * reference-library version; the parser under test is always run. The cache sits in the user cache
 * folder (outside the checkout, so `npm ci` and a fresh clone in CI keep it) and holds only what
 * micromark answered for a given content hash — data any run can re-derive. Delete it, or set
 * CAIRN_ORACLE_NO_CACHE=1, to recompute everything.
 */
function versionOf(name: string): string {
  try {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
    return manifest.version;
  } catch {
    return 'unknown';
  }
}
// Bump the leading tag when `reference()` changes what it extracts, so old answers are dropped.
const referenceVersions = ['oracle-format-1', 'micromark', 'micromark-extension-gfm-table', 'mdast-util-from-markdown', 'mdast-util-gfm']
  .map((name) => (name.startsWith('oracle-') ? name : `${name}@${versionOf(name)}`))
  .join(',');
// The real user cache (test/support/cache-home.ts gives the rest of the suite a private one).
const cacheFile = join(process.env.CAIRN_TEST_USER_CACHE || process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'cairn-tests', 'markdown-oracle.json');

function loadCache(): Record<string, string[]> {
  if (process.env.CAIRN_ORACLE_NO_CACHE || !existsSync(cacheFile)) return {};
  try {
    const data = JSON.parse(readFileSync(cacheFile, 'utf8')) as { versions?: string; entries?: Record<string, string[]> };
    return data.versions === referenceVersions && data.entries ? data.entries : {};
  } catch {
    return {};
  }
}

function saveCache(entries: Record<string, string[]>): void {
  try {
    mkdirSync(dirname(cacheFile), { recursive: true });
    // Written whole to a temp name, then renamed: a run killed midway leaves the old cache, never half a file.
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ versions: referenceVersions, entries }));
    renameSync(tmp, cacheFile);
  } catch {
    // A read-only checkout just recomputes next time.
  }
}

/**
 * Files that must agree; raise it when the parser improves, never lower it to pass. Every Markdown
 * file of the corpus agrees today, including the two plan files where a lone `</action>` tag on a
 * lazy list line opens an HTML block (cmark-gfm and micromark both do so; markdown-it does not).
 */
const REQUIRED_MATCHES = 3800;

interface MdNode {
  type: string;
  depth?: number;
  children?: MdNode[];
  position?: { start: { line: number; offset?: number }; end: { line: number; offset?: number } };
}

const norm = (s: string) => s.replace(/\\\|/g, '|').replace(/\s+/g, ' ').trim();

/** The source text under a node's inline children, as written (what our `text` keeps). */
function rawContent(text: string, node: MdNode): string {
  const c = node.children;
  if (!c || c.length === 0) return '';
  return norm(text.slice(c[0]!.position!.start.offset, c[c.length - 1]!.position!.end.offset));
}

function reference(text: string, frontmatterEnd: number): string[] {
  // Blank the frontmatter out (same offsets and lines) rather than teaching mdast about it.
  const body = frontmatterEnd > 0 ? text.slice(0, frontmatterEnd).replace(/[^\r\n]/g, ' ') + text.slice(frontmatterEnd) : text;
  const tree = fromMarkdown(body, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] }) as MdNode;
  const out: string[] = [];
  for (const n of tree.children ?? []) {
    const line = n.position!.start.line;
    if (n.type === 'heading') out.push(`h${n.depth}@${line} ${rawContent(text, n)}`);
    if (n.type === 'table') {
      const [header, ...rows] = n.children ?? [];
      out.push(`table@${line} [${(header?.children ?? []).map((c) => rawContent(text, c)).join(' | ')}] rows=${rows.length}`);
    }
  }
  return out;
}

function ours(text: string): { items: string[]; frontmatterEnd: number } {
  const doc = parseMarkdown(text);
  const items: string[] = [];
  for (const b of doc.blocks) {
    if (b.kind === 'heading') items.push(`h${b.depth}@${b.line} ${norm(b.text)}`);
    if (b.kind === 'table') items.push(`table@${b.line} [${b.header.cells.map((c) => norm(c.text)).join(' | ')}] rows=${b.rows.length}`);
  }
  return { items, frontmatterEnd: doc.frontmatter?.span.end ?? 0 };
}

describe.skipIf(!hasCorpus())('markdown: headings and tables agree with micromark + GFM', () => {
  it(`matches on at least ${REQUIRED_MATCHES} corpus files`, () => {
    const files = corpusMarkdownFiles();
    expect(files.length).toBeGreaterThan(3700);
    const cache = loadCache();
    const fresh: Record<string, string[]> = {};
    let computed = 0;
    let matched = 0;
    let headings = 0;
    let tables = 0;
    const mismatches: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const mine = ours(text);
      const key = createHash('sha256').update(text).update(`\0${mine.frontmatterEnd}`).digest('hex');
      let theirs = cache[key];
      if (!theirs) {
        theirs = reference(text, mine.frontmatterEnd);
        computed++;
      }
      fresh[key] = theirs;
      headings += theirs.filter((s) => s.startsWith('h')).length;
      tables += theirs.filter((s) => s.startsWith('table')).length;
      if (mine.items.join('\n') === theirs.join('\n')) {
        matched++;
        continue;
      }
      let i = 0;
      while (i < theirs.length && theirs[i] === mine.items[i]) i++;
      mismatches.push(`${corpusRelative(file)}\n    micromark: ${theirs[i] ?? '(nothing)'}\n    ours:      ${mine.items[i] ?? '(nothing)'}`);
    }
    if (computed > 0) saveCache(fresh);
    console.log(
      `[markdown oracle] ${matched}/${files.length} files agree (${((100 * matched) / files.length).toFixed(2)}%), ` +
        `${headings} headings and ${tables} tables compared, ${computed} reference parses computed, ${files.length - computed} cached` +
        (mismatches.length ? `; mismatches:\n  ${mismatches.join('\n  ')}` : ''),
    );
    expect(matched).toBeGreaterThanOrEqual(REQUIRED_MATCHES);
  }, 1_800_000);
});
