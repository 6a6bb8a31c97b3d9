/** Shared helpers for the project/requirements/plan/summary/todo/milestones reader tests. */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseMarkdown, type MarkdownDocument } from '../../src/markdown/index.ts';
import { corpusDir, corpusRelative, repoRoot, walkFiles } from '../support/corpus.ts';

export function fixtureText(kind: string, name: string): string {
  return readFileSync(join(repoRoot, 'test/fixtures', kind, name), 'utf8');
}

export function fixtureDoc(kind: string, name: string): MarkdownDocument {
  return parseMarkdown(fixtureText(kind, name));
}

let all: string[] | null = null;
function corpusFiles(): string[] {
  if (!corpusDir) return [];
  return (all ??= walkFiles(corpusDir).map((p) => p.split('\\').join('/')));
}

/** Corpus files (absolute, `/`-separated) whose corpus-relative path matches. */
export function corpusWhere(test: (rel: string, name: string) => boolean): string[] {
  return corpusFiles().filter((p) => test(corpusRelative(p), basename(p)));
}

export function loadCorpus(file: string): { rel: string; text: string; doc: MarkdownDocument } {
  const text = readFileSync(file, 'utf8');
  return { rel: corpusRelative(file), text, doc: parseMarkdown(text) };
}

/**
 * The document behind a proxy that throws when the block tree is touched: plan and summary
 * readers must stay on the frontmatter and cheap text scans (a project has tens of thousands).
 */
export function withoutBlockTree(doc: MarkdownDocument): MarkdownDocument {
  const forbidden = new Set<PropertyKey>(['blocks', 'sections', 'allSections']);
  return new Proxy(doc, {
    get(target, prop, receiver) {
      if (forbidden.has(prop)) throw new Error(`reader touched doc.${String(prop)}`);
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}
