// The reconnect state machine, pure: the clients feed it events and a clock, it says what state
// the console shows and when to try again.
import type { ConnectionInfo } from './types';

export interface BackoffPolicy {
  base_ms: number;
  cap_ms: number;
  /** After this many failed attempts in a row the console says "offline" (it still retries). */
  offline_after_attempts: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { base_ms: 500, cap_ms: 15_000, offline_after_attempts: 5 };

export function initialConnection(now_ms: number): ConnectionInfo {
  return { state: 'connecting', attempt: 0, retry_at_ms: null, last_error: null, since_ms: now_ms };
}

/**
 * Wait before attempt `attempt` (1 = the first retry): doubling from base_ms up to cap_ms, with
 * jitter between 50% and 100% so a fleet of consoles does not reconnect in step.
 */
export function backoffDelay_ms(attempt: number, random: () => number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(policy.cap_ms, policy.base_ms * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * (0.5 + 0.5 * random()));
}

export function connectionOpened(_info: ConnectionInfo, now_ms: number): ConnectionInfo {
  return { state: 'live', attempt: 0, retry_at_ms: null, last_error: null, since_ms: now_ms };
}

/** The stream closed or an attempt failed: count it and schedule the next one. */
export function connectionLost(
  info: ConnectionInfo, now_ms: number, error: string, random: () => number, policy: BackoffPolicy = DEFAULT_BACKOFF,
): ConnectionInfo {
  const attempt = info.attempt + 1;
  const state = attempt >= policy.offline_after_attempts ? 'offline' : 'reconnecting';
  return {
    state,
    attempt,
    retry_at_ms: now_ms + backoffDelay_ms(attempt, random, policy),
    last_error: error,
    since_ms: state === info.state ? info.since_ms : now_ms,
  };
}

/** An attempt has started: nothing is scheduled any more; the state stays what the operator saw. */
export function connectionRetrying(info: ConnectionInfo): ConnectionInfo {
  return { ...info, retry_at_ms: null };
}
