// The held desk's release, one group commit at a time, on a real SQLite store. The batches are
// stored by the test, so that what is stored and what is still filling at a chunk is exact.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Envelope, SignalPayload } from '../../../src-shared/protocol';
import { openDatabase, type Db } from '../store';
import { RouterEvents } from './events';
import { HeldSignals, RELEASING } from './held-signals';
import type { Peer } from './peer';
import { Batch, RouterStore } from './router-store';
import { SignalDesk } from './signal-desk';

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const d of dbs.splice(0)) if (d.open) d.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function desk() {
  const dir = mkdtempSync(join(tmpdir(), 'guardian-held-'));
  dirs.push(dir);
  const db = openDatabase(join(dir, 'guardian.db'));
  dbs.push(db);
  const store = new RouterStore(db);
  let batch = new Batch();
  const sent: string[] = [];
  const held = new HeldSignals({
    store, signals: new SignalDesk('primary'), events: new RouterEvents(), opts: { release_chunk: 5 },
    eaPeers: () => [{ node_id: 'ea-1' } as Peer],
    open: () => batch,
    queueOutbound: (_b, _peer, _type, payload) => sent.push((payload as SignalPayload).signal_id),
    tellOrigin: () => undefined,
    pump: () => undefined,
  });
  /** The group commit: stores the batch filling now, then tells its work it is stored. */
  const commit = () => {
    const b = batch;
    batch = new Batch();
    db.transaction(() => store.writeBatch(b, Date.now()))();
    for (const fn of b.after) fn();
  };
  const arrive = (i: number, reason: string) => {
    const signal: SignalPayload = { signal_id: `s-${i}`, symbol: 'EURUSD', action: 'BUY', lots: 0.1 };
    const env = { header: { message_id: `m-${i}`, stream: 'sig-1', seq: i }, payload: signal } as unknown as Envelope<'SIGNAL'>;
    held.hold(batch, env, signal, reason, 3600);
  };
  const stillHeld = () => db.prepare("SELECT message_id FROM held_signals WHERE state = 'held'").pluck().all();
  return { held, sent, commit, arrive, stillHeld };
}

const nextTurn = () => new Promise((r) => setImmediate(r));

describe('a release of held signals', () => {
  it('takes along, in its last chunk, the signals held behind it in the batch still filling', async () => {
    const { held, sent, commit, arrive, stillHeld } = desk();
    for (let i = 1; i <= 7; i++) arrive(i, 'NO_ROUTE');
    commit();
    held.releaseHeld(); // the first chunk: five
    commit(); // stored; the next chunk is due on the next turn
    arrive(8, RELEASING); // arrives meanwhile: held behind the release, in the batch now filling
    await nextTurn(); // the last chunk reads the two left in the store
    expect(held.releaseRunning).toBe(false);
    commit();
    expect(sent).toEqual(['s-1', 's-2', 's-3', 's-4', 's-5', 's-6', 's-7', 's-8']);
    expect(stillHeld()).toEqual([]);
  });
});
