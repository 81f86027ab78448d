import { describe, expect, it } from 'vitest';
import { CONSTRAINT_VARIABLE_INDEX, constraintApplies, defineConstraints, evaluateConstraints, formatNumber } from './index';
import type { ConstraintSpec } from './index';

const spec = (id: string, condition: string, extra: Partial<ConstraintSpec> = {}): ConstraintSpec => ({
  id,
  gate: 'market_quality',
  severity: 'warning',
  condition,
  description: id,
  ...extra,
});

const definitions = defineConstraints([
  spec('spread_vs_normal', 'spread_pips < normal_spread_pips * 2.0'),
  spec('correlation', 'portfolio_correlation < 0.7', { gate: 'risk_management', severity: 'critical' }),
  spec('correlation_reversed', '0.7 > portfolio_correlation', { gate: 'risk_management' }),
  spec('connected', 'broker_connected == 1 and ea_state_code != 4', { gate: 'broker_connectivity', severity: 'critical' }),
  spec('clock', 'abs(clock_skew_ms) < 500', { gate: 'system_health' }),
  spec('london_majors', 'spread_pips <= 2.5', { filters: { sessions: ['london', 'new_york'], symbols: ['EURUSD'] } }),
  spec('high_vol', 'spread_pips < normal_spread_pips * 3.0', { filters: { regimes: ['high'] } }),
]);

const byId = (results: ReturnType<typeof evaluateConstraints>, id: string) => results.find((r) => r.id === id);

describe('evaluateConstraints', () => {
  const pulse = { spread_pips: 3.4, normal_spread_pips: 1.4, portfolio_correlation: 0.82, broker_connected: 0, ea_state_code: 0, clock_skew_ms: -812 };

  it('gives status, value, limit and a one-line why', () => {
    const results = evaluateConstraints(definitions, pulse);
    expect(byId(results, 'spread_vs_normal')).toEqual({
      id: 'spread_vs_normal',
      gate: 'market_quality',
      severity: 'warning',
      status: 'fail',
      value: 3.4,
      limit: 2.8,
      explanation: 'spread_pips = 3.4, must be < normal_spread_pips * 2.0 = 2.8',
    });
    expect(byId(results, 'correlation')).toMatchObject({ status: 'fail', value: 0.82, limit: 0.7, explanation: 'portfolio_correlation = 0.82, must be < 0.7' });
    expect(byId(results, 'correlation_reversed')).toMatchObject({ value: 0.82, limit: 0.7, explanation: 'portfolio_correlation = 0.82, must be < 0.7' });
    expect(byId(results, 'connected')).toMatchObject({ status: 'fail', explanation: 'broker_connected = 0, must be == 1' });
    expect(byId(results, 'connected')?.value).toBeUndefined();
    expect(byId(results, 'clock')).toMatchObject({ status: 'fail', value: 812, explanation: 'abs(clock_skew_ms) = 812, must be < 500' });
  });

  it('explains a pass too', () => {
    const results = evaluateConstraints(definitions, { ...pulse, spread_pips: 1.2 });
    expect(byId(results, 'spread_vs_normal')).toMatchObject({ status: 'pass', explanation: 'spread_pips = 1.2 (< normal_spread_pips * 2.0 = 2.8)' });
  });

  it('is unknown, never pass, when a variable is missing, and says which', () => {
    const results = evaluateConstraints(definitions, { spread_pips: 1 });
    expect(byId(results, 'spread_vs_normal')).toEqual({
      id: 'spread_vs_normal',
      gate: 'market_quality',
      severity: 'warning',
      status: 'unknown',
      value: 1,
      explanation: 'unknown: no value for normal_spread_pips',
      missing: ['normal_spread_pips'],
    });
    expect(byId(results, 'connected')).toMatchObject({ status: 'unknown', missing: ['broker_connected', 'ea_state_code'] });
  });

  it('is unknown when the arithmetic has no answer', () => {
    const results = evaluateConstraints(defineConstraints([spec('ratio', 'spread_pips / normal_spread_pips < 2')]), { spread_pips: 1, normal_spread_pips: 0 });
    expect(results[0]).toMatchObject({ status: 'unknown', explanation: 'unknown: spread_pips / normal_spread_pips could not be computed (division by zero or a result out of range)' });
    expect(results[0]?.missing).toBeUndefined();
  });

  it('gives the same results from a record, a Map and a frame', () => {
    const fromRecord = evaluateConstraints(definitions, pulse);
    const fromMap = evaluateConstraints(definitions, new Map(Object.entries(pulse)));
    const fromFrame = evaluateConstraints(definitions, CONSTRAINT_VARIABLE_INDEX.frameFrom(pulse));
    expect(fromMap).toEqual(fromRecord);
    expect(fromFrame).toEqual(fromRecord);
  });

  it('applies filters: only matching constraints yield results', () => {
    const ids = (filter: Parameters<typeof evaluateConstraints>[2]) => evaluateConstraints(definitions, pulse, filter).map((r) => r.id);
    expect(ids({})).not.toContain('london_majors');
    expect(ids({})).not.toContain('high_vol');
    expect(ids({ session: 'london', symbol: 'eurusd' })).toContain('london_majors');
    expect(ids({ session: 'asia', symbol: 'EURUSD' })).not.toContain('london_majors');
    expect(ids({ session: 'london', symbol: 'GBPUSD' })).not.toContain('london_majors');
    expect(ids({ session: 'london' })).not.toContain('london_majors');
    expect(ids({ regime: 'high' })).toContain('high_vol');
    expect(ids({ regime: 'normal' })).not.toContain('high_vol');
    expect(ids({ regime: 'high' })).toContain('spread_vs_normal');
  });

  it('constraintApplies: no filters apply everywhere', () => {
    expect(constraintApplies(undefined)).toBe(true);
    expect(constraintApplies({ regimes: ['low'] }, { regime: 'low', session: 'asia' })).toBe(true);
  });
});

describe('formatNumber', () => {
  it.each([
    [2.8000000000000003, '2.8'],
    [3, '3'],
    [0.123456, '0.1235'],
    [1234.56789, '1234.57'],
    [undefined, '?'],
  ])('%s -> %s', (value, text) => {
    expect(formatNumber(value)).toBe(text);
  });
});
