// The execution part's SQL (migration 4): blocked signals, COMMAND outcomes, the position ledger,
// reconciliation differences and the kill switch. Small writes off the router's hot path.
import type { Db } from '../store';
import type { TrackedCommand } from './commands';
import type { Difference, Position } from './ledger';

export interface BlockRow {
  ts_ms: number;
  message_id: string | null;
  signal_id: string;
  origin: string;
  symbol: string;
  action: string;
  lots: number | null;
  reason: string;
  detail: string;
}

export interface DifferenceRow extends Difference {
  id: number;
  ts_ms: number;
  peer: string;
  incident_id: string | null;
}

export interface KillSwitch {
  engaged: boolean;
  by: string | null;
  reason: string | null;
  since_ms: number | null;
}

interface PositionRow extends Position {
  peer: string;
}

export class ExecutionStore {
  private readonly q;

  constructor(private readonly db: Db) {
    this.q = {
      insBlock: db.prepare('INSERT INTO execution_blocks (ts_ms, message_id, signal_id, origin, symbol, action, lots, reason, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      blocks: db.prepare('SELECT ts_ms, message_id, signal_id, origin, symbol, action, lots, reason, detail FROM execution_blocks ORDER BY id DESC LIMIT ?'),
      blocksSince: db.prepare('SELECT COUNT(*) FROM execution_blocks WHERE ts_ms > ?').pluck(),
      insCommand: db.prepare('INSERT INTO execution_commands (command, peer, seq, reason, state, sent_ms, acked_ms, confirmed_ms, detail, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id').pluck(),
      updCommand: db.prepare('UPDATE execution_commands SET state = ?, acked_ms = ?, confirmed_ms = ?, detail = ?, updated_ms = ? WHERE id = ?'),
      commands: db.prepare('SELECT id, command, peer, seq, reason, state, sent_ms, acked_ms, confirmed_ms, detail FROM execution_commands ORDER BY id DESC LIMIT ?'),
      putPosition: db.prepare('INSERT OR REPLACE INTO execution_positions (peer, ticket, symbol, side, lots, open_price, sl, tp, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      delPosition: db.prepare('DELETE FROM execution_positions WHERE peer = ? AND ticket = ?'),
      delPositionsOf: db.prepare('DELETE FROM execution_positions WHERE peer = ?'),
      positions: db.prepare('SELECT peer, ticket, symbol, side, lots, open_price, sl, tp FROM execution_positions ORDER BY peer, ticket'),
      insDifference: db.prepare('INSERT INTO execution_differences (ts_ms, peer, ticket, kind, fields, guardian, broker, incident_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      differences: db.prepare('SELECT id, ts_ms, peer, ticket, kind, fields, guardian, broker, incident_id FROM execution_differences ORDER BY id DESC LIMIT ?'),
      getState: db.prepare('SELECT value FROM execution_state WHERE key = ?').pluck(),
      putState: db.prepare('INSERT OR REPLACE INTO execution_state (key, value, updated_ms) VALUES (?, ?, ?)'),
    };
  }

  addBlock(b: BlockRow): void {
    this.q.insBlock.run(b.ts_ms, b.message_id, b.signal_id, b.origin, b.symbol, b.action, b.lots, b.reason, b.detail);
  }

  blocks(limit: number): BlockRow[] {
    return this.q.blocks.all(limit) as BlockRow[];
  }

  blocksSince(ts_ms: number): number {
    return this.q.blocksSince.get(ts_ms) as number;
  }

  addCommand(c: Omit<TrackedCommand, 'id' | 'sent_mono_ms'>, now_ms: number): number {
    return Number(this.q.insCommand.get(c.command, c.peer, c.seq, c.reason, c.state, c.sent_ms, c.acked_ms, c.confirmed_ms, c.detail, now_ms));
  }

  updateCommand(c: TrackedCommand, now_ms: number): void {
    this.q.updCommand.run(c.state, c.acked_ms, c.confirmed_ms, c.detail, now_ms, c.id);
  }

  commands(limit: number): Omit<TrackedCommand, 'sent_mono_ms'>[] {
    return this.q.commands.all(limit) as Omit<TrackedCommand, 'sent_mono_ms'>[];
  }

  putPosition(peer: string, p: Position, now_ms: number): void {
    this.q.putPosition.run(peer, p.ticket, p.symbol, p.side, p.lots, p.open_price, p.sl, p.tp, now_ms);
  }

  removePosition(peer: string, ticket: number): void {
    this.q.delPosition.run(peer, ticket);
  }

  /** The broker's truth replaces the peer's ledger, and the differences are kept, in one transaction. */
  replaceLedger(peer: string, positions: readonly Position[], differences: readonly Difference[], incident_id: string | null, now_ms: number): void {
    this.db.transaction(() => {
      this.q.delPositionsOf.run(peer);
      for (const p of positions) this.putPosition(peer, p, now_ms);
      for (const d of differences) {
        this.q.insDifference.run(now_ms, peer, d.ticket, d.kind, JSON.stringify(d.fields), d.guardian ? JSON.stringify(d.guardian) : null, d.broker ? JSON.stringify(d.broker) : null, incident_id);
      }
    })();
  }

  positions(): PositionRow[] {
    return this.q.positions.all() as PositionRow[];
  }

  differences(limit: number): DifferenceRow[] {
    type Raw = { id: number; ts_ms: number; peer: string; ticket: number; kind: Difference['kind']; fields: string; guardian: string | null; broker: string | null; incident_id: string | null };
    return (this.q.differences.all(limit) as Raw[]).map((r) => ({
      ...r, fields: JSON.parse(r.fields) as string[],
      guardian: r.guardian ? (JSON.parse(r.guardian) as Position) : null,
      broker: r.broker ? (JSON.parse(r.broker) as Position) : null,
    }));
  }

  killSwitch(): KillSwitch {
    const raw = this.q.getState.get('kill_switch') as string | undefined;
    if (!raw) return { engaged: false, by: null, reason: null, since_ms: null };
    try {
      return JSON.parse(raw) as KillSwitch;
    } catch {
      // an unreadable row: engaged, so that a restart never silently lifts a kill switch
      return { engaged: true, by: null, reason: 'the saved kill switch could not be read', since_ms: null };
    }
  }

  setKillSwitch(k: KillSwitch, now_ms: number): void {
    this.q.putState.run('kill_switch', JSON.stringify(k), now_ms);
  }
}
