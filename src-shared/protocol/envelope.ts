// The 1.2 envelope with trailers (PROTOCOL.md 3) and the legacy 1.0 flat envelope (PROTOCOL.md 8).
//
// A 1.2 body is JSON.stringify({header, payload}) without its final `}`, then the trailers:
//   [,"auth":"HMAC-SHA256:<64 lower-case hex>"]   HMAC over every byte before `,"auth"`
//   ,"checksum":"CRC32:HHHHHHHH"}                  CRC-32 over every byte before `,"checksum"`
// The trailers sit at fixed offsets from the end, so they are found and checked on the raw bytes,
// with no canonical JSON and no second serialisation.

import { crc32, crc32Hex } from './crc32';
import { FRAME_HEADER_BYTES, MAX_FRAME_BYTES, writeFrameLength } from './framing';
import { isObject, recoverHeader, validateEnvelope, validateLegacy } from './schemas';
import { LEGACY_VERSION, type Envelope, type Header, type MessageType, type Role } from './types';

/** HMAC-SHA256 of the bytes as 64 lower-case hex, with the shared key bound by the caller. */
export type HmacFn = (bytes: Uint8Array) => string;

export interface EncodeOptions {
  hmac?: HmacFn;
}

export interface DecodeOptions {
  /** Verify an `auth` trailer when present (a key is configured). */
  hmac?: HmacFn;
  /** Refuse messages without a valid `auth` trailer, legacy 1.0 ones included (they cannot sign). */
  requireAuth?: boolean;
}

export type DecodeFailureReason = 'BAD_JSON' | 'BAD_CHECKSUM' | 'AUTH_FAILED' | 'BAD_MESSAGE';

export interface DecodeFailure {
  ok: false;
  reason: DecodeFailureReason;
  /** What was wrong, precise enough for the operator: "payload.lots: expected a number, got \"abc\"". */
  detail: string;
  /** Best effort (message_id, stream, seq, message_type ...), so the receiver can ACK or refer to it. */
  header?: Partial<Header>;
  /** The body as text (lossy if it was not UTF-8), for the dead-letter store. */
  text?: string;
}

export type DecodeResult = { ok: true; envelope: Envelope; legacy: boolean } | DecodeFailure;

/** The flat 1.0 message (PROTOCOL.md 8); `version` is added by the encoder. */
export interface LegacyMessage {
  message_type: MessageType;
  message_id: string;
  timestamp: string;
  payload: unknown;
  source: Role;
}

// ---- trailer layout ----------------------------------------------------------------------------

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

const AUTH_OPEN = ascii(',"auth":"HMAC-SHA256:');
const CHECKSUM_OPEN = ascii(',"checksum":"CRC32:');
const QUOTE = 0x22;
const BRACE = 0x7d;
const HMAC_HEX_LEN = 64;
/** `,"auth":"HMAC-SHA256:` + 64 hex + `"` */
export const AUTH_TRAILER_BYTES = AUTH_OPEN.length + HMAC_HEX_LEN + 1;
/** `,"checksum":"CRC32:` + 8 hex + `"}` */
export const CHECKSUM_TRAILER_BYTES = CHECKSUM_OPEN.length + 8 + 2;

const HEX_UPPER = ascii('0123456789ABCDEF');
const LOWER_HEX_64 = /^[0-9a-f]{64}$/;

const UTF8 = new TextEncoder();
const UTF8_STRICT = new TextDecoder('utf-8', { fatal: true });
const UTF8_LOSSY = new TextDecoder('utf-8');

// ---- ids ---------------------------------------------------------------------------------------

/** The message id of a data message: `${stream}-${seq, 12 digits}` (stable across resends). */
export function messageId(stream: string, seq: number): string {
  return `${stream}-${String(seq).padStart(12, '0')}`;
}

// ---- encoding ----------------------------------------------------------------------------------

/** The UTF-8 body of a 1.2 message, trailers included. */
export function encodeMessage(header: Header, payload: unknown, opts?: EncodeOptions): Uint8Array {
  return encodeWithTrailers(header, payload, opts?.hmac, 0);
}

/**
 * The framed 1.2 message (length prefix + body) in one allocation: the hot path of the socket and
 * pipe writers. Throws RangeError if the body exceeds MAX_FRAME_BYTES (the peer would drop the link).
 */
export function encodeFramedMessage(header: Header, payload: unknown, opts?: EncodeOptions): Uint8Array {
  const out = encodeWithTrailers(header, payload, opts?.hmac, FRAME_HEADER_BYTES);
  const bodyLength = out.length - FRAME_HEADER_BYTES;
  if (bodyLength > MAX_FRAME_BYTES) {
    throw new RangeError(`FRAME_SIZE: a ${header.message_type} message of ${bodyLength} bytes exceeds ${MAX_FRAME_BYTES}`);
  }
  return out;
}

// Messages are built in one reusable scratch buffer, then copied out exact-size. JavaScript is
// single-threaded and nothing here yields, so one module-level scratch is safe. The scratch fits
// any body a frame can carry; bigger bodies (only encodeMessage can want them) take the slow path
// below.
const SCRATCH = new Uint8Array(FRAME_HEADER_BYTES + MAX_FRAME_BYTES + AUTH_TRAILER_BYTES + CHECKSUM_TRAILER_BYTES);
// Where the JSON goes: one byte over a frame (its final `}` gives way to the trailers), so
// whatever fits here leaves room for the trailers behind it.
const SCRATCH_JSON = SCRATCH.subarray(FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + MAX_FRAME_BYTES + 1);

function encodeWithTrailers(header: Header, payload: unknown, hmac: HmacFn | undefined, prefix: number): Uint8Array {
  const json = JSON.stringify({ header, payload });
  let buf = SCRATCH;
  const fit = UTF8.encodeInto(json, SCRATCH_JSON);
  let written = fit.written;
  if (fit.read !== json.length) {
    // Over a frame's worth of bytes: encode into a buffer of its own, sized exactly.
    buf = new Uint8Array(FRAME_HEADER_BYTES + utf8Length(json) + AUTH_TRAILER_BYTES + CHECKSUM_TRAILER_BYTES);
    written = UTF8.encodeInto(json, buf.subarray(FRAME_HEADER_BYTES)).written;
  }
  // The body starts at FRAME_HEADER_BYTES in `buf`; its final `}` is overwritten by the trailers.
  const start = FRAME_HEADER_BYTES;
  let p = start + written - 1;
  if (hmac) {
    // The view is transient: an HmacFn must digest it, not keep it.
    const hex = hmac(buf.subarray(start, p));
    if (!LOWER_HEX_64.test(hex)) throw new TypeError('HmacFn must return 64 lower-case hex characters');
    buf.set(AUTH_OPEN, p);
    p += AUTH_OPEN.length;
    for (let i = 0; i < HMAC_HEX_LEN; i++) buf[p++] = hex.charCodeAt(i);
    buf[p++] = QUOTE;
  }
  const crc = crc32(buf, start, p);
  buf.set(CHECKSUM_OPEN, p);
  p += CHECKSUM_OPEN.length;
  for (let shift = 28; shift >= 0; shift -= 4) buf[p++] = HEX_UPPER[(crc >>> shift) & 0xf]!;
  buf[p++] = QUOTE;
  buf[p++] = BRACE;
  if (prefix > 0) writeFrameLength(buf, 0, p - start);
  return copyOut(buf, start - prefix, p);
}

// Where encoded messages live: views carved from a shared slab, a new one when it is full, rather
// than a `slice` each. Every slice is an ArrayBuffer of its own, and with thousands of frames kept
// until acknowledged those cost the garbage collector about 2 us a message (measured: 1.8 - 2.2 us
// a slice against 0.1 us a view, 8,192 kept alive); a slab is one ArrayBuffer for a few hundred.
// A slab lives as long as any message in it (at most SLAB_BYTES for one long-lived frame). Nothing
// writes into a message once made. A view's `.buffer` is the whole slab: use byteOffset and
// byteLength, and copy (`slice()`) before transferring one to another thread or process.
const SLAB_BYTES = 64 * 1024;
let slab = new Uint8Array(SLAB_BYTES);
let slabUsed = 0;

function copyOut(from: Uint8Array, start: number, end: number): Uint8Array {
  const n = end - start;
  if (n > SLAB_BYTES / 8) return from.slice(start, end); // a big one: its own buffer, no slab kept for it
  if (slabUsed + n > SLAB_BYTES) {
    slab = new Uint8Array(SLAB_BYTES);
    slabUsed = 0;
  }
  const out = slab.subarray(slabUsed, slabUsed + n);
  out.set(from.subarray(start, end));
  slabUsed += n;
  return out;
}

/** Bytes of `s` in UTF-8, as TextEncoder writes it (a lone surrogate becomes U+FFFD, 3 bytes). */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** The flat 1.0 body sent to a legacy peer: no header, no seq, no trailers. */
export function encodeLegacyMessage(fields: LegacyMessage): Uint8Array {
  const { message_type, message_id, timestamp, payload, source } = fields;
  return UTF8.encode(JSON.stringify({ message_type, message_id, timestamp, payload, source, version: LEGACY_VERSION }));
}

// ---- decoding ----------------------------------------------------------------------------------

function startsWithAt(bytes: Uint8Array, at: number, what: Uint8Array): boolean {
  if (at < 0 || at + what.length > bytes.length) return false;
  for (let i = 0; i < what.length; i++) if (bytes[at + i] !== what[i]) return false;
  return true;
}

/** The value of 8 hex digits (either case) at `at`, or -1. */
function readHex8(bytes: Uint8Array, at: number): number {
  let v = 0;
  for (let i = 0; i < 8; i++) {
    const c = bytes[at + i]!;
    let d: number;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if (c >= 0x41 && c <= 0x46) d = c - 0x37;
    else if (c >= 0x61 && c <= 0x66) d = c - 0x57;
    else return -1;
    v = v * 16 + d;
  }
  return v;
}

/** Compares the 64 hex of an auth trailer with the expected hex in time independent of where they differ. */
function authMatches(bytes: Uint8Array, at: number, expected: string): boolean {
  if (expected.length !== HMAC_HEX_LEN) return false;
  let diff = 0;
  // `| 0x20` folds A-F onto a-f and leaves digits alone: upper-case hex is accepted too.
  for (let i = 0; i < HMAC_HEX_LEN; i++) diff |= (bytes[at + i]! | 0x20) ^ expected.charCodeAt(i);
  return diff === 0;
}

function failure(reason: DecodeFailureReason, detail: string, header?: Partial<Header>, text?: string): DecodeFailure {
  const f: DecodeFailure = { ok: false, reason, detail };
  if (header) f.header = header;
  if (text !== undefined) f.text = text;
  return f;
}

/** On an error path only: what header can still be read from a body, for ERROR's ref_message_id. */
function salvage(body: Uint8Array): { header?: Partial<Header>; text: string } {
  const text = UTF8_LOSSY.decode(body);
  try {
    const obj: unknown = JSON.parse(text);
    if (isObject(obj)) {
      const header = recoverHeader(isObject(obj.header) ? obj.header : obj);
      return header ? { header, text } : { text };
    }
  } catch {
    // not JSON: nothing to salvage
  }
  return { text };
}

/**
 * Decodes one frame body. Never throws. Checks, in this order:
 *  1. the checksum trailer, on the raw bytes, when the body ends with one: a mismatch is
 *     BAD_CHECKSUM even if the corruption also broke the JSON (the sender resends);
 *  2. UTF-8 and JSON: BAD_JSON;
 *  3. a 1.2 body (it has `header`) without a checksum trailer: BAD_CHECKSUM;
 *  4. the auth trailer when `opts.hmac` is given (AUTH_FAILED), or its absence when `requireAuth`;
 *  5. the schema: BAD_MESSAGE, with the header recovered best effort and the text kept.
 * A flat object with `"version":"1.0"` and no `header` is a legacy message (PROTOCOL.md 8).
 */
export function decodeMessage(body: Uint8Array, opts?: DecodeOptions): DecodeResult {
  const n = body.length;
  const checksumAt = n - CHECKSUM_TRAILER_BYTES;
  let hasChecksum = false;
  if (checksumAt >= 1 && body[n - 1] === BRACE && body[n - 2] === QUOTE && startsWithAt(body, checksumAt, CHECKSUM_OPEN)) {
    hasChecksum = true;
    const declared = readHex8(body, checksumAt + CHECKSUM_OPEN.length);
    if (declared < 0) {
      const s = salvage(body);
      return failure('BAD_CHECKSUM', 'checksum trailer: expected CRC32: and 8 hex digits', s.header, s.text);
    }
    const actual = crc32(body, 0, checksumAt);
    if (actual !== declared) {
      const s = salvage(body);
      return failure('BAD_CHECKSUM', `checksum mismatch: the body says ${crc32Hex(declared)}, its bytes give ${crc32Hex(actual)}`, s.header, s.text);
    }
  }

  let text: string;
  try {
    text = UTF8_STRICT.decode(body);
  } catch {
    return failure('BAD_JSON', 'the body is not valid UTF-8', undefined, UTF8_LOSSY.decode(body));
  }
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    return failure('BAD_JSON', `the body is not JSON: ${e instanceof Error ? e.message : String(e)}`, undefined, text);
  }
  if (!isObject(obj)) {
    return failure('BAD_MESSAGE', `message: expected a JSON object, got ${Array.isArray(obj) ? 'an array' : JSON.stringify(obj)}`, undefined, text);
  }

  if (obj.header !== undefined) {
    // No closure for the error paths' header here: under tsx (keepNames) every closure made per
    // call costs a defineProperty, measured at 0.4 - 0.6 us a message.
    if (!hasChecksum) {
      return failure('BAD_CHECKSUM', 'checksum trailer missing: a 1.2 body must end with ,"checksum":"CRC32:HHHHHHHH"}', recoverHeader(obj.header), text);
    }
    const authErr = checkAuth(body, checksumAt, obj, opts);
    if (authErr !== null) return failure('AUTH_FAILED', authErr, recoverHeader(obj.header), text);
    const v = validateEnvelope(obj);
    return v.ok ? { ok: true, envelope: v.envelope, legacy: false } : failure('BAD_MESSAGE', v.detail, v.header, text);
  }

  if (obj.version === LEGACY_VERSION) {
    if (opts?.requireAuth) {
      return failure('AUTH_FAILED', 'a key is configured, and a legacy 1.0 message cannot carry auth', recoverHeader(obj), text);
    }
    const v = validateLegacy(obj);
    return v.ok ? { ok: true, envelope: v.envelope, legacy: true } : failure('BAD_MESSAGE', v.detail, v.header, text);
  }

  const detail = hasChecksum
    ? 'header: required field is missing'
    : 'message: neither a 1.2 envelope (header, payload, trailers) nor a legacy 1.0 message ("version":"1.0")';
  return failure('BAD_MESSAGE', detail, recoverHeader(obj), text);
}

function checkAuth(body: Uint8Array, checksumAt: number, obj: Record<string, unknown>, opts?: DecodeOptions): string | null {
  const hmac = opts?.hmac;
  if (!hmac) return opts?.requireAuth ? 'auth is required, but no key is bound to verify it' : null;
  const authAt = checksumAt - AUTH_TRAILER_BYTES;
  if (authAt >= 1 && body[checksumAt - 1] === QUOTE && startsWithAt(body, authAt, AUTH_OPEN)) {
    const expected = hmac(body.subarray(0, authAt));
    return authMatches(body, authAt + AUTH_OPEN.length, expected) ? null : 'auth mismatch: the HMAC-SHA256 does not match the shared key';
  }
  if (obj.auth !== undefined) return 'auth trailer malformed: expected ,"auth":"HMAC-SHA256:<64 hex>" just before the checksum';
  return opts.requireAuth ? 'auth trailer missing, and a key is configured' : null;
}
