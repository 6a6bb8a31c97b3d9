/**
 * Adoption: import the history a GSD STATE.md carries — decisions, blockers (resolved ones too),
 * todos, the last session and per-phase metrics — into the ledger, so that STATE.md's owned
 * sections can become views without losing anything. Idempotent: every imported event carries a
 * content key, and an entry whose key is already in the ledger is skipped. `cairn sync` runs the
 * same import first, so entries an agent writes into STATE.md by hand are never dropped.
 */
import type { Workspace } from '../workspace/types.ts';
import { createEvent, isKnownEvent, type EventBody, type LedgerEvent } from '../ledger/index.ts';
import { historyOf, type History } from '../derive/history.ts';
import { normalizePhaseId } from '../model/ids.ts';
import { emptyChange, type Change } from './change.ts';

export interface AdoptCounts {
  decisions: number;
  blockers: number;
  blockersResolved: number;
  todos: number;
  sessions: number;
  phaseMetrics: number;
}

export function importEvents(ws: Workspace, now: Date, history: History = historyOf(ws)): { events: LedgerEvent[]; counts: AdoptCounts } {
  const events: LedgerEvent[] = [];
  const counts: AdoptCounts = { decisions: 0, blockers: 0, blockersResolved: 0, todos: 0, sessions: 0, phaseMetrics: 0 };
  let after = ws.ledger.events.at(-1)?.id;
  const add = (body: EventBody) => {
    const e = createEvent({ ...body, source: 'adopt' } as EventBody, now, after);
    after = e.id;
    events.push(e);
    return e;
  };
  const doc = ws.state?.doc ?? null;
  // What the entry holds beyond its first line (sub-items), so nothing of it is lost in the ledger.
  const details = (span: { start: number; end: number } | undefined): { details?: string } => {
    if (!doc || !span) return {};
    const text = doc.text.slice(span.start, span.end).replace(/\r\n/g, '\n');
    const nl = text.indexOf('\n');
    if (nl < 0 || text.trimStart().startsWith('|')) return {};
    const rest = text.slice(nl + 1).replace(/\s+$/, '');
    return rest.trim() ? { details: rest } : {};
  };

  for (const d of history.decisions) {
    if (!d.unadopted) continue;
    add({
      type: 'decision.recorded',
      key: d.key,
      text: d.text,
      ...(d.tag ? { tag: d.tag } : {}),
      ...(d.rationale ? { rationale: d.rationale } : {}),
      ...(d.date ? { date: d.date } : {}),
      ...(d.group ? { group: d.group } : {}),
    });
    counts.decisions++;
  }
  for (const b of history.blockers) {
    if (!b.unadopted) continue;
    let id = b.id;
    if (!id) {
      const e = add({ type: 'blocker.raised', key: b.key, blocker: '', text: b.text, ...(b.group ? { group: b.group } : {}), ...details(b.source?.span) });
      // A blocker's id is its raising event's id: unique, sortable, stable across branches.
      (e as { blocker: string }).blocker = e.id;
      id = e.id;
      counts.blockers++;
    }
    if (b.done) {
      add({ type: 'blocker.resolved', blocker: id });
      counts.blockersResolved++;
    }
  }
  for (const t of history.todos) {
    if (!t.unadopted) continue;
    const e = add({ type: 'todo.added', key: t.key, todo: '', text: t.text, ...details(t.source?.span) });
    (e as { todo: string }).todo = e.id;
    counts.todos++;
  }
  if (history.session && !history.session.fromLedger) {
    const s = history.session;
    add({
      type: 'session.saved',
      ...(s.stoppedAt ? { stoppedAt: s.stoppedAt } : {}),
      ...(s.resumeFile ? { resumeFile: s.resumeFile } : {}),
      ...(s.last ? { last: s.last } : {}),
    });
    counts.sessions++;
  }
  // Once per phase: after adoption the By Phase table is a view (derived from SUMMARY durations),
  // so what it shows later is not new history.
  const metricPhases = new Set(ws.ledger.events.flatMap((e) => (isKnownEvent(e) && e.type === 'phase.metrics' ? [e.phase] : [])));
  // A phase whose SUMMARY files carry durations needs no imported row: its velocity is derived.
  const timedOnDisk = new Set(ws.phases.filter((d) => d.id !== null && d.plans.some((p) => p.summary?.record.durationMinutes != null)).map((d) => d.id!));
  for (const row of ws.state?.record.metrics?.byPhase ?? []) {
    const phase = row.phaseId ?? normalizePhaseId(row.phase);
    if (!phase || row.plansDone === null || row.totalMinutes === null || metricPhases.has(phase) || timedOnDisk.has(phase)) continue;
    const key = `m:${phase}`;
    metricPhases.add(phase);
    add({ type: 'phase.metrics', key, phase, plans: row.plansDone, totalMinutes: row.totalMinutes });
    counts.phaseMetrics++;
  }
  return { events, counts };
}

export function describeCounts(c: AdoptCounts): string {
  return [
    `${c.decisions} decision(s)`,
    `${c.blockers} blocker(s) (${c.blockersResolved} resolved)`,
    `${c.todos} todo(s)`,
    `${c.sessions} session(s)`,
    `${c.phaseMetrics} phase metric row(s)`,
  ].join(', ');
}

/** The `adopt` operation: the import, as a Change. */
export function adopt(ws: Workspace, now: Date): Change {
  const change = emptyChange();
  const { events, counts } = importEvents(ws, now);
  change.events = events;
  change.result = { imported: counts, alreadyAdopted: events.length === 0 };
  change.summary = events.length
    ? [`Imported into ${ws.ledger.path}: ${describeCounts(counts)}.`, 'STATE.md now shows the most recent entries; the full history is in the ledger.']
    : ['Nothing to import: the ledger already holds everything STATE.md records.'];
  return change;
}
