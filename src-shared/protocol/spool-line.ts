// One message of the spool path (PROTOCOL.md 6, as amended: the sender's stream is column 2, since
// otherwise a line cannot say which sequence its seq belongs to). One line, tab-separated, with no
// trailing newline (the file writer adds it):
//   seq  stream  message_id  timestamp  message_type  source  destination  payload_json  CRC32:HHHHHHHH
// The CRC is over the line's UTF-8 bytes before its last tab. Compact JSON cannot contain a tab
// (JSON.stringify escapes it), and the header columns are refused if they hold one, so splitting
// on tabs is exact. There is no version column: a spool line is always 1.2.

import { crc32, crc32Hex } from './crc32';
import type { DecodeFailure, DecodeResult } from './envelope';
import { recoverHeader, validateEnvelope } from './schemas';
import { PROTOCOL_VERSION, type Header } from './types';

const COLUMNS = 9;
const CRC_COLUMN = /^CRC32:([0-9A-Fa-f]{8})$/;
const SEQ_DIGITS = /^\d{1,15}$/;
const UTF8 = new TextEncoder();

function column(name: string, value: string): string {
  if (/[\t\r\n]/.test(value)) throw new TypeError(`spool line: header.${name} must not contain a tab or a line break`);
  return value;
}

/** The spool line of a message (no trailing newline). Throws TypeError on a header column holding a tab or line break. */
export function encodeSpoolLine(header: Header, payload: unknown): string {
  const json = JSON.stringify(payload);
  if (json === undefined) throw new TypeError('spool line: the payload is not JSON-serialisable');
  const line = [
    String(header.seq),
    column('stream', header.stream),
    column('message_id', header.message_id),
    column('timestamp', header.timestamp),
    column('message_type', header.message_type),
    column('source', header.source),
    column('destination', header.destination),
    json,
  ].join('\t');
  return `${line}\tCRC32:${crc32Hex(crc32(UTF8.encode(line)))}`;
}

function failure(reason: DecodeFailure['reason'], detail: string, text: string, header?: Partial<Header>): DecodeFailure {
  return header ? { ok: false, reason, detail, header, text } : { ok: false, reason, detail, text };
}

/**
 * Decodes one spool line; never throws. A trailing "\n" or "\r\n" is tolerated (MQL4 writes CRLF).
 * Checks the CRC first (BAD_CHECKSUM), then the column count and the payload JSON (BAD_JSON), then
 * the schema (BAD_MESSAGE, header recovered best effort).
 */
export function decodeSpoolLine(line: string): DecodeResult {
  let end = line.length;
  if (line.charCodeAt(end - 1) === 0x0a) end--;
  if (line.charCodeAt(end - 1) === 0x0d) end--;
  const text = end === line.length ? line : line.slice(0, end);

  const lastTab = text.lastIndexOf('\t');
  if (lastTab < 0) return failure('BAD_JSON', `spool line: expected ${COLUMNS} tab-separated columns, got 1`, text);
  const crcMatch = CRC_COLUMN.exec(text.slice(lastTab + 1));
  const body = text.slice(0, lastTab);
  const cols = body.split('\t');
  if (!crcMatch) {
    return failure('BAD_CHECKSUM', 'spool line: the last column must be CRC32:HHHHHHHH', text, salvage(cols));
  }
  const declared = parseInt(crcMatch[1]!, 16);
  const actual = crc32(UTF8.encode(body));
  if (declared !== actual) {
    return failure('BAD_CHECKSUM', `spool line: checksum mismatch: the line says ${crc32Hex(declared)}, its bytes give ${crc32Hex(actual)}`, text, salvage(cols));
  }
  if (cols.length !== COLUMNS - 1) {
    return failure('BAD_JSON', `spool line: expected ${COLUMNS} tab-separated columns, got ${cols.length + 1}`, text);
  }

  const [seqText, stream, message_id, timestamp, message_type, source, destination, payloadJson] = cols as [
    string, string, string, string, string, string, string, string,
  ];
  let payload: unknown;
  try {
    payload = JSON.parse(payloadJson);
  } catch (e) {
    return failure('BAD_JSON', `spool line: payload_json is not JSON: ${e instanceof Error ? e.message : String(e)}`, text, salvage(cols));
  }
  // A seq that is not plain digits stays a string, so the validator names it in its error.
  const seq: unknown = SEQ_DIGITS.test(seqText) ? Number(seqText) : seqText;
  const header = { version: PROTOCOL_VERSION, timestamp, message_id, message_type, source, destination, stream, seq };
  const v = validateEnvelope({ header, payload });
  return v.ok ? { ok: true, envelope: v.envelope, legacy: false } : failure('BAD_MESSAGE', v.detail, text, v.header);
}

/** Best-effort header of a bad line, from its columns as they stand. */
function salvage(cols: string[]): Partial<Header> | undefined {
  const [seqText, stream, message_id, timestamp, message_type, source, destination] = cols;
  const seq = seqText !== undefined && SEQ_DIGITS.test(seqText) ? Number(seqText) : undefined;
  return recoverHeader({ seq, stream, message_id, timestamp, message_type, source, destination });
}

const MAX_FILE_SEQ = 999_999_999_999;

/** `<seq, 12 digits>.<ext>`: the name of a spool file whose first message has `firstSeq`. Names sort in seq order. */
export function spoolFileName(firstSeq: number, ext: 'tmp' | 'csv'): string {
  if (!Number.isSafeInteger(firstSeq) || firstSeq < 0 || firstSeq > MAX_FILE_SEQ) {
    throw new RangeError(`spool file: seq must be an integer in 0..${MAX_FILE_SEQ}, got ${firstSeq}`);
  }
  return `${String(firstSeq).padStart(12, '0')}.${ext}`;
}

/** The reverse of spoolFileName, or null for any other name (the `ack` and `heartbeat` files, strays). */
export function parseSpoolFileName(name: string): { firstSeq: number; ext: 'tmp' | 'csv' } | null {
  const m = /^(\d{12})\.(tmp|csv)$/.exec(name);
  return m ? { firstSeq: Number(m[1]), ext: m[2] as 'tmp' | 'csv' } : null;
}
