// The C bridge (the library MT4 loads) as an EA against a real Guardian: HELLO, 1,000 messages
// each way with a cut path and a resend in the middle, nothing lost or doubled, in order; a
// frame with a bad CRC and a peer with the wrong HMAC key refused, by Guardian and by the library.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeMessage, encodeMessage, FrameDecoder, type Envelope } from '../../../src-shared/protocol';
import { configForTests, createGuardian, type Guardian } from '../index';
import type { RouterEvent } from '../router';
import { hostLibraryForTests } from './host-library.test-support';
import { GB_ERROR } from './koffi-api';
import { NativeLoopPeer, type LoopMessage } from './loop-peer';
import { loadNativeBridge, NativeBridgeError } from './native-bridge';

const host = hostLibraryForTests();
if ('skip' in host) console.log(`loop-peer.test: SKIPPED: ${host.skip}`);

const KEY = 'loop-peer-key';
const EA = 'ea-native';
const N = 1000;
const HALF = N / 2;

const status = (i: number) => ({ ea_state: 'ARMED', balance: i, equity: 1000, margin_level: 0, spread_pips: 0.8, open_positions: 0, server_time: '2026.11.22 10:00:00' });
const trade = (i: number) => ({ event: 'OPENED', ticket: i, symbol: 'EURUSD', side: 'BUY', lots: 0.1, price: 1.0845 });
/** The index an EA message carries (STATUS balance, TRADE ticket). */
const eaIndex = (e: Envelope) => Number((e.payload as { balance?: number; ticket?: number }).balance ?? (e.payload as { ticket: number }).ticket);
/** The index a Guardian message carries (SIGNAL id, COMMAND reason). */
const guardianIndex = (m: LoopMessage) => Number(String(m.payload.signal_id ?? m.payload.reason).slice(2));

describe.skipIf('skip' in host)('the C bridge as an EA against a real Guardian', () => {
  const bridge = loadNativeBridge({ path: 'path' in host ? host.path : '' });
  let dir = '';
  let guardian: Guardian;
  const events: RouterEvent[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'guardian-native-'));
    guardian = await createGuardian(configForTests((c) => {
      c.paths.spool.enabled = false;
      // Guardian shares this process with the test, and the suite loads the machine: a pause of
      // a few hundred ms must not read as a silent peer (the HELLO_ACK carries this interval).
      c.protocol.heartbeat_ms = 1000;
    }), { dataDir: join(dir, 'guardian'), hmacKey: KEY });
    guardian.router.events.on((e) => events.push(e));
  });
  afterAll(async () => {
    await guardian?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const socketAddress = () => {
    const [h, p] = guardian.listening.socket!.split(/:(?=\d+$)/) as [string, string];
    return { host: h, port: Number(p) };
  };
  const fromEa = () => events.flatMap((e) => (e.type === 'message' && e.peer === EA ? [e.envelope] : []));

  it(`greets, then carries ${N} messages each way across a cut path with nothing lost or doubled`, async () => {
    const peer = NativeLoopPeer.open(bridge, { node_id: EA, state_dir: join(dir, 'ea'), hmac_key: KEY, hello_extra: { account: '7001', symbols: ['EURUSD'] }, heartbeat_ms: 1000, silence_intervals: 5 });
    const got: LoopMessage[] = [];
    try {
      const { host: h, port } = socketAddress();
      await peer.connectSocket(h, port);
      expect(guardian.status().peers.find((p) => p.node_id === EA)?.active_path).toBe('socket');

      // First half both ways, with nothing read back: the ACKs and Guardian's messages are
      // still in flight when the path is cut.
      for (let i = 0; i < HALF; i++) expect(await peer.send(i % 2 ? 'STATUS' : 'TRADE', i % 2 ? status(i) : trade(i))).toBe(i + 1);
      for (let i = 0; i < HALF; i++) await guardian.router.send(EA, i % 2 ? 'COMMAND' : 'SIGNAL', i % 2 ? { command: 'PING', reason: `n-${i}` } : { signal_id: `s-${i}`, symbol: 'EURUSD', action: 'BUY', lots: 0.1 });
      await peer.disconnect();

      // Second half while cut: both sides store and wait.
      for (let i = HALF; i < N; i++) await peer.send(i % 2 ? 'STATUS' : 'TRADE', i % 2 ? status(i) : trade(i));
      for (let i = HALF; i < N; i++) await guardian.router.send(EA, i % 2 ? 'COMMAND' : 'SIGNAL', i % 2 ? { command: 'PING', reason: `n-${i}` } : { signal_id: `s-${i}`, symbol: 'EURUSD', action: 'BUY', lots: 0.1 });

      // Back on the other path: HELLO / HELLO_ACK tell each side where to resume.
      await peer.connectPipe(guardian.listening.pipe!);
      await peer.pumpUntil(async () => got.length >= N && fromEa().length >= N && (await peer.unacked()) === 0, {
        into: got, timeout_ms: 30_000, what: `both directions to complete (EA got ${got.length}, Guardian got ${fromEa().length})`,
      });
      await peer.pumpUntil(() => guardian.status().peers.find((p) => p.node_id === EA)?.unacked === 0, { into: got, what: "Guardian's outbox to drain" });

      // Guardian received every EA message once, in seq order.
      const received = fromEa();
      expect(received.map((e) => e.header.seq)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
      expect(received.map(eaIndex)).toEqual(Array.from({ length: N }, (_, i) => i));
      expect(new Set(received.map((e) => e.header.message_id)).size).toBe(N);
      // The EA received every Guardian message once, in order.
      expect(got.map((m) => m.seq)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
      expect(got.map(guardianIndex)).toEqual(Array.from({ length: N }, (_, i) => i));
      expect(got.map((m) => m.type)).toEqual(Array.from({ length: N }, (_, i) => (i % 2 ? 'COMMAND' : 'SIGNAL')));
      // The cut really lost frames in flight, and they were resent.
      const stats = await peer.stats();
      const guardianResent = events.filter((e) => e.type === 'resend' && e.peer === EA).reduce((n, e) => n + (e.type === 'resend' ? e.count : 0), 0);
      expect(guardianResent + stats.resent).toBeGreaterThan(0);
      // What was sent during the cut arrived over the other path.
      expect(new Set(events.flatMap((e) => (e.type === 'message' && e.peer === EA ? [e.path] : [])))).toEqual(new Set(['socket', 'pipe']));
      expect(guardian.status().store.dead_letters).toBe(0);
    } finally {
      await peer.close();
    }
  });

  it('refuses a peer whose HMAC key is wrong: the HELLO never gets through', async () => {
    const intruder = NativeLoopPeer.open(bridge, { node_id: 'ea-intruder', state_dir: join(dir, 'intruder'), hmac_key: 'not-the-key' });
    try {
      const { host: h, port } = socketAddress();
      const err = await intruder.connectSocket(h, port, 2000).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(NativeBridgeError);
      expect(guardian.status().peers.some((p) => p.node_id === 'ea-intruder')).toBe(false);
      expect(events.some((e) => e.type === 'bad_input' && e.reason === 'AUTH_FAILED')).toBe(true);
    } finally {
      await intruder.close();
    }
  });

  it('refuses a frame whose CRC is wrong (ERROR BAD_CHECKSUM, not delivered, no ACK), then takes the good copy', async () => {
    const calls = bridge.calls!;
    const hmac = (b: Uint8Array) => createHmac('sha256', KEY).update(b).digest('hex');
    const encode = (seq: number, type: string, payload: object): Buffer => {
      const out = Buffer.alloc(65537);
      const n = calls.encodeMessage('ea-crc', seq, type, 'EA', 'GUARDIAN', null, null, JSON.stringify(payload), KEY, out, out.length) as number;
      expect(n).toBeGreaterThan(0);
      return out.subarray(0, n);
    };
    const frame = (body: Buffer) => Buffer.concat([Buffer.from(Uint32Array.of(body.length).buffer), body]);
    const { host: h, port } = socketAddress();
    const sock = connect({ host: h, port });
    const replies: Envelope[] = [];
    const decoder = new FrameDecoder();
    sock.on('data', (d) => {
      for (const f of decoder.push(d).frames) {
        const r = decodeMessage(f, { hmac });
        if (r.ok) replies.push(r.envelope);
      }
    });
    const until = async (pred: () => boolean, what: string) => {
      for (let t = Date.now(); !pred(); await new Promise((r) => setTimeout(r, 10))) {
        if (Date.now() - t > 5000) throw new Error(`timed out waiting for ${what}; got ${replies.map((r) => r.header.message_type).join(',')}`);
      }
    };
    try {
      await new Promise<void>((r, j) => sock.once('connect', r).once('error', j));
      sock.write(frame(encode(0, 'HELLO', { role: 'EA', node_id: 'ea-crc', versions: ['1.2'], last_seq_received: 0 })));
      await until(() => replies.some((r) => r.header.message_type === 'HELLO_ACK'), 'HELLO_ACK');

      const good = encode(1, 'STATUS', status(1));
      const bad = Buffer.from(good);
      bad[bad.indexOf('"balance":1') + 10] = '7'.charCodeAt(0); // one digit changed, trailers kept
      sock.write(frame(bad));
      await until(() => replies.some((r) => r.header.message_type === 'ERROR'), 'the ERROR');
      const error = replies.find((r) => r.header.message_type === 'ERROR')!;
      expect((error.payload as { reason: string }).reason).toBe('BAD_CHECKSUM');
      await new Promise((r) => setTimeout(r, 100));
      expect(replies.some((r) => r.header.message_type === 'ACK')).toBe(false);
      expect(events.some((e) => e.type === 'message' && e.peer === 'ea-crc')).toBe(false);

      sock.write(frame(good)); // the sender's resend
      await until(() => replies.some((r) => r.header.message_type === 'ACK' && (r.payload as { ack_seq: number }).ack_seq === 1), 'ACK 1');
      expect(events.filter((e) => e.type === 'message' && e.peer === 'ea-crc')).toHaveLength(1);
    } finally {
      sock.destroy();
    }
  });

  it("the library refuses Guardian's envelopes with a bad CRC or the wrong key", () => {
    const calls = bridge.calls!;
    const hmac = (b: Uint8Array) => createHmac('sha256', KEY).update(b).digest('hex');
    const body = Buffer.from(encodeMessage({
      version: '1.2', timestamp: new Date().toISOString(), message_id: 'guardian-1-000000000001', message_type: 'SIGNAL',
      source: 'GUARDIAN', destination: 'EA', stream: 'guardian-1', seq: 1,
    }, { signal_id: 's-1', symbol: 'EURUSD', action: 'BUY', lots: 0.1 }, { hmac }));
    expect(calls.decodeCheck(body, body.length, KEY)).toBe(0);
    const tampered = Buffer.from(body);
    tampered[tampered.indexOf('EURUSD')] = 'G'.charCodeAt(0);
    expect(calls.decodeCheck(tampered, tampered.length, KEY)).toBe(GB_ERROR.BAD_CHECKSUM);
    expect(calls.decodeCheck(body, body.length, 'another-key')).toBe(GB_ERROR.AUTH_FAILED);
  });
});
