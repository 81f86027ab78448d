// Execution quality from the EA's TRADE events, over rolling windows: broker reject rate, requote
// rate, slippage (mean and p95, in basis points), orders per minute, losing streak, and the open
// positions without a stop. A simple rolling view; the full truth metrics come later.
//
// No orders in a window while the EA reports is read as 0 (nothing rejected, nothing slipped):
// the trade feed is alive and quiet. While the EA does not report, these read as missing (NaN).
// Rates are the 90% lower confidence bound of the share (wilsonLower): a few orders with one
// requote must not read as a broker rejecting one order in ten.
import type { TradePayload } from '../../../src-shared/protocol';
import { RollingWindow } from './rolling';

export interface TradeWindows {
  /** Mean slippage window (the catalogue: 15 minutes). */
  slippage_s: number;
  /** p95 slippage, reject and requote windows (the catalogue: one hour). */
  rates_s: number;
  /**
   * The reject rate the execution-quality score reads (5 minutes): shorter than the catalogue's
   * hour, so that manage-only (which stops new orders) can end once the broker has recovered.
   */
  exec_s: number;
  /**
   * A reject or requote rate needs this many orders in its window: one requote in five orders is
   * not a 20% reject rate. With fewer, the rate is 0 when nothing was rejected and unknown otherwise.
   */
  min_orders: number;
}

export const DEFAULT_TRADE_WINDOWS: TradeWindows = { slippage_s: 900, rates_s: 3600, exec_s: 300, min_orders: 20 };

/** z of a one-sided 90% confidence bound. */
const Z90 = 1.2816;

/**
 * The Wilson score interval's lower bound of a proportion (k of n), at 90% confidence: the rate the
 * evidence supports. Two requotes in 23 orders is a point estimate of 8.7% but only supports 3.7%;
 * 30 rejects in 40 orders supports 65%.
 */
export function wilsonLower(k: number, n: number, z = Z90): number {
  if (n <= 0) return Number.NaN;
  const p = k / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const margin = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return Math.max(0, (centre - margin) / (1 + z2 / n));
}

/** Reject codes that are Guardian's or the EA's own decisions, not the broker refusing an order. */
const NOT_BROKER = new Set(['HOLD_NEW_ENTRIES', 'CANCELLED', 'NO_POSITION', 'MODE_BLOCK', 'SIGNAL_EXPIRED']);

/** MT4 ERR_REQUOTE. */
export const MT4_REQUOTE = 138;

/**
 * MT4 trade server errors that say the broker (or the way to it) is failing, rather than refusing
 * one order on its merits: these feed the broker's circuit breaker.
 * 2 common error, 4 server busy, 6 no connection, 8 too frequent requests, 128 trade timeout,
 * 137 broker busy, 141 too many requests, 146 trade context busy.
 */
const BROKER_FAILURE_CODES = new Set([2, 4, 6, 8, 128, 137, 141, 146]);

export type RejectKind = 'own' | 'broker_failure' | 'broker_refusal';

export function rejectKind(code: number | string | undefined): RejectKind {
  if (typeof code === 'string') {
    if (NOT_BROKER.has(code)) return 'own';
    const n = Number(code);
    if (!Number.isInteger(n)) return 'broker_refusal';
    code = n;
  }
  if (code === undefined) return 'broker_refusal';
  return BROKER_FAILURE_CODES.has(code) ? 'broker_failure' : 'broker_refusal';
}

export function pipSize(symbol: string): number {
  const s = symbol.toUpperCase();
  if (s.includes('JPY')) return 0.01;
  if (s.startsWith('XAU')) return 0.1;
  if (s.startsWith('XAG')) return 0.01;
  return 0.0001;
}

/** Slippage of a fill in basis points of its price (absolute: adverse and favourable both cost control). */
export function slippageBps(t: TradePayload): number {
  const price = t.price ?? t.requested_price;
  if (t.slippage_pips !== undefined && price !== undefined && price > 0) return (Math.abs(t.slippage_pips) * pipSize(t.symbol) / price) * 10_000;
  if (t.requested_price !== undefined && t.price !== undefined && t.requested_price > 0) return (Math.abs(t.price - t.requested_price) / t.requested_price) * 10_000;
  return Number.NaN;
}

export interface TradeFigures {
  slippage_bps: number;
  p95_slippage_bps: number;
  reject_rate_pct: number;
  requote_rate_pct: number;
  /** The broker reject rate over the execution-quality window (TradeWindows.exec_s). */
  exec_reject_rate_pct: number;
  orders_per_min: number;
  consecutive_losses: number;
  /** Tracked open positions without a stop-loss; NaN unless every open position is tracked. */
  positions_without_stop: number;
  fills: number;
  orders: number;
}

export class TradeTracker {
  private readonly slippage: RollingWindow;
  private readonly slippageLong: RollingWindow;
  /** 1 per broker reject, 0 per fill. */
  private readonly rejects: RollingWindow;
  /** 1 per requote, 0 per other order outcome. */
  private readonly requotes: RollingWindow;
  private readonly rejectsExec: RollingWindow;
  private readonly ordersMinute = new RollingWindow(60_000);
  private losses = 0;
  private sawClose = false;
  /** Open tickets Guardian saw opened: whether each has a stop-loss. */
  private readonly open = new Map<number, boolean>();
  lastSymbol: string | undefined;

  private readonly minOrders: number;

  constructor(windows: TradeWindows = DEFAULT_TRADE_WINDOWS) {
    this.minOrders = windows.min_orders;
    this.slippage = new RollingWindow(windows.slippage_s * 1000);
    this.slippageLong = new RollingWindow(windows.rates_s * 1000, 8192);
    this.rejects = new RollingWindow(windows.rates_s * 1000, 8192);
    this.requotes = new RollingWindow(windows.rates_s * 1000, 8192);
    this.rejectsExec = new RollingWindow(windows.exec_s * 1000, 8192);
  }

  /** One TRADE event, at monotonic time now_ms. Returns how a reject reads (for the broker breaker). */
  record(t: TradePayload, now_ms: number): RejectKind | 'fill' | 'other' {
    this.lastSymbol = t.symbol;
    switch (t.event) {
      case 'OPENED': {
        const bps = slippageBps(t);
        this.slippage.push(now_ms, bps);
        this.slippageLong.push(now_ms, bps);
        this.rejects.push(now_ms, 0);
        this.rejectsExec.push(now_ms, 0);
        this.requotes.push(now_ms, 0);
        this.ordersMinute.push(now_ms, 1);
        this.open.set(t.ticket, hasStop(t.sl));
        return 'fill';
      }
      case 'REJECTED': {
        const kind = rejectKind(t.reject_code);
        if (kind === 'own') return kind;
        this.rejects.push(now_ms, 1);
        this.rejectsExec.push(now_ms, 1);
        this.requotes.push(now_ms, Number(t.reject_code) === MT4_REQUOTE ? 1 : 0);
        this.ordersMinute.push(now_ms, 1);
        return kind;
      }
      case 'MODIFIED':
        if (this.open.has(t.ticket)) this.open.set(t.ticket, hasStop(t.sl));
        return 'other';
      case 'CLOSED': {
        this.open.delete(t.ticket);
        this.sawClose = true;
        const pnl = t.pnl ?? 0;
        if (pnl < 0) this.losses++;
        else if (pnl > 0) this.losses = 0;
        return 'other';
      }
    }
    return 'other';
  }

  /**
   * A 1-per-event rate in percent: the rate the evidence supports (wilsonLower), with the
   * small-sample rule of TradeWindows.min_orders.
   */
  private rate(stats: { count: number; mean: number }, quiet: number): number {
    if (stats.count === 0) return quiet;
    if (stats.mean === 0) return 0;
    if (stats.count < this.minOrders) return Number.NaN;
    return wilsonLower(Math.round(stats.mean * stats.count), stats.count) * 100;
  }

  /**
   * The figures now. `live`: the EA is reporting, so an empty window means a quiet market (0),
   * not a blind one. `open_positions`: the EA's own count, to know whether every position is tracked.
   */
  figures(now_ms: number, live: boolean, open_positions: number): TradeFigures {
    const quiet = live ? 0 : Number.NaN;
    const slip = this.slippage.stats(now_ms);
    const slipLong = this.slippageLong.stats(now_ms);
    const rej = this.rejects.stats(now_ms);
    const req = this.requotes.stats(now_ms);
    const orders = this.ordersMinute.count(now_ms);
    let withoutStop = 0;
    for (const stop of this.open.values()) if (!stop) withoutStop++;
    return {
      slippage_bps: slip.count > 0 ? slip.mean : quiet,
      p95_slippage_bps: slipLong.count > 0 ? slipLong.p95 : quiet,
      reject_rate_pct: this.rate(rej, quiet),
      requote_rate_pct: this.rate(req, quiet),
      exec_reject_rate_pct: this.rate(this.rejectsExec.stats(now_ms), quiet),
      orders_per_min: live ? orders : Number.NaN,
      consecutive_losses: live || this.sawClose ? this.losses : Number.NaN,
      positions_without_stop: live && Number.isFinite(open_positions) && open_positions === this.open.size ? withoutStop : Number.NaN,
      fills: slip.count,
      orders: rej.count,
    };
  }
}

function hasStop(sl: number | undefined): boolean {
  return sl !== undefined && sl !== null && sl > 0;
}
