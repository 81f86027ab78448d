// Cross-checks the C bridge against Guardian's TypeScript codec (src-shared/protocol): both must
// produce the same bytes for the same message, and give the same verdict (ok or the same
// PROTOCOL.md 7 reason) on every input, valid or mutated. Run by native/build.sh:
//   npx tsx native/bridge/tests/crosscheck.ts <path to libguardian_bridge.so>
import koffi from 'koffi';
import { createHmac } from 'node:crypto';
import process from 'node:process';
import console from 'node:console';
import { Buffer } from 'node:buffer';
import {
  decodeMessage, decodeSpoolLine, encodeMessage, encodeSpoolLine, type HmacFn, type MessageType,
} from '../../../src-shared/protocol/index';
import { MESSAGE_TYPE_LIST, SAMPLE_PAYLOADS, sampleHeader } from '../../../src-shared/protocol/samples';

const lib = koffi.load(process.argv[2]!);
const gb = {
  encode: lib.func('int gb_encode_message(str stream, int64 seq, str type, str source, str dest, str id, str ts, str payload, str key, _Out_ uint8_t *out, int cap)'),
  check: lib.func('int gb_decode_check(const uint8_t *body, int len, str key)'),
  lineEncode: lib.func('int gb_spool_line_encode(const uint8_t *env, int len, _Out_ uint8_t *out, int cap)'),
  lineCheck: lib.func('int gb_spool_line_check(const uint8_t *line, int len)'),
};
const CODES: Record<string, number> = { BAD_JSON: -3, BAD_CHECKSUM: -4, AUTH_FAILED: -5, BAD_MESSAGE: -6 };
const KEY = 'shared-secret';
const hmac: HmacFn = (bytes) => createHmac('sha256', KEY).update(bytes).digest('hex');

let failures = 0;
const fail = (what: string): void => {
  failures++;
  if (failures <= 20) console.error(`MISMATCH ${what}`);
};

/** The TS verdict as a C code; null for a legacy 1.0 message (the EA does not take those). */
function tsVerdict(body: Uint8Array, key: boolean): number | null {
  const d = decodeMessage(body, key ? { hmac, requireAuth: true } : undefined);
  if (d.ok) return d.legacy ? null : 0;
  return CODES[d.reason]!;
}

function cEncode(type: MessageType, seq: number, key: boolean): Buffer {
  const h = sampleHeader(type, seq);
  const out = Buffer.alloc(70000);
  const n = gb.encode(h.stream, h.seq, h.message_type, h.source, h.destination, h.message_id, h.timestamp,
    JSON.stringify(SAMPLE_PAYLOADS[type]), key ? KEY : null, out, out.length) as number;
  return out.subarray(0, Math.max(0, n));
}

// 1. The same message, byte for byte, from both encoders; both decoders accept it.
const corpus: Uint8Array[] = [];
for (const type of MESSAGE_TYPE_LIST) {
  for (const key of [false, true]) {
    const ts = encodeMessage(sampleHeader(type), SAMPLE_PAYLOADS[type], key ? { hmac } : undefined);
    const c = cEncode(type, 42, key);
    if (!Buffer.from(ts).equals(c)) fail(`encode ${type} key=${key}:\n  ts ${Buffer.from(ts).toString()}\n  c  ${c.toString()}`);
    if (gb.check(ts, ts.length, key ? KEY : null) !== 0) fail(`C refuses the TS ${type} key=${key}`);
    corpus.push(ts);
  }
  const env = decodeMessage(corpus[corpus.length - 2]!);
  if (env.ok) {
    const tsLine = Buffer.from(encodeSpoolLine(env.envelope.header, env.envelope.payload));
    const out = Buffer.alloc(70000);
    const n = gb.lineEncode(corpus[corpus.length - 2]!, corpus[corpus.length - 2]!.length, out, out.length) as number;
    if (!tsLine.equals(out.subarray(0, Math.max(0, n)))) fail(`spool line ${type}:\n  ts ${tsLine.toString()}\n  c  ${out.subarray(0, n).toString()}`);
  }
}

// 2. Mutations: flips, truncations, insertions, JSON-significant bytes; the verdicts must agree.
let seed = 7;
const rnd = (n: number): number => {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return (seed >>> 8) % n;
};
const SPECIAL = Buffer.from('{}[]",:\\ 0a-.eE\t');
let compared = 0;
const seen: Record<number, number> = {};
for (let i = 0; i < 40000; i++) {
  const src = corpus[rnd(corpus.length)]!;
  let b = Buffer.from(src);
  const edits = 1 + rnd(3);
  for (let k = 0; k < edits; k++) {
    const at = rnd(b.length);
    switch (rnd(5)) {
      case 0: b[at] = rnd(256); break;
      case 1: b = b.subarray(0, at + 1); break;
      case 2: b = Buffer.concat([b.subarray(0, at), Buffer.from([SPECIAL[rnd(SPECIAL.length)]!]), b.subarray(at)]); break;
      case 3: b[at] = SPECIAL[rnd(SPECIAL.length)]!; break;
      default: b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
    }
  }
  // Keep the checksum right half of the time, so the JSON and schema checks are reached too.
  if (i % 2 === 0 && b.length > 30 && b.subarray(-29, -10).toString() === ',"checksum":"CRC32:') {
    const pre = b.subarray(0, b.length - 29);
    b = Buffer.concat([pre, Buffer.from(`,"checksum":"CRC32:${crcHex(pre)}"}`)]);
  }
  for (const key of [false, true]) {
    const want = tsVerdict(b, key);
    if (want === null) continue;
    const got = gb.check(b, b.length, key ? KEY : null) as number;
    compared++;
    seen[want] = (seen[want] ?? 0) + 1;
    if (got !== want) fail(`verdict key=${key}: ts ${want}, c ${got}: ${b.toString('latin1').slice(0, 400)}`);
  }
  // The same for spool lines, built from the mutated envelope when it still decodes.
  const d = decodeMessage(b);
  if (d.ok && !d.legacy) {
    let line = Buffer.from(encodeSpoolLine(d.envelope.header, d.envelope.payload));
    const at = rnd(line.length);
    if (i % 3 === 0) line = Buffer.concat([line.subarray(0, at), Buffer.from([SPECIAL[rnd(SPECIAL.length)]!]), line.subarray(at)]);
    const t = decodeSpoolLine(line.toString());
    const want = t.ok ? 0 : CODES[t.reason]!;
    const got = gb.lineCheck(line, line.length) as number;
    compared++;
    if (got !== want) fail(`spool verdict: ts ${want}, c ${got}: ${line.toString()}`);
  }
}

function crcHex(bytes: Uint8Array): string {
  let c = 0xffffffff;
  for (const x of bytes) {
    c ^= x;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ((c ^ 0xffffffff) >>> 0).toString(16).toUpperCase().padStart(8, '0');
}

if (failures > 0) {
  console.error(`crosscheck: ${failures} mismatch(es) in ${compared} comparisons`);
  process.exit(1);
}
const mix = Object.entries(seen).map(([code, n]) => `${code}:${n}`).join(' ');
console.log(`crosscheck: C and TypeScript agree (${MESSAGE_TYPE_LIST.length * 2} encodings, ${compared} verdicts; envelope verdicts by code ${mix})`);
