// Restores, with Guardian stopped: the primary rebuilt from the mirror (when the primary is lost
// or fails integrity_check), or a snapshot put in its place. The source is verified first; the
// file it replaces is set aside, never deleted; the result is checked before it is reported.
import { existsSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../store';
import { checkDatabaseFile, fsyncDir, fsyncFile, removeDatabaseFile, setAside } from './files';
import { verifySnapshot } from './snapshots';

export class RestoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreError';
  }
}

export interface RestoreReport {
  restored_from: string;
  primary: string;
  /** Where the replaced primary was set aside, or null when there was none. */
  set_aside: string | null;
  schema_version: number | null;
  /** Rows per table of the restored primary (what an operator checks first). */
  rows: Record<string, number>;
  /** Per stream: the last sequence stored from each sender. */
  streams_in: Record<string, number>;
}

const KNOWN_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

function census(file: string): Pick<RestoreReport, 'rows' | 'streams_in'> {
  const db = new Database(file, { readonly: true });
  try {
    const rows: Record<string, number> = {};
    for (const name of db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[]) {
      rows[name] = db.prepare(`SELECT COUNT(*) FROM "${name.replace(/"/g, '""')}"`).pluck().get() as number;
    }
    const streams_in: Record<string, number> = {};
    try {
      for (const r of db.prepare('SELECT stream, last_seq FROM streams_in ORDER BY stream').all() as { stream: string; last_seq: number }[]) streams_in[r.stream] = r.last_seq;
    } catch {
      // not a data-plane database
    }
    return { rows, streams_in };
  } finally {
    db.close();
  }
}

/** Checks the primary: what is wrong with it, or null when it is whole. */
export function primaryProblem(primary: string): string | null {
  if (!existsSync(primary)) return `${primary} is missing`;
  const c = checkDatabaseFile(primary, { readonly: true });
  return c.ok ? null : c.detail;
}

/**
 * Copies `source` (a whole, checked database) into place as `primary` through the backup API
 * (the source's WAL included), after setting the old primary aside as `<primary>.<tag>-<time>`.
 */
async function putInPlace(source: string, primary: string, tag: string): Promise<string | null> {
  const tmp = `${primary}.restoring`;
  rmSync(tmp, { force: true });
  const src = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await src.backup(tmp);
  } finally {
    src.close();
  }
  fsyncFile(tmp);
  const aside = setAside(primary, tag);
  renameSync(tmp, primary);
  fsyncDir(dirname(primary));
  return aside;
}

export async function restoreFromMirror(o: { primary: string; mirror: string; force?: boolean }): Promise<RestoreReport> {
  if (!existsSync(o.mirror)) throw new RestoreError(`there is no mirror at ${o.mirror} (durability.mirror.path in the config)`);
  const problem = primaryProblem(o.primary);
  if (problem === null && !o.force) {
    throw new RestoreError(`the primary ${o.primary} passes integrity_check: nothing to restore (--force replaces it with the mirror anyway; it is set aside, not deleted)`);
  }
  // Opened read-write: a WAL a killed Guardian left beside the mirror holds its last commits.
  const m = checkDatabaseFile(o.mirror);
  if (!m.ok) throw new RestoreError(`the mirror ${o.mirror} cannot be used: ${m.detail}. Try a snapshot: guardian restore --snapshot FILE`);
  if (m.schema_version !== null && m.schema_version > KNOWN_VERSION) {
    throw new RestoreError(`the mirror's schema is version ${m.schema_version}, newer than this Guardian knows (${KNOWN_VERSION})`);
  }
  const aside = await putInPlace(o.mirror, o.primary, 'broken');
  return verifyRestored(o.primary, o.mirror, aside);
}

export async function restoreFromSnapshot(o: { primary: string; snapshot: string }): Promise<RestoreReport> {
  if (!existsSync(o.snapshot)) throw new RestoreError(`there is no snapshot at ${o.snapshot}`);
  const v = await verifySnapshot(o.snapshot);
  try {
    if (!v.ok) throw new RestoreError(`the snapshot cannot be used: ${v.detail}`);
    if (v.schema_version !== null && v.schema_version > KNOWN_VERSION) {
      throw new RestoreError(`the snapshot's schema is version ${v.schema_version}, newer than this Guardian knows (${KNOWN_VERSION})`);
    }
    const aside = await putInPlace(v.tmp, o.primary, 'before-restore');
    return verifyRestored(o.primary, o.snapshot, aside);
  } finally {
    removeDatabaseFile(v.tmp);
  }
}

function verifyRestored(primary: string, from: string, aside: string | null): RestoreReport {
  const c = checkDatabaseFile(primary);
  if (!c.ok) throw new RestoreError(`the restored ${primary} does not pass integrity_check (${c.detail}); the replaced file is at ${aside ?? '(none)'}`);
  return { restored_from: from, primary, set_aside: aside, schema_version: c.schema_version, ...census(primary) };
}
