// A 15-minute sparkline of one history series (recharts). It redraws on `chart_version`, at most
// once a second, not on every pulse; no animation (motion is kept for the active route).
import { useMemo } from 'react';
import { Line, LineChart, ReferenceLine, YAxis } from 'recharts';
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

export function Sparkline({ series, label, width, height, reference, domain, digits = 0, points = 120, className }: SparklineProps) {
  const chartVersion = useGuardian((s) => s.chart_version);
  const history = useGuardian((s) => s.history);
  const values = useMemo(
    () => downsample(history.series[series], points),
    // chart_version is the signal that the (mutable) ring has new values worth drawing.
    [history, series, points, chartVersion],
  );
  const data = useMemo(() => values.map((v, i) => ({ i, v: Number.isNaN(v) ? null : v })), [values]);
  const finite = values.filter((v) => !Number.isNaN(v));
  const tip = finite.length
    ? `${label} over the last 15 min: low ${fmtNum(Math.min(...finite), digits)}, high ${fmtNum(Math.max(...finite), digits)}, now ${fmtNum(finite[finite.length - 1], digits)}`
    : `${label}: no history yet`;
  return (
    <div className={className ? `sparkline ${className}` : 'sparkline'} title={tip} style={{ width, height }}>
      <LineChart width={width} height={height} data={data} margin={{ top: 2, right: 1, bottom: 2, left: 1 }} accessibilityLayer={false}>
        <YAxis hide domain={domain ?? ['auto', 'auto']} />
        {reference !== undefined && <ReferenceLine y={reference} stroke="var(--muted)" strokeDasharray="2 3" ifOverflow="extendDomain" />}
        <Line type="linear" dataKey="v" stroke="currentColor" strokeWidth={1.25} dot={false} isAnimationActive={false} connectNulls={false} />
      </LineChart>
    </div>
  );
}
