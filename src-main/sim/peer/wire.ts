// Building the frames a peer sends: 1.2 envelopes with trailers, or flat 1.0 ones.
import { createHmac } from 'node:crypto';
import {
  encodeFrame, encodeFramedMessage, encodeLegacyMessage, PROTOCOL_VERSION,
  type Header, type HmacFn, type MessageType,
} from '../../../src-shared/protocol';

export function hmacFn(key: string | undefined): HmacFn | undefined {
  if (key === undefined || key === '') return undefined;
  return (bytes) => createHmac('sha256', key).update(bytes).digest('hex');
}

export interface WireIdentity {
  node_id: string;
  role: 'EA' | 'SIGNAL';
  hmac: HmacFn | undefined;
  legacy: boolean;
}

let controlCounter = 0;

/** A control message (seq 0: never acknowledged, never resent). */
export function controlFrame(id: WireIdentity, type: MessageType, payload: object): Uint8Array {
  const message_id = `${id.node_id}-c${(++controlCounter).toString(36)}`;
  const timestamp = new Date().toISOString();
  if (id.legacy) return encodeFrame(encodeLegacyMessage({ message_type: type, message_id, timestamp, payload, source: id.role }));
  const header: Header = {
    version: PROTOCOL_VERSION, timestamp, message_id, message_type: type,
    source: id.role, destination: 'GUARDIAN', stream: id.node_id, seq: 0,
  };
  return encodeFramedMessage(header, payload, { hmac: id.hmac });
}

/** The bytes of the corrupt fault: one byte changed after the checksum was computed. */
export function corruptCopy(frame: Uint8Array): Uint8Array {
  const out = frame.slice();
  // Prefer a digit of the timestamp's milliseconds: the JSON stays valid, so the receiver must
  // catch it by the checksum (BAD_CHECKSUM), not by the parser.
  const text = Buffer.from(out.buffer, out.byteOffset, out.byteLength).toString('latin1');
  const at = text.indexOf('"timestamp":"');
  const z = at >= 0 ? text.indexOf('Z"', at) : -1;
  const i = z > 0 ? z - 1 : Math.max(4, out.length >> 1);
  const c = out[i]!;
  out[i] = c >= 0x30 && c <= 0x39 ? 0x30 + ((c - 0x30 + 1) % 10) : c ^ 0x01;
  return out;
}
