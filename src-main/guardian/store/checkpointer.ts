// WAL checkpoints off the event loop.
//
// A checkpoint copies the pages the WAL holds back into the database file and fsyncs it. SQLite
// runs one inside the COMMIT that takes the WAL past wal_autocheckpoint, on the committing
// thread: with 32 MB to copy and flush, the event loop stopped for 100 - 250 ms at full load, so
// heartbeats, echoes and ACKs waited, and the pulse read an event-loop lag over a pulse
// (`event_loop_stalled`, critical) and degraded the mode. The Checkpointer runs PASSIVE checkpoints
// every interval_ms on a worker thread with a connection of its own: PASSIVE never waits for
// readers or the writer, it copies what it can. The writer's own auto-checkpoint stays as the
// backstop and the WAL's reset: when it fires, the worker has already copied and synced nearly
// everything, so it has only the last few pages left.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './db';

export interface CheckpointerStats {
  /** WAL frames copied into the database file, over all passes (a PASSIVE pass that finds the
   * checkpoint lock taken, by the writer's own checkpoint, copies nothing and is tried again). */
  frames_copied: number;
  last_error?: string;
}

// The worker's code, as plain CommonJS evaluated by the worker: it needs no loader (tsx, the
// Electron bundle), only the driver's resolved path, so it runs the same everywhere.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
let backfilled = 0;
try {
  db = new Database(workerData.file, { fileMustExist: true });
  db.pragma('busy_timeout = 0');
  db.pragma('synchronous = FULL');
} catch (err) {
  parentPort.postMessage({ error: 'checkpointer cannot open ' + workerData.file + ': ' + err.message });
  try { db && db.close(); } catch {}
  db = undefined; // nothing scheduled: the worker ends by itself
}
if (db) setInterval(() => {
  try {
    const r = db.pragma('wal_checkpoint(PASSIVE)')[0];
    // checkpointed counts every frame of the current WAL copied so far, by anyone.
    const copied = r.checkpointed < backfilled ? r.checkpointed : r.checkpointed - backfilled;
    backfilled = r.checkpointed;
    if (copied > 0) parentPort.postMessage({ copied });
  } catch (err) {
    parentPort.postMessage({ error: 'checkpoint of ' + workerData.file + ' failed: ' + err.message });
  }
}, workerData.interval_ms);
`;

export class Checkpointer {
  readonly stats: CheckpointerStats = { frames_copied: 0 };
  private readonly worker: Worker;
  /** Settles when the worker has closed its connection and ended. */
  readonly ended: Promise<void>;

  private constructor(file: string, interval_ms: number, onError?: (message: string) => void) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    // eval: true runs the source as CommonJS; the worker must not inherit `--import tsx` for that.
    this.worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { driver, file, interval_ms } });
    // A checkpointer never keeps the process alive: at exit the last connection's close checkpoints anyway.
    this.worker.unref();
    const failed = (message: string) => {
      // Said once per new trouble, not every interval: the writer's own checkpoint still runs meanwhile.
      if (message !== this.stats.last_error) onError?.(message);
      this.stats.last_error = message;
    };
    this.worker.on('message', (m: { copied?: number; error?: string }) => {
      if (m.copied) this.stats.frames_copied += m.copied;
      if (m.error) failed(m.error);
    });
    this.worker.on('error', (err) => failed(`checkpointer stopped: ${err.message}`));
    this.ended = new Promise((resolve) => this.worker.once('exit', () => resolve()));
  }

  /** For a database opened from a file, in WAL mode; undefined otherwise (nothing to checkpoint). */
  static start(db: Db, opts: { interval_ms?: number; onError?: (message: string) => void } = {}): Checkpointer | undefined {
    if (db.memory || db.readonly) return undefined;
    if (String(db.pragma('journal_mode', { simple: true })).toLowerCase() !== 'wal') return undefined;
    return Checkpointer.forFile(db.name, opts);
  }

  /** The same for a database file by name (it must exist; an error is told through onError and stats). */
  static forFile(file: string, opts: { interval_ms?: number; onError?: (message: string) => void } = {}): Checkpointer {
    return new Checkpointer(file, opts.interval_ms ?? 100, opts.onError);
  }

  /**
   * Stops the worker; `ended` settles once it has. Terminated rather than asked: a request posted
   * while the worker was still starting could go unanswered, and a Guardian restarting on the same
   * data dir waited for it forever. The driver closes the worker's connection as its thread ends,
   * and a checkpoint cut short is no harm (the next one, or the writer's, copies the rest).
   */
  dispose(): void {
    this.worker.ref(); // whoever awaits `ended` is not left behind by a process that exits meanwhile
    void this.worker.terminate();
  }
}
