import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ManualClock } from '../clock';
import { GroupCommit, openDatabase, type Db } from '../store';
import { StoreMirror } from '.';
import { corruptMiddle } from './test-support';

/** Every row of every table, in a stable order: what "the same content" means. */
function dump(db: Db, schema = 'main'): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const name of db.prepare(`SELECT name FROM ${schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[]) {
    out[name] = db.prepare(`SELECT * FROM ${schema}."${name}" ORDER BY 1, 2`).all();
  }
  return out;
}

describe('the store mirror', () => {
  const dirs: string[] = [];
  const dbs: Db[] = [];
  const mirrors: StoreMirror[] = [];
  afterEach(() => {
    for (const m of mirrors.splice(0)) m.dispose();
    for (const d of dbs.splice(0)) if (d.open) d.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  function world() {
    const dir = mkdtempSync(join(tmpdir(), 'guardian-mirror-'));
    dirs.push(dir);
    const db = openDatabase(join(dir, 'guardian.db'));
    dbs.push(db);
    return { dir, db, file: join(dir, 'second-volume', 'mirror.db'), clock: new ManualClock() };
  }
  async function start(w: ReturnType<typeof world>, trouble: string[] = []) {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(w.dir, 'second-volume'), { recursive: true });
    const m = await StoreMirror.start(w.db, { file: w.file, clock: w.clock, check_every_s: 10, integrity_every_s: 60, onTrouble: (t) => trouble.push(t) });
    mirrors.push(m);
    return m;
  }

  it('replays inserts, updates, deletes and replaces, rowid and WITHOUT ROWID tables alike, in the same commit', async () => {
    const w = world();
    w.db.prepare("INSERT INTO meta (key, value) VALUES ('before', 'seeded')").run();
    const m = await start(w);
    const commit = new GroupCommit(w.db, 10_000, (fn) => fn());
    commit.enqueue({
      write: (db) => {
        db.prepare("INSERT INTO streams_in (stream, last_seq) VALUES ('sig-1', 7)").run();
        db.prepare("INSERT INTO inbox (stream, seq, message_id, message_type, payload, path, received_ms) VALUES ('sig-1', 7, 'm7', 'SIGNAL', '{}', 'socket', 1)").run();
        db.prepare("INSERT INTO outbox (peer, seq, message_id, message_type, body, created_ms) VALUES ('ea-1', 1, 'o1', 'SIGNAL', x'00', 1)").run();
        db.prepare("INSERT INTO control_state (key, value, updated_ms) VALUES ('mode', 'NORMAL', 1)").run();
      },
      done: () => undefined,
    });
    w.db.prepare("UPDATE streams_in SET last_seq = 8 WHERE stream = 'sig-1'").run();
    w.db.prepare("INSERT OR REPLACE INTO control_state (key, value, updated_ms) VALUES ('mode', 'SAFE_MODE', 2)").run();
    w.db.prepare("INSERT INTO control_state (key, value, updated_ms) VALUES ('tier', 'primary', 3) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run();
    w.db.prepare("INSERT INTO control_state (key, value, updated_ms) VALUES ('tier', 'cached', 4) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run();
    w.db.prepare("DELETE FROM outbox WHERE peer = 'ea-1'").run();
    w.db.prepare("INSERT INTO dead_letters (ts_ms, reason, detail) VALUES (1, 'BAD_JSON', 'x')").run();

    expect(dump(w.db, 'mirror')).toEqual(dump(w.db, 'main'));
    expect(dump(w.db, 'mirror').streams_in).toEqual([{ stream: 'sig-1', last_seq: 8 }]);
    expect(m.check()).toMatchObject({ healthy: true, lag_rows: 0, last_error: null });

    // The mirror is a Guardian database on its own: it opens, checks and holds the same rows.
    w.db.close();
    const alone = new Database(w.file, { readonly: true });
    expect(alone.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(alone.prepare("SELECT value FROM control_state WHERE key = 'mode'").pluck().get()).toBe('SAFE_MODE');
    expect(alone.prepare("SELECT COUNT(*) FROM meta WHERE key = 'before'").pluck().get()).toBe(1);
    alone.close();
  });

  it("leaves triggers it did not create alone, and a failed transaction writes neither file", async () => {
    const w = world();
    w.db.exec("CREATE TEMP TRIGGER someone_elses BEFORE INSERT ON main.meta WHEN NEW.key = 'forbidden' BEGIN SELECT RAISE(ABORT, 'fenced'); END");
    await start(w);
    expect(() => w.db.transaction(() => {
      w.db.prepare("INSERT INTO meta (key, value) VALUES ('ok', '1')").run();
      w.db.prepare("INSERT INTO meta (key, value) VALUES ('forbidden', '1')").run();
    })()).toThrow(/fenced/);
    expect(w.db.prepare('SELECT COUNT(*) FROM main.meta').pluck().get()).toBe(0);
    expect(w.db.prepare('SELECT COUNT(*) FROM mirror.meta').pluck().get()).toBe(0);
    const triggers = w.db.prepare("SELECT name FROM temp.sqlite_master WHERE type = 'trigger' ORDER BY name").pluck().all() as string[];
    expect(triggers).toContain('someone_elses');
    expect(triggers.filter((t) => t.startsWith('guardian_mirror_meta_'))).toHaveLength(3);
  });

  it('a mirror that differs from the primary is detached and said so; the primary keeps committing', async () => {
    const w = world();
    const trouble: string[] = [];
    const m = await start(w, trouble);
    w.db.prepare("INSERT INTO meta (key, value) VALUES ('a', '1')").run();
    w.db.prepare("DELETE FROM mirror.meta WHERE key = 'a'").run(); // damage behind the triggers' back
    w.clock.advance(10_000); // the periodic check
    expect(m.health).toMatchObject({ healthy: false, lag_rows: 1 });
    expect(m.health.last_error).toMatch(/differs from the primary: meta 1:1 vs 0:/);
    expect(trouble[0]).toMatch(/mirror is off/);
    w.db.prepare("INSERT INTO meta (key, value) VALUES ('b', '2')").run();
    expect(w.db.prepare('SELECT COUNT(*) FROM main.meta').pluck().get()).toBe(2);
    expect(w.db.prepare("SELECT COUNT(*) FROM temp.sqlite_master WHERE name LIKE 'guardian_mirror_%'").pluck().get()).toBe(0);
  });

  it('a full mirror volume never stops the primary: the failed batch detaches it, resends succeed, and it is seeded again online', async () => {
    const w = world();
    const trouble: string[] = [];
    const m = await start(w, trouble);
    const commit = new GroupCommit(w.db, 10_000, (fn) => fn());
    const store = (from: number, to: number) => new Promise<Error | undefined>((resolve) => {
      commit.enqueue({
        write: (db) => {
          const insert = db.prepare("INSERT INTO inbox (stream, seq, message_id, message_type, payload, path, received_ms) VALUES ('s', ?, ?, 'SIGNAL', ?, 'socket', 1)");
          for (let i = from; i <= to; i++) insert.run(i, `m${i}`, 'x'.repeat(500));
        },
        done: resolve,
      });
    });
    commit.onBatchEnd(() => undefined, () => m.commitFailed(commit.stats.last_error));
    expect(await store(1, 10)).toBeUndefined();
    // The second volume fills up: the mirror cannot grow by a page more.
    w.db.pragma(`mirror.max_page_count = ${w.db.pragma('mirror.page_count', { simple: true }) as number}`);
    expect(String(await store(11, 500))).toMatch(/full/);
    expect(m.health).toMatchObject({ healthy: false, last_error: expect.stringMatching(/a commit failed while the mirror was attached \(.*full/) });
    expect(trouble[0]).toMatch(/mirror is off/);
    expect(await store(11, 500)).toBeUndefined(); // the resend: on the primary alone
    w.db.prepare("INSERT INTO meta (key, value) VALUES ('while-detached', '1')").run();

    w.clock.advance(5 * 60_000); // the checks after the reseed delay: seeded again, online
    await m.settle();
    expect(m.health).toMatchObject({ last_error: null });
    expect(trouble.at(-1)).toMatch(/seeded again and back in service/);
    w.db.prepare("INSERT INTO meta (key, value) VALUES ('after', '1')").run();
    expect(dump(w.db, 'mirror')).toEqual(dump(w.db, 'main'));
    expect(m.check()).toMatchObject({ healthy: true, lag_rows: 0 });
  });

  it('refuses to seed the mirror from a primary that fails its check, and names the restore', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guardian-mirror-'));
    dirs.push(dir);
    const file = join(dir, 'guardian.db');
    const db = openDatabase(file);
    db.prepare('INSERT INTO dead_letters (ts_ms, reason, detail) VALUES (?, ?, ?)');
    const insert = db.prepare("INSERT INTO inbox (stream, seq, message_id, message_type, payload, path, received_ms) VALUES ('s', ?, ?, 'SIGNAL', ?, 'socket', 1)");
    db.transaction(() => {
      for (let i = 1; i <= 3000; i++) insert.run(i, `m${i}`, JSON.stringify({ pad: 'x'.repeat(200), i }));
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    corruptMiddle(file, 16384);
    let broken: Db;
    try {
      broken = openDatabase(file);
    } catch (err) {
      expect(String(err)).toMatch(/malformed|corrupt|not a database/i); // damage so deep the file does not even open
      return;
    }
    dbs.push(broken);
    await expect(StoreMirror.start(broken, { file: join(dir, 'mirror.db'), clock: new ManualClock(), check_every_s: 10, integrity_every_s: 60 }))
      .rejects.toThrow(/fails its check[^]*guardian restore --from-mirror/);
  });
});
