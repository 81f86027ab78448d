// Group commit: every write that arrives while the event loop is busy is stored by one
// transaction, one fsync. Durability (synchronous=FULL) then costs one fsync per batch,
// not per message. Callers learn the outcome after the commit, and only then send ACKs.
import type { Db } from './db';

export interface CommitWork {
  /** Runs inside the transaction. Throwing aborts the whole batch. */
  write(db: Db): void;
  /** Runs after the commit (err undefined) or after the batch failed. */
  done(err?: Error): void;
}

export interface GroupCommitStats {
  batches: number;
  writes: number;
  failures: number;
  last_batch_size: number;
  last_error?: string;
}

export class GroupCommit {
  private pending: CommitWork[] = [];
  private scheduled = false;
  private disposed = false;
  readonly stats: GroupCommitStats = { batches: 0, writes: 0, failures: 0, last_batch_size: 0 };

  constructor(
    private readonly db: Db,
    private readonly maxBatch = 10_000,
    /** Defer flushes (tests, and the EA simulator's slow-disk fault). */
    private readonly schedule: (fn: () => void) => void = (fn) => setImmediate(fn),
  ) {}

  private readonly batchEnd: { end: (db: Db) => void; abort?: () => void }[] = [];

  /**
   * Runs `fn` inside every batch's transaction after its writes: for state a batch advances
   * once (a stream's last seq), written once per batch rather than once per message.
   * `abort` runs when the batch failed, so that such state is forgotten with it.
   */
  onBatchEnd(end: (db: Db) => void, abort?: () => void): void {
    this.batchEnd.push({ end, abort });
  }

  get queued(): number {
    return this.pending.length;
  }

  enqueue(work: CommitWork): void {
    if (this.disposed) {
      work.done(new Error('store closed'));
      return;
    }
    this.pending.push(work);
    if (this.pending.length >= this.maxBatch) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(() => this.flush());
    }
  }

  /** Stores everything queued now. Safe to call at any time (shutdown flushes). */
  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    let error: Error | undefined;
    try {
      this.db.transaction(() => {
        for (const w of batch) w.write(this.db);
        for (const h of this.batchEnd) h.end(this.db);
      })();
      this.stats.batches++;
      this.stats.writes += batch.length;
      this.stats.last_batch_size = batch.length;
    } catch (err) {
      error = err instanceof Error ? err : new Error(String(err));
      this.stats.failures++;
      this.stats.last_error = error.message;
      for (const h of this.batchEnd) h.abort?.();
    }
    for (const w of batch) {
      try {
        w.done(error);
      } catch {
        // a callback's own failure must not stop the others from learning the outcome
      }
    }
  }

  dispose(): void {
    this.flush();
    this.disposed = true;
  }
}
