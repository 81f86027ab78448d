// The receiving side of a peer (PROTOCOL.md 5.2): each of Guardian's messages is stored, then
// acknowledged (cumulatively, once per commit batch), and handed to the application once, in seq
// order. A duplicate is acknowledged again; a message past a hole is dropped and answered with
// the last in-order seq, so Guardian goes back and fills it.
import type { Envelope } from '../../../src-shared/protocol';
import { InboundSequence } from '../../guardian/router';
import type { GroupCommit } from '../../guardian/store';
import { AsyncQueue } from './async-queue';
import type { DeliveryInfo } from './options';
import type { PeerStore } from './peer-store';
import type { PathSession } from './session';

export type Handler = (env: Envelope, info: DeliveryInfo) => void;

export class Inbox {
  readonly handlers = new Set<Handler>();
  /** Each new message as it arrives in order, before it is stored (PeerOptions.onReceive). */
  onReceive: ((env: Envelope, path: PathSession['path']) => void) | undefined;
  readonly iterators = new Set<AsyncQueue<Envelope>>();
  readonly counts = { delivered: 0, duplicates: 0, gaps: 0, badInput: 0 };
  private readonly sequences = new Map<string, InboundSequence>();
  private readonly ackDue = new Map<PathSession, string>();
  private readonly deliveredUpTo = new Map<string, number>();
  private ackFlushScheduled = false;
  private deliveredWriteQueued = false;
  private store: PeerStore | undefined;
  private commit: GroupCommit | undefined;

  constructor(
    private readonly running: () => boolean,
    private readonly log: (line: string) => void,
  ) {}

  /** The store is opened at start; until then nothing arrives. */
  open(store: PeerStore, commit: GroupCommit): void {
    this.store = store;
    this.commit = commit;
  }

  sequence(stream: string): InboundSequence {
    let s = this.sequences.get(stream);
    if (!s) {
      s = new InboundSequence(this.store!.streamIn(stream).last_seq);
      this.sequences.set(stream, s);
    }
    return s;
  }

  /** The last seq of a stream stored in order, without touching the store (safe after stop). */
  lastStored(stream: string): number {
    return this.sequences.get(stream)?.lastCommitted ?? 0;
  }

  /** Messages stored before a crash but perhaps not handed over: handed over again, flagged. */
  redeliver(stream: string): void {
    const store = this.store!;
    for (const env of store.undelivered(stream, store.streamIn(stream).delivered_seq)) this.deliver(env, { path: 'store', redelivered: true });
  }

  onData(session: PathSession, env: Envelope, legacy: boolean, body?: Uint8Array): void {
    if (legacy) {
      this.received(env, session.path);
      this.deliver(env, { path: session.path, redelivered: false }); // 1.0: no seq, handed over as it comes
      return;
    }
    const h = env.header;
    const seqs = this.sequence(h.stream);
    const verdict = seqs.classify(h.seq);
    if (verdict !== 'next') {
      if (verdict === 'duplicate') this.counts.duplicates++;
      else this.counts.gaps++;
      session.sendAck(seqs.lastCommitted);
      return;
    }
    seqs.accept(h.seq);
    this.received(env, session.path);
    this.pending.push({ session, env, seqs, body });
    if (this.pending.length === 1) this.queueStore();
  }

  /** Messages accepted since the last commit: stored together, by one commit work. */
  private pending: { session: PathSession; env: Envelope; seqs: InboundSequence; body: Uint8Array | undefined }[] = [];

  private queueStore(): void {
    const store = this.store!;
    let batch: typeof this.pending | undefined;
    const take = () => {
      batch = this.pending;
      this.pending = [];
      return batch;
    };
    this.commit!.enqueue({
      write: () => {
        store.insertInboxRows(take(), Date.now());
      },
      done: (err) => {
        // A transaction that failed before its writes ran (a closed store) still settles its batch.
        if (!batch) take();
        batch = batch!;
        if (!this.running()) return;
        if (err) {
          for (const m of batch) m.seqs.rollback(); // not stored: no ACK; Guardian's resend fills the hole
          return;
        }
        for (const m of batch) {
          m.seqs.commit(m.env.header.seq);
          this.deliver(m.env, { path: m.session.path, redelivered: false });
          this.queueAck(m.session, m.env.header.stream);
        }
      },
    });
  }

  /**
   * A message that breaks the schema is stored aside and acknowledged, so it never stalls the
   * stream (PROTOCOL.md 7); a bad checksum or signature is not acknowledged: Guardian resends.
   */
  onBadInput(session: PathSession, reason: string, detail: string, header: { stream?: string; seq?: number } | undefined, text: string | undefined): void {
    this.counts.badInput++;
    this.log(`bad input on ${session.path}: ${reason}: ${detail}`);
    const stream = header?.stream;
    const seq = header?.seq;
    if (reason !== 'BAD_MESSAGE' || stream === undefined || seq === undefined || seq <= 0) return;
    const seqs = this.sequence(stream);
    if (seqs.classify(seq) !== 'next') {
      session.sendAck(seqs.lastCommitted);
      return;
    }
    seqs.accept(seq);
    const store = this.store!;
    this.commit!.enqueue({
      write: () => store.deadLetter(session.path, reason, detail, text, stream, seq, Date.now()),
      done: (err) => {
        if (!this.running()) return;
        if (err) return seqs.rollback();
        seqs.commit(seq);
        this.queueAck(session, stream);
      },
    });
  }

  /** ACKs leave once per batch, after the commit (cumulative: the latest mark says it all). */
  private queueAck(session: PathSession, stream: string): void {
    this.ackDue.set(session, stream);
    if (this.ackFlushScheduled) return;
    this.ackFlushScheduled = true;
    queueMicrotask(() => {
      this.ackFlushScheduled = false;
      for (const [s, st] of this.ackDue) s.sendAck(this.lastStored(st));
      this.ackDue.clear();
    });
  }

  private received(env: Envelope, path: PathSession['path']): void {
    try {
      this.onReceive?.(env, path);
    } catch (err) {
      this.log(`onReceive threw on ${env.header.message_id}: ${(err as Error).message}`);
    }
  }

  private deliver(env: Envelope, info: DeliveryInfo): void {
    this.counts.delivered++;
    for (const h of this.handlers) {
      try {
        h(env, info);
      } catch (err) {
        // The application's bug must not break the stream: the message is stored and acknowledged.
        this.log(`onMessage threw on ${env.header.message_id}: ${(err as Error).message}`);
      }
    }
    for (const q of this.iterators) q.push(env);
    if (env.header.seq > 0) {
      this.deliveredUpTo.set(env.header.stream, env.header.seq);
      this.queueDeliveredWrite();
    }
  }

  /** Records how far the application was handed messages (one write per batch). */
  queueDeliveredWrite(): void {
    if (this.deliveredWriteQueued || this.deliveredUpTo.size === 0 || !this.store) return;
    this.deliveredWriteQueued = true;
    const store = this.store;
    this.commit!.enqueue({
      write: () => {
        for (const [stream, seq] of this.deliveredUpTo) store.markDelivered(stream, seq);
      },
      done: () => {
        this.deliveredWriteQueued = false;
      },
    });
  }

  endIterators(): void {
    for (const q of this.iterators) q.end();
  }
}
