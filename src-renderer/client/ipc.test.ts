import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GuardianBridgeApi, StreamEvent } from '../../src-shared/contract';
import { FakeClient } from './fake';
import { IpcClient } from './ipc';

/** A preload bridge backed by a FakeClient, as src-main/preload would be backed by ipcMain. */
function bridge(fake: FakeClient, failing: { on: boolean }) {
  let listener: ((e: StreamEvent) => void) | null = null;
  const api: GuardianBridgeApi = {
    contract_version: '1.0',
    call: (name, request) => (failing.on ? Promise.reject(new Error('control plane restarting')) : fake.call(name, request)),
    subscribe: (l) => { listener = l; return () => { listener = null; }; },
  };
  return { api, push: (e: StreamEvent) => listener?.(e) };
}

describe('IpcClient', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('answers through the bridge and goes live on the first answer', async () => {
    const failing = { on: false };
    const b = bridge(new FakeClient({ scenario: 'degraded' }), failing);
    const c = new IpcClient(b.api, { random: () => 1 });
    c.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(c.getConnection().state).toBe('live');
    expect((await c.getStatus()).mode).toBe('DEGRADED.COMM');
    const seen: string[] = [];
    c.subscribe((e) => seen.push(e.type));
    b.push({ type: 'audit', entry: { id: 'A', ts: '', actor: 'x', control: 'resume', reason: 'abc', outcome: 'accepted' } });
    expect(seen).toEqual(['audit']);
  });

  it('marks the link down when a call fails and probes back with backoff', async () => {
    const failing = { on: true };
    const c = new IpcClient(bridge(new FakeClient(), failing).api, { random: () => 1 });
    c.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(c.getConnection()).toMatchObject({ state: 'reconnecting', attempt: 1, last_error: 'control plane restarting' });
    await vi.advanceTimersByTimeAsync(500);
    expect(c.getConnection()).toMatchObject({ state: 'reconnecting', attempt: 2 });
    failing.on = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect(c.getConnection().state).toBe('live');
    c.close();
  });
});
