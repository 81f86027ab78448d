// The pre-trade gate: every SIGNAL the mode lets through is checked here before it is handed to
// the EA. No I/O and no clock: the caller passes the time and what it knows of the market (the
// EA's last quote, the open lots from Guardian's ledger), so every edge is a unit test.
//
// Order of the checks (the first that fails names the reason):
//   CANCEL_LOOP_BLOCK    the symbol is blocked, or this MODIFY/CLOSE is one too many without a fill
//   DUPLICATE_ORDER_BLOCK  the same signal_id again, or the same symbol, side and lots in this bar
//   ORDER_SIZE_BLOCK     lots or notional of the order, or of the symbol's open lots plus the order
//   PRICE_COLLAR_BLOCK   a limit or stop price too far from the EA's last quote
//   RATE_THROTTLE_BLOCK  orders per minute (global, per symbol), modifies per minute
// MODE_BLOCK is the mode's (control plane, entryDecision): it is asked first, and one source of truth.
import type { SignalPayload } from '../../../src-shared/protocol';
import type { PretradeReason } from '../../../src-shared/contract';
import type { PretradeLimits } from './limits';

export type GateVerdict = { pass: true } | { pass: false; reason: Exclude<PretradeReason, 'MODE_BLOCK'>; detail: string };

export interface GateMarket {
  /** The EA's last quote of the symbol, if it sent one. */
  quote?: { bid: number; ask: number } | undefined;
  /** Lots open on the symbol in Guardian's ledger (both sides). */
  open_lots: number;
}

/** What the gate remembers. Small: every window is pruned as time moves on. */
export interface GateState {
  /** signal_id -> when it was seen. */
  seen: Map<string, number>;
  /** symbol|side|lots -> the bar it was last ordered in. */
  barOrders: Map<string, number>;
  orders: number[];
  ordersBySymbol: Map<string, number[]>;
  modifies: number[];
  /** Per symbol: MODIFY/CLOSE since the last fill, and until when the symbol is blocked. */
  loops: Map<string, { without_fill: number; blocked_until_ms: number | null }>;
}

export function initialGateState(): GateState {
  return { seen: new Map(), barOrders: new Map(), orders: [], ordersBySymbol: new Map(), modifies: [], loops: new Map() };
}

const MINUTE_MS = 60_000;
const ENTRY = new Set(['BUY', 'SELL']);

const isEntry = (s: SignalPayload) => ENTRY.has(s.action);
const isManage = (s: SignalPayload) => s.action === 'MODIFY' || s.action === 'CLOSE';
const orderKey = (s: SignalPayload) => `${s.symbol}|${s.action}|${s.lots ?? ''}`;
const fmt = (n: number) => String(Math.round(n * 1e6) / 1e6);

export function contractSize(l: PretradeLimits, symbol: string): number {
  return l.order_size.contract_size_by_symbol[symbol] ?? l.order_size.contract_size;
}

/**
 * An order's notional in the account currency (USD): a USD-based pair (USDJPY) is lots x contract
 * size; a USD-quoted one (EURUSD, XAUUSD) is that times the price. A cross (EURGBP) has no USD
 * rate here, so its notional is in its quote currency: an approximation the limits allow for.
 */
export function notional(l: PretradeLimits, symbol: string, lots: number, price: number): number {
  const units = lots * contractSize(l, symbol);
  return /^USD[A-Z]{3}$/i.test(symbol) ? units : units * price;
}

/** A limit or stop order (MT4's OP_BUYLIMIT, OP_SELLSTOP ... or plain LIMIT/STOP). */
export function isPendingOrder(s: SignalPayload): boolean {
  return typeof s.order_type === 'string' && /LIMIT|STOP/i.test(s.order_type);
}

function inWindow(times: readonly number[], now_ms: number): number {
  let n = 0;
  for (let i = times.length - 1; i >= 0 && times[i]! > now_ms - MINUTE_MS; i--) n++;
  return n;
}

/** Drops what no check can see any more. */
export function pruneGate(l: PretradeLimits, st: GateState, now_ms: number): void {
  const cut = now_ms - MINUTE_MS;
  const trim = (a: number[]) => {
    let i = 0;
    while (i < a.length && a[i]! <= cut) i++;
    if (i > 0) a.splice(0, i);
  };
  trim(st.orders);
  trim(st.modifies);
  for (const [k, a] of st.ordersBySymbol) {
    trim(a);
    if (a.length === 0) st.ordersBySymbol.delete(k);
  }
  const forget = now_ms - l.duplicates.signal_id_memory_s * 1000;
  for (const [id, t] of st.seen) {
    if (t > forget) break; // insertion order is time order
    st.seen.delete(id);
  }
  const bar = barOf(l, now_ms);
  for (const [k, b] of st.barOrders) if (b < bar) st.barOrders.delete(k);
  for (const [k, v] of st.loops) if (v.without_fill === 0 && (v.blocked_until_ms === null || v.blocked_until_ms <= now_ms)) st.loops.delete(k);
}

export function barOf(l: PretradeLimits, now_ms: number): number {
  return Math.floor(now_ms / (l.bar_s * 1000));
}

/**
 * The gate's verdict on one signal. A passing signal is recorded (its id, bar, rate and loop
 * counts); a blocked one is not, except that the one MODIFY/CLOSE too many starts the symbol's block.
 * The state is updated in place and is the only thing touched.
 */
export function checkSignal(l: PretradeLimits, st: GateState, s: SignalPayload, market: GateMarket, now_ms: number): GateVerdict {
  pruneGate(l, st, now_ms);
  const verdict = evaluate(l, st, s, market, now_ms);
  if (verdict.pass) record(l, st, s, now_ms);
  return verdict;
}

function evaluate(l: PretradeLimits, st: GateState, s: SignalPayload, market: GateMarket, now_ms: number): GateVerdict {
  // CANCEL_LOOP_BLOCK
  const loop = st.loops.get(s.symbol);
  if (loop?.blocked_until_ms != null && now_ms < loop.blocked_until_ms) {
    return { pass: false, reason: 'CANCEL_LOOP_BLOCK', detail: `${s.symbol} is blocked until ${new Date(loop.blocked_until_ms).toISOString()}: too many MODIFY/CLOSE without a fill` };
  }
  if (isManage(s) && (loop?.without_fill ?? 0) + 1 > l.cancel_loop.max_without_fill) {
    const until = now_ms + l.cancel_loop.block_bars * l.bar_s * 1000;
    st.loops.set(s.symbol, { without_fill: 0, blocked_until_ms: until });
    return {
      pass: false, reason: 'CANCEL_LOOP_BLOCK',
      detail: `${l.cancel_loop.max_without_fill + 1} MODIFY/CLOSE on ${s.symbol} without a fill > ${l.cancel_loop.max_without_fill}: ${s.symbol} blocked for ${l.cancel_loop.block_bars} bars (${l.cancel_loop.block_bars * l.bar_s} s)`,
    };
  }

  // DUPLICATE_ORDER_BLOCK
  const seenAt = st.seen.get(s.signal_id);
  if (seenAt !== undefined) {
    return { pass: false, reason: 'DUPLICATE_ORDER_BLOCK', detail: `signal_id ${s.signal_id} was already handled ${Math.round((now_ms - seenAt) / 1000)} s ago` };
  }
  if (isEntry(s) && st.barOrders.get(orderKey(s)) === barOf(l, now_ms)) {
    return { pass: false, reason: 'DUPLICATE_ORDER_BLOCK', detail: `${s.action} ${s.lots ?? '?'} ${s.symbol} was already ordered in this ${l.bar_s} s bar` };
  }

  if (isEntry(s)) {
    const v = entryAgainstMarket(l, s, market);
    if (!v.pass) return v;
  }

  // RATE_THROTTLE_BLOCK
  const r = l.rate;
  if (s.action === 'MODIFY') {
    const n = inWindow(st.modifies, now_ms);
    if (n + 1 > r.modifies_per_min) return { pass: false, reason: 'RATE_THROTTLE_BLOCK', detail: `${n} modifies in the last minute: modifies_per_min is ${r.modifies_per_min}` };
  } else {
    const n = inWindow(st.orders, now_ms);
    if (n + 1 > r.orders_per_min) return { pass: false, reason: 'RATE_THROTTLE_BLOCK', detail: `${n} orders in the last minute: orders_per_min is ${r.orders_per_min}` };
    const m = inWindow(st.ordersBySymbol.get(s.symbol) ?? [], now_ms);
    if (m + 1 > r.orders_per_min_per_symbol) {
      return { pass: false, reason: 'RATE_THROTTLE_BLOCK', detail: `${m} orders on ${s.symbol} in the last minute: orders_per_min_per_symbol is ${r.orders_per_min_per_symbol}` };
    }
  }
  return { pass: true };
}

/**
 * The checks of an entry against the market and the account as they are now: its size with the
 * lots open on the symbol, and a pending order's price against the EA's quote. Stateless: they may
 * be asked again of an entry the gate admitted earlier, when it leaves after a wait.
 */
function entryAgainstMarket(l: PretradeLimits, s: SignalPayload, market: GateMarket): GateVerdict {
  // ORDER_SIZE_BLOCK
  const lots = s.lots ?? 0;
  const o = l.order_size;
  if (lots > o.max_lots_per_order) {
    return { pass: false, reason: 'ORDER_SIZE_BLOCK', detail: `${fmt(lots)} lots > max_lots_per_order ${fmt(o.max_lots_per_order)}` };
  }
  if (market.open_lots + lots > o.max_lots_per_symbol) {
    return { pass: false, reason: 'ORDER_SIZE_BLOCK', detail: `${s.symbol}: ${fmt(market.open_lots)} lots open + ${fmt(lots)} > max_lots_per_symbol ${fmt(o.max_lots_per_symbol)}` };
  }
  const price = s.price ?? (market.quote ? (market.quote.bid + market.quote.ask) / 2 : undefined);
  if (price !== undefined) {
    const order = notional(l, s.symbol, lots, price);
    if (order > o.max_notional_per_order) {
      return { pass: false, reason: 'ORDER_SIZE_BLOCK', detail: `notional ${fmt(order)} > max_notional_per_order ${fmt(o.max_notional_per_order)}` };
    }
    const total = notional(l, s.symbol, market.open_lots + lots, price);
    if (total > o.max_notional_per_symbol) {
      return { pass: false, reason: 'ORDER_SIZE_BLOCK', detail: `${s.symbol}: notional with open lots ${fmt(total)} > max_notional_per_symbol ${fmt(o.max_notional_per_symbol)}` };
    }
  }

  // PRICE_COLLAR_BLOCK
  if (isPendingOrder(s) && s.price !== undefined) {
    const q = market.quote;
    if (!q) {
      if (l.price_collar.require_quote) return { pass: false, reason: 'PRICE_COLLAR_BLOCK', detail: `no quote from the EA for ${s.symbol} to check a ${s.order_type} price against` };
    } else {
      const ref = s.action === 'BUY' ? q.ask : q.bid;
      const distance_pct = (Math.abs(s.price - ref) / ref) * 100;
      if (distance_pct > l.price_collar.max_distance_pct + 1e-9) { // the edge itself passes, float noise aside
        return {
          pass: false, reason: 'PRICE_COLLAR_BLOCK',
          detail: `${s.order_type} price ${s.price} is ${fmt(distance_pct)}% from the EA's ${s.action === 'BUY' ? 'ask' : 'bid'} ${ref} > max_distance_pct ${l.price_collar.max_distance_pct}`,
        };
      }
    }
  }
  return { pass: true };
}

/**
 * An entry the gate admitted on arrival, about to leave after a wait (held for want of an EA): the
 * market checks again (the price may have moved away, positions opened meanwhile), not the
 * duplicate, rate and loop rules, which it passed once and would now count twice. Nothing recorded.
 */
export function recheckAdmitted(l: PretradeLimits, s: SignalPayload, market: GateMarket): GateVerdict {
  return isEntry(s) ? entryAgainstMarket(l, s, market) : { pass: true };
}

function record(l: PretradeLimits, st: GateState, s: SignalPayload, now_ms: number): void {
  st.seen.delete(s.signal_id);
  st.seen.set(s.signal_id, now_ms);
  if (s.action === 'MODIFY') st.modifies.push(now_ms);
  else {
    st.orders.push(now_ms);
    const a = st.ordersBySymbol.get(s.symbol) ?? [];
    a.push(now_ms);
    st.ordersBySymbol.set(s.symbol, a);
  }
  if (isEntry(s)) st.barOrders.set(orderKey(s), barOf(l, now_ms));
  if (isManage(s)) {
    const loop = st.loops.get(s.symbol) ?? { without_fill: 0, blocked_until_ms: null };
    st.loops.set(s.symbol, { ...loop, without_fill: loop.without_fill + 1 });
  }
}

/** A fill on the symbol (TRADE OPENED or CLOSED): its MODIFY/CLOSE count starts again. */
export function recordFill(st: GateState, symbol: string): void {
  const loop = st.loops.get(symbol);
  if (loop) st.loops.set(symbol, { ...loop, without_fill: 0 });
}
