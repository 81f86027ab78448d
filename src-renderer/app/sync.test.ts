import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeClient } from '../client';
import { connectionOpened } from '../client/connection';
import { createGuardianStore } from '../store';
import { FIRST_SYNC_WAIT_MS, bindClient } from './sync';

/** A FakeClient whose stream opens only when told, counting the snapshot loads. */
class SlowStream extends FakeClient {
  loads = 0;
  override start(): void {}
  open(): void {
    this.setConnection(connectionOpened(this.getConnection(), Date.now()));
  }
  override getIncidents(limit?: number) {
    this.loads++;
    return super.getIncidents(limit);
  }
}

describe('bindClient', () => {
  it('loads the snapshots, then follows the stream', async () => {
    const client = new FakeClient({ scenario: 'degraded' });
    const store = createGuardianStore(client.getConnection());
    const unbind = bindClient(client, store);
    await new Promise((r) => setTimeout(r, 0));
    const s = store.getState();
    expect(s.connection.state).toBe('live');
    expect(s.status?.mode).toBe('DEGRADED.COMM');
    expect(s.incidents.order.length).toBe(41);
    expect(s.audit.length).toBeGreaterThan(0);
    expect(s.advice.length).toBe(3);
    expect(s.history.series.overall_score.length).toBeGreaterThan(3000);
    await client.control('hold_new_entries', { reason: 'desk call' });
    expect(store.getState().audit[0]!.control).toBe('hold_new_entries');
    expect(store.getState().status?.controls?.entries_held).toBe(true);
    unbind();
    client.tick();
    expect(store.getState().history_version).toBe(s.history_version + 1);
  });

  it('shows a dropped stream', async () => {
    const client = new FakeClient({ connection: 'reconnecting' });
    const store = createGuardianStore(client.getConnection());
    bindClient(client, store);
    expect(store.getState().connection).toMatchObject({ state: 'reconnecting', attempt: 1, last_error: 'connection refused' });
  });

  it('loads the snapshots once when the stream opens after start, not once more before it', async () => {
    const client = new SlowStream({ scenario: 'degraded' });
    const store = createGuardianStore(client.getConnection());
    bindClient(client, store);
    await new Promise((r) => setTimeout(r, 0));
    expect(client.loads).toBe(0);
    client.open();
    await new Promise((r) => setTimeout(r, 0));
    expect(client.loads).toBe(1);
    expect(store.getState().incidents.order.length).toBe(41);
  });

  it('loads the snapshots anyway when the stream does not open', async () => {
    vi.useFakeTimers();
    const client = new SlowStream({ scenario: 'degraded' });
    const store = createGuardianStore(client.getConnection());
    bindClient(client, store);
    await vi.advanceTimersByTimeAsync(FIRST_SYNC_WAIT_MS - 1);
    expect(client.loads).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(client.loads).toBe(1);
    expect(store.getState().status?.mode).toBe('DEGRADED.COMM');
  });
});

afterEach(() => {
  vi.useRealTimers();
});
