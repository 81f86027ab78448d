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
  {
    // Placed before version 3 (written at the same time by another part) so the list stays in version order.
    version: 2,
    name: 'control plane: constraint repository (constraints, constraint_runs, insights), control state, repair runs',
    sql: `
      -- The constraint repository: seeded from config/constraints.yaml at start (same ids updated, never duplicated).
      CREATE TABLE constraints (
        id TEXT PRIMARY KEY, gate TEXT NOT NULL, severity TEXT NOT NULL, condition TEXT NOT NULL,
        description TEXT NOT NULL, filters TEXT, next_step TEXT, source TEXT NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 1, created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL);
      -- Sampled outcomes: every change of status, and one row per constraint per sampling period.
      CREATE TABLE constraint_runs (
        id INTEGER PRIMARY KEY, ts_ms INTEGER NOT NULL, constraint_id TEXT NOT NULL, status TEXT NOT NULL,
        value REAL, limit_value REAL, explanation TEXT NOT NULL, reason TEXT NOT NULL,
        session TEXT, symbol TEXT, regime TEXT);
      CREATE INDEX constraint_runs_by_constraint ON constraint_runs (constraint_id, ts_ms);
      CREATE INDEX constraint_runs_ts ON constraint_runs (ts_ms);
      CREATE TABLE insights (
        id INTEGER PRIMARY KEY, ts_ms INTEGER NOT NULL, constraint_id TEXT, kind TEXT NOT NULL,
        text TEXT NOT NULL, data TEXT);
      CREATE INDEX insights_constraint ON insights (constraint_id, ts_ms);
      -- Mode, breakers, repairs and signal tier as JSON, written on every change, restored at start.
      CREATE TABLE control_state (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_ms INTEGER NOT NULL);
      -- Finished repairs: the estimate to recover is the median duration of a runbook's successful runs.
      CREATE TABLE repair_runs (
        id TEXT NOT NULL, runbook TEXT NOT NULL, target TEXT, why TEXT NOT NULL, ok INTEGER NOT NULL,
        started_ms INTEGER NOT NULL, ended_ms INTEGER NOT NULL, duration_ms INTEGER NOT NULL,
        steps TEXT NOT NULL, detail TEXT);
      CREATE INDEX repair_runs_runbook ON repair_runs (runbook, ended_ms);
    `,
  },
  {
    version: 3,
    name: 'incident log (hash-chained events, anchor, incidents, audit) and learning (outcomes, advice)',
    sql: `
      -- Append-only. hash = sha256(prev_hash || canonical JSON of the row without hash); see incidents/chain.ts.
      CREATE TABLE events (
        id INTEGER PRIMARY KEY, ts TEXT NOT NULL, type TEXT NOT NULL, severity TEXT NOT NULL,
        incident_id TEXT, actor TEXT NOT NULL, summary TEXT NOT NULL, detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
      CREATE INDEX events_incident ON events (incident_id, id);
      CREATE INDEX events_ts ON events (ts);
      -- The chain's head, written in the same transaction as every append: deleting the newest
      -- events leaves a chain that is valid on its own, and only this second witness shows it.
      CREATE TABLE log_anchor (
        one INTEGER PRIMARY KEY CHECK (one = 1), last_id INTEGER NOT NULL, last_hash TEXT NOT NULL,
        count INTEGER NOT NULL);
      INSERT INTO log_anchor (one, last_id, last_hash, count)
        VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 0);
      CREATE TABLE incidents (
        id TEXT PRIMARY KEY, opened_ts TEXT NOT NULL, closed_ts TEXT, severity TEXT NOT NULL,
        title TEXT NOT NULL, state TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved')),
        cause TEXT NOT NULL, mode TEXT, family TEXT, parent_id TEXT REFERENCES incidents (id),
        inhibited_count INTEGER NOT NULL DEFAULT 0, last_inhibited_ts TEXT,
        acknowledged_by TEXT, acknowledged_ts TEXT);
      CREATE INDEX incidents_state ON incidents (state, family);
      CREATE INDEX incidents_opened ON incidents (opened_ts);
      CREATE TABLE audit (
        id INTEGER PRIMARY KEY, ts TEXT NOT NULL, actor TEXT NOT NULL, control TEXT NOT NULL,
        reason TEXT NOT NULL, outcome TEXT NOT NULL, params TEXT NOT NULL, detail TEXT,
        expires_ts TEXT, event_id INTEGER NOT NULL);
      CREATE INDEX audit_ts ON audit (ts);
      -- kind 'degrade': one degrade episode (cleared_ts NULL while it lasts); kind 'repair': one runbook run.
      CREATE TABLE outcomes (
        id INTEGER PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('degrade', 'repair')), mode TEXT NOT NULL,
        entered_ts TEXT NOT NULL, cleared_ts TEXT, duration_s REAL, cleared_after_s REAL, dwell_s REAL NOT NULL,
        repaired INTEGER NOT NULL DEFAULT 0, runbook TEXT, constraints TEXT NOT NULL, incident_id TEXT);
      CREATE INDEX outcomes_open ON outcomes (kind, mode, cleared_ts);
      CREATE INDEX outcomes_entered ON outcomes (entered_ts);
      CREATE TABLE advice (
        id INTEGER PRIMARY KEY, created_ts TEXT NOT NULL, constraint_id TEXT NOT NULL,
        condition_before TEXT NOT NULL, condition_after TEXT NOT NULL,
        previous_value REAL NOT NULL, proposed_value REAL NOT NULL, unit TEXT,
        false_positive_pct REAL NOT NULL, evidence TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('proposed', 'applied', 'rolled_back', 'superseded')),
        applied_ts TEXT, applied_by TEXT, rolled_back_ts TEXT, rolled_back_by TEXT);
      CREATE INDEX advice_constraint ON advice (constraint_id, state);
    `,
  },
  {
    version: 4,
    name: 'execution safety: blocked signals, COMMAND outcomes, the position ledger, reconciliation differences, kill switch',
    sql: `
      -- Signals refused before the EA (pre-trade gate or mode), with the detail the service was told.
      CREATE TABLE execution_blocks (
        id INTEGER PRIMARY KEY, ts_ms INTEGER NOT NULL, message_id TEXT, signal_id TEXT NOT NULL, origin TEXT NOT NULL,
        symbol TEXT NOT NULL, action TEXT NOT NULL, lots REAL, reason TEXT NOT NULL, detail TEXT NOT NULL);
      CREATE INDEX execution_blocks_ts ON execution_blocks (ts_ms);
      -- Every COMMAND to its outcome: sent, acknowledged, confirmed or unknown.
      CREATE TABLE execution_commands (
        id INTEGER PRIMARY KEY, command TEXT NOT NULL, peer TEXT NOT NULL, seq INTEGER NOT NULL, reason TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('sent', 'acknowledged', 'confirmed', 'unknown')),
        sent_ms INTEGER NOT NULL, acked_ms INTEGER, confirmed_ms INTEGER, detail TEXT NOT NULL, updated_ms INTEGER NOT NULL);
      -- Guardian's ledger of open positions per EA, from TRADE events (the broker's truth after a reconciliation).
      CREATE TABLE execution_positions (
        peer TEXT NOT NULL, ticket INTEGER NOT NULL, symbol TEXT NOT NULL, side TEXT NOT NULL, lots REAL NOT NULL,
        open_price REAL, sl REAL, tp REAL, updated_ms INTEGER NOT NULL, PRIMARY KEY (peer, ticket)) WITHOUT ROWID;
      -- What reconciliation found: missing (Guardian only), extra (broker only), different.
      CREATE TABLE execution_differences (
        id INTEGER PRIMARY KEY, ts_ms INTEGER NOT NULL, peer TEXT NOT NULL, ticket INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('missing', 'extra', 'different')), fields TEXT NOT NULL,
        guardian TEXT, broker TEXT, incident_id TEXT);
      CREATE INDEX execution_differences_ts ON execution_differences (ts_ms);
      -- The kill switch (engaged, by, reason, since), kept across a restart.
      CREATE TABLE execution_state (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_ms INTEGER NOT NULL);
    `,
  },
  {
    version: 5,
    name: 'trading truth: the trade journal (raw TRADE events), equity per minute, the equity peak',
    sql: `
      -- Every TRADE event from an EA, kept for good (the inbox is pruned); the truth metrics are computed from it.
      CREATE TABLE truth_trades (
        id INTEGER PRIMARY KEY, message_id TEXT NOT NULL UNIQUE, peer TEXT NOT NULL, ts_ms INTEGER NOT NULL,
        event TEXT NOT NULL, ticket INTEGER NOT NULL, symbol TEXT NOT NULL, payload TEXT NOT NULL);
      CREATE INDEX truth_trades_event ON truth_trades (event, ts_ms);
      -- One STATUS equity per EA per minute (the last of the minute): drawdown, daily returns, VaR.
      CREATE TABLE truth_equity (
        peer TEXT NOT NULL, ts_ms INTEGER NOT NULL, equity REAL NOT NULL, balance REAL,
        PRIMARY KEY (peer, ts_ms)) WITHOUT ROWID;
      -- Small state: the equity peak per EA ('peak:<peer>'), so a restart does not forget a drawdown.
      CREATE TABLE truth_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
  {
    version: 6,
    name: 'active/standby: the leadership lease (holder, fencing token, expiry) and the takeover history',
    sql: `
      -- One row: who is active. token only ever grows; every write of the active one is fenced
      -- with it (TEMP triggers on its connection, see guardian/leadership). Times are wall-clock ms:
      -- both instances run on the same workstation and read the same clock.
      CREATE TABLE ha_lease (
        id INTEGER PRIMARY KEY CHECK (id = 1), holder TEXT NOT NULL, token INTEGER NOT NULL,
        host TEXT NOT NULL, pid INTEGER NOT NULL, acquired_ms INTEGER NOT NULL,
        renewed_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL);
      -- Every acquisition, with why (no lease yet, expired, holder gone, released).
      CREATE TABLE ha_takeovers (
        token INTEGER PRIMARY KEY, holder TEXT NOT NULL, previous_holder TEXT, previous_token INTEGER,
        at_ms INTEGER NOT NULL, why TEXT NOT NULL);
    `,
  },
  {
    version: 7,
    name: 'retention: held signals indexed for their expiry and pruning (the table was scanned whole every second); dead letters and router events by time, for pruning',
    sql: `
      -- The open held signals by expiry: the once-a-second expiry reads only these (and the count
      -- at start). Without it the expiry and the count read every row ever held or refused, with
      -- its payload, every second: at 300,000 rows 0.7 s a second, so a hold at full rate made
      -- Guardian slower the longer it lasted.
      CREATE INDEX held_signals_open ON held_signals (expires_ms) WHERE state = 'held';
      -- By time: the console's newest first, and the pruning of settled rows past retention.
      CREATE INDEX held_signals_held_ms ON held_signals (held_ms);
      -- Dead letters and router events were kept for good: a peer sending garbage grew them without end.
      CREATE INDEX dead_letters_ts ON dead_letters (ts_ms);
      CREATE INDEX router_events_ts ON router_events (ts_ms);
    `,
  },
  {
    version: 8,
    name: "an operator's forced path kept across a restart, with when it lapses",
    sql: `
      -- A path an operator forced (the console's switch) outlives the process; Guardian's own
      -- failover forces are not kept (the restored mode and repairs decide those again).
      ALTER TABLE peers ADD COLUMN forced_path TEXT;
      ALTER TABLE peers ADD COLUMN forced_by TEXT;
      ALTER TABLE peers ADD COLUMN forced_until_ms INTEGER;
    `,
  },
  {
    version: 9,
    name: 'held signals: the open ones by the time they were held, for a release',
    sql: `
      -- A release reads the open held signals oldest first, a chunk at a time. Through the index of
      -- every row by time (held_signals_held_ms) it stepped over each settled one, with a lookup
      -- into the table for its state: after a long hold at full rate (1.9 million rows, most of
      -- them expired) 0.6 s a chunk, which stalled the loop, failed event_loop_stalled and held the
      -- mode in DEGRADED.EXEC until every held signal had expired. Only the open ones are here.
      CREATE INDEX held_signals_open_held_ms ON held_signals (held_ms) WHERE state = 'held';
    `,
  },
];
