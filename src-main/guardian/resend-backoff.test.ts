// A receiver that is slow, not deaf: Guardian resends an unacknowledged window after
// resend_timeout_ms, then waits twice as long each time nothing moves (so a busy EA is not buried
// under copies of what it is still working through), and starts again from the base once an ACK
// moves the mark. Real sockets, the clock injected.
import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock';
import { signalPayload, sleep } from './raw-peer.test-support';
import { useTestGuardian } from './test-guardian.test-support';

const tg = useTestGuardian('guardian-backoff-');

describe('resend after silence', () => {
  it('waits 1, 2, 4 s between resends of an unacknowledged window, and 1 s again after an ACK', async () => {
    const clock = new ManualClock({ now_ms: 0, wall_ms: Date.UTC(2026, 0, 6, 9) });
    const g = await tg.start((c) => {
      c.paths.spool.enabled = false;
      c.api.enabled = false;
      c.protocol.heartbeat_ms = 250;
      c.router.resend_timeout_ms = 1000;
    }, { clock });
    const ea = await tg.greet(g.listening.socket!, 'ea-1', 'EA');
    const sig = await tg.greet(g.listening.socket!, 'sig-1', 'SIGNAL', 'primary');

    // The clock at each resend, as the router decides it (on its tick: no I/O timing in the figure).
    const resendsAt: number[] = [];
    g.router.events.on((e) => {
      if (e.type === 'resend' && e.peer === 'ea-1') resendsAt.push(clock.now_ms());
    });
    const copies = (seq: number) => ea.got.filter((e) => e.header.message_type === 'SIGNAL' && e.header.seq === seq).length;
    sig.send('SIGNAL', signalPayload(1));
    await ea.until(() => copies(1) === 1);
    const sentAt = clock.now_ms();
    // The EA stays alive (heartbeats) but never acknowledges: 9 s of pulses.
    for (let t = 0; t < 9000; t += 250) {
      ea.send('HEARTBEAT', {});
      sig.send('HEARTBEAT', {});
      clock.advance(250);
      await sleep(15);
    }
    const at = [sentAt, ...resendsAt];
    // Resends come on the 250 ms heartbeat tick just after each wait has passed.
    expect(at.slice(1).map((t, i) => t - at[i]!).slice(0, 3)).toEqual([1250, 2250, 4250]);
    await ea.until(() => copies(1) >= 4); // and the copies did reach the EA

    // An ACK moves the mark: the next unacknowledged message is resent after the base wait again.
    ea.send('ACK', { ack_seq: 1 });
    await sleep(20);
    sig.send('SIGNAL', signalPayload(2));
    await ea.until(() => ea.got.some((e) => e.header.message_type === 'SIGNAL' && e.header.seq === 2));
    const second = clock.now_ms();
    const before = resendsAt.length;
    for (let t = 0; t < 3000 && resendsAt.length === before; t += 250) {
      ea.send('HEARTBEAT', {});
      sig.send('HEARTBEAT', {});
      clock.advance(250);
      await sleep(15);
    }
    expect(resendsAt[before]! - second).toBe(1250);
  });
});
