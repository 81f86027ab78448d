// The second status exporter: the status the API answers, written to a file in the data dir every
// second, atomically (a temporary file, fsync, rename), with when and by which process. Whoever
// cannot reach the service (the console's read-only fallback, the desktop app while its control
// plane restarts, an operator's script) reads it, marked stale with its age.
import { open, rename, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import type { GuardianStatus } from '../../../src-shared/contract';
import type { Clock } from '../clock';
import type { Disposable } from '../lifecycle';

export const STATUS_FILE = 'status.json';

export interface StatusFileContent extends GuardianStatus {
  written_at: string;
  writer_pid: number;
}

/** Writes `status()` to `file` every `every_ms`; a write still under way is never overlapped. */
export class StatusFileWriter implements Disposable {
  private writing: Promise<void> | null = null;
  private readonly timer: Disposable;
  private stopped = false;
  /** The last write's failure (a full disk), or null. */
  last_error: string | null = null;
  writes = 0;

  constructor(private readonly file: string, private readonly status: () => GuardianStatus, private readonly clock: Clock, every_ms = 1000) {
    this.timer = clock.setInterval(() => void this.writeNow(), every_ms);
  }

  writeNow(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.writing ??= this.write().finally(() => {
      this.writing = null;
    });
    return this.writing;
  }

  private async write(): Promise<void> {
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      const content: StatusFileContent = { ...this.status(), written_at: new Date(this.clock.wall_ms()).toISOString(), writer_pid: process.pid };
      const fh = await open(tmp, 'w', 0o600);
      try {
        await fh.writeFile(JSON.stringify(content));
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, this.file);
      this.writes++;
      this.last_error = null;
    } catch (err) {
      this.last_error = (err as Error).message;
      await rm(tmp, { force: true }).catch(() => undefined);
    }
  }

  /** Stops writing; the last file stays (its age then tells how long ago Guardian stopped). */
  async close(): Promise<void> {
    this.timer.dispose();
    await this.writing;
    this.stopped = true;
  }

  dispose(): void {
    this.timer.dispose();
    this.stopped = true;
  }
}

export type StatusFileRead =
  | { ok: true; status: GuardianStatus; written_at: string; writer_pid: number; age_s: number }
  | { ok: false; error: string };

/**
 * Reads the status file, marked stale with its age (seconds, one decimal). A file missing,
 * half-understood or without `written_at` is an error that says so, never a guess.
 */
export function readStatusFile(file: string, now_ms: number = Date.now()): StatusFileRead {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { ok: false, error: e.code === 'ENOENT' ? `no status file at ${file} (has Guardian run on this data dir?)` : `cannot read ${file}: ${e.message}` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `${file} is not JSON: ${(err as Error).message}` };
  }
  const c = parsed as Partial<StatusFileContent> | null;
  if (typeof c !== 'object' || c === null || typeof c.written_at !== 'string' || Number.isNaN(Date.parse(c.written_at)) || typeof c.mode !== 'string') {
    return { ok: false, error: `${file} is not a Guardian status file (no mode or written_at)` };
  }
  const { written_at, writer_pid, ...status } = c as StatusFileContent;
  const age_s = Math.max(0, Math.round((now_ms - Date.parse(written_at)) / 100) / 10);
  return { ok: true, status: { ...status, stale: true, age_s, written_at, writer_pid }, written_at, writer_pid: writer_pid ?? 0, age_s };
}

/** True when a process with this pid is alive (signal 0 checks without touching it). */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Is a Guardian serving this data dir now? Its status file is fresh (younger than `fresh_s`) and
 * its writer is alive. What restores check before they touch the database.
 */
export function guardianRunningOn(file: string, now_ms = Date.now(), fresh_s = 5): { running: boolean; detail: string } {
  const r = readStatusFile(file, now_ms);
  if (!r.ok) return { running: false, detail: r.error };
  if (r.writer_pid !== process.pid && processAlive(r.writer_pid) && r.age_s < fresh_s) {
    return { running: true, detail: `Guardian (pid ${r.writer_pid}) is running on this data dir: its status file was written ${r.age_s} s ago` };
  }
  return { running: false, detail: `last status written ${r.age_s} s ago by pid ${r.writer_pid} (not running)` };
}
