/**
 * Frontmatter access shared by the plan, summary and todo readers: one YAML parse through the
 * markdown layer, problems turned into diagnostics, and coercions of loosely typed values.
 * Everything here looks only at the frontmatter text, never at the Markdown body.
 */
import { parseYamlFrontmatter } from '../markdown/index.ts';
import type { MarkdownDocument } from '../markdown/index.ts';
import type { DiagnosticSink } from '../model/diagnostic.ts';

export type FrontmatterData = Record<string, unknown>;

/**
 * The frontmatter mapping, or null when there is none or it cannot be read. Reports an unclosed
 * block, YAML that does not parse or is not a mapping, and top-level keys written twice.
 */
export function readFrontmatterData(doc: MarkdownDocument, sink: DiagnosticSink): FrontmatterData | null {
  if (doc.frontmatterProblem) {
    sink.warn(
      doc.frontmatterProblem.offset,
      'frontmatter-unterminated',
      doc.frontmatterProblem.message,
      'Close the frontmatter with a `---` line after the last key.',
    );
  }
  const fm = doc.frontmatter;
  if (!fm) return null;
  const { data, problem } = parseYamlFrontmatter(doc);
  if (problem) {
    sink.warn(problem.offset, 'frontmatter-invalid', problem.message, 'Fix the YAML between the `---` lines.');
  } else if (data === null && fm.raw.trim() !== '') {
    sink.warn(fm.contentSpan.start, 'frontmatter-invalid', 'frontmatter is not a YAML mapping of `key: value` lines', 'Write the frontmatter as `key: value` lines.');
  }
  reportDuplicateKeys(fm.raw, fm.contentSpan.start, sink);
  return data;
}

const TOP_KEY = /^([A-Za-z_][\w-]*)[ \t]*:(?=[ \t]|$)/gm;

function reportDuplicateKeys(raw: string, base: number, sink: DiagnosticSink): void {
  const seen = new Set<string>();
  TOP_KEY.lastIndex = 0;
  for (let m = TOP_KEY.exec(raw); m; m = TOP_KEY.exec(raw)) {
    const key = m[1]!;
    if (seen.has(key)) {
      sink.warn(base + m.index, 'frontmatter-duplicate-key', `frontmatter key \`${key}\` is written more than once; the last value is used`, `Remove the earlier \`${key}:\` line.`);
    }
    seen.add(key);
  }
}

/**
 * The value of a top-level `key:` line exactly as written (quotes and a trailing comment removed).
 * YAML reads `plan: 01` as the number 1 and `phase: 01.10` as 1.1; ids need the written digits.
 */
export function rawScalar(doc: MarkdownDocument, key: string): string | null {
  const raw = doc.frontmatter?.raw;
  if (!raw) return null;
  const line = findKeyLine(raw, key);
  if (line === null) return null;
  let v = line.replace(/[ \t]+#.*$/, '').trim();
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) v = v.slice(1, -1);
  return v === '' ? null : v;
}

/** Items of a flow sequence `key: [a, "b", 01]` as written, or null when the value is not one. */
export function rawFlowItems(doc: MarkdownDocument, key: string): string[] | null {
  const raw = doc.frontmatter?.raw;
  if (!raw) return null;
  const line = findKeyLine(raw, key);
  if (line === null) return null;
  const open = line.indexOf('[');
  const close = line.lastIndexOf(']');
  if (open !== 0 || close < open) return null;
  return line
    .slice(open + 1, close)
    .split(',')
    .map((s) => stripQuotes(s.trim()))
    .filter((s) => s !== '');
}

function findKeyLine(raw: string, key: string): string | null {
  let pos = 0;
  let found: string | null = null;
  // Last occurrence wins, as in the YAML parse.
  while (pos <= raw.length) {
    const nl = raw.indexOf('\n', pos);
    const end = nl < 0 ? raw.length : nl;
    if (raw.startsWith(key, pos)) {
      let i = pos + key.length;
      while (raw[i] === ' ' || raw[i] === '\t') i++;
      if (raw[i] === ':') found = raw.slice(i + 1, end).replace(/\r$/, '').trim();
    }
    if (nl < 0) break;
    pos = nl + 1;
  }
  return found;
}

function stripQuotes(s: string): string {
  return s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0] ? s.slice(1, -1).trim() : s;
}

/** A scalar as trimmed text; null for absent, empty, lists and maps. */
export function asText(v: unknown): string | null {
  if (typeof v === 'string') {
    const t = v.trim();
    return t === '' ? null : t;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  return null;
}

/**
 * A list of scalars as trimmed texts. A lone scalar becomes a one-item list; with `splitCommas`
 * a comma-separated scalar (`AUTH-01, AUTH-02`) is split.
 */
export function asTextList(v: unknown, splitCommas = false): string[] {
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) {
    const out: string[] = [];
    for (const item of v) {
      const t = asText(item);
      if (t !== null) out.push(t);
    }
    return out;
  }
  const t = asText(v);
  if (t === null) return [];
  if (!splitCommas) return [t];
  return t
    .split(',')
    .map((s) => stripQuotes(s.trim()))
    .filter((s) => s !== '');
}

export function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** First key present (not undefined) among `keys`. */
export function pick(data: FrontmatterData | null, ...keys: string[]): unknown {
  if (!data) return undefined;
  for (const k of keys) if (data[k] !== undefined) return data[k];
  return undefined;
}
