// The simulated Expert Advisor: what Guardian sees of an MT4 terminal. It reports STATUS every
// second, trades on SIGNALs (with slippage, rejections and a broker that can turn slow), obeys
// COMMANDs, answers STATUS_REQUEST, and keeps a ledger of every signal it was handed.
import { join } from 'node:path';
import type {
  CommandPayload, EaState, Envelope, ParamPayload, SignalPayload, StatusPayload, StatusResponsePayload, TradePayload,
} from '../../src-shared/protocol';
import { EaStore, type LedgerRow, type Position } from './ea-store';
import { DEFAULT_SYMBOLS, Market, PIP_VALUE_USD, pipSize, roundPrice, seededRandom } from './market';
import { PeerClient, type PeerOptions } from './peer';
import { WireFaults } from './wire-faults';

export interface SimulatedEaOptions extends Omit<PeerOptions, 'role' | 'tier' | 'onMessage'> {
  /** STATUS interval; 0 turns the periodic STATUS off. Default 1000. */
  status_ms?: number;
  /** Share of entries the broker rejects (requote). Default 0.02. */
  reject_rate?: number;
  /** Worst adverse slippage on a fill. Default 0.5 pips. */
  max_slippage_pips?: number;
  /** The broker's usual time to fill. Default 20 ms. */
  fill_ms?: number;
  balance?: number;
  seed?: number;
}

/** STATUS_RESPONSE carries the open positions on top of the STATUS fields. */
export type StatusResponse = StatusPayload & { positions: Position[] };

export class EaFaults extends WireFaults {
  constructor(peer: PeerClient['faults'], private readonly ea: SimulatedEa) {
    super(peer);
  }
  /** Fills take this much longer (0 = normal broker). */
  slowBroker(ms: number): void {
    this.ea.brokerDelay_ms = Math.max(0, ms);
  }
  /** STATUS reports this portfolio correlation (null = the usual low value). */
  spikeCorrelation(value: number | null): void {
    this.ea.correlationSpike = value;
  }
  /**
   * A hung EA: COMMANDs are stored and acknowledged (the peer's transport does that) but never
   * acted on, and its trading thread reports nothing more (no STATUS, no STATUS_RESPONSE).
   */
  ignoreCommands(on: boolean): void {
    this.ea.ignoringCommands = on;
  }
  override clear(): void {
    super.clear();
    this.slowBroker(0);
    this.spikeCorrelation(null);
    this.ignoreCommands(false);
  }
}

interface PendingOrder {
  timer: NodeJS.Timeout;
  signal: SignalPayload;
}

export class SimulatedEa {
  readonly client: PeerClient;
  readonly faults: EaFaults;
  brokerDelay_ms = 0;
  correlationSpike: number | null = null;
  ignoringCommands = false;
  holdingNewEntries = false;
  private readonly store: EaStore;
  private readonly random: () => number;
  private readonly market: Market;
  private readonly pending = new Set<PendingOrder>();
  private readonly params = new Map<string, unknown>();
  private statusTimer: NodeJS.Timeout | undefined;
  private rejectRate: number;
  private maxSlippage: number;
  private readonly log: (line: string) => void;
  tradesSent = 0;

  constructor(private readonly opts: SimulatedEaOptions) {
    this.random = seededRandom(opts.seed ?? hash(opts.node_id));
    this.market = new Market(this.random);
    this.rejectRate = opts.reject_rate ?? 0.02;
    this.maxSlippage = opts.max_slippage_pips ?? 0.5;
    this.log = opts.log ?? (() => {});
    this.store = new EaStore(join(opts.dataDir, 'ea.db'), opts.balance ?? 10_000);
    this.client = new PeerClient({ ...opts, role: 'EA', onMessage: (env) => this.onMessage(env) });
    this.faults = new EaFaults(this.client.faults, this);
  }

  get node_id(): string {
    return this.opts.node_id;
  }

  start(): void {
    this.client.start();
    const every = this.opts.status_ms ?? 1000;
    if (every > 0) this.statusTimer = setInterval(() => this.sendStatus(), every);
  }

  async stop(): Promise<void> {
    if (this.statusTimer) clearInterval(this.statusTimer);
    for (const o of this.pending) clearTimeout(o.timer);
    this.pending.clear();
    await this.client.stop();
    this.store.dispose();
  }

  /** Every signal handed to this EA, once each: (stream, seq) is the key. */
  receivedSignals(): LedgerRow[] {
    return this.store.ledger();
  }

  positions(): Position[] {
    return this.store.positions();
  }

  /**
   * Tests of reconciliation: the account changes behind Guardian's back (a trade by hand on the
   * terminal, a broker's stop-out, a partial close), with no TRADE event sent.
   */
  readonly behindGuardian = {
    remove: (ticket: number): void => this.store.close(ticket, 0),
    add: (p: Omit<Position, 'ticket' | 'opened_ms'>): number => {
      const ticket = this.store.takeTicket();
      this.store.open({ ...p, ticket, opened_ms: Date.now() });
      return ticket;
    },
    setLots: (ticket: number, lots: number): void => this.store.setLots(ticket, lots),
  };

  status(): StatusPayload & { portfolio_correlation: number; tick_age_s: number; broker_rtt_ms: number; broker_connected: number } {
    const positions = this.store.positions();
    const balance = this.store.balance();
    let floating = 0;
    let margin = 0;
    for (const p of positions) {
      floating += this.pnl(p, this.market.price(p.symbol));
      margin += p.lots * 1000; // 100k a lot at 1:100
    }
    const equity = Math.round((balance + floating) * 100) / 100;
    return {
      ea_state: this.eaState(positions.length),
      balance,
      equity,
      margin_level: margin > 0 ? Math.round((equity / margin) * 10_000) / 100 : 0,
      spread_pips: Math.round((0.8 + this.random() * 0.6) * 10) / 10,
      open_positions: positions.length,
      server_time: mt4Time(new Date()),
      portfolio_correlation: this.correlationSpike ?? Math.round((0.2 + this.random() * 0.2) * 100) / 100,
      // What a real EA reads from the terminal: the last tick's age, the trade server's ping, the connection.
      tick_age_s: Math.round(this.random() * 1.5 * 10) / 10,
      broker_rtt_ms: Math.round(25 + this.random() * 15 + this.brokerDelay_ms),
      broker_connected: 1,
      quotes: this.quotes(),
    };
  }

  /** The last quote of every symbol the EA trades or watches: mid price +- half the spread. */
  private quotes(): Record<string, { bid: number; ask: number }> {
    const out: Record<string, { bid: number; ask: number }> = {};
    const symbols = new Set([...DEFAULT_SYMBOLS, ...this.store.positions().map((p) => p.symbol)]);
    for (const symbol of symbols) {
      const mid = this.market.price(symbol);
      const half = 0.5 * pipSize(symbol);
      out[symbol] = { bid: roundPrice(symbol, mid - half), ask: roundPrice(symbol, mid + half) };
    }
    return out;
  }

  private eaState(open: number): EaState {
    if (this.holdingNewEntries) return 'PAUSED';
    if (this.pending.size > 0) return 'ORDERS_PLACED';
    return open > 0 ? 'MANAGING' : 'IDLE';
  }

  private sendStatus(): void {
    if (this.ignoringCommands) return; // hung: nothing is reported
    this.market.step();
    this.send('STATUS', this.status());
  }

  // ---- Guardian's messages -------------------------------------------------------------------

  private onMessage(env: Envelope): void {
    switch (env.header.message_type) {
      case 'SIGNAL':
        return this.onSignal(env as Envelope<'SIGNAL'>);
      case 'COMMAND':
        return this.onCommand((env as Envelope<'COMMAND'>).payload);
      case 'STATUS_REQUEST': {
        if (this.ignoringCommands) return;
        const answer: StatusResponse = { ...this.status(), positions: this.store.positions() };
        return this.send('STATUS_RESPONSE', answer as StatusResponsePayload);
      }
      case 'PARAM':
        return this.onParam((env as Envelope<'PARAM'>).payload);
      default:
        this.log(`${this.node_id}: ignoring ${env.header.message_type} from Guardian`);
    }
  }

  private onSignal(env: Envelope<'SIGNAL'>): void {
    const s = env.payload;
    const fresh = this.store.recordSignal({
      signal_id: s.signal_id, seq: env.header.seq, stream: env.header.stream, action: s.action, symbol: s.symbol, received_ms: Date.now(),
    });
    if (!fresh) return; // handed over again after a crash: acted on already
    if ((s.action === 'BUY' || s.action === 'SELL') && this.holdingNewEntries) {
      this.trade({ event: 'REJECTED', ticket: 0, symbol: s.symbol, side: s.action, lots: s.lots ?? 0, reject_code: 'HOLD_NEW_ENTRIES' });
      return;
    }
    // The broker takes its time; a slow broker takes longer.
    const delay = (this.opts.fill_ms ?? 20) + this.brokerDelay_ms;
    const order: PendingOrder = { signal: s, timer: setTimeout(() => this.execute(order), delay) };
    this.pending.add(order);
  }

  private execute(order: PendingOrder): void {
    this.pending.delete(order);
    const s = order.signal;
    const price = this.market.price(s.symbol);
    if (s.action === 'BUY' || s.action === 'SELL') {
      const lots = s.lots ?? 0.1;
      if (this.random() < this.rejectRate) {
        this.trade({ event: 'REJECTED', ticket: 0, symbol: s.symbol, side: s.action, lots, requested_price: s.price ?? price, reject_code: 138 });
        return;
      }
      // Slippage is adverse: a buy fills higher, a sell lower.
      const slip = Math.round(this.random() * this.maxSlippage * 10) / 10;
      const requested = s.price ?? price;
      const fill = roundPrice(s.symbol, requested + (s.action === 'BUY' ? 1 : -1) * slip * pipSize(s.symbol));
      const p: Position = {
        ticket: this.store.takeTicket(), symbol: s.symbol, side: s.action, lots, open_price: fill,
        sl: s.sl ?? null, tp: s.tp ?? null, opened_ms: Date.now(),
      };
      this.store.open(p);
      this.trade({ event: 'OPENED', ticket: p.ticket, symbol: p.symbol, side: p.side, lots, requested_price: requested, price: fill, slippage_pips: slip, ...slTp(p) });
      return;
    }
    const mine = this.store.positions().filter((p) => p.symbol === s.symbol);
    if (mine.length === 0) {
      this.trade({ event: 'REJECTED', ticket: 0, symbol: s.symbol, side: 'BUY', lots: s.lots ?? 0, reject_code: 'NO_POSITION' });
      return;
    }
    for (const p of mine) {
      if (s.action === 'CLOSE') this.closePosition(p);
      else {
        const sl = s.sl ?? p.sl;
        const tp = s.tp ?? p.tp;
        this.store.modify(p.ticket, sl, tp);
        this.trade({ event: 'MODIFIED', ticket: p.ticket, symbol: p.symbol, side: p.side, lots: p.lots, ...slTp({ sl, tp }) });
      }
    }
  }

  private closePosition(p: Position): void {
    const price = this.market.price(p.symbol);
    const pnl = Math.round(this.pnl(p, price) * 100) / 100;
    // Fees as MT4 reports them (a cost is negative): $7 a lot round turn, and swap for each night held.
    const commission = -Math.round(p.lots * 700) / 100;
    const swap = -Math.round(p.lots * 50 * Math.floor((Date.now() - p.opened_ms) / 86_400_000)) / 100;
    this.store.close(p.ticket, Math.round((pnl + commission + swap) * 100) / 100);
    this.trade({ event: 'CLOSED', ticket: p.ticket, symbol: p.symbol, side: p.side, lots: p.lots, price, pnl, commission, swap, ...slTp(p) });
  }

  private pnl(p: Position, price: number): number {
    const pips = (price - p.open_price) / pipSize(p.symbol);
    return (p.side === 'BUY' ? 1 : -1) * pips * PIP_VALUE_USD * p.lots;
  }

  private onCommand(c: CommandPayload): void {
    if (this.ignoringCommands) {
      this.log(`${this.node_id}: COMMAND ${c.command} ignored (fault ignore_commands)`);
      return;
    }
    this.log(`${this.node_id}: COMMAND ${c.command}${c.reason ? ` (${c.reason})` : ''}`);
    switch (c.command) {
      case 'HOLD_NEW_ENTRIES':
        this.holdingNewEntries = true;
        break;
      case 'RESUME':
        this.holdingNewEntries = false;
        break;
      case 'CANCEL_ALL':
        this.cancelPending();
        break;
      case 'FLATTEN':
        this.cancelPending();
        for (const p of this.store.positions()) this.closePosition(p);
        break;
      case 'PING':
        break;
    }
    this.sendStatus(); // Guardian sees the effect at once, not a second later
  }

  private cancelPending(): void {
    for (const o of this.pending) {
      clearTimeout(o.timer);
      const s = o.signal;
      const side = s.action === 'SELL' ? 'SELL' : 'BUY';
      this.trade({ event: 'REJECTED', ticket: 0, symbol: s.symbol, side, lots: s.lots ?? 0, reject_code: 'CANCELLED' });
    }
    this.pending.clear();
  }

  private onParam(p: ParamPayload): void {
    this.params.set(p.name, p.value);
    if (p.name === 'reject_rate' && typeof p.value === 'number') this.rejectRate = p.value;
    if (p.name === 'max_slippage_pips' && typeof p.value === 'number') this.maxSlippage = p.value;
  }

  // ---- sending -------------------------------------------------------------------------------

  private trade(t: TradePayload): void {
    this.tradesSent++;
    this.send('TRADE', t);
  }

  private send<T extends 'STATUS' | 'STATUS_RESPONSE' | 'TRADE'>(type: T, payload: T extends 'TRADE' ? TradePayload : StatusPayload): void {
    if (!this.client.running) return;
    this.client.send(type, payload as never).catch((err: Error) => this.log(`${this.node_id}: ${type} not stored: ${err.message}`));
  }
}

function slTp(p: { sl: number | null; tp: number | null }): { sl?: number; tp?: number } {
  return { ...(p.sl !== null ? { sl: p.sl } : {}), ...(p.tp !== null ? { tp: p.tp } : {}) };
}

/** MT4's TimeCurrent() format. */
export function mt4Time(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}.${p(d.getUTCMonth() + 1)}.${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
