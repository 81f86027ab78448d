// Fencing: every write of the active Guardian carries its token. TEMP triggers on its own
// connection, BEFORE INSERT/UPDATE/DELETE on every table, abort the statement when the lease row
// holds another token. SQLite runs one writer at a time, so the check and the write are one step:
// a paused former leader that wakes up after a takeover cannot store anything, whoever writes
// (the group commit's batches, the incident log, the control plane, the console's controls).
import type { Db } from '../store';

export const FENCED = 'fenced: lease lost';

/** Tables a fence leaves alone: the lease itself (the standby takes it on its own connection). */
const UNFENCED = new Set(['ha_lease', 'ha_takeovers']);

export function isFencedError(err: unknown): boolean {
  return err instanceof Error && err.message.includes(FENCED);
}

/**
 * Installs the fence for `token` on this connection (replacing an older one). `onFenced` runs
 * once per refused statement, inside SQLite's call: it must only note the fact (schedule the
 * step-down), never touch the database. Returns the tables fenced.
 */
export function installFence(db: Db, token: number, onFenced: () => void): string[] {
  if (!Number.isSafeInteger(token) || token < 1) throw new RangeError(`fencing token must be a positive integer, got ${token}`);
  db.function('guardian_fenced', { deterministic: false, varargs: false }, () => {
    onFenced();
    return 1;
  });
  removeFence(db);
  const tables = (db.prepare("SELECT name, sql FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string; sql: string }[]);
  // Virtual tables take no triggers, and their shadow tables are written by SQLite itself.
  const virtual = tables.filter((t) => /^CREATE\s+VIRTUAL/i.test(t.sql)).map((t) => t.name);
  const fenced = tables
    .map((t) => t.name)
    .filter((n) => !UNFENCED.has(n) && !virtual.some((v) => n === v || n.startsWith(`${v}_`)));
  // The common path is the WHEN clause alone: one primary-key read of the lease row per written
  // row (about 1 us of CPU; bench/takeover.ts measures it). The body and the JS call run only when fenced.
  const when = `(SELECT token FROM main.ha_lease WHERE id = 1) IS NOT ${token}`;
  const body = `SELECT RAISE(ABORT, '${FENCED}') WHERE guardian_fenced()`;
  db.transaction(() => {
    for (const name of fenced) {
      for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
        db.exec(`CREATE TEMP TRIGGER "fence_${name}_${op.toLowerCase()}" BEFORE ${op} ON main."${name}" WHEN ${when} BEGIN ${body}; END`);
      }
    }
  })();
  return fenced;
}

export function removeFence(db: Db): void {
  const triggers = db.prepare("SELECT name FROM temp.sqlite_master WHERE type = 'trigger' AND name LIKE 'fence\\_%' ESCAPE '\\'").all() as { name: string }[];
  for (const t of triggers) db.exec(`DROP TRIGGER temp."${t.name}"`);
}
