// The fence on a real database file, with two connections as two instances have them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GroupCommit, openDatabase, type Db } from '../store';
import { FENCED, installFence, isFencedError, removeFence } from './fencing';
import { LeaseStore } from './lease-store';

describe('the fencing trigger', () => {
  let dir: string;
  let file: string;
  const open: Db[] = [];
  const db = () => {
    const d = openDatabase(file);
    open.push(d);
    return d;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'guardian-fence-'));
    file = join(dir, 'guardian.db');
  });
  afterEach(() => {
    for (const d of open.splice(0)) d.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Instance `holder` takes the lease (expired or not: the test moves time by hand). */
  const take = (conn: Db, holder: string, now_ms: number) => {
    const d = new LeaseStore(conn).step({ holder, token: null, host: 'ws', pid: 1 }, now_ms, 1000, () => undefined);
    if (d.action !== 'acquire') throw new Error(`expected to acquire, got ${d.action}`);
    return d.token;
  };

  it('lets the holder of the current token write, and refuses a connection with an old token', () => {
    const a = db();
    const b = db();
    const tokenA = take(a, 'a', 0);
    let aFenced = 0;
    const tables = installFence(a, tokenA, () => aFenced++);
    expect(tables).toEqual(expect.arrayContaining(['outbox', 'inbox', 'streams_in', 'events', 'control_state']));
    expect(tables).not.toContain('ha_lease');
    // every table of every migration (the lease's own two aside), not a list to keep up to date
    const all = (a.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'ha\\_%' ESCAPE '\\'").all() as { name: string }[]).map((r) => r.name);
    expect([...tables].sort()).toEqual(all.sort());
    expect(all.length).toBeGreaterThan(20);
    a.prepare('INSERT INTO streams_in (stream, last_seq) VALUES (?, ?)').run('sig-1', 1);

    // b takes over with the next token (a's lease ran out), and fences its own connection.
    const tokenB = take(b, 'b', 5000);
    expect(tokenB).toBe(tokenA + 1);
    installFence(b, tokenB, () => {
      throw new Error('b must not be fenced');
    });

    // a woke up: every kind of write is refused, and a hears of it each time.
    const writes = [
      () => a.prepare('INSERT INTO streams_in (stream, last_seq) VALUES (?, ?)').run('ea-1', 1),
      () => a.prepare('UPDATE streams_in SET last_seq = 2 WHERE stream = ?').run('sig-1'),
      () => a.prepare('DELETE FROM streams_in').run(),
      () => a.prepare("INSERT INTO control_state (key, value, updated_ms) VALUES ('mode', '\"SAFE_MODE\"', 1)").run(),
    ];
    for (const w of writes) expect(w).toThrow(FENCED);
    expect(aFenced).toBe(writes.length);
    // Nothing of a's changed the database; b writes on.
    b.prepare('UPDATE streams_in SET last_seq = 7 WHERE stream = ?').run('sig-1');
    expect(b.prepare('SELECT stream, last_seq FROM streams_in').all()).toEqual([{ stream: 'sig-1', last_seq: 7 }]);
    expect(b.prepare("SELECT COUNT(*) AS n FROM control_state").get()).toEqual({ n: 0 });
  });

  it('fails a whole group-commit batch of the old holder: nothing stored, every caller told', () => {
    const a = db();
    const b = db();
    installFence(a, take(a, 'a', 0), () => {});
    const commit = new GroupCommit(a, 10_000, () => {});
    const outcomes: (string | undefined)[] = [];
    for (let seq = 1; seq <= 3; seq++) {
      commit.enqueue({
        write: (conn) => conn.prepare('INSERT INTO inbox (stream, seq, message_id, message_type, payload, path, received_ms) VALUES (?, ?, ?, ?, ?, ?, ?)').run('ea-1', seq, `m${seq}`, 'TRADE', '{}', 'socket', 1),
        done: (err) => outcomes.push(err?.message),
      });
    }
    take(b, 'b', 5000); // the lease moves on before the batch is stored
    commit.flush();
    expect(outcomes).toEqual([FENCED, FENCED, FENCED]);
    expect(commit.stats.failures).toBe(1);
    expect(b.prepare('SELECT COUNT(*) AS n FROM inbox').get()).toEqual({ n: 0 });
  });

  it('costs the holder nothing but the check: a fenced connection writes while its token is current', () => {
    const a = db();
    installFence(a, take(a, 'a', 0), () => {
      throw new Error('not fenced');
    });
    const commit = new GroupCommit(a, 10_000, () => {});
    let ok = 0;
    for (let seq = 1; seq <= 100; seq++) {
      commit.enqueue({
        write: (conn) => conn.prepare('INSERT INTO inbox (stream, seq, message_id, message_type, payload, path, received_ms) VALUES (?, ?, ?, ?, ?, ?, ?)').run('ea-1', seq, `m${seq}`, 'TRADE', '{}', 'socket', 1),
        done: (err) => (ok += err ? 0 : 1),
      });
    }
    commit.flush();
    expect(ok).toBe(100);
    expect(String(a.pragma('integrity_check', { simple: true }))).toBe('ok');
  });

  it('is removed and replaced cleanly, and checks its token', () => {
    const a = db();
    const token = take(a, 'a', 0);
    installFence(a, token, () => {});
    installFence(a, token, () => {}); // again: no duplicate triggers
    const count = () => (a.prepare("SELECT COUNT(*) AS n FROM temp.sqlite_master WHERE type = 'trigger'").get() as { n: number }).n;
    expect(count()).toBeGreaterThan(0);
    removeFence(a);
    expect(count()).toBe(0);
    expect(() => installFence(a, 0, () => {})).toThrow(/positive integer/);
    expect(isFencedError(new Error(`SqliteError: ${FENCED}`))).toBe(true);
    expect(isFencedError(new Error('disk full'))).toBe(false);
  });
});
