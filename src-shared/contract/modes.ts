// The vocabulary every other contract file speaks: modes, gates, paths and tiers.
import type { PathName, SignalTier } from '../protocol/types';

export type { PathName, SignalTier };
export { PATH_PRIORITY, SIGNAL_TIERS } from '../protocol/types';

/** Operating modes of the mode manager (DESIGN.md section 1). */
export type Mode = 'NORMAL' | 'DEGRADED.COMM' | 'DEGRADED.SIGNAL' | 'DEGRADED.EXEC' | 'SAFE_MODE';
export const MODES: readonly Mode[] = ['NORMAL', 'DEGRADED.COMM', 'DEGRADED.SIGNAL', 'DEGRADED.EXEC', 'SAFE_MODE'];

/** The four quality gates, in the order the console shows them. */
export type GateName = 'market_quality' | 'risk_management' | 'system_health' | 'broker_connectivity';
export const GATE_NAMES: readonly GateName[] = ['market_quality', 'risk_management', 'system_health', 'broker_connectivity'];

export type Severity = 'info' | 'warning' | 'critical';

/** ISO-8601 UTC timestamp, e.g. "2026-11-21T10:30:00.000Z". */
export type IsoTs = string;

export function isMode(x: unknown): x is Mode {
  return typeof x === 'string' && (MODES as readonly string[]).includes(x);
}
