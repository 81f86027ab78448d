// A 15-minute sparkline of one history series: one SVG path, and the budget as a dashed line. It
// redraws on `chart_version`, at most once a second, not on every pulse, and after the pulse's
// numbers (a deferred value); no animation (motion is kept for the active route). Plain SVG rather
// than a chart library: eleven sparklines each with recharts' own store took a fifth of a second
// to mount and re-ran their stores on every parent render.
import { useDeferredValue, useMemo } from 'react';
import { downsample, useGuardian, type SeriesName } from '../store';
import { fmtNum } from './format';

export interface SparklineProps {
  series: SeriesName;
  label: string;
  width: number;
  height: number;
  /** Drawn as a dashed line: the budget or threshold the series is held to. */
  reference?: number;
  domain?: [number | 'auto', number | 'auto'];
  digits?: number;
  points?: number;
  className?: string;
}

const MARGIN = { top: 2, right: 1, bottom: 2, left: 1 };

export interface SparkGeometry {
  /** The line's path (`M`/`L`), broken where a value is missing; '' with no value at all. */
  line: string;
  /** The reference line's y, when there is one. */
  reference_y: number | null;
}

/**
 * Lays the values out in the box. An 'auto' end of the domain follows the data; the reference
 * stretches the domain to stay in view; a flat series sits mid-height.
 */
export function sparkGeometry(values: readonly number[], width: number, height: number, domain: [number | 'auto', number | 'auto'] = ['auto', 'auto'], reference?: number): SparkGeometry {
  const finite = values.filter((v) => Number.isFinite(v));
  let lo = domain[0] === 'auto' ? Math.min(...finite) : domain[0];
  let hi = domain[1] === 'auto' ? Math.max(...finite) : domain[1];
  if (reference !== undefined) {
    lo = Math.min(Number.isFinite(lo) ? lo : reference, reference);
    hi = Math.max(Number.isFinite(hi) ? hi : reference, reference);
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { line: '', reference_y: null };
  if (hi - lo < 1e-9) {
    const pad = Math.abs(hi) > 1e-9 ? Math.abs(hi) * 0.05 : 1;
    lo -= pad;
    hi += pad;
  }
  const x0 = MARGIN.left;
  const w = width - MARGIN.left - MARGIN.right;
  const y0 = MARGIN.top;
  const h = height - MARGIN.top - MARGIN.bottom;
  const y = (v: number) => Math.round((y0 + h - ((v - lo) / (hi - lo)) * h) * 100) / 100;
  const step = values.length > 1 ? w / (values.length - 1) : 0;
  let line = '';
  let pen = false;
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) {
      pen = false;
      return;
    }
    const x = Math.round((values.length > 1 ? x0 + i * step : x0 + w) * 100) / 100;
    line += `${pen ? 'L' : 'M'}${x} ${y(v)}`;
    pen = true;
  });
  return { line, reference_y: reference === undefined ? null : y(reference) };
}

export function Sparkline({ series, label, width, height, reference, domain, digits = 0, points = 120, className }: SparklineProps) {
  const chartVersion = useDeferredValue(useGuardian((s) => s.chart_version));
  const history = useGuardian((s) => s.history);
  const values = useMemo(
    () => downsample(history.series[series], points),
    // chart_version is the signal that the (mutable) ring has new values worth drawing.
    [history, series, points, chartVersion],
  );
  const tip = useMemo(() => {
    const finite = values.filter((v) => !Number.isNaN(v));
    return finite.length
      ? `${label} over the last 15 min: low ${fmtNum(Math.min(...finite), digits)}, high ${fmtNum(Math.max(...finite), digits)}, now ${fmtNum(finite[finite.length - 1], digits)}`
      : `${label}: no history yet`;
  }, [values, label, digits]);
  const [lo, hi] = domain ?? ['auto', 'auto'];
  const g = useMemo(() => sparkGeometry(values, width, height, [lo, hi], reference), [values, width, height, lo, hi, reference]);
  return (
    <div className={className ? `sparkline ${className}` : 'sparkline'} title={tip} style={{ width, height }}>
      {/* Drawn at width x height, but it may be squeezed narrower by its row: stretched, with strokes that keep their width. */}
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" aria-hidden="true" focusable="false">
        {g.reference_y !== null && (
          <line x1={MARGIN.left} x2={width - MARGIN.right} y1={g.reference_y} y2={g.reference_y} stroke="var(--muted)" strokeDasharray="2 3" vectorEffect="non-scaling-stroke" />
        )}
        {g.line && <path d={g.line} fill="none" stroke="currentColor" strokeWidth={1.25} strokeLinejoin="round" vectorEffect="non-scaling-stroke" />}
      </svg>
    </div>
  );
}
