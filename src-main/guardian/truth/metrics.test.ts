// The truth's formulas against fixtures computed by hand (the arithmetic is in the comments).
import { describe, expect, it } from 'vitest';
import { fromWireNumber } from '../../../src-shared/contract';
import {
  computeTruth, dailyReturns, historicalVarEs, lossStreaks, maxDrawdown, sharpeRatio, sortinoRatio, symbolCorrelations, toWire,
  type ClosedTrade, type EquityPoint, type TruthInput,
} from './index';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
const trade = (pnl: number, commission = 0, swap = 0, symbol = 'EURUSD', day = 0): ClosedTrade => ({ ticket: 1, symbol, pnl, commission, swap, closed_ms: T0 + day * DAY });
const input = (over: Partial<TruthInput> = {}): TruthInput => ({ trades: [], orders: [], equity: [], symbols_held: [], correlation_days: 20, ...over });
const closes = (values: number[]): EquityPoint[] => values.map((equity, d) => ({ ts_ms: T0 + d * DAY, equity }));

describe('trade figures', () => {
  // nets: 102-2=100, -48-2=-50, 32-2=30, -18-2=-20, -9-0.5-0.5=-10
  const trades = [trade(102, -2), trade(-48, -2), trade(32, -2), trade(-18, -2), trade(-9, -0.5, -0.5)];

  it('counts, win rate, net P&L, fees, expectancy, profit factor, average win and loss, streaks', () => {
    const m = computeTruth(input({ trades }));
    expect(m).toMatchObject({ trades: 5, wins: 2, losses: 3, win_rate_pct: 40, net_pnl: 50, fees: 9, expectancy: 10 });
    expect(m.profit_factor).toBeCloseTo(130 / 80, 9); // 1.625
    expect(m.avg_win).toBe(65);
    expect(m.avg_loss).toBeCloseTo(-80 / 3, 4);
    expect(m.consecutive_losses).toBe(2);
    expect(m.max_consecutive_losses).toBe(2);
  });

  it('no trades: counts 0, ratios undefined (NaN, null on the wire)', () => {
    const m = computeTruth(input());
    expect(m).toMatchObject({ trades: 0, wins: 0, losses: 0, net_pnl: 0, fees: 0, consecutive_losses: 0, orders: 0 });
    for (const k of ['win_rate_pct', 'expectancy', 'profit_factor', 'avg_win', 'avg_loss', 'reject_rate_pct', 'avg_slippage_bps', 'max_drawdown_pct'] as const) {
      expect(m[k], k).toBeNaN();
    }
    const wire = toWire(m);
    expect(wire.profit_factor).toBeNull();
    expect(wire.win_rate_pct).toBeNull();
    expect(JSON.parse(JSON.stringify(wire))).toEqual(wire);
  });

  it('no losses: profit factor is infinite, "inf" on the wire', () => {
    const m = computeTruth(input({ trades: [trade(10), trade(5)] }));
    expect(m.profit_factor).toBe(Infinity);
    expect(m.avg_loss).toBeNaN();
    const wire = JSON.parse(JSON.stringify(toWire(m))) as ReturnType<typeof toWire>;
    expect(wire.profit_factor).toBe('inf');
    expect(fromWireNumber(wire.profit_factor)).toBe(Infinity);
  });

  it('all losses: profit factor 0, win rate 0, the streak is every trade', () => {
    const m = computeTruth(input({ trades: [trade(-1), trade(-2), trade(-3)] }));
    expect(m).toMatchObject({ profit_factor: 0, win_rate_pct: 0, consecutive_losses: 3, max_consecutive_losses: 3, net_pnl: -6 });
  });

  it('a trade at exactly zero is neither a win nor a loss, and breaks no streak', () => {
    expect(lossStreaks([-1, 0, -1, 5, -1])).toEqual({ current: 1, max: 2 });
    const m = computeTruth(input({ trades: [trade(0), trade(0)] }));
    expect(m).toMatchObject({ trades: 2, wins: 0, losses: 0, win_rate_pct: 0 });
    expect(m.profit_factor).toBeNaN();
  });

  it('reject rate over orders that reached the broker; mean slippage of the fills', () => {
    const m = computeTruth(input({ orders: [
      { kind: 'fill', slippage_bps: 2 }, { kind: 'fill', slippage_bps: 4 }, { kind: 'fill', slippage_bps: Number.NaN }, { kind: 'broker_reject', slippage_bps: Number.NaN },
    ] }));
    expect(m.reject_rate_pct).toBe(25);
    expect(m.avg_slippage_bps).toBe(3);
  });
});

describe('daily-return figures', () => {
  // closes 100, 110, 99, 108.9, 108.9 -> returns +10%, -10%, +10%, 0
  const equity = closes([100, 110, 99, 108.9, 108.9]);

  it('daily returns from the last equity of each UTC day', () => {
    const intraday = [...equity, { ts_ms: T0 + 4 * DAY - 3_600_000, equity: 50 }]; // earlier the same day: not the close
    const r = dailyReturns(intraday.sort((a, b) => a.ts_ms - b.ts_ms));
    expect(r).toHaveLength(4);
    expect(r[0]).toBeCloseTo(0.1, 12);
    expect(r[1]).toBeCloseTo(-0.1, 12);
    expect(r[3]).toBeCloseTo(0, 12);
  });

  it('Sharpe: mean 0.025 / sample sd 0.0957427 x sqrt(252) = 4.1451; Sortino: 0.025 / downside 0.05 x sqrt(252) = 7.9373', () => {
    const r = [0.1, -0.1, 0.1, 0];
    expect(sharpeRatio(r)).toBeCloseTo(4.145096, 5);
    expect(sortinoRatio(r)).toBeCloseTo(7.937254, 5);
    const m = computeTruth(input({ equity }));
    expect(m.return_days).toBe(4);
    expect(m.sharpe).toBeCloseTo(4.145096, 5);
    expect(m.sortino).toBeCloseTo(7.937254, 5);
  });

  it('no losing day: Sortino infinite; all days equal: Sharpe undefined', () => {
    expect(sortinoRatio([0.01, 0.02, 0])).toBe(Infinity);
    expect(sortinoRatio([0, 0])).toBeNaN();
    expect(sharpeRatio([0.01, 0.01, 0.01])).toBeNaN();
  });

  it('one day of equity (no return) or two (one return): Sharpe, Sortino, VaR and ES are undefined', () => {
    for (const e of [closes([100]), closes([100, 101])]) {
      const m = computeTruth(input({ equity: e }));
      for (const k of ['sharpe', 'sortino', 'var95_pct', 'es95_pct'] as const) expect(m[k], `${e.length} day(s): ${k}`).toBeNaN();
      expect(toWire(m).sharpe).toBeNull();
    }
  });

  it('VaR and ES, historical: 21 returns -> k = ceil(1.05) = 2 worst; VaR 3%, ES mean(5%, 3%) = 4%', () => {
    const r = [-0.05, -0.03, ...new Array<number>(19).fill(0.01)];
    const { var_pct, es_pct } = historicalVarEs(r);
    expect(var_pct).toBeCloseTo(3, 9);
    expect(es_pct).toBeCloseTo(4, 9);
    // 4 returns -> k = 1: the worst day alone
    expect(historicalVarEs([0.1, -0.1, 0.1, 0]).var_pct).toBeCloseTo(10, 9);
    // a tail of gains is no loss
    expect(historicalVarEs([0.01, 0.02, 0.03])).toEqual({ var_pct: 0, es_pct: 0 });
  });
});

describe('drawdown', () => {
  const at = (min: number, equity: number): EquityPoint => ({ ts_ms: T0 + min * 60_000, equity });

  it('peak 120 -> trough 90 is 25%, from the peak (minute 1) to the recovery at 125 (minute 4): 180 s', () => {
    const dd = maxDrawdown([at(0, 100), at(1, 120), at(2, 90), at(3, 110), at(4, 125)]);
    expect(dd).toEqual({ max_drawdown_pct: 25, max_drawdown_duration_s: 180, recovered: true });
  });

  it('still under water: the duration runs to the last sample', () => {
    const dd = maxDrawdown([at(0, 100), at(1, 120), at(2, 90), at(5, 110)]);
    expect(dd).toEqual({ max_drawdown_pct: 25, max_drawdown_duration_s: 240, recovered: false });
  });

  it('no equity: undefined; only rising: 0', () => {
    expect(maxDrawdown([])).toBeNull();
    expect(maxDrawdown([at(0, 1), at(1, 2)])).toEqual({ max_drawdown_pct: 0, max_drawdown_duration_s: 0, recovered: true });
  });

  it('the drawdown now is measured from the persisted peak, beyond the curve; the maximum is at least that', () => {
    const m = computeTruth(input({ equity: [at(0, 90)], peak_equity: 100 }));
    expect(m.drawdown_pct).toBeCloseTo(10, 9);
    expect(m.max_drawdown_pct).toBeCloseTo(10, 9);
    expect(m.max_drawdown_recovered).toBe(false);
  });
});

describe('correlation between the symbols held', () => {
  it('Pearson of daily net P&L: proportional series 1, opposite -1; fewer than two held: none', () => {
    // five days: EURUSD 10, -5, 20, 0, 5; GBPUSD twice that; USDJPY minus it
    const eur = [10, -5, 20, 0, 5];
    const trades = eur.flatMap((v, d) => [trade(v, 0, 0, 'EURUSD', d), trade(2 * v, 0, 0, 'GBPUSD', d), trade(-v, 0, 0, 'USDJPY', d)]);
    const c = symbolCorrelations(trades, ['GBPUSD', 'EURUSD', 'USDJPY'], 5);
    expect(c.find((x) => x.a === 'EURUSD' && x.b === 'GBPUSD')!.correlation).toBeCloseTo(1, 9);
    expect(c.find((x) => x.a === 'EURUSD' && x.b === 'USDJPY')!.correlation).toBeCloseTo(-1, 9);
    const m = computeTruth(input({ trades, symbols_held: ['EURUSD', 'GBPUSD'], correlation_days: 5 }));
    expect(m.max_correlation).toBeCloseTo(1, 9);
    expect(symbolCorrelations(trades, ['EURUSD'], 5)).toEqual([]);
    expect(computeTruth(input({ trades, symbols_held: ['EURUSD'] })).max_correlation).toBeNaN();
  });

  it('fewer than five active days: undefined, not a spurious ±1 from one day of trades', () => {
    const oneDay = [trade(10, 0, 0, 'EURUSD', 0), trade(-4, 0, 0, 'USDJPY', 0)];
    expect(symbolCorrelations(oneDay, ['EURUSD', 'USDJPY'], 20)[0]!.correlation).toBeNaN();
  });
});
