// The catalogue of every variable a constraint may read. The pulse is built to supply exactly these names
// (a flat record keyed by the full dotted name, or a frame laid out by CONSTRAINT_VARIABLE_INDEX), and the
// loader refuses a constraint that names anything else, so a typo can never silently read "missing".
import { VariableIndex } from './dsl/slots';

/** The part of Guardian that produces a value. */
export type VariableSource = 'pulse' | 'paths' | 'router' | 'store' | 'host' | 'ea' | 'trades';

export interface VariableSpec {
  readonly name: string;
  /** pips, bps, pct, ms, s, ratio, count, flag (1 = yes, 0 = no) or code (see the description). */
  readonly unit: 'pips' | 'bps' | 'pct' | 'ms' | 's' | 'ratio' | 'count' | 'flag' | 'code';
  readonly description: string;
  readonly source: VariableSource;
}

export const CONSTRAINT_VARIABLES: readonly VariableSpec[] = [
  // market quality: the symbol being judged
  { name: 'spread_pips', unit: 'pips', source: 'ea', description: 'Current bid/ask spread of the symbol, from the EA STATUS message.' },
  { name: 'normal_spread_pips', unit: 'pips', source: 'pulse', description: 'Rolling median spread of the symbol in the current session (the baseline).' },
  { name: 'tick_age_s', unit: 's', source: 'ea', description: 'Seconds since the last tick of the symbol reached the EA.' },
  { name: 'volatility_ratio', unit: 'ratio', source: 'pulse', description: 'Short-window ATR over long-window ATR; 1.0 is an ordinary market.' },
  { name: 'slippage_bps', unit: 'bps', source: 'trades', description: 'Mean absolute slippage of the fills in the last 15 minutes.' },
  { name: 'p95_slippage_bps', unit: 'bps', source: 'trades', description: '95th percentile slippage of the fills in the last hour.' },
  { name: 'requote_rate_pct', unit: 'pct', source: 'trades', description: 'Share of order requests answered with a requote in the last hour.' },
  { name: 'signal_age_s.primary', unit: 's', source: 'router', description: 'Age of the newest signal from the primary signal tier.' },
  { name: 'signal_age_s.cached', unit: 's', source: 'router', description: 'Age of the newest signal held by the cached tier.' },
  { name: 'signal_age_s.heuristic', unit: 's', source: 'router', description: 'Age of the newest signal from the heuristic tier.' },

  // risk management: the account
  { name: 'portfolio_correlation', unit: 'ratio', source: 'trades', description: 'Highest pairwise correlation between open positions, weighted by exposure (0..1).' },
  { name: 'margin_level_pct', unit: 'pct', source: 'ea', description: 'Equity over used margin, in percent (MT4 margin level); no open positions reads as a large value.' },
  { name: 'daily_loss_pct', unit: 'pct', source: 'trades', description: "Today's realised plus floating loss as a percentage of the day's opening balance (0 when up)." },
  { name: 'drawdown_pct', unit: 'pct', source: 'trades', description: 'Fall of equity from its running peak, in percent.' },
  { name: 'consecutive_losses', unit: 'count', source: 'trades', description: 'Closed trades lost in a row, most recent first (from the trade journal: it survives a restart).' },
  // the trading truth (guardian/truth), computed from the trade journal
  { name: 'max_drawdown_pct', unit: 'pct', source: 'trades', description: 'Largest fall of account equity from a running peak since the journal began, in percent.' },
  { name: 'var95_pct', unit: 'pct', source: 'trades', description: 'Historical one-day 95% value at risk of daily equity returns, in percent (0 when the tail is no loss).' },
  { name: 'es95_pct', unit: 'pct', source: 'trades', description: 'Expected shortfall: mean loss of the daily returns at or beyond the 95% VaR, in percent.' },
  { name: 'profit_factor', unit: 'ratio', source: 'trades', description: 'Sum of winning trades over the absolute sum of losing ones (net of fees); no loss yet reads as 1e6.' },
  { name: 'win_rate_pct', unit: 'pct', source: 'trades', description: 'Closed trades with a positive net P&L, as a share of all closed trades.' },
  { name: 'closed_trades', unit: 'count', source: 'trades', description: 'Closed trades in the journal: how much history the profit factor and win rate stand on.' },
  { name: 'return_days', unit: 'count', source: 'trades', description: 'Daily equity returns in the journal: VaR and expected shortfall need at least 2.' },
  { name: 'open_positions', unit: 'count', source: 'ea', description: 'Positions open on the account.' },
  { name: 'positions_without_stop', unit: 'count', source: 'ea', description: 'Open positions that have no stop-loss set.' },
  { name: 'gross_leverage', unit: 'ratio', source: 'trades', description: 'Gross notional of open positions over equity.' },

  // system health: the Guardian host and its stores
  { name: 'cpu_pct', unit: 'pct', source: 'host', description: 'CPU use of the host over the last pulse window.' },
  { name: 'memory_pct', unit: 'pct', source: 'host', description: 'Memory in use on the host.' },
  { name: 'disk_free_pct', unit: 'pct', source: 'host', description: 'Free space on the volume holding the database and spool.' },
  { name: 'event_loop_lag_ms', unit: 'ms', source: 'host', description: "p99 delay of Guardian's Node event loop over the last pulse window." },
  { name: 'db_ok', unit: 'flag', source: 'store', description: '1 when the SQLite store answered its last health query, 0 otherwise.' },
  { name: 'db_write_latency_ms', unit: 'ms', source: 'store', description: 'p95 time to commit a write group to SQLite.' },
  { name: 'log_chain_ok', unit: 'flag', source: 'store', description: '1 when the incident log hash chain verified up to its head, 0 otherwise.' },
  { name: 'pretrade_blocks_per_min', unit: 'count', source: 'router', description: 'Signals the pre-trade gate refused in the last minute (ORDER_SIZE, PRICE_COLLAR, DUPLICATE_ORDER, RATE_THROTTLE, CANCEL_LOOP; not MODE_BLOCK).' },
  { name: 'clock_skew_ms', unit: 'ms', source: 'pulse', description: "Host clock minus the broker's server_time (signed): the least skew the last minute of whole-second readings proves." },
  { name: 'buffer_depth', unit: 'count', source: 'router', description: 'Messages waiting in the durable outbox.' },
  { name: 'oldest_age_s', unit: 's', source: 'router', description: 'Age of the oldest message waiting in the outbox.' },
  { name: 'ea_state_code', unit: 'code', source: 'ea', description: 'EA state: 0 running, 1 paused by operator, 2 halted by the EA, 3 starting, 4 stopped. PAUSED while Guardian holds new entries is the EA doing as told: 0.' },
  { name: 'ea_halted', unit: 'flag', source: 'ea', description: '1 when the EA has halted itself (trading disabled, fatal error), 0 otherwise.' },

  // broker connectivity: the chain Guardian -> bridge -> EA -> broker
  { name: 'bridge_latency_ms', unit: 'ms', source: 'paths', description: 'Latest round trip through the active bridge path (loop-around ping).' },
  { name: 'p95_bridge_latency_ms', unit: 'ms', source: 'pulse', description: 'Rolling p95 of the active path round trip (the baseline).' },
  { name: 'drop_pct', unit: 'pct', source: 'paths', description: 'Messages lost on the active path over the last minute.' },
  { name: 'heartbeat_age_ms', unit: 'ms', source: 'paths', description: 'Time since the last heartbeat from the EA on any path.' },
  { name: 'ack_latency_ms', unit: 'ms', source: 'router', description: 'Latest time from sending a command to the EA acknowledging it.' },
  { name: 'p95_ack_latency_ms', unit: 'ms', source: 'pulse', description: 'Rolling p95 of the acknowledgement latency (the baseline).' },
  { name: 'resend_rate_pct', unit: 'pct', source: 'router', description: 'Share of messages resent for want of an acknowledgement in the last minute.' },
  { name: 'healthy_paths', unit: 'count', source: 'paths', description: 'Bridge paths (socket, pipe, spool) currently passing their probe quorum.' },
  { name: 'reject_rate_pct', unit: 'pct', source: 'trades', description: 'Share of orders rejected by the broker in the last hour.' },
  { name: 'broker_rtt_ms', unit: 'ms', source: 'ea', description: "Round trip from the terminal to the broker's trade server, as reported by the EA." },
  { name: 'broker_connected', unit: 'flag', source: 'ea', description: '1 when the terminal reports a live connection to the trade server, 0 otherwise.' },
];

/** EA state codes behind `ea_state_code`. */
export const EA_STATE_CODES = { running: 0, paused: 1, halted: 2, starting: 3, stopped: 4 } as const;

/**
 * The frozen slot layout of the catalogue: every loaded constraint is compiled against it, so one frame per
 * pulse (CONSTRAINT_VARIABLE_INDEX.createFrame() / frameFrom(record)) serves every constraint.
 */
export const CONSTRAINT_VARIABLE_INDEX = new VariableIndex(
  CONSTRAINT_VARIABLES.map((v) => v.name),
  { frozen: true },
);

const BY_NAME: ReadonlyMap<string, VariableSpec> = new Map(CONSTRAINT_VARIABLES.map((v) => [v.name, v]));

export function variableSpec(name: string): VariableSpec | undefined {
  return BY_NAME.get(name);
}
