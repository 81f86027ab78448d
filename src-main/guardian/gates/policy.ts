// The scoring figures of DESIGN.md section 1, as configurable defaults.
import { GATE_NAMES, type GateName } from './types';

export interface GatePolicy {
  weights: Record<GateName, number>;
  /** What each constraint outcome contributes to its gate's mean. */
  contribution: { pass: number; failed_warning: number; failed_critical: number; unknown: number };
  /** A gate with a failed critical constraint scores at most this. */
  critical_cap: number;
  approve_at: number;
  approve_at_high_volatility: number;
  green_at: number;
  amber_at: number;
  /**
   * DESIGN.md approves on the overall score alone, so one failed critical gate can still be
   * approved when the others are perfect (see score.test.ts). Set true to refuse approval on any
   * failed critical constraint.
   */
  critical_blocks_approval: boolean;
}

export const DEFAULT_GATE_POLICY: GatePolicy = {
  weights: { market_quality: 1.0, risk_management: 1.5, system_health: 1.0, broker_connectivity: 1.2 },
  // unknown counts as a failed warning: see score.ts for why.
  contribution: { pass: 100, failed_warning: 60, failed_critical: 0, unknown: 60 },
  critical_cap: 40,
  approve_at: 80,
  approve_at_high_volatility: 85,
  green_at: 85,
  amber_at: 70,
  critical_blocks_approval: false,
};

/** Overlays overrides on the defaults and checks the result; throws naming the key at fault. */
export function gatePolicy(overrides: Partial<GatePolicy> = {}): GatePolicy {
  const policy: GatePolicy = {
    ...DEFAULT_GATE_POLICY,
    ...overrides,
    weights: { ...DEFAULT_GATE_POLICY.weights, ...overrides.weights },
    contribution: { ...DEFAULT_GATE_POLICY.contribution, ...overrides.contribution },
  };
  const score = (key: string, v: number) => {
    if (!(Number.isFinite(v) && v >= 0 && v <= 100)) throw new RangeError(`gate policy: ${key} must be a score 0..100, got ${v}`);
  };
  for (const gate of GATE_NAMES) {
    const w = policy.weights[gate];
    if (!(Number.isFinite(w) && w > 0)) throw new RangeError(`gate policy: weights.${gate} must be > 0, got ${w}`);
  }
  for (const [k, v] of Object.entries(policy.contribution)) score(`contribution.${k}`, v);
  for (const k of ['critical_cap', 'approve_at', 'approve_at_high_volatility', 'green_at', 'amber_at'] as const) score(k, policy[k]);
  const c = policy.contribution;
  // The order of outcomes is what makes a score mean "health"; unknown must never rank as pass.
  if (!(c.failed_critical <= c.failed_warning && c.failed_warning < c.pass && c.unknown < c.pass)) {
    throw new RangeError('gate policy: contribution must rank failed_critical <= failed_warning < pass, and unknown < pass');
  }
  if (policy.amber_at > policy.green_at) throw new RangeError('gate policy: amber_at must not be above green_at');
  return policy;
}
