import { crc32 as zlibCrc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DecodeResult } from './envelope';
import { MESSAGE_TYPE_LIST, SAMPLE_PAYLOADS, sampleEnvelope, sampleHeader } from './samples';
import { decodeSpoolLine, encodeSpoolLine, parseSpoolFileName, spoolFileName } from './spool-line';
import type { Header } from './types';

const crcHex = (s: string): string => zlibCrc32(new TextEncoder().encode(s)).toString(16).toUpperCase().padStart(8, '0');
/** A line built by hand from PROTOCOL.md 6 (as amended), independently of the encoder. */
const handLine = (cols: string[]): string => `${cols.join('\t')}\tCRC32:${crcHex(cols.join('\t'))}`;

function expectFailure(r: DecodeResult, reason: string): Extract<DecodeResult, { ok: false }> {
  if (r.ok) throw new Error(`expected ${reason}, got a valid message`);
  expect(r.reason).toBe(reason);
  return r;
}

describe('encodeSpoolLine', () => {
  it('writes the 9 columns of PROTOCOL.md 6 (stream second) and the CRC of the bytes before the last tab', () => {
    const { header, payload } = sampleEnvelope('TRADE');
    const line = encodeSpoolLine(header, payload);
    expect(line).toBe(
      handLine(['42', 'ea-7f3a', 'ea-7f3a-000000000042', '2026-11-21T10:30:00.000Z', 'TRADE', 'EA', 'GUARDIAN', JSON.stringify(payload)]),
    );
    expect(line).not.toMatch(/\n/);
  });

  it('refuses a header column holding a tab or a line break', () => {
    expect(() => encodeSpoolLine({ ...sampleHeader('ACK'), stream: 'a\tb' }, { ack_seq: 1 })).toThrow(TypeError);
    expect(() => encodeSpoolLine({ ...sampleHeader('ACK'), timestamp: 'x\n' }, { ack_seq: 1 })).toThrow(TypeError);
  });
});

describe('decodeSpoolLine', () => {
  it.each(MESSAGE_TYPE_LIST)('%s round-trips', (type) => {
    const env = sampleEnvelope(type);
    expect(decodeSpoolLine(encodeSpoolLine(env.header, env.payload))).toEqual({ ok: true, envelope: env, legacy: false });
  });

  it('round-trips arbitrary unicode text in the payload (tabs and newlines included)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), fc.string(), (reason, detail) => {
        const header = sampleHeader('ERROR');
        const payload = { reason: `R${reason}\t\n`, detail };
        expect(decodeSpoolLine(encodeSpoolLine(header, payload))).toEqual({ ok: true, envelope: { header, payload }, legacy: false });
      }),
      { numRuns: 300 },
    );
  });

  it('tolerates a trailing LF or CRLF', () => {
    const env = sampleEnvelope('SIGNAL');
    const line = encodeSpoolLine(env.header, env.payload);
    expect(decodeSpoolLine(`${line}\n`).ok).toBe(true);
    expect(decodeSpoolLine(`${line}\r\n`).ok).toBe(true);
  });

  it('detects any one character changed (BAD_CHECKSUM, or never a different message)', () => {
    const env = sampleEnvelope('SIGNAL');
    const line = encodeSpoolLine(env.header, env.payload);
    const lastTab = line.lastIndexOf('\t');
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      const bad = line.slice(0, i) + String.fromCharCode(c === 0x31 ? 0x32 : 0x31) + line.slice(i + 1);
      const r = decodeSpoolLine(bad);
      if (i < lastTab) expectFailure(r, 'BAD_CHECKSUM');
      else expect(r.ok).toBe(false);
    }
  });

  it('BAD_CHECKSUM keeps a best-effort header for a corrupted line', () => {
    const env = sampleEnvelope('TRADE');
    const bad = encodeSpoolLine(env.header, env.payload).replace('"lots":0.25', '"lots":0.26');
    const r = expectFailure(decodeSpoolLine(bad), 'BAD_CHECKSUM');
    expect(r.header).toMatchObject({ seq: 42, stream: 'ea-7f3a', message_id: env.header.message_id });
    expect(r.text).toBe(bad);
  });

  it('BAD_CHECKSUM for a line without a CRC column', () => {
    const env = sampleEnvelope('TRADE');
    const line = encodeSpoolLine(env.header, env.payload);
    expectFailure(decodeSpoolLine(line.slice(0, line.lastIndexOf('\t'))), 'BAD_CHECKSUM');
  });

  it('BAD_JSON for a wrong column count or a payload that is not JSON (with a valid CRC)', () => {
    const cols = ['42', 'ea-7f3a', 'ea-7f3a-000000000042', '2026-11-21T10:30:00.000Z', 'ACK', 'EA', 'GUARDIAN'];
    const eight = expectFailure(decodeSpoolLine(handLine(cols)), 'BAD_JSON'); // the 1.2-as-written 8 columns
    expect(eight.detail).toBe('spool line: expected 9 tab-separated columns, got 8');
    expectFailure(decodeSpoolLine(handLine([...cols, '{}', 'extra'])), 'BAD_JSON');
    expectFailure(decodeSpoolLine(handLine([...cols, '{"ack_seq":'])), 'BAD_JSON');
    expectFailure(decodeSpoolLine('no tabs at all'), 'BAD_JSON');
    expectFailure(decodeSpoolLine(''), 'BAD_JSON');
  });

  it('BAD_MESSAGE for a schema error, with the header recovered', () => {
    const header: Header = sampleHeader('TRADE');
    const r = expectFailure(decodeSpoolLine(encodeSpoolLine(header, { ...SAMPLE_PAYLOADS.TRADE, side: 'UP' })), 'BAD_MESSAGE');
    expect(r.detail).toBe('payload.side: expected one of BUY, SELL, got "UP"');
    expect(r.header).toEqual(header);
    const badSeq = handLine(['4x2', 'ea-7f3a', 'm-1', '2026-11-21T10:30:00.000Z', 'TRADE', 'EA', 'GUARDIAN', JSON.stringify(SAMPLE_PAYLOADS.TRADE)]);
    expect(expectFailure(decodeSpoolLine(badSeq), 'BAD_MESSAGE').detail).toBe('header.seq: expected an integer >= 1 for TRADE, got "4x2"');
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { maxLength: 12 }), fc.boolean(), (cols, withCrc) => {
        const r = decodeSpoolLine(withCrc ? handLine(cols) : cols.join('\t'));
        if (!r.ok) expect(['BAD_JSON', 'BAD_CHECKSUM', 'BAD_MESSAGE']).toContain(r.reason);
      }),
      { numRuns: 500 },
    );
  });
});

describe('spool file names', () => {
  it('pads the first seq to 12 digits, so names sort in seq order', () => {
    expect(spoolFileName(42, 'tmp')).toBe('000000000042.tmp');
    expect(spoolFileName(999_999_999_999, 'csv')).toBe('999999999999.csv');
    expect(spoolFileName(9, 'csv') < spoolFileName(10, 'csv')).toBe(true);
  });

  it('refuses seqs that cannot be named in 12 digits', () => {
    expect(() => spoolFileName(-1, 'csv')).toThrow(RangeError);
    expect(() => spoolFileName(1.5, 'csv')).toThrow(RangeError);
    expect(() => spoolFileName(1e12, 'csv')).toThrow(RangeError);
  });

  it('parses its own names back, and nothing else', () => {
    expect(parseSpoolFileName(spoolFileName(1234, 'csv'))).toEqual({ firstSeq: 1234, ext: 'csv' });
    expect(parseSpoolFileName('000000000042.tmp')).toEqual({ firstSeq: 42, ext: 'tmp' });
    for (const name of ['ack', 'heartbeat', '42.csv', '000000000042.csv.bak', '000000000042.txt']) {
      expect(parseSpoolFileName(name)).toBeNull();
    }
  });
});
