// What the EA's STATUS messages say, per EA: spread and its rolling median (the "normal" spread),
// margin level, state, the clock skew against the broker's server_time, portfolio correlation when
// the EA reports it, today's loss and the drawdown from the equity peak. A STATUS older than
// `stale_ms` says nothing any more: its figures read as missing.
import type { EaState, StatusPayload } from '../../../src-shared/protocol';
import { RollingWindow } from './rolling';

/** The catalogue's ea_state_code (constraints/variables.ts): 0 running, 1 paused, 2 halted, 3 starting, 4 stopped. */
export function constraintStateCode(state: EaState | string): number {
  switch (state) {
    case 'IDLE':
    case 'ARMED':
    case 'ORDERS_PLACED':
    case 'TRADE_TRIGGERED':
    case 'MANAGING':
      return 0;
    case 'PAUSED':
      return 1;
    case 'HALT':
      return 2;
    default:
      return Number.NaN;
  }
}

/**
 * The broker's server_time in epoch ms: MT4's TimeCurrent() text ("2026.11.21 10:30:00") or ISO 8601.
 * MT4 prints the server's local time; `utc_offset_s` is the broker's offset from UTC (often +2 h or +3 h).
 */
export function parseServerTime(text: unknown, utc_offset_s = 0): number {
  if (typeof text !== 'string') return Number.NaN;
  const mt4 = /^(\d{4})\.(\d{2})\.(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(text.trim());
  if (mt4) {
    const [, y, mo, d, h, mi, s, ms] = mt4;
    const t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), Number((ms ?? '0').padEnd(3, '0')));
    return t - utc_offset_s * 1000;
  }
  const iso = Date.parse(text);
  if (!Number.isFinite(iso)) return Number.NaN;
  // An ISO time with no zone is the server's local time, like MT4's.
  return /(?:Z|[+-]\d{2}:?\d{2})$/.test(text.trim()) ? iso : iso - utc_offset_s * 1000;
}

function num(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return Number.NaN;
}

export interface EaFactOptions {
  /** A STATUS older than this no longer counts. */
  stale_ms: number;
  /** The window of the rolling median spread. */
  spread_baseline_s: number;
  /** Fewer spread samples than this: no baseline yet. */
  spread_min_samples: number;
  /** The window of the clock skew estimate. */
  skew_window_s: number;
  broker_utc_offset_s: number;
}

export const DEFAULT_EA_FACT_OPTIONS: EaFactOptions = { stale_ms: 10_000, spread_baseline_s: 300, spread_min_samples: 5, skew_window_s: 60, broker_utc_offset_s: 0 };

/** One EA's figures; NaN when unknown. Names follow the variable catalogue. */
export interface EaFigures {
  spread_pips: number;
  normal_spread_pips: number;
  margin_level_pct: number;
  ea_state_code: number;
  ea_halted: number;
  clock_skew_ms: number;
  portfolio_correlation: number;
  open_positions: number;
  daily_loss_pct: number;
  drawdown_pct: number;
  tick_age_s: number;
  volatility_ratio: number;
  broker_rtt_ms: number;
  broker_connected: number;
  positions_without_stop: number;
  gross_leverage: number;
  /** The protocol state as received (for the agents' own encoding), or null. */
  ea_state: string | null;
  symbol: string | null;
  status_age_ms: number;
  balance: number;
  equity: number;
}

export class EaFacts {
  private latest: (StatusPayload & Record<string, unknown>) | null = null;
  private received_ms = 0;
  private readonly spreads: RollingWindow;
  private readonly skews: RollingWindow;
  private day: { key: string; balance: number } | null = null;
  private peakEquity = Number.NaN;

  constructor(private readonly options: EaFactOptions = DEFAULT_EA_FACT_OPTIONS) {
    this.spreads = new RollingWindow(options.spread_baseline_s * 1000);
    this.skews = new RollingWindow(options.skew_window_s * 1000, 1024);
  }

  /** The equity peak known from before (the trade journal's, persisted): a restart keeps the drawdown. */
  seedPeak(equity: number): void {
    if (Number.isFinite(equity) && !(equity <= this.peakEquity)) this.peakEquity = equity;
  }

  /** A STATUS (or STATUS_RESPONSE) received at monotonic now_ms and wall wall_ms. */
  record(status: StatusPayload & Record<string, unknown>, now_ms: number, wall_ms: number): void {
    this.latest = status;
    this.received_ms = now_ms;
    const spread = num(status.spread_pips);
    if (spread >= 0) this.spreads.push(now_ms, spread);
    // MT4's server_time has whole seconds and arrives after a transit: each reading d = wall -
    // server_time puts the skew in (d - 1000, d]. The window's readings together bound it (see
    // skewWithin); a fixed STATUS phase must not read as a skew of up to a second.
    const server = parseServerTime(status.server_time, this.options.broker_utc_offset_s);
    if (Number.isFinite(server)) this.skews.push(now_ms, wall_ms - server);
    const balance = num(status.balance);
    const equity = num(status.equity);
    const key = new Date(wall_ms).toISOString().slice(0, 10);
    if (Number.isFinite(balance) && (!this.day || this.day.key !== key)) this.day = { key, balance };
    if (Number.isFinite(equity) && !(equity <= this.peakEquity)) this.peakEquity = equity;
  }

  get hasStatus(): boolean {
    return this.latest !== null;
  }

  live(now_ms: number): boolean {
    return this.latest !== null && now_ms - this.received_ms <= this.options.stale_ms;
  }

  figures(now_ms: number): EaFigures {
    const s = this.latest;
    const live = this.live(now_ms);
    const read = (name: string) => (live && s ? num(s[name]) : Number.NaN);
    const spreadStats = this.spreads.stats(now_ms);
    const skewStats = this.skews.stats(now_ms);
    const open = read('open_positions');
    let margin = read('margin_level');
    // MT4 reports margin level 0 when no margin is used; the catalogue reads that as a large value.
    if (margin === 0 && open === 0) margin = 1e6;
    const equity = read('equity');
    const balance = read('balance');
    const dayLoss = this.day && this.day.balance > 0 && Number.isFinite(equity) ? Math.max(0, ((this.day.balance - equity) / this.day.balance) * 100) : Number.NaN;
    const drawdown = this.peakEquity > 0 && Number.isFinite(equity) ? Math.max(0, ((this.peakEquity - equity) / this.peakEquity) * 100) : Number.NaN;
    const state = live && s && typeof s.ea_state === 'string' ? s.ea_state : null;
    const code = state === null ? Number.NaN : constraintStateCode(state);
    return {
      spread_pips: read('spread_pips'),
      normal_spread_pips: spreadStats.count >= this.options.spread_min_samples ? spreadStats.p50 : Number.NaN,
      margin_level_pct: margin,
      ea_state_code: code,
      ea_halted: Number.isFinite(code) ? (code === 2 ? 1 : 0) : Number.NaN,
      clock_skew_ms: live && skewStats.count > 0 ? skewWithin(skewStats.max - SERVER_TIME_RESOLUTION_MS, skewStats.min) : Number.NaN,
      portfolio_correlation: read('portfolio_correlation'),
      open_positions: open,
      daily_loss_pct: dayLoss,
      drawdown_pct: drawdown,
      tick_age_s: read('tick_age_s'),
      volatility_ratio: read('volatility_ratio'),
      broker_rtt_ms: read('broker_rtt_ms'),
      broker_connected: read('broker_connected'),
      positions_without_stop: read('positions_without_stop'),
      gross_leverage: read('gross_leverage'),
      ea_state: state,
      symbol: live && s && typeof s.symbol === 'string' ? s.symbol : null,
      status_age_ms: s ? now_ms - this.received_ms : Number.NaN,
      balance,
      equity,
    };
  }
}

/** server_time's resolution: MT4's TimeCurrent() has whole seconds. */
const SERVER_TIME_RESOLUTION_MS = 1000;

/**
 * The skew of least magnitude consistent with every reading: the true skew lies in
 * [max(d) - 1000, min(d)] (readings that disagree, from transit jitter, leave min(d)). Zero when
 * the readings cannot tell the clocks apart, so the clock_in_sync warning fires only on a skew
 * the readings prove.
 */
export function skewWithin(lo_ms: number, hi_ms: number): number {
  if (lo_ms > hi_ms) return hi_ms;
  if (lo_ms > 0) return lo_ms;
  if (hi_ms < 0) return hi_ms;
  return 0;
}
