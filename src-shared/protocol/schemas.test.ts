import { describe, expect, it } from 'vitest';
import { MESSAGE_TYPE_LIST, SAMPLE_PAYLOADS, sampleEnvelope, sampleHeader } from './samples';
import { validateEnvelope, validateLegacy, validatePayload } from './schemas';
import type { MessageType } from './types';

/** The detail of validating `payload` as `type` under a valid header, or 'ok'. */
function payloadDetail(type: MessageType, payload: unknown): string {
  const r = validateEnvelope({ header: sampleHeader(type), payload });
  return r.ok ? 'ok' : r.detail;
}
function headerDetail(patch: Record<string, unknown>, type: MessageType = 'TRADE'): string {
  const r = validateEnvelope({ header: { ...sampleHeader(type), ...patch }, payload: SAMPLE_PAYLOADS[type] });
  return r.ok ? 'ok' : r.detail;
}

describe('validateEnvelope: header', () => {
  it('accepts every sample, and returns header and payload as given', () => {
    for (const type of MESSAGE_TYPE_LIST) {
      const env = sampleEnvelope(type);
      expect(validateEnvelope({ ...env, checksum: 'ignored' })).toEqual({ ok: true, envelope: env });
    }
  });

  it.each([
    [{ version: '1.0' }, 'header.version: expected one of 1.2, got "1.0"'],
    [{ timestamp: '2026-11-21 10:30' }, 'header.timestamp: expected an ISO 8601 timestamp with a zone, got "2026-11-21 10:30"'],
    [{ timestamp: undefined }, 'header.timestamp: required field is missing'],
    [{ message_id: '' }, 'header.message_id: expected 1..128 characters without spaces or control characters, got ""'],
    [{ message_id: 'a\tb' }, 'header.message_id: expected 1..128 characters without spaces or control characters, got "a\\tb"'],
    [{ source: 'BROKER' }, 'header.source: expected one of GUARDIAN, EA, SIGNAL, got "BROKER"'],
    [{ destination: null }, 'header.destination: expected one of GUARDIAN, EA, SIGNAL, got null'],
    [{ stream: 'x'.repeat(129) }, `header.stream: expected 1..128 characters without spaces or control characters, got "${'x'.repeat(40)}..."`],
    [{ seq: '42' }, 'header.seq: expected an integer >= 1 for TRADE, got "42"'],
    [{ seq: undefined }, 'header.seq: required field is missing'],
    [{ message_type: 7 }, 'header.message_type: expected a message type, got 7'],
  ])('refuses %j: %s', (patch, detail) => {
    expect(headerDetail(patch)).toBe(detail);
  });

  it('accepts timestamps with an offset and without milliseconds', () => {
    expect(headerDetail({ timestamp: '2026-11-21T12:30:00+02:00' })).toBe('ok');
    expect(headerDetail({ timestamp: '2026-11-21T10:30:00Z' })).toBe('ok');
  });

  it('refuses a message that is not an object, or has no header object', () => {
    expect(validateEnvelope(null)).toEqual({ ok: false, detail: 'message: expected an object, got null' });
    expect(validateEnvelope({ payload: {} })).toEqual({ ok: false, detail: 'header: required field is missing' });
    expect(validateEnvelope({ header: [], payload: {} })).toEqual({ ok: false, detail: 'header: expected an object, got an array' });
  });

  it('recovers what it can of a bad header, and only correctly-typed fields', () => {
    const r = validateEnvelope({ header: { message_id: 'm-9', stream: 'ea-1', seq: 'nine', message_type: 'ACK' }, payload: {} });
    expect(r).toEqual({ ok: false, detail: 'header.version: required field is missing', header: { message_id: 'm-9', stream: 'ea-1', message_type: 'ACK' } });
  });
});

describe('validateEnvelope: payloads', () => {
  it.each([
    ['TRADE', { ...SAMPLE_PAYLOADS.TRADE, event: 'FILLED' }, 'payload.event: expected one of OPENED, MODIFIED, CLOSED, REJECTED, got "FILLED"'],
    ['TRADE', { ...SAMPLE_PAYLOADS.TRADE, ticket: 1.5 }, 'payload.ticket: expected an integer, got 1.5'],
    ['TRADE', { ...SAMPLE_PAYLOADS.TRADE, sl: null }, 'payload.sl: expected a number, got null'],
    ['TRADE', { ...SAMPLE_PAYLOADS.TRADE, reject_code: true }, 'payload.reject_code: expected a number or a string, got true'],
    ['SIGNAL', { ...SAMPLE_PAYLOADS.SIGNAL, action: 'HOLD' }, 'payload.action: expected one of BUY, SELL, CLOSE, MODIFY, got "HOLD"'],
    ['SIGNAL', { ...SAMPLE_PAYLOADS.SIGNAL, tier: 'gold' }, 'payload.tier: expected one of primary, cached, heuristic, got "gold"'],
    ['SIGNAL', { ...SAMPLE_PAYLOADS.SIGNAL, lots: '0.1' }, 'payload.lots: expected a number, got "0.1"'],
    ['STATUS', { ...SAMPLE_PAYLOADS.STATUS, ea_state: 'RUNNING' }, 'payload.ea_state: expected one of IDLE, ARMED, ORDERS_PLACED, TRADE_TRIGGERED, MANAGING, PAUSED, HALT, got "RUNNING"'],
    ['STATUS', { ...SAMPLE_PAYLOADS.STATUS, open_positions: -1 }, 'payload.open_positions: expected an integer >= 0, got -1'],
    ['STATUS_RESPONSE', { ea_state: 'IDLE' }, 'payload.balance: required field is missing'],
    ['STATUS_REQUEST', { balance: 'lots' }, 'payload.balance: expected a number, got "lots"'],
    // Optional fields Guardian reads (issue 6): the EA's last quotes, and its positions for reconciliation.
    ['STATUS', { ...SAMPLE_PAYLOADS.STATUS, quotes: { EURUSD: { bid: '1.08', ask: 1.09 } } }, 'payload.quotes.EURUSD.bid: expected a number, got "1.08"'],
    ['STATUS', { ...SAMPLE_PAYLOADS.STATUS, quotes: [] }, 'payload.quotes: expected an object, got an array'],
    ['STATUS_RESPONSE', { ...SAMPLE_PAYLOADS.STATUS, positions: [{ ticket: 1, symbol: 'EURUSD', side: 'LONG', lots: 0.1 }] }, 'payload.positions[0].side: expected one of BUY, SELL, got "LONG"'],
    ['STATUS_RESPONSE', { ...SAMPLE_PAYLOADS.STATUS, positions: [{ ticket: 1, symbol: 'EURUSD', side: 'BUY' }] }, 'payload.positions[0].lots: required field is missing'],
    ['COMMAND', { command: 'SELL_ALL' }, 'payload.command: expected one of HOLD_NEW_ENTRIES, RESUME, CANCEL_ALL, FLATTEN, PING, got "SELL_ALL"'],
    ['HELLO', { ...SAMPLE_PAYLOADS.HELLO, role: 'GUARDIAN' }, 'payload.role: expected one of EA, SIGNAL, got "GUARDIAN"'],
    ['HELLO', { ...SAMPLE_PAYLOADS.HELLO, versions: [] }, 'payload.versions: expected at least 1 item(s), got none'],
    ['HELLO', { ...SAMPLE_PAYLOADS.HELLO, symbols: ['EURUSD', 'GBPUSD', 5] }, 'payload.symbols[2]: expected a string, got 5'],
    ['HELLO', { ...SAMPLE_PAYLOADS.HELLO, tier: undefined }, 'payload.tier: required when role is SIGNAL'],
    ['HELLO_ACK', { ...SAMPLE_PAYLOADS.HELLO_ACK, heartbeat_ms: 0 }, 'payload.heartbeat_ms: expected an integer >= 1, got 0'],
    ['ACK', { ack_seq: -1 }, 'payload.ack_seq: expected an integer >= 0, got -1'],
    ['PARAM', { name: 'x' }, 'payload.value: required field is missing'],
    ['ERROR', { reason: '' }, 'payload.reason: expected a non-empty string, got ""'],
    ['HEARTBEAT', { t0: 'now' }, 'payload.t0: expected a number, got "now"'],
    ['ACK', [], 'payload: expected an object, got an array'],
    ['ACK', undefined, 'payload: required field is missing'],
  ] as [MessageType, unknown, string][])('%s %j: %s', (type, payload, detail) => {
    expect(payloadDetail(type, payload)).toBe(detail);
  });

  it('accepts the optional quotes and positions (sl and tp may be null)', () => {
    expect(validatePayload('STATUS', { ...SAMPLE_PAYLOADS.STATUS, quotes: { EURUSD: { bid: 1.0849, ask: 1.085 } } })).toBeNull();
    expect(validatePayload('STATUS_RESPONSE', { ...SAMPLE_PAYLOADS.STATUS, positions: [{ ticket: 7, symbol: 'EURUSD', side: 'BUY', lots: 0.1, open_price: 1.08, sl: null, tp: 1.1 }] })).toBeNull();
  });

  it('accepts absent optional fields, null PARAM values, and an EA HELLO without tier', () => {
    expect(payloadDetail('SIGNAL', { signal_id: 's', symbol: 'EURUSD', action: 'CLOSE' })).toBe('ok');
    expect(payloadDetail('TRADE', { event: 'REJECTED', ticket: -1, symbol: 'EURUSD', side: 'SELL', lots: 1, reject_code: 'ERR_INVALID_STOPS' })).toBe('ok');
    expect(payloadDetail('PARAM', { name: 'x', value: null })).toBe('ok');
    expect(payloadDetail('HEARTBEAT', {})).toBe('ok');
    expect(payloadDetail('HELLO', { role: 'EA', node_id: 'ea-1', versions: ['1.2'], last_seq_received: 0 })).toBe('ok');
  });

  it('validatePayload agrees with validateEnvelope', () => {
    expect(validatePayload('SIGNAL', SAMPLE_PAYLOADS.SIGNAL)).toBeNull();
    expect(validatePayload('SIGNAL', { ...SAMPLE_PAYLOADS.SIGNAL, price: 'x' })).toBe('payload.price: expected a number, got "x"');
  });
});

describe('validateLegacy', () => {
  it('maps a flat 1.0 message onto an Envelope', () => {
    const r = validateLegacy({ message_type: 'ACK', message_id: 'm1', timestamp: 't', payload: { ack_seq: 3 }, source: 'EA', version: '1.0' });
    expect(r).toEqual({
      ok: true,
      envelope: { header: { version: '1.0', timestamp: 't', message_id: 'm1', message_type: 'ACK', source: 'EA', destination: 'GUARDIAN', stream: '', seq: 0 }, payload: { ack_seq: 3 } },
    });
  });

  it('names the missing field of a flat message', () => {
    const r = validateLegacy({ message_type: 'ACK', timestamp: 't', payload: { ack_seq: 3 }, source: 'EA', version: '1.0' });
    expect(r.ok || r.detail).toBe('message.message_id: required field is missing');
  });
});
