// Execution safety as the console reads it: signals the pre-trade gate (or the mode) refused, the
// kill switch and every COMMAND's outcome, Guardian's ledger of open positions and the differences
// reconciliation found with the broker's (the EA's STATUS_RESPONSE).
import type { IsoTs } from './modes';

/** The pre-trade gate's reason codes (PROTOCOL.md 7), and the mode's. */
export type PretradeReason =
  | 'ORDER_SIZE_BLOCK' | 'PRICE_COLLAR_BLOCK' | 'DUPLICATE_ORDER_BLOCK' | 'RATE_THROTTLE_BLOCK'
  | 'CANCEL_LOOP_BLOCK' | 'MODE_BLOCK';
export const PRETRADE_REASONS: readonly PretradeReason[] = [
  'ORDER_SIZE_BLOCK', 'PRICE_COLLAR_BLOCK', 'DUPLICATE_ORDER_BLOCK', 'RATE_THROTTLE_BLOCK', 'CANCEL_LOOP_BLOCK', 'MODE_BLOCK',
];

/** A signal refused before it reached the EA; its service was answered ERROR <reason_code>. */
export interface BlockedSignal {
  ts: IsoTs;
  message_id: string | null;
  signal_id: string;
  origin: string;
  symbol: string;
  action: string;
  lots: number | null;
  reason_code: string;
  detail: string;
}

/**
 * A COMMAND's outcome: sent (stored for the EA) -> acknowledged (the EA's ACK of its seq) ->
 * confirmed (its effect seen in the EA's TRADE and STATUS), or unknown when neither came within
 * the timeout. Unknown is never guessed into confirmed; later evidence may still confirm it.
 */
export type CommandState = 'sent' | 'acknowledged' | 'confirmed' | 'unknown';

export interface CommandOutcome {
  id: number;
  command: string;
  peer: string;
  seq: number;
  reason: string;
  state: CommandState;
  sent_ts: IsoTs;
  acknowledged_ts: IsoTs | null;
  confirmed_ts: IsoTs | null;
  /** What was seen (or not): "no open position left (STATUS)", "not acknowledged within 10 s". */
  detail: string;
}

export interface LedgerPosition {
  peer: string;
  ticket: number;
  symbol: string;
  side: 'BUY' | 'SELL';
  lots: number;
  open_price: number | null;
  sl: number | null;
  tp: number | null;
}

export type ReconcileKind = 'missing' | 'extra' | 'different';

/** One difference: missing = in Guardian's ledger only; extra = at the broker only. */
export interface ReconcileDifference {
  id: number;
  ts: IsoTs;
  peer: string;
  ticket: number;
  kind: ReconcileKind;
  /** For `different`: the fields that disagree (lots, side, symbol, open_price). */
  fields: string[];
  guardian: LedgerPosition | null;
  broker: LedgerPosition | null;
  incident_id: string | null;
}

export interface KillSwitchState {
  engaged: boolean;
  by: string | null;
  reason: string | null;
  since: IsoTs | null;
  /** How it is lifted: the guarded `resume` control, with a reason. */
  release: string;
}

export interface ExecutionView {
  kill_switch: KillSwitchState;
  /** Whether the pre-trade limits of config/pretrade.yaml are applied (MODE_BLOCK always is). */
  gate_enabled: boolean;
  blocks_per_min: number;
  blocked: BlockedSignal[];
  commands: CommandOutcome[];
  positions: LedgerPosition[];
  differences: ReconcileDifference[];
  last_reconcile: { ts: IsoTs; peer: string; differences: number } | null;
}
