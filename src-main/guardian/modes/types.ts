// The mode manager's data: modes, the pulse it reads, its state (plain JSON, kept across
// restarts), the operator's events and the effects it asks others to carry out.
import type { ConstraintResult, GateName, GateScore } from '../gates';
import type { CommandName, SignalTier } from '../../../src-shared/protocol/types';

export type Degradation = 'COMM' | 'SIGNAL' | 'EXEC';
export const DEGRADATIONS: readonly Degradation[] = ['COMM', 'SIGNAL', 'EXEC'];

export type Mode = 'NORMAL' | 'DEGRADED.COMM' | 'DEGRADED.SIGNAL' | 'DEGRADED.EXEC' | 'SAFE_MODE';

/** The most severe condition wins: SAFE_MODE > DEGRADED.EXEC > DEGRADED.SIGNAL > DEGRADED.COMM > NORMAL. */
export const MODE_SEVERITY: Readonly<Record<Mode, number>> = {
  NORMAL: 0,
  'DEGRADED.COMM': 1,
  'DEGRADED.SIGNAL': 2,
  'DEGRADED.EXEC': 3,
  SAFE_MODE: 4,
};

export const modeOfDegradation = (d: Degradation): Mode => `DEGRADED.${d}`;

/** One pulse as the mode manager reads it. A null score is unknown: it never counts as healthy. */
export interface ModePulse {
  gates: Record<GateName, GateScore>;
  /** Path health 0-100 (the active path and its standbys), from pulse and router. */
  comm_score: number | null;
  /** Health 0-100 of the signal tier in use. */
  signal_score: number | null;
  /** Execution quality 0-100 (rejects, slippage, fill latency). */
  exec_score: number | null;
  portfolio_correlation: number | null;
  slippage_bps: number | null;
  /** Set when the risk agent says EMERGENCY_STOP (agents' consensus veto), with its facts. */
  emergency_stop: { facts: string[] } | null;
}

/** The "why" every change carries: a sentence, and the constraints and values behind it. */
export interface Why {
  text: string;
  constraints: ConstraintResult[];
  /** Who decided: the policy, or a named operator. */
  by: 'policy' | { operator: string };
}

/** armed: a cap is broken or the risk agent said stop; clear: every risk input known and inside its cap. */
export interface VetoReading {
  status: 'armed' | 'blind' | 'clear';
  why: Why | null;
}

export interface Episode {
  since_ms: number;
  why: Why;
}

export interface PinOverride {
  mode: Exclude<Mode, 'NORMAL'>;
  by: string;
  reason: string;
  set_ms: number;
  expires_ms: number;
}

/** An operator's early exit: the listed degradations may not be entered again until it expires. */
export interface EarlyExitOverride {
  suppress: Degradation[];
  by: string;
  reason: string;
  set_ms: number;
  expires_ms: number;
}

/** Plain data, JSON-safe. The mode itself is derived from it (modeOf), never stored twice. */
export interface ModeState {
  safe: Episode | null;
  degradations: Partial<Record<Degradation, Episode>>;
  /** Start of the current run of clean pulses (every gate and subsystem >= recover_threshold, no veto). */
  clean_since_ms: number | null;
  last_pulse_ms: number | null;
  /** The risk veto as the last pulse saw it ('blind' before the first): an early exit needs it clear. */
  veto: VetoReading;
  pin: PinOverride | null;
  early_exit: EarlyExitOverride | null;
}

export type ModeEvent =
  | { type: 'PULSE'; pulse: ModePulse }
  /** Time passing alone: lets overrides expire between pulses. */
  | { type: 'TICK' }
  | { type: 'OPERATOR_PIN'; mode: Exclude<Mode, 'NORMAL'>; duration_ms: number; by: string; reason: string }
  | { type: 'OPERATOR_UNPIN'; by: string; reason: string }
  | { type: 'OPERATOR_EXIT'; duration_ms: number; by: string; reason: string };

export type OperatorEvent = Extract<ModeEvent, { type: 'OPERATOR_PIN' | 'OPERATOR_UNPIN' | 'OPERATOR_EXIT' }>;
export type Override = ({ kind: 'PIN' } & PinOverride) | ({ kind: 'EARLY_EXIT' } & EarlyExitOverride);

export type ModeEffect =
  | { type: 'MODE_CHANGED'; from: Mode; to: Mode; why: Why }
  | { type: 'DEGRADATION_ADDED'; degradation: Degradation; why: Why }
  | { type: 'DEGRADATION_CLEARED'; degradation: Degradation; why: Why }
  /** failover: move off the failing path now; switch_back: the primary may return once proved. */
  | { type: 'SWITCH_PATHS'; direction: 'failover' | 'switch_back' }
  /** The preferred tier; the router skips a tier whose breaker is open. */
  | { type: 'USE_SIGNAL_TIER'; tier: SignalTier }
  /** Hold (do not refuse) new-entry signals, each for ttl_ms. Stops and take-profits stay managed. */
  | { type: 'HOLD_NEW_ENTRIES'; ttl_ms: number }
  | { type: 'RELEASE_HELD_SIGNALS' }
  /** Answer held signals SIGNAL_EXPIRED now: they were taken under a risk veto. */
  | { type: 'EXPIRE_HELD_SIGNALS' }
  | { type: 'SEND_COMMAND'; command: Exclude<CommandName, 'PING'>; reason: string }
  | { type: 'OVERRIDE_ACCEPTED'; override: Override }
  | { type: 'OVERRIDE_REFUSED'; request: OperatorEvent; reason: string }
  | { type: 'OVERRIDE_EXPIRED'; override: Override }
  | { type: 'OVERRIDE_CLEARED'; override: Override; by: string; reason: string };
