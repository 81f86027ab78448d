// Execution safety (issue 6, part A): the pre-trade gate, the kill switch with every COMMAND
// tracked to its outcome, and reconciliation of Guardian's ledger with the EA's positions.
//
// Decisions worth knowing before using it:
// - new ExecutionSafety({ router, db, clock, incidents }) listens to the router; install its
//   `policy` as router.signals.policy BEFORE the control plane starts: the control plane chains
//   its mode decision (MODE_BLOCK, the one source of truth for manage-only, SAFE_MODE and the kill
//   switch) in front of it, so the gate sees only what the mode lets through. Install
//   `releaseCheck` as router.signals.releaseCheck too: an entry the mode held meets the gate when
//   it is released (it never met it on arrival).
// - A refused signal takes the router's refuse path (stored, ACKed, ERROR <reason> with
//   ref_message_id to its service); this part keeps its detail (execution_blocks).
// - Command outcomes come from the control plane's `command` events (trackCommand), the router's
//   outbox ACK position (acknowledged) and the EA's STATUS after the ACK (confirmed); unknown
//   after `command_timeout_s`, never guessed.
// - The kill switch is latched here (execution_state): released only by the guarded `resume`.
// - Tables: migration 4 in ../store.
export { ExecutionSafety, type ExecutionOptions } from './safety';
export { loadPretradeLimits, parsePretradeLimits, PRETRADE_FILE, PRETRADE_SCHEMA, type PretradeLimits } from './limits';
export { checkSignal, recheckAdmitted, recordFill, initialGateState, isPendingOrder, type GateState, type GateVerdict, type GateMarket } from './pretrade';
export { onAcked, onStatus, onTimeout, effectSeen, type TrackedCommand } from './commands';
export { applyTrade, reconcile, describeDifference, type Position, type Difference } from './ledger';
export { KILL_SWITCH_RELEASE } from './view';
export type { KillSwitch } from './store';
export { wireExecution, holdSafeMode, type ControlPlaneLike } from './wiring';
