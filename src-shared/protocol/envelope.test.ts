import { createHmac } from 'node:crypto';
import { crc32 as zlibCrc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CHECKSUM_TRAILER_BYTES,
  decodeMessage,
  encodeFramedMessage,
  encodeLegacyMessage,
  encodeMessage,
  messageId,
  type DecodeResult,
  type HmacFn,
} from './envelope';
import { FRAME_HEADER_BYTES, FrameDecoder, MAX_FRAME_BYTES, encodeFrame } from './framing';
import { MESSAGE_TYPE_LIST, SAMPLE_PAYLOADS, sampleEnvelope, sampleHeader } from './samples';
import type { Header } from './types';

const hmacWith = (key: string): HmacFn => (bytes) => createHmac('sha256', key).update(bytes).digest('hex');
const HMAC = hmacWith('shared-secret');
const enc = new TextEncoder();
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** A body built by hand from the PROTOCOL.md 3 recipe, independently of the encoder. */
function handBuilt(json: string, key?: string): Uint8Array {
  let body = json.slice(0, -1);
  if (key) body += `,"auth":"HMAC-SHA256:${createHmac('sha256', key).update(body).digest('hex')}"`;
  const crc = zlibCrc32(enc.encode(body)).toString(16).toUpperCase().padStart(8, '0');
  return enc.encode(`${body},"checksum":"CRC32:${crc}"}`);
}

function expectFailure(r: DecodeResult, reason: string): Extract<DecodeResult, { ok: false }> {
  if (r.ok) throw new Error(`expected ${reason}, got a valid message`);
  expect(r.reason).toBe(reason);
  return r;
}

describe('messageId', () => {
  it('is the stream and the seq padded to 12 digits', () => {
    expect(messageId('ea-7f3a', 42)).toBe('ea-7f3a-000000000042');
    expect(messageId('s', 123456789012)).toBe('s-123456789012');
  });
});

describe('encodeMessage', () => {
  it('writes the body of PROTOCOL.md 3: JSON without its final brace, then the trailers', () => {
    const { header, payload } = sampleEnvelope('TRADE');
    const json = JSON.stringify({ header, payload });
    expect(encodeMessage(header, payload)).toEqual(handBuilt(json));
    expect(encodeMessage(header, payload, { hmac: HMAC })).toEqual(handBuilt(json, 'shared-secret'));
    expect(text(encodeMessage(header, payload))).toMatch(/^\{"header":\{.*\},"payload":\{.*\},"checksum":"CRC32:[0-9A-F]{8}"\}$/);
    expect(text(encodeMessage(header, payload, { hmac: HMAC }))).toMatch(
      /\},"auth":"HMAC-SHA256:[0-9a-f]{64}","checksum":"CRC32:[0-9A-F]{8}"\}$/,
    );
  });

  it('is parseable JSON whose extra members are the trailers', () => {
    const { header, payload } = sampleEnvelope('SIGNAL');
    const obj = JSON.parse(text(encodeMessage(header, payload, { hmac: HMAC })));
    expect(Object.keys(obj)).toEqual(['header', 'payload', 'auth', 'checksum']);
    expect(obj.header).toEqual(header);
  });

  it('handles non-ASCII text (the slow sizing path) and matches the hand-built body', () => {
    const header = sampleHeader('COMMAND');
    const payload = { command: 'PING', reason: 'Zürich → 東京 🚀 ok' };
    expect(encodeMessage(header, payload)).toEqual(handBuilt(JSON.stringify({ header, payload })));
  });

  it('rejects an HmacFn that does not return 64 lower-case hex', () => {
    const { header, payload } = sampleEnvelope('ACK');
    expect(() => encodeMessage(header, payload, { hmac: () => 'ABC' })).toThrow(TypeError);
  });

  it('encodes bodies over a frame (encodeMessage only), while encodeFramedMessage refuses them', () => {
    const header = sampleHeader('PARAM');
    const payload = { name: 'big', value: 'é'.repeat(40_000) }; // 80,000 bytes of UTF-8
    const body = encodeMessage(header, payload);
    expect(body.length).toBeGreaterThan(MAX_FRAME_BYTES);
    const r = decodeMessage(body);
    expect(r.ok && r.envelope.payload).toEqual(payload);
    expect(() => encodeFramedMessage(header, payload)).toThrow(RangeError);
  });
});

describe('encodeFramedMessage', () => {
  it('equals encodeFrame(encodeMessage(...)), with and without auth', () => {
    for (const type of MESSAGE_TYPE_LIST) {
      const { header, payload } = sampleEnvelope(type);
      expect(encodeFramedMessage(header, payload)).toEqual(encodeFrame(encodeMessage(header, payload)));
      expect(encodeFramedMessage(header, payload, { hmac: HMAC })).toEqual(encodeFrame(encodeMessage(header, payload, { hmac: HMAC })));
    }
  });

  it('never overwrites an earlier message, across many slabs (views carved from a shared slab)', () => {
    const { payload } = sampleEnvelope('SIGNAL');
    const made: { frame: Uint8Array; copy: Uint8Array }[] = [];
    for (let seq = 1; seq <= 1000; seq++) { // about 300 KB: several 64 KiB slabs
      const frame = encodeFramedMessage(sampleHeader('SIGNAL', seq), payload);
      made.push({ frame, copy: frame.slice() });
    }
    for (const { frame, copy } of made) expect(frame).toEqual(copy);
    expect(new Set(made.map((m) => m.frame.buffer)).size).toBeGreaterThan(1);
    const last = made.at(-1)!.frame;
    const d = decodeMessage(last.subarray(FRAME_HEADER_BYTES));
    expect(d.ok && d.envelope.header.seq).toBe(1000);
  });

  it('gives a big message a buffer of its own (no slab kept alive for it)', () => {
    const { header } = sampleEnvelope('SIGNAL');
    const big = encodeFramedMessage(header, { note: 'x'.repeat(20_000) });
    expect(big.byteOffset).toBe(0);
    expect(big.buffer.byteLength).toBe(big.length);
  });
});

describe('decodeMessage: round trips', () => {
  it.each(MESSAGE_TYPE_LIST)('%s round-trips, plain and with auth', (type) => {
    const env = sampleEnvelope(type);
    expect(decodeMessage(encodeMessage(env.header, env.payload))).toEqual({ ok: true, envelope: env, legacy: false });
    const signed = encodeMessage(env.header, env.payload, { hmac: HMAC });
    expect(decodeMessage(signed, { hmac: HMAC, requireAuth: true })).toEqual({ ok: true, envelope: env, legacy: false });
  });

  it('round-trips arbitrary strings (unicode, lone surrogates, control characters, quotes)', () => {
    const anyUtf16 = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 80 });
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), anyUtf16), fc.string(), fc.boolean(), (reason, detail, signed) => {
        const header = sampleHeader('ERROR');
        const payload = { reason: `R${reason}`, detail, ref_message_id: reason };
        const opts = signed ? { hmac: HMAC } : {};
        const r = decodeMessage(encodeMessage(header, payload, opts), { ...opts, requireAuth: signed });
        expect(r).toEqual({ ok: true, envelope: { header, payload }, legacy: false });
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips arbitrary PARAM values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const header = sampleHeader('PARAM', 7);
        const payload = { name: 'x', value };
        const r = decodeMessage(encodeMessage(header, payload));
        expect(r.ok).toBe(true);
        // JSON itself maps -0 to 0: compare with what JSON makes of the value.
        if (r.ok) expect(r.envelope.payload).toEqual(JSON.parse(JSON.stringify(payload)));
      }),
    );
  });

  it('goes through framing: encodeFramedMessage -> FrameDecoder -> decodeMessage', () => {
    const envs = MESSAGE_TYPE_LIST.map((t, i) => sampleEnvelope(t, i + 1));
    const stream = envs.map((e) => encodeFramedMessage(e.header, e.payload));
    const all = new Uint8Array(stream.reduce((n, f) => n + f.length, 0));
    stream.reduce((at, f) => (all.set(f, at), at + f.length), 0);
    const d = new FrameDecoder();
    const got = [...d.push(all.subarray(0, 333)).frames, ...d.push(all.subarray(333)).frames].map((b) => decodeMessage(b));
    expect(got).toEqual(envs.map((envelope) => ({ ok: true, envelope, legacy: false })));
  });

  it('accepts a body whose trailers use lower-case CRC hex (lenient in what it accepts)', () => {
    const { header, payload } = sampleEnvelope('ACK');
    const body = text(encodeMessage(header, payload)).replace(/CRC32:([0-9A-F]{8})/, (_m, h: string) => `CRC32:${h.toLowerCase()}`);
    expect(decodeMessage(enc.encode(body)).ok).toBe(true);
  });

  it('keeps unknown fields (forward compatibility)', () => {
    const header = { ...sampleHeader('ACK'), priority: 'high' } as Header;
    const payload = { ack_seq: 5, window: 32 };
    const r = decodeMessage(encodeMessage(header, payload));
    expect(r.ok && r.envelope).toEqual({ header, payload });
  });
});

describe('decodeMessage: never throws', () => {
  it('on arbitrary bytes, with or without a key', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 500 }), fc.boolean(), (bytes, keyed) => {
        const r = decodeMessage(bytes, keyed ? { hmac: HMAC, requireAuth: true } : undefined);
        if (!r.ok) expect(['BAD_JSON', 'BAD_CHECKSUM', 'AUTH_FAILED', 'BAD_MESSAGE']).toContain(r.reason);
      }),
      { numRuns: 1000 },
    );
  });

  it('on arbitrary JSON given valid trailers (so it reaches the schema)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (header, payload) => {
        const r = decodeMessage(handBuilt(JSON.stringify({ header, payload })));
        if (!r.ok) expect(r.reason).toBe('BAD_MESSAGE');
      }),
      { numRuns: 500 },
    );
  });
});

describe('decodeMessage: each bad-input class of PROTOCOL.md 7', () => {
  const env = sampleEnvelope('TRADE');
  const good = encodeMessage(env.header, env.payload);

  it('BAD_JSON: bytes that are not UTF-8', () => {
    const r = expectFailure(decodeMessage(Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d)), 'BAD_JSON');
    expect(r.detail).toMatch(/UTF-8/);
  });

  it('BAD_JSON: UTF-8 that is not JSON, and JSON cut short', () => {
    expectFailure(decodeMessage(enc.encode('hello')), 'BAD_JSON');
    expectFailure(decodeMessage(enc.encode('{"header":')), 'BAD_JSON');
    expectFailure(decodeMessage(good.subarray(0, good.length - 1)), 'BAD_JSON');
  });

  it('BAD_JSON: a correct checksum over bytes that are not JSON (a sender bug, not line noise)', () => {
    const r = expectFailure(decodeMessage(handBuilt('{"header":{,}}')), 'BAD_JSON');
    expect(r.text).toContain('"header"');
  });

  it('BAD_CHECKSUM: any one byte changed before the checksum trailer, even where it breaks the JSON', () => {
    const end = good.length - CHECKSUM_TRAILER_BYTES;
    for (let i = 0; i < end; i++) {
      for (const flip of [0x01, 0x20, 0x80]) {
        const bad = good.slice();
        bad[i]! ^= flip;
        expectFailure(decodeMessage(bad), 'BAD_CHECKSUM');
      }
    }
  });

  it('a byte changed inside the trailer is never accepted as a different message', () => {
    for (let i = good.length - CHECKSUM_TRAILER_BYTES; i < good.length; i++) {
      for (let flip = 1; flip < 256; flip <<= 1) {
        const bad = good.slice();
        bad[i]! ^= flip;
        const r = decodeMessage(bad);
        // Only a case flip of a hex letter of the CRC keeps the same value, hence the same message.
        if (r.ok) expect(r.envelope).toEqual(env);
      }
    }
  });

  it('BAD_CHECKSUM: a 1.2 body without its trailer, or with a malformed one', () => {
    const json = JSON.stringify(env);
    const r = expectFailure(decodeMessage(enc.encode(json)), 'BAD_CHECKSUM');
    expect(r.header?.message_id).toBe(env.header.message_id);
    expectFailure(decodeMessage(enc.encode(`${json.slice(0, -1)},"checksum":"CRC32:XYZ12345"}`)), 'BAD_CHECKSUM');
    expectFailure(decodeMessage(enc.encode(`${text(good)}\n`)), 'BAD_CHECKSUM');
  });

  it('BAD_CHECKSUM keeps a best-effort header and the text', () => {
    const bad = good.slice();
    bad[bad.length - 3] = bad[bad.length - 3] === 0x30 ? 0x31 : 0x30; // change the last CRC digit
    const r = expectFailure(decodeMessage(bad), 'BAD_CHECKSUM');
    expect(r.detail).toMatch(/checksum mismatch/);
    expect(r.header).toMatchObject({ message_id: env.header.message_id, seq: 42 });
    expect(r.text).toBe(text(bad));
  });

  it('AUTH_FAILED: a wrong key', () => {
    const signed = encodeMessage(env.header, env.payload, { hmac: hmacWith('another key') });
    const r = expectFailure(decodeMessage(signed, { hmac: HMAC }), 'AUTH_FAILED');
    expect(r.header?.message_id).toBe(env.header.message_id);
  });

  it('AUTH_FAILED: a forged body that recomputed the CRC but not the HMAC', () => {
    const signed = text(encodeMessage(env.header, env.payload, { hmac: HMAC }));
    const forgedJson = signed.replace('"lots":0.25', '"lots":25').replace(/,"checksum".*$/, '}');
    const forged = handBuilt(forgedJson); // keeps the old auth member, new valid CRC
    expectFailure(decodeMessage(forged, { hmac: HMAC }), 'AUTH_FAILED');
  });

  it('AUTH_FAILED: missing auth when a key is required; accepted when not required', () => {
    const r = expectFailure(decodeMessage(good, { hmac: HMAC, requireAuth: true }), 'AUTH_FAILED');
    expect(r.detail).toMatch(/missing/);
    expect(decodeMessage(good, { hmac: HMAC }).ok).toBe(true);
    expectFailure(decodeMessage(good, { requireAuth: true }), 'AUTH_FAILED');
  });

  it('AUTH_FAILED: an auth member out of its trailer position when a key is configured', () => {
    const misplaced = handBuilt(JSON.stringify({ auth: `HMAC-SHA256:${'0'.repeat(64)}`, ...env }));
    expectFailure(decodeMessage(misplaced, { hmac: HMAC }), 'AUTH_FAILED');
  });

  it('an auth trailer is ignored when no key is configured', () => {
    const signed = encodeMessage(env.header, env.payload, { hmac: hmacWith('whatever') });
    expect(decodeMessage(signed)).toEqual({ ok: true, envelope: env, legacy: false });
  });

  it('BAD_MESSAGE: a wrong type, with a precise detail, the header recovered and the text kept', () => {
    const body = encodeMessage(env.header, { ...env.payload, lots: 'abc' });
    const r = expectFailure(decodeMessage(body), 'BAD_MESSAGE');
    expect(r.detail).toBe('payload.lots: expected a number, got "abc"');
    expect(r.header).toEqual(env.header);
    expect(r.text).toBe(text(body));
  });

  it('BAD_MESSAGE: a missing field', () => {
    const { symbol: _symbol, ...payload } = env.payload;
    const r = expectFailure(decodeMessage(encodeMessage(env.header, payload)), 'BAD_MESSAGE');
    expect(r.detail).toBe('payload.symbol: required field is missing');
  });

  it('BAD_MESSAGE: an unknown message_type, with message_id, stream and seq recovered for the ACK', () => {
    const header = { ...env.header, message_type: 'TELEPORT' } as unknown as Header;
    const r = expectFailure(decodeMessage(encodeMessage(header, {})), 'BAD_MESSAGE');
    expect(r.detail).toBe('header.message_type: unknown message type "TELEPORT"');
    expect(r.header).toMatchObject({ message_id: env.header.message_id, stream: 'ea-7f3a', seq: 42 });
    expect(r.header?.message_type).toBeUndefined();
  });

  it('BAD_MESSAGE: seq rules (control types 0, data types >= 1)', () => {
    const hb = expectFailure(decodeMessage(encodeMessage({ ...sampleHeader('HEARTBEAT'), seq: 3 }, {})), 'BAD_MESSAGE');
    expect(hb.detail).toBe('header.seq: HEARTBEAT is a control message and must carry seq 0, got 3');
    const tr = expectFailure(decodeMessage(encodeMessage({ ...env.header, seq: 0 }, env.payload)), 'BAD_MESSAGE');
    expect(tr.detail).toBe('header.seq: expected an integer >= 1 for TRADE, got 0');
    expectFailure(decodeMessage(encodeMessage({ ...env.header, seq: 1.5 }, env.payload)), 'BAD_MESSAGE');
  });

  it('BAD_MESSAGE: JSON that is not an object, or a flat object that is neither 1.2 nor 1.0', () => {
    expect(expectFailure(decodeMessage(enc.encode('[1,2]')), 'BAD_MESSAGE').detail).toMatch(/expected a JSON object, got an array/);
    expectFailure(decodeMessage(enc.encode('42')), 'BAD_MESSAGE');
    const r = expectFailure(decodeMessage(enc.encode('{"message_id":"m-1","message_type":"ACK"}')), 'BAD_MESSAGE');
    expect(r.header).toEqual({ message_id: 'm-1', message_type: 'ACK' });
    expect(expectFailure(decodeMessage(handBuilt('{"payload":{}}')), 'BAD_MESSAGE').detail).toBe('header: required field is missing');
  });
});

describe('legacy 1.0', () => {
  const fields = { message_type: 'TRADE' as const, message_id: 'T-1001', timestamp: '2026.11.21 10:30:00', payload: SAMPLE_PAYLOADS.TRADE, source: 'EA' as const };

  it('encodes the flat envelope of PROTOCOL.md 8', () => {
    expect(JSON.parse(text(encodeLegacyMessage(fields)))).toEqual({ ...fields, version: '1.0' });
  });

  it('round-trips onto an Envelope marked legacy', () => {
    expect(decodeMessage(encodeLegacyMessage(fields))).toEqual({
      ok: true,
      legacy: true,
      envelope: {
        header: { version: '1.0', timestamp: fields.timestamp, message_id: 'T-1001', message_type: 'TRADE', source: 'EA', destination: 'GUARDIAN', stream: '', seq: 0 },
        payload: fields.payload,
      },
    });
  });

  it('reports BAD_MESSAGE with the message_id for a bad legacy payload', () => {
    const r = expectFailure(decodeMessage(encodeLegacyMessage({ ...fields, payload: { ...fields.payload, side: 'LONG' } })), 'BAD_MESSAGE');
    expect(r.detail).toBe('payload.side: expected one of BUY, SELL, got "LONG"');
    expect(r.header).toMatchObject({ message_id: 'T-1001', message_type: 'TRADE', version: '1.0', seq: 0 });
  });

  it('is refused with AUTH_FAILED when a key is required (1.0 cannot sign)', () => {
    expectFailure(decodeMessage(encodeLegacyMessage(fields), { hmac: HMAC, requireAuth: true }), 'AUTH_FAILED');
    expect(decodeMessage(encodeLegacyMessage(fields), { hmac: HMAC }).ok).toBe(true);
  });
});
