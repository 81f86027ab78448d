// Many rows into one table with one statement call per INSERT_CHUNK rows instead of one per row:
// the per-call cost of better-sqlite3 dominates a small insert, and a group commit stores thousands.
import type { Db } from './db';

/** Rows per multi-row INSERT. */
export const INSERT_CHUNK = 64;

export interface ChunkedInsert<R, C> {
  /** `ctx` is handed to every row's `push` (the batch's timestamp, say). */
  run(rows: readonly R[], ctx: C): void;
}

/**
 * `head` is the statement up to VALUES (`INSERT INTO t (a, b) VALUES`), `columns` the number of
 * parameters per row, `push` appends a row's parameters, in that order, to `out`.
 */
export function chunkedInsert<R, C>(db: Db, head: string, columns: number, push: (row: R, out: unknown[], ctx: C) => void): ChunkedInsert<R, C> {
  const tuple = `(${Array(columns).fill('?').join(', ')})`;
  const one = db.prepare(`${head} ${tuple}`);
  const chunk = db.prepare(`${head} ${Array(INSERT_CHUNK).fill(tuple).join(', ')}`);
  return {
    run(rows, ctx) {
      let i = 0;
      for (; i + INSERT_CHUNK <= rows.length; i += INSERT_CHUNK) {
        const all: unknown[] = [];
        for (let k = i; k < i + INSERT_CHUNK; k++) push(rows[k]!, all, ctx);
        chunk.run(all);
      }
      for (; i < rows.length; i++) {
        const out: unknown[] = [];
        push(rows[i]!, out, ctx);
        one.run(out);
      }
    },
  };
}
