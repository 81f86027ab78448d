// The failover policy (config/failover-policy.yaml) as a typed object, and the validator that
// stands between the file and the mode manager. A safety policy with a typo must not start:
// unknown keys are refused, not ignored; a missing key takes the DESIGN.md default.
import { DEFAULT_BREAKER_POLICY, type BreakerPolicy, type BreakerTrip } from '../breakers';

export interface FailoverPolicy {
  version: 1;
  /** Enter a degradation when its subsystem score falls below this (0-100). */
  enter: { comm_below: number; signal_below: number; exec_below: number };
  /** Leave only when every gate and subsystem is >= this ... */
  recover_threshold: number;
  /** ... for this long without a break. */
  dwell_seconds: number;
  /** A longer gap between pulses restarts the dwell: time not observed cannot count as clean. */
  max_pulse_gap_ms: number;
  /** The risk veto: above either cap, SAFE_MODE. */
  risk_caps: { correlation_max: number; slippage_max_bps: number };
  /**
   * freeze: hold new entries and cancel pending orders (a pending order is a new entry waiting to
   * happen); flatten: also close open positions. exit: auto (dwell rule and veto cleared) or
   * operator (that, and an operator's word).
   */
  safe_mode: { action: 'freeze' | 'flatten'; exit: 'auto' | 'operator' };
  held_signals: { ttl_s: number };
  /** The longest an operator may pin a mode or hold an early exit. */
  overrides: { max_pin_s: number; max_exit_s: number };
  breakers: BreakerPolicy;
}

export const DEFAULT_FAILOVER_POLICY: FailoverPolicy = {
  version: 1,
  enter: { comm_below: 70, signal_below: 65, exec_below: 60 },
  recover_threshold: 85,
  dwell_seconds: 20,
  max_pulse_gap_ms: 1000,
  risk_caps: { correlation_max: 0.75, slippage_max_bps: 25 },
  safe_mode: { action: 'freeze', exit: 'auto' },
  held_signals: { ttl_s: 30 },
  overrides: { max_pin_s: 3600, max_exit_s: 900 },
  breakers: DEFAULT_BREAKER_POLICY,
};

/** Names the key at fault (dotted, with list indexes) and what is wrong with it. */
export class PolicyError extends Error {
  constructor(
    readonly key: string,
    readonly problem: string,
  ) {
    super(`failover policy: ${key}: ${problem}`);
    this.name = 'PolicyError';
  }
}

type Obj = Record<string, unknown>;
const show = (v: unknown) => (v === undefined ? 'nothing' : JSON.stringify(v));
const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** An object with only the allowed keys; undefined reads as {} so that defaults apply. */
function section(value: unknown, path: string, allowed: readonly string[]): Obj {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PolicyError(path || '(root)', `must be a mapping of keys, got ${show(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new PolicyError(join(path, key), `unknown key (allowed: ${allowed.join(', ')})`);
  }
  return value as Obj;
}

interface Range { min?: number; above?: number; max?: number; integer?: boolean }

function num(obj: Obj, path: string, key: string, fallback: number | undefined, range: Range): number {
  const v = obj[key] ?? fallback;
  const where = join(path, key);
  if (v === undefined) throw new PolicyError(where, 'is required');
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new PolicyError(where, `must be a number, got ${show(v)}`);
  if (range.integer && !Number.isInteger(v)) throw new PolicyError(where, `must be a whole number, got ${v}`);
  if (range.min !== undefined && v < range.min) throw new PolicyError(where, `must be >= ${range.min}, got ${v}`);
  if (range.above !== undefined && v <= range.above) throw new PolicyError(where, `must be > ${range.above}, got ${v}`);
  if (range.max !== undefined && v > range.max) throw new PolicyError(where, `must be <= ${range.max}, got ${v}`);
  return v;
}

function oneOf<T extends string>(obj: Obj, path: string, key: string, fallback: T, options: readonly T[]): T {
  const v = obj[key] ?? fallback;
  if (typeof v !== 'string' || !(options as readonly string[]).includes(v)) {
    throw new PolicyError(join(path, key), `must be one of ${options.join(' | ')}, got ${show(v)}`);
  }
  return v as T;
}

const SCORE: Range = { min: 0, max: 100 };
const POSITIVE: Range = { above: 0 };

function parseTrips(value: unknown, path: string): BreakerTrip[] {
  if (value === undefined) return DEFAULT_BREAKER_POLICY.trips.map((t) => ({ ...t }));
  if (!Array.isArray(value) || value.length === 0) throw new PolicyError(path, `must be a non-empty list of trips, got ${show(value)}`);
  const trips = value.map((item, i): BreakerTrip => {
    const at = `${path}[${i}]`;
    const t = section(item, at, ['name', 'failures', 'within_s', 'open_s']);
    if (typeof t.name !== 'string' || t.name === '') throw new PolicyError(`${at}.name`, `must be a non-empty string, got ${show(t.name)}`);
    return {
      name: t.name,
      failures: num(t, at, 'failures', undefined, { min: 1, integer: true }),
      within_s: num(t, at, 'within_s', undefined, POSITIVE),
      open_s: num(t, at, 'open_s', undefined, POSITIVE),
    };
  });
  const names = new Set(trips.map((t) => t.name));
  if (names.size !== trips.length) throw new PolicyError(path, 'trip names must be unique');
  return trips;
}

/** Checks a parsed YAML/JSON object and returns the typed policy, or throws a PolicyError. */
export function parsePolicy(input: unknown): FailoverPolicy {
  const d = DEFAULT_FAILOVER_POLICY;
  const root = section(input ?? {}, '', ['version', 'enter', 'recover_threshold', 'dwell_seconds', 'max_pulse_gap_ms', 'risk_caps', 'safe_mode', 'held_signals', 'overrides', 'breakers']);
  if ((root.version ?? 1) !== 1) throw new PolicyError('version', `must be 1, got ${show(root.version)}`);

  const enter = section(root.enter, 'enter', ['comm_below', 'signal_below', 'exec_below']);
  const risk = section(root.risk_caps, 'risk_caps', ['correlation_max', 'slippage_max_bps']);
  const safe = section(root.safe_mode, 'safe_mode', ['action', 'exit']);
  const held = section(root.held_signals, 'held_signals', ['ttl_s']);
  const overrides = section(root.overrides, 'overrides', ['max_pin_s', 'max_exit_s']);
  const breakers = section(root.breakers, 'breakers', ['trips', 'trial_timeout_s']);

  const policy: FailoverPolicy = {
    version: 1,
    enter: {
      comm_below: num(enter, 'enter', 'comm_below', d.enter.comm_below, SCORE),
      signal_below: num(enter, 'enter', 'signal_below', d.enter.signal_below, SCORE),
      exec_below: num(enter, 'enter', 'exec_below', d.enter.exec_below, SCORE),
    },
    recover_threshold: num(root, '', 'recover_threshold', d.recover_threshold, SCORE),
    dwell_seconds: num(root, '', 'dwell_seconds', d.dwell_seconds, { min: 0 }),
    max_pulse_gap_ms: num(root, '', 'max_pulse_gap_ms', d.max_pulse_gap_ms, POSITIVE),
    risk_caps: {
      correlation_max: num(risk, 'risk_caps', 'correlation_max', d.risk_caps.correlation_max, { above: 0, max: 1 }),
      slippage_max_bps: num(risk, 'risk_caps', 'slippage_max_bps', d.risk_caps.slippage_max_bps, POSITIVE),
    },
    safe_mode: {
      action: oneOf(safe, 'safe_mode', 'action', d.safe_mode.action, ['freeze', 'flatten'] as const),
      exit: oneOf(safe, 'safe_mode', 'exit', d.safe_mode.exit, ['auto', 'operator'] as const),
    },
    held_signals: { ttl_s: num(held, 'held_signals', 'ttl_s', d.held_signals.ttl_s, POSITIVE) },
    overrides: {
      max_pin_s: num(overrides, 'overrides', 'max_pin_s', d.overrides.max_pin_s, POSITIVE),
      max_exit_s: num(overrides, 'overrides', 'max_exit_s', d.overrides.max_exit_s, POSITIVE),
    },
    breakers: {
      trips: parseTrips(breakers.trips, 'breakers.trips'),
      trial_timeout_s: num(breakers, 'breakers', 'trial_timeout_s', d.breakers.trial_timeout_s, POSITIVE),
    },
  };

  // Hysteresis needs a gap between entering and leaving; without it the mode would flap.
  for (const [key, threshold] of Object.entries(policy.enter)) {
    if (policy.recover_threshold <= threshold) {
      throw new PolicyError('recover_threshold', `must be above every enter threshold, but enter.${key} is ${threshold} and recover_threshold is ${policy.recover_threshold}`);
    }
  }
  return policy;
}
