// The incident log's door: hash-chained events, incidents that group them (with inhibition), the
// operators' audit, verification and reports. Tables: migration 3 in ../store.
//
// Decisions worth knowing before using it:
// - Record a change and its event in ONE transaction: inside a GroupCommit write(db) or a
//   db.transaction, call the `...In(db, ...)` variants (appendIn, raiseIn, auditIn, ...), or wrap
//   the write with log.commitWork(write, done). A failed change then leaves no event, and an event
//   never describes a change that did not happen. Listeners (onChange) hear only committed changes.
// - Events are immutable: an event's incident is fixed when it is written (attach = append under).
// - The anchor (table log_anchor) moves with every append, in the same transaction. A tail cut
//   off the events table leaves a chain that verifies on its own; only the anchor shows the cut.
//   Someone able to rewrite the whole database can rewrite the anchor too: quote the head hash
//   (reports carry it) somewhere else to pin the log against that.
// - Actors: 'guardian', 'operator:<name>' or a peer's node id. Operator controls need a named
//   operator and a reason; refusals on the merits are audited as 'refused'.
export { IncidentLog, type TimeRange } from './incident-log';
export { IncidentWriter, EVENT_TYPES, type IncidentLogOptions } from './writer';
export { verifyLog, ChainVerifier, type Anchor, type LogProblem, type ProblemKind, type VerifyResult } from './verify';
export { verifyLogCommand, VERIFY_LOG_USAGE, type CommandIo } from './verify-command';
export { canonicalJson, hashEvent, GENESIS_HASH, type EventRow } from './chain';
export { operatorActor, checkOperatorRequest, OPERATOR_PREFIX, type ControlOutcome } from './operator';
export { familyOfMode, causesOfWhy, actorOfWhy, recordModeEffectIn } from './mode-effects';
export { renderReport, whoDidWhat, formatDuration, type IncidentReportFormat, type IncidentReportJson, type ReportData, type WhoDidWhat } from './report';
export { toIncidentView, toAuditEntry, toEventView, auditId, type IncidentView, type IncidentEventView } from './views';
export { IncidentLogError } from './types';
export type {
  Actor, AlertInput, AuditOutcome, AuditRecord, CauseFamily, CauseRecord, Detail, IncidentRecord, IncidentState,
  LogChange, NewAudit, NewEvent, OpenIncidentInput, RaiseResult, RunbookStepDetail, StoredEvent,
} from './types';
