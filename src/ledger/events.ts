/**
 * The ledger's event types. Every transition with a time lives in `.planning/events.jsonl`, one
 * JSON object per line, written only by cairn. `at` is the engine's clock at the transition;
 * `key` is a content-derived idempotency key (adopt uses it so importing the same STATE.md entry
 * twice is a no-op); `source` says who recorded it.
 */
import { newEventId } from './ids.ts';

export const LEDGER_FILE = '.planning/events.jsonl';

interface EventBase {
  id: string;
  /** ISO 8601 time from the engine's clock. */
  at: string;
  source?: 'adopt' | 'cli';
  key?: string;
}

export interface PlanStarted extends EventBase { type: 'plan.started'; plan: string; phase: string }
export interface PlanCompleted extends EventBase { type: 'plan.completed'; plan: string; phase: string; minutes?: number }
export interface PhaseCompleted extends EventBase { type: 'phase.completed'; phase: string }
export interface MilestoneCompleted extends EventBase { type: 'milestone.completed'; milestone: string }
export interface MilestoneStarted extends EventBase { type: 'milestone.started'; milestone: string; name: string }
export interface DecisionRecorded extends EventBase {
  type: 'decision.recorded';
  text: string;
  tag?: string;
  phase?: string;
  rationale?: string;
  /** The date the decision was taken when it differs from `at` (adopt imports). */
  date?: string;
  /** The heading or label it was grouped under in STATE.md (`Key Decisions (v2.0)`). */
  group?: string;
}
/** `details`: the rest of the entry as written (sub-items), kept so nothing is lost; views show `text`. */
export interface BlockerRaised extends EventBase { type: 'blocker.raised'; blocker: string; text: string; group?: string; details?: string }
export interface BlockerResolved extends EventBase { type: 'blocker.resolved'; blocker: string }
/** `file`: the todo file cairn created for it (`todos/pending/…`); the file is then the todo's home. */
export interface TodoAdded extends EventBase { type: 'todo.added'; todo: string; text: string; details?: string; file?: string }
export interface TodoDone extends EventBase { type: 'todo.done'; todo: string }
/** `last`: when the session happened, for sessions imported from STATE.md (else `at`). */
export interface SessionSaved extends EventBase { type: 'session.saved'; stoppedAt?: string; resumeFile?: string; plan?: string; last?: string }
export interface PhaseMetrics extends EventBase { type: 'phase.metrics'; phase: string; plans: number; totalMinutes: number }

export type KnownLedgerEvent =
  | PlanStarted
  | PlanCompleted
  | PhaseCompleted
  | MilestoneCompleted
  | MilestoneStarted
  | DecisionRecorded
  | BlockerRaised
  | BlockerResolved
  | TodoAdded
  | TodoDone
  | SessionSaved
  | PhaseMetrics;

export type LedgerEventType = KnownLedgerEvent['type'];

/** An event type this version does not know (written by a newer cairn): kept as read. */
export interface UnknownLedgerEvent extends EventBase {
  type: string;
  [field: string]: unknown;
}

export type LedgerEvent = KnownLedgerEvent | UnknownLedgerEvent;

type FieldType = 'string' | 'number';
interface Shape {
  required: Record<string, FieldType>;
  optional: Record<string, FieldType>;
}

/** Field types of each known event, used to validate what is read. */
export const EVENT_SHAPES: Record<LedgerEventType, Shape> = {
  'plan.started': { required: { plan: 'string', phase: 'string' }, optional: {} },
  'plan.completed': { required: { plan: 'string', phase: 'string' }, optional: { minutes: 'number' } },
  'phase.completed': { required: { phase: 'string' }, optional: {} },
  'milestone.completed': { required: { milestone: 'string' }, optional: {} },
  'milestone.started': { required: { milestone: 'string', name: 'string' }, optional: {} },
  'decision.recorded': {
    required: { text: 'string' },
    optional: { tag: 'string', phase: 'string', rationale: 'string', date: 'string', group: 'string' },
  },
  'blocker.raised': { required: { blocker: 'string', text: 'string' }, optional: { group: 'string', details: 'string' } },
  'blocker.resolved': { required: { blocker: 'string' }, optional: {} },
  'todo.added': { required: { todo: 'string', text: 'string' }, optional: { details: 'string', file: 'string' } },
  'todo.done': { required: { todo: 'string' }, optional: {} },
  'session.saved': { required: {}, optional: { stoppedAt: 'string', resumeFile: 'string', plan: 'string', last: 'string' } },
  'phase.metrics': { required: { phase: 'string', plans: 'number', totalMinutes: 'number' }, optional: {} },
};

export function isKnownType(type: string): type is LedgerEventType {
  return Object.prototype.hasOwnProperty.call(EVENT_SHAPES, type);
}

/** Narrows to the known union, after which `switch (e.type)` narrows each case. */
export function isKnownEvent(e: LedgerEvent): e is KnownLedgerEvent {
  return isKnownType(e.type);
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event before it gets its id and time. */
export type EventBody = DistributiveOmit<KnownLedgerEvent, 'id' | 'at'>;

/**
 * Stamps `body` with a fresh id and `at = now`. Pass the ledger's last id as `after` (read under
 * the lock) so the new id sorts after every event already in the file.
 */
export function createEvent<B extends EventBody>(body: B, now: Date, after?: string): B & { id: string; at: string } {
  return { id: newEventId(now, after), at: now.toISOString(), ...body };
}
