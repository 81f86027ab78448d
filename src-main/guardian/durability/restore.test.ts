import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ManualClock } from '../clock';
import { openDatabase, type Db } from '../store';
import { listSnapshots, restoreFromMirror, restoreFromSnapshot, SnapshotSchedule, StoreMirror, takeSnapshot, verifySnapshot } from '.';
import { corruptMiddle } from './test-support';

function fill(db: Db, from: number, to: number): void {
  const insert = db.prepare("INSERT INTO inbox (stream, seq, message_id, message_type, payload, path, received_ms) VALUES ('sig-1', ?, ?, 'SIGNAL', ?, 'socket', 1)");
  db.transaction(() => {
    for (let i = from; i <= to; i++) insert.run(i, `m${i}`, JSON.stringify({ pad: 'x'.repeat(300), i }));
    db.prepare("INSERT INTO streams_in (stream, last_seq) VALUES ('sig-1', ?) ON CONFLICT (stream) DO UPDATE SET last_seq = excluded.last_seq").run(to);
  })();
}

describe('snapshots and restores', () => {
  const dirs: string[] = [];
  const dbs: Db[] = [];
  afterEach(() => {
    for (const d of dbs.splice(0)) if (d.open) d.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  function tmp(): string {
    const dir = mkdtempSync(join(tmpdir(), 'guardian-restore-'));
    dirs.push(dir);
    return dir;
  }

  it('takes compressed, verified snapshots and keeps the newest N', async () => {
    const dir = tmp();
    const db = openDatabase(join(dir, 'guardian.db'));
    dbs.push(db);
    fill(db, 1, 500);
    const snaps = join(dir, 'snapshots');
    const made = [];
    for (let k = 0; k < 3; k++) made.push(await takeSnapshot(db, snaps, 2, Date.UTC(2026, 10, 22, 4, 0, k)));
    expect(made[2]!.removed).toEqual([made[0]!.file]);
    expect(listSnapshots(snaps)).toEqual([made[1]!.file, made[2]!.file]);
    expect(readdirSync(snaps).filter((f) => f.includes('.tmp'))).toEqual([]);
    const v = await verifySnapshot(made[2]!.file, made[2]!.schema_version);
    for (const ext of ['', '-wal', '-shm']) rmSync(v.tmp + ext, { force: true });
    expect(v).toMatchObject({ ok: true, detail: 'ok' });
    // A damaged snapshot is caught by the verification, not at restore time.
    const bad = join(snaps, 'guardian-20261122T050000000Z.db.gz');
    writeFileSync(bad, 'not gzip at all');
    expect((await verifySnapshot(bad)).detail).toMatch(/does not decompress/);
  });

  it('the schedule snapshots every every_s on the injected clock and reports a failure as health', async () => {
    const dir = tmp();
    const db = openDatabase(join(dir, 'guardian.db'));
    dbs.push(db);
    const clock = new ManualClock();
    const trouble: string[] = [];
    const s = new SnapshotSchedule(db, { dir: join(dir, 'snaps'), every_s: 60, keep: 3, clock, onTrouble: (t) => trouble.push(t) });
    clock.advance(60_000);
    await s.settle();
    expect(s.health.last_file).toMatch(/guardian-\d{8}T\d{9}Z\.db\.gz$/);
    expect(s.health.last_error).toBeNull();
    rmSync(join(dir, 'snaps'), { recursive: true });
    writeFileSync(join(dir, 'snaps'), 'a file where the folder should be');
    clock.advance(60_000);
    await s.settle();
    expect(s.health.last_error).toMatch(/EEXIST|ENOTDIR|not a directory/);
    expect(trouble).toHaveLength(1);
    s.dispose();
  });

  it('restores a snapshot over a damaged primary, setting the damaged one aside', async () => {
    const dir = tmp();
    const primary = join(dir, 'guardian.db');
    const db = openDatabase(primary);
    fill(db, 1, 400);
    const snap = await takeSnapshot(db, join(dir, 'snaps'), 5, Date.now());
    fill(db, 401, 3000);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    corruptMiddle(primary, 32768);
    const r = await restoreFromSnapshot({ primary, snapshot: snap.file });
    expect(r.streams_in).toEqual({ 'sig-1': 400 });
    expect(r.rows.inbox).toBe(400);
    expect(r.set_aside).toMatch(/guardian\.db\.before-restore-/);
    expect(existsSync(r.set_aside!)).toBe(true);
    const back = openDatabase(primary);
    expect(back.pragma('integrity_check', { simple: true })).toBe('ok');
    back.close();
  });

  it('rebuilds a corrupt primary from the mirror with every committed row, and refuses when the primary is whole', async () => {
    const dir = tmp();
    const primary = join(dir, 'guardian.db');
    const mirror = join(dir, 'vol2', 'mirror.db');
    mkdirSync(join(dir, 'vol2'));
    const db = openDatabase(primary);
    fill(db, 1, 100);
    const m = await StoreMirror.start(db, { file: mirror, clock: new ManualClock(), check_every_s: 10, integrity_every_s: 60 });
    fill(db, 101, 3000);
    await expect(restoreFromMirror({ primary, mirror })).rejects.toThrow(/passes integrity_check: nothing to restore/);
    m.dispose();
    db.pragma('wal_checkpoint(TRUNCATE)');
    // No clean close for the mirror: its last commits stay in its WAL, as after a kill -9.
    corruptMiddle(primary, 65536);
    db.close();
    const r = await restoreFromMirror({ primary, mirror });
    expect(r.streams_in).toEqual({ 'sig-1': 3000 });
    expect(r.rows.inbox).toBe(3000);
    expect(r.set_aside).toMatch(/guardian\.db\.broken-/);
    const back = new Database(primary, { readonly: true });
    expect(back.prepare("SELECT COUNT(*) FROM inbox WHERE stream = 'sig-1' AND seq BETWEEN 1 AND 3000").pluck().get()).toBe(3000);
    back.close();
  });

  it('refuses a mirror that is itself damaged, and leaves the primary where it is', async () => {
    const dir = tmp();
    const primary = join(dir, 'guardian.db');
    writeFileSync(primary, 'x'.repeat(10_000)); // not a database at all
    const mirror = join(dir, 'mirror.db');
    writeFileSync(mirror, 'y'.repeat(10_000));
    await expect(restoreFromMirror({ primary, mirror })).rejects.toThrow(/the mirror .* cannot be used/);
    expect(existsSync(primary)).toBe(true);
    await expect(restoreFromMirror({ primary, mirror: join(dir, 'none.db') })).rejects.toThrow(/there is no mirror/);
  });
});
