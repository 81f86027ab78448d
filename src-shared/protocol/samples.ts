// One valid message of every type, for the codec's tests (and anyone's: they are plain data).
// Not exported through index.ts: production code has no use for them.

import { CONTROL_TYPES, type Envelope, type Header, type MessageType, type PayloadByType } from './types';
import { messageId } from './envelope';

export const SAMPLE_PAYLOADS: { [T in MessageType]: PayloadByType[T] } = {
  HELLO: { role: 'SIGNAL', node_id: 'sig-p1', versions: ['1.2', '1.0'], last_seq_received: 17, tier: 'primary', account: '501234', symbols: ['EURUSD', 'GBPUSD'] },
  HELLO_ACK: { version: '1.2', node_id: 'guardian-1', last_seq_received: 41, heartbeat_ms: 250 },
  HEARTBEAT: { ping_id: 'p-9', t0: 1795000000123 },
  ACK: { ack_seq: 42 },
  STATUS: { ea_state: 'ARMED', balance: 10000, equity: 10012.5, margin_level: 0, spread_pips: 0.8, open_positions: 0, server_time: '2026.11.21 10:30:00' },
  STATUS_REQUEST: {},
  STATUS_RESPONSE: { ea_state: 'MANAGING', balance: 10000, equity: 9987.25, margin_level: 812.4, spread_pips: 1.1, open_positions: 2, server_time: '2026.11.21 10:30:01' },
  TRADE: { event: 'OPENED', ticket: 123456, symbol: 'EURUSD', side: 'BUY', lots: 0.25, requested_price: 1.0845, price: 1.08452, slippage_pips: 0.2, sl: 1.081, tp: 1.0915 },
  SIGNAL: { signal_id: 'sig-77', symbol: 'EURUSD', action: 'BUY', lots: 0.25, order_type: 'LIMIT', price: 1.08452, sl: 1.08102, tp: 1.09152, tier: 'primary' },
  COMMAND: { command: 'HOLD_NEW_ENTRIES', reason: 'spread above 3 pips', incident_id: 'inc-12' },
  PARAM: { name: 'max_spread_pips', value: 3 },
  ERROR: { reason: 'BAD_MESSAGE', ref_message_id: 'ea-7f3a-000000000042', detail: 'payload.lots: expected a number, got "abc"' },
};

export const MESSAGE_TYPE_LIST = Object.keys(SAMPLE_PAYLOADS) as MessageType[];

/** A valid header for `type`: seq 0 for control types, `seq` otherwise. */
export function sampleHeader(type: MessageType, seq = 42, stream = 'ea-7f3a'): Header {
  const s = CONTROL_TYPES.has(type) ? 0 : seq;
  return {
    version: '1.2',
    timestamp: '2026-11-21T10:30:00.000Z',
    message_id: messageId(stream, s),
    message_type: type,
    source: 'EA',
    destination: 'GUARDIAN',
    stream,
    seq: s,
  };
}

export function sampleEnvelope<T extends MessageType>(type: T, seq = 42): Envelope<T> {
  return { header: sampleHeader(type, seq) as Header & { message_type: T }, payload: SAMPLE_PAYLOADS[type] };
}
