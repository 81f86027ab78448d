// Every row of PROTOCOL.md section 7, answered as written, by a real Guardian on real sockets.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeFrame, encodeFramedMessage, messageId, type Envelope, type Header } from '../../src-shared/protocol';
import { configForTests, createGuardian, type Guardian, type GuardianConfig } from '.';
import { RawPeer, signalPayload, sleep, statusPayload } from './raw-peer.test-support';

const errors = (p: RawPeer) => p.got.filter((e) => e.header.message_type === 'ERROR').map((e) => e.payload as { reason: string; ref_message_id?: string; detail?: string });
const acks = (p: RawPeer) => p.got.filter((e) => e.header.message_type === 'ACK').map((e) => (e.payload as { ack_seq: number }).ack_seq);

describe('bad input: a clear error, nothing lost, no crash (PROTOCOL.md 7)', () => {
  let g: Guardian | undefined;
  const cleanup: (() => void)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0)) c();
    await g?.dispose();
    g = undefined;
  });
  async function start(tweak: (c: GuardianConfig) => void = () => {}, hmacKey?: string): Promise<Guardian> {
    const dir = mkdtempSync(join(tmpdir(), 'guardian-bad-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    g = await createGuardian(configForTests(tweak), { dataDir: dir, hmacKey });
    return g;
  }
  async function greeted(guardian: Guardian, id: string, role: 'EA' | 'SIGNAL', key?: string): Promise<RawPeer> {
    const p = await RawPeer.open(guardian.listening.socket!, id, role);
    p.hmacKey = key;
    cleanup.push(() => p.sock.destroy());
    p.hello(0, role === 'SIGNAL' ? 'primary' : undefined);
    await p.waitFor((e) => e.header.message_type === 'HELLO_ACK');
    return p;
  }

  it('bytes that are not UTF-8 JSON: ERROR BAD_JSON, the frame dropped, the connection kept', async () => {
    const guardian = await start();
    const p = await greeted(guardian, 'ea-1', 'EA');
    p.sock.write(encodeFrame(new TextEncoder().encode('this is not json {')));
    p.sock.write(encodeFrame(new Uint8Array([0xff, 0xfe, 0x7b])));
    await p.until(() => errors(p).length >= 2);
    expect(errors(p).map((e) => e.reason)).toEqual(['BAD_JSON', 'BAD_JSON']);
    p.send('STATUS', statusPayload);
    await p.until(() => acks(p).includes(1));
    expect(p.closed).toBe(false);
  });

  it('a checksum mismatch: ERROR BAD_CHECKSUM and no ACK, so the sender resends', async () => {
    const guardian = await start();
    const p = await greeted(guardian, 'ea-1', 'EA');
    const header: Header = { version: '1.2', timestamp: new Date().toISOString(), message_id: messageId('ea-1', 1), message_type: 'STATUS', source: 'EA', destination: 'GUARDIAN', stream: 'ea-1', seq: 1 };
    const frame = encodeFramedMessage(header, statusPayload);
    const bad = Uint8Array.from(frame);
    bad[40] = bad[40]! ^ 0x01; // a flipped bit inside the header
    p.sock.write(bad);
    await p.until(() => errors(p).length >= 1);
    expect(errors(p)[0]?.reason).toBe('BAD_CHECKSUM');
    await sleep(60);
    expect(acks(p)).toEqual([]);
    p.sock.write(frame); // the resend
    await p.until(() => acks(p).includes(1));
  });

  it('an HMAC mismatch: ERROR AUTH_FAILED, no ACK; three in a row close the connection and raise a security event', async () => {
    const guardian = await start(() => {}, 'the-right-key');
    const security: string[] = [];
    guardian.router.events.on((e) => e.type === 'security' && security.push(e.detail));
    const good = await greeted(guardian, 'ea-1', 'EA', 'the-right-key');
    good.send('STATUS', statusPayload);
    await good.until(() => acks(good).includes(1));
    const bad = await RawPeer.open(guardian.listening.socket!, 'ea-2', 'EA');
    cleanup.push(() => bad.sock.destroy());
    bad.hmacKey = 'a-wrong-key';
    for (let i = 0; i < 3; i++) bad.hello();
    await bad.until(() => bad.closed);
    expect(bad.closed).toBe(true);
    expect(security.length).toBe(1);
    const unsigned = await RawPeer.open(guardian.listening.socket!, 'ea-3', 'EA');
    cleanup.push(() => unsigned.sock.destroy());
    unsigned.hello(); // no auth trailer at all while a key is configured
    await sleep(100);
    expect(unsigned.got.some((e) => e.header.message_type === 'HELLO_ACK')).toBe(false);
  });

  it('valid JSON that breaks the schema: ERROR BAD_MESSAGE, ACKed, dead-lettered, and the stream goes on', async () => {
    const guardian = await start();
    const p = await greeted(guardian, 'sig-1', 'SIGNAL');
    p.send('SIGNAL', { signal_id: 's-1', action: 'BUY' }); // no symbol
    p.send('SIGNAL', signalPayload(2));
    await p.until(() => acks(p).includes(2));
    expect(errors(p).map((e) => e.reason)).toContain('BAD_MESSAGE');
    expect(errors(p).find((e) => e.reason === 'BAD_MESSAGE')?.ref_message_id).toBe(messageId('sig-1', 1));
    const dead = guardian.db.prepare('SELECT reason, message_id FROM dead_letters').all() as { reason: string; message_id: string }[];
    expect(dead).toEqual([{ reason: 'BAD_MESSAGE', message_id: messageId('sig-1', 1) }]);
  });

  it('an unknown message_type is BAD_MESSAGE too', async () => {
    const guardian = await start();
    const p = await greeted(guardian, 'ea-1', 'EA');
    p.send('NONSENSE' as never, {});
    await p.until(() => errors(p).length >= 1);
    expect(errors(p)[0]?.reason).toBe('BAD_MESSAGE');
  });

  it('HELLO with no common version: ERROR VERSION, closed', async () => {
    const guardian = await start();
    const p = await RawPeer.open(guardian.listening.socket!, 'ea-9', 'EA');
    cleanup.push(() => p.sock.destroy());
    p.send('HELLO', { role: 'EA', node_id: 'ea-9', versions: ['2.0'], last_seq_received: 0 });
    await p.until(() => p.closed && errors(p).length > 0);
    expect(errors(p)[0]?.reason).toBe('VERSION');
  });

  it('a length over 65536: ERROR FRAME_SIZE and the connection closed', async () => {
    const guardian = await start();
    const p = await greeted(guardian, 'ea-1', 'EA');
    const head = Buffer.alloc(4);
    head.writeUInt32LE(70_000, 0);
    p.sock.write(head);
    await p.until(() => p.closed);
    expect(errors(p).map((e) => e.reason)).toEqual(['FRAME_SIZE']);
  });

  it('a peer that stalls mid-frame longer than frame_timeout_ms is disconnected', async () => {
    const guardian = await start((c) => (c.protocol.frame_timeout_ms = 100));
    const p = await greeted(guardian, 'ea-1', 'EA');
    p.sock.write(Buffer.from([50, 0, 0, 0, 0x7b])); // 50 bytes announced, 1 sent
    await p.until(() => p.closed, 2000);
    const health = guardian.status().peers[0]!.paths.find((x) => x.path === 'socket')!;
    expect(health.bad_input.FRAME_TIMEOUT).toBe(1);
  });

  it('a peer silent for 3 heartbeat intervals: the path is marked down', async () => {
    const guardian = await start((c) => (c.protocol.heartbeat_ms = 40));
    const p = await greeted(guardian, 'ea-1', 'EA');
    p.send('HEARTBEAT', { ping_id: 'x' });
    await sleep(20);
    expect(guardian.status().peers[0]?.paths.find((x) => x.path === 'socket')?.up).toBe(true);
    await sleep(200); // the raw peer never answers Guardian's pings
    const status = guardian.status().peers[0]!;
    expect(status.paths.find((x) => x.path === 'socket')?.up).toBe(false);
    expect(status.active_path).toBe(null);
    expect(status.paths.find((x) => x.path === 'socket')!.drop_pct).toBeGreaterThan(0);
  });

  it('a SIGNAL that policy refuses: ACKed, kept with its reason, answered with ERROR and ref_message_id', async () => {
    const guardian = await start();
    guardian.router.signals.policy = (s) => (s.lots !== undefined && s.lots > 1 ? { action: 'refuse', reason: 'ORDER_SIZE_BLOCK', detail: `lots ${s.lots} > 1` } : undefined);
    const p = await greeted(guardian, 'sig-1', 'SIGNAL');
    p.send('SIGNAL', { ...signalPayload(1), lots: 5 });
    await p.until(() => acks(p).includes(1) && errors(p).length > 0);
    expect(errors(p)[0]).toMatchObject({ reason: 'ORDER_SIZE_BLOCK', ref_message_id: messageId('sig-1', 1) });
    const kept = guardian.db.prepare("SELECT reason, state FROM held_signals").all();
    expect(kept).toEqual([{ reason: 'ORDER_SIZE_BLOCK', state: 'refused' }]);
  });

  it('a held SIGNAL that expires unreleased: ERROR SIGNAL_EXPIRED with its ref_message_id', async () => {
    const guardian = await start((c) => (c.router.no_route_hold_s = 1));
    const p = await greeted(guardian, 'sig-1', 'SIGNAL');
    p.send('SIGNAL', signalPayload(1)); // no EA: held NO_ROUTE
    await p.until(() => acks(p).includes(1));
    await sleep(1100);
    guardian.router.prune();
    await p.until(() => errors(p).some((e) => e.reason === 'SIGNAL_EXPIRED'));
    expect(errors(p).find((e) => e.reason === 'SIGNAL_EXPIRED')?.ref_message_id).toBe(messageId('sig-1', 1));
  });

  it('counts every case per path and per peer', async () => {
    const guardian = await start();
    const p = await greeted(guardian, 'ea-1', 'EA');
    p.sock.write(encodeFrame(new TextEncoder().encode('nope')));
    p.sock.write(encodeFrame(new TextEncoder().encode('{"a":1}')));
    await p.until(() => errors(p).length >= 2);
    const socket = guardian.status().peers[0]!.paths.find((x) => x.path === 'socket')!;
    expect(socket.bad_input).toEqual({ BAD_JSON: 1, BAD_MESSAGE: 1 });
    expect(socket.last_error).toMatch(/^BAD_MESSAGE/);
  });
});

export type { Envelope };
