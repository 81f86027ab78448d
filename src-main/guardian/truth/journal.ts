// The trade journal: every raw TRADE event from an EA, kept for good (the inbox is pruned), one
// equity sample per EA per minute, and the equity peak, so that the truth survives a restart.
// Tables: migration 5 in ../store (truth_trades, truth_equity, truth_state).
import type { TradePayload } from '../../../src-shared/protocol';
import type { CommitWork, Db } from '../store';

export interface JournalTrade {
  message_id: string;
  peer: string;
  /** Wall time Guardian received it. */
  ts_ms: number;
  trade: TradePayload & Record<string, unknown>;
}

export interface JournalEquity {
  peer: string;
  /** The minute the sample stands for (wall ms, floored to the minute). */
  ts_ms: number;
  equity: number;
  balance: number | null;
}

/** Where writes go: a GroupCommit (one fsync with the router's batch) or straight to the database. */
export interface JournalWriter {
  enqueue(work: CommitWork): void;
}

export class TradeJournal {
  private readonly q;

  constructor(private readonly db: Db, private readonly writer?: JournalWriter) {
    this.q = {
      insTrade: db.prepare('INSERT OR IGNORE INTO truth_trades (message_id, peer, ts_ms, event, ticket, symbol, payload) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      trades: db.prepare('SELECT message_id, peer, ts_ms, payload FROM truth_trades ORDER BY id'),
      count: db.prepare('SELECT COUNT(*) AS n, MIN(ts_ms) AS first FROM truth_trades'),
      insEquity: db.prepare('INSERT OR REPLACE INTO truth_equity (peer, ts_ms, equity, balance) VALUES (?, ?, ?, ?)'),
      equity: db.prepare('SELECT peer, ts_ms, equity, balance FROM truth_equity ORDER BY ts_ms, peer'),
      setState: db.prepare('INSERT OR REPLACE INTO truth_state (key, value) VALUES (?, ?)'),
      state: db.prepare('SELECT key, value FROM truth_state'),
      inboxTrades: db.prepare("SELECT stream, message_id, payload, received_ms FROM inbox WHERE message_type = 'TRADE' ORDER BY received_ms, seq"),
    };
  }

  private write(fn: (db: Db) => void): void {
    if (this.writer) this.writer.enqueue({ write: fn, done: () => undefined });
    else fn(this.db);
  }

  addTrade(t: JournalTrade): void {
    this.write(() => {
      this.q.insTrade.run(t.message_id, t.peer, t.ts_ms, t.trade.event, Math.trunc(Number(t.trade.ticket) || 0), String(t.trade.symbol), JSON.stringify(t.trade));
    });
  }

  addEquity(e: JournalEquity): void {
    this.write(() => {
      this.q.insEquity.run(e.peer, e.ts_ms, e.equity, e.balance);
    });
  }

  setState(key: string, value: unknown): void {
    const text = JSON.stringify(value);
    this.write(() => {
      this.q.setState.run(key, text);
    });
  }

  trades(): JournalTrade[] {
    return (this.q.trades.all() as { message_id: string; peer: string; ts_ms: number; payload: string }[]).map((r) => ({
      message_id: r.message_id, peer: r.peer, ts_ms: r.ts_ms, trade: JSON.parse(r.payload) as JournalTrade['trade'],
    }));
  }

  equity(): JournalEquity[] {
    return this.q.equity.all() as JournalEquity[];
  }

  state(): Map<string, unknown> {
    const out = new Map<string, unknown>();
    for (const r of this.q.state.all() as { key: string; value: string }[]) {
      try {
        out.set(r.key, JSON.parse(r.value));
      } catch {
        // a damaged value is skipped: the next write replaces it
      }
    }
    return out;
  }

  summary(): { events: number; first_ts_ms: number | null } {
    const r = this.q.count.get() as { n: number; first: number | null };
    return { events: r.n, first_ts_ms: r.first };
  }

  /**
   * TRADE events the inbox holds but the journal does not (Guardian stopped between storing a
   * message and journalling it): copied in, so a crash loses no trade. Returns how many.
   */
  backfillFromInbox(now_wall_ms: number): number {
    let added = 0;
    this.db.transaction(() => {
      for (const r of this.q.inboxTrades.all() as { stream: string; message_id: string; payload: string; received_ms: number }[]) {
        let trade: JournalTrade['trade'];
        try {
          trade = JSON.parse(r.payload) as JournalTrade['trade'];
        } catch {
          continue;
        }
        if (typeof trade !== 'object' || trade === null || typeof trade.event !== 'string') continue;
        // received_ms is wall time in a running Guardian; anything else reads as now.
        const ts = r.received_ms > 1e12 ? r.received_ms : now_wall_ms;
        const res = this.q.insTrade.run(r.message_id, r.stream, ts, trade.event, Math.trunc(Number(trade.ticket) || 0), String(trade.symbol), r.payload);
        added += res.changes;
      }
    })();
    return added;
  }
}
