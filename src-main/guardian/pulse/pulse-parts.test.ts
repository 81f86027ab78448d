import { describe, expect, it } from 'vitest';
import {
  EaFacts, RollingWindow, TradeTracker, constraintStateCode, wilsonLower, fxMarketOpen, fxSession, parseServerTime, probeQuorum, regimeOf, rejectKind, slippageBps,
} from './index';

describe('probeQuorum (2 of 3)', () => {
  const budget = { latency_ms: 100, drop_pct: 5, handshake_failures: 0 };

  it('one failing probe does not make a path failing', () => {
    expect(probeQuorum({ latency_ms: 400, drop_pct: 0, handshake_failures: 0 }, budget)).toMatchObject({ verdict: 'healthy', failed: 1, passed: 2 });
    expect(probeQuorum({ latency_ms: 10, drop_pct: 30, handshake_failures: 0 }, budget).verdict).toBe('healthy');
    expect(probeQuorum({ latency_ms: 10, drop_pct: 0, handshake_failures: 4 }, budget).verdict).toBe('healthy');
  });

  it('two failing probes make it failing, with the values in the why', () => {
    const q = probeQuorum({ latency_ms: 410, drop_pct: 12, handshake_failures: 0 }, budget);
    expect(q.verdict).toBe('failing');
    expect(q.votes).toEqual({ latency: 'fail', drops: 'fail', handshake: 'ok' });
    expect(q.why).toBe('2 of 3 probes fail: latency 410 ms > 100 ms; drops 12% > 5%');
    expect(probeQuorum({ latency_ms: 410, drop_pct: 12, handshake_failures: 2 }, budget).failed).toBe(3);
  });

  it('a blind path is never healthy: without two readings it is unknown', () => {
    expect(probeQuorum({ latency_ms: null, drop_pct: null, handshake_failures: 0 }, budget).verdict).toBe('unknown');
    expect(probeQuorum({ latency_ms: Number.NaN, drop_pct: 0, handshake_failures: null }, budget).verdict).toBe('unknown');
    expect(probeQuorum({ latency_ms: 500, drop_pct: null, handshake_failures: 0 }, budget)).toMatchObject({ verdict: 'unknown', why: 'no quorum: 1 pass, 1 fail, 1 without a reading' });
  });

  it('a value at the budget passes', () => {
    expect(probeQuorum({ latency_ms: 100, drop_pct: 5, handshake_failures: 0 }, budget).verdict).toBe('healthy');
  });
});

describe('RollingWindow', () => {
  it('keeps only the window, and gives nearest-rank percentiles', () => {
    const w = new RollingWindow(1000);
    for (let i = 1; i <= 100; i++) w.push(i * 10, i);
    const s = w.stats(1000);
    // samples at t >= 0 .. 1000: all 100
    expect(s).toMatchObject({ count: 100, p50: 50, p95: 95, p99: 99, min: 1, max: 100, mean: 50.5 });
    expect(w.stats(1500).count).toBe(51); // t >= 500: samples 50..100
    expect(w.stats(1500).p50).toBe(75);
    expect(w.count(3000)).toBe(0);
    expect(Number.isNaN(w.stats(3000).p95)).toBe(true);
  });

  it('ignores missing readings and bounds its memory', () => {
    const w = new RollingWindow(1e9, 4);
    w.push(0, Number.NaN);
    for (let i = 1; i <= 10; i++) w.push(i, i);
    expect(w.stats(10)).toMatchObject({ count: 4, min: 7, max: 10 });
    expect(w.latest()).toEqual({ t_ms: 10, value: 10 });
  });
});

describe('sessions and regimes', () => {
  it('names the leading FX session by the UTC hour', () => {
    const at = (h: number) => Date.UTC(2026, 0, 6, h, 30);
    expect([3, 8, 14, 22].map((h) => fxSession(at(h)))).toEqual(['asia', 'london', 'new_york', 'sydney']);
  });
  it('knows the weekend', () => {
    expect(fxMarketOpen(Date.UTC(2026, 0, 10, 12))).toBe(false); // Saturday
    expect(fxMarketOpen(Date.UTC(2026, 0, 11, 20))).toBe(false); // Sunday before the open
    expect(fxMarketOpen(Date.UTC(2026, 0, 11, 22))).toBe(true);
    expect(fxMarketOpen(Date.UTC(2026, 0, 9, 21, 30))).toBe(false); // Friday after the close
  });
  it('reads the regime from the volatility ratio, unknown when it is', () => {
    expect([0.5, 1, 2].map(regimeOf)).toEqual(['low', 'normal', 'high']);
    expect(regimeOf(Number.NaN)).toBeUndefined();
  });
});

describe('TradeTracker', () => {
  const opened = (ticket: number, slippage_pips: number, sl?: number) => ({ event: 'OPENED' as const, ticket, symbol: 'EURUSD', side: 'BUY' as const, lots: 0.1, price: 1.0, slippage_pips, ...(sl ? { sl } : {}) });
  const rejected = (code: number | string) => ({ event: 'REJECTED' as const, ticket: 0, symbol: 'EURUSD', side: 'BUY' as const, lots: 0.1, reject_code: code });

  it('rates are the share the evidence supports (90% Wilson lower bound)', () => {
    expect(wilsonLower(2, 23) * 100).toBeCloseTo(3.7, 1);
    expect(wilsonLower(30, 40) * 100).toBeCloseTo(65.4, 1);
    expect(wilsonLower(0, 50)).toBe(0);
    expect(Number.isNaN(wilsonLower(0, 0))).toBe(true);
  });

  it('slippage in basis points of the price', () => {
    expect(slippageBps(opened(1, 0.5))).toBeCloseTo(0.5);
    expect(slippageBps({ ...opened(1, 2), symbol: 'USDJPY', price: 150 })).toBeCloseTo((2 * 0.01 / 150) * 1e4);
  });

  it('counts only the broker rejects, and needs enough orders for a rate', () => {
    const t = new TradeTracker({ slippage_s: 60, rates_s: 60, exec_s: 60, min_orders: 10 });
    expect(rejectKind('HOLD_NEW_ENTRIES')).toBe('own');
    expect(rejectKind(138)).toBe('broker_refusal');
    expect(rejectKind(128)).toBe('broker_failure');
    t.record(rejected('HOLD_NEW_ENTRIES'), 0);
    expect(t.figures(0, true, 0)).toMatchObject({ reject_rate_pct: 0, orders: 0 }); // quiet: nothing rejected
    t.record(rejected(138), 1);
    for (let i = 0; i < 3; i++) t.record(opened(i, 0.2, 0.9), 2);
    expect(Number.isNaN(t.figures(3, true, 3).reject_rate_pct)).toBe(true); // 1 of 4: too few to say
    for (let i = 3; i < 10; i++) t.record(opened(i, 0.2, 0.9), 4);
    const f = t.figures(5, true, 10);
    // 1 of 11: the evidence supports a rate of 2.8% (the 90% lower bound), not the point estimate 9.1%.
    expect(f.reject_rate_pct).toBeCloseTo(wilsonLower(1, 11) * 100);
    expect(f.reject_rate_pct).toBeCloseTo(2.76, 1);
    expect(f.requote_rate_pct).toBeCloseTo(f.reject_rate_pct);
    expect(f.exec_reject_rate_pct).toBeCloseTo(f.reject_rate_pct);
    expect(f.slippage_bps).toBeCloseTo(0.2);
    expect(f.positions_without_stop).toBe(0);
    expect(Number.isNaN(t.figures(5, true, 12).positions_without_stop)).toBe(true); // positions Guardian did not see open
  });

  it('reads missing while the EA does not report, and counts the losing streak', () => {
    const t = new TradeTracker();
    expect(Number.isNaN(t.figures(0, false, Number.NaN).slippage_bps)).toBe(true);
    const closed = (pnl: number) => ({ event: 'CLOSED' as const, ticket: 1, symbol: 'EURUSD', side: 'BUY' as const, lots: 0.1, pnl });
    for (const pnl of [-1, -2, 3, -1, -1, -5]) t.record(closed(pnl), 0);
    expect(t.figures(0, true, 0).consecutive_losses).toBe(3);
  });
});

describe('EaFacts', () => {
  const status = (extra: Record<string, unknown> = {}) => ({
    ea_state: 'MANAGING' as const, balance: 10_000, equity: 9_700, margin_level: 450, spread_pips: 1.2, open_positions: 2,
    server_time: '2026.01.05 08:00:00', portfolio_correlation: 0.3, ...extra,
  });

  it('parses MT4 and ISO server times, with the broker offset', () => {
    expect(parseServerTime('2026.01.05 08:00:00')).toBe(Date.UTC(2026, 0, 5, 8));
    expect(parseServerTime('2026.01.05 10:00:00', 7200)).toBe(Date.UTC(2026, 0, 5, 8));
    expect(parseServerTime('2026-01-05T08:00:00.250Z')).toBe(Date.UTC(2026, 0, 5, 8, 0, 0, 250));
    expect(Number.isNaN(parseServerTime('yesterday'))).toBe(true);
  });

  it('estimates the clock skew from the lower envelope of whole-second server times', () => {
    const f = new EaFacts({ stale_ms: 10_000, spread_baseline_s: 300, spread_min_samples: 3, skew_window_s: 60, broker_utc_offset_s: 0 });
    const base = Date.UTC(2026, 0, 5, 8);
    // The EA's clock runs 0 ms off; its server_time truncates to the second; arrivals 5 ms later.
    for (const [i, phase] of [[0, 700], [1, 300], [2, 20], [3, 950]] as const) {
      const sent = base + i * 1000 + phase;
      const serverText = new Date(Math.floor(sent / 1000) * 1000).toISOString().replace('T', ' ').slice(0, 19).replace(/-/g, '.');
      f.record(status({ server_time: serverText }), i * 1000, sent + 5);
    }
    // Readings 705, 305, 25, 955 put the skew in [-45, 25]: the clocks cannot be told apart.
    expect(f.figures(3000).clock_skew_ms).toBe(0);
  });

  it('reads a STATUS sent at the same phase every second as no proven skew, and a real skew as at least what is proven', () => {
    const base = Date.UTC(2026, 0, 5, 8);
    const mt4 = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('T', ' ').slice(0, 19).replace(/-/g, '.');
    const opts = { stale_ms: 10_000, spread_baseline_s: 300, spread_min_samples: 3, skew_window_s: 60, broker_utc_offset_s: 0 };
    const samePhase = new EaFacts(opts);
    for (let i = 0; i < 5; i++) samePhase.record(status({ server_time: mt4(base + i * 1000 + 505) }), i * 1000, base + i * 1000 + 505);
    expect(samePhase.figures(4000).clock_skew_ms).toBe(0); // was read as 505 ms, a warning that never cleared
    const behind = new EaFacts(opts); // the broker's clock 700 ms behind the host
    for (const [i, phase] of [[0, 700], [1, 300], [2, 20], [3, 950]] as const) {
      const server = base + i * 1000 + phase;
      behind.record(status({ server_time: mt4(server) }), i * 1000, server + 700 + 5);
    }
    expect(behind.figures(3000).clock_skew_ms).toBe(655); // within [655, 725]: at least 655 is proven
  });

  it('gives the rolling median spread once it has enough samples, and misses everything when stale', () => {
    const f = new EaFacts({ stale_ms: 1000, spread_baseline_s: 300, spread_min_samples: 3, skew_window_s: 60, broker_utc_offset_s: 0 });
    f.record(status({ spread_pips: 1.0 }), 0, 0);
    f.record(status({ spread_pips: 3.0 }), 100, 100);
    expect(Number.isNaN(f.figures(100).normal_spread_pips)).toBe(true);
    f.record(status({ spread_pips: 1.2 }), 200, 200);
    const now = f.figures(200);
    expect(now).toMatchObject({ spread_pips: 1.2, normal_spread_pips: 1.2, margin_level_pct: 450, ea_state_code: 0, ea_halted: 0, portfolio_correlation: 0.3 });
    expect(now.daily_loss_pct).toBe(3); // 10,000 opening balance, 9,700 equity
    const stale = f.figures(5000);
    expect(Number.isNaN(stale.spread_pips) && Number.isNaN(stale.portfolio_correlation) && Number.isNaN(stale.ea_state_code)).toBe(true);
  });

  it('maps the EA state onto the catalogue codes, and no margin in use onto a large margin level', () => {
    expect(['IDLE', 'MANAGING', 'PAUSED', 'HALT', 'WHAT'].map(constraintStateCode)).toEqual([0, 0, 1, 2, Number.NaN]);
    const f = new EaFacts();
    f.record(status({ margin_level: 0, open_positions: 0, ea_state: 'HALT' }), 0, 0);
    expect(f.figures(0)).toMatchObject({ margin_level_pct: 1e6, ea_state_code: 2, ea_halted: 1 });
  });
});
