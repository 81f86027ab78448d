// The schema, in order. A migration is never edited once shipped: add the next one.
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'data plane: streams, outbox, inbox, dead letters, held signals, router events',
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE peers (
        node_id TEXT PRIMARY KEY, role TEXT NOT NULL, tier TEXT, legacy INTEGER NOT NULL DEFAULT 0,
        first_seen_ms INTEGER NOT NULL, last_seen_ms INTEGER NOT NULL);
      -- the receiving side: last in-order seq stored per sender stream
      CREATE TABLE streams_in (stream TEXT PRIMARY KEY, last_seq INTEGER NOT NULL);
      -- the sending side: one sequence per peer Guardian sends to
      CREATE TABLE streams_out (peer TEXT PRIMARY KEY, next_seq INTEGER NOT NULL, acked_seq INTEGER NOT NULL);
      CREATE TABLE outbox (
        peer TEXT NOT NULL, seq INTEGER NOT NULL, message_id TEXT NOT NULL, message_type TEXT NOT NULL,
        body BLOB NOT NULL, origin_stream TEXT, origin_seq INTEGER, created_ms INTEGER NOT NULL,
        PRIMARY KEY (peer, seq)) WITHOUT ROWID;
      CREATE TABLE inbox (
        stream TEXT NOT NULL, seq INTEGER NOT NULL, message_id TEXT NOT NULL, message_type TEXT NOT NULL,
        payload TEXT NOT NULL, path TEXT NOT NULL, received_ms INTEGER NOT NULL,
        PRIMARY KEY (stream, seq)) WITHOUT ROWID;
      CREATE INDEX inbox_received ON inbox (received_ms);
      CREATE TABLE dead_letters (
        id INTEGER PRIMARY KEY, ts_ms INTEGER NOT NULL, peer TEXT, path TEXT, reason TEXT NOT NULL,
        detail TEXT NOT NULL, message_id TEXT, raw TEXT);
      CREATE TABLE held_signals (
        message_id TEXT PRIMARY KEY, origin_stream TEXT NOT NULL, origin_seq INTEGER NOT NULL,
        payload TEXT NOT NULL, reason TEXT NOT NULL, held_ms INTEGER NOT NULL, expires_ms INTEGER,
        state TEXT NOT NULL DEFAULT 'held', outcome_ms INTEGER);
      CREATE TABLE router_events (
        id INTEGER PRIMARY KEY, ts_ms INTEGER NOT NULL, type TEXT NOT NULL, peer TEXT, path TEXT,
        detail TEXT NOT NULL);
    `,
  },
];
