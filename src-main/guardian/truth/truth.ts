// The trading truth of a running Guardian: it journals every TRADE event and the EAs' equity,
// keeps the figures' inputs in memory (loaded from the journal at start, appended as events
// arrive) and computes the metrics on demand, at most once per `min_compute_ms` while nothing
// changed. The pulse reads its figures as risk-gate variables (readings()) and the EA's
// persisted equity peak (peakEquity()).
import type { Envelope, StatusPayload, TradePayload } from '../../../src-shared/protocol';
import { toWireNumber, type TruthMetricsWire, type TruthReport } from '../../../src-shared/contract';
import type { Clock } from '../clock';
import type { Disposable } from '../lifecycle';
import { rejectKind, slippageBps } from '../pulse';
import type { Router, RouterEvent } from '../router';
import type { Db } from '../store';
import { TradeJournal, type JournalTrade, type JournalWriter } from './journal';
import { computeTruth, type ClosedTrade, type EquityPoint, type OrderOutcome, type TruthMetrics } from './metrics';

export interface TruthOptions {
  /** Days of daily P&L per symbol the correlation between held symbols reads. */
  correlation_days: number;
  /** Metrics are recomputed at most this often (they are cached in between). */
  min_compute_ms: number;
  /** A new equity peak this far (percent) above the stored one is written at once, not at the minute. */
  peak_write_pct: number;
}

export const DEFAULT_TRUTH_OPTIONS: TruthOptions = { correlation_days: 20, min_compute_ms: 1000, peak_write_pct: 0.05 };

/** Profit factor with no losing trade is +Infinity; the condition language reads Infinity as missing, so the gate sees this. */
export const UNBOUNDED_AS = 1e6;

const MINUTE_MS = 60_000;
/** A full computation waits at least this many times its own last cost (a stream of fills on a long journal stays cheap). */
const COMPUTE_SHARE_INVERSE = 20;
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export class TradingTruth implements Disposable {
  readonly journal: TradeJournal;
  private readonly o: TruthOptions;
  private readonly trades: ClosedTrade[] = [];
  private readonly orders: OrderOutcome[] = [];
  /** Open tickets (OPENED, not yet CLOSED) and their symbol. */
  private readonly open = new Map<string, string>();
  /** Per EA: minute samples (persisted) and the latest reading (written when its minute ends). */
  private readonly equity = new Map<string, EquityPoint[]>();
  private readonly pendingEquity = new Map<string, { ts_ms: number; equity: number; balance: number | null }>();
  private readonly peaks = new Map<string, { value: number; stored: number }>();
  private cached: { at_ms: number; metrics: TruthMetrics } | null = null;
  /** The last full computation's cost: the next waits 20x as long, so it never takes over 5% of the loop. */
  private lastCompute_ms = 0;
  /** A trade or a new equity minute: the whole computation is due. A STATUS alone moves only the drawdown now. */
  private dirty = true;
  private readonly sub: Disposable | null;
  private disposed = false;

  constructor(
    private readonly deps: { db: Db; clock: Clock; router?: Router; writer?: JournalWriter },
    options: Partial<TruthOptions> = {},
  ) {
    this.o = { ...DEFAULT_TRUTH_OPTIONS, ...options };
    this.journal = new TradeJournal(deps.db, deps.writer);
    this.journal.backfillFromInbox(deps.clock.wall_ms());
    for (const t of this.journal.trades()) this.apply(t);
    for (const e of this.journal.equity()) this.curveOf(e.peer).push({ ts_ms: e.ts_ms, equity: e.equity });
    for (const [key, value] of this.journal.state()) {
      if (key.startsWith('peak:') && typeof value === 'number') this.peaks.set(key.slice(5), { value, stored: value });
    }
    this.sub = deps.router ? deps.router.events.on((e) => this.onRouterEvent(e)) : null;
  }

  private onRouterEvent(e: RouterEvent): void {
    if (e.type !== 'message' || e.role !== 'EA') return;
    const type = e.envelope.header.message_type;
    if (type === 'TRADE') {
      this.recordTrade(e.peer, e.envelope.header.message_id, (e.envelope as Envelope<'TRADE'>).payload);
    } else if (type === 'STATUS' || type === 'STATUS_RESPONSE') {
      const s = (e.envelope as Envelope<'STATUS'>).payload as Partial<StatusPayload>;
      this.recordEquity(e.peer, num(s.equity), typeof s.balance === 'number' ? s.balance : null);
    }
  }

  /** One raw TRADE event (journalled, then counted). */
  recordTrade(peer: string, message_id: string, trade: TradePayload): void {
    if (this.disposed) return;
    const t: JournalTrade = { message_id, peer, ts_ms: this.deps.clock.wall_ms(), trade: trade as JournalTrade['trade'] };
    this.journal.addTrade(t);
    this.apply(t);
  }

  /** One STATUS equity reading of an EA. */
  recordEquity(peer: string, equity: number, balance: number | null): void {
    if (this.disposed || !(equity > 0)) return;
    const wall = this.deps.clock.wall_ms();
    const minute = Math.floor(wall / MINUTE_MS) * MINUTE_MS;
    const pending = this.pendingEquity.get(peer);
    if (pending && pending.ts_ms !== minute) this.flushEquity(peer);
    if (!pending) this.dirty = true; // a new EA, or a new minute: the curve has a new point
    this.pendingEquity.set(peer, { ts_ms: minute, equity, balance });
    const peak = this.peaks.get(peer);
    if (!peak || equity > peak.value) {
      const next = { value: equity, stored: peak?.stored ?? Number.NaN };
      this.peaks.set(peer, next);
      // A rise worth noting is written now; small creeping highs go with the minute's sample.
      if (!(next.stored > 0) || (equity / next.stored - 1) * 100 >= this.o.peak_write_pct) this.storePeak(peer);
    }
  }

  private storePeak(peer: string): void {
    const peak = this.peaks.get(peer);
    if (!peak || peak.stored === peak.value) return;
    this.journal.setState(`peak:${peer}`, peak.value);
    peak.stored = peak.value;
  }

  private flushEquity(peer: string): void {
    const p = this.pendingEquity.get(peer);
    if (!p) return;
    this.pendingEquity.delete(peer);
    this.journal.addEquity({ peer, ...p });
    const curve = this.curveOf(peer);
    const last = curve[curve.length - 1];
    if (last && last.ts_ms === p.ts_ms) last.equity = p.equity;
    else curve.push({ ts_ms: p.ts_ms, equity: p.equity });
    this.storePeak(peer);
    this.dirty = true;
  }

  private curveOf(peer: string): EquityPoint[] {
    let c = this.equity.get(peer);
    if (!c) {
      c = [];
      this.equity.set(peer, c);
    }
    return c;
  }

  private apply(t: JournalTrade): void {
    const p = t.trade;
    const key = `${t.peer}\u0000${p.ticket}`;
    switch (p.event) {
      case 'OPENED':
        this.orders.push({ kind: 'fill', slippage_bps: slippageBps(p) });
        this.open.set(key, String(p.symbol));
        break;
      case 'REJECTED':
        // Guardian's and the EA's own refusals (MODE_BLOCK, HOLD_NEW_ENTRIES...) never reached the broker.
        if (rejectKind(p.reject_code) !== 'own') this.orders.push({ kind: 'broker_reject', slippage_bps: Number.NaN });
        break;
      case 'CLOSED':
        this.open.delete(key);
        this.trades.push({ ticket: p.ticket, symbol: String(p.symbol), pnl: num(p.pnl), commission: num(p.commission), swap: num(p.swap), closed_ms: t.ts_ms });
        break;
      default:
        break;
    }
    this.dirty = true;
  }

  /** The highest equity seen for an EA (persisted across restarts), or NaN. */
  peakEquity(peer: string): number {
    return this.peaks.get(peer)?.value ?? Number.NaN;
  }

  /** The account's equity curve: every EA's latest equity carried forward and summed, per minute. */
  private curve(): EquityPoint[] {
    const peers = [...new Set([...this.equity.keys(), ...this.pendingEquity.keys()])];
    const series = peers.map((peer) => {
      const c = [...(this.equity.get(peer) ?? [])];
      const p = this.pendingEquity.get(peer);
      if (p) {
        const last = c[c.length - 1];
        if (last && last.ts_ms === p.ts_ms) c[c.length - 1] = { ts_ms: p.ts_ms, equity: p.equity };
        else c.push({ ts_ms: p.ts_ms, equity: p.equity });
      }
      return c;
    });
    if (series.length === 1) return series[0]!;
    const times = [...new Set(series.flatMap((s) => s.map((p) => p.ts_ms)))].sort((a, b) => a - b);
    const at = series.map(() => 0);
    const latest = series.map(() => Number.NaN);
    return times.map((ts_ms) => {
      series.forEach((s, i) => {
        while (at[i]! < s.length && s[at[i]!]!.ts_ms <= ts_ms) latest[i] = s[at[i]!++]!.equity;
      });
      return { ts_ms, equity: latest.reduce((a, v) => a + (Number.isFinite(v) ? v : 0), 0) };
    });
  }

  /**
   * The metrics now. The whole computation runs when a trade or a new equity minute arrived (at most
   * once per min_compute_ms); between, a STATUS moves only the drawdown now, computed on its own.
   */
  metrics(): TruthMetrics {
    const now = this.deps.clock.now_ms();
    const wait_ms = Math.max(this.o.min_compute_ms, COMPUTE_SHARE_INVERSE * this.lastCompute_ms);
    if (this.cached && (!this.dirty || now - this.cached.at_ms < wait_ms)) {
      const drawdown_pct = this.drawdownNow();
      if (!Number.isNaN(drawdown_pct)) this.cached.metrics.drawdown_pct = drawdown_pct;
      return this.cached.metrics;
    }
    const peaks = [...this.peaks.values()].map((p) => p.value);
    const t0 = performance.now();
    const metrics = computeTruth({
      trades: this.trades,
      orders: this.orders,
      equity: this.curve(),
      ...(peaks.length === 1 ? { peak_equity: peaks[0]! } : {}),
      symbols_held: [...this.open.values()],
      correlation_days: this.o.correlation_days,
    });
    this.lastCompute_ms = performance.now() - t0;
    this.cached = { at_ms: now, metrics };
    this.dirty = false;
    return metrics;
  }

  /** The latest equity (summed over the EAs) below the peak, percent; NaN without both. */
  private drawdownNow(): number {
    const peaks = [...this.peaks.values()].map((p) => p.value);
    let equity = 0;
    let seen = 0;
    for (const peer of new Set([...this.equity.keys(), ...this.pendingEquity.keys()])) {
      const latest = this.pendingEquity.get(peer)?.equity ?? this.equity.get(peer)?.at(-1)?.equity;
      if (latest !== undefined) {
        equity += latest;
        seen++;
      }
    }
    const peak = peaks.length === 1 ? peaks[0]! : Number.NaN;
    if (seen !== 1 || !(peak > 0)) return Number.NaN; // several accounts: the full computation's figure stands
    return Number(Math.max(0, ((peak - equity) / peak) * 100).toFixed(6));
  }

  /** The risk gate's variables (catalogue names), NaN when unknown. */
  readings(): Record<string, number> {
    const m = this.metrics();
    const bounded = (v: number) => (v === Infinity ? UNBOUNDED_AS : v);
    return {
      consecutive_losses: m.consecutive_losses,
      max_drawdown_pct: m.max_drawdown_pct,
      var95_pct: m.var95_pct,
      es95_pct: m.es95_pct,
      profit_factor: bounded(m.profit_factor),
      win_rate_pct: m.win_rate_pct,
      closed_trades: m.trades,
      return_days: m.return_days,
    };
  }

  report(): TruthReport {
    const m = this.metrics();
    const j = this.journal.summary();
    const first = j.first_ts_ms === null ? null : new Date(j.first_ts_ms).toISOString();
    return {
      ts: new Date(this.deps.clock.wall_ms()).toISOString(),
      source: j.events ? `trade journal: ${j.events} TRADE event(s) since ${first}` : 'trade journal: no TRADE event yet',
      journal_events: j.events,
      first_event_ts: first,
      correlation_days: this.o.correlation_days,
      metrics: toWire(m),
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.sub?.dispose();
    for (const peer of [...this.pendingEquity.keys()]) this.flushEquity(peer);
    for (const peer of this.peaks.keys()) this.storePeak(peer);
    this.disposed = true;
  }
}

const orNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

export function toWire(m: TruthMetrics): TruthMetricsWire {
  return {
    trades: m.trades, wins: m.wins, losses: m.losses, win_rate_pct: orNull(m.win_rate_pct), net_pnl: m.net_pnl, fees: m.fees,
    expectancy: orNull(m.expectancy), profit_factor: toWireNumber(m.profit_factor), avg_win: orNull(m.avg_win), avg_loss: orNull(m.avg_loss),
    return_days: m.return_days, sharpe: toWireNumber(m.sharpe), sortino: toWireNumber(m.sortino),
    max_drawdown_pct: orNull(m.max_drawdown_pct), max_drawdown_duration_s: orNull(m.max_drawdown_duration_s),
    max_drawdown_recovered: m.max_drawdown_recovered, drawdown_pct: orNull(m.drawdown_pct),
    var95_pct: orNull(m.var95_pct), es95_pct: orNull(m.es95_pct),
    consecutive_losses: m.consecutive_losses, max_consecutive_losses: m.max_consecutive_losses,
    reject_rate_pct: orNull(m.reject_rate_pct), orders: m.orders, avg_slippage_bps: orNull(m.avg_slippage_bps),
    symbols_held: m.symbols_held,
    correlations: m.correlations.map((c) => ({ ...c, correlation: orNull(c.correlation) })),
    max_correlation: orNull(m.max_correlation),
  };
}
