// File chores the mirror, snapshots and restores share: fsync, setting a damaged database aside
// (never deleting it), and SQLite's checks.
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Db } from '../store';

export function fsyncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A rename is durable once its directory is synced (not possible on Windows: skipped there). */
export function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return;
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // some filesystems refuse fsync on a directory; the rename itself is still atomic
  }
}

/** Removes a database file with its -wal and -shm (temporary copies only). */
export function removeDatabaseFile(file: string): void {
  for (const ext of ['', '-wal', '-shm']) rmSync(file + ext, { force: true });
}

/**
 * Does another process have this database open? A Guardian's WAL connection holds a shared lock
 * on the file for as long as it is open, so an exclusive transaction here is refused. A file that
 * does not open (damaged) answers false: nothing can be serving from it.
 */
export function databaseInUse(file: string): boolean {
  if (!existsSync(file)) return false;
  let db: Db | undefined;
  try {
    db = new Database(file, { fileMustExist: true, timeout: 0 });
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    return false;
  } catch (err) {
    return /locked|busy/i.test((err as Error).message);
  } finally {
    try {
      db?.close();
    } catch {
      // closing a damaged file may fail; nothing was written
    }
  }
}

/** `PRAGMA <schema>.quick_check`: 'ok' or the first problems SQLite found. */
export function quickCheck(db: Db, schema = 'main'): string {
  const rows = db.pragma(`${schema}.quick_check(5)`) as { quick_check: string }[];
  return rows.map((r) => r.quick_check).join('; ');
}

export interface FileCheck {
  ok: boolean;
  /** 'ok', or what is wrong (does not open, integrity_check's findings). */
  detail: string;
  schema_version: number | null;
}

/**
 * Opens a database file on its own connection and runs the full integrity_check. Read-write (not
 * readonly) so that a WAL left by a killed writer is recovered into it, as SQLite would on open.
 */
export function checkDatabaseFile(file: string, opts: { readonly?: boolean } = {}): FileCheck {
  if (!existsSync(file)) return { ok: false, detail: `${file} does not exist`, schema_version: null };
  let db: Db | undefined;
  try {
    db = new Database(file, { readonly: opts.readonly ?? false, fileMustExist: true });
    const rows = db.pragma('integrity_check(20)') as { integrity_check: string }[];
    const detail = rows.map((r) => r.integrity_check).join('; ');
    let schema_version: number | null = null;
    try {
      schema_version = (db.prepare('SELECT MAX(version) FROM schema_version').pluck().get() as number | null) ?? null;
    } catch {
      // no schema_version table: not a Guardian database (detail says if it is also damaged)
    }
    if (detail === 'ok' && schema_version === null) return { ok: false, detail: `${file} is not a Guardian database (no schema_version)`, schema_version };
    return { ok: detail === 'ok', detail, schema_version };
  } catch (err) {
    return { ok: false, detail: `${file} does not open: ${(err as Error).message}`, schema_version: null };
  } finally {
    try {
      db?.close();
    } catch {
      // a damaged file may refuse even to close cleanly
    }
  }
}

/**
 * Renames a database and its -wal/-shm to `<file>.<tag>-<time>` beside it; returns the new name of
 * the main file (or null when there was none). Never deletes: a damaged file may still hold
 * something an expert can recover.
 */
export function setAside(file: string, tag: string, now = new Date()): string | null {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const aside = `${file}.${tag}-${stamp}`;
  let moved: string | null = null;
  for (const ext of ['', '-wal', '-shm']) {
    if (!existsSync(file + ext)) continue;
    renameSync(file + ext, aside + ext);
    if (ext === '') moved = aside;
  }
  fsyncDir(dirname(file));
  return moved;
}
