import { describe, expect, it } from 'vitest';
import { ErrorBudget, judgePulse } from './error-budget';

const BUDGETS = { bridge_rtt_p95_ms: 120, ack_latency_p95_ms: 50 };

describe('judgePulse', () => {
  it('is bad with no healthy path or a latency over its budget, good within, and unjudged without figures', () => {
    expect(judgePulse({ healthy_paths: 2, bridge_rtt_p95_ms: 120, ack_latency_p95_ms: 50 }, BUDGETS)).toBe('good');
    expect(judgePulse({ healthy_paths: 0, bridge_rtt_p95_ms: 10, ack_latency_p95_ms: 5 }, BUDGETS)).toBe('bad');
    expect(judgePulse({ healthy_paths: 1, bridge_rtt_p95_ms: 121, ack_latency_p95_ms: 5 }, BUDGETS)).toBe('bad');
    expect(judgePulse({ healthy_paths: 1, bridge_rtt_p95_ms: null, ack_latency_p95_ms: 51 }, BUDGETS)).toBe('bad');
    expect(judgePulse({ healthy_paths: null, bridge_rtt_p95_ms: 500, ack_latency_p95_ms: 500 }, BUDGETS)).toBeNull();
  });
});

describe('ErrorBudget', () => {
  const pulses = (b: ErrorBudget, from_s: number, to_s: number, bad: (s: number) => boolean) => {
    for (let t = from_s * 1000; t < to_s * 1000; t += 250) b.record(t, bad(Math.floor(t / 1000)) ? 'bad' : 'good');
  };

  it('says nothing until a minute was judged, then 1x when the bad share equals what the objective allows', () => {
    const b = new ErrorBudget({ objective_pct: 99, window_s: 3600, min_judged_s: 60 });
    pulses(b, 0, 59, () => false);
    expect(b.burn(58_999)).toBeNull();
    pulses(b, 59, 100, (s) => s === 99); // 4 bad pulses of 400: 1%
    expect(b.burn(99_999)).toBe(1);
  });

  it('burns 100x when everything is bad, and forgets what left the window', () => {
    const b = new ErrorBudget({ objective_pct: 99, window_s: 120, min_judged_s: 60 });
    pulses(b, 0, 120, () => true);
    expect(b.burn(119_999)).toBe(100);
    pulses(b, 120, 240, () => false);
    expect(b.burn(239_999)).toBe(0);
  });

  it('refuses an objective that leaves no budget', () => {
    expect(() => new ErrorBudget({ objective_pct: 100, window_s: 60, min_judged_s: 1 })).toThrow('objective_pct must be above 0 and below 100');
  });
});
