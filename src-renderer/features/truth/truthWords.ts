// The truth's figures in words: WireNumber ("inf", null) to text, and each figure's tone.
import type { TruthMetricsWire, WireNumber } from '../../../src-shared/contract';

/** "∞" for "inf", "—" for not defined (no data yet), else the number with at most `digits` decimals. */
export function fmtWire(v: WireNumber | undefined, digits = 2, unit = ''): string {
  if (v === null || v === undefined) return '—';
  if (v === 'inf') return '∞';
  if (v === '-inf') return '-∞';
  const n = Number(v.toFixed(digits));
  return `${n.toLocaleString('en-US', { maximumFractionDigits: digits })}${unit}`;
}

export type Tone = 'ok' | 'watch' | 'fail' | 'idle';

/** A glance: green when the figure is healthy, amber at its warning, red beyond. Undefined: idle. */
export function toneOf(key: 'net_pnl' | 'profit_factor' | 'max_drawdown_pct' | 'var95_pct' | 'consecutive_losses' | 'reject_rate_pct', m: TruthMetricsWire): Tone {
  switch (key) {
    case 'net_pnl': return m.trades === 0 ? 'idle' : m.net_pnl >= 0 ? 'ok' : 'fail';
    case 'profit_factor': {
      const pf = m.profit_factor;
      if (pf === null) return 'idle';
      if (pf === 'inf') return 'ok';
      if (pf === '-inf') return 'fail';
      return pf >= 1.2 ? 'ok' : pf >= 1 ? 'watch' : 'fail';
    }
    case 'max_drawdown_pct': return m.max_drawdown_pct === null ? 'idle' : m.max_drawdown_pct < 8 ? 'ok' : m.max_drawdown_pct < 15 ? 'watch' : 'fail';
    case 'var95_pct': return m.var95_pct === null ? 'idle' : m.var95_pct < 2 ? 'ok' : m.var95_pct < 3 ? 'watch' : 'fail';
    case 'consecutive_losses': return m.consecutive_losses < 3 ? 'ok' : m.consecutive_losses < 5 ? 'watch' : 'fail';
    case 'reject_rate_pct': return m.reject_rate_pct === null ? 'idle' : m.reject_rate_pct < 5 ? 'ok' : m.reject_rate_pct < 15 ? 'watch' : 'fail';
  }
}

/** "1 h 20 min" from seconds. */
export function fmtSpan(s: number | null): string {
  if (s === null) return '—';
  if (s < 60) return `${Math.round(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h} h ${m % 60} min` : `${Math.floor(h / 24)} d ${h % 24} h`;
}
