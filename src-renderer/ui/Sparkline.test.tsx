// The sparkline's geometry: values laid out across the box, gaps left as gaps, the reference kept
// in view, a flat series drawn mid-height.
import { describe, expect, it } from 'vitest';
import { sparkGeometry } from './Sparkline';

describe('sparkGeometry', () => {
  it('spans the box: the low value at the bottom, the high one at the top', () => {
    const g = sparkGeometry([0, 50, 100], 102, 24, [0, 100]);
    expect(g.line).toBe('M1 22L51 12L101 2');
    expect(g.reference_y).toBeNull();
  });

  it('breaks the line where a value is missing', () => {
    expect(sparkGeometry([0, Number.NaN, 100, 50], 32, 24, [0, 100]).line).toBe('M1 22M21 2L31 12');
  });

  it('stretches an automatic domain to keep the reference in view', () => {
    const g = sparkGeometry([10, 20], 12, 24, ['auto', 'auto'], 120);
    expect(g.reference_y).toBe(2);
    expect(g.line).toBe('M1 22L11 20.18');
  });

  it('draws a flat series mid-height, and nothing without a value', () => {
    expect(sparkGeometry([5, 5], 12, 24).line).toBe('M1 12L11 12');
    expect(sparkGeometry([Number.NaN], 12, 24)).toEqual({ line: '', reference_y: null });
    expect(sparkGeometry([], 12, 24, ['auto', 'auto'], 80)).toEqual({ line: '', reference_y: 12 });
  });
});
