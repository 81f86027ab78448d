// One dependency's circuit breaker as a pure transition on the monotonic clock:
// breakerTransition(state, event, now_ms, policy) -> [state, changes].
//
// CLOSED --(a trip's failures within its window)--> OPEN for that trip's open time
// OPEN --(open time elapsed)--> HALF_OPEN: one trial
// HALF_OPEN --success--> CLOSED;  --failure--> OPEN again
// any --(a halting reason: AUTH_HALT ...)--> OPEN with no end, until OPERATOR_CLEAR -> HALF_OPEN
//
// The failure history survives a close: a dependency that fails, recovers for one trial and fails
// again keeps accumulating towards the long trip. That is how 10 failures in 10 minutes catches
// the flapping that the 60 s trip alone would let through forever.
import { DEFAULT_BREAKER_POLICY, type BreakerPolicy, type BreakerTrip } from './policy';
import { FAILURE_REASONS, type FailureReason } from './taxonomy';

export type BreakerPosition = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

/** Plain data, JSON-safe. Times are on the monotonic clock (ms). */
export interface BreakerState {
  state: BreakerPosition;
  /** Monotonic times of the latest counted failures, no older than the longest trip window. */
  failures_ms: number[];
  /** The trip that opened the breaker last (kept while HALF_OPEN, so a failed trial reopens as long). */
  trip: { name: string; open_s: number } | null;
  /** When an OPEN breaker may try again; null while OPEN means halted. */
  open_until_ms: number | null;
  halted: { reason: FailureReason; code: string | null } | null;
  /** When the half-open trial was taken; null when no trial is in flight. */
  trial_started_ms: number | null;
  last_failure: { reason: FailureReason; code: string | null; at_ms: number } | null;
}

export type BreakerEvent =
  | { type: 'SUCCESS' }
  | { type: 'FAILURE'; reason: FailureReason; code?: string | null }
  /** Time passing alone: OPEN -> HALF_OPEN when due, a hung trial fails. Every event does this first. */
  | { type: 'TICK' }
  /** The caller takes the one half-open trial. */
  | { type: 'TRIAL_START' }
  /** An operator says the cause is fixed (a halt, or an open breaker they will not wait for). */
  | { type: 'OPERATOR_CLEAR'; by: string; reason: string };

export interface BreakerChange {
  type: 'BREAKER_CHANGED';
  from: BreakerPosition;
  to: BreakerPosition;
  why: string;
  trip?: string;
  reason?: FailureReason;
  /** Set when the change opened the breaker: when it may try again, or null when halted. */
  open_until_ms?: number | null;
}

export function initialBreaker(): BreakerState {
  return { state: 'CLOSED', failures_ms: [], trip: null, open_until_ms: null, halted: null, trial_started_ms: null, last_failure: null };
}

const toMs = (s: number) => s * 1000;

function withFailure(failures_ms: readonly number[], now_ms: number, policy: BreakerPolicy): number[] {
  const horizon_ms = now_ms - toMs(Math.max(...policy.trips.map((t) => t.within_s)));
  // Only the latest N failures can decide a trip of N, so the history stays small in the JSON.
  const keep = Math.max(...policy.trips.map((t) => t.failures));
  return [...failures_ms.filter((t) => t >= horizon_ms), now_ms].slice(-keep);
}

/** The tripped trip with the longest open time, if any. */
function reachedTrip(failures_ms: readonly number[], now_ms: number, policy: BreakerPolicy): BreakerTrip | null {
  let best: BreakerTrip | null = null;
  for (const trip of policy.trips) {
    const within = failures_ms.filter((t) => t >= now_ms - toMs(trip.within_s)).length;
    if (within >= trip.failures && (!best || trip.open_s > best.open_s)) best = trip;
  }
  return best;
}

function shortestTrip(policy: BreakerPolicy): BreakerTrip {
  return policy.trips.reduce((a, b) => (b.open_s < a.open_s ? b : a));
}

function describeFailure(reason: FailureReason, code: string | null | undefined): string {
  return code && code !== reason ? `${code}, ${reason}` : reason;
}

function open(s: BreakerState, trip: { name: string; open_s: number }, now_ms: number, reason: FailureReason, why: string): [BreakerState, BreakerChange] {
  const open_until_ms = now_ms + toMs(trip.open_s);
  return [
    { ...s, state: 'OPEN', trip: { name: trip.name, open_s: trip.open_s }, open_until_ms, trial_started_ms: null },
    { type: 'BREAKER_CHANGED', from: s.state, to: 'OPEN', why: `${why}: open for ${trip.open_s} s (${trip.name})`, trip: trip.name, reason, open_until_ms },
  ];
}

function onFailure(s: BreakerState, reason: FailureReason, code: string | null, now_ms: number, policy: BreakerPolicy): [BreakerState, BreakerChange[]] {
  const info = FAILURE_REASONS[reason];
  if (!info.counts) return [s, []];
  const what = describeFailure(reason, code);
  let next: BreakerState = { ...s, last_failure: { reason, code, at_ms: now_ms } };
  if (info.halts) {
    if (s.halted) return [next, []];
    next = { ...next, state: 'OPEN', halted: { reason, code }, open_until_ms: null, trial_started_ms: null };
    return [next, [{
      type: 'BREAKER_CHANGED', from: s.state, to: 'OPEN', reason, open_until_ms: null,
      why: `${what} (${info.meaning}): halted until an operator clears it`,
    }]];
  }
  // An open breaker already acted; failures observed meanwhile (missed heartbeats) are the same outage.
  if (s.state === 'OPEN') return [next, []];
  next = { ...next, failures_ms: withFailure(s.failures_ms, now_ms, policy) };
  const reached = reachedTrip(next.failures_ms, now_ms, policy);
  if (s.state === 'HALF_OPEN') {
    // A failed trial confirms the diagnosis: reopen at least as long as the trip that opened it.
    const base = s.trip ?? shortestTrip(policy);
    const trip = reached && reached.open_s > base.open_s ? reached : base;
    const [opened, change] = open(next, trip, now_ms, reason, `half-open trial failed (${what})`);
    return [opened, [change]];
  }
  if (!reached) return [next, []];
  const count = next.failures_ms.filter((t) => t >= now_ms - toMs(reached.within_s)).length;
  const [opened, change] = open(next, reached, now_ms, reason, `${count} failures within ${reached.within_s} s (last: ${what})`);
  return [opened, [change]];
}

/** Applies the passage of time alone. */
function advance(s: BreakerState, now_ms: number, policy: BreakerPolicy): [BreakerState, BreakerChange[]] {
  if (s.state === 'OPEN' && s.open_until_ms !== null && now_ms >= s.open_until_ms) {
    const trip = s.trip ? ` (${s.trip.name}, ${s.trip.open_s} s)` : '';
    return [
      { ...s, state: 'HALF_OPEN', open_until_ms: null, trial_started_ms: null },
      [{ type: 'BREAKER_CHANGED', from: 'OPEN', to: 'HALF_OPEN', why: `open time elapsed${trip}: one trial allowed`, ...(s.trip ? { trip: s.trip.name } : {}) }],
    ];
  }
  if (s.state === 'HALF_OPEN' && s.trial_started_ms !== null && now_ms - s.trial_started_ms >= toMs(policy.trial_timeout_s)) {
    return onFailure(s, 'TIMEOUT_RETRY', 'TRIAL_TIMEOUT', now_ms, policy);
  }
  return [s, []];
}

export function breakerTransition(
  state: BreakerState,
  event: BreakerEvent,
  now_ms: number,
  policy: BreakerPolicy = DEFAULT_BREAKER_POLICY,
): [BreakerState, BreakerChange[]] {
  const [s, timed] = advance(state, now_ms, policy);
  const then = (next: BreakerState, changes: BreakerChange[] = []): [BreakerState, BreakerChange[]] => [next, [...timed, ...changes]];
  switch (event.type) {
    case 'TICK':
      return then(s);
    case 'TRIAL_START':
      return then(s.state === 'HALF_OPEN' && s.trial_started_ms === null ? { ...s, trial_started_ms: now_ms } : s);
    case 'SUCCESS':
      // Any success proves a half-open dependency; a late reply to an open one proves nothing yet.
      if (s.state !== 'HALF_OPEN') return then(s);
      return then(
        { ...s, state: 'CLOSED', trip: null, trial_started_ms: null },
        [{ type: 'BREAKER_CHANGED', from: 'HALF_OPEN', to: 'CLOSED', why: 'half-open trial succeeded' }],
      );
    case 'FAILURE': {
      const [next, changes] = onFailure(s, event.reason, event.code ?? null, now_ms, policy);
      return then(next, changes);
    }
    case 'OPERATOR_CLEAR':
      if (s.state !== 'OPEN') return then(s);
      // The fix is proved by one trial, not trusted; the history that led here is forgiven.
      return then(
        { ...s, state: 'HALF_OPEN', halted: null, open_until_ms: null, trial_started_ms: null, failures_ms: [] },
        [{ type: 'BREAKER_CHANGED', from: 'OPEN', to: 'HALF_OPEN', why: `cleared by ${event.by}: ${event.reason}; one trial allowed` }],
      );
  }
}

/** Whether a call may go out now (CLOSED, or HALF_OPEN with its trial not yet taken). A query. */
export function canAttempt(state: BreakerState, now_ms: number, policy: BreakerPolicy = DEFAULT_BREAKER_POLICY): boolean {
  const [s] = advance(state, now_ms, policy);
  return s.state === 'CLOSED' || (s.state === 'HALF_OPEN' && s.trial_started_ms === null);
}

/** Moves every monotonic time in a saved state by shift_ms (see clock.monotonicShift_ms). */
export function shiftBreaker(s: BreakerState, shift_ms: number): BreakerState {
  return {
    ...s,
    failures_ms: s.failures_ms.map((t) => t + shift_ms),
    open_until_ms: s.open_until_ms === null ? null : s.open_until_ms + shift_ms,
    trial_started_ms: s.trial_started_ms === null ? null : s.trial_started_ms + shift_ms,
    last_failure: s.last_failure && { ...s.last_failure, at_ms: s.last_failure.at_ms + shift_ms },
  };
}
