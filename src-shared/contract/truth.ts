// The trading truth (GET /api/truth) and the run manifest (GET /api/manifest).
//
// Every figure is computed by Guardian from the EA's raw TRADE events and STATUS equity (never by
// the learning loop or a signal service). JSON cannot carry Infinity or NaN, so a figure that can
// be unbounded or undefined is a WireNumber:
//   a number   the value
//   "inf"      +Infinity (profit factor with no losing trade; Sortino with no losing day)
//   "-inf"     -Infinity (kept for symmetry; no figure produces it today)
//   null       not defined: no data, or too little (see each field)
import type { IsoTs } from './modes';

export type WireNumber = number | 'inf' | '-inf' | null;

/** A number as it travels: Infinity as "inf", NaN (and undefined) as null. */
export function toWireNumber(v: number | null | undefined): WireNumber {
  if (v === null || v === undefined || Number.isNaN(v)) return null;
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return v;
}

/** The inverse: "inf" -> Infinity, null -> NaN. */
export function fromWireNumber(v: WireNumber): number {
  if (v === null) return Number.NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return v;
}

export interface SymbolCorrelation {
  a: string;
  b: string;
  /** Pearson correlation of the two symbols' daily net P&L over the window; null if either is flat, or with trades on fewer than 5 days. */
  correlation: number | null;
}

export interface TruthMetricsWire {
  /** Closed trades (CLOSED events). A trade with net P&L exactly 0 is neither a win nor a loss. */
  trades: number;
  wins: number;
  losses: number;
  /** wins / trades, in percent; null with no trade. */
  win_rate_pct: number | null;
  /** Sum of each trade's net P&L (pnl + commission + swap), account currency. */
  net_pnl: number;
  /** Commission and swap paid (a positive number is a cost), account currency. */
  fees: number;
  /** net_pnl / trades; null with no trade. */
  expectancy: number | null;
  /** Sum of wins over the absolute sum of losses; "inf" with wins and no loss; null with neither. */
  profit_factor: WireNumber;
  /** Mean net P&L of a win (positive) and of a loss (negative); null with none. */
  avg_win: number | null;
  avg_loss: number | null;
  /** Daily returns used by the next four figures (from the last equity of each UTC day). */
  return_days: number;
  /** mean / sample stdev of daily returns x sqrt(252); null with fewer than 2 returns or no dispersion. */
  sharpe: WireNumber;
  /** mean / downside deviation (target 0) x sqrt(252); "inf" with no losing day and a positive mean; null with fewer than 2 returns. */
  sortino: WireNumber;
  /** Largest fall of equity from a running peak, percent; null with no equity seen. */
  max_drawdown_pct: number | null;
  /** From that peak to the recovery above it (or to the last sample, still under water), seconds. */
  max_drawdown_duration_s: number | null;
  /** Whether equity has since recovered above the peak of the maximum drawdown. */
  max_drawdown_recovered: boolean | null;
  /** Fall of the latest equity from the all-time (persisted) peak, percent. */
  drawdown_pct: number | null;
  /** Historical 1-day 95% VaR: the loss at the 5% empirical quantile of daily returns, percent (>= 0). */
  var95_pct: number | null;
  /** Expected shortfall: the mean loss of the daily returns at or below that quantile, percent (>= 0). */
  es95_pct: number | null;
  /** Losing trades in a row, counting back from the latest close; and the longest such run. */
  consecutive_losses: number;
  max_consecutive_losses: number;
  /** Broker rejects over orders that reached the broker (fills + broker rejects), percent; null with none. */
  reject_rate_pct: number | null;
  orders: number;
  /** Mean absolute slippage of the fills, basis points of the fill price; null with no fill. */
  avg_slippage_bps: number | null;
  /** Symbols with an open position (journal: OPENED not yet CLOSED). */
  symbols_held: string[];
  /** Pairwise correlation between the symbols held (daily net P&L over the last correlation_days). */
  correlations: SymbolCorrelation[];
  /** The highest absolute pairwise correlation; null with fewer than two symbols held. */
  max_correlation: number | null;
}

export interface TruthReport {
  ts: IsoTs;
  /** Where the figures come from: "trade journal (N events since ...)". */
  source: string;
  journal_events: number;
  first_event_ts: IsoTs | null;
  correlation_days: number;
  metrics: TruthMetricsWire;
}

/** What Guardian is running: shown in the console, and at the head of every incident report. */
export interface RunManifest {
  /** package.json's version. */
  version: string;
  /** The commit checked out, read from .git without running git; null outside a checkout. */
  git_commit: string | null;
  git_ref: string | null;
  /** sha256 of the configuration files with secrets redacted, and each file's own hash. */
  config_hash: string;
  config_files: { file: string; sha256: string | null }[];
  /** The command-line flags and the dependencies Guardian was started with (no secret values). */
  flags: Record<string, string | number | boolean | null>;
  data_dir: string;
  /** Protocol versions spoken (Guardian Bridge Protocol) and the console contract's. */
  protocol_versions: string[];
  contract_version: string;
  node: string;
  platform: string;
  pid: number;
  started_ts: IsoTs;
}
