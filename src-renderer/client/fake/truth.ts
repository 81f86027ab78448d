// The fake world's trading truth and run manifest (the demo page and the console's tests).
import type { RunManifest, TruthReport } from '../../../src-shared/contract';

export function fakeTruth(now_ms: number): TruthReport {
  return {
    ts: new Date(now_ms).toISOString(), source: 'trade journal: 212 TRADE event(s) (fake)', journal_events: 212,
    first_event_ts: new Date(now_ms - 9 * 86_400_000).toISOString(), correlation_days: 20,
    metrics: {
      trades: 96, wins: 54, losses: 42, win_rate_pct: 56.25, net_pnl: 1843.2, fees: 201.6, expectancy: 19.2, profit_factor: 1.41,
      avg_win: 118.4, avg_loss: -108.3, return_days: 8, sharpe: 1.62, sortino: 2.41, max_drawdown_pct: 4.8, max_drawdown_duration_s: 93_600,
      max_drawdown_recovered: true, drawdown_pct: 1.2, var95_pct: 1.35, es95_pct: 1.9, consecutive_losses: 1, max_consecutive_losses: 4,
      reject_rate_pct: 2.1, orders: 98, avg_slippage_bps: 0.62, symbols_held: ['EURUSD', 'GBPUSD'],
      correlations: [{ a: 'EURUSD', b: 'GBPUSD', correlation: 0.58 }], max_correlation: 0.58,
    },
  };
}

export function fakeManifest(now_ms: number): RunManifest {
  return {
    version: '0.1.0', git_commit: '2dc368c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6', git_ref: 'refs/heads/main', config_hash: 'c0ffee'.padEnd(64, '0'),
    config_files: [{ file: 'config/guardian.yaml', sha256: 'a'.repeat(64) }], flags: { demo: true }, data_dir: '.guardian-data',
    protocol_versions: ['1.2', '1.0'], contract_version: '1.0', node: 'v20', platform: 'fake', pid: 1, started_ts: new Date(now_ms - 3_600_000).toISOString(),
  };
}
