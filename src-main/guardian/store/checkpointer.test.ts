import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Checkpointer } from './checkpointer';
import { openDatabase, type Db } from './db';

let dir: string | undefined;
let db: Db | undefined;
let checkpointer: Checkpointer | undefined;
afterEach(async () => {
  checkpointer?.dispose();
  await checkpointer?.ended;
  checkpointer = undefined;
  if (db?.open) db.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function until(cond: () => boolean, what: string, timeout_ms = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeout_ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function storeWithoutOwnCheckpoints(): { db: Db; file: string } {
  dir = mkdtempSync(join(tmpdir(), 'guardian-checkpointer-'));
  const file = join(dir, 'guardian.db');
  db = openDatabase(file);
  // The writer never checkpoints here, so whatever reaches the database file was copied by the worker.
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
  return { db, file };
}

describe('Checkpointer', () => {
  it('copies the WAL into the database file on its own thread while the writer goes on', async () => {
    const { db, file } = storeWithoutOwnCheckpoints();
    const before = statSync(file).size;
    checkpointer = Checkpointer.start(db, { interval_ms: 10 })!;
    const insert = db.prepare('INSERT INTO blobs (body) VALUES (?)');
    for (let t = 0; t < 40; t++) db.transaction(() => { for (let k = 0; k < 50; k++) insert.run(Buffer.alloc(400, k)); })();
    // The file grows as the worker copies; its report of the pass follows by message.
    await until(() => statSync(file).size > before + 500_000 && checkpointer!.stats.frames_copied > 100, 'the database file to take the WAL\'s pages, and the worker to say so');
    expect(checkpointer.stats.last_error).toBeUndefined();
    // The writer carried on meanwhile, and what it wrote reads back whole.
    db.transaction(() => { for (let k = 0; k < 50; k++) insert.run(Buffer.alloc(400, 7)); })();
    expect(db.prepare('SELECT COUNT(*) FROM blobs').pluck().get()).toBe(41 * 50);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('ends its worker on dispose, and the store closes after it', async () => {
    const { db } = storeWithoutOwnCheckpoints();
    checkpointer = Checkpointer.start(db, { interval_ms: 10 })!;
    checkpointer.dispose();
    await checkpointer.ended;
    checkpointer = undefined;
    db.close();
    expect(db.open).toBe(false);
  });

  it('says what is wrong when it cannot open the database, and does not throw', async () => {
    dir = mkdtempSync(join(tmpdir(), 'guardian-checkpointer-'));
    const told: string[] = [];
    checkpointer = Checkpointer.forFile(join(dir, 'missing.db'), { interval_ms: 10, onError: (m) => told.push(m) });
    await checkpointer.ended; // it stops by itself: nothing to checkpoint
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/checkpointer cannot open .*missing\.db/);
    expect(checkpointer.stats.last_error).toBe(told[0]);
  });

  it('is not started for a store in memory', () => {
    const mem = openDatabase(':memory:');
    try {
      expect(Checkpointer.start(mem)).toBeUndefined();
    } finally {
      mem.close();
    }
  });
});
