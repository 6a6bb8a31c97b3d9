/**
 * PLAN.md reader. A project may hold tens of thousands of plans, so this reads only the YAML
 * frontmatter and makes a few linear string scans of the text; it never builds the block tree.
 */
import type { MarkdownDocument } from '../markdown/index.ts';
import { DiagnosticSink, type Diagnostic } from '../model/diagnostic.ts';
import { asText, asTextList, pick, rawFlowItems, rawScalar, readFrontmatter, type FrontmatterData, type FrontmatterView } from './frontmatter-fields.ts';
import { firstH1 } from './text-scan.ts';

export interface PlanRecord {
  /** True when the file has a readable YAML frontmatter mapping. */
  hasFrontmatter: boolean;
  /** Frontmatter `phase` as written (`01-foundation`, `01`, `2.1`). */
  phase: string | null;
  /** Frontmatter `plan` as written (`01`, `3`, `01-FIX`). */
  plan: string | null;
  /** `execute`, `tdd`, ... */
  type: string | null;
  wave: number | null;
  /**
   * `depends_on` as trimmed strings in the order written (`"01-01"`, `[01-01, 01-02]`, a
   * comma-separated scalar), digits as written even when YAML reads them as numbers.
   * Kept raw on purpose: a full id (`01-01`) names a plan, but a bare number is ambiguous in the
   * corpus — `["01"]` is read by GSD as a phase, while SoundCheck's plan 12-07 writes `[05, 06]`
   * for plans 12-05 and 12-06. Resolving needs the phase tree, so the scheduler does it.
   */
  dependsOn: string[];
  filesModified: string[];
  requirements: string[];
  autonomous: boolean | null;
  /** `must_haves` exactly as YAML parsed it (undefined keys become null). */
  mustHaves: unknown;
  /** `<task` tags in the body; else `<feature` tags (TDD plans); else `## Task N` headings. */
  taskCount: number;
  /** First non-empty line inside `<objective>`. */
  objective: string | null;
  /** First ATX H1 of the body outside code fences, if any. */
  title: string | null;
}

export function readPlan(doc: MarkdownDocument, file: string): { record: PlanRecord; diagnostics: Diagnostic[] } {
  const sink = new DiagnosticSink(file, (o) => doc.position(o));
  const view = readFrontmatter(doc, sink);
  const data = view.data;
  const fmDoc = view.fmDoc;
  const text = doc.text;
  const bodyStart = view.bodyStart;

  const record: PlanRecord = {
    hasFrontmatter: data !== null,
    phase: idField(fmDoc, data, 'phase'),
    plan: idField(fmDoc, data, 'plan'),
    type: asText(pick(data, 'type')),
    wave: readWave(view, sink),
    dependsOn: idList(fmDoc, data, 'depends_on', 'depends-on', 'dependsOn'),
    filesModified: asTextList(pick(data, 'files_modified', 'files-modified')),
    requirements: idList(fmDoc, data, 'requirements'),
    autonomous: readBool(pick(data, 'autonomous')),
    mustHaves: pick(data, 'must_haves', 'must-haves') ?? null,
    taskCount: countTasks(text, bodyStart),
    objective: readObjective(text, bodyStart),
    title: firstH1(text, bodyStart)?.text ?? null,
  };
  return { record, diagnostics: sink.items };
}

/** An id-like scalar, taken from the written text when YAML turned it into a number. */
function idField(doc: MarkdownDocument, data: FrontmatterData | null, key: string): string | null {
  const v = pick(data, key);
  if (typeof v === 'number') return rawScalar(doc, key) ?? String(v);
  return asText(v);
}

function idList(doc: MarkdownDocument, data: FrontmatterData | null, ...keys: string[]): string[] {
  for (const key of keys) {
    const v = data?.[key];
    if (v === undefined) continue;
    if (Array.isArray(v) && v.some((x) => typeof x === 'number')) {
      const raw = rawFlowItems(doc, key);
      if (raw && raw.length === v.length) return raw;
    }
    return asTextList(v, true);
  }
  return [];
}

function readWave(view: FrontmatterView, sink: DiagnosticSink): number | null {
  const v = pick(view.data, 'wave');
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^\s*\d+\s*$/.test(v)) return Number(v);
  const fm = view.fmDoc.frontmatter;
  const at = fm ? view.shift + fm.contentSpan.start + Math.max(0, fm.raw.search(/^wave[ \t]*:/m)) : null;
  const found = asText(v) ?? (Array.isArray(v) ? 'a list' : 'a mapping');
  sink.warn(at, 'plan-wave-invalid', `\`wave\` should be a whole number, found \`${found.slice(0, 40)}\``, 'Write `wave: 1` (or the wave this plan runs in).');
  return null;
}

function readBool(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    if (t === 'true' || t === 'yes') return true;
    if (t === 'false' || t === 'no') return false;
  }
  return null;
}

const TASK_TAG = /<task[\s>]/g;
const FEATURE_TAG = /<feature[\s>]/g;
const TASK_HEADING = /^#{2,4}[ \t]+Task[ \t]+\d/gm;

function countFrom(re: RegExp, text: string, from: number): number {
  re.lastIndex = from;
  let n = 0;
  while (re.exec(text)) n++;
  return n;
}

function countTasks(text: string, from: number): number {
  return countFrom(TASK_TAG, text, from) || countFrom(FEATURE_TAG, text, from) || countFrom(TASK_HEADING, text, from);
}

function readObjective(text: string, from: number): string | null {
  const open = text.indexOf('<objective>', from);
  if (open < 0) return null;
  const closeAt = text.indexOf('</objective>', open);
  const end = closeAt < 0 ? text.length : closeAt;
  let pos = open + '<objective>'.length;
  while (pos < end) {
    const nl = text.indexOf('\n', pos);
    const lineEnd = nl < 0 || nl > end ? end : nl;
    const line = text.slice(pos, lineEnd).trim();
    if (line !== '') return line;
    pos = lineEnd + 1;
  }
  return null;
}
