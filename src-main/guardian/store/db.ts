// One SQLite database file in the data dir. WAL with synchronous=FULL, set and then read
// back: better-sqlite3's build defaults WAL to NORMAL, which can lose acknowledged messages
// on power loss, and an ACK promises the message is stored.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

export class StoreError extends Error {
  constructor(message: string, readonly code = 'STORE') {
    super(message);
    this.name = 'StoreError';
  }
}

export interface OpenOptions {
  /** Extra migrations (tests); the product's own live in migrations.ts. */
  migrations?: readonly Migration[];
  readonly?: boolean;
}

export function openDatabase(file: string, opts: OpenOptions = {}): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  let db: Db;
  try {
    db = new Database(file, { readonly: opts.readonly ?? false });
  } catch (err) {
    throw new StoreError(`cannot open the database ${file}: ${(err as Error).message}`);
  }
  try {
    if (!opts.readonly) {
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (file !== ':memory:' && String(mode).toLowerCase() !== 'wal') {
        throw new StoreError(`${file}: journal_mode is ${String(mode)}, expected wal (is the file on a network share?)`);
      }
    }
    db.pragma('synchronous = FULL');
    const sync = db.pragma('synchronous', { simple: true });
    if (sync !== 2) throw new StoreError(`${file}: synchronous is ${String(sync)} after setting FULL (2); refusing to run without durable commits`);
    db.pragma('foreign_keys = ON');
    // The Checkpointer (checkpointer.ts) copies the WAL back on a thread of its own; this
    // auto-checkpoint, inside a commit, is the backstop and the WAL's reset every 32 MB, with
    // little left to copy by then. The WAL file is trimmed back after each.
    db.pragma('wal_autocheckpoint = 8192');
    db.pragma('journal_size_limit = 67108864');
    db.pragma('cache_size = -65536');
    db.pragma('temp_store = MEMORY');
    db.pragma('busy_timeout = 5000');
    if (!opts.readonly) migrate(db, [...MIGRATIONS, ...(opts.migrations ?? [])]);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/** Applies every migration above the stored version, each in its own transaction. */
export function migrate(db: Db, migrations: readonly Migration[]): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = new Set(db.prepare('SELECT version FROM schema_version').pluck().all() as number[]);
  const current = Math.max(0, ...applied);
  const known = Math.max(0, ...migrations.map((m) => m.version));
  if (current > known) {
    throw new StoreError(`the database schema is version ${current}, newer than this Guardian knows (${known}); upgrade Guardian or use another data dir`);
  }
  const record = db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)');
  // Every migration not yet recorded, in order: one written in parallel with a higher number that
  // shipped first (a gap filled later) is applied too, not skipped for being below the maximum.
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
    })();
  }
  return known;
}

export function schemaVersion(db: Db): number {
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null };
  return row.v ?? 0;
}

/** `PRAGMA integrity_check`: 'ok' or the problems SQLite found. */
export function integrityCheck(db: Db): string {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[];
  return rows.map((r) => r.integrity_check).join('; ');
}
