// Active/standby (issue 7): kill -9 of the active Guardian at random points of a stream, 20 times.
// The standby takes over on its own, the killed one comes back as the new standby, and nothing
// is lost or handed over twice, either way: signals to the EA and the EA's events to Guardian.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { PeerClient } from '../src-main/sim';
import { freePort, writeConfig } from './support/guardian-process';
import { haConfig, startHaGuardian, type HaProcess } from './support/guardian-pair';
import { eaPeer, exactlyOnceInOrder, prng, signalPeer, until, type Recorded, streamBoth } from './support/peers';

const TAKEOVERS = 20;
// The data plane alone: the pre-trade gate (issue 6) would rightly refuse a test stream of
// thousands of identical orders a minute, and the takeover is the data plane's to prove.
const DATA_PLANE = ['--data-plane-only'];
const SEED = Number(process.env.TAKEOVER_SEED ?? Date.now() % 1_000_000);

/** What the EA was handed, each stamped with when it arrived. */
class Arrivals extends Array<Recorded & { at: number }> {
  override push(...items: Recorded[]): number {
    return super.push(...items.map((r) => ({ ...r, at: performance.now() })));
  }
}

describe('active/standby: kill -9 of the active Guardian mid-stream', () => {
  const dir = mkdtempSync(join(tmpdir(), 'guardian-takeover-'));
  const peers: PeerClient[] = [];
  const running: HaProcess[] = [];
  afterAll(async () => {
    for (const p of peers) await p.stop();
    for (const g of running) await g.kill9();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`${TAKEOVERS} takeovers at random points: every signal and event exactly once, in order (seed ${SEED})`, async () => {
    const random = prng(SEED);
    const port = await freePort();
    const gdir = join(dir, 'guardian');
    // A kill -9 is seen at once (the holder's process is gone), so the lease can be generous: a
    // loaded machine then rarely stalls an active instance past it (which would be a takeover too).
    const config = writeConfig(dir, port, (y) => haConfig(y, 2000, 100));
    let active = await startHaGuardian(gdir, config, 'active', DATA_PLANE);
    let standby = await startHaGuardian(gdir, config, 'standby-or-active', DATA_PLANE);
    running.push(active, standby);
    const paths = { socket: { host: '127.0.0.1', port }, pipe: { path: join(gdir, 'guardian-bridge.sock') } };
    const atEa = new Arrivals();
    const ea = eaPeer(dir, paths, atEa, { hello_timeout_ms: 1000 });
    const sig = signalPeer(dir, paths, { hello_timeout_ms: 1000 });
    peers.push(ea, sig);
    ea.start();
    sig.start();

    const stream = streamBoth(sig, ea, { burst: 10, pause_ms: 5 }); // stored by the peers; Guardian may be dead or alive

    const integrity: string[] = [];
    const takeover_ms: number[] = [];
    const ready_ms: number[] = [];
    for (let k = 0; k < TAKEOVERS; k++) {
      await new Promise((r) => setTimeout(r, 100 + random() * 400));
      const killed_at = performance.now();
      await active.kill9();
      running.splice(running.indexOf(active), 1);
      const ready_at = await standby.active;
      await until(() => atEa.some((r) => r.at > ready_at), 20_000, `a delivery to the EA after takeover ${k + 1}`);
      takeover_ms.push(Math.round(atEa.find((r) => r.at > ready_at)!.at - killed_at));
      ready_ms.push(Math.round(ready_at - killed_at));
      const db = new Database(join(gdir, 'guardian.db'), { readonly: true });
      integrity.push(String(db.pragma('integrity_check', { simple: true })));
      db.close();
      // The killed one comes back as the new standby.
      active = standby;
      standby = await startHaGuardian(gdir, config, 'standby-or-active', DATA_PLANE);
      running.push(standby);
      expect(standby.output()).toMatch(/^guardian standby/m);
    }
    process.stdout.write(`takeover-kill9: takeover_ms (kill -9 -> the new active delivering to the EA): ${takeover_ms.join(', ')}\n`);
    process.stdout.write(`takeover-kill9: of which until the new active said ready: ${ready_ms.join(', ')}\n`);
    await stream.stop();
    const sent = stream.sent();
    await until(() => atEa.length >= sent, 60_000, `all ${sent} signals at the EA (have ${atEa.length})`);
    await ea.whenIdle(30_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(await active.stop()).toBe(0);
    running.splice(running.indexOf(active), 1);

    expect(integrity).toEqual(Array(TAKEOVERS).fill('ok'));
    expect(takeover_ms).toHaveLength(TAKEOVERS);
    expect(exactlyOnceInOrder(atEa.map((r) => r.id), sent)).toEqual([]);
    const db = new Database(join(gdir, 'guardian.db'), { readonly: true });
    const rows = db.prepare("SELECT seq, payload FROM inbox WHERE stream = 'ea-1' AND message_type = 'TRADE' ORDER BY seq").all() as { seq: number; payload: string }[];
    const tokens = (db.prepare('SELECT token FROM ha_takeovers ORDER BY token').all() as { token: number }[]).map((r) => r.token);
    expect(String(db.pragma('integrity_check', { simple: true }))).toBe('ok');
    db.close();
    const tickets = rows.map((r) => (JSON.parse(r.payload) as { ticket: number }).ticket);
    expect(exactlyOnceInOrder(tickets, sent)).toEqual([]);
    // Each acquisition with the next token: one per kill, and one more for any active instance the
    // machine stalled past its lease (it stepped down; nothing above was lost or doubled for it).
    expect(tokens).toEqual(Array.from({ length: tokens.length }, (_, i) => i + 1));
    expect(tokens.length).toBeGreaterThanOrEqual(TAKEOVERS + 1);
    if (tokens.length > TAKEOVERS + 1) process.stdout.write(`takeover-kill9: ${tokens.length - TAKEOVERS - 1} takeover(s) of a stalled, not killed, active instance\n`);
    expect(sent).toBeGreaterThan(TAKEOVERS * 10);
  }, 240_000);
});
