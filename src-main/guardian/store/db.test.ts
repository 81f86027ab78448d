import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GroupCommit, integrityCheck, openDatabase, schemaVersion, StoreError, type Db } from '.';
import { MIGRATIONS } from './migrations';

describe('store', () => {
  const dirs: string[] = [];
  const dbs: Db[] = [];
  afterEach(() => {
    for (const d of dbs.splice(0)) if (d.open) d.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  function fresh(): string {
    const dir = mkdtempSync(join(tmpdir(), 'guardian-store-'));
    dirs.push(dir);
    return join(dir, 'sub', 'guardian.db');
  }

  it('opens in WAL with synchronous=FULL, read back, and migrates to the latest version', () => {
    const db = openDatabase(fresh());
    dbs.push(db);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(schemaVersion(db)).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
    expect(MIGRATIONS.map((m) => m.version)).toEqual([...MIGRATIONS.map((m) => m.version)].sort((a, b) => a - b)); // read in order
    expect(integrityCheck(db)).toBe('ok');
  });

  it('applies each migration once, and refuses a database from a newer Guardian', () => {
    const file = fresh();
    const extra = [{ version: 900, name: 'test', sql: 'CREATE TABLE t (x INTEGER)' }];
    dbs.push(openDatabase(file, { migrations: extra }));
    dbs[0]!.close();
    const again = openDatabase(file, { migrations: extra }); // would fail on CREATE TABLE if re-applied
    dbs.push(again);
    expect(again.prepare('SELECT COUNT(*) AS n FROM schema_version').get()).toEqual({ n: MIGRATIONS.length + 1 });
    again.close();
    expect(() => openDatabase(file)).toThrow(StoreError);
    expect(() => openDatabase(file)).toThrow(/newer than this Guardian knows/);
  });

  it('fills a gap: a migration below the newest applied one, shipped later, is still applied', () => {
    const file = fresh();
    dbs.push(openDatabase(file, { migrations: [{ version: 910, name: 'later number, shipped first', sql: 'CREATE TABLE a (x INTEGER)' }] }));
    dbs[0]!.close();
    const both = [
      { version: 905, name: 'lower number, shipped second', sql: 'CREATE TABLE b (x INTEGER)' },
      { version: 910, name: 'later number, shipped first', sql: 'CREATE TABLE a (x INTEGER)' },
    ];
    const again = openDatabase(file, { migrations: both });
    dbs.push(again);
    expect(again.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('a', 'b') ORDER BY name").pluck().all()).toEqual(['a', 'b']);
    expect(again.prepare('SELECT version FROM schema_version WHERE version >= 900 ORDER BY version').pluck().all()).toEqual([905, 910]);
  });

  it('group commit stores a burst in one transaction and reports the outcome to every writer', async () => {
    const db = openDatabase(fresh(), { migrations: [{ version: 901, name: 't', sql: 'CREATE TABLE t (x INTEGER)' }] });
    dbs.push(db);
    const gc = new GroupCommit(db);
    const ins = db.prepare('INSERT INTO t (x) VALUES (?)');
    const outcomes: (Error | undefined)[] = [];
    for (let i = 0; i < 100; i++) gc.enqueue({ write: () => ins.run(i), done: (e) => outcomes.push(e) });
    expect(outcomes.length).toBe(0); // nothing is reported before the commit
    await new Promise((r) => setImmediate(r));
    expect(outcomes.length).toBe(100);
    expect(outcomes.every((e) => e === undefined)).toBe(true);
    expect(gc.stats).toMatchObject({ batches: 1, writes: 100, last_batch_size: 100 });
  });

  it('a failing write fails the whole batch and stores none of it', async () => {
    const db = openDatabase(fresh(), { migrations: [{ version: 902, name: 't', sql: 'CREATE TABLE t (x INTEGER NOT NULL)' }] });
    dbs.push(db);
    const gc = new GroupCommit(db);
    const ins = db.prepare('INSERT INTO t (x) VALUES (?)');
    const errs: (Error | undefined)[] = [];
    gc.enqueue({ write: () => ins.run(1), done: (e) => errs.push(e) });
    gc.enqueue({ write: () => ins.run(null), done: (e) => errs.push(e) });
    gc.flush();
    expect(errs.length).toBe(2);
    expect(errs.every((e) => e instanceof Error)).toBe(true);
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 0 });
    expect(gc.stats.failures).toBe(1);
  });

  it('a disk that fills up (SQLITE_FULL) fails the batch with a clear error instead of crashing', () => {
    const db = openDatabase(fresh(), { migrations: [{ version: 903, name: 't', sql: 'CREATE TABLE t (x BLOB)' }] });
    dbs.push(db);
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 2}`);
    const gc = new GroupCommit(db);
    let err: Error | undefined;
    gc.enqueue({ write: () => db.prepare('INSERT INTO t (x) VALUES (?)').run(Buffer.alloc(64 * 1024)), done: (e) => (err = e) });
    gc.flush();
    expect(err?.message).toMatch(/full/i);
    expect(integrityCheck(db)).toBe('ok');
  });
});
