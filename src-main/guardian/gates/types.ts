// The shapes of the quality gates (DESIGN.md section 1, "Quality gates").

export type GateName = 'market_quality' | 'risk_management' | 'system_health' | 'broker_connectivity';
export const GATE_NAMES: readonly GateName[] = ['market_quality', 'risk_management', 'system_health', 'broker_connectivity'];

/**
 * One evaluated constraint. This mirrors the result type of constraints/ (the condition DSL) field
 * for field; it is declared here so the gates do not depend on that folder. If the two ever
 * differ, the composition root stops compiling, which is the point.
 */
export type ConstraintResult = {
  id: string;
  gate: GateName;
  severity: 'warning' | 'critical';
  status: 'pass' | 'fail' | 'unknown';
  value?: number;
  limit?: number;
  explanation: string;
  missing?: string[];
};

/** green >= 85, amber 70-84, red < 70; unknown when nothing in the gate could be evaluated. */
export type GateStatus = 'green' | 'amber' | 'red' | 'unknown';

export interface GateCounts {
  total: number;
  pass: number;
  failed_warning: number;
  failed_critical: number;
  unknown: number;
}

export interface GateScore {
  gate: GateName;
  /** 0-100, or null when the gate had no constraint results at all. */
  score: number | null;
  status: GateStatus;
  /** True when a failed critical constraint capped the score. */
  capped: boolean;
  /** The failed constraints, with their values and limits: the "why" of a low score. */
  failing: ConstraintResult[];
  /** Constraints that could not be evaluated (missing variables). They cost points; see score.ts. */
  unknown: ConstraintResult[];
  counts: GateCounts;
}

export interface GateReport {
  gates: Record<GateName, GateScore>;
  /** Weighted mean of the gates that have a score; null when none has. */
  overall: number | null;
  high_volatility: boolean;
  /** The overall score needed for approval in this regime. */
  approve_at: number;
  approved: boolean;
  /** Why trading is not approved (empty when it is). */
  reasons: string[];
}
