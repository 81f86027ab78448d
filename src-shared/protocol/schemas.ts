// The schema of every message (PROTOCOL.md 4) as small field tables, checked by a hand-written
// validator: no dependency, no allocation on the happy path, and an exact error path on failure
// ("payload.lots: expected a number, got \"abc\"") because that text is what the operator reads in
// the dead-letter store. Unknown fields are allowed (a newer peer may add some); an unknown
// message_type is not, since nothing could route it.

import {
  CONTROL_TYPES,
  PROTOCOL_VERSION,
  LEGACY_VERSION,
  SIGNAL_TIERS,
  type Envelope,
  type Header,
  type MessageType,
  type Role,
} from './types';

export type ValidationResult =
  | { ok: true; envelope: Envelope }
  | { ok: false; detail: string; header?: Partial<Header> };

/** A check returns null when the value is fine, else the whole error detail. */
type Check = (value: unknown, path: string) => string | null;

interface Field {
  readonly name: string;
  readonly path: string;
  readonly required: boolean;
  readonly check: Check;
}

type Obj = Record<string, unknown>;

// ---- value checks ------------------------------------------------------------------------------

/** How a bad value is quoted in an error detail: short, and never the whole 64 KiB string. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  return String(v);
}

const fail = (path: string, expected: string, v: unknown): string =>
  `${path}: expected ${expected}, got ${describeValue(v)}`;

function simple(expected: string, ok: (v: unknown) => boolean): Check {
  return (v, path) => (ok(v) ? null : fail(path, expected, v));
}

export const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isInt = (v: unknown): v is number => Number.isSafeInteger(v);

/**
 * Stream ids and message ids end up in spool columns, file names and logs, so they are 1..128
 * characters with no whitespace or control characters (a tab would break a spool line).
 */
export function isToken(v: unknown): v is string {
  if (typeof v !== 'string' || v.length < 1 || v.length > 128) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return false;
  }
  return true;
}

// ISO 8601 with a zone, as in PROTOCOL.md 3 ("2026-11-21T10:30:00.000Z"): the store orders by it.
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

const STRING = simple('a string', (v) => typeof v === 'string');
const NONEMPTY = simple('a non-empty string', (v) => typeof v === 'string' && v.length > 0);
const TOKEN = simple('1..128 characters without spaces or control characters', isToken);
const TIMESTAMP = simple('an ISO 8601 timestamp with a zone', (v) => typeof v === 'string' && ISO_TIMESTAMP.test(v));
const NUMBER = simple('a number', isNumber);
const INT = simple('an integer', isInt);
const NONNEG_INT = simple('an integer >= 0', (v) => isInt(v) && v >= 0);
const POS_INT = simple('an integer >= 1', (v) => isInt(v) && v >= 1);
const NUMBER_OR_STRING = simple('a number or a string', (v) => isNumber(v) || typeof v === 'string');
const PRESENT: Check = () => null; // any JSON value, null included; absence is caught as "required"

function oneOf(values: readonly string[]): Check {
  const set: ReadonlySet<unknown> = new Set(values);
  const expected = `one of ${values.join(', ')}`;
  return (v, path) => (set.has(v) ? null : fail(path, expected, v));
}

function arrayOf(item: Check, minLength = 0): Check {
  return (v, path) => {
    if (!Array.isArray(v)) return fail(path, 'an array', v);
    if (v.length < minLength) return `${path}: expected at least ${minLength} item(s), got none`;
    for (let i = 0; i < v.length; i++) {
      const err = item(v[i], `${path}[${i}]`);
      if (err !== null) return err;
    }
    return null;
  };
}

// ---- tables ------------------------------------------------------------------------------------

const req = (prefix: string, name: string, check: Check): Field => ({ name, path: `${prefix}.${name}`, required: true, check });
const opt = (prefix: string, name: string, check: Check): Field => ({ name, path: `${prefix}.${name}`, required: false, check });
const P = 'payload';

export const MESSAGE_TYPES: readonly MessageType[] = [
  'HELLO', 'HELLO_ACK', 'HEARTBEAT', 'ACK', 'STATUS', 'STATUS_REQUEST', 'STATUS_RESPONSE',
  'TRADE', 'SIGNAL', 'COMMAND', 'PARAM', 'ERROR',
];
export const ROLES: readonly Role[] = ['GUARDIAN', 'EA', 'SIGNAL'];
export const EA_STATES = ['IDLE', 'ARMED', 'ORDERS_PLACED', 'TRADE_TRIGGERED', 'MANAGING', 'PAUSED', 'HALT'] as const;
export const TRADE_EVENTS = ['OPENED', 'MODIFIED', 'CLOSED', 'REJECTED'] as const;
export const SIDES = ['BUY', 'SELL'] as const;
export const SIGNAL_ACTIONS = ['BUY', 'SELL', 'CLOSE', 'MODIFY'] as const;
export const COMMANDS = ['HOLD_NEW_ENTRIES', 'RESUME', 'CANCEL_ALL', 'FLATTEN', 'PING'] as const;

const MESSAGE_TYPE_SET: ReadonlySet<unknown> = new Set(MESSAGE_TYPES);
export const isMessageType = (v: unknown): v is MessageType => MESSAGE_TYPE_SET.has(v);
const ROLE = oneOf(ROLES);
const TIER = oneOf(SIGNAL_TIERS);

/** An object whose fields are checked by `fields` (unknown fields allowed, as everywhere). */
function objectOf(fields: readonly [string, boolean, Check][]): Check {
  return (v, path) => {
    if (!isObject(v)) return fail(path, 'an object', v);
    for (const [name, required, check] of fields) {
      const x = v[name];
      if (x === undefined) {
        if (required) return `${path}.${name}: required field is missing`;
      } else {
        const err = check(x, `${path}.${name}`);
        if (err !== null) return err;
      }
    }
    return null;
  };
}

/** An object used as a map: every value checked by `item`. */
function mapOf(item: Check): Check {
  return (v, path) => {
    if (!isObject(v)) return fail(path, 'an object', v);
    for (const key of Object.keys(v)) {
      const err = item(v[key], `${path}.${key}`);
      if (err !== null) return err;
    }
    return null;
  };
}

const NUMBER_OR_NULL = simple('a number or null', (v) => v === null || isNumber(v));
/** The EA's last quote of a symbol (optional in STATUS): what the pre-trade price collar reads. */
const QUOTE = objectOf([['bid', true, NUMBER], ['ask', true, NUMBER]]);
/** One open position in STATUS_RESPONSE (optional `positions`): what reconciliation compares. */
const POSITION = objectOf([
  ['ticket', true, INT], ['symbol', true, NONEMPTY], ['side', true, oneOf(SIDES)], ['lots', true, NUMBER],
  ['open_price', false, NUMBER], ['sl', false, NUMBER_OR_NULL], ['tp', false, NUMBER_OR_NULL],
]);

const STATUS_FIELDS: readonly [string, Check][] = [
  ['ea_state', oneOf(EA_STATES)],
  ['balance', NUMBER],
  ['equity', NUMBER],
  ['margin_level', NUMBER],
  ['spread_pips', NUMBER],
  ['open_positions', NONNEG_INT],
  ['server_time', STRING],
];

const PAYLOAD_FIELDS: Record<MessageType, readonly Field[]> = {
  HELLO: [
    req(P, 'role', oneOf(['EA', 'SIGNAL'])),
    req(P, 'node_id', TOKEN),
    req(P, 'versions', arrayOf(NONEMPTY, 1)),
    req(P, 'last_seq_received', NONNEG_INT),
    opt(P, 'tier', TIER),
    opt(P, 'account', STRING),
    opt(P, 'symbols', arrayOf(STRING)),
  ],
  HELLO_ACK: [
    req(P, 'version', oneOf([PROTOCOL_VERSION, LEGACY_VERSION])),
    req(P, 'node_id', TOKEN),
    req(P, 'last_seq_received', NONNEG_INT),
    req(P, 'heartbeat_ms', POS_INT),
  ],
  HEARTBEAT: [opt(P, 'ping_id', STRING), opt(P, 't0', NUMBER), opt(P, 'echo', STRING)],
  ACK: [req(P, 'ack_seq', NONNEG_INT)],
  STATUS: [...STATUS_FIELDS.map(([name, check]) => req(P, name, check)), opt(P, 'quotes', mapOf(QUOTE))],
  STATUS_REQUEST: STATUS_FIELDS.map(([name, check]) => opt(P, name, check)),
  STATUS_RESPONSE: [
    ...STATUS_FIELDS.map(([name, check]) => req(P, name, check)), opt(P, 'quotes', mapOf(QUOTE)), opt(P, 'positions', arrayOf(POSITION)),
  ],
  TRADE: [
    req(P, 'event', oneOf(TRADE_EVENTS)),
    req(P, 'ticket', INT),
    req(P, 'symbol', NONEMPTY),
    req(P, 'side', oneOf(SIDES)),
    req(P, 'lots', NUMBER),
    opt(P, 'requested_price', NUMBER),
    opt(P, 'price', NUMBER),
    opt(P, 'slippage_pips', NUMBER),
    opt(P, 'sl', NUMBER),
    opt(P, 'tp', NUMBER),
    opt(P, 'pnl', NUMBER),
    opt(P, 'commission', NUMBER),
    opt(P, 'swap', NUMBER),
    opt(P, 'reject_code', NUMBER_OR_STRING),
  ],
  SIGNAL: [
    req(P, 'signal_id', NONEMPTY),
    req(P, 'symbol', NONEMPTY),
    req(P, 'action', oneOf(SIGNAL_ACTIONS)),
    opt(P, 'lots', NUMBER),
    opt(P, 'order_type', STRING),
    opt(P, 'price', NUMBER),
    opt(P, 'sl', NUMBER),
    opt(P, 'tp', NUMBER),
    opt(P, 'tier', TIER),
  ],
  COMMAND: [req(P, 'command', oneOf(COMMANDS)), opt(P, 'reason', STRING), opt(P, 'incident_id', STRING)],
  PARAM: [req(P, 'name', NONEMPTY), req(P, 'value', PRESENT)],
  ERROR: [req(P, 'reason', NONEMPTY), opt(P, 'ref_message_id', STRING), opt(P, 'detail', STRING)],
};

const H = 'header';
// message_type and seq are checked apart: seq's rule depends on the type.
const HEADER_FIELDS: readonly Field[] = [
  req(H, 'version', oneOf([PROTOCOL_VERSION])),
  req(H, 'timestamp', TIMESTAMP),
  req(H, 'message_id', TOKEN),
  req(H, 'source', ROLE),
  req(H, 'destination', ROLE),
  req(H, 'stream', TOKEN),
];

// The flat 1.0 envelope (PROTOCOL.md 8): old EAs, so only what routing needs is strict.
const LEGACY_FIELDS: readonly Field[] = [
  req('message', 'message_id', NONEMPTY),
  req('message', 'timestamp', NONEMPTY),
  req('message', 'source', ROLE),
];

// ---- validation --------------------------------------------------------------------------------

function checkFields(obj: Obj, fields: readonly Field[]): string | null {
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const v = obj[f.name];
    if (v === undefined) {
      if (f.required) return `${f.path}: required field is missing`;
    } else {
      const err = f.check(v, f.path);
      if (err !== null) return err;
    }
  }
  return null;
}

function checkMessageType(v: unknown, path: string): string | null {
  if (isMessageType(v)) return null;
  if (v === undefined) return `${path}: required field is missing`;
  return typeof v === 'string' ? `${path}: unknown message type ${describeValue(v)}` : fail(path, 'a message type', v);
}

/** The payload of `type`: null when it is valid, else the error detail. */
export function validatePayload(type: MessageType, payload: unknown): string | null {
  if (!isObject(payload)) {
    return payload === undefined ? 'payload: required field is missing' : fail('payload', 'an object', payload);
  }
  const err = checkFields(payload, PAYLOAD_FIELDS[type]);
  if (err !== null) return err;
  // A signal service declares its tier when it says hello: the router ranks services by it.
  if (type === 'HELLO' && payload.role === 'SIGNAL' && payload.tier === undefined) {
    return 'payload.tier: required when role is SIGNAL';
  }
  return null;
}

/** What can be read from a header that failed validation, so the receiver can ACK and dead-letter it. */
export function recoverHeader(h: unknown): Partial<Header> | undefined {
  if (!isObject(h)) return undefined;
  const out: Partial<Header> = {};
  if (typeof h.message_id === 'string') out.message_id = h.message_id;
  if (typeof h.stream === 'string') out.stream = h.stream;
  if (isInt(h.seq) && h.seq >= 0) out.seq = h.seq;
  if (isMessageType(h.message_type)) out.message_type = h.message_type;
  if (h.version === PROTOCOL_VERSION || h.version === LEGACY_VERSION) out.version = h.version;
  if (typeof h.timestamp === 'string') out.timestamp = h.timestamp;
  if (ROLES.includes(h.source as Role)) out.source = h.source as Role;
  if (ROLES.includes(h.destination as Role)) out.destination = h.destination as Role;
  return Object.keys(out).length > 0 ? out : undefined;
}

function invalid(detail: string, header: unknown): ValidationResult {
  const recovered = recoverHeader(header);
  return recovered ? { ok: false, detail, header: recovered } : { ok: false, detail };
}

/** Validates a parsed 1.2 message `{header, payload}` (trailers, if any, are ignored). */
export function validateEnvelope(obj: unknown): ValidationResult {
  if (!isObject(obj)) return { ok: false, detail: fail('message', 'an object', obj) };
  const header = obj.header;
  if (!isObject(header)) {
    return { ok: false, detail: header === undefined ? 'header: required field is missing' : fail('header', 'an object', header) };
  }
  const type = header.message_type;
  const typeErr = checkMessageType(type, 'header.message_type');
  if (typeErr !== null) return invalid(typeErr, header);
  const err = checkFields(header, HEADER_FIELDS) ?? checkSeq(type as MessageType, header.seq);
  if (err !== null) return invalid(err, header);
  const payloadErr = validatePayload(type as MessageType, obj.payload);
  if (payloadErr !== null) return invalid(payloadErr, header);
  return { ok: true, envelope: { header: header as unknown as Header, payload: obj.payload } as Envelope };
}

function checkSeq(type: MessageType, seq: unknown): string | null {
  if (seq === undefined) return 'header.seq: required field is missing';
  if (CONTROL_TYPES.has(type)) {
    return seq === 0 ? null : `header.seq: ${type} is a control message and must carry seq 0, got ${describeValue(seq)}`;
  }
  return isInt(seq) && seq >= 1 ? null : fail('header.seq', `an integer >= 1 for ${type}`, seq);
}

/**
 * Validates a legacy 1.0 flat message and maps it onto an Envelope (PROTOCOL.md 8): version '1.0',
 * stream '' (the caller fills in the connection's peer id), seq 0, destination GUARDIAN.
 */
export function validateLegacy(obj: unknown): ValidationResult {
  if (!isObject(obj)) return { ok: false, detail: fail('message', 'an object', obj) };
  const recovered = (): Partial<Header> | undefined => recoverHeader({ ...obj, version: LEGACY_VERSION, stream: '', seq: 0, destination: 'GUARDIAN' });
  const type = obj.message_type;
  const err =
    (obj.version === LEGACY_VERSION ? null : fail('message.version', `"${LEGACY_VERSION}"`, obj.version)) ??
    checkMessageType(type, 'message.message_type') ??
    checkFields(obj, LEGACY_FIELDS) ??
    validatePayload(type as MessageType, obj.payload);
  if (err !== null) {
    const header = recovered();
    return header ? { ok: false, detail: err, header } : { ok: false, detail: err };
  }
  const header: Header = {
    version: LEGACY_VERSION,
    timestamp: obj.timestamp as string,
    message_id: obj.message_id as string,
    message_type: type as MessageType,
    source: obj.source as Role,
    destination: 'GUARDIAN',
    stream: '',
    seq: 0,
  };
  return { ok: true, envelope: { header, payload: obj.payload } as Envelope };
}
