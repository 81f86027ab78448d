import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { chunkedInsert, INSERT_CHUNK } from '.';

describe('chunkedInsert', () => {
  it('stores every row once, in order, across whole chunks and the rest, with the shared context', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL, at INTEGER NOT NULL)');
    const ins = chunkedInsert<{ k: number; v: string }, number>(db, 'INSERT INTO t (k, v, at) VALUES', 3, (r, out, at) => void out.push(r.k, r.v, at));
    for (const n of [0, 1, INSERT_CHUNK - 1, INSERT_CHUNK, 2 * INSERT_CHUNK + 2]) {
      db.exec('DELETE FROM t');
      const rows = Array.from({ length: n }, (_, i) => ({ k: i + 1, v: `v${i + 1}` }));
      ins.run(rows, 42);
      expect(db.prepare('SELECT k, v, at FROM t ORDER BY k').all()).toEqual(rows.map((r) => ({ ...r, at: 42 })));
    }
    db.close();
  });
});
