export { newEventId, isEventId, eventIdTime } from './ids.ts';
export {
  LEDGER_FILE,
  createEvent,
  isKnownEvent,
  isKnownType,
  type EventBody,
  type KnownLedgerEvent,
  type LedgerEvent,
  type LedgerEventType,
  type UnknownLedgerEvent,
  type PlanStarted,
  type PlanCompleted,
  type PhaseCompleted,
  type MilestoneCompleted,
  type MilestoneStarted,
  type DecisionRecorded,
  type BlockerRaised,
  type BlockerResolved,
  type TodoAdded,
  type TodoDone,
  type SessionSaved,
  type PhaseMetrics,
} from './events.ts';
export { readLedger, type LedgerRead } from './read.ts';
export { serializeEvents, ledgerAppendText, gitattributesChange, LEDGER_GITATTRIBUTES_LINE } from './append.ts';
