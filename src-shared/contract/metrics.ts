// Service-level samples for the SLO strip and the 15-minute sparklines.
import type { GateName, IsoTs } from './modes';
import type { GuardianStatus } from './status';

export interface SloSample {
  ts: IsoTs;
  bridge_rtt_p95_ms: number | null;
  ack_latency_p95_ms: number | null;
  spread_pips: number | null;
  spread_normal_pips: number | null;
  slippage_bps: number | null;
  /** Error-budget burn rate: 1.0 spends the budget exactly over its window; above 1 is too fast. */
  error_budget_burn: number | null;
}

export interface SloBudgets {
  bridge_rtt_p95_ms: number;
  ack_latency_p95_ms: number;
  /** Spread budget as a multiple of normal spread (seed constraint: 2.0). */
  spread_multiple: number;
  slippage_bps: number;
  error_budget_burn: number;
}

/** One pulse worth of history: the sparklines' source. */
export interface MetricsSample {
  ts: IsoTs;
  overall_score: number;
  scores: Record<GateName, number>;
  slo: Omit<SloSample, 'ts'>;
  buffer_depth: number;
}

export interface MetricsRecent {
  pulse_ms: number;
  window_s: number;
  budgets: SloBudgets;
  /** Oldest first. */
  samples: MetricsSample[];
}

/**
 * Seed budgets, used until the service sends its own (`metricsRecent.budgets`). Slippage is held
 * to the risk constraint's 15 bps; the veto cap (25 bps) is a separate, harder line.
 */
export const SEED_SLO_BUDGETS: SloBudgets = {
  bridge_rtt_p95_ms: 120,
  ack_latency_p95_ms: 50,
  spread_multiple: 2,
  slippage_bps: 15,
  error_budget_burn: 1,
};

/** The history sample a status amounts to: what the service records each pulse, and what the console appends. */
export function sampleOfStatus(status: GuardianStatus): Omit<MetricsSample, 'ts'> {
  const slo = status.slo;
  return {
    overall_score: status.overall_score,
    scores: { ...status.scores },
    slo: {
      bridge_rtt_p95_ms: slo?.bridge_rtt_p95_ms ?? null,
      ack_latency_p95_ms: slo?.ack_latency_p95_ms ?? null,
      spread_pips: slo?.spread_pips ?? null,
      spread_normal_pips: slo?.spread_normal_pips ?? null,
      slippage_bps: slo?.slippage_bps ?? null,
      error_budget_burn: slo?.error_budget_burn ?? null,
    },
    buffer_depth: status.buffer.depth,
  };
}
