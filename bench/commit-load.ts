// The router's shape of group commit, for the store benches (the mirror's cost, the fence's cost):
// `batches` batches of `rows` inbox inserts plus the stream's mark, each flushed as one transaction.
import { GroupCommit, type Db } from '../src-main/guardian/store';

export function commitRouterBatches(db: Db, batches: number, rows: number): void {
  const commit = new GroupCommit(db, 1_000_000, () => {});
  const insert = db.prepare('INSERT INTO inbox (stream, seq, message_id, message_type, payload, path, received_ms) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const stream = db.prepare('INSERT INTO streams_in (stream, last_seq) VALUES (?, ?) ON CONFLICT (stream) DO UPDATE SET last_seq = excluded.last_seq');
  let seq = 0;
  for (let b = 0; b < batches; b++) {
    for (let k = 0; k < rows; k++) {
      const s = ++seq;
      commit.enqueue({ write: () => insert.run('sig', s, `m${s}`, 'SIGNAL', '{"symbol":"EURUSD","lots":0.1}', 'socket', 1), done: () => {} });
    }
    commit.enqueue({ write: () => stream.run('sig', seq), done: () => {} });
    commit.flush();
  }
}
