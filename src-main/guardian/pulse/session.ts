// The circumstances constraints are filtered by: the FX session from the wall clock, and the
// volatility regime from the volatility ratio. Pure.
import type { Regime, Session } from '../constraints';

/**
 * The session that leads the FX market at a UTC wall time. The real sessions overlap (Tokyo opens
 * while Sydney trades, London and New York share four hours); the filter needs one name, so each
 * hour goes to the market that carries most of the volume then:
 *   asia 00:00-07:00, london 07:00-12:00, new_york 12:00-21:00, sydney 21:00-24:00 (UTC).
 */
export function fxSession(wall_ms: number): Session {
  const hour = new Date(wall_ms).getUTCHours();
  if (hour < 7) return 'asia';
  if (hour < 12) return 'london';
  if (hour < 21) return 'new_york';
  return 'sydney';
}

/** The FX market is shut from Friday 21:00 UTC to Sunday 21:00 UTC (the retail brokers' week). */
export function fxMarketOpen(wall_ms: number): boolean {
  const d = new Date(wall_ms);
  const day = d.getUTCDay(); // 0 Sunday .. 6 Saturday
  const hour = d.getUTCHours();
  if (day === 6) return false;
  if (day === 5 && hour >= 21) return false;
  if (day === 0 && hour < 21) return false;
  return true;
}

/** low below 0.8, high above 1.5, normal between; undefined when the ratio is unknown. */
export function regimeOf(volatility_ratio: number): Regime | undefined {
  if (!Number.isFinite(volatility_ratio)) return undefined;
  if (volatility_ratio < 0.8) return 'low';
  return volatility_ratio > 1.5 ? 'high' : 'normal';
}
