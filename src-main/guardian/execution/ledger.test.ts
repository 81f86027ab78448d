// Guardian's ledger from TRADE events, and reconciliation with the broker's positions.
import { describe, expect, it } from 'vitest';
import type { TradePayload } from '../../../src-shared/protocol';
import { applyTrade, describeDifference, reconcile, type Position } from './ledger';

const trade = (p: Partial<TradePayload>): TradePayload => ({ event: 'OPENED', ticket: 1, symbol: 'EURUSD', side: 'BUY', lots: 0.1, price: 1.1, ...p });
const pos = (p: Partial<Position>): Position => ({ ticket: 1, symbol: 'EURUSD', side: 'BUY', lots: 0.1, open_price: 1.1, sl: null, tp: null, ...p });

describe('the ledger from TRADE events', () => {
  it('OPENED adds, MODIFIED updates (a partial close changes lots), CLOSED removes, REJECTED does nothing', () => {
    const ledger = new Map<number, Position>();
    const put = (t: TradePayload) => {
      const c = applyTrade(ledger, t);
      if (c?.kind === 'put') ledger.set(c.position.ticket, c.position);
      if (c?.kind === 'remove') ledger.delete(c.ticket);
    };
    put(trade({ ticket: 7, sl: 1.09 }));
    expect(ledger.get(7)).toEqual(pos({ ticket: 7, sl: 1.09 }));
    put(trade({ event: 'MODIFIED', ticket: 7, lots: 0.05, tp: 1.2 }));
    expect(ledger.get(7)).toEqual(pos({ ticket: 7, lots: 0.05, sl: 1.09, tp: 1.2 }));
    put(trade({ event: 'REJECTED', ticket: 0, reject_code: 138 }));
    expect(ledger.size).toBe(1);
    put(trade({ event: 'CLOSED', ticket: 7 }));
    expect(ledger.size).toBe(0);
    expect(applyTrade(ledger, trade({ event: 'CLOSED', ticket: 99 }))).toBeNull();
  });
});

describe('reconciliation', () => {
  it('finds missing, extra and different positions by ticket', () => {
    const guardian = [pos({ ticket: 1 }), pos({ ticket: 2, lots: 0.2 }), pos({ ticket: 3, side: 'SELL', open_price: 1.2 })];
    const broker = [pos({ ticket: 2, lots: 0.1 }), pos({ ticket: 3, side: 'SELL', open_price: 1.2 }), pos({ ticket: 4, symbol: 'GBPUSD' })];
    const d = reconcile(guardian, broker);
    expect(d.map((x) => [x.ticket, x.kind, x.fields])).toEqual([[1, 'missing', []], [2, 'different', ['lots']], [4, 'extra', []]]);
    expect(describeDifference('ea-1', d[1]!)).toBe('ea-1 #2 differs in lots: Guardian BUY 0.2 EURUSD @ 1.1, broker BUY 0.1 EURUSD @ 1.1');
  });

  it('side and open price differ; sl and tp are the EA\'s to trail and are not compared', () => {
    const d = reconcile([pos({ side: 'BUY', open_price: 1.1, sl: 1 })], [pos({ side: 'SELL', open_price: 1.1002, sl: 1.05 })]);
    expect(d[0]!.fields).toEqual(['side', 'open_price']);
    expect(reconcile([pos({ sl: 1 })], [pos({ sl: 1.05 })])).toEqual([]);
  });

  it('nothing to report when both are empty or equal', () => {
    expect(reconcile([], [])).toEqual([]);
    expect(reconcile([pos({})], [pos({})])).toEqual([]);
  });
});
