import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Envelope, StatusPayload } from '../../../src-shared/protocol';
import { FakeGuardian } from '../testing/fake-guardian';
import { waitUntil } from '../testing/wait';
import { PeerClient, type PeerOptions } from '.';

const status = (i: number): StatusPayload => ({
  ea_state: 'IDLE', balance: 10_000 + i, equity: 10_000, margin_level: 0, spread_pips: 1, open_positions: 0, server_time: '2026.11.21 10:30:00',
});

let dir: string;
let guardian: FakeGuardian;
const clients: PeerClient[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sim-peer-'));
  guardian = await FakeGuardian.start({ dir: join(dir, 'guardian') });
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.stop();
  await guardian.stop();
  rmSync(dir, { recursive: true, force: true });
});

function client(extra: Partial<PeerOptions> = {}): PeerClient {
  const c = new PeerClient({
    role: 'EA', node_id: 'ea-1', dataDir: join(dir, 'ea'), heartbeat_ms: 50, resend_timeout_ms: 300, switchback_ms: 200,
    paths: { socket: guardian.socketAddress }, ...extra,
  });
  clients.push(c);
  c.start();
  return c;
}

describe('PeerClient on a TCP socket', () => {
  it('greets, sends in order, is acknowledged, measures RTT', async () => {
    const c = client();
    const seqs = await Promise.all(Array.from({ length: 50 }, (_, i) => c.send('STATUS', status(i))));
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    await c.whenIdle(3000);
    expect(guardian.received('ea-1').map((e) => e.header.seq)).toEqual(seqs);
    expect(guardian.received('ea-1')[0]!.header.message_id).toBe('ea-1-000000000001');
    expect(guardian.hellos[0]).toMatchObject({ node_id: 'ea-1', last_seq_received: 0, path: 'socket' });
    await waitUntil(() => (c.stats().paths[0]!.rtt_ms_p50 ?? -1) >= 0, 2000, 'an RTT sample');
    const s = c.stats();
    expect(s).toMatchObject({ active_path: 'socket', acked_seq: 50, unacked: 0, guardian_node_id: 'guardian-test' });
    expect(s.paths[0]).toMatchObject({ path: 'socket', up: true, sent: 50, acked: 50, resent: 0 });
  });

  it('store-before-send: a crash mid-stream loses nothing that send() resolved', async () => {
    guardian.loseAfter = 20; // 21.. reach Guardian but are lost there (never stored, never acknowledged)
    const c1 = client();
    const resolved: number[] = [];
    const sends: Promise<unknown>[] = [];
    let crashed = false;
    const producer = (async () => {
      for (let i = 0; i < 400 && !crashed; i++) {
        sends.push(c1.send('STATUS', status(i)).then((s) => resolved.push(s), () => {}));
        if (i % 5 === 4) await new Promise((r) => setImmediate(r)); // a few per group commit
      }
    })();
    await waitUntil(() => resolved.length >= 60, 3000, '60 stored');
    c1.faults.crash(); // sockets destroyed, the store closed under the group commit: no flush
    crashed = true;
    await producer;
    await Promise.all(sends);
    expect(resolved.length).toBeLessThan(sends.length); // some were still on their way to the disk
    expect(guardian.lastSeq('ea-1')).toBe(20);

    guardian.loseAfter = undefined;
    const c2 = client();
    await c2.whenIdle(5000);
    const got = guardian.received('ea-1').map((e) => e.header.seq);
    const stored = c2.stats().next_seq - 1;
    expect(stored).toBeGreaterThanOrEqual(Math.max(...resolved));
    expect(got).toEqual(Array.from({ length: stored }, (_, i) => i + 1)); // all of them, once, in order
    expect(guardian.hellos.at(-1)).toMatchObject({ node_id: 'ea-1' });
    // The message ids are the idempotency keys: stable across the resend.
    expect(guardian.received('ea-1')[30]!.header.message_id).toBe('ea-1-000000000031');
    const next = await c2.send('STATUS', status(999));
    expect(next).toBe(stored + 1); // the sequence survives the crash
  });

  it('delivers Guardian messages exactly once, in order, through duplicates and gaps', async () => {
    const delivered: Envelope[] = [];
    // Receipt, then hand-off: each new message is seen on arrival (before the EA's own store)
    // exactly once too, and never after its hand-off.
    const events: string[] = [];
    const c = client({
      onReceive: (e) => events.push(`receive ${e.header.seq}`),
      onMessage: (e) => {
        events.push(`deliver ${e.header.seq}`);
        delivered.push(e);
      },
    });
    await waitUntil(() => guardian.connectedPaths('ea-1').includes('socket'), 3000, 'the greeting');
    const cmd = (i: number) => ({ command: 'PING' as const, reason: `r${i}` });
    guardian.send('ea-1', 'COMMAND', cmd(1));
    guardian.send('ea-1', 'COMMAND', cmd(2));
    guardian.sendSeq('ea-1', 2, 'COMMAND', cmd(2)); // duplicate
    guardian.sendSeq('ea-1', 4, 'COMMAND', cmd(4)); // gap: 3 is missing
    guardian.sendSeq('ea-1', 1, 'COMMAND', cmd(1)); // old duplicate
    guardian.send('ea-1', 'COMMAND', cmd(3));
    guardian.send('ea-1', 'COMMAND', cmd(4));
    guardian.sendSeq('ea-1', 4, 'COMMAND', cmd(4));
    await waitUntil(() => guardian.peerAcked('ea-1') === 4, 3000, 'ACK 4');
    expect(delivered.map((e) => e.header.seq)).toEqual([1, 2, 3, 4]);
    expect(delivered.map((e) => (e.payload as { reason: string }).reason)).toEqual(['r1', 'r2', 'r3', 'r4']);
    for (const seq of [1, 2, 3, 4]) {
      expect(events.filter((x) => x === `receive ${seq}`)).toHaveLength(1);
      expect(events.indexOf(`receive ${seq}`)).toBeLessThan(events.indexOf(`deliver ${seq}`));
    }
    const s = c.stats();
    expect(s.duplicates_dropped).toBe(3);
    expect(s.gaps_dropped).toBe(1);
    expect(s.last_seq_received).toBe(4);
  });

  it('hands Guardian messages to an async iterator too', async () => {
    const c = client();
    const it = c.messages();
    await waitUntil(() => guardian.connectedPaths('ea-1').includes('socket'), 3000, 'the greeting');
    guardian.send('ea-1', 'PARAM', { name: 'risk', value: 1 });
    guardian.send('ea-1', 'PARAM', { name: 'risk', value: 2 });
    const got: unknown[] = [];
    for await (const m of it) {
      got.push((m.payload as { value: unknown }).value);
      if (got.length === 2) break;
    }
    expect(got).toEqual([1, 2]);
  });

  it('keeps both sequences across a restart', async () => {
    const c1 = client();
    await Promise.all([1, 2, 3].map((i) => c1.send('STATUS', status(i))));
    guardian.send('ea-1', 'COMMAND', { command: 'PING' });
    guardian.send('ea-1', 'COMMAND', { command: 'RESUME' });
    await c1.whenIdle(3000);
    await waitUntil(() => guardian.peerAcked('ea-1') === 2, 3000, 'ACK 2');
    await c1.stop();
    clients.splice(clients.indexOf(c1), 1);

    const again: Envelope[] = [];
    const c2 = client({ onMessage: (e) => again.push(e) });
    await waitUntil(() => guardian.hellos.length === 2, 3000, 'the second HELLO');
    expect(guardian.hellos[1]).toMatchObject({ last_seq_received: 2 }); // where Guardian resumes
    expect(await c2.send('STATUS', status(4))).toBe(4);
    guardian.send('ea-1', 'COMMAND', { command: 'FLATTEN' });
    await waitUntil(() => again.length === 1, 3000, 'the third command');
    expect(again[0]!.header.seq).toBe(3); // 1 and 2 are not handed over twice
    await c2.whenIdle(3000);
  });

  it('resends after a resend timeout when a frame was corrupted', async () => {
    // Each message is told on the wire once, at its first transmission, not at its resend.
    const wired: number[] = [];
    const c = client({ onWire: (seq, path) => wired.push(path === 'socket' ? seq : -seq) });
    await c.send('STATUS', status(0));
    await c.whenIdle(3000);
    c.faults.corruptNext(1);
    await Promise.all([1, 2, 3].map((i) => c.send('STATUS', status(i))));
    await c.whenIdle(4000);
    expect(guardian.badInput).toContainEqual({ reason: 'BAD_CHECKSUM', path: 'socket' });
    expect(guardian.received('ea-1').map((e) => e.header.seq)).toEqual([1, 2, 3, 4]);
    expect(c.stats().resend_timeouts).toBeGreaterThanOrEqual(1);
    expect(c.stats().guardian_errors.BAD_CHECKSUM).toBe(1);
    expect(c.stats().paths[0]!.resent).toBeGreaterThanOrEqual(1);
    expect(wired).toEqual([1, 2, 3, 4]);
  });
});
