// Snapshots as an operator uses them: Guardian (its own process) takes them on its schedule, and
// `guardian snapshot` takes one now, while it serves; `guardian restore --snapshot FILE` refuses
// while it runs, and once it is stopped puts the snapshot in place of the database (the replaced
// file set aside), and Guardian starts on it.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { PeerClient } from '../src-main/sim';
import { freePort, runCli, startGuardianProcess, writeConfig, type GuardianProcess } from './support/guardian-process';
import { signalNo, startPeerPair, until } from './support/peers';

describe('snapshots and restoring one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'guardian-durability-snapshot-'));
  const peers: PeerClient[] = [];
  let guardian: GuardianProcess | undefined;
  afterAll(async () => {
    for (const p of peers) await p.stop();
    await guardian?.kill9();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes periodic and on-demand snapshots while serving, and restores one with Guardian stopped', async () => {
    const gdir = join(dir, 'guardian');
    const config = writeConfig(dir, await freePort(), (y) => y
      .replace(/every_s: 3600( +# a compressed)/, 'every_s: 1$1')
      .replace(/keep: 24/, 'keep: 2'));
    guardian = await startGuardianProcess(gdir, config);
    const paths = { socket: guardian.socket, pipe: { path: guardian.pipe } };
    const { sig, atEa } = startPeerPair(dir, paths, peers);
    for (let i = 1; i <= 200; i++) void sig.send('SIGNAL', signalNo(i));
    await until(() => atEa.length >= 200, 30_000, '200 signals at the EA');
    await sig.whenIdle(30_000);

    // On demand, while Guardian serves (VACUUM INTO from this process: one consistent read).
    const taken = runCli(['snapshot', '--data-dir', gdir, '--config', config]);
    expect(taken.code).toBe(0);
    const file = /^snapshot (\S+) \(/m.exec(taken.out)?.[1];
    expect(file, taken.out).toMatch(/snapshots\/guardian-\d{8}T\d{9}Z\.db\.gz$/);

    // The schedule (every second here) keeps the newest two.
    const snaps = join(gdir, 'snapshots');
    await until(() => readdirSync(snaps).filter((f) => f.endsWith('.db.gz')).length >= 2 && !existsSync(file!), 20_000, 'the periodic snapshots to rotate the first out');
    const periodic = readdirSync(snaps).filter((f) => f.endsWith('.db.gz')).sort();
    expect(periodic.length).toBe(2);
    const keep = join(snaps, periodic.at(-1)!);
    // Copy it away from the rotation before more arrive.
    const kept = join(dir, 'kept.db.gz');
    (await import('node:fs')).copyFileSync(keep, kept);

    for (let i = 201; i <= 300; i++) void sig.send('SIGNAL', signalNo(i));
    await until(() => atEa.length >= 300, 30_000, '300 signals at the EA');
    await sig.whenIdle(30_000);

    expect(runCli(['restore', '--snapshot', kept, '--data-dir', gdir, '--config', config])).toMatchObject({ code: 1, out: expect.stringMatching(/refused/) });
    expect(await guardian.stop()).toBe(0);
    guardian = undefined;

    const restored = runCli(['restore', '--snapshot', kept, '--data-dir', gdir, '--config', config]);
    expect(restored.out).toMatch(/restored .*guardian\.db from .*kept\.db\.gz \(schema version \d+, integrity_check ok\)/);
    expect(restored.code).toBe(0);
    expect(readdirSync(gdir).some((f) => /^guardian\.db\.before-restore-/.test(f))).toBe(true);
    const db = new Database(join(gdir, 'guardian.db'), { readonly: true });
    const last = db.prepare("SELECT last_seq FROM streams_in WHERE stream = 'sig-1'").pluck().get() as number;
    db.close();
    expect(last).toBeGreaterThanOrEqual(200); // the snapshot's state: after the first 200 ...
    expect(last).toBeLessThan(300); // ... before the last 100

    // Bad input: a file that is not a snapshot, and no source at all.
    expect(runCli(['restore', '--snapshot', config, '--data-dir', gdir, '--config', config])).toMatchObject({ code: 1, out: expect.stringMatching(/cannot be used: .*does not decompress/) });
    expect(runCli(['restore', '--data-dir', gdir, '--config', config])).toMatchObject({ code: 2, out: expect.stringMatching(/name one source/) });

    guardian = await startGuardianProcess(gdir, config);
    expect(guardian.output()).toMatch(/guardian ready/);
  }, 180_000);
});
