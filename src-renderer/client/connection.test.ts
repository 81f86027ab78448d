import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, backoffDelay_ms, connectionLost, connectionOpened, connectionRetrying, initialConnection } from './connection';

describe('backoff', () => {
  it('doubles from 500 ms up to the 15 s cap', () => {
    const top = () => 1;
    expect([1, 2, 3, 4, 5, 6, 7, 10].map((a) => backoffDelay_ms(a, top))).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000, 15000]);
  });

  it('jitters between half and all of the ceiling', () => {
    expect(backoffDelay_ms(3, () => 0)).toBe(1000);
    expect(backoffDelay_ms(3, () => 0.5)).toBe(1500);
  });
});

describe('connection state machine', () => {
  it('goes connecting -> live -> reconnecting -> offline -> live', () => {
    let c = initialConnection(0);
    expect(c.state).toBe('connecting');
    c = connectionOpened(c, 10);
    expect(c).toEqual({ state: 'live', attempt: 0, retry_at_ms: null, last_error: null, since_ms: 10 });
    c = connectionLost(c, 100, 'closed', () => 1);
    expect(c).toMatchObject({ state: 'reconnecting', attempt: 1, retry_at_ms: 600, last_error: 'closed', since_ms: 100 });
    c = connectionRetrying(c);
    expect(c.retry_at_ms).toBeNull();
    for (let i = 2; i <= DEFAULT_BACKOFF.offline_after_attempts; i++) c = connectionLost(c, 100 * i, 'refused', () => 1);
    expect(c).toMatchObject({ state: 'offline', attempt: 5, last_error: 'refused' });
    c = connectionOpened(c, 9999);
    expect(c).toMatchObject({ state: 'live', attempt: 0 });
  });

  it('keeps the time a state began while it lasts', () => {
    let c = connectionLost(connectionOpened(initialConnection(0), 0), 100, 'x', () => 1);
    c = connectionLost(c, 900, 'x', () => 1);
    expect(c.since_ms).toBe(100);
  });
});
