// Throughput of the protocol codec on a realistic ~300-byte SIGNAL message.
//   codec_encode_per_s  encodeFramedMessage (JSON + CRC trailer + length prefix, one allocation)
//   codec_decode_per_s  the whole receive path: FrameDecoder + decodeMessage (UTF-8, JSON, CRC, schema)
//   frame_decode_per_s  FrameDecoder alone
// The receive benchmarks feed a byte stream cut into 16 KiB reads, as a socket delivers it, so
// frames split across reads are part of the measure.
// Run alone: npx tsx bench/codec.ts

import { pathToFileURL } from 'node:url';
import { FrameDecoder, decodeMessage, encodeFramedMessage, messageId, type Header, type SignalPayload } from '../src-shared/protocol';

export interface CodecBench {
  codec_encode_per_s: number;
  codec_decode_per_s: number;
  frame_decode_per_s: number;
}

const STREAM = 'sig-p1';

function signal(seq: number): { header: Header; payload: SignalPayload } {
  return {
    header: {
      version: '1.2',
      timestamp: new Date(1_795_000_000_000 + seq).toISOString(),
      message_id: messageId(STREAM, seq),
      message_type: 'SIGNAL',
      source: 'SIGNAL',
      destination: 'GUARDIAN',
      stream: STREAM,
      seq,
    },
    payload: {
      signal_id: `s-${seq}`,
      symbol: 'EURUSD',
      action: 'BUY',
      lots: 0.25,
      price: 1.08452,
      sl: 1.08102,
      tp: 1.09152,
      tier: 'primary',
    },
  };
}

/** Runs `round` until `durationMs` has passed; returns operations per second (each round does `opsPerRound`). */
function measure(durationMs: number, opsPerRound: number, round: () => void): number {
  for (let i = 0; i < 3; i++) round(); // warm up
  const start = performance.now();
  let ops = 0;
  let now = start;
  do {
    round();
    ops += opsPerRound;
    now = performance.now();
  } while (now - start < durationMs);
  return Math.round((ops * 1000) / (now - start));
}

function chunksOf(stream: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < stream.length; i += size) out.push(stream.subarray(i, Math.min(stream.length, i + size)));
  return out;
}

export function benchCodec(durationMs = 1000): CodecBench {
  const BATCH = 1000;
  const messages = Array.from({ length: BATCH }, (_, i) => signal(i + 1));

  let sink = 0; // keeps the optimiser from dropping the work
  const codec_encode_per_s = measure(durationMs, BATCH, () => {
    for (const m of messages) sink += encodeFramedMessage(m.header, m.payload).length;
  });

  const frames = messages.map((m) => encodeFramedMessage(m.header, m.payload));
  const stream = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
  frames.reduce((at, f) => (stream.set(f, at), at + f.length), 0);
  const reads = chunksOf(stream, 16 * 1024);

  const codec_decode_per_s = measure(durationMs, BATCH, () => {
    const decoder = new FrameDecoder();
    for (const read of reads) {
      for (const body of decoder.push(read).frames) {
        const r = decodeMessage(body);
        if (!r.ok) throw new Error(`bench message did not decode: ${r.detail}`);
        sink += r.envelope.header.seq;
      }
    }
  });

  const frame_decode_per_s = measure(durationMs, BATCH, () => {
    const decoder = new FrameDecoder();
    for (const read of reads) sink += decoder.push(read).frames.length;
  });

  if (sink === -1) console.log(sink);
  return { codec_encode_per_s, codec_decode_per_s, frame_decode_per_s };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const m = signal(42);
  const size = encodeFramedMessage(m.header, m.payload).length - 4;
  console.log(JSON.stringify({ message_bytes: size, ...benchCodec() }, null, 2));
}
