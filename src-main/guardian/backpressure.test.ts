// An EA that is connected but slower than the signal services: Guardian still stores every signal,
// but holds back the services' ACKs while the EA is more than 4 windows behind, so their own
// windows fill and they pause. The outbox stays bounded; nothing is lost or sent twice. Real
// sockets, the clock injected (the links stay up while it stands still).
import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock';
import { signalPayload, sleep } from './raw-peer.test-support';
import { useTestGuardian } from './test-guardian.test-support';
import type { RouterEvent } from './router';

const tg = useTestGuardian('guardian-backpressure-');

const WINDOW = 4; // held above 16 behind, let go at 8

async function rig() {
  const clock = new ManualClock({ now_ms: 0, wall_ms: Date.UTC(2026, 0, 6, 9) });
  const g = await tg.start((c) => {
    c.paths.spool.enabled = false;
    c.api.enabled = false;
    c.router.window = WINDOW;
  }, { clock });
  const events: RouterEvent[] = [];
  g.router.events.on((e) => {
    if (e.type === 'backpressure') events.push(e);
  });
  const ea = await tg.greet(g.listening.socket!, 'ea-1', 'EA');
  const sig = await tg.greet(g.listening.socket!, 'sig-1', 'SIGNAL', 'primary');
  const acks = () => sig.got.filter((e) => e.header.message_type === 'ACK').map((e) => (e.payload as { ack_seq: number }).ack_seq);
  const lastAck = () => Math.max(0, ...acks());
  const signalSeqs = () => ea.got.filter((e) => e.header.message_type === 'SIGNAL').map((e) => e.header.seq);
  return { g, ea, sig, events, acks, lastAck, signalSeqs };
}

describe('backpressure from a slow EA', () => {
  it('stores every signal but holds the services\' ACKs while the EA is over 4 windows behind, and lets them go at 2', async () => {
    const { g, ea, sig, events, acks, lastAck, signalSeqs } = await rig();
    for (let i = 1; i <= 40; i++) sig.send('SIGNAL', signalPayload(i));
    const sigPeer = g.router.peers.get('sig-1')!;
    await sig.until(() => sigPeer.inbound.lastCommitted === 40);
    await ea.until(() => signalSeqs().length === WINDOW);
    await sleep(50);

    // All 40 stored, the EA has its window (4) and acknowledges none: 40 behind.
    expect(events).toEqual([expect.objectContaining({ type: 'backpressure', on: true, ea: 'ea-1' })]);
    expect(lastAck()).toBeLessThan(40);
    expect(g.status().intake_held_backlog).toBe(40);
    expect(signalSeqs()).toEqual([1, 2, 3, 4]);

    // A resend of what is stored is answered with the held mark, not past it.
    const heldMark = lastAck();
    sig.send('SIGNAL', signalPayload(40), 40);
    await sig.until(() => acks().length > 0 && acks().filter((a) => a === heldMark).length >= (heldMark === 0 ? 1 : 2));
    expect(lastAck()).toBe(heldMark);

    // The EA catches up to 10 behind: still held (hysteresis).
    for (let acked = 4; acked < 30; acked = Math.max(...signalSeqs())) {
      ea.send('ACK', { ack_seq: Math.max(...signalSeqs()) });
      await ea.until(() => Math.max(...signalSeqs()) > acked);
    }
    ea.send('ACK', { ack_seq: 30 });
    await ea.until(() => Math.max(...signalSeqs()) >= 34);
    await sleep(30);
    expect(lastAck()).toBe(heldMark);
    expect(g.status().intake_held_backlog).toBe(10);

    // 8 behind: the services hear that all 40 are stored.
    ea.send('ACK', { ack_seq: 32 });
    await sig.until(() => lastAck() === 40);
    expect(events.map((e) => e.type === 'backpressure' && e.on)).toEqual([true, false]);
    expect(g.status().intake_held_backlog).toBeNull();

    // Nothing was lost or sent twice on the way: the EA gets the rest once, in order.
    ea.send('ACK', { ack_seq: Math.max(...signalSeqs()) });
    await ea.until(() => signalSeqs().length === 40);
    expect(signalSeqs()).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('lets intake go when the EA that held it disconnects: Guardian then stores for it', async () => {
    const { g, ea, sig, events, lastAck } = await rig();
    for (let i = 1; i <= 30; i++) sig.send('SIGNAL', signalPayload(i));
    await sig.until(() => g.router.peers.get('sig-1')!.inbound.lastCommitted === 30);
    await sleep(30);
    expect(lastAck()).toBeLessThan(30);
    ea.sock.destroy();
    await sig.until(() => lastAck() === 30);
    expect(events.map((e) => e.type === 'backpressure' && e.on)).toEqual([true, false]);
    // More signals while the EA is away are stored and acknowledged at once.
    for (let i = 31; i <= 60; i++) sig.send('SIGNAL', signalPayload(i));
    await sig.until(() => lastAck() === 60);
    expect(g.router.peers.get('ea-1')!.outbound.unacked).toBe(60);
  });
});
