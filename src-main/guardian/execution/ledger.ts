// Guardian's ledger of open positions, built from the EA's TRADE events (OPENED adds, MODIFIED
// updates, CLOSED removes), and its comparison with the broker's positions (STATUS_RESPONSE).
// Pure: the store persists what these return.
import type { PositionReport, TradePayload } from '../../../src-shared/protocol';
import type { LedgerPosition, ReconcileKind } from '../../../src-shared/contract';

/** One open position of one EA (the contract's row without the EA it belongs to). */
export type Position = Omit<LedgerPosition, 'peer'>;

export type LedgerChange = { kind: 'put'; position: Position } | { kind: 'remove'; ticket: number } | null;

/** What one TRADE event does to the ledger of its EA. REJECTED changes nothing. */
export function applyTrade(ledger: ReadonlyMap<number, Position>, t: TradePayload): LedgerChange {
  switch (t.event) {
    case 'OPENED':
      return { kind: 'put', position: { ticket: t.ticket, symbol: t.symbol, side: t.side, lots: t.lots, open_price: t.price ?? null, sl: t.sl ?? null, tp: t.tp ?? null } };
    case 'MODIFIED': {
      const was = ledger.get(t.ticket);
      // A modification of a position Guardian never saw open: recorded as the EA describes it.
      const base: Position = was ?? { ticket: t.ticket, symbol: t.symbol, side: t.side, lots: t.lots, open_price: null, sl: null, tp: null };
      return { kind: 'put', position: { ...base, lots: t.lots, sl: t.sl ?? base.sl, tp: t.tp ?? base.tp } };
    }
    case 'CLOSED':
      return ledger.has(t.ticket) ? { kind: 'remove', ticket: t.ticket } : null;
    case 'REJECTED':
      return null;
  }
}

export interface Difference {
  ticket: number;
  kind: ReconcileKind;
  fields: string[];
  guardian: Position | null;
  broker: Position | null;
}

const LOTS_EPS = 1e-9;
const PRICE_EPS = 1e-7;

export function fromReport(p: PositionReport): Position {
  return { ticket: p.ticket, symbol: p.symbol, side: p.side, lots: p.lots, open_price: p.open_price ?? null, sl: p.sl ?? null, tp: p.tp ?? null };
}

/**
 * Guardian's ledger against the broker's positions, by ticket: missing (Guardian only), extra
 * (broker only), different (symbol, side, lots or open price disagree). sl/tp are not compared:
 * the EA trails them on its own.
 */
export function reconcile(guardian: readonly Position[], broker: readonly Position[]): Difference[] {
  const ours = new Map(guardian.map((p) => [p.ticket, p]));
  const theirs = new Map(broker.map((p) => [p.ticket, p]));
  const out: Difference[] = [];
  for (const g of ours.values()) {
    const b = theirs.get(g.ticket);
    if (!b) {
      out.push({ ticket: g.ticket, kind: 'missing', fields: [], guardian: g, broker: null });
      continue;
    }
    const fields: string[] = [];
    if (g.symbol !== b.symbol) fields.push('symbol');
    if (g.side !== b.side) fields.push('side');
    if (Math.abs(g.lots - b.lots) > LOTS_EPS) fields.push('lots');
    if (g.open_price !== null && b.open_price !== null && Math.abs(g.open_price - b.open_price) > PRICE_EPS) fields.push('open_price');
    if (fields.length) out.push({ ticket: g.ticket, kind: 'different', fields, guardian: g, broker: b });
  }
  for (const b of theirs.values()) if (!ours.has(b.ticket)) out.push({ ticket: b.ticket, kind: 'extra', fields: [], guardian: null, broker: b });
  return out.sort((x, y) => x.ticket - y.ticket);
}

export function describeDifference(peer: string, d: Difference): string {
  const p = (x: Position) => `${x.side} ${x.lots} ${x.symbol}${x.open_price !== null ? ` @ ${x.open_price}` : ''}`;
  if (d.kind === 'missing') return `${peer} #${d.ticket} ${p(d.guardian!)} is in Guardian's ledger but not at the broker`;
  if (d.kind === 'extra') return `${peer} #${d.ticket} ${p(d.broker!)} is at the broker but not in Guardian's ledger`;
  return `${peer} #${d.ticket} differs in ${d.fields.join(', ')}: Guardian ${p(d.guardian!)}, broker ${p(d.broker!)}`;
}
