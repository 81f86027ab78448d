// Sequence bookkeeping for one direction of one stream (PROTOCOL.md section 5). Pure: the
// durable part lives in the store; these classes hold what is in flight around it.

/** What a receiver does with a data message's seq. */
export type SeqVerdict = 'next' | 'duplicate' | 'gap';

/**
 * The receiving side of a stream: hands each seq over exactly once, in order.
 * `accept` is tentative until the group commit that stores it succeeds (`commit`), so a
 * failed commit (disk full) rolls back and the sender's resend fills the hole.
 */
export class InboundSequence {
  private pending: number;
  constructor(private committed: number) {
    this.pending = committed;
  }
  get lastCommitted(): number {
    return this.committed;
  }
  get lastAccepted(): number {
    return this.pending;
  }
  classify(seq: number): SeqVerdict {
    if (seq <= this.pending) return 'duplicate';
    return seq === this.pending + 1 ? 'next' : 'gap';
  }
  accept(seq: number): void {
    this.pending = seq;
  }
  commit(upTo: number): void {
    if (upTo > this.committed) this.committed = upTo;
  }
  rollback(): void {
    this.pending = this.committed;
  }
}

/** The resend wait doubles at most this many times (1 s becomes 16 s). */
const MAX_BACKOFF_DOUBLINGS = 4;

export interface OutboundFrame {
  seq: number;
  frame: Uint8Array;
}

/**
 * The sending side of a stream: sequence numbers, the acknowledged mark, and a send pointer
 * that can be rewound (go-back-N) after a path switch, a HELLO or a resend timeout.
 * Frames are kept in a bounded cache; a frame not in it is read back from the store through
 * `loadFrames` when it must be sent (again).
 */
export class OutboundQueue {
  private nextSeq: number;
  private committedSeq: number;
  private ackedSeq: number;
  private sentSeq: number;
  /**
   * The cache: a ring indexed by seq, slot `seq % capacity`, holding a frame only while it is
   * unacknowledged (a Map's set, get and delete cost 0.3 us a message; the ring's, 0.01). A seq
   * more than `capacity` past the acknowledged mark would take an unacknowledged frame's slot, so
   * it is not cached and is read back from the store when sent.
   */
  private readonly ringFrames: (Uint8Array | undefined)[];
  private readonly ringSeqs: Float64Array;
  /** Monotonic time of the last ack progress, for the resend timer. */
  lastProgress_ms = 0;
  /**
   * Resend timeouts since the last ACK that moved the mark: each doubles the next wait (capped),
   * so a receiver that is slow, not deaf, is not buried under copies of a window it is still
   * working through (congestion collapse). An ACK that moves the mark resets it.
   */
  timeoutsInARow = 0;

  constructor(
    state: { nextSeq: number; ackedSeq: number },
    private readonly loadFrames: (afterSeq: number, limit: number) => OutboundFrame[],
    private readonly cacheLimit = 65_536,
  ) {
    this.ringFrames = new Array<Uint8Array | undefined>(cacheLimit).fill(undefined);
    this.ringSeqs = new Float64Array(cacheLimit);
    this.nextSeq = state.nextSeq;
    this.committedSeq = state.nextSeq - 1;
    this.ackedSeq = Math.min(state.ackedSeq, this.committedSeq);
    this.sentSeq = this.ackedSeq;
  }

  get acked(): number {
    return this.ackedSeq;
  }
  get committed(): number {
    return this.committedSeq;
  }
  get sent(): number {
    return this.sentSeq;
  }
  get next(): number {
    return this.nextSeq;
  }
  /** Messages stored but not yet acknowledged by the peer. */
  get unacked(): number {
    return this.committedSeq - this.ackedSeq;
  }
  get inFlight(): number {
    return this.sentSeq - this.ackedSeq;
  }

  /** Reserves the next seq inside a batch that is about to be stored. */
  allocate(): number {
    return this.nextSeq++;
  }
  /** The batch that stored these seqs committed: they may now be sent. */
  commit(frames: OutboundFrame[]): void {
    for (const f of frames) {
      if (f.seq - this.ackedSeq <= this.cacheLimit) {
        const i = f.seq % this.cacheLimit;
        this.ringFrames[i] = f.frame;
        this.ringSeqs[i] = f.seq;
      }
      if (f.seq > this.committedSeq) this.committedSeq = f.seq;
    }
  }
  /** The batch failed: give back the seqs it reserved. */
  rollback(): void {
    this.nextSeq = this.committedSeq + 1;
  }

  /** Cumulative ACK. Returns true when it moved the mark. */
  ack(seq: number, now_ms: number): boolean {
    if (seq <= this.ackedSeq) return false;
    const upTo = Math.min(seq, this.committedSeq);
    // Acknowledged frames leave the ring (their bytes may hold a whole encode slab alive).
    if (upTo - this.ackedSeq >= this.cacheLimit) this.ringFrames.fill(undefined);
    else {
      for (let s = this.ackedSeq + 1; s <= upTo; s++) {
        const i = s % this.cacheLimit;
        if (this.ringSeqs[i] === s) this.ringFrames[i] = undefined;
      }
    }
    this.ackedSeq = upTo;
    if (this.sentSeq < upTo) this.sentSeq = upTo;
    this.lastProgress_ms = now_ms;
    this.timeoutsInARow = 0;
    return true;
  }

  /** The wait before resending the window, after `timeoutsInARow` fruitless ones: base x 2^n, at most 16x. */
  resendWait_ms(base_ms: number): number {
    return base_ms * 2 ** Math.min(this.timeoutsInARow, MAX_BACKOFF_DOUBLINGS);
  }

  /** Go back to the acknowledged mark: everything after it is sent again. */
  rewind(): void {
    this.sentSeq = this.ackedSeq;
  }

  /**
   * Sending stops before this seq while its stored frame is being rewritten (a voided entry): the
   * old frame must not leave meanwhile. null: no stop.
   */
  holdFrom: number | null = null;
  /** Rewrites not yet stored: the stop lifts when the last of them is. */
  rewritesPending = 0;

  /** A stored frame rewritten (same seq): the cache serves the new one. */
  replace(seq: number, frame: Uint8Array): void {
    const i = seq % this.cacheLimit;
    if (this.ringSeqs[i] === seq && this.ringFrames[i]) this.ringFrames[i] = frame;
  }

  /** The next frames to send within the window, advancing the send pointer. */
  take(window: number): OutboundFrame[] {
    let limit = Math.min(this.committedSeq, this.ackedSeq + window);
    if (this.holdFrom !== null) limit = Math.min(limit, this.holdFrom - 1);
    const out: OutboundFrame[] = [];
    while (this.sentSeq < limit) {
      const seq = this.sentSeq + 1;
      const i = seq % this.cacheLimit;
      const frame = this.ringSeqs[i] === seq ? this.ringFrames[i] : undefined;
      if (frame) {
        out.push({ seq, frame });
        this.sentSeq = seq;
        continue;
      }
      const loaded = this.loadFrames(this.sentSeq, limit - this.sentSeq);
      if (loaded.length === 0 || loaded[0]!.seq !== seq) break; // store and memory disagree: stop, never skip
      for (const f of loaded) {
        if (f.seq !== this.sentSeq + 1) break;
        out.push(f);
        this.sentSeq = f.seq;
      }
    }
    return out;
  }
}
