// The group commit with its fsync on the thread pool: no outcome (no ACK) before the fsync that
// covers its commit, outcomes in commit order whatever order the fsyncs end in, and a failed
// fsync stops every promise until a restart. Real SQLite and files; only the fsync is held back.
import { afterEach, describe, expect, it } from 'vitest';
import { fsync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GroupCommit, openDatabase, WalSync, type Db, type FsyncFn } from '.';

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const d of dbs.splice(0)) if (d.open) d.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A store whose fsyncs wait until the test lets each one go (really syncing, then). */
function rig() {
  const dir = mkdtempSync(join(tmpdir(), 'guardian-walsync-'));
  dirs.push(dir);
  const db = openDatabase(join(dir, 'g.db'), { migrations: [{ version: 901, name: 't', sql: 'CREATE TABLE t (x INTEGER)' }] });
  dbs.push(db);
  const held: { fd: number; cb: (err: NodeJS.ErrnoException | null) => void }[] = [];
  const heldFsync: FsyncFn = (fd, cb) => held.push({ fd, cb });
  let failNext: NodeJS.ErrnoException | null = null;
  const release = (i = 0) => {
    const [h] = held.splice(i, 1);
    const err = failNext;
    failNext = null;
    if (err) h!.cb(err);
    else fsync(h!.fd, h!.cb);
  };
  const commit = new GroupCommit(db, 10_000, (fn) => fn(), WalSync.for(db, heldFsync));
  const outcomes: string[] = [];
  const insert = (x: number) => commit.enqueue({
    write: (d) => void d.prepare('INSERT INTO t (x) VALUES (?)').run(x),
    done: (err) => outcomes.push(err ? `${x}:${err.message}` : `${x}:ok`),
  });
  const waitFor = async (cond: () => boolean) => {
    for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
    expect(cond()).toBe(true);
  };
  return { db, commit, held, release, outcomes, insert, waitFor, failNext: (e: NodeJS.ErrnoException) => (failNext = e) };
}

describe('group commit with the fsync off the event loop', () => {
  it('tells no outcome before the fsync that covers the commit, and commits at NORMAL inside a FULL connection', async () => {
    const { db, held, release, outcomes, insert, waitFor } = rig();
    insert(1);
    expect(db.prepare('SELECT x FROM t').pluck().all()).toEqual([1]); // committed (visible)...
    expect(held).toHaveLength(1);
    expect(outcomes).toEqual([]); // ...but not yet promised
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // every other write stays FULL
    release();
    await waitFor(() => outcomes.length === 1);
    expect(outcomes).toEqual(['1:ok']);
  });

  it('runs two fsyncs at once and tells outcomes in commit order, whichever fsync ends first', async () => {
    const { held, release, outcomes, insert, waitFor } = rig();
    insert(1); // fsync A covers 1
    insert(2); // fsync B covers 1..2
    insert(3); // two in flight: 3 waits for a slot
    expect(held).toHaveLength(2);
    release(1); // B ends first: 1 and 2 are durable
    await waitFor(() => outcomes.length === 2);
    expect(outcomes).toEqual(['1:ok', '2:ok']);
    await waitFor(() => held.length === 2); // the freed slot took 3
    release(0); // A: covers nothing still waiting
    release(0);
    await waitFor(() => outcomes.length === 3);
    expect(outcomes).toEqual(['1:ok', '2:ok', '3:ok']);
  });

  it('holds a failed batch\'s outcome behind an earlier batch still waiting for its fsync', async () => {
    const { commit, held, release, outcomes, insert, waitFor } = rig();
    insert(1);
    commit.enqueue({ write: () => { throw new Error('disk full'); }, done: (err) => outcomes.push(`bad:${err?.message}`) });
    expect(outcomes).toEqual([]); // the rollback may not overtake batch 1's commit
    while (held.length) release(0);
    await waitFor(() => outcomes.length === 2);
    expect(outcomes).toEqual(['1:ok', 'bad:disk full']);
  });

  it('after a failed fsync, promises nothing more: what waits and what comes get an error that says to restart', async () => {
    const { commit, release, outcomes, insert, waitFor, failNext } = rig();
    insert(1);
    failNext(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
    release();
    await waitFor(() => outcomes.length === 1);
    expect(outcomes[0]).toMatch(/^1:fsync of .*g\.db-wal failed: EIO.*restarts on a working disk/);
    insert(2);
    expect(outcomes[1]).toMatch(/^2:.*restarts on a working disk/);
    expect(commit.stats.failures).toBe(1);
  });

  it('tells every outcome at shutdown, after one last fsync on the spot', () => {
    const { commit, held, outcomes, insert } = rig();
    insert(1);
    insert(2);
    expect(held.length).toBeGreaterThan(0);
    commit.dispose();
    expect(outcomes).toEqual(['1:ok', '2:ok']);
  });
});
