import { describe, expect, it } from 'vitest';
import { FakeClient } from '../client';
import { createGuardianStore } from '../store';
import { bindClient } from './sync';

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
});
