// The agents' limits. DESIGN.md gives the risk caps (correlation 0.75, slippage 25 bps), the
// spread rule (2.0 x normal) and the latency rule (1.25 x p95); the other figures are Guardian's
// seeds, to be tuned (the learning loop suggests changes; an operator applies them).
import type { AgentAction, AgentName } from './types';

export interface AgentConfig {
  weights: Record<AgentName, number>;
  /** Below this much evidence (weighted mean confidence) the agents are blind ... */
  min_evidence: number;
  /** ... and advise this instead of a consensus: blindness is never read as health. */
  blind_action: AgentAction;
  risk: {
    correlation_max: number;
    slippage_max_bps: number;
    daily_loss_max_pct: number;
    drawdown_max_pct: number;
    /** REDUCE_RISK once a figure reaches this fraction of its cap. */
    warn_fraction: number;
  };
  market: { spread_max_ratio: number };
  execution: {
    reject_rate_max_pct: number;
    slippage_warn_bps: number;
    /** Latency against its own p95 baseline when the pulse has one ... */
    latency_max_ratio: number;
    /** ... and against this fixed limit when it has not. */
    latency_max_ms: number;
    drop_max_pct: number;
  };
  system: { cpu_max_pct: number; event_loop_lag_max_ms: number; clock_skew_max_ms: number };
  compliance: { max_open_positions: number; max_orders_per_min: number };
  learning: { max_degrade_episodes_1h: number; min_repair_success_pct: number; max_false_positive_pct: number };
}

export const DEFAULT_AGENT_CONFIG: AgentConfig = {
  weights: { risk: 1.5, market: 1.0, execution: 1.2, system: 1.0, compliance: 1.0, learning: 0.5 },
  min_evidence: 0.3,
  blind_action: 'HOLD_NEW_ENTRIES',
  risk: { correlation_max: 0.75, slippage_max_bps: 25, daily_loss_max_pct: 3, drawdown_max_pct: 10, warn_fraction: 0.8 },
  market: { spread_max_ratio: 2.0 },
  execution: { reject_rate_max_pct: 5, slippage_warn_bps: 10, latency_max_ratio: 1.25, latency_max_ms: 500, drop_max_pct: 2 },
  system: { cpu_max_pct: 90, event_loop_lag_max_ms: 100, clock_skew_max_ms: 500 },
  compliance: { max_open_positions: 20, max_orders_per_min: 30 },
  learning: { max_degrade_episodes_1h: 3, min_repair_success_pct: 50, max_false_positive_pct: 30 },
};

type Overrides = { [K in keyof AgentConfig]?: AgentConfig[K] extends object ? Partial<AgentConfig[K]> : AgentConfig[K] };

/** The defaults with overrides laid over them, one section at a time. */
export function agentConfig(overrides: Overrides = {}): AgentConfig {
  const d = DEFAULT_AGENT_CONFIG;
  return {
    weights: { ...d.weights, ...overrides.weights },
    min_evidence: overrides.min_evidence ?? d.min_evidence,
    blind_action: overrides.blind_action ?? d.blind_action,
    risk: { ...d.risk, ...overrides.risk },
    market: { ...d.market, ...overrides.market },
    execution: { ...d.execution, ...overrides.execution },
    system: { ...d.system, ...overrides.system },
    compliance: { ...d.compliance, ...overrides.compliance },
    learning: { ...d.learning, ...overrides.learning },
  };
}
