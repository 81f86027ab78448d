// The simulator against the real Guardian (not the fake): the two sides were written from
// PROTOCOL.md by different hands, so this is where a misreading of the page shows.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SignalPayload } from '../../src-shared/protocol';
import { configForTests, createGuardian, type Guardian } from '../guardian';
import { waitUntil } from './testing/wait';
import { parseHostPort } from './cli';
import { PeerClient, SimulatedEa, SimulatedSignalService, type PeerPaths } from '.';

let dir: string;
let guardian: Guardian;
const stoppers: { stop(): Promise<void> }[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sim-interop-'));
  guardian = await createGuardian(configForTests((c) => {
    c.paths.spool.enabled = true;
    c.paths.spool.stale_ms = 1000;
  }), { dataDir: join(dir, 'guardian'), hmacKey: 'interop-key' });
});
afterEach(async () => {
  for (const s of stoppers.splice(0).reverse()) await s.stop();
  await guardian.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function streamPaths(): PeerPaths {
  return { socket: parseHostPort(guardian.listening.socket!), pipe: { path: guardian.listening.pipe! } };
}

function startPair(eaPaths: PeerPaths): { ea: SimulatedEa; sig: SimulatedSignalService } {
  const common = { heartbeat_ms: 50, hmacKey: 'interop-key', resend_timeout_ms: 500, switchback_ms: 300 };
  const ea = new SimulatedEa({ ...common, node_id: 'ea-1', dataDir: join(dir, 'ea'), paths: eaPaths, reject_rate: 0, fill_ms: 1, status_ms: 200 });
  const sig = new SimulatedSignalService({ ...common, node_id: 'signal-primary', tier: 'primary', dataDir: join(dir, 'sig'), paths: streamPaths() });
  ea.start();
  sig.start();
  stoppers.push(ea, sig);
  return { ea, sig };
}

const ids = (s: SignalPayload[]) => s.map((x) => x.signal_id);

describe('the simulator with the real Guardian', () => {
  it('routes signals to the EA exactly once, through a socket failure', async () => {
    const { ea, sig } = startPair(streamPaths());
    await waitUntil(() => ea.client.stats().active_path === 'socket' && sig.client.stats().active_path === 'socket', 3000, 'both greeted');
    const first = await sig.emit(10);
    await waitUntil(() => ea.receivedSignals().length === 10, 3000, '10 signals at the EA');

    ea.faults.dropPath('socket', 1500);
    await waitUntil(() => ea.client.stats().active_path === 'pipe', 1000, 'the EA on its pipe');
    const second = await sig.emit(10);
    await waitUntil(() => ea.receivedSignals().length === 20, 4000, '20 signals at the EA');
    expect(ea.receivedSignals().map((r) => r.signal_id)).toEqual([...ids(first), ...ids(second)]);
    await ea.client.whenIdle(3000); // every STATUS and TRADE acknowledged by Guardian
    const status = guardian.status().peers.find((p) => p.node_id === 'ea-1')!;
    expect(status).toMatchObject({ role: 'EA', legacy: false });
    expect(ea.client.stats().guardian_errors).toEqual({});
  });

  it('bad input from the peer gets a clear ERROR; an oversize frame costs only a reconnect', async () => {
    const { ea } = startPair(streamPaths());
    await waitUntil(() => ea.client.stats().active_path === 'socket', 3000, 'greeted');
    ea.faults.sendGarbage('socket');
    await waitUntil(() => ea.client.stats().guardian_errors.BAD_JSON === 1, 2000, 'ERROR BAD_JSON');
    ea.faults.corruptNext(1);
    await waitUntil(() => ea.client.stats().guardian_errors.BAD_CHECKSUM === 1, 2000, 'ERROR BAD_CHECKSUM (the next STATUS)');
    // On a connected pipe: one still connecting would drop the frame unsent (seen on a loaded host).
    await waitUntil(() => ea.client.stats().paths.find((p) => p.path === 'pipe')!.connected, 3000, 'the pipe greeted');
    ea.faults.sendOversize('pipe');
    await waitUntil(() => ea.client.stats().guardian_errors.FRAME_SIZE === 1, 2000, 'ERROR FRAME_SIZE');
    await waitUntil(() => ea.client.stats().paths.find((p) => p.path === 'pipe')!.connects === 2, 3000, 'the pipe reconnected');
    await ea.client.whenIdle(3000); // the corrupted STATUS was resent and acknowledged
    expect(ea.client.stats().paths.find((p) => p.path === 'socket')!.connects).toBe(1); // garbage kept the link
  });

  it('works over the spool alone', async () => {
    const { ea, sig } = startPair({ spool: { dir: guardian.listening.spool!, poll_ms: 20, stale_ms: 1000 } });
    await waitUntil(() => ea.client.stats().active_path === 'spool', 3000, 'the EA greeted on the spool');
    await waitUntil(() => guardian.status().peers.some((p) => p.node_id === 'ea-1' && p.active_path === 'spool'), 3000, 'Guardian sees the EA on the spool');
    const sent = await sig.emit(5);
    await waitUntil(() => ea.receivedSignals().length === 5, 5000, '5 signals over the spool');
    expect(ea.receivedSignals().map((r) => r.signal_id)).toEqual(ids(sent));
    await ea.client.whenIdle(4000);
    // A corrupt line is refused (no ACK past it); the resend rewrites it under the same name.
    ea.faults.corruptNext(1);
    await waitUntil(() => ea.client.stats().resend_timeouts >= 1, 3000, 'a resend timeout');
    await ea.client.whenIdle(4000);
  });

  it('a legacy 1.0 peer is served best effort (by a Guardian without a key: 1.0 cannot sign)', async () => {
    const open = await createGuardian(configForTests(), { dataDir: join(dir, 'guardian-open'), env: {} });
    stoppers.unshift({ stop: () => open.dispose() });
    const legacy = new PeerClient({ role: 'EA', node_id: 'old-ea', dataDir: join(dir, 'old'), paths: { socket: parseHostPort(open.listening.socket!) }, legacy: true });
    legacy.start();
    stoppers.push(legacy);
    await waitUntil(() => legacy.stats().active_path === 'socket', 3000, 'connected');
    await legacy.send('STATUS', { ea_state: 'IDLE', balance: 1, equity: 1, margin_level: 0, spread_pips: 1, open_positions: 0, server_time: 'now' });
    await legacy.whenIdle(1000);
    await waitUntil(() => open.status().peers.some((p) => p.legacy), 3000, 'Guardian marks it legacy');
  });
});
