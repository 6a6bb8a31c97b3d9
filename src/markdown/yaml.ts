import { createRequire } from 'node:module';
import type { MarkdownDocument } from './document.ts';
import { parseYamlSubset } from './yaml-subset.ts';

type YamlLib = typeof import('yaml');
let yamlLib: YamlLib | null = null;
/**
 * The full YAML parser is loaded on first need only: most frontmatter goes through the subset
 * reader, and not loading ~200 KB of parser keeps `cairn status` close to `node -e 0`.
 */
function fullYaml(): YamlLib {
  yamlLib ??= createRequire(import.meta.url)('yaml') as YamlLib;
  return yamlLib;
}

export interface YamlFrontmatter {
  /** The frontmatter as plain data; null when there is none, it is not a mapping, or it has errors. */
  data: Record<string, unknown> | null;
  /** The first YAML error, its offset pointing into the document text. */
  problem: { offset: number; message: string } | null;
}

/**
 * Reads the document's frontmatter as YAML. Core schema, so `completed: 2026-02-06` stays the
 * string the user wrote; duplicate keys are tolerated (the last one wins) because agents append.
 */
export function parseYamlFrontmatter(doc: MarkdownDocument): YamlFrontmatter {
  const fm = doc.frontmatter;
  if (!fm) return { data: null, problem: null };
  const base = fm.contentSpan.start;
  // Most frontmatter is plain key/value YAML: read it without the full parser (10× faster).
  const fast = parseYamlSubset(fm.raw);
  if (fast.ok) {
    const v = fast.value;
    if (v === null) return { data: null, problem: null };
    if (typeof v !== 'object' || Array.isArray(v)) return { data: null, problem: { offset: base, message: 'frontmatter is not a mapping of keys to values' } };
    return { data: v as Record<string, unknown>, problem: null };
  }
  let parsed;
  try {
    parsed = fullYaml().parseDocument(fm.raw, { schema: 'core', uniqueKeys: false, prettyErrors: false });
  } catch (err) {
    return { data: null, problem: { offset: base, message: `frontmatter is not valid YAML: ${(err as Error).message}` } };
  }
  const error = parsed.errors[0];
  if (error) {
    const at = Math.min(base + (error.pos?.[0] ?? 0), fm.contentSpan.end);
    return { data: null, problem: { offset: at, message: `frontmatter is not valid YAML: ${firstLine(error.message)}` } };
  }
  let value: unknown;
  try {
    value = parsed.toJS({ maxAliasCount: 100 });
  } catch (err) {
    return { data: null, problem: { offset: base, message: `frontmatter could not be read: ${(err as Error).message}` } };
  }
  if (value === null || value === undefined) return { data: null, problem: null };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { data: null, problem: { offset: base, message: 'frontmatter is not a mapping of keys to values' } };
  }
  return { data: value as Record<string, unknown>, problem: null };
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i === -1 ? s : s.slice(0, i);
}
