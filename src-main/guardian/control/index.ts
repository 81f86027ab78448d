// The control plane: the loop pulse -> constraints -> gates -> agents -> modes -> effects on the
// data plane, with repair, breakers and the status the API returns. Other parts import from here.
//
// Decisions worth knowing before using it:
// - createControlPlane({ router, db, dataDir, clock?, files?, pulse?, incidents?, actions? }) starts
//   the pulse (every pulse_ms, default 250) unless autostart is false; dispose() stops it and puts
//   the router's signal policy back.
// - The mode's effects reach the data plane only through the router's public API: forcePath (with
//   the control plane's name as `by`), signals.activeTier, signals.policy (new entries held or
//   refused with MODE_BLOCK; CLOSE and MODIFY always pass), signals.entryVerdict (the same mode
//   at a held signal's release, whatever held it), releaseHeld / expireHeld('MODE_BLOCK') and
//   send(ea, 'COMMAND', ...).
// - IncidentSink is the hook for the incident log: record(ControlEvent) for everything,
//   modeEffect(ModeEffect) for the mode manager's effects as they are, chainOk() for log_chain_ok.
export { ConstraintEngine, decide } from './engine';
export type { Decision, DecisionInput, SubsystemScores } from './engine';
export { createControlPlane, loadFailoverPolicy, defaultControlFiles } from './control-plane';
export type { ControlPlane, PulseResult } from './control-plane';
export { ConstraintRepository } from './repository';
export type { ConstraintRow, ConstraintRun, Insight, SeedReport } from './repository';
export { ControlStore } from './persistence';
export type { SavedControlState } from './persistence';
export { commScore, tierScore, execScore, preferredPath, bestUsablePath, failingPaths, pathUsable, tierUsable, DEFAULT_SIGNAL_STALE_S } from './scores';
export type { ScoreWhy, BreakerLookup } from './scores';
export { buildStatus, contractAction } from './status';
export { DEFAULT_EXEC_BUDGETS } from './types';
export type {
  ControlEvent, ControlEventType, ControlPlaneOptions, ControlPlaneSettings, ControlStatus, ControlDetail, IncidentSink, WhyRecord,
  ExecBudgets, BreakerStatus, RepairStatus,
} from './types';
export { consolePort } from './console-port';
