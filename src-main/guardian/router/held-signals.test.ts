// The held desk's release, one group commit at a time, on a real SQLite store. The batches are
// stored by the test, so that what is stored and what is still filling at a chunk is exact.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeFramedMessage, PROTOCOL_VERSION, type Envelope, type Header, type SignalPayload } from '../../../src-shared/protocol';
import { openDatabase, type Db } from '../store';
import { RouterEvents } from './events';
import { expireEntries, HeldSignals, RELEASING } from './held-signals';
import { Peer } from './peer';
import { Batch, bodyOf, RouterStore } from './router-store';
import { InboundSequence, OutboundQueue } from './streams';
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
  const told: string[] = [];
  const ea = new Peer('ea-1', 'EA', undefined, new InboundSequence(0), new OutboundQueue({ nextSeq: 1, ackedSeq: 0 }, (after, limit) => store.loadFrames('ea-1', after, limit)));
  ea.greeted = true;
  const held = new HeldSignals({
    store, signals: new SignalDesk('primary'), events: new RouterEvents(), opts: { release_chunk: 5 },
    eaPeers: () => [ea],
    open: () => batch,
    queueOutbound: (_b, _peer, _type, payload) => sent.push((payload as SignalPayload).signal_id),
    tellOrigin: (_node, reason, ref) => told.push(`${reason} ${ref}`),
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
  /** Entries stored for the EA and not yet sent to it (it is away). */
  const queue = (n: number) => {
    const b = new Batch();
    for (let seq = 1; seq <= n; seq++) {
      const header: Header = { version: PROTOCOL_VERSION, timestamp: b.timestamp, message_id: `g.ea-1-${seq}`, message_type: 'SIGNAL', source: 'GUARDIAN', destination: 'EA', stream: 'g', seq };
      const frame = encodeFramedMessage(header, { signal_id: `s-${seq}`, symbol: 'EURUSD', action: 'BUY', lots: 0.1 });
      b.outbox.push({ peer: 'ea-1', seq, message_id: header.message_id, message_type: 'SIGNAL', body: bodyOf(frame), origin_stream: 'sig-1', origin_seq: seq });
    }
    db.transaction(() => store.writeBatch(b, Date.now()))();
  };
  return { held, sent, told, commit, arrive, stillHeld, queue, ea };
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

describe('a void of the entries queued for an EA', () => {
  it('tells each service once when two voids run at once (the kill switch, and one at the EA\'s return)', async () => {
    const { held, told, commit, queue, ea } = desk();
    queue(3);
    held.voidQueued(expireEntries('kill switch')); // reads the three, rewrites them in the batch filling
    held.voidQueued(expireEntries('voided at its return'), undefined, { peer: ea, from: 0 }); // reads them too: not stored yet
    commit();
    await nextTurn();
    commit();
    expect(told).toEqual([1, 2, 3].map((n) => `SIGNAL_EXPIRED sig-1-${String(n).padStart(12, '0')}`));
  });
});

