// The router's SQL, prepared once. Every write of the hot path goes through `writeBatch`,
// inside the group commit's transaction.
import { chunkedInsert, type Db } from '../store';
import { FRAME_HEADER_BYTES, type Envelope, type PathName } from '../../../src-shared/protocol';
import type { OutboundFrame } from './streams';
import type { Peer } from './peer';

/** A framed message's body, as the outbox stores it: a view past the length prefix, no copy. */
export function bodyOf(frame: Uint8Array): Buffer {
  return Buffer.from(frame.buffer, frame.byteOffset + FRAME_HEADER_BYTES, frame.byteLength - FRAME_HEADER_BYTES);
}

export interface OutboxRow {
  peer: string;
  seq: number;
  message_id: string;
  message_type: string;
  body: Uint8Array;
  origin_stream: string | null;
  origin_seq: number | null;
}
/** A signal stored for an EA, as a void reads it: `created_ms` (wall clock) says how long it has waited. */
export interface QueuedSignalRow {
  seq: number;
  body: Buffer;
  origin_stream: string | null;
  origin_seq: number | null;
  created_ms: number;
}
export interface InboxRow {
  stream: string;
  seq: number;
  message_id: string;
  message_type: string;
  payload: string;
  path: string;
}
export interface DeadLetterRow {
  peer: string | null;
  path: string | null;
  reason: string;
  detail: string;
  message_id: string | null;
  raw: string | null;
}
export interface HeldRow {
  message_id: string;
  origin_stream: string;
  origin_seq: number;
  payload: string;
  reason: string;
  expires_ms: number | null;
  /** Refused on arrival: stored settled, never open. */
  refused?: true;
}
export interface KnownPeerRow {
  node_id: string;
  role: string;
  tier: string | null;
  legacy: number;
  forced_path: string | null;
  forced_by: string | null;
  forced_until_ms: number | null;
}
/** Where a release has got to: the last held signal it passed, by (held_ms, rowid). */
export interface ReleaseCursor {
  held_ms: number;
  rid: number;
}
export const RELEASE_FROM_START: ReleaseCursor = { held_ms: -1, rid: 0 };
/** A held signal as a release reads it. */
export type ReleasableRow = HeldRow & ReleaseCursor;
/** An open held signal due to expire: what its expiry needs, not its payload. */
export interface DueHeldRow {
  message_id: string;
  origin_stream: string;
  reason: string;
}
export interface EventRow {
  type: string;
  peer: string | null;
  path: string | null;
  detail: string;
}

/** Everything one group commit stores. */
export class Batch {
  /** One timestamp for the messages a batch creates: they are stored (and so sent) together. */
  readonly timestamp = new Date().toISOString();
  readonly outbox: OutboxRow[] = [];
  readonly inbox: InboxRow[] = [];
  readonly streamsIn = new Map<string, number>();
  readonly streamsOut = new Map<string, { next_seq: number; acked_seq: number }>();
  readonly deadLetters: DeadLetterRow[] = [];
  readonly held: HeldRow[] = [];
  readonly events: EventRow[] = [];
  readonly heldOutcomes: { message_id: string; state: string }[] = [];
  /** Open held signals given a sooner time to live (one the mode holds at its release). */
  readonly heldExpiries: { message_id: string; expires_ms: number }[] = [];
  /** Outbox rows rewritten in place, same seq (a voided entry becomes a COMMAND PING). */
  readonly outboxRewrites: { peer: string; seq: number; message_type: string; body: Uint8Array }[] = [];
  /** Peers whose inbound stream this batch advances (to streamsIn's seq). */
  readonly inboundPeers = new Set<Peer>();
  /** Frames this batch stores for each peer: they may be sent once it has committed. */
  readonly frames = new Map<Peer, OutboundFrame[]>();
  /** Messages to announce to the control plane once stored. */
  readonly messages: { peer: Peer; path: PathName; env: Envelope }[] = [];
  /** Open held signals this batch's writes opened less those they settled (set when written). */
  openHeldDelta = 0;
  /** Work to do once the batch is stored (or failed). */
  readonly after: ((err?: Error) => void)[] = [];
  get empty(): boolean {
    return this.after.length === 0 && this.outbox.length === 0 && this.inbox.length === 0 && this.streamsIn.size === 0
      && this.deadLetters.length === 0 && this.held.length === 0 && this.events.length === 0 && this.heldOutcomes.length === 0 && this.heldExpiries.length === 0 && this.outboxRewrites.length === 0;
  }
}

export class RouterStore {
  private readonly q;

  constructor(private readonly db: Db) {
    this.q = {
      streamIn: db.prepare('SELECT last_seq FROM streams_in WHERE stream = ?').pluck(),
      upsertIn: db.prepare('INSERT INTO streams_in (stream, last_seq) VALUES (?, ?) ON CONFLICT (stream) DO UPDATE SET last_seq = excluded.last_seq'),
      streamOut: db.prepare('SELECT next_seq, acked_seq FROM streams_out WHERE peer = ?'),
      upsertOut: db.prepare('INSERT INTO streams_out (peer, next_seq, acked_seq) VALUES (?, ?, ?) ON CONFLICT (peer) DO UPDATE SET next_seq = MAX(next_seq, excluded.next_seq), acked_seq = MAX(acked_seq, excluded.acked_seq)'),
      insOutbox: chunkedInsert<OutboxRow, number>(db, 'INSERT INTO outbox (peer, seq, message_id, message_type, body, origin_stream, origin_seq, created_ms) VALUES', 8,
        (r, out, now_ms) => void out.push(r.peer, r.seq, r.message_id, r.message_type, r.body, r.origin_stream, r.origin_seq, now_ms)),
      insInbox: db.prepare('INSERT OR IGNORE INTO inbox (stream, seq, message_id, message_type, payload, path, received_ms) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      frames: db.prepare('SELECT seq, body FROM outbox WHERE peer = ? AND seq > ? ORDER BY seq LIMIT ?'),
      signalsAfter: db.prepare("SELECT seq, body, origin_stream, origin_seq, created_ms FROM outbox WHERE peer = ? AND seq > ? AND message_type = 'SIGNAL' ORDER BY seq LIMIT ?"),
      rewriteOutbox: db.prepare('UPDATE outbox SET message_type = ?, body = ? WHERE peer = ? AND seq = ?'),
      pruneOutbox: db.prepare('DELETE FROM outbox WHERE peer = ? AND seq <= ? AND created_ms < ?'),
      pruneInbox: db.prepare('DELETE FROM inbox WHERE received_ms < ?'),
      upsertPeer: db.prepare(`INSERT INTO peers (node_id, role, tier, legacy, first_seen_ms, last_seen_ms) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (node_id) DO UPDATE SET role = excluded.role, tier = excluded.tier, legacy = excluded.legacy, last_seen_ms = excluded.last_seen_ms`),
      peers: db.prepare('SELECT node_id, role, tier, legacy, forced_path, forced_by, forced_until_ms FROM peers'),
      setForce: db.prepare('UPDATE peers SET forced_path = ?, forced_by = ?, forced_until_ms = ? WHERE node_id = ?'),
      insDead: db.prepare('INSERT INTO dead_letters (ts_ms, peer, path, reason, detail, message_id, raw) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      insHeld: db.prepare('INSERT OR IGNORE INTO held_signals (message_id, origin_stream, origin_seq, payload, reason, held_ms, expires_ms, state, outcome_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      // Only an open one settles (once): its `changes` keep the router's count of open ones exact.
      heldOutcome: db.prepare("UPDATE held_signals SET state = ?, outcome_ms = ? WHERE message_id = ? AND state = 'held'"),
      heldExpiry: db.prepare("UPDATE held_signals SET expires_ms = ? WHERE message_id = ? AND state = 'held'"),
      // The open ones only, through the partial index held_signals_open (migration 7).
      heldDue: db.prepare("SELECT message_id, origin_stream, reason FROM held_signals WHERE state = 'held' AND expires_ms < ? ORDER BY expires_ms LIMIT ?"),
      heldFor: db.prepare("SELECT message_id, origin_stream, reason FROM held_signals WHERE state = 'held' AND reason = ?"),
      heldForWithPayload: db.prepare("SELECT message_id, origin_stream, reason, payload FROM held_signals WHERE state = 'held' AND reason = ?"),
      // Oldest first; ties (one batch) in the order they were stored. After a cursor: a release
      // passes each row once, so one that stays held (the mode holds entries) is not read again.
      heldToRelease: db.prepare(`SELECT rowid AS rid, message_id, origin_stream, origin_seq, payload, reason, held_ms, expires_ms FROM held_signals
        WHERE state = 'held' AND (@reason IS NULL OR reason = @reason OR reason = @releasing)
          AND (held_ms > @after_ms OR (held_ms = @after_ms AND rowid > @after_rid))
        ORDER BY held_ms, rowid LIMIT @limit`),
      openHeldCount: db.prepare("SELECT COUNT(*) FROM held_signals WHERE state = 'held' AND (@reason IS NULL OR reason = @reason OR reason = @releasing)").pluck(),
      pruneHeld: db.prepare("DELETE FROM held_signals WHERE held_ms < ? AND state <> 'held'"),
      pruneDead: db.prepare('DELETE FROM dead_letters WHERE ts_ms < ?'),
      pruneEvents: db.prepare('DELETE FROM router_events WHERE ts_ms < ?'),
      insEvent: db.prepare('INSERT INTO router_events (ts_ms, type, peer, path, detail) VALUES (?, ?, ?, ?, ?)'),
      createdAt: db.prepare('SELECT created_ms FROM outbox WHERE peer = ? AND seq = ?').pluck(),
      heldCount: db.prepare("SELECT COUNT(*) FROM held_signals WHERE state = 'held'").pluck(),
      deadCount: db.prepare('SELECT COUNT(*) FROM dead_letters').pluck(),
      outboxDepth: db.prepare('SELECT COUNT(*) FROM outbox o JOIN streams_out s ON s.peer = o.peer WHERE o.seq > s.acked_seq').pluck(),
    };
  }

  streamIn(stream: string): number {
    return (this.q.streamIn.get(stream) as number | undefined) ?? 0;
  }
  streamOut(peer: string): { next_seq: number; acked_seq: number } {
    return (this.q.streamOut.get(peer) as { next_seq: number; acked_seq: number } | undefined) ?? { next_seq: 1, acked_seq: 0 };
  }
  /** The SIGNALs stored for a peer after `afterSeq`, at most `limit`, with their bodies and origins. */
  signalsAfter(peer: string, afterSeq: number, limit: number): QueuedSignalRow[] {
    return this.q.signalsAfter.all(peer, afterSeq, limit) as QueuedSignalRow[];
  }
  loadFrames(peer: string, afterSeq: number, limit: number): OutboundFrame[] {
    const rows = this.q.frames.all(peer, afterSeq, limit) as { seq: number; body: Buffer }[];
    return rows.map((r) => {
      const frame = Buffer.allocUnsafe(4 + r.body.length);
      frame.writeUInt32LE(r.body.length, 0);
      r.body.copy(frame, 4);
      return { seq: r.seq, frame };
    });
  }
  knownPeers(): KnownPeerRow[] {
    return this.q.peers.all() as KnownPeerRow[];
  }
  /** An operator's forced path for a peer (null clears it), kept across a restart. */
  keepForce(node_id: string, path: string | null, by: string | null, until_wall_ms: number | null): void {
    this.q.setForce.run(path, by, until_wall_ms, node_id);
  }
  upsertPeer(node_id: string, role: string, tier: string | null, legacy: boolean, now_ms: number): void {
    this.q.upsertPeer.run(node_id, role, tier, legacy ? 1 : 0, now_ms, now_ms);
  }
  /** Open held signals whose time to live ended before `now_ms`, the oldest first, at most `limit`. */
  dueHeld(now_ms: number, limit: number): DueHeldRow[] {
    return this.q.heldDue.all(now_ms, limit) as DueHeldRow[];
  }
  /**
   * The next open held signals to release after `after` (held_ms, rowid): for `reason` (or every
   * one) and those held behind a release (`releasing`).
   */
  heldToRelease(reason: string | undefined, releasing: string, after: ReleaseCursor, limit: number): ReleasableRow[] {
    return this.q.heldToRelease.all({ reason: reason ?? null, releasing, after_ms: after.held_ms, after_rid: after.rid, limit }) as ReleasableRow[];
  }
  /** How many are open for `reason` (or in all), with those held behind a release: what heldToRelease reads. */
  openHeldCount(reason: string | undefined, releasing: string): number {
    return this.q.openHeldCount.get({ reason: reason ?? null, releasing }) as number;
  }
  /** Open held signals held for `reason`. */
  heldFor(reason: string): DueHeldRow[] {
    return this.q.heldFor.all(reason) as DueHeldRow[];
  }
  /** The same with their payloads, for a choice among them by what they are. */
  heldForWithPayload(reason: string): (DueHeldRow & { payload: string })[] {
    return this.q.heldForWithPayload.all(reason) as (DueHeldRow & { payload: string })[];
  }
  /**
   * Acknowledged outbox rows and old inbox rows go; so do held signals settled (released, expired,
   * refused) and held before the inbox's cut-off, and dead letters and router events older than it.
   * An open held signal stays, however old, until its outcome.
   */
  prune(peers: { node_id: string; acked: number; next: number }[], outboxBefore_ms: number, inboxBefore_ms: number): void {
    this.db.transaction(() => {
      for (const p of peers) {
        this.q.upsertOut.run(p.node_id, p.next, p.acked);
        this.q.pruneOutbox.run(p.node_id, p.acked, outboxBefore_ms);
      }
      this.q.pruneInbox.run(inboxBefore_ms);
      this.q.pruneHeld.run(inboxBefore_ms);
      this.q.pruneDead.run(inboxBefore_ms);
      this.q.pruneEvents.run(inboxBefore_ms);
    })();
  }
  createdAt(peer: string, seq: number): number | null {
    return (this.q.createdAt.get(peer, seq) as number | undefined) ?? null;
  }
  /** Counts the open ones (through their index): at the start; the router counts on from there. */
  heldCount(): number {
    return this.q.heldCount.get() as number;
  }
  deadLetterCount(): number {
    return this.q.deadCount.get() as number;
  }

  /** Stores a batch (inside the caller's transaction); returns how many open held signals it added, net. */
  writeBatch(b: Batch, now_ms: number): number {
    const q = this.q;
    // Outbox rows go in by 64 at a time: one statement call per 64 rows, not per row.
    q.insOutbox.run(b.outbox, now_ms);
    for (const r of b.inbox) q.insInbox.run(r.stream, r.seq, r.message_id, r.message_type, r.payload, r.path, now_ms);
    for (const [stream, seq] of b.streamsIn) q.upsertIn.run(stream, seq);
    for (const [peer, s] of b.streamsOut) q.upsertOut.run(peer, s.next_seq, s.acked_seq);
    for (const r of b.deadLetters) q.insDead.run(now_ms, r.peer, r.path, r.reason, r.detail, r.message_id, r.raw);
    let openHeld = 0;
    for (const r of b.held) {
      const n = q.insHeld.run(r.message_id, r.origin_stream, r.origin_seq, r.payload, r.reason, now_ms, r.expires_ms, r.refused ? 'refused' : 'held', r.refused ? now_ms : null).changes;
      if (!r.refused) openHeld += n;
    }
    for (const r of b.heldExpiries) q.heldExpiry.run(r.expires_ms, r.message_id);
    for (const r of b.heldOutcomes) openHeld -= q.heldOutcome.run(r.state, now_ms, r.message_id).changes;
    for (const e of b.events) q.insEvent.run(now_ms, e.type, e.peer, e.path, e.detail);
    for (const r of b.outboxRewrites) q.rewriteOutbox.run(r.message_type, r.body, r.peer, r.seq);
    return openHeld;
  }
}
