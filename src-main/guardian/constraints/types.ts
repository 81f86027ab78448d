// The shapes of constraints: as written in config/constraints.yaml, as loaded (compiled), and as evaluated.
// Field names follow the YAML (snake_case) so the file, the SQLite rows and the API read the same.
import type { CompiledCondition, ConditionStatus } from './dsl/compile';

export type GateName = 'market_quality' | 'risk_management' | 'system_health' | 'broker_connectivity';
export const GATE_NAMES: readonly GateName[] = ['market_quality', 'risk_management', 'system_health', 'broker_connectivity'];

export type Severity = 'warning' | 'critical';
export const SEVERITIES: readonly Severity[] = ['warning', 'critical'];

/** Trading sessions, by the market that leads them. */
export type Session = 'sydney' | 'asia' | 'london' | 'new_york';
export const SESSIONS: readonly Session[] = ['sydney', 'asia', 'london', 'new_york'];

/** Volatility regime. */
export type Regime = 'low' | 'normal' | 'high';
export const REGIMES: readonly Regime[] = ['low', 'normal', 'high'];

/** Where a constraint applies. Each list present must name the current value; an absent list matches anything. */
export interface ConstraintFilters {
  readonly sessions?: readonly Session[];
  /** Symbol names, compared case-insensitively (EURUSD matches eurusd). */
  readonly symbols?: readonly string[];
  readonly regimes?: readonly Regime[];
}

/** A constraint as written: one entry of config/constraints.yaml (or one row of the repository). */
export interface ConstraintSpec {
  readonly id: string;
  readonly gate: GateName;
  readonly severity: Severity;
  /** Condition DSL text, true when healthy. */
  readonly condition: string;
  /** Plain English, for the gate card. */
  readonly description: string;
  readonly filters?: ConstraintFilters;
  /** What the operator should do when it fails. */
  readonly next_step?: string;
}

/** A validated constraint with its condition compiled against CONSTRAINT_VARIABLE_INDEX. */
export interface ConstraintDefinition extends ConstraintSpec {
  readonly compiled: CompiledCondition;
  /** Where it was defined, for messages ("config/constraints.yaml:42"). */
  readonly origin?: { readonly file: string; readonly line: number };
}

/** The present circumstances, against which filters are matched. */
export interface ConstraintFilterContext {
  readonly session?: Session;
  readonly symbol?: string;
  readonly regime?: Regime;
}

/** One evaluated constraint: the unit the gates score and the "why" quotes. */
export type ConstraintResult = {
  id: string;
  gate: GateName;
  severity: Severity;
  status: ConditionStatus;
  /** For a condition that is one comparison: the measured side ("spread_pips"). */
  value?: number;
  /** ...and the side it is held to ("normal_spread_pips * 2.0"). */
  limit?: number;
  /** "spread_pips = 3.4, limit normal_spread_pips * 2.0 = 2.8 (must be <)" */
  explanation: string;
  /** Variables the condition needed that had no value. */
  missing?: string[];
};
