// Active/standby (issue 7): the active Guardian is paused (SIGSTOP) past its lease. The standby
// takes over (serving on the pipe while the paused one still holds the TCP port); then the old
// one resumes (SIGCONT): the fencing token refuses its writes, it steps down saying why, and
// nothing is lost or handed over twice.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { PeerClient } from '../src-main/sim';
import { RawPeer } from '../src-main/guardian/raw-peer.test-support';
import { freePort, writeConfig } from './support/guardian-process';
import { haConfig, startHaGuardian, type HaProcess } from './support/guardian-pair';
import { eaPeer, exactlyOnceInOrder, signalPeer, until, type Recorded, streamBoth } from './support/peers';

const LEASE_MS = 1000;
// The data plane alone: the pre-trade gate (issue 6) would rightly refuse a test stream of
// thousands of identical orders a minute, and the takeover is the data plane's to prove.
const DATA_PLANE = ['--data-plane-only'];

describe('active/standby: the active Guardian paused past its lease', () => {
  const dir = mkdtempSync(join(tmpdir(), 'guardian-sigstop-'));
  const peers: PeerClient[] = [];
  const running: HaProcess[] = [];
  afterAll(async () => {
    for (const g of running) g.signal('SIGCONT');
    for (const p of peers) await p.stop();
    for (const g of running) await g.kill9();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the standby takes over; the resumed former leader is fenced, steps down, and nothing is lost or doubled', async () => {
    const port = await freePort();
    const gdir = join(dir, 'guardian');
    const config = writeConfig(dir, port, (y) => haConfig(y, LEASE_MS));
    const old = await startHaGuardian(gdir, config, 'active', DATA_PLANE);
    const standby = await startHaGuardian(gdir, config, 'standby-or-active', DATA_PLANE);
    running.push(old, standby);
    expect(standby.output()).toMatch(/^guardian standby .*waiting for the lease; active: .*\(token 1\)/m);
    const paths = { socket: { host: '127.0.0.1', port }, pipe: { path: join(gdir, 'guardian-bridge.sock') } };
    const atEa: Recorded[] = [];
    // A connection to the paused process's port is taken by its kernel and never greeted: give up on it soon.
    const ea = eaPeer(dir, paths, atEa, { hello_timeout_ms: 1000 });
    const sig = signalPeer(dir, paths, { hello_timeout_ms: 1000 });
    peers.push(ea, sig);
    ea.start();
    sig.start();

    const stream = streamBoth(sig, ea, { burst: 10, pause_ms: 10 }); // stored by the peers; Guardian may be dead or alive
    await until(() => atEa.length >= 100, 20_000, 'the stream flowing through the first active instance');
    // A probe greeted by the first active instance: it will send a signal to it while it is paused.
    const probe = await RawPeer.open(`127.0.0.1:${port}`, 'probe-sig', 'SIGNAL');
    probe.hello(0, 'primary');
    await probe.waitFor((e) => e.header.message_type === 'HELLO_ACK', 10_000);

    // Pause it. A pause that lands inside a write transaction keeps SQLite's write lock, and nobody
    // can take the lease until it resumes (the lease is in the same database; see the README). Under
    // a full stream the group commit holds that lock much of the time, so the senders hold back for
    // a moment around the pause; they go on at once, into the pause. If it still landed in a write, try again.
    let tookOver = false;
    for (let attempt = 1; attempt <= 3 && !tookOver; attempt++) {
      stream.hold(true);
      await new Promise((r) => setTimeout(r, 100));
      old.signal('SIGSTOP');
      stream.hold(false);
      tookOver = await Promise.race([standby.active.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), LEASE_MS * 4))]);
      if (!tookOver) {
        process.stdout.write(`takeover-sigstop: no takeover within ${LEASE_MS * 4} ms of pause ${attempt} (paused inside a write?); resuming and pausing again\n`);
        old.signal('SIGCONT');
        await new Promise((r) => setTimeout(r, 300));
      }
    }
    expect(tookOver).toBe(true);
    expect(standby.output()).toMatch(/guardian: active with fencing token 2 .*expired/);
    // The new active one delivers while the old one is still paused (on the pipe: the port is the old one's).
    const before = atEa.length;
    await until(() => atEa.length >= before + 100, 20_000, 'deliveries by the new active instance while the old one is paused');

    // Waiting in the paused one's socket: on waking, it reads this before its renewal timer runs,
    // and tries to store it. The fence must refuse that write: no ACK, nothing stored, never delivered.
    probe.send('SIGNAL', { signal_id: 's-999999', symbol: 'EURUSD', action: 'BUY', lots: 0.01, price: 1.1, sl: 1.09, tp: 1.12 }, 1);
    old.signal('SIGCONT');
    const code = await Promise.race([old.exited, new Promise<string>((r) => setTimeout(() => r('still running'), 15_000))]);
    running.splice(running.indexOf(old), 1);
    expect(code).toBe(3);
    expect(old.output()).toMatch(/guardian: stepping down: .*(lease was taken by|refused by the fencing token).*token 2/);
    expect(probe.got.filter((e) => e.header.message_type === 'ACK' && (e.payload as { ack_seq: number }).ack_seq >= 1)).toEqual([]);
    probe.sock.destroy();
    const how = /stepping down: ([^.]*)/.exec(old.output())?.[1];
    process.stdout.write(`takeover-sigstop: the resumed former leader: ${how}\n`);
    // The port is free again: the new active one binds it and the peers may go back to the socket.
    const out = standby.output();
    await until(() => !/the socket path .* is still held/.test(out) || /the socket path is bound now/.test(standby.output()), 10_000, 'the new active instance binding the socket');

    await stream.stop();
    const sent = stream.sent();
    await until(() => atEa.length >= sent, 60_000, `all ${sent} signals at the EA (have ${atEa.length})`);
    await ea.whenIdle(30_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(await standby.stop()).toBe(0);
    running.splice(running.indexOf(standby), 1);

    expect(exactlyOnceInOrder(atEa.map((r) => r.id), sent)).toEqual([]);
    expect(atEa.filter((r) => r.id === 999_999)).toEqual([]); // the probe's signal, sent to the fenced one
    const db = new Database(join(gdir, 'guardian.db'), { readonly: true });
    expect(String(db.pragma('integrity_check', { simple: true }))).toBe('ok');
    const rows = db.prepare("SELECT payload FROM inbox WHERE stream = 'ea-1' AND message_type = 'TRADE' ORDER BY seq").all() as { payload: string }[];
    const lease = db.prepare('SELECT token, pid, renewed_ms = expires_ms AS released FROM ha_lease').get();
    const probeStored = db.prepare("SELECT (SELECT COUNT(*) FROM streams_in WHERE stream = 'probe-sig' AND last_seq > 0) + (SELECT COUNT(*) FROM outbox WHERE origin_stream = 'probe-sig') AS n").get();
    db.close();
    expect(exactlyOnceInOrder(rows.map((r) => (JSON.parse(r.payload) as { ticket: number }).ticket), sent)).toEqual([]);
    expect(probeStored).toEqual({ n: 0 });
    // The lease stayed with the new active one (token 2), released when it stopped.
    expect(lease).toEqual({ token: 2, pid: standby.pid, released: 1 });
  }, 120_000);
});
