/**
 * Todo files (`todos/pending/*.md`, `todos/done/*.md`, `todos/completed/*.md`).
 * GSD's `todo complete` prepends `completed: YYYY-MM-DD` before the opening `---`, so a completed
 * todo no longer starts with frontmatter; those leading `key: value` lines are read here, and the
 * frontmatter after them is parsed as if it started the file.
 */
import { parseMarkdown } from '../markdown/index.ts';
import type { MarkdownDocument } from '../markdown/index.ts';
import { extractTimestamp } from '../model/dates.ts';
import { DiagnosticSink, type Diagnostic } from '../model/diagnostic.ts';
import { asText, pick, readFrontmatterData, type FrontmatterData } from './frontmatter-fields.ts';

export interface TodoRecord {
  /** Frontmatter `title`, else the first heading, else the file name without `.md`. */
  title: string;
  titleSource: 'frontmatter' | 'heading' | 'file';
  /** ISO date or date-time. */
  created: string | null;
  area: string | null;
  /** ISO date or date-time from `completed:` (frontmatter, or a line GSD prepended before `---`). */
  completed: string | null;
  priority: string | null;
}

const LEADING_KEY = /^([A-Za-z_][\w-]*)[ \t]*:[ \t]*([^\r\n]*)\r?\n/y;

export function readTodo(doc: MarkdownDocument, file: string): { record: TodoRecord; diagnostics: Diagnostic[] } {
  const sink = new DiagnosticSink(file, (o) => doc.position(o));
  const text = doc.text;
  const start = doc.hasBom ? 1 : 0;

  // Keys written above the frontmatter (`completed: 2025-06-01` then `---`).
  const prefix: Record<string, string> = {};
  let pos = start;
  if (!doc.frontmatter) {
    LEADING_KEY.lastIndex = pos;
    for (let m = LEADING_KEY.exec(text); m; m = LEADING_KEY.exec(text)) {
      prefix[m[1]!] = m[2]!.trim();
      pos = LEADING_KEY.lastIndex;
    }
  }

  let data: FrontmatterData | null;
  let bodyDoc = doc;
  let shift = 0;
  if (pos > start && /^---[ \t]*\r?\n/.test(text.slice(pos, pos + 6))) {
    bodyDoc = parseMarkdown(text.slice(pos));
    shift = pos;
    const inner = new DiagnosticSink(file, (o) => doc.position(o + shift));
    data = readFrontmatterData(bodyDoc, inner);
    sink.items.push(...inner.items);
    sink.info(start, 'todo-key-before-frontmatter', `\`${Object.keys(prefix).join('`, `')}\` is written above the frontmatter; it is read, but other tools may not see it`, 'Move the line inside the `---` block.');
  } else {
    data = readFrontmatterData(doc, sink);
    // Prefix lines without a following frontmatter are ordinary text.
    for (const k of Object.keys(prefix)) delete prefix[k];
  }

  const fromPrefix = (key: string): string | undefined => prefix[key];
  let title = asText(pick(data, 'title'));
  let titleSource: TodoRecord['titleSource'] = 'frontmatter';
  if (title === null) {
    title = firstHeading(bodyDoc);
    titleSource = 'heading';
  }
  if (title === null) {
    title = fileStem(file);
    titleSource = 'file';
  }

  const completedRaw = asText(pick(data, 'completed', 'completed_at', 'done')) ?? fromPrefix('completed') ?? fromPrefix('completed_at') ?? null;
  const record: TodoRecord = {
    title,
    titleSource,
    created: timestamp(asText(pick(data, 'created', 'created_at', 'date')) ?? fromPrefix('created') ?? null),
    area: asText(pick(data, 'area')) ?? fromPrefix('area') ?? null,
    completed: timestamp(completedRaw),
    priority: asText(pick(data, 'priority')) ?? fromPrefix('priority') ?? null,
  };
  return { record, diagnostics: sink.items };
}

function timestamp(v: string | null): string | null {
  return v === null ? null : extractTimestamp(v);
}

function firstHeading(doc: MarkdownDocument): string | null {
  for (const b of doc.blocks) {
    if (b.kind === 'heading' && b.text.trim() !== '') return b.text.trim();
  }
  return null;
}

function fileStem(file: string): string {
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  return base.replace(/\.md$/i, '');
}
