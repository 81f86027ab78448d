// kill -9 of the Guardian process at random points of a stream, 20 times, restarted on the same
// data dir: nothing lost, nothing handed over twice, and the database intact every time.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { PeerClient } from '../src-main/sim';
import { freePort, startGuardianProcess, writeConfig, type GuardianProcess } from './support/guardian-process';
import { exactlyOnceInOrder, prng, startPeerPair, streamBoth, until } from './support/peers';

const KILLS = 20;
const SEED = Number(process.env.KILL9_SEED ?? Date.now() % 1_000_000);
// The data plane's promise, without the control plane's policy: 20 kills in a 4,000 msg/s stream on
// a loaded machine read (rightly) as broken paths and an overloaded host, and DEGRADED.EXEC then
// answers new entries SIGNAL_EXPIRED instead of delivering them (seen: 92,601 of 136,880 under a
// parallel load). That policy has its own tests; this one proves storage and hand-off.
const DATA_PLANE_ONLY = ['--data-plane-only'];

describe('kill -9 of Guardian mid-stream', () => {
  const dir = mkdtempSync(join(tmpdir(), 'guardian-kill9-'));
  const peers: PeerClient[] = [];
  let guardian: GuardianProcess | undefined;
  afterAll(async () => {
    for (const p of peers) await p.stop();
    await guardian?.kill9();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`${KILLS} kills at random points: every signal and event exactly once, in order (seed ${SEED})`, async () => {
    const random = prng(SEED);
    const port = await freePort();
    const gdir = join(dir, 'guardian');
    const config = writeConfig(dir, port, (y) => y
      .replace('heartbeat_ms: 250', 'heartbeat_ms: 50')
      .replace('switchback_healthy_ms: 1000', 'switchback_healthy_ms: 200')
      .replace('resend_timeout_ms: 1000', 'resend_timeout_ms: 400'));
    guardian = await startGuardianProcess(gdir, config, DATA_PLANE_ONLY);
    const paths = { socket: guardian.socket, pipe: { path: guardian.pipe } };
    const { ea, sig, atEa } = startPeerPair(dir, paths, peers);

    const stream = streamBoth(sig, ea, { burst: 20, pause_ms: 5 }); // stored by the peers; Guardian may be dead or alive

    const integrity: string[] = [];
    for (let k = 0; k < KILLS; k++) {
      await new Promise((r) => setTimeout(r, 50 + random() * 400));
      await guardian.kill9();
      const db = new Database(join(gdir, 'guardian.db'), { readonly: true });
      integrity.push(String(db.pragma('integrity_check', { simple: true })));
      db.close();
      guardian = await startGuardianProcess(gdir, config, DATA_PLANE_ONLY);
    }
    await stream.stop();
    const sent = stream.sent();
    await until(() => atEa.length >= sent, 60_000, `all ${sent} signals at the EA (have ${atEa.length})`);
    await ea.whenIdle(30_000);
    await new Promise((r) => setTimeout(r, 300));
    await guardian.stop();
    guardian = undefined;

    expect(integrity).toEqual(Array(KILLS).fill('ok'));
    expect(exactlyOnceInOrder(atEa.map((r) => r.id), sent)).toEqual([]);
    // The EA's events, as Guardian stored them: each seq once, none missing, tickets in order.
    const db = new Database(join(gdir, 'guardian.db'), { readonly: true });
    const rows = db.prepare("SELECT seq, payload FROM inbox WHERE stream = 'ea-1' AND message_type = 'TRADE' ORDER BY seq").all() as { seq: number; payload: string }[];
    expect(String(db.pragma('integrity_check', { simple: true }))).toBe('ok');
    db.close();
    const tickets = rows.map((r) => (JSON.parse(r.payload) as { ticket: number }).ticket);
    expect(exactlyOnceInOrder(tickets, sent)).toEqual([]);
    expect(sent).toBeGreaterThan(KILLS * 20);
  }, 240_000); // 20 restarts of a real process: minutes on a loaded 2-core machine
});
