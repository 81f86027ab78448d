// Issue 2's central promise: 10,000 signals from a signal service to the EA, and 10,000 events
// from the EA to Guardian, while the socket path is cut and restored 10 times: every message
// handed over exactly once, in order.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configForTests, createGuardian, type Guardian } from '../src-main/guardian';
import type { PeerClient } from '../src-main/sim';
import type { TradePayload } from '../src-shared/protocol';
import { exactlyOnceInOrder, signalNo, startPeerPair, tradeNo, until } from './support/peers';

const N = 10_000;
const CUTS = 10;

describe('no signal lost or handed over twice while the socket path flaps', () => {
  let guardian: Guardian | undefined;
  const peers: PeerClient[] = [];
  let dir = '';
  afterEach(async () => {
    for (const p of peers.splice(0)) await p.stop();
    await guardian?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`${N} signals to the EA and ${N} events back, through ${CUTS} socket cuts`, async () => {
    dir = mkdtempSync(join(tmpdir(), 'guardian-noloss-'));
    guardian = await createGuardian(configForTests((c) => {
      c.paths.spool.enabled = false;
      c.protocol.heartbeat_ms = 50;
      c.router.switchback_healthy_ms = 200;
      c.router.resend_timeout_ms = 400;
    }), { dataDir: join(dir, 'guardian') });
    const [host, port] = guardian.listening.socket!.split(':');
    const paths = { socket: { host: host!, port: Number(port) }, pipe: { path: guardian.listening.pipe! } };
    const atGuardian: number[] = [];
    const switches: string[] = [];
    guardian.router.events.on((e) => {
      if (e.type === 'message' && e.envelope.header.message_type === 'TRADE') atGuardian.push((e.envelope.payload as TradePayload).ticket);
      if (e.type === 'path_switch') switches.push(`${e.peer}: ${e.from} -> ${e.to} (${e.reason})`);
    });
    const { ea, sig, atEa } = startPeerPair(dir, paths, peers);
    await until(() => ea.stats().active_path === 'socket' && sig.stats().active_path === 'socket', 5000, 'both peers on the socket');

    let cutsDone = 0;
    const cutter = (async () => {
      for (let i = 0; i < CUTS; i++) {
        await new Promise((r) => setTimeout(r, 150));
        ea.faults.dropPath('socket', 120);
        sig.faults.dropPath('socket', 120);
        await until(() => ea.stats().active_path === 'socket' && sig.stats().active_path === 'socket', 10_000, `the socket back after cut ${i + 1}`);
        cutsDone++;
      }
    })();
    // Both directions at once, in bursts, so that messages are in flight at every cut.
    // Paced so that the stream outlasts the cuts: every cut lands with messages in flight.
    let cutsWhileStreaming = 0;
    for (let i = 1; i <= N; i += 100) {
      if (i > N - 100) cutsWhileStreaming = cutsDone;
      const burst: Promise<number>[] = [];
      for (let k = i; k < i + 100; k++) {
        burst.push(sig.send('SIGNAL', signalNo(k)));
        burst.push(ea.send('TRADE', tradeNo(k)));
      }
      await Promise.all(burst);
      await new Promise((r) => setTimeout(r, cutsDone < CUTS ? 40 : 1));
    }
    await cutter;
    await until(() => atEa.length >= N && atGuardian.length >= N, 30_000, 'every message delivered');
    await new Promise((r) => setTimeout(r, 200)); // room for a late duplicate to show itself

    expect(exactlyOnceInOrder(atEa.map((r) => r.id), N)).toEqual([]);
    expect(exactlyOnceInOrder(atGuardian, N)).toEqual([]);
    expect(atEa.filter((r) => r.path === 'pipe').length).toBeGreaterThan(0); // the fallback really carried traffic
    expect(switches.filter((s) => s.includes('socket -> pipe')).length).toBeGreaterThanOrEqual(CUTS);
    expect(cutsWhileStreaming).toBe(CUTS);
    expect(guardian.integrity()).toBe('ok');
  });
});
