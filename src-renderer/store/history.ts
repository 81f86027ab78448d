// Sparkline history: one ring per series, sized for 15 minutes at the pulse rate.
import { sampleOfStatus, type GuardianStatus, type MetricsSample } from '../../src-shared/contract';
import { RingBuffer } from './ring';

export const HISTORY_WINDOW_S = 15 * 60;

export const SERIES = [
  'overall_score', 'market_quality', 'risk_management', 'system_health', 'broker_connectivity',
  'bridge_rtt_p95_ms', 'ack_latency_p95_ms', 'spread_pips', 'slippage_bps', 'error_budget_burn', 'buffer_depth',
] as const;
export type SeriesName = (typeof SERIES)[number];

export interface History {
  pulse_ms: number;
  /** Sample times (epoch ms), parallel to every series. */
  ts: RingBuffer;
  series: Record<SeriesName, RingBuffer>;
}

export function historyCapacity(pulse_ms: number, window_s = HISTORY_WINDOW_S): number {
  return Math.max(1, Math.ceil((window_s * 1000) / Math.max(1, pulse_ms)));
}

export function createHistory(pulse_ms: number, window_s = HISTORY_WINDOW_S): History {
  const capacity = historyCapacity(pulse_ms, window_s);
  const series = Object.fromEntries(SERIES.map((name) => [name, new RingBuffer(capacity)])) as Record<SeriesName, RingBuffer>;
  return { pulse_ms, ts: new RingBuffer(capacity), series };
}

type Row = Record<SeriesName, number | null | undefined>;

function rowOfSample(s: Omit<MetricsSample, 'ts'>): Row {
  return {
    overall_score: s.overall_score,
    ...s.scores,
    bridge_rtt_p95_ms: s.slo.bridge_rtt_p95_ms,
    ack_latency_p95_ms: s.slo.ack_latency_p95_ms,
    spread_pips: s.slo.spread_pips,
    slippage_bps: s.slo.slippage_bps,
    error_budget_burn: s.slo.error_budget_burn,
    buffer_depth: s.buffer_depth,
  };
}

export function rowOfStatus(status: GuardianStatus): Row {
  return rowOfSample(sampleOfStatus(status));
}

export function appendRow(h: History, ts_ms: number, row: Row): void {
  h.ts.push(ts_ms);
  for (const name of SERIES) h.series[name].push(row[name]);
}

/** Replace the history with a server's recent samples (oldest first). */
export function fillHistory(h: History, samples: readonly MetricsSample[]): void {
  h.ts.clear();
  for (const name of SERIES) h.series[name].clear();
  for (const s of samples) appendRow(h, Date.parse(s.ts), rowOfSample(s));
}
