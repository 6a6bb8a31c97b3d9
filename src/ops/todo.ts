/**
 * `todo add "<text>" [--area x]` creates `todos/pending/YYYY-MM-DD-<slug>.md` (GSD's layout) and
 * records `todo.added`; `todo done <ref>` moves the file to `todos/done/` and records `todo.done`.
 * The `todo.added` event names the file it created (`file`), which is how the ledger entry and
 * the file are known to be one todo.
 */
import { UsageError } from '../model/errors.ts';
import { historyOf, normalizeText, type HistoryItem } from '../derive/history.ts';
import { isKnownEvent, type EventBody } from '../ledger/index.ts';
import { slugify } from '../model/ids.ts';
import { confine } from '../store/paths.ts';
import type { TodoEntry, Workspace } from '../workspace/types.ts';
import type { Context } from './run.ts';
import { addEvent, emptyChange, type Change } from './change.ts';
import { requireSlug, requireText } from './input.ts';
import { clipOne, requireLabel } from './decide.ts';
import { isoSeconds } from './plan-lookup.ts';

export const TODOS_PENDING = '.planning/todos/pending';
export const TODOS_DONE = '.planning/todos/done';
const TODO_DIRS = [TODOS_PENDING, TODOS_DONE, '.planning/todos/completed'];
export const DEFAULT_AREA = 'general';
/** A title longer than this is clipped in the frontmatter; the body keeps the whole text. */
export const MAX_TITLE_CHARS = 200;

export interface TodoAddInput {
  text: string | undefined;
  area?: string | undefined;
}

export interface TodoDoneInput {
  ref: string | undefined;
}

const PLAIN = /^[A-Za-z][A-Za-z0-9 ,.()_'!?/+=-]*$/;
const RESERVED = /^(?:true|false|yes|no|on|off|null|y|n|~)$/i;

/**
 * A YAML scalar that reads back as exactly `s`: plain when nothing in it can mean something else
 * to YAML, else double-quoted with JSON escapes (a subset of YAML's), line separators escaped too.
 */
export function yamlScalar(s: string): string {
  if (PLAIN.test(s) && !RESERVED.test(s) && !s.endsWith(' ') && !s.includes(': ') && !s.includes(' #')) return s;
  return JSON.stringify(s).replace(/[\u0085\u2028\u2029\uFEFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The title a todo's text gets: its first line, clipped. */
export function todoTitle(text: string): string {
  const first = text.split(/\r?\n/, 1)[0]!.trim();
  return first.length > MAX_TITLE_CHARS ? `${first.slice(0, MAX_TITLE_CHARS - 1).trimEnd()}…` : first;
}

export function todoFileContent(text: string, title: string, created: string, area: string): string {
  return ['---', `created: ${created}`, `title: ${yamlScalar(title)}`, `area: ${yamlScalar(area)}`, '---', '', '## Problem', '', text, ''].join('\n');
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** `<stem>.md`, else `<stem>-2.md`, `-3`… : the first name no todo folder holds yet. */
function freeName(ws: Workspace, stem: string, dirs: string[]): string {
  const taken = new Set(ws.files.filter((f) => dirs.some((d) => f.startsWith(`${d}/`))).map(baseName));
  if (!taken.has(`${stem}.md`)) return `${stem}.md`;
  for (let n = 2; ; n++) if (!taken.has(`${stem}-${n}.md`)) return `${stem}-${n}.md`;
}

function confined(ctx: Context, rel: string): string {
  const c = confine(ctx.root, rel);
  if (!c.ok) throw new UsageError(`the todo file ${rel} ${c.reason}`, 'report this');
  return c.rel;
}

export function todoAdd(ctx: Context, input: TodoAddInput): Change {
  const text = requireText(input.text, 'the todo', 'cairn todo add "Handle leap seconds in the feed"');
  const area = input.area === undefined ? DEFAULT_AREA : requireLabel(input.area, 'the area', '--area api');
  const { ws, now } = ctx;
  const change = emptyChange();
  const body = { type: 'todo.added', todo: '', text, file: '' };
  const e = addEvent(change, ws, body as unknown as EventBody, now) as unknown as typeof body & { id: string; at: string };
  e.todo = e.id;
  const title = todoTitle(text);
  // A title with no ASCII letters or digits (e.g. all Chinese) is named after its event id.
  const slug = requireSlug(slugify(title) || `todo-${e.id.toLowerCase()}`, 'todo slug');
  const name = freeName(ws, `${e.at.slice(0, 10)}-${slug}`, TODO_DIRS);
  const path = confined(ctx, `${TODOS_PENDING}/${name}`);
  e.file = path;
  change.files.set(path, todoFileContent(text, title, isoSeconds(now), area));
  change.summary = [`Added todo ${e.id}: ${clipOne(title)}`, `  ${path}`];
  change.result = { todo: e.id, at: e.at, file: path, title, area, text };
  return change;
}

interface Candidate {
  /** Ledger id (todo.added event), or null for a file cairn did not create / a STATE.md-only todo. */
  id: string | null;
  text: string;
  done: boolean;
  file: TodoEntry | null;
  item: HistoryItem | null;
}

function candidates(ws: Workspace): Candidate[] {
  const fileOf = new Map<string, string>();
  const doneIds = new Set<string>();
  for (const e of ws.ledger.events) {
    if (!isKnownEvent(e)) continue;
    if (e.type === 'todo.added') {
      const f = (e as { file?: unknown }).file;
      if (typeof f === 'string' && f !== '') fileOf.set(e.todo, baseName(f));
    } else if (e.type === 'todo.done') doneIds.add(e.todo);
  }
  const byName = new Map<string, string>();
  for (const [id, name] of fileOf) byName.set(name, id);
  const out: Candidate[] = [];
  const linked = new Set<string>();
  for (const t of ws.todos) {
    const name = baseName(t.path);
    const id = byName.get(name) ?? null;
    if (id) linked.add(id);
    const done = t.state === 'done' || (id !== null && doneIds.has(id)) || doneIds.has(name);
    out.push({ id, text: t.record.title, done, file: t, item: null });
  }
  for (const h of historyOf(ws).todos) {
    if (h.id !== null && linked.has(h.id)) continue;
    out.push({ id: h.id, text: h.text, done: h.done, file: null, item: h });
  }
  return out;
}

function label(c: Candidate): string {
  const name = c.file ? baseName(c.file.path) : (c.id ?? 'STATE.md');
  return `${name} (${clipOne(c.text, 50)})`;
}

function list(cs: Candidate[], max = 10): string {
  return cs.slice(0, max).map(label).join('; ') + (cs.length > max ? `; … ${cs.length - max} more` : '');
}

function matchText(cs: Candidate[], query: string): Candidate[] {
  const q = normalizeText(query);
  if (q === '') return [];
  const exact = cs.filter((c) => normalizeText(c.text) === q);
  return exact.length ? exact : cs.filter((c) => normalizeText(c.text).startsWith(q));
}

export function todoDone(ctx: Context, input: TodoDoneInput): Change {
  const raw = input.ref === undefined ? undefined : input.ref.trim();
  if (!raw) throw new UsageError('which todo? give its id, its file name, or the start of its title', 'e.g. cairn todo done 2026-03-08-southern-hemisphere-moons');
  const { ws, now } = ctx;
  const all = candidates(ws);
  const open = all.filter((c) => !c.done);

  const upper = raw.toUpperCase();
  const fileName = raw.endsWith('.md') ? raw : `${raw}.md`;
  let matches = all.filter((c) => c.id !== null && c.id.toUpperCase() === upper);
  if (!matches.length) matches = all.filter((c) => c.file !== null && baseName(c.file.path) === fileName);
  if (!matches.length) {
    matches = matchText(open, raw);
    if (!matches.length) matches = matchText(all.filter((c) => c.done), raw).slice(0, 1);
  }
  // The same todo file can sit in pending/ and done/ after a hand copy: the pending one is meant.
  if (matches.length > 1 && matches.some((c) => !c.done)) matches = matches.filter((c) => !c.done);
  if (matches.length > 1) {
    throw new UsageError(`"${clipOne(raw, 40)}" matches ${matches.length} todos: ${list(matches)}`, 'give more of the title, the file name or the id');
  }
  const target = matches[0];
  if (!target) {
    throw new UsageError(
      `no todo matches "${clipOne(raw, 40)}"; ${open.length ? `the pending todos are: ${list(open)}` : 'no todo is pending'}`,
      '`cairn status` lists pending todos; `cairn todo add "<text>"` adds one',
    );
  }

  const change = emptyChange();
  if (target.done) {
    change.summary = [`Todo ${label(target)} is already done; nothing changed.`];
    change.result = { todo: target.id, file: target.file?.path ?? null, alreadyDone: true };
    return change;
  }
  let id = target.id;
  if (id === null && target.file === null && target.item) {
    // Only STATE.md knows it: import it (keyed like `cairn adopt`), then mark it done.
    const added = addEvent(change, ws, { type: 'todo.added', key: target.item.key, todo: '', text: target.item.text }, now);
    added.todo = added.id;
    id = added.id;
  }
  let moved: string | null = null;
  if (target.file && target.file.state === 'pending') {
    const name = baseName(target.file.path);
    const stem = name.replace(/\.md$/i, '');
    const to = confined(ctx, `${TODOS_DONE}/${freeName(ws, stem, [TODOS_DONE])}`);
    change.renames.push({ from: confined(ctx, target.file.path), to });
    moved = to;
  }
  // A file cairn did not create has no ledger id: the event names the file.
  const todo = id ?? baseName(target.file!.path);
  const e = addEvent(change, ws, { type: 'todo.done', todo }, now);
  change.summary = [`Done: ${label(target)}${moved ? ` → ${moved}` : ''}`];
  change.result = { todo, file: moved ?? target.file?.path ?? null, from: target.file?.path ?? null, alreadyDone: false, event: e.id };
  return change;
}
