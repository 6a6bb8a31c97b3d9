/**
 * History: decisions, blockers, todos and sessions. Their home is the ledger; a GSD project that
 * was never adopted keeps them in STATE.md. Entries are matched by a content key, so the two
 * sources merge without duplicates: an entry written by hand into STATE.md after adoption is still
 * counted (and imported by the next `cairn sync`/`adopt`), and an entry already in the ledger is
 * not counted twice. Views may clip long text with "…", so a clipped entry matches by prefix.
 */
import type { Workspace } from '../workspace/types.ts';
import type { StateBlocker, StateDecision, StateTodo } from '../formats/state/types.ts';
import { isKnownEvent } from '../ledger/index.ts';
import { toEpochMs } from '../model/dates.ts';

function isNewer(a: string | null, b: string | null): boolean {
  const ta = a ? toEpochMs(a) : null;
  const tb = b ? toEpochMs(b) : null;
  return ta !== null && (tb === null || ta > tb);
}

export interface HistoryDecision {
  /** Ledger id of the `decision.recorded` event, null when only in STATE.md. */
  id: string | null;
  key: string;
  text: string;
  tag: string | null;
  date: string | null;
  rationale: string | null;
  /** The heading or label it is grouped under (`Key Decisions (v2.0)`), null when ungrouped. */
  group: string | null;
  /** True when it is only in STATE.md (not yet imported into the ledger). */
  unadopted: boolean;
  source: StateDecision | null;
}

export interface HistoryItem {
  /** Ledger id of the blocker/todo, null when only in STATE.md. */
  id: string | null;
  key: string;
  text: string;
  group: string | null;
  done: boolean;
  unadopted: boolean;
  source: StateBlocker | StateTodo | null;
}

export interface History {
  /** 'ledger' when the ledger holds any history event, else 'state'. */
  home: 'ledger' | 'state';
  decisions: HistoryDecision[];
  blockers: HistoryItem[];
  todos: HistoryItem[];
  /** Todo files (by file name) that the ledger marks done, wherever the file now is. */
  doneTodoFiles: Set<string>;
  session: { last: string | null; stoppedAt: string | null; resumeFile: string | null; fromLedger: boolean } | null;
}

/** Lowercased, whitespace-collapsed, markdown emphasis and strike-through markers removed. */
export function normalizeText(text: string): string {
  return text
    .replace(/\\([\\`*_{}[\]()#+\-.!|~<>])/g, (_m, ch: string) => ch)
    .replace(/^\s*\[[ xX]\]\s+/, '')
    .replace(/~~|\*\*|__|`/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** A blocker is keyed by what it says, not by how it was marked resolved (`~~x~~ RESOLVED in 04-01`). */
export function blockerCore(text: string): string {
  const struck = /~~([\s\S]+?)~~/.exec(text);
  const core = struck ? struck[1]! : text.replace(/^\s*(✅|✔️?|☑️?|\[x\])\s*/iu, '');
  return core;
}

/**
 * A decision is identified by what it says. The tag is left out on purpose: different dialects
 * put a plan id in a tag, a column or a trailing parenthesis, and a view may show it differently.
 */
export const decisionKey = (text: string, _tag?: string | null) => `d:${normalizeText(text)}`;
export const blockerKey = (text: string) => `b:${normalizeText(blockerCore(text))}`;
export const todoKey = (text: string) => `t:${normalizeText(text)}`;

/** Finds `key` among `keys`, allowing the STATE.md side to be a clipped ("…") version. */
export function findKey(key: string, keys: Map<string, number>): number | undefined {
  const exact = keys.get(key);
  if (exact !== undefined) return exact;
  if (!key.endsWith('…')) return undefined;
  const prefix = key.slice(0, -1).trimEnd();
  for (const [k, i] of keys) if (k.startsWith(prefix)) return i;
  return undefined;
}

export function historyOf(ws: Workspace): History {
  const state = ws.state?.record ?? null;
  const decisions: HistoryDecision[] = [];
  const blockers: HistoryItem[] = [];
  const todos: HistoryItem[] = [];
  const dIndex = new Map<string, number>();
  const bIndex = new Map<string, number>();
  const bById = new Map<string, number>();
  const tIndex = new Map<string, number>();
  const tById = new Map<string, number>();
  let session: History['session'] = null;
  let ledgerHistory = false;
  const baseName = (p: string) => p.slice(p.lastIndexOf('/') + 1);
  // Todos created by `cairn todo add` live in their file; the ledger entry only records it.
  const fileOfTodo = new Map<string, string>();
  const doneTodoFiles = new Set<string>();

  for (const e of ws.ledger.events) {
    if (!isKnownEvent(e)) continue;
    switch (e.type) {
      case 'decision.recorded': {
        const key = e.key ?? decisionKey(e.text, e.tag ?? null);
        dIndex.set(key, decisions.length);
        // A view may show "text: rationale" as one line (a tagged entry reads back unsplit).
        if (e.rationale) dIndex.set(decisionKey(`${e.text}: ${e.rationale}`), decisions.length);
        // An imported decision has the date its file gave, or none: the import's own time is not its date.
        const date = e.date ?? (e.source === 'adopt' ? null : e.at.slice(0, 10));
        decisions.push({ id: e.id, key, text: e.text, tag: e.tag ?? null, date, rationale: e.rationale ?? null, group: e.group ?? null, unadopted: false, source: null });
        ledgerHistory = true;
        break;
      }
      case 'blocker.raised': {
        const key = e.key ?? blockerKey(e.text);
        bIndex.set(key, blockers.length);
        bById.set(e.blocker, blockers.length);
        blockers.push({ id: e.blocker, key, text: e.text, group: e.group ?? null, done: false, unadopted: false, source: null });
        ledgerHistory = true;
        break;
      }
      case 'blocker.resolved': {
        const i = bById.get(e.blocker);
        if (i !== undefined) blockers[i]!.done = true;
        break;
      }
      case 'todo.added': {
        ledgerHistory = true;
        if (e.file) {
          fileOfTodo.set(e.todo, baseName(e.file));
          break;
        }
        const key = e.key ?? todoKey(e.text);
        tIndex.set(key, todos.length);
        tById.set(e.todo, todos.length);
        todos.push({ id: e.todo, key, text: e.text, group: null, done: false, unadopted: false, source: null });
        ledgerHistory = true;
        break;
      }
      case 'todo.done': {
        const file = fileOfTodo.get(e.todo) ?? (e.todo.endsWith('.md') ? baseName(e.todo) : undefined);
        if (file) doneTodoFiles.add(file);
        const i = tById.get(e.todo);
        if (i !== undefined) todos[i]!.done = true;
        break;
      }
      case 'session.saved': {
        // An imported session happened when STATE.md says (or at an unknown time), not when it was imported.
        const last = e.last ?? (e.source === 'adopt' ? null : e.at);
        session = { last, stoppedAt: e.stoppedAt ?? null, resumeFile: e.resumeFile ?? null, fromLedger: true };
        ledgerHistory = true;
        break;
      }
      default:
        break;
    }
  }

  for (const d of state?.decisions ?? []) {
    const key = decisionKey(d.text, d.tag);
    if (findKey(key, dIndex) !== undefined) continue;
    // "Title: rationale" bullets (a view of a decision whose text holds a colon) split on read.
    if (d.rationale && findKey(decisionKey(`${d.text}: ${d.rationale}`), dIndex) !== undefined) continue;
    dIndex.set(key, decisions.length);
    decisions.push({ id: null, key, text: d.text, tag: d.tag, date: d.date, rationale: d.rationale, group: d.group, unadopted: true, source: d });
  }
  for (const b of state?.blockers ?? []) {
    const key = blockerKey(b.text);
    const i = findKey(key, bIndex);
    if (i !== undefined) {
      // Struck through by hand after adoption: resolved, to be recorded by the next sync.
      if (b.resolved && !blockers[i]!.done) Object.assign(blockers[i]!, { done: true, source: b, unadopted: true });
      continue;
    }
    bIndex.set(key, blockers.length);
    blockers.push({ id: null, key, text: b.text, group: b.group, done: b.resolved, unadopted: true, source: b });
  }
  // A STATE.md bullet that names a todo file, or repeats its title, is that file, not a second todo.
  const fileTitles = ws.todos.map((t) => normalizeText(t.record.title));
  const fileNames = ws.todos.map((t) => t.path.slice(t.path.lastIndexOf('/') + 1));
  const isFile = (text: string) => {
    const n = normalizeText(text);
    return fileNames.some((f) => text.includes(f)) || fileTitles.some((title) => title !== '' && (n === title || n.startsWith(`${title} (`)));
  };
  for (const t of state?.todos ?? []) {
    const key = todoKey(t.text);
    if (findKey(key, tIndex) !== undefined || isFile(t.text)) continue;
    tIndex.set(key, todos.length);
    todos.push({ id: null, key, text: t.text, group: null, done: false, unadopted: true, source: t });
  }
  // A session written into STATE.md by hand (GSD agents do) after the last recorded one wins.
  const written = state?.session ?? null;
  // Without a "Last session" line the session is dated by the file's own "Last activity" date, if any.
  const writtenLast = written ? (written.last ?? state?.position?.lastActivity?.date ?? null) : null;
  if (written && (!session || isNewer(writtenLast, session.last))) {
    session = { last: writtenLast, stoppedAt: written.stoppedAt, resumeFile: written.resumeFile, fromLedger: false };
  }

  return { home: ledgerHistory ? 'ledger' : 'state', decisions, blockers, todos, doneTodoFiles, session };
}
