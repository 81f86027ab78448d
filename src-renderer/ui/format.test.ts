// The deck's number and time words: the cached formatters say exactly what toLocaleString said.
import { describe, expect, it } from 'vitest';
import { fmtNum, fmtStamp, fmtUnit } from './format';

describe('format', () => {
  it('formats numbers with the digits they need, grouped, as toLocaleString does', () => {
    for (const [v, d] of [[210, undefined], [58.9, undefined], [0.78, undefined], [1091.704, undefined], [2633.93, 2], [1234567.891, 1], [-3.25, undefined], [0, 0]] as const) {
      const digits = d ?? (Number.isInteger(v) ? 0 : Math.round(v * 10) === v * 10 ? 1 : 2);
      expect(fmtNum(v, d)).toBe(v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
    }
    expect(fmtNum(null)).toBe('—');
    expect(fmtNum(Number.NaN)).toBe('—');
    expect(fmtUnit(5.6, '%')).toBe('5.6%');
    expect(fmtUnit(142, 'ms')).toBe('142 ms');
  });

  it('stamps times in UTC with the short month', () => {
    const months = Array.from({ length: 12 }, (_, m) => new Date(Date.UTC(2026, m, 21, 14, 2, 11)));
    for (const d of months) expect(fmtStamp(d.toISOString())).toBe(`${d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' })} 21 14:02:11`);
    expect(fmtStamp('not a time')).toBe('—');
  });
});
