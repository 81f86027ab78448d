// Snapshots of the database: an online copy (the backup API, in steps, so the event loop is never
// held for long; VACUUM INTO from another process), gzip-compressed, verified (decompressed to a
// temporary file, opened, integrity_check, the schema version compared) and rotated (keep N).
// Names sort by time: guardian-20261122T041500123Z.db.gz.
import { createReadStream, createWriteStream, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { SnapshotHealth } from '../../../src-shared/contract';
import type { Clock } from '../clock';
import type { Disposable } from '../lifecycle';
import { schemaVersion, type Db } from '../store';
import { checkDatabaseFile, fsyncDir, fsyncFile, removeDatabaseFile } from './files';

const SNAPSHOT_RE = /^guardian-\d{8}T\d{9}Z\.db\.gz$/;

export interface SnapshotResult {
  file: string;
  bytes: number;
  schema_version: number;
  /** Snapshots removed by the rotation. */
  removed: string[];
}

export function snapshotName(wall_ms: number): string {
  return `guardian-${new Date(wall_ms).toISOString().replace(/[-:.]/g, '')}.db.gz`;
}

/** The snapshots in `dir`, oldest first. */
export function listSnapshots(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => SNAPSHOT_RE.test(f)).sort().map((f) => join(dir, f));
  } catch {
    return [];
  }
}

export async function gunzipTo(src: string, dest: string): Promise<void> {
  await pipeline(createReadStream(src), createGunzip(), createWriteStream(dest));
}

/**
 * Decompresses a snapshot next to itself, checks it, and returns the check with the temporary
 * file (the caller moves it into place or removes it).
 */
export async function verifySnapshot(file: string, expectVersion?: number): Promise<{ ok: boolean; detail: string; schema_version: number | null; tmp: string }> {
  const tmp = `${file}.verify-${process.pid}.db`;
  try {
    await gunzipTo(file, tmp);
  } catch (err) {
    removeDatabaseFile(tmp);
    return { ok: false, detail: `${file} does not decompress: ${(err as Error).message}`, schema_version: null, tmp };
  }
  const c = checkDatabaseFile(tmp, { readonly: true });
  if (c.ok && expectVersion !== undefined && c.schema_version !== expectVersion) {
    return { ok: false, detail: `${file} has schema version ${c.schema_version}, expected ${expectVersion}`, schema_version: c.schema_version, tmp };
  }
  return { ...c, tmp };
}

/**
 * One snapshot of `db` into `dir`. `copy` is how the uncompressed copy is made: the backup API
 * of Guardian's own connection (default), or VACUUM INTO from a second process.
 */
export async function takeSnapshot(db: Db, dir: string, keep: number, wall_ms: number, copy: 'backup' | 'vacuum' = 'backup'): Promise<SnapshotResult> {
  mkdirSync(dir, { recursive: true });
  const name = snapshotName(wall_ms);
  const raw = join(dir, `${name}.tmp.db`);
  const gz = join(dir, `${name}.tmp`);
  const version = schemaVersion(db);
  try {
    rmSync(raw, { force: true });
    // 256 pages a step: about 1 MB, a millisecond or two, between event-loop turns.
    if (copy === 'backup') await db.backup(raw, { progress: () => 256 });
    else db.prepare('VACUUM INTO ?').run(raw);
    await pipeline(createReadStream(raw), createGzip({ level: 6 }), createWriteStream(gz));
    fsyncFile(gz);
    const v = await verifySnapshot(gz, version);
    removeDatabaseFile(v.tmp);
    if (!v.ok) throw new Error(`the snapshot did not verify: ${v.detail}`);
    const final = join(dir, name);
    renameSync(gz, final);
    fsyncDir(dir);
    const all = listSnapshots(dir);
    const removed = all.slice(0, Math.max(0, all.length - keep));
    for (const f of removed) rmSync(f, { force: true });
    return { file: final, bytes: statSync(final).size, schema_version: version, removed };
  } finally {
    removeDatabaseFile(raw);
    rmSync(gz, { force: true });
  }
}

/** Takes a snapshot every `every_s` on the injected clock; one at a time. */
export class SnapshotSchedule implements Disposable {
  private readonly state: SnapshotHealth;
  private running: Promise<SnapshotResult | null> | null = null;
  private readonly timer: Disposable | null;

  constructor(private readonly db: Db, private readonly o: { dir: string; every_s: number; keep: number; clock: Clock; onTrouble?: (text: string) => void }) {
    const last = listSnapshots(o.dir).at(-1) ?? null;
    this.state = { dir: o.dir, every_s: o.every_s, keep: o.keep, last_file: last, last_ts: last ? statSync(last).mtime.toISOString() : null, last_error: null };
    this.timer = o.every_s > 0 ? o.clock.setInterval(() => void this.takeNow(), o.every_s * 1000) : null;
  }

  get health(): SnapshotHealth {
    return { ...this.state };
  }

  /** A snapshot now (or the one already under way). Never rejects: a failure is in health.last_error. */
  takeNow(): Promise<SnapshotResult | null> {
    this.running ??= takeSnapshot(this.db, this.o.dir, this.o.keep, this.o.clock.wall_ms()).then(
      (r) => {
        this.state.last_file = r.file;
        this.state.last_ts = new Date(this.o.clock.wall_ms()).toISOString();
        this.state.last_error = null;
        return r;
      },
      (err: unknown) => {
        this.state.last_error = (err as Error).message;
        this.o.onTrouble?.(`a snapshot of the database failed: ${(err as Error).message}`);
        return null;
      },
    ).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Waits for a snapshot under way (shutdown: the database must not close under it). */
  async settle(): Promise<void> {
    await this.running;
  }

  dispose(): void {
    this.timer?.dispose();
  }
}
