import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StatusPayload } from '../../../src-shared/protocol';
import { FakeGuardian } from '../testing/fake-guardian';
import { waitUntil } from '../testing/wait';
import { PeerClient, type PeerOptions } from '.';

const status = (i: number): StatusPayload => ({
  ea_state: 'IDLE', balance: i, equity: i, margin_level: 0, spread_pips: 1, open_positions: 0, server_time: '2026.11.21 10:30:00',
});

let dir: string;
let guardian: FakeGuardian;
let c: PeerClient | undefined;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sim-failover-'));
  guardian = await FakeGuardian.start({ dir: join(dir, 'guardian'), heartbeat_ms: 50 });
});
afterEach(async () => {
  await c?.stop();
  c = undefined;
  await guardian.stop();
  rmSync(dir, { recursive: true, force: true });
});

function start(extra: Partial<PeerOptions> = {}): PeerClient {
  c = new PeerClient({
    role: 'EA', node_id: 'ea-1', dataDir: join(dir, 'ea'), heartbeat_ms: 50, resend_timeout_ms: 2000, switchback_ms: 200,
    paths: { socket: guardian.socketAddress, pipe: { path: guardian.pipePath } }, ...extra,
  });
  c.start();
  return c;
}

/** Both greeted on both sides, and the socket (the first choice) carrying data. */
const bothConnected = () =>
  guardian.connectedPaths('ea-1').length === 2 && !!c && c.stats().paths.every((p) => p.up) && c.stats().active_path === 'socket';

describe('failover between socket and pipe', () => {
  it('moves unacknowledged messages to the pipe at once when the socket is dropped', async () => {
    const client = start();
    await waitUntil(bothConnected, 3000, 'socket and pipe greeted');
    guardian.holdAcks = true;
    await Promise.all(Array.from({ length: 20 }, (_, i) => client.send('STATUS', status(i))));
    await waitUntil(() => guardian.lastSeq('ea-1') === 20, 3000, '20 stored, unacknowledged');
    expect(client.stats().unacked).toBe(20);

    const t0 = performance.now();
    client.faults.dropPath('socket', 1000);
    await waitUntil(() => client.stats().active_path === 'pipe', 1000, 'the pipe to take over');
    expect(performance.now() - t0).toBeLessThan(250); // at once, not after a resend timeout
    await client.whenIdle(2000); // the resent copies are duplicates to Guardian: acknowledged again
    const onPipe = guardian.arrivals.filter((a) => a.path === 'pipe').map((a) => a.seq);
    expect(onPipe).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const pipe = client.stats().paths.find((p) => p.path === 'pipe')!;
    expect(pipe).toMatchObject({ active: true, resent: 20 });
    expect(client.stats().failovers).toBe(1);
    expect(client.stats().resend_timeouts).toBe(0);
    expect(guardian.received('ea-1')).toHaveLength(20); // handed over once

    // After the refusal window the socket comes back and, once steady, takes the traffic back.
    await waitUntil(() => client.stats().active_path === 'socket', 3000, 'the switch back');
    guardian.holdAcks = false;
    await client.send('STATUS', status(21));
    await client.whenIdle(2000);
    expect(guardian.arrivals.at(-1)).toMatchObject({ seq: 21, path: 'socket', verdict: 'stored' });
  });

  it('resends what Guardian lost on the pipe when Guardian closes the socket', async () => {
    const client = start();
    await waitUntil(bothConnected, 3000, 'socket and pipe greeted');
    guardian.loseAfter = 5;
    await Promise.all(Array.from({ length: 10 }, (_, i) => client.send('STATUS', status(i))));
    await waitUntil(() => guardian.arrivals.length === 10, 3000, '10 arrivals');
    guardian.loseAfter = undefined;
    guardian.dropConnections('socket');
    await client.whenIdle(3000);
    expect(guardian.received('ea-1').map((e) => e.header.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const stored = guardian.arrivals.filter((a) => a.verdict === 'stored');
    expect(stored.slice(5).every((a) => a.path === 'pipe')).toBe(true);
  });

  it('stalls a path without closing it: the peer fails over on silence', async () => {
    const client = start();
    await waitUntil(bothConnected, 3000, 'socket and pipe greeted');
    client.faults.stallPath('socket', 800);
    await waitUntil(() => client.stats().active_path === 'pipe', 1000, 'failover on silence');
    expect(guardian.connectedPaths('ea-1')).toContain('socket'); // still open
    await client.send('STATUS', status(1));
    await client.whenIdle(2000);
    expect(guardian.arrivals[0]).toMatchObject({ seq: 1, path: 'pipe' });
    await waitUntil(() => client.stats().active_path === 'socket', 3000, 'the socket back after the stall');
  });

  it('dual-write sends each message on both paths; Guardian keeps one', async () => {
    const client = start({ dualWrite: true });
    await waitUntil(bothConnected, 3000, 'socket and pipe greeted');
    await Promise.all([1, 2, 3].map((i) => client.send('STATUS', status(i))));
    await client.whenIdle(2000);
    await waitUntil(() => guardian.arrivals.length === 6, 2000, 'six copies');
    expect(guardian.received('ea-1')).toHaveLength(3);
    expect(new Set(guardian.arrivals.map((a) => a.path))).toEqual(new Set(['socket', 'pipe']));
  });
});
