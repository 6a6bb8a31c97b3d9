/**
 * Todo files (`todos/pending/*.md`, `todos/done/*.md`, `todos/completed/*.md`).
 * GSD's `todo complete` prepends `completed: YYYY-MM-DD` before the opening `---`, so a completed
 * todo no longer starts with frontmatter; those leading `key: value` lines are read, and the
 * frontmatter after them is parsed as if it started the file.
 */
import type { MarkdownDocument } from '../markdown/index.ts';
import { extractTimestamp } from '../model/dates.ts';
import { DiagnosticSink, type Diagnostic } from '../model/diagnostic.ts';
import { asText, pick, rawScalar, readFrontmatter } from './frontmatter-fields.ts';

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

export function readTodo(doc: MarkdownDocument, file: string): { record: TodoRecord; diagnostics: Diagnostic[] } {
  const sink = new DiagnosticSink(file, (o) => doc.position(o));
  const view = readFrontmatter(doc, sink, { allowKeyPrefix: true });
  const data = view.data;
  const prefix = view.prefix;
  const fromPrefix = (key: string): string | undefined => prefix[key];
  let title = asText(pick(data, 'title'));
  // YAML reads ` #Preview` in an unquoted title as a comment; GSD writes titles unquoted, without comments.
  const rawTitle = rawScalar(view.fmDoc, 'title', { keepHash: true });
  if (title !== null && rawTitle !== null && rawTitle.length > title.length && rawTitle.startsWith(title) && /^[ \t]+#/.test(rawTitle.slice(title.length))) {
    title = rawTitle;
  }
  let titleSource: TodoRecord['titleSource'] = 'frontmatter';
  if (title === null) {
    title = firstHeading(view.fmDoc);
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
