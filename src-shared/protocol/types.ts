// The wire contract of PROTOCOL.md (GBP 1.2) as types. Pure: no I/O.

export const PROTOCOL_VERSION = '1.2' as const;
export const LEGACY_VERSION = '1.0' as const;
export type ProtocolVersion = typeof PROTOCOL_VERSION | typeof LEGACY_VERSION;

export type Role = 'GUARDIAN' | 'EA' | 'SIGNAL';
export type PathName = 'socket' | 'pipe' | 'spool';
export const PATH_PRIORITY: readonly PathName[] = ['socket', 'pipe', 'spool'];
export type SignalTier = 'primary' | 'cached' | 'heuristic';
export const SIGNAL_TIERS: readonly SignalTier[] = ['primary', 'cached', 'heuristic'];

export type MessageType =
  | 'HELLO' | 'HELLO_ACK' | 'HEARTBEAT' | 'ACK' | 'STATUS' | 'STATUS_REQUEST' | 'STATUS_RESPONSE'
  | 'TRADE' | 'SIGNAL' | 'COMMAND' | 'PARAM' | 'ERROR';

/** Control messages carry seq 0 and are never acknowledged or resent (PROTOCOL.md 3). */
export const CONTROL_TYPES: ReadonlySet<MessageType> = new Set(['HEARTBEAT', 'ACK', 'HELLO', 'HELLO_ACK', 'ERROR']);

/** Reason codes of PROTOCOL.md section 7, plus the policy codes of the router. */
export type ReasonCode =
  | 'FRAME_SIZE' | 'BAD_JSON' | 'BAD_CHECKSUM' | 'AUTH_FAILED' | 'BAD_MESSAGE' | 'VERSION'
  | 'FRAME_TIMEOUT' | 'NOT_HELLO' | 'MODE_BLOCK' | 'ORDER_SIZE_BLOCK' | 'PRICE_COLLAR_BLOCK'
  | 'DUPLICATE_ORDER_BLOCK' | 'RATE_THROTTLE_BLOCK' | 'CANCEL_LOOP_BLOCK' | 'SIGNAL_EXPIRED'
  | 'NO_ROUTE';

export interface Header {
  /** '1.0' only on messages mapped from a legacy peer's flat envelope (PROTOCOL.md 8). */
  version: ProtocolVersion;
  timestamp: string;
  message_id: string;
  message_type: MessageType;
  source: Role;
  destination: Role;
  stream: string;
  seq: number;
}

export interface HelloPayload {
  role: Exclude<Role, 'GUARDIAN'>;
  node_id: string;
  versions: string[];
  last_seq_received: number;
  tier?: SignalTier;
  account?: string;
  symbols?: string[];
}
export interface HelloAckPayload {
  version: ProtocolVersion;
  node_id: string;
  last_seq_received: number;
  heartbeat_ms: number;
}
export interface HeartbeatPayload { ping_id?: string; t0?: number; echo?: string }
export interface AckPayload { ack_seq: number }
export type EaState = 'IDLE' | 'ARMED' | 'ORDERS_PLACED' | 'TRADE_TRIGGERED' | 'MANAGING' | 'PAUSED' | 'HALT';
export interface StatusPayload {
  ea_state: EaState;
  balance: number;
  equity: number;
  margin_level: number;
  spread_pips: number;
  open_positions: number;
  server_time: string;
  /** Optional (Guardian addition): the EA's last quote per symbol; the pre-trade price collar reads it. */
  quotes?: Record<string, { bid: number; ask: number }>;
}
/** One open position as the EA reports it in STATUS_RESPONSE (optional `positions`). */
export interface PositionReport {
  ticket: number;
  symbol: string;
  side: 'BUY' | 'SELL';
  lots: number;
  open_price?: number;
  sl?: number | null;
  tp?: number | null;
}
export type StatusResponsePayload = StatusPayload & { positions?: PositionReport[] };
export type TradeEvent = 'OPENED' | 'MODIFIED' | 'CLOSED' | 'REJECTED';
export interface TradePayload {
  event: TradeEvent;
  ticket: number;
  symbol: string;
  side: 'BUY' | 'SELL';
  lots: number;
  requested_price?: number;
  price?: number;
  slippage_pips?: number;
  sl?: number;
  tp?: number;
  pnl?: number;
  /** Optional (Guardian 1.2 extension): MT4's OrderCommission and OrderSwap, a cost negative. */
  commission?: number;
  swap?: number;
  reject_code?: number | string;
}
export type SignalAction = 'BUY' | 'SELL' | 'CLOSE' | 'MODIFY';
export interface SignalPayload {
  signal_id: string;
  symbol: string;
  action: SignalAction;
  lots?: number;
  order_type?: string;
  price?: number;
  sl?: number;
  tp?: number;
  tier?: SignalTier;
}
export type CommandName = 'HOLD_NEW_ENTRIES' | 'RESUME' | 'CANCEL_ALL' | 'FLATTEN' | 'PING';
export interface CommandPayload { command: CommandName; reason?: string; incident_id?: string }
export interface ParamPayload { name: string; value: unknown }
export interface ErrorPayload { reason: ReasonCode | string; ref_message_id?: string; detail?: string }

export interface PayloadByType {
  HELLO: HelloPayload;
  HELLO_ACK: HelloAckPayload;
  HEARTBEAT: HeartbeatPayload;
  ACK: AckPayload;
  STATUS: StatusPayload;
  STATUS_REQUEST: Partial<StatusPayload>;
  STATUS_RESPONSE: StatusResponsePayload;
  TRADE: TradePayload;
  SIGNAL: SignalPayload;
  COMMAND: CommandPayload;
  PARAM: ParamPayload;
  ERROR: ErrorPayload;
}

/** A decoded 1.2 message. `legacy` messages (1.0) are mapped onto the same shape with seq 0. */
export interface Envelope<T extends MessageType = MessageType> {
  header: Header & { message_type: T };
  payload: PayloadByType[T];
}
