// What a peer keeps on disk: its outbox (every data message from before its first send until
// Guardian acknowledges it), its sequence counters, and Guardian's messages it has stored but
// perhaps not yet handed to the application. All writes run inside the group commit.
import { decodeMessage, type Envelope } from '../../../src-shared/protocol';
import { chunkedInsert, type Db } from '../../guardian/store';
import type { OutboundFrame } from '../../guardian/router';
import type { SimMigration } from './sim-db';

export const PEER_MIGRATIONS: readonly SimMigration[] = [
  {
    version: 1,
    name: 'peer: outbox, stream counters, inbox',
    sql: `
      CREATE TABLE sim_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      -- our own stream to Guardian: one row
      CREATE TABLE sim_stream_out (id INTEGER PRIMARY KEY CHECK (id = 1), next_seq INTEGER NOT NULL, acked_seq INTEGER NOT NULL);
      INSERT INTO sim_stream_out (id, next_seq, acked_seq) VALUES (1, 1, 0);
      CREATE TABLE sim_outbox (
        seq INTEGER PRIMARY KEY, message_id TEXT NOT NULL, message_type TEXT NOT NULL,
        frame BLOB NOT NULL, created_ms INTEGER NOT NULL);
      -- Guardian's streams to us: last stored in order, last handed to the application
      CREATE TABLE sim_stream_in (stream TEXT PRIMARY KEY, last_seq INTEGER NOT NULL, delivered_seq INTEGER NOT NULL);
      CREATE TABLE sim_inbox (
        stream TEXT NOT NULL, seq INTEGER NOT NULL, message_type TEXT NOT NULL, envelope TEXT NOT NULL,
        received_ms INTEGER NOT NULL, PRIMARY KEY (stream, seq)) WITHOUT ROWID;
      CREATE TABLE sim_dead_letters (
        id INTEGER PRIMARY KEY, ts_ms INTEGER NOT NULL, path TEXT NOT NULL, reason TEXT NOT NULL,
        detail TEXT NOT NULL, text TEXT);
    `,
  },
];

interface OutboxRow {
  seq: number;
  id: string;
  type: string;
  frame: Uint8Array;
}
interface InboxRow {
  env: Envelope;
  body?: Uint8Array | undefined;
}

export interface StreamInState {
  last_seq: number;
  delivered_seq: number;
}

export class PeerStore {
  private readonly q;

  constructor(readonly db: Db) {
    this.q = {
      meta: db.prepare('SELECT value FROM sim_meta WHERE key = ?').pluck(),
      setMeta: db.prepare('INSERT INTO sim_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      out: db.prepare('SELECT next_seq, acked_seq FROM sim_stream_out WHERE id = 1'),
      maxOutbox: db.prepare('SELECT MAX(seq) FROM sim_outbox').pluck(),
      setNext: db.prepare('UPDATE sim_stream_out SET next_seq = MAX(next_seq, ?) WHERE id = 1'),
      setAcked: db.prepare('UPDATE sim_stream_out SET acked_seq = MAX(acked_seq, ?) WHERE id = 1'),
      insOutbox: chunkedInsert<OutboxRow, number>(db, 'INSERT INTO sim_outbox (seq, message_id, message_type, frame, created_ms) VALUES', 5,
        (r, out, now_ms) => void out.push(r.seq, r.id, r.type, r.frame, now_ms)),
      pruneOutbox: db.prepare('DELETE FROM sim_outbox WHERE seq <= ?'),
      frames: db.prepare('SELECT seq, frame FROM sim_outbox WHERE seq > ? ORDER BY seq LIMIT ?'),
      streamIn: db.prepare('SELECT last_seq, delivered_seq FROM sim_stream_in WHERE stream = ?'),
      upsertIn: db.prepare(`INSERT INTO sim_stream_in (stream, last_seq, delivered_seq) VALUES (?, ?, 0)
        ON CONFLICT (stream) DO UPDATE SET last_seq = MAX(last_seq, excluded.last_seq)`),
      setDelivered: db.prepare('UPDATE sim_stream_in SET delivered_seq = MAX(delivered_seq, ?) WHERE stream = ?'),
      // The frame's own bytes when we have them (no second serialisation); JSON text otherwise.
      insInbox: chunkedInsert<InboxRow, number>(db, 'INSERT OR IGNORE INTO sim_inbox (stream, seq, message_type, envelope, received_ms) VALUES', 5,
        (r, out, now_ms) => void out.push(r.env.header.stream, r.env.header.seq, r.env.header.message_type,
          r.body ? Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength) : JSON.stringify(r.env), now_ms)),
      pruneInbox: db.prepare('DELETE FROM sim_inbox WHERE stream = ? AND seq <= ?'),
      undelivered: db.prepare('SELECT envelope FROM sim_inbox WHERE stream = ? AND seq > ? ORDER BY seq').pluck(),
      deadLetter: db.prepare('INSERT INTO sim_dead_letters (ts_ms, path, reason, detail, text) VALUES (?, ?, ?, ?, ?)'),
    };
  }

  meta(key: string): string | undefined {
    return this.q.meta.get(key) as string | undefined;
  }
  setMeta(key: string, value: string): void {
    this.q.setMeta.run(key, value);
  }

  /** Our stream's counters; next_seq never goes below a stored message (belt and braces). */
  streamOut(): { nextSeq: number; ackedSeq: number } {
    const row = this.q.out.get() as { next_seq: number; acked_seq: number };
    const maxStored = (this.q.maxOutbox.get() as number | null) ?? 0;
    return { nextSeq: Math.max(row.next_seq, maxStored + 1), ackedSeq: row.acked_seq };
  }

  /** Guardian holds everything up to `seq`: those messages need not be kept. */
  markAcked(seq: number): void {
    this.q.setAcked.run(seq);
    this.q.setNext.run(seq + 1); // before the prune: the pruned rows no longer count toward next_seq
    this.q.pruneOutbox.run(seq);
  }

  /**
   * One commit's sends, 64 rows a statement. next_seq need not be written per message:
   * streamOut() also counts what the outbox holds.
   */
  insertOutboxRows(rows: readonly OutboxRow[], now_ms: number): void {
    this.q.insOutbox.run(rows, now_ms);
  }

  loadFrames(afterSeq: number, limit: number): OutboundFrame[] {
    const rows = this.q.frames.all(afterSeq, limit) as { seq: number; frame: Buffer }[];
    return rows.map((r) => ({ seq: r.seq, frame: new Uint8Array(r.frame.buffer, r.frame.byteOffset, r.frame.byteLength) }));
  }

  streamIn(stream: string): StreamInState {
    return (this.q.streamIn.get(stream) as StreamInState | undefined) ?? { last_seq: 0, delivered_seq: 0 };
  }

  private readonly pendingIn = new Map<string, number>();

  /** The stream's last seq is written once per batch (flushStreamsIn), not per message. */
  insertInbox(env: Envelope, now_ms: number, body?: Uint8Array): void {
    this.insertInboxRows([{ env, body }], now_ms);
  }

  /** Many at once (one commit's arrivals), 64 rows a statement. */
  insertInboxRows(rows: readonly InboxRow[], now_ms: number): void {
    this.q.insInbox.run(rows, now_ms);
    for (const r of rows) this.pendingIn.set(r.env.header.stream, r.env.header.seq);
  }

  /** Runs at the end of every group commit, inside its transaction. */
  flushStreamsIn(): void {
    for (const [stream, seq] of this.pendingIn) this.q.upsertIn.run(stream, seq);
    this.pendingIn.clear();
  }

  /** The batch failed: what it would have advanced is forgotten with it. */
  forgetStreamsIn(): void {
    this.pendingIn.clear();
  }

  /** A message that broke the schema: its seq counts as stored (so the stream moves on), kept for a look. */
  deadLetter(path: string, reason: string, detail: string, text: string | undefined, stream: string | undefined, seq: number | undefined, now_ms: number): void {
    this.q.deadLetter.run(now_ms, path, reason, detail, text ?? null);
    if (stream !== undefined && seq !== undefined && seq > 0) this.q.upsertIn.run(stream, seq);
  }

  markDelivered(stream: string, seq: number): void {
    this.q.setDelivered.run(seq, stream);
    this.q.pruneInbox.run(stream, seq);
  }

  /** Stored but not handed over before a crash: handed over again at start (at-least-once across a crash). */
  undelivered(stream: string, afterSeq: number): Envelope[] {
    const out: Envelope[] = [];
    for (const row of this.q.undelivered.all(stream, afterSeq) as (string | Buffer)[]) {
      if (typeof row === 'string') {
        out.push(JSON.parse(row) as Envelope);
        continue;
      }
      const d = decodeMessage(row);
      if (d.ok) out.push(d.envelope);
    }
    return out;
  }
}
