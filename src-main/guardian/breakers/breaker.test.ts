import { describe, expect, it } from 'vitest';
import { breakerTransition, canAttempt, initialBreaker, type BreakerChange, type BreakerEvent, type BreakerPolicy, type BreakerState } from './index';

const S = 1000;
const fail: BreakerEvent = { type: 'FAILURE', reason: 'NET_RETRY', code: 'ECONNREFUSED' };

/** Feeds timed events through the transition, collecting every change. */
function run(steps: Array<[at_s: number, event: BreakerEvent]>, start: BreakerState = initialBreaker(), policy?: BreakerPolicy) {
  let state = start;
  const changes: BreakerChange[] = [];
  for (const [at_s, event] of steps) {
    const [next, out] = breakerTransition(state, event, at_s * S, policy);
    state = next;
    changes.push(...out);
  }
  return { state, changes };
}
const failuresAt = (...at_s: number[]) => at_s.map((t): [number, BreakerEvent] => [t, fail]);

describe('the short trip: 3 failures within 60 s open for 60 s', () => {
  it('opens on failures at 0, 30 and 59.9 s', () => {
    const { state, changes } = run(failuresAt(0, 30, 59.9));
    expect(state.state).toBe('OPEN');
    expect(state.open_until_ms).toBe(119_900);
    expect(changes).toEqual([{
      type: 'BREAKER_CHANGED', from: 'CLOSED', to: 'OPEN', trip: 'short', reason: 'NET_RETRY', open_until_ms: 119_900,
      why: '3 failures within 60 s (last: ECONNREFUSED, NET_RETRY): open for 60 s (short)',
    }]);
  });

  it('does not open on failures at 0, 30 and 61 s', () => {
    const { state, changes } = run(failuresAt(0, 30, 61));
    expect(state.state).toBe('CLOSED');
    expect(changes).toEqual([]);
  });

  it('counts the window inclusively: failures exactly 60 s apart still open', () => {
    expect(run(failuresAt(0, 30, 60)).state.state).toBe('OPEN');
  });

  it('refuses calls while open, then allows exactly one trial when the open time has elapsed', () => {
    const { state } = run(failuresAt(0, 1, 2)); // open until 62 s
    expect(canAttempt(state, 61_999)).toBe(false);
    expect(canAttempt(state, 62_000)).toBe(true);
    const { state: half, changes } = run([[62, { type: 'TICK' }]], state);
    expect(half.state).toBe('HALF_OPEN');
    expect(changes[0]?.why).toBe('open time elapsed (short, 60 s): one trial allowed');
    const { state: trying } = run([[62, { type: 'TRIAL_START' }]], half);
    expect(canAttempt(trying, 62_001)).toBe(false);
  });

  it('closes on a successful trial', () => {
    const { state, changes } = run([...failuresAt(0, 1, 2), [62, { type: 'TRIAL_START' }], [62.5, { type: 'SUCCESS' }]]);
    expect(state.state).toBe('CLOSED');
    expect(changes.map((c) => `${c.from}->${c.to}`)).toEqual(['CLOSED->OPEN', 'OPEN->HALF_OPEN', 'HALF_OPEN->CLOSED']);
  });

  it('reopens for another 60 s on a failed trial', () => {
    const { state, changes } = run([...failuresAt(0, 1, 2), [62, { type: 'TRIAL_START' }], [63, fail]]);
    expect(state.state).toBe('OPEN');
    expect(state.open_until_ms).toBe(123_000);
    expect(changes.at(-1)?.why).toBe('half-open trial failed (ECONNREFUSED, NET_RETRY): open for 60 s (short)');
  });

  it('fails a trial that reports nothing within trial_timeout_s', () => {
    const { state, changes } = run([...failuresAt(0, 1, 2), [62, { type: 'TRIAL_START' }], [71.9, { type: 'TICK' }]]);
    expect(state.state).toBe('HALF_OPEN');
    const after = run([[72, { type: 'TICK' }]], state);
    expect(after.state.state).toBe('OPEN');
    expect(after.state.last_failure).toEqual({ reason: 'TIMEOUT_RETRY', code: 'TRIAL_TIMEOUT', at_ms: 72_000 });
    expect(changes.length + after.changes.length).toBe(3);
  });

  it('does not count failures seen while already open (the same outage)', () => {
    const { state } = run([...failuresAt(0, 1, 2), ...failuresAt(10, 20, 30, 40, 50)]);
    expect(state.failures_ms).toEqual([0, 1_000, 2_000]);
  });
});

describe('the long trip: 10 failures within 10 min open for 900 s', () => {
  it('opens for 900 s on 10 failures spread too thin for the short trip', () => {
    const times = Array.from({ length: 10 }, (_, i) => i * 31); // never 3 within 60 s
    const partial = run(failuresAt(...times.slice(0, 9)));
    expect(partial.state.state).toBe('CLOSED');
    const { state, changes } = run(failuresAt(279), partial.state);
    expect(state.state).toBe('OPEN');
    expect(state.trip).toEqual({ name: 'long', open_s: 900 });
    expect(state.open_until_ms).toBe(279_000 + 900_000);
    expect(changes[0]?.why).toMatch(/^10 failures within 600 s .*open for 900 s \(long\)$/);
  });

  it('keeps the 10-minute edge: 66 s apart trips, 67 s apart does not', () => {
    expect(run(failuresAt(...Array.from({ length: 10 }, (_, i) => i * 66))).state.state).toBe('OPEN');
    expect(run(failuresAt(...Array.from({ length: 10 }, (_, i) => i * 67))).state.state).toBe('CLOSED');
  });

  it('escalates a dependency that keeps failing its trials from 60 s to 900 s', () => {
    const steps: Array<[number, BreakerEvent]> = failuresAt(0, 1, 2);
    // Each short open ends, the trial fails: failures 4..10 at 62, 122, ... 422 s.
    for (let t = 62; t <= 422; t += 60) steps.push([t, { type: 'TRIAL_START' }], [t, fail]);
    const { state, changes } = run(steps);
    expect(state.trip?.name).toBe('long');
    expect(state.open_until_ms).toBe(422_000 + 900_000);
    expect(changes.filter((c) => c.to === 'OPEN').map((c) => c.trip)).toEqual(['short', 'short', 'short', 'short', 'short', 'short', 'short', 'long']);
  });

  it('reopens a long-tripped breaker for 900 s when its trial fails, though the old failures aged out', () => {
    const tripped = run(failuresAt(...Array.from({ length: 10 }, (_, i) => i * 31))).state; // open until 1179 s
    const { state } = run([[1179, { type: 'TRIAL_START' }], [1180, fail]], tripped);
    expect(state.failures_ms).toEqual([1_180_000]);
    expect(state.trip?.name).toBe('long');
    expect(state.open_until_ms).toBe(1_180_000 + 900_000);
  });
});

describe('halting reasons and the operator', () => {
  it('opens at once on AUTH_HALT and stays open until an operator clears it', () => {
    const { state, changes } = run([[5, { type: 'FAILURE', reason: 'AUTH_HALT', code: 'AUTH_FAILED' }], [100_000, { type: 'TICK' }]]);
    expect(state.state).toBe('OPEN');
    expect(state.open_until_ms).toBeNull();
    expect(state.halted).toEqual({ reason: 'AUTH_HALT', code: 'AUTH_FAILED' });
    expect(canAttempt(state, 10_000_000_000)).toBe(false);
    expect(changes).toHaveLength(1);
    expect(changes[0]?.why).toMatch(/^AUTH_FAILED, AUTH_HALT .*halted until an operator clears it$/);

    const cleared = run([[100_001, { type: 'OPERATOR_CLEAR', by: 'alice', reason: 'rotated the key' }]], state);
    expect(cleared.state).toMatchObject({ state: 'HALF_OPEN', halted: null, failures_ms: [] });
    expect(cleared.changes[0]?.why).toBe('cleared by alice: rotated the key; one trial allowed');
    expect(run([[100_002, { type: 'SUCCESS' }]], cleared.state).state.state).toBe('CLOSED');
  });

  it('halts a breaker that is already open, and a halted trial that fails halts again', () => {
    const open = run(failuresAt(0, 1, 2)).state;
    const halted = run([[3, { type: 'FAILURE', reason: 'DISK_FULL_HALT', code: 'ENOSPC' }]], open).state;
    expect(halted.open_until_ms).toBeNull();
    const retried = run([[4, { type: 'OPERATOR_CLEAR', by: 'bob', reason: 'freed space' }], [5, { type: 'FAILURE', reason: 'DISK_FULL_HALT' }]], halted);
    expect(retried.state).toMatchObject({ state: 'OPEN', open_until_ms: null });
  });

  it('ignores refusals and cancellations: they say nothing about the dependency', () => {
    const { state } = run([0, 1, 2, 3].map((t) => [t, { type: 'FAILURE', reason: t % 2 ? 'REJECTED' : 'CANCELLED' }]));
    expect(state).toEqual(initialBreaker());
  });
});

describe('configuration and state', () => {
  it('follows a configured policy', () => {
    const policy: BreakerPolicy = { trips: [{ name: 'hair', failures: 2, within_s: 5, open_s: 7 }], trial_timeout_s: 1 };
    const { state } = run(failuresAt(0, 5), initialBreaker(), policy);
    expect(state).toMatchObject({ state: 'OPEN', open_until_ms: 12_000, trip: { name: 'hair', open_s: 7 } });
  });

  it('is plain JSON and carries on after a round trip', () => {
    const { state } = run(failuresAt(0, 1));
    const revived = JSON.parse(JSON.stringify(state)) as BreakerState;
    expect(revived).toEqual(state);
    expect(run(failuresAt(2), revived).state.state).toBe('OPEN');
  });

  it('keeps a bounded history', () => {
    const times = Array.from({ length: 40 }, (_, i) => i * 70); // spaced so nothing trips
    expect(run(failuresAt(...times)).state.failures_ms.length).toBeLessThanOrEqual(10);
  });
});
