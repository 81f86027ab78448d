// Dependency circuit breakers (each path, each signal tier, the broker) and the error taxonomy.
// Pure transitions on the monotonic clock; BreakerBoard holds the state and reads the clock.
export { DEFAULT_BREAKER_POLICY } from './policy';
export type { BreakerPolicy, BreakerTrip } from './policy';
export { FAILURE_REASONS, classifyError } from './taxonomy';
export type { ClassifiedFailure, FailureInfo, FailureReason } from './taxonomy';
export { breakerTransition, canAttempt, initialBreaker, shiftBreaker } from './breaker';
export type { BreakerChange, BreakerEvent, BreakerPosition, BreakerState } from './breaker';
export { BreakerBoard, boardTransition, breakerOf } from './board';
export type { BoardChange, BoardSnapshot, BoardState, BreakerBoardOptions } from './board';
