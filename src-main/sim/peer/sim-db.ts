// The simulator's own SQLite file, apart from Guardian's: a simulated EA must survive a crash the
// way a real one would, so its outbox is as durable as Guardian's (WAL, synchronous=FULL, checked).
// Its own schema table (sim_schema_version) keeps it from ever mixing with Guardian's migrations.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Db } from '../../guardian/store';

export interface SimMigration {
  /** Unique in one file: the peer stack uses 1..99, an application (EA, signal service) 100 and up. */
  version: number;
  name: string;
  sql: string;
}

export function openSimDatabase(file: string, migrations: readonly SimMigration[]): Db {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    // A peer's store is a queue: rows written, acknowledged, deleted. 8 KiB pages (for a new file)
    // and a WAL checkpointed inside the commit every 32 MB rather than every 4 MB: a page written
    // and freed again between two checkpoints is copied to the database once, not at each, and
    // the queue's live pages are few. Measured on 300,000 outbox rows of 360 bytes: 4.66 us a row
    // at SQLite's defaults, 2.82 with these (and 2.27 with no checkpoint at all). The WAL file is
    // trimmed back to 64 MB after each.
    db.pragma('page_size = 8192');
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (String(mode).toLowerCase() !== 'wal') throw new Error(`${file}: journal_mode is ${String(mode)}, expected wal`);
    db.pragma('synchronous = FULL');
    // better-sqlite3 defaults WAL to NORMAL, which may lose the last commits on power loss.
    if (db.pragma('synchronous', { simple: true }) !== 2) throw new Error(`${file}: synchronous=FULL did not stick`);
    db.pragma('busy_timeout = 5000');
    db.pragma('wal_autocheckpoint = 4096');
    db.pragma('journal_size_limit = 67108864');
    migrate(db, migrations);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

function migrate(db: Db, migrations: readonly SimMigration[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS sim_schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = new Set((db.prepare('SELECT version FROM sim_schema_version').pluck().all() as number[]));
  const record = db.prepare('INSERT INTO sim_schema_version (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
    })();
  }
}
