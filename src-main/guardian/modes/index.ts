// The mode manager: NORMAL, DEGRADED.COMM, DEGRADED.SIGNAL, DEGRADED.EXEC, SAFE_MODE, with
// hysteresis, dwell, the risk veto and operator overrides, as a pure transition plus a holder.
export { DEGRADATIONS, MODE_SEVERITY, modeOfDegradation } from './types';
export type {
  Degradation, EarlyExitOverride, Episode, Mode, ModeEffect, ModeEvent, ModePulse, ModeState,
  OperatorEvent, Override, PinOverride, VetoReading, Why,
} from './types';
export { DEFAULT_FAILOVER_POLICY, PolicyError, parsePolicy } from './policy';
export type { FailoverPolicy } from './policy';
export { readSubsystems, readVeto, recoveryBlockers } from './readings';
export type { SubsystemReading } from './readings';
export { initialModeState, modeOf, shiftModeState, transition } from './machine';
export { ModeManager } from './manager';
export type { ModeListener, ModeManagerOptions, ModeSnapshot } from './manager';
