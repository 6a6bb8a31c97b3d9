/**
 * Frontmatter access shared by the plan, summary and todo readers: the mapping
 * (`parseYamlFrontmatter`, else GSD-style line reading when YAML rejects it), problems turned
 * into diagnostics, and coercions of loosely typed values.
 * Everything here looks only at the frontmatter text, never at the Markdown block tree.
 */
import { parseMarkdown, parseYamlFrontmatter } from '../markdown/index.ts';
import type { MarkdownDocument } from '../markdown/index.ts';
import { DiagnosticSink } from '../model/diagnostic.ts';

export type FrontmatterData = Record<string, unknown>;

export interface FrontmatterView {
  /** The mapping, or null when there is none or it cannot be read even line by line. */
  data: FrontmatterData | null;
  /** The document whose `frontmatter` holds the block: `doc` itself, or a re-parse of the text from the displaced `---`. */
  fmDoc: MarkdownDocument;
  /** Offset in `doc.text` of `fmDoc.text[0]`. */
  shift: number;
  /** Offset in `doc.text` where the Markdown body starts. */
  bodyStart: number;
  /** `key: value` lines written above the `---` (GSD's `todo complete` prepends `completed: DATE`). */
  prefix: Record<string, string>;
}

const PREFIX_COMMENT = /^<!--.*-->[ \t]*$/;
const PREFIX_KEY = /^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*)$/;

/**
 * Finds a frontmatter block that is not on the first line: after whole-line HTML comments
 * (`<!-- allow: … -->` lines some projects put on top) and, with `allowKeys`, after `key: value`
 * lines. Only looks at the first few lines; null when the file does not start that way.
 */
function displacedFrontmatter(text: string, from: number, allowKeys: boolean): { at: number; prefix: Record<string, string> } | null {
  const first = text.charCodeAt(from);
  // Cheap exit: `<` for a comment, a letter for a key line.
  if (first !== 60 && !(allowKeys && /[A-Za-z_]/.test(text[from] ?? ''))) return null;
  const prefix: Record<string, string> = {};
  let pos = from;
  for (let n = 0; n < 12 && pos < text.length; n++) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    const line = text.slice(pos, end).replace(/\r$/, '');
    if (/^---[ \t]*$/.test(line)) return n === 0 ? null : { at: pos, prefix };
    const key = allowKeys ? PREFIX_KEY.exec(line) : null;
    if (key) prefix[key[1]!] = key[2]!.trim();
    else if (!PREFIX_COMMENT.test(line.trim()) && line.trim() !== '') return null;
    if (nl < 0) return null;
    pos = nl + 1;
  }
  return null;
}

/**
 * Reads the frontmatter mapping and reports what is wrong with it: an unclosed block, YAML that
 * does not parse (then the `key: value` lines are read one by one, as GSD does), a value that is
 * not a mapping, keys written twice, a block that does not start the file.
 */
export function readFrontmatter(doc: MarkdownDocument, sink: DiagnosticSink, options: { allowKeyPrefix?: boolean } = {}): FrontmatterView {
  const start = doc.hasBom ? 1 : 0;
  const view: FrontmatterView = { data: null, fmDoc: doc, shift: 0, bodyStart: doc.frontmatter ? doc.frontmatter.span.end : start, prefix: {} };
  if (!doc.frontmatter) {
    const displaced = displacedFrontmatter(doc.text, start, options.allowKeyPrefix === true);
    if (displaced) {
      const fmDoc = parseMarkdown(doc.text.slice(displaced.at));
      if (fmDoc.frontmatter) {
        view.fmDoc = fmDoc;
        view.shift = displaced.at;
        view.bodyStart = displaced.at + fmDoc.frontmatter.span.end;
        view.prefix = displaced.prefix;
        const keys = Object.keys(displaced.prefix);
        sink.info(
          start,
          'frontmatter-not-at-start',
          keys.length > 0
            ? `\`${keys.join('`, `')}\` is written above the frontmatter; it is read, but tools that expect \`---\` on the first line miss the whole block`
            : 'the frontmatter does not start on the first line (comments come first); it is read, but tools that expect `---` on the first line miss it',
          'Move the lines above `---` below the closing `---`.',
        );
      }
    }
  }
  const fmDoc = view.fmDoc;
  const shifted = view.shift === 0 ? sink : new DiagnosticSink(sink.file, (o) => doc.position(o + view.shift));
  view.data = parseData(fmDoc, shifted);
  if (shifted !== sink) sink.items.push(...shifted.items);
  return view;
}

/** The `key: value` (and indented) lines right after an opening `---` at `open`, up to the first other line. */
function keyRunAfterOpening(text: string, open: number): string | null {
  const first = text.indexOf('\n', open);
  if (first < 0) return null;
  let pos = first + 1;
  let end = pos;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const lineEnd = nl < 0 ? text.length : nl;
    const line = text.slice(pos, lineEnd);
    if (!/^(?:[A-Za-z_][\w-]*[ \t]*:(?:[ \t]|\r?$)|[ \t]+\S)/.test(line)) break;
    end = lineEnd;
    if (nl < 0) break;
    pos = nl + 1;
  }
  return end > first + 1 ? text.slice(first + 1, end) : null;
}

function parseData(doc: MarkdownDocument, sink: DiagnosticSink): FrontmatterData | null {
  if (doc.frontmatterProblem) {
    // An agent forgot the closing `---`: the `key: value` lines right under the opening one are
    // still plainly frontmatter (prunr 05-01-PLAN.md), so read them line by line.
    const run = keyRunAfterOpening(doc.text, doc.frontmatterProblem.offset);
    const data = run === null ? null : readLenient(run);
    sink.warn(
      doc.frontmatterProblem.offset,
      'frontmatter-unterminated',
      data ? `${doc.frontmatterProblem.message}; the \`key: value\` lines under the opening \`---\` were read one by one` : doc.frontmatterProblem.message,
      'Close the frontmatter with a `---` line after the last key.',
    );
    return data;
  }
  const fm = doc.frontmatter;
  if (!fm) return null;
  reportDuplicateKeys(fm.raw, fm.contentSpan.start, sink);
  const { data, problem } = parseYamlFrontmatter(doc);
  if (problem) {
    // GSD itself reads frontmatter line by line, so files its agents wrote with YAML errors
    // (`added: [@scope/pkg]`, unquoted `key: a: b`) still carry readable keys. Read them the same way.
    const lenient = readLenient(fm.raw);
    sink.warn(
      problem.offset,
      'frontmatter-invalid',
      lenient ? `${problem.message}; the \`key: value\` lines were read one by one instead` : problem.message,
      'Fix the YAML between the `---` lines (quote values that start with `@`, `` ` `` or contain `: `).',
    );
    return lenient;
  }
  if (data === null && fm.raw.trim() !== '') {
    sink.warn(fm.contentSpan.start, 'frontmatter-invalid', 'frontmatter is not a YAML mapping of `key: value` lines', 'Write the frontmatter as `key: value` lines.');
  }
  return data;
}

function isKeyStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isKeyChar(c: number): boolean {
  return isKeyStart(c) || (c >= 48 && c <= 57) || c === 45;
}

/** Top-level keys written twice. A hand-rolled line walk: this runs on every plan and summary. */
function reportDuplicateKeys(raw: string, base: number, sink: DiagnosticSink): void {
  const seen = new Set<string>();
  let pos = 0;
  const n = raw.length;
  while (pos < n) {
    if (isKeyStart(raw.charCodeAt(pos))) {
      let i = pos + 1;
      while (i < n && isKeyChar(raw.charCodeAt(i))) i++;
      let j = i;
      while (j < n && (raw.charCodeAt(j) === 32 || raw.charCodeAt(j) === 9)) j++;
      const after = raw.charCodeAt(j + 1);
      if (raw.charCodeAt(j) === 58 && (j + 1 >= n || after === 32 || after === 9 || after === 10 || after === 13)) {
        const key = raw.slice(pos, i);
        if (seen.has(key)) {
          sink.warn(base + pos, 'frontmatter-duplicate-key', `frontmatter key \`${key}\` is written more than once; the last value is used`, `Remove the earlier \`${key}:\` line.`);
        }
        seen.add(key);
      }
    }
    const nl = raw.indexOf('\n', pos);
    if (nl < 0) break;
    pos = nl + 1;
  }
}

/**
 * The value of a top-level `key:` line exactly as written (quotes and a trailing comment removed).
 * YAML reads `plan: 01` as the number 1 and `phase: 01.10` as 1.1; ids need the written digits.
 * With `keepHash`, ` #…` stays: GSD has no comments, so `title: Remove #Preview blocks` is a title.
 */
export function rawScalar(doc: MarkdownDocument, key: string, options: { keepHash?: boolean } = {}): string | null {
  const raw = doc.frontmatter?.raw;
  if (!raw) return null;
  const line = findKeyLine(raw, key);
  if (line === null) return null;
  let v = (options.keepHash ? line : line.replace(/[ \t]+#.*$/, '')).trim();
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

const LINE_KEY = /^([ \t]*)(?:(-)[ \t]+)?([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(.*))?$/;
const LINE_ITEM = /^([ \t]*)-[ \t]+(.*)$/;

/**
 * A line-based reading of frontmatter that YAML rejected, in the manner of GSD's own parser:
 * top-level `key: value` scalars (strings, untyped) and `[a, b]` flow lists; a key with no value
 * takes the indented `- item` lines below it as a list (an item `- k: v` with deeper `k2: v2`
 * lines becomes a map) or the indented `k: v` lines as a map. Null when no key is found.
 */
export function readLenient(raw: string): FrontmatterData | null {
  const out: FrontmatterData = {};
  const lines = raw.split(/\r?\n/);
  let any = false;
  for (let i = 0; i < lines.length; i++) {
    const m = LINE_KEY.exec(lines[i]!);
    if (!m || m[1] !== '' || m[2]) continue;
    any = true;
    const key = m[3]!;
    const value = (m[4] ?? '').trim();
    if (value !== '') {
      out[key] = lenientScalar(value);
      continue;
    }
    const list: unknown[] = [];
    const map: Record<string, unknown> = {};
    let current: Record<string, unknown> | null = null;
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j]!;
      if (line.trim() === '') continue;
      if (!/^[ \t]/.test(line) && !line.startsWith('-')) break;
      const kv = LINE_KEY.exec(line);
      const item = LINE_ITEM.exec(line);
      if (kv && kv[2]) {
        current = { [kv[3]!]: lenientScalar((kv[4] ?? '').trim()) };
        list.push(current);
      } else if (item) {
        current = null;
        list.push(lenientScalar(item[2]!.trim()));
      } else if (kv && current) {
        current[kv[3]!] = lenientScalar((kv[4] ?? '').trim());
      } else if (kv && list.length === 0) {
        map[kv[3]!] = lenientScalar((kv[4] ?? '').trim());
      }
    }
    i = j - 1;
    out[key] = list.length > 0 ? list : Object.keys(map).length > 0 ? map : null;
  }
  return any ? out : null;
}

function lenientScalar(v: string): unknown {
  if (v === '') return null;
  if (v.startsWith('[') && v.endsWith(']')) {
    return v
      .slice(1, -1)
      .split(',')
      .map((s) => stripQuotes(s.trim()))
      .filter((s) => s !== '');
  }
  return stripQuotes(v.replace(/[ \t]+#.*$/, ''));
}
