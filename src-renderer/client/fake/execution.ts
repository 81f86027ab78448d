// The fake backend's execution safety: a few refusals, the kill switch's commands, a ledger and one
// reconciliation difference, so the Execution panel shows every state without a Guardian.
import type { ExecutionView } from '../../../src-shared/contract';

export function fakeExecution(now_ms: number, killEngaged: boolean): ExecutionView {
  const ts = (ago_s: number) => new Date(now_ms - ago_s * 1000).toISOString();
  return {
    kill_switch: killEngaged
      ? { engaged: true, by: 'operator:desk', reason: 'broker feed looks wrong', since: ts(30), release: 'the guarded resume control' }
      : { engaged: false, by: null, reason: null, since: null, release: 'the guarded resume control' },
    gate_enabled: true,
    blocks_per_min: 2,
    blocked: [
      { ts: ts(12), message_id: 'sig-primary.0000000412', signal_id: 'sig-primary-0000000412', origin: 'sig-primary', symbol: 'EURUSD', action: 'BUY', lots: 8, reason_code: 'ORDER_SIZE_BLOCK', detail: '8 lots > max_lots_per_order 5' },
      { ts: ts(40), message_id: 'sig-primary.0000000398', signal_id: 'sig-primary-0000000398', origin: 'sig-primary', symbol: 'GBPUSD', action: 'SELL', lots: 0.3, reason_code: 'DUPLICATE_ORDER_BLOCK', detail: 'SELL 0.3 GBPUSD was already ordered in this 60 s bar' },
    ],
    commands: [
      { id: 3, command: 'FLATTEN', peer: 'ea-1', seq: 88, reason: 'kill switch', state: 'unknown', sent_ts: ts(30), acknowledged_ts: ts(30), confirmed_ts: null, detail: "acknowledged, but its effect was not seen in the EA's STATUS within 10 s" },
      { id: 2, command: 'CANCEL_ALL', peer: 'ea-1', seq: 87, reason: 'kill switch', state: 'confirmed', sent_ts: ts(30), acknowledged_ts: ts(30), confirmed_ts: ts(29), detail: 'no pending order left (STATUS ea_state PAUSED)' },
      { id: 1, command: 'HOLD_NEW_ENTRIES', peer: 'ea-1', seq: 86, reason: 'kill switch', state: 'acknowledged', sent_ts: ts(30), acknowledged_ts: ts(30), confirmed_ts: null, detail: 'acknowledged by the EA; waiting for its effect in STATUS' },
    ],
    positions: [{ peer: 'ea-1', ticket: 1042, symbol: 'EURUSD', side: 'BUY', lots: 0.2, open_price: 1.0851, sl: 1.083, tp: 1.089 }],
    differences: [{
      id: 1, ts: ts(300), peer: 'ea-1', ticket: 1040, kind: 'missing', fields: [],
      guardian: { peer: 'ea-1', ticket: 1040, symbol: 'USDJPY', side: 'SELL', lots: 0.1, open_price: 150.12, sl: null, tp: null }, broker: null, incident_id: 'INC-0007',
    }],
    last_reconcile: { ts: ts(300), peer: 'ea-1', differences: 1 },
  };
}
