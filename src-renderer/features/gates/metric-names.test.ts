import { describe, expect, it } from 'vitest';
import { metricTitle } from './metric-names';

describe('metricTitle', () => {
  it("gives the gate cards' variables in a trader's words", () => {
    expect(metricTitle('p95_bridge_latency_ms')).toBe('Bridge latency p95');
    expect(metricTitle('signal_age_s.primary')).toBe('Primary signal age');
    expect(metricTitle('margin_level_pct')).toBe('Margin level');
  });

  it('turns a name it does not know into words, unit suffix and percentile placed as people say them', () => {
    expect(metricTitle('p99_ack_latency_ms')).toBe('Ack latency p99');
    expect(metricTitle('tick_age_s')).toBe('Tick age');
    expect(metricTitle('signal_age_s.cached')).toBe('Signal age (cached)');
    expect(metricTitle('consecutive_losses')).toBe('Consecutive losses');
    expect(metricTitle('x')).toBe('X');
  });
});
