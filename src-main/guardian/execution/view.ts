// The execution part's rows in the contract's words (ExecutionView).
import type { CommandState, ExecutionView, ReconcileKind } from '../../../src-shared/contract';
import type { TrackedCommand } from './commands';
import type { Position } from './ledger';
import type { BlockRow, DifferenceRow, KillSwitch } from './store';

export const KILL_SWITCH_RELEASE = 'the guarded resume control (a reason is required, and it is audited); a lapse of the SAFE_MODE pin or a restart does not lift it';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export interface ViewRows {
  kill: KillSwitch;
  enabled: boolean;
  blocks_per_min: number;
  blocks: BlockRow[];
  commands: Omit<TrackedCommand, 'sent_mono_ms'>[];
  positions: (Position & { peer: string })[];
  differences: DifferenceRow[];
  last: { ts_ms: number; peer: string; differences: number } | null;
}

export function toView(r: ViewRows): ExecutionView {
  const pos = (p: Position | null, peer: string) => (p ? { peer, ticket: p.ticket, symbol: p.symbol, side: p.side, lots: p.lots, open_price: p.open_price, sl: p.sl, tp: p.tp } : null);
  return {
    kill_switch: { engaged: r.kill.engaged, by: r.kill.by, reason: r.kill.reason, since: iso(r.kill.since_ms), release: KILL_SWITCH_RELEASE },
    gate_enabled: r.enabled,
    blocks_per_min: r.blocks_per_min,
    blocked: r.blocks.map((b) => ({
      ts: new Date(b.ts_ms).toISOString(), message_id: b.message_id, signal_id: b.signal_id, origin: b.origin,
      symbol: b.symbol, action: b.action, lots: b.lots, reason_code: b.reason, detail: b.detail,
    })),
    commands: r.commands.map((c) => ({
      id: c.id, command: c.command, peer: c.peer, seq: c.seq, reason: c.reason, state: c.state as CommandState,
      sent_ts: new Date(c.sent_ms).toISOString(), acknowledged_ts: iso(c.acked_ms), confirmed_ts: iso(c.confirmed_ms), detail: c.detail,
    })),
    positions: r.positions.map((p) => pos(p, p.peer)!),
    differences: r.differences.map((d) => ({
      id: d.id, ts: new Date(d.ts_ms).toISOString(), peer: d.peer, ticket: d.ticket, kind: d.kind as ReconcileKind, fields: d.fields,
      guardian: pos(d.guardian, d.peer), broker: pos(d.broker, d.peer), incident_id: d.incident_id,
    })),
    last_reconcile: r.last ? { ts: new Date(r.last.ts_ms).toISOString(), peer: r.last.peer, differences: r.last.differences } : null,
  };
}
