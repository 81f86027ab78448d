// The words a trader reads for the control plane's variable names ("p95_bridge_latency_ms" is
// "Bridge latency p95"). The raw name stays in the tooltip, for matching it to a constraint.
// Pure: names in, words out; an unknown name still reads as words, never as snake_case.

const WORDS: Readonly<Record<string, string>> = {
  spread_pips: 'Spread',
  normal_spread_pips: 'Normal spread',
  slippage_bps: 'Slippage',
  'signal_age_s.primary': 'Primary signal age',
  portfolio_correlation: 'Correlation',
  margin_level_pct: 'Margin level',
  daily_loss_pct: 'Daily loss',
  drawdown_pct: 'Drawdown',
  cpu_pct: 'CPU',
  memory_pct: 'Memory',
  event_loop_lag_ms: 'Event-loop lag',
  db_write_latency_ms: 'DB write latency',
  clock_skew_ms: 'Clock skew',
  bridge_latency_ms: 'Bridge latency',
  p95_bridge_latency_ms: 'Bridge latency p95',
  ack_latency_ms: 'Ack latency',
  drop_pct: 'Drop rate',
  healthy_paths: 'Healthy paths',
  reject_rate_pct: 'Reject rate',
};

/** Unit suffixes the value already shows (a "%" or "ms" beside the number). */
const UNIT_SUFFIX = /_(pct|ms|s|bps|pips)$/;

export function metricTitle(name: string): string {
  const known = WORDS[name];
  if (known) return known;
  // "p95_ack_latency_ms" -> "Ack latency p95"; "signal_age_s.cached" -> "Signal age (cached)"
  const [base = name, qualifier] = name.split('.');
  let words = base.replace(UNIT_SUFFIX, '');
  const pct = /^(p\d{2})_(.+)$/.exec(words);
  if (pct) words = `${pct[2]} ${pct[1]}`;
  words = words.replace(/_/g, ' ').trim();
  const title = words.charAt(0).toUpperCase() + words.slice(1);
  return qualifier ? `${title} (${qualifier.replace(/_/g, ' ')})` : title;
}
