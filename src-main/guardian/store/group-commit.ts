// Group commit: every write that arrives while the event loop is busy is stored by one
// transaction, one fsync. Durability (synchronous=FULL) then costs one fsync per batch,
// not per message. Callers learn the outcome after the commit, and only then send ACKs.
// Given a WalSync, that fsync runs on the thread pool instead of inside COMMIT (wal-sync.ts):
// the next batch is built meanwhile, and outcomes are still told in commit order.
import type { Db } from './db';
import type { WalSync } from './wal-sync';

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

const MAX_SYNCS_IN_FLIGHT = 2;

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
    /** Sync the WAL off the event loop (the service's and the simulator's stores). */
    private readonly walSync?: WalSync,
  ) {}

  /** Batches committed (or failed), in commit order, whose callbacks wait for an fsync that covers them. */
  private unsettled: { id: number; works: CommitWork[]; error?: Error }[] = [];
  private lastBatchId = 0;
  /** The last batch an fsync already started (or finished) covers. */
  private coveredBatchId = 0;
  private syncsInFlight = 0;
  /** An fsync failed: nothing written since can be promised durable (fail-stop until a restart). */
  private durabilityLost: Error | undefined;

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
    if (this.disposed || this.durabilityLost) {
      work.done(this.durabilityLost ?? new Error('store closed'));
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
    if (this.disposed) {
      settle(batch, new Error('store closed')); // queued by a callback told its outcome at shutdown
      return;
    }
    let error: Error | undefined;
    try {
      const tx = this.db.transaction(() => {
        for (const w of batch) w.write(this.db);
        for (const h of this.batchEnd) h.end(this.db);
      });
      if (this.walSync) this.walSync.unsynced(tx);
      else tx();
      this.stats.batches++;
      this.stats.writes += batch.length;
      this.stats.last_batch_size = batch.length;
    } catch (err) {
      error = err instanceof Error ? err : new Error(String(err));
      this.stats.failures++;
      this.stats.last_error = error.message;
      for (const h of this.batchEnd) h.abort?.();
    }
    if (!this.walSync) {
      settle(batch, error);
      return;
    }
    // A failed batch waits its turn too: its rollback must not overtake an earlier batch's commit.
    this.unsettled.push({ id: ++this.lastBatchId, works: batch, error });
    this.startSync();
  }

  /**
   * An fsync started after batch N was written covers every batch up to N. Two may run at once,
   * so a batch written while one is in flight need not wait for it to end before its own starts.
   */
  private startSync(): void {
    if (this.syncsInFlight >= MAX_SYNCS_IN_FLIGHT || this.coveredBatchId === this.lastBatchId) return;
    const upTo = (this.coveredBatchId = this.lastBatchId);
    this.syncsInFlight++;
    this.walSync!.sync((err) => {
      this.syncsInFlight--;
      if (this.disposed) return; // dispose told every outcome already
      if (err) this.loseDurability(err);
      while (this.unsettled.length > 0 && this.unsettled[0]!.id <= upTo) {
        const b = this.unsettled.shift()!;
        settle(b.works, b.error ?? this.durabilityLost);
      }
      this.startSync();
    });
  }

  private loseDurability(err: Error): void {
    if (this.durabilityLost) return;
    this.durabilityLost = new Error(`${err.message}; nothing is acknowledged until Guardian restarts on a working disk`);
    this.stats.failures++;
    this.stats.last_error = this.durabilityLost.message;
    // Nothing written so far can be promised any more.
    for (const b of this.unsettled.splice(0)) settle(b.works, b.error ?? this.durabilityLost);
  }

  dispose(): void {
    this.flush();
    if (this.walSync) {
      // Shutdown: the last fsync on this thread, so every outcome is told before the store closes.
      const waiting = this.unsettled.splice(0);
      if (waiting.length > 0) {
        let err: Error | undefined;
        try {
          this.walSync.syncNow();
        } catch (e) {
          err = e instanceof Error ? e : new Error(String(e));
        }
        for (const b of waiting) settle(b.works, b.error ?? err);
      }
      this.walSync.dispose();
    }
    this.disposed = true;
  }
}

function settle(works: CommitWork[], error: Error | undefined): void {
  for (const w of works) {
    try {
      w.done(error);
    } catch {
      // a callback's own failure must not stop the others from learning the outcome
    }
  }
}
