// The repair orchestrator: runbooks (config/runbooks.yaml), a pure step machine with timeouts and
// shadow verification, and the estimate to recover drawn from past repairs.
export { REPAIR_ACTIONS, STEP_KINDS } from './types';
export type {
  RepairAction, StepKind, RunbookStep, RunbookTrigger, Runbook, StepState, RunState, StepProgress, VerifyProgress,
  RepairRun, RepairHistoryEntry, RepairState, RepairEvent, RepairEffect,
} from './types';
export {
  initialRepairState, repairTransition, shiftRepairState, estimateToRecover_s, remaining_s, successRate_pct, runbooksFor,
  HISTORY_LIMIT, ESTIMATE_SAMPLE,
} from './machine';
export { loadRunbooks, parseRunbooks, RunbookError } from './runbooks';
export type { RepairActions } from './actions';
