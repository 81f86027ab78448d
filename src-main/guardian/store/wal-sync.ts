// The fsync that makes a group commit durable, done off the event loop.
//
// With synchronous=FULL, SQLite fsyncs the WAL inside COMMIT: 0.2-1 ms on this kind of disk with
// the event loop stopped, every batch; heartbeats and echoes wait behind it. So the group commit
// runs its own transaction at NORMAL (the WAL is written, not synced), then fsyncs the WAL file
// on libuv's thread pool, and only then lets the batch's callbacks (the ACKs) run. What is
// acknowledged is exactly as durable as with FULL: an ACK never leaves before the fsync that
// covers its commit. Every other write on the connection stays at FULL.
import { closeSync, fsync, fsyncSync, openSync } from 'node:fs';
import type { Db } from './db';

export type FsyncFn = (fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => void;

export class WalSync {
  private fd: number | undefined;
  private disposed = false;
  private inFlight = 0;

  /**
   * `file`: the database file (its WAL is `${file}-wal`). `fsyncFn`: injectable so that a test
   * can make the disk fail.
   */
  constructor(
    private readonly db: Db,
    private readonly file: string,
    private readonly fsyncFn: FsyncFn = fsync,
  ) {}

  /** For a database opened from a file (not `:memory:`), in WAL mode. */
  static for(db: Db, fsyncFn?: FsyncFn): WalSync | undefined {
    if (db.memory || db.readonly) return undefined;
    if (String(db.pragma('journal_mode', { simple: true })).toLowerCase() !== 'wal') return undefined;
    return new WalSync(db, db.name, fsyncFn);
  }

  /** Runs `fn` (one transaction) with the WAL written but not synced: `sync` must follow before any ACK. */
  unsynced<T>(fn: () => T): T {
    this.db.exec('PRAGMA main.synchronous = NORMAL');
    try {
      return fn();
    } finally {
      this.db.exec('PRAGMA main.synchronous = FULL');
    }
  }

  /** Makes every commit so far durable, on the thread pool; `done` runs on the event loop. */
  sync(done: (err: Error | null) => void): void {
    let fd: number;
    try {
      if (this.disposed) throw new Error('store closed');
      fd = this.open();
    } catch (err) {
      queueMicrotask(() => done(err as Error));
      return;
    }
    this.inFlight++;
    this.fsyncFn(fd, (err) => {
      this.inFlight--;
      if (this.disposed && this.inFlight === 0) this.closeFd();
      done(err ? new Error(`fsync of ${this.file}-wal failed: ${err.message}`) : null);
    });
  }

  /** The same, now, on this thread (shutdown). */
  syncNow(): void {
    fsyncSync(this.open());
  }

  private open(): number {
    // Read-write: Windows flushes a handle only if it may write. Opened once, on the first sync,
    // when the WAL exists; SQLite truncates and rewrites the same file, never replaces it while open.
    return (this.fd ??= openSync(`${this.file}-wal`, 'r+'));
  }

  private closeFd(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      // already gone with the process's files
    }
    this.fd = undefined;
  }

  dispose(): void {
    this.disposed = true;
    if (this.inFlight === 0) this.closeFd();
  }
}
