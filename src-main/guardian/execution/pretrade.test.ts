// Every reason code of the pre-trade gate, triggered and not triggered at its edge.
import { describe, expect, it } from 'vitest';
import type { SignalPayload } from '../../../src-shared/protocol';
import { loadPretradeLimits, type PretradeLimits } from './limits';
import { checkSignal, initialGateState, recheckAdmitted, recordFill, type GateMarket, type GateState } from './pretrade';

const BASE = loadPretradeLimits(); // the shipped file: the schema's and the file's values
const limits = (patch: (l: PretradeLimits) => void = () => {}): PretradeLimits => {
  const l = structuredClone(BASE);
  l.enabled = true;
  patch(l);
  return l;
};
const T0 = 1_800_000_000_000; // on a bar boundary of 60 s
let n = 0;
const sig = (p: Partial<SignalPayload> = {}): SignalPayload => ({ signal_id: `s-${++n}`, symbol: 'EURUSD', action: 'BUY', lots: 0.1, ...p });
const market = (p: Partial<GateMarket> = {}): GateMarket => ({ open_lots: 0, ...p });
const reason = (v: ReturnType<typeof checkSignal>) => (v.pass ? 'PASS' : v.reason);

describe('ORDER_SIZE_BLOCK', () => {
  const l = limits((x) => {
    x.order_size.max_lots_per_order = 2;
    x.order_size.max_lots_per_symbol = 5;
    x.order_size.max_notional_per_order = 200_000;
    x.order_size.max_notional_per_symbol = 450_000;
  });
  it('lots per order: at the limit passes, above it is blocked', () => {
    expect(reason(checkSignal(l, initialGateState(), sig({ lots: 2, price: 1 }), market(), T0))).toBe('PASS');
    const v = checkSignal(l, initialGateState(), sig({ lots: 2.01, price: 1 }), market(), T0);
    expect(v).toEqual({ pass: false, reason: 'ORDER_SIZE_BLOCK', detail: '2.01 lots > max_lots_per_order 2' });
  });
  it('lots per symbol count the open lots of the ledger', () => {
    expect(reason(checkSignal(l, initialGateState(), sig({ lots: 1, price: 0.1 }), market({ open_lots: 4 }), T0))).toBe('PASS');
    expect(reason(checkSignal(l, initialGateState(), sig({ lots: 1.5, price: 0.1 }), market({ open_lots: 4 }), T0))).toBe('ORDER_SIZE_BLOCK');
  });
  it('notional per order = lots x contract size x price', () => {
    expect(reason(checkSignal(l, initialGateState(), sig({ lots: 2, price: 1 }), market(), T0))).toBe('PASS'); // 200,000
    const v = checkSignal(l, initialGateState(), sig({ lots: 2, price: 1.0001 }), market(), T0);
    expect(v.pass ? '' : v.detail).toMatch(/^notional 200020 > max_notional_per_order 200000$/);
  });
  it('notional per symbol, with the quote when the signal has no price', () => {
    const q = { bid: 1, ask: 1 };
    expect(reason(checkSignal(l, initialGateState(), sig({ lots: 0.5 }), market({ open_lots: 4, quote: q }), T0))).toBe('PASS'); // 450,000
    expect(reason(checkSignal(l, initialGateState(), sig({ lots: 0.51 }), market({ open_lots: 4, quote: q }), T0))).toBe('ORDER_SIZE_BLOCK');
  });
  it('a USD-based pair counts its units (USDJPY: 2 lots = 200,000 USD, whatever the yen price)', () => {
    expect(reason(checkSignal(l, initialGateState(), sig({ symbol: 'USDJPY', lots: 2, price: 150 }), market(), T0))).toBe('PASS');
  });
  it('a per-symbol contract size (gold: 100 oz a lot)', () => {
    expect(reason(checkSignal(l, initialGateState(), sig({ symbol: 'XAUUSD', lots: 1, price: 2000 }), market(), T0))).toBe('PASS'); // 200,000
  });
  it('closes and modifications are never size-checked', () => {
    expect(reason(checkSignal(l, initialGateState(), sig({ action: 'CLOSE', lots: 50 }), market(), T0))).toBe('PASS');
  });
});

describe('PRICE_COLLAR_BLOCK', () => {
  const l = limits((x) => {
    x.price_collar.max_distance_pct = 1;
  });
  const quote = { bid: 0.99, ask: 1 };
  it('a BUY limit is measured from the ask: 1% passes, more is blocked', () => {
    expect(reason(checkSignal(l, initialGateState(), sig({ order_type: 'BUY_LIMIT', price: 0.99 }), market({ quote }), T0))).toBe('PASS');
    const v = checkSignal(l, initialGateState(), sig({ order_type: 'BUY_LIMIT', price: 0.9899 }), market({ quote }), T0);
    expect(v.pass ? '' : `${v.reason}: ${v.detail}`).toMatch(/^PRICE_COLLAR_BLOCK: BUY_LIMIT price 0.9899 is 1.01% from the EA's ask 1 > max_distance_pct 1$/);
  });
  it('a SELL stop is measured from the bid', () => {
    expect(reason(checkSignal(l, initialGateState(), sig({ action: 'SELL', order_type: 'SELL_STOP', price: 0.9801 }), market({ quote }), T0))).toBe('PASS');
    expect(reason(checkSignal(l, initialGateState(), sig({ action: 'SELL', order_type: 'SELL_STOP', price: 0.98 }), market({ quote }), T0))).toBe('PRICE_COLLAR_BLOCK');
  });
  it('a market order is not collared; no quote passes unless require_quote', () => {
    expect(reason(checkSignal(l, initialGateState(), sig({ order_type: 'MARKET', price: 0.5 }), market({ quote }), T0))).toBe('PASS');
    expect(reason(checkSignal(l, initialGateState(), sig({ order_type: 'LIMIT', price: 0.5 }), market(), T0))).toBe('PASS');
    const strict = limits((x) => {
      x.price_collar.require_quote = true;
    });
    expect(reason(checkSignal(strict, initialGateState(), sig({ order_type: 'LIMIT', price: 0.5 }), market(), T0))).toBe('PRICE_COLLAR_BLOCK');
  });
});

describe('DUPLICATE_ORDER_BLOCK', () => {
  const l = limits((x) => {
    x.bar_s = 60;
  });
  it('the same signal_id again is blocked; a new id passes', () => {
    const st = initialGateState();
    expect(reason(checkSignal(l, st, sig({ signal_id: 'a', lots: 0.1 }), market(), T0))).toBe('PASS');
    expect(reason(checkSignal(l, st, sig({ signal_id: 'a', lots: 0.2 }), market(), T0 + 1000))).toBe('DUPLICATE_ORDER_BLOCK');
    expect(reason(checkSignal(l, st, sig({ signal_id: 'b', lots: 0.2 }), market(), T0 + 1000))).toBe('PASS');
  });
  it('a signal_id is forgotten after signal_id_memory_s', () => {
    const st = initialGateState();
    const short = limits((x) => {
      x.duplicates.signal_id_memory_s = 10;
    });
    checkSignal(short, st, sig({ signal_id: 'a' }), market(), T0);
    expect(reason(checkSignal(short, st, sig({ signal_id: 'a', lots: 0.3 }), market(), T0 + 9_999))).toBe('DUPLICATE_ORDER_BLOCK');
    expect(reason(checkSignal(short, st, sig({ signal_id: 'a', lots: 0.3 }), market(), T0 + 10_000))).toBe('PASS');
  });
  it('same symbol, side and lots in the same bar is blocked; in the next bar it passes', () => {
    const st = initialGateState();
    expect(reason(checkSignal(l, st, sig({ lots: 0.5 }), market(), T0))).toBe('PASS');
    expect(reason(checkSignal(l, st, sig({ lots: 0.5 }), market(), T0 + 59_999))).toBe('DUPLICATE_ORDER_BLOCK');
    expect(reason(checkSignal(l, st, sig({ lots: 0.5, action: 'SELL' }), market(), T0 + 59_999))).toBe('PASS');
    expect(reason(checkSignal(l, st, sig({ lots: 0.51 }), market(), T0 + 59_999))).toBe('PASS');
    expect(reason(checkSignal(l, st, sig({ lots: 0.5 }), market(), T0 + 60_000))).toBe('PASS');
  });
});

describe('RATE_THROTTLE_BLOCK', () => {
  const l = limits((x) => {
    x.rate.orders_per_min = 5;
    x.rate.orders_per_min_per_symbol = 3;
    x.rate.modifies_per_min = 2;
    x.cancel_loop.max_without_fill = 100;
  });
  const burst = (st: GateState, k: number, p: Partial<SignalPayload>, t = T0) => {
    for (let i = 0; i < k; i++) expect(reason(checkSignal(l, st, sig({ lots: 0.01 * (i + 1), ...p }), market(), t + i))).toBe('PASS');
  };
  it('per symbol: the limit passes, one more is blocked, another symbol passes', () => {
    const st = initialGateState();
    burst(st, 3, { symbol: 'EURUSD' });
    expect(reason(checkSignal(l, st, sig({ symbol: 'EURUSD', lots: 0.9 }), market(), T0 + 10))).toBe('RATE_THROTTLE_BLOCK');
    expect(reason(checkSignal(l, st, sig({ symbol: 'GBPUSD', lots: 0.9 }), market(), T0 + 10))).toBe('PASS');
  });
  it('global: the limit passes, one more is blocked, and a minute later it passes again', () => {
    const st = initialGateState();
    burst(st, 3, { symbol: 'EURUSD' });
    burst(st, 2, { symbol: 'GBPUSD' });
    const v = checkSignal(l, st, sig({ symbol: 'USDJPY' }), market(), T0 + 10);
    expect(v.pass ? '' : v.detail).toBe('5 orders in the last minute: orders_per_min is 5');
    expect(reason(checkSignal(l, st, sig({ symbol: 'USDJPY' }), market(), T0 + 60_000))).toBe('PASS');
  });
  it('modifies per minute are counted apart from orders', () => {
    const st = initialGateState();
    burst(st, 2, { action: 'MODIFY', sl: 1 });
    expect(reason(checkSignal(l, st, sig({ action: 'MODIFY', sl: 1 }), market(), T0 + 10))).toBe('RATE_THROTTLE_BLOCK');
    expect(reason(checkSignal(l, st, sig({ action: 'BUY' }), market(), T0 + 10))).toBe('PASS');
  });
});

describe('CANCEL_LOOP_BLOCK', () => {
  const l = limits((x) => {
    x.bar_s = 60;
    x.cancel_loop.max_without_fill = 3;
    x.cancel_loop.block_bars = 2;
  });
  it('max MODIFY/CLOSE without a fill pass; one more blocks the symbol for block_bars bars', () => {
    const st = initialGateState();
    for (let i = 0; i < 3; i++) expect(reason(checkSignal(l, st, sig({ action: i % 2 ? 'CLOSE' : 'MODIFY' }), market(), T0 + i))).toBe('PASS');
    const v = checkSignal(l, st, sig({ action: 'MODIFY' }), market(), T0 + 10);
    expect(v.pass ? '' : v.detail).toBe('4 MODIFY/CLOSE on EURUSD without a fill > 3: EURUSD blocked for 2 bars (120 s)');
    // The whole symbol, entries too, until the block ends; other symbols are untouched.
    expect(reason(checkSignal(l, st, sig({ action: 'BUY' }), market(), T0 + 119_999))).toBe('CANCEL_LOOP_BLOCK');
    expect(reason(checkSignal(l, st, sig({ symbol: 'GBPUSD', action: 'MODIFY' }), market(), T0 + 20))).toBe('PASS');
    expect(reason(checkSignal(l, st, sig({ action: 'BUY' }), market(), T0 + 10 + 120_000))).toBe('PASS');
  });
  it('a fill starts the count again', () => {
    const st = initialGateState();
    for (let i = 0; i < 3; i++) checkSignal(l, st, sig({ action: 'MODIFY' }), market(), T0 + i);
    recordFill(st, 'EURUSD');
    for (let i = 0; i < 3; i++) expect(reason(checkSignal(l, st, sig({ action: 'MODIFY' }), market(), T0 + 10 + i))).toBe('PASS');
  });
});

describe('config/pretrade.yaml', () => {
  it('ships valid, with every limit the gate reads', () => {
    expect(BASE).toMatchObject({ version: 1, bar_s: expect.any(Number), rate: { orders_per_min: expect.any(Number) }, command_timeout_s: expect.any(Number) });
  });
});

describe('recheckAdmitted: an entry admitted earlier, leaving after a wait', () => {
  const l = limits((x) => {
    x.order_size.max_lots_per_symbol = 1;
    x.price_collar.max_distance_pct = 1;
  });
  it('meets the market checks as they are now, not the duplicate or rate rules it passed once', () => {
    const st = initialGateState();
    const limit = sig({ lots: 0.5, order_type: 'BUY_LIMIT', price: 1.1 });
    expect(reason(checkSignal(l, st, limit, market({ quote: { bid: 1.1, ask: 1.1001 } }), T0))).toBe('PASS');
    // Asked again of the same signal: the whole gate calls it a duplicate; the recheck does not.
    expect(reason(checkSignal(l, st, limit, market({ quote: { bid: 1.1, ask: 1.1001 } }), T0 + 1))).toBe('DUPLICATE_ORDER_BLOCK');
    expect(recheckAdmitted(l, limit, market({ quote: { bid: 1.1, ask: 1.1001 } }))).toEqual({ pass: true });
    // The market moved away from its price; positions opened meanwhile.
    expect(reason(recheckAdmitted(l, limit, market({ quote: { bid: 1.2, ask: 1.2002 } })))).toBe('PRICE_COLLAR_BLOCK');
    expect(reason(recheckAdmitted(l, limit, market({ open_lots: 0.8, quote: { bid: 1.1, ask: 1.1001 } })))).toBe('ORDER_SIZE_BLOCK');
    // A CLOSE or MODIFY is never held back by the market.
    expect(recheckAdmitted(l, sig({ action: 'CLOSE' }), market({ open_lots: 9 }))).toEqual({ pass: true });
  });
});
