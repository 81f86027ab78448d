// Active/standby (issue 7), the fence in a running Guardian: two real Guardians on one database
// in one process. The first stops renewing (as if paused; its data plane keeps running), the
// second takes the lease; a signal that reaches the first one then is refused by the fencing
// token (no ACK, nothing stored) and the first one learns why; the sender's resend to the new
// active one stores it once. Deterministic where the SIGSTOP test can only show either path.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configForTests, createGuardian, Leadership, ManualClock, systemClock, type Guardian } from '../src-main/guardian';
import { RawPeer } from '../src-main/guardian/raw-peer.test-support';
import { until } from './support/peers';

const settings = { lease_ms: 300, renew_ms: 50, dead_holder_takeover: true };
const signal = (i: number) => ({ signal_id: `s-${i}`, symbol: 'EURUSD', action: 'BUY', lots: 0.1, price: 1.1, sl: 1.09, tp: 1.12 });
const acks = (p: RawPeer) => p.got.filter((e) => e.header.message_type === 'ACK').map((e) => (e.payload as { ack_seq: number }).ack_seq);

describe('the fencing token in a running Guardian', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  it('refuses the former leader\'s writes after a takeover: no ACK, nothing stored, and it hears why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guardian-fence-e2e-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'guardian.db');
    const config = configForTests((c) => {
      c.paths.pipe.enabled = false;
      c.paths.spool.enabled = false;
      c.api.enabled = false;
    });

    // A: its lease on a clock that never moves, so it never renews: "paused", while its data plane runs.
    const leaseA = new Leadership(file, settings, { clock: new ManualClock({ wall_ms: Date.now() }), holder: 'a' });
    cleanup.push(() => leaseA.dispose());
    expect(await leaseA.waitUntilActive()).toMatchObject({ token: 1 });
    const a: Guardian = await createGuardian(config, { dataDir: dir, leadership: leaseA });
    cleanup.push(() => a.dispose());
    const lostA: string[] = [];
    leaseA.onLost((why) => lostA.push(why));
    expect(a.status().leadership).toMatchObject({ role: 'active', token: 1, holder: 'a' });

    const toA = await RawPeer.open(a.listening.socket!, 'sig-1', 'SIGNAL');
    cleanup.push(() => void toA.sock.destroy());
    toA.hello(0, 'primary');
    await toA.waitFor((e) => e.header.message_type === 'HELLO_ACK');
    toA.send('SIGNAL', signal(1), 1);
    await toA.until(() => acks(toA).includes(1));

    // B: the standby takes the lease once A's has run out (A's process is this one: alive, so no shortcut).
    const leaseB = new Leadership(file, settings, { clock: systemClock, holder: 'b' });
    cleanup.push(() => leaseB.release());
    expect(await leaseB.waitUntilActive()).toMatchObject({ action: 'acquire', token: 2 });
    expect(leaseB.takeoverWhy).toContain('expired');
    const b: Guardian = await createGuardian(config, { dataDir: dir, leadership: leaseB });
    cleanup.push(() => b.dispose());
    // The takeover is an incident in the log, with whose lease ran out.
    expect(b.incidents.openIncidents().map((i) => i.title)).toContain('The standby Guardian took over (token 2)');

    // A still serves its connection, and tries to store the next signal: the fence refuses it.
    toA.send('SIGNAL', signal(2), 2);
    await until(() => lostA.length > 0, 5000, 'A to learn it lost the lease');
    expect(lostA[0]).toBe('a write was refused by the fencing token (this instance holds token 1): the lease is held by b (token 2)');
    expect(a.status().store.last_error).toContain('fenced: lease lost');
    await new Promise((r) => setTimeout(r, 200));
    expect(acks(toA)).not.toContain(2);
    const held = () => (b.db.prepare("SELECT message_id FROM held_signals WHERE origin_stream = 'sig-1' ORDER BY origin_seq").all() as { message_id: string }[]).length;
    expect(held()).toBe(1); // s-1 only (no EA: held for a route), stored by A while it was active

    // The sender goes to B: B resumes sig-1's stream from what A stored, and takes s-2 once.
    const toB = await RawPeer.open(b.listening.socket!, 'sig-1', 'SIGNAL');
    cleanup.push(() => void toB.sock.destroy());
    toB.hello(0, 'primary');
    const ack = await toB.waitFor((e) => e.header.message_type === 'HELLO_ACK');
    expect(ack.payload).toMatchObject({ last_seq_received: 1 });
    toB.send('SIGNAL', signal(2), 2);
    await toB.until(() => acks(toB).includes(2));
    expect(held()).toBe(2);
    expect(b.status().leadership).toMatchObject({ role: 'active', token: 2, holder: 'b', active_holder: 'b' });
    expect(b.integrity()).toBe('ok');
  });
});
