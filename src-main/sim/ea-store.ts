// The simulated EA's own SQLite file (ea.db, beside the peer's): the ledger of signals it was
// handed (what tests and the e2e suite read), its open positions and its balance, so a restarted
// EA still holds what it held, like a real account does.
import type { Db } from '../guardian/store';
import { openSimDatabase, type SimMigration } from './peer';

const EA_MIGRATIONS: readonly SimMigration[] = [
  {
    version: 100,
    name: 'ea: signal ledger, positions, account',
    sql: `
      CREATE TABLE sim_ea_signals (
        stream TEXT NOT NULL, seq INTEGER NOT NULL, signal_id TEXT NOT NULL, action TEXT NOT NULL,
        symbol TEXT NOT NULL, received_ms INTEGER NOT NULL, PRIMARY KEY (stream, seq)) WITHOUT ROWID;
      CREATE TABLE sim_ea_positions (
        ticket INTEGER PRIMARY KEY, symbol TEXT NOT NULL, side TEXT NOT NULL, lots REAL NOT NULL,
        open_price REAL NOT NULL, sl REAL, tp REAL, opened_ms INTEGER NOT NULL);
      CREATE TABLE sim_ea_account (id INTEGER PRIMARY KEY CHECK (id = 1), balance REAL NOT NULL, next_ticket INTEGER NOT NULL);
    `,
  },
];

export interface LedgerRow {
  signal_id: string;
  seq: number;
  stream: string;
  action: string;
  symbol: string;
  received_ms: number;
}

export interface Position {
  ticket: number;
  symbol: string;
  side: 'BUY' | 'SELL';
  lots: number;
  open_price: number;
  sl: number | null;
  tp: number | null;
  opened_ms: number;
}

export class EaStore {
  readonly db: Db;
  private readonly q;

  constructor(file: string, startingBalance: number) {
    this.db = openSimDatabase(file, EA_MIGRATIONS);
    this.db.prepare('INSERT OR IGNORE INTO sim_ea_account (id, balance, next_ticket) VALUES (1, ?, 1000)').run(startingBalance);
    this.q = {
      record: this.db.prepare('INSERT OR IGNORE INTO sim_ea_signals (stream, seq, signal_id, action, symbol, received_ms) VALUES (?, ?, ?, ?, ?, ?)'),
      ledger: this.db.prepare('SELECT signal_id, seq, stream, action, symbol, received_ms FROM sim_ea_signals ORDER BY stream, seq'),
      positions: this.db.prepare('SELECT ticket, symbol, side, lots, open_price, sl, tp, opened_ms FROM sim_ea_positions ORDER BY ticket'),
      open: this.db.prepare('INSERT INTO sim_ea_positions (ticket, symbol, side, lots, open_price, sl, tp, opened_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      close: this.db.prepare('DELETE FROM sim_ea_positions WHERE ticket = ?'),
      modify: this.db.prepare('UPDATE sim_ea_positions SET sl = ?, tp = ? WHERE ticket = ?'),
      setLots: this.db.prepare('UPDATE sim_ea_positions SET lots = ? WHERE ticket = ?'),
      account: this.db.prepare('SELECT balance, next_ticket FROM sim_ea_account WHERE id = 1'),
      setBalance: this.db.prepare('UPDATE sim_ea_account SET balance = ? WHERE id = 1'),
      takeTicket: this.db.prepare('UPDATE sim_ea_account SET next_ticket = next_ticket + 1 WHERE id = 1 RETURNING next_ticket - 1 AS ticket').pluck(),
    };
  }

  /** Records a signal; false when this (stream, seq) was recorded already (handed over again after a crash). */
  recordSignal(row: LedgerRow): boolean {
    return this.q.record.run(row.stream, row.seq, row.signal_id, row.action, row.symbol, row.received_ms).changes === 1;
  }

  ledger(): LedgerRow[] {
    return this.q.ledger.all() as LedgerRow[];
  }

  positions(): Position[] {
    return this.q.positions.all() as Position[];
  }

  balance(): number {
    return (this.q.account.get() as { balance: number }).balance;
  }

  takeTicket(): number {
    return this.q.takeTicket.get() as number;
  }

  open(p: Position): void {
    this.q.open.run(p.ticket, p.symbol, p.side, p.lots, p.open_price, p.sl, p.tp, p.opened_ms);
  }

  close(ticket: number, pnl: number): void {
    this.db.transaction(() => {
      this.q.close.run(ticket);
      this.q.setBalance.run(Math.round((this.balance() + pnl) * 100) / 100);
    })();
  }

  modify(ticket: number, sl: number | null, tp: number | null): void {
    this.q.modify.run(sl, tp, ticket);
  }

  /** A partial close done behind Guardian's back (tests of reconciliation). */
  setLots(ticket: number, lots: number): void {
    this.q.setLots.run(lots, ticket);
  }

  dispose(): void {
    this.db.close();
  }
}
