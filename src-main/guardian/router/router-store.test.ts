import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../store';
import { Batch, RELEASE_FROM_START, RouterStore, type HeldRow } from './router-store';

// Held signals: a hold at full rate keeps hundreds of thousands open, and every signal ever held
// or refused stays on record until pruned. What runs every second must read only the open ones.
describe('router store: held signals', () => {
  const dirs: string[] = [];
  const dbs: Db[] = [];
  afterEach(() => {
    for (const d of dbs.splice(0)) if (d.open) d.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  function fresh(): { db: Db; store: RouterStore } {
    const dir = mkdtempSync(join(tmpdir(), 'guardian-router-store-'));
    dirs.push(dir);
    const db = openDatabase(join(dir, 'guardian.db'));
    dbs.push(db);
    return { db, store: new RouterStore(db) };
  }
  const row = (i: number, expires_ms: number | null, extra: Partial<HeldRow> = {}): HeldRow => ({
    message_id: `m-${i}`, origin_stream: 'sig-1', origin_seq: i, payload: '{}', reason: 'MODE_HOLD', expires_ms, ...extra,
  });
  function write(db: Db, store: RouterStore, now_ms: number, fill: (b: Batch) => void): void {
    const b = new Batch();
    fill(b);
    db.transaction(() => store.writeBatch(b, now_ms))();
  }
  const plan = (db: Db, sql: string, ...args: unknown[]) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join('; ');

  it('finds the due ones oldest first, at most a chunk, and never a settled or not yet due one', () => {
    const { db, store } = fresh();
    write(db, store, 1_000, (b) => {
      b.held.push(row(1, 5_000), row(2, 3_000), row(3, 9_000), row(4, null, { refused: true }), row(5, 4_000));
      b.heldOutcomes.push({ message_id: 'm-5', state: 'released' });
    });
    expect(store.dueHeld(6_000, 10).map((r) => r.message_id)).toEqual(['m-2', 'm-1']);
    expect(store.dueHeld(6_000, 1).map((r) => r.message_id)).toEqual(['m-2']);
    expect(store.heldFor('MODE_HOLD').map((r) => r.message_id).sort()).toEqual(['m-1', 'm-2', 'm-3']);
    expect(store.heldCount()).toBe(3);
  });

  it('says how many open ones each batch added, net, so that the router can count them without reading the table', () => {
    const { db, store } = fresh();
    const write2 = (fill: (b: Batch) => void) => {
      const b = new Batch();
      fill(b);
      return db.transaction(() => store.writeBatch(b, 1_000))();
    };
    expect(write2((b) => b.held.push(row(1, 5_000), row(2, 5_000), row(3, null, { refused: true })))).toBe(2);
    // The same signal held again (a resend) opens nothing; an outcome settles an open one once.
    expect(write2((b) => {
      b.held.push(row(1, 5_000));
      b.heldOutcomes.push({ message_id: 'm-1', state: 'expired' }, { message_id: 'm-3', state: 'expired' });
    })).toBe(-1);
    expect(write2((b) => b.heldOutcomes.push({ message_id: 'm-1', state: 'released' }))).toBe(0);
    expect(store.heldCount()).toBe(1);
    expect(db.prepare("SELECT state FROM held_signals WHERE message_id = 'm-1'").pluck().get()).toBe('expired');
  });

  it('stores a signal refused on arrival settled, in one row, with the time of its outcome', () => {
    const { db, store } = fresh();
    write(db, store, 2_000, (b) => b.held.push(row(1, null, { refused: true, reason: 'RISK_VETO' })));
    expect(db.prepare('SELECT state, reason, outcome_ms FROM held_signals').all()).toEqual([{ state: 'refused', reason: 'RISK_VETO', outcome_ms: 2_000 }]);
    expect(store.heldCount()).toBe(0);
  });

  it('reads the open ones through their index, not the whole table', () => {
    const { db } = fresh();
    expect(plan(db, "SELECT message_id FROM held_signals WHERE state = 'held' AND expires_ms < ? ORDER BY expires_ms LIMIT 10", 1)).toMatch(/USING (COVERING )?INDEX held_signals_open/);
    expect(plan(db, "SELECT COUNT(*) FROM held_signals WHERE state = 'held'")).toMatch(/USING (COVERING )?INDEX held_signals_open/);
    expect(plan(db, 'SELECT * FROM held_signals ORDER BY held_ms DESC LIMIT 200')).toMatch(/USING INDEX held_signals_held_ms/);
  });

  it('reads a release oldest first through the index of the open ones, never stepping over the settled', () => {
    const { db, store } = fresh();
    // A long hold's record: most rows settled (expired), the open ones behind them.
    write(db, store, 1_000, (b) => {
      for (let i = 1; i <= 2_000; i++) b.held.push(row(i, 5_000));
      for (let i = 1; i <= 2_000; i++) b.heldOutcomes.push({ message_id: `m-${i}`, state: 'expired' });
    });
    write(db, store, 2_000, (b) => b.held.push(row(2_001, 9_000), row(2_002, 9_000), row(2_003, 9_000)));
    const first = store.heldToRelease(undefined, 'RELEASING', RELEASE_FROM_START, 2);
    expect(first.map((r) => r.message_id)).toEqual(['m-2001', 'm-2002']);
    const last = first[first.length - 1]!;
    expect(store.heldToRelease(undefined, 'RELEASING', { held_ms: last.held_ms, rid: last.rid }, 2).map((r) => r.message_id)).toEqual(['m-2003']);
    // Through the index of every row by time, each chunk read past every settled row before it
    // (0.6 s a chunk at 1.9 million): the plan must be the open rows' own index.
    const source = (store as unknown as { q: { heldToRelease: { source: string } } }).q.heldToRelease.source;
    expect(plan(db, source, { reason: null, releasing: 'RELEASING', after_ms: 0, after_rid: 0, limit: 2 })).toMatch(/USING INDEX held_signals_open_held_ms/);
  });

  it('prunes dead letters and router events past the retention', () => {
    const { db, store } = fresh();
    write(db, store, 1_000, (b) => {
      b.deadLetters.push({ peer: 'p', path: 'socket', reason: 'BAD_JSON', detail: 'old', message_id: null, raw: 'x' });
      b.events.push({ type: 'switch', peer: 'p', path: 'pipe', detail: 'old' });
    });
    write(db, store, 50_000, (b) => {
      b.deadLetters.push({ peer: 'p', path: 'socket', reason: 'BAD_JSON', detail: 'new', message_id: null, raw: 'x' });
      b.events.push({ type: 'switch', peer: 'p', path: 'socket', detail: 'new' });
    });
    store.prune([], 0, 10_000);
    expect(db.prepare('SELECT detail FROM dead_letters').pluck().all()).toEqual(['new']);
    expect(db.prepare('SELECT detail FROM router_events').pluck().all()).toEqual(['new']);
    expect(store.deadLetterCount()).toBe(1);
  });

  it('prunes settled signals past the retention, and keeps an open one however old', () => {
    const { db, store } = fresh();
    write(db, store, 1_000, (b) => {
      b.held.push(row(1, 2_000), row(2, 2_000), row(3, null, { refused: true }));
      b.heldOutcomes.push({ message_id: 'm-2', state: 'expired' });
    });
    write(db, store, 50_000, (b) => b.held.push(row(4, null, { refused: true })));
    store.prune([], 0, 10_000);
    expect(db.prepare('SELECT message_id, state FROM held_signals ORDER BY message_id').all()).toEqual([
      { message_id: 'm-1', state: 'held' },
      { message_id: 'm-4', state: 'refused' },
    ]);
  });
});
