// The store's mirror against a real failure: Guardian (its own process, a mirror on a "second
// volume") takes a stream from real peers and is killed -9 mid-stream; the primary database file
// is then damaged (bytes overwritten in its middle). `guardian restore --from-mirror` rebuilds it,
// and everything the peers had acknowledged is in it. Guardian restarts on it, the peers resend
// what was not acknowledged, and the EA gets every signal exactly once, in order.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { PeerClient } from '../src-main/sim';
import { corruptMiddle } from '../src-main/guardian/durability/test-support';
import { freePort, runCli, startGuardianProcess, writeConfig, type GuardianProcess } from './support/guardian-process';
import { exactlyOnceInOrder, startPeerPair, streamBoth, until } from './support/peers';

describe('restore from the mirror after the primary is damaged', () => {
  const dir = mkdtempSync(join(tmpdir(), 'guardian-durability-mirror-'));
  const peers: PeerClient[] = [];
  let guardian: GuardianProcess | undefined;
  afterAll(async () => {
    for (const p of peers) await p.stop();
    await guardian?.kill9();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses nothing the peers had acknowledged, and delivers every signal exactly once after the restart', async () => {
    const gdir = join(dir, 'guardian');
    const mirror = join(dir, 'second-volume', 'guardian-mirror.db');
    mkdirSync(join(dir, 'second-volume'));
    const config = writeConfig(dir, await freePort(), (y) => y
      .replace(/# path: \S+/, `path: ${mirror}`)
      .replace('heartbeat_ms: 250', 'heartbeat_ms: 50')
      .replace('resend_timeout_ms: 1000', 'resend_timeout_ms: 400'));
    guardian = await startGuardianProcess(gdir, config);
    expect(existsSync(mirror)).toBe(true);
    const paths = { socket: guardian.socket, pipe: { path: guardian.pipe } };
    const { ea, sig, atEa } = startPeerPair(dir, paths, peers);

    const stream = streamBoth(sig, ea, { burst: 20, pause_ms: 5 }); // stored by the peers; Guardian may be dead or alive

    await until(() => sig.stats().acked_seq >= 300 && atEa.length >= 100, 30_000, 'a few hundred signals acknowledged');
    await guardian.kill9(); // mid-stream: no flush, no goodbye
    await stream.stop();
    const sent = stream.sent();
    await new Promise((r) => setTimeout(r, 200)); // ACKs already on the wire have arrived; no new ones can
    const acked = { sig: sig.stats().acked_seq, ea: ea.stats().acked_seq };
    expect(acked.sig).toBeGreaterThan(0);

    // The primary is damaged: its WAL folded in, then a bad "sector" in the middle of the file.
    const primary = join(gdir, 'guardian.db');
    const fold = new Database(primary);
    fold.pragma('wal_checkpoint(TRUNCATE)');
    fold.close();
    corruptMiddle(primary, 65536);
    const broken = runCli(['restore', '--from-mirror', '--data-dir', gdir, '--config', config]);
    expect(broken.out).toMatch(/restored .*guardian\.db from .*guardian-mirror\.db/);
    expect(broken.code).toBe(0);
    expect(readdirSync(gdir).some((f) => /^guardian\.db\.broken-/.test(f))).toBe(true); // set aside, not deleted

    // Everything acknowledged is in the restored file: each sender's stream, every seq of it.
    const db = new Database(primary, { readonly: true });
    expect(String(db.pragma('integrity_check', { simple: true }))).toBe('ok');
    const lastIn = (s: string) => (db.prepare('SELECT last_seq FROM streams_in WHERE stream = ?').pluck().get(s) as number | undefined) ?? 0;
    // A message is kept where it went: the EA's events in the inbox, a signal as the EA's outbox
    // message it became (or a held signal).
    const stored = (s: string, upTo: number) => db.prepare(`SELECT COUNT(*) FROM (
        SELECT seq FROM inbox WHERE stream = @s AND seq <= @n
        UNION SELECT origin_seq FROM outbox WHERE origin_stream = @s AND origin_seq <= @n
        UNION SELECT origin_seq FROM held_signals WHERE origin_stream = @s AND origin_seq <= @n)`).pluck().get({ s, n: upTo }) as number;
    expect(lastIn('sig-1')).toBeGreaterThanOrEqual(acked.sig);
    expect(lastIn('ea-1')).toBeGreaterThanOrEqual(acked.ea);
    expect(stored('sig-1', acked.sig)).toBe(acked.sig);
    expect(stored('ea-1', acked.ea)).toBe(acked.ea);
    db.close();

    // A second restore refuses: the primary is whole now.
    expect(runCli(['restore', '--from-mirror', '--data-dir', gdir, '--config', config])).toMatchObject({ code: 1, out: expect.stringMatching(/passes integrity_check: nothing to restore/) });

    // Guardian starts normally on the restored file; the peers resend; nothing lost, nothing twice.
    guardian = await startGuardianProcess(gdir, config);
    await until(() => atEa.length >= sent, 60_000, `all ${sent} signals at the EA (have ${atEa.length})`);
    await ea.whenIdle(30_000);
    await sig.whenIdle(30_000);
    expect(exactlyOnceInOrder(atEa.map((r) => r.id), sent)).toEqual([]);

    // While it runs, a restore is refused (its status file is fresh and its process alive; the
    // database's lock says so too).
    const running = runCli(['restore', '--from-mirror', '--data-dir', gdir, '--config', config, '--force']);
    expect(running).toMatchObject({ code: 1, out: expect.stringMatching(/refused: (Guardian \(pid \d+\) is running on this data dir|another process has .*guardian\.db open)/) });
    expect(await guardian.stop()).toBe(0);
    guardian = undefined;
  }, 180_000);
});
