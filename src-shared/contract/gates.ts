// A quality gate's score with the constraints that pulled it down (DESIGN.md section 1).
import type { GateName, Severity } from './modes';

export interface FailingConstraint {
  /** The constraint's id in the repository, e.g. "spread_vs_normal". */
  id: string;
  severity: Exclude<Severity, 'info'>;
  value: number;
  limit: number;
  unit?: string;
  /** Plain English: what the numbers mean, e.g. "Spread is 2.3x its normal width". */
  explanation: string;
  /** What Guardian or the operator does next, e.g. "Hold new entries until spread < 2x". */
  next_step: string;
}

/** A number worth showing on a gate card, with the budget it is held to. */
export interface KeyMetric {
  name: string;
  value: number | null;
  unit: string;
  budget?: number;
  /** Plain English tooltip, e.g. "p95 bridge latency over the last 5 min". */
  label: string;
}

export interface GateDetail {
  name: GateName;
  score: number;
  weight: number;
  key_metrics: KeyMetric[];
  failing: FailingConstraint[];
  /**
   * Constraints that could not be judged (a variable has no value): they score below a pass, so a
   * gate can be amber with nothing failing; the card says which and what is missing.
   */
  unknown?: UnknownConstraint[];
}

export interface UnknownConstraint {
  id: string;
  /** The variables that had no value. */
  missing: string[];
  explanation: string;
}
