// The ceilings Guardian is measured against, in the same run: the same frames over a bare
// framed TCP socket, and the same payloads over ZeroMQ PUSH/PULL (what common MT4 bridges use,
// with no durability at all). Each receiver runs in its own process, as Guardian would.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { encodeFramedMessage, encodeMessage, messageId, type Header } from '../src-shared/protocol';

const WORKER = fileURLToPath(new URL('./baseline-worker.ts', import.meta.url));

export function benchSignal(i: number, stream = 'bench-sig'): { header: Header; payload: object } {
  return {
    header: {
      version: '1.2', timestamp: new Date().toISOString(), message_id: messageId(stream, i), message_type: 'SIGNAL',
      source: 'SIGNAL', destination: 'GUARDIAN', stream, seq: i,
    },
    payload: { signal_id: `sig-${i}`, symbol: 'EURUSD', action: i % 2 ? 'BUY' : 'SELL', lots: 0.1, order_type: 'MARKET', price: 1.08123, sl: 1.07923, tp: 1.08523, tier: 'primary' },
  };
}

function startWorker(mode: string): { child: ChildProcess; lines: AsyncIterator<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return { child, lines };
}

async function nextJson<T>(lines: AsyncIterator<string>): Promise<T> {
  const r = await lines.next();
  if (r.done) throw new Error('baseline worker ended early');
  return JSON.parse(r.value) as T;
}

/** Frames per second through a bare framed TCP socket to another process. */
export async function benchRawTcp(duration_ms = 3000): Promise<number> {
  const { lines } = startWorker('tcp');
  const { port } = await nextJson<{ port: number }>(lines);
  const sock = connect({ host: '127.0.0.1', port, noDelay: true });
  await new Promise<void>((r) => sock.once('connect', () => r()));
  const t0 = performance.now();
  let sent = 0;
  while (performance.now() - t0 < duration_ms) {
    // Encode every message as a real sender would; write in chunks, respecting backpressure.
    for (let k = 0; k < 256; k++) {
      const m = benchSignal(++sent);
      if (!sock.write(encodeFramedMessage(m.header, m.payload))) await new Promise((r) => sock.once('drain', r));
    }
  }
  await new Promise<void>((r) => sock.end(() => r()));
  const { frames } = await nextJson<{ frames: number }>(lines);
  const elapsed = (performance.now() - t0) / 1000;
  if (frames !== sent) throw new Error(`raw tcp: sent ${sent}, received ${frames}`);
  return Math.round(frames / elapsed);
}

/** Messages per second over ZeroMQ PUSH/PULL to another process (no storage, no acks). */
export async function benchZmq(duration_ms = 3000): Promise<number> {
  const zmq = await import('zeromq');
  const { lines } = startWorker('zmq');
  const { endpoint } = await nextJson<{ endpoint: string }>(lines);
  const push = new zmq.Push({ sendHighWaterMark: 10_000 });
  push.connect(endpoint);
  const t0 = performance.now();
  let sent = 0;
  while (performance.now() - t0 < duration_ms) {
    for (let k = 0; k < 256; k++) {
      const m = benchSignal(++sent);
      await push.send(encodeMessage(m.header, m.payload));
    }
  }
  await push.send(new Uint8Array([0]));
  const { frames } = await nextJson<{ frames: number }>(lines);
  const elapsed = (performance.now() - t0) / 1000;
  push.close();
  if (frames !== sent) throw new Error(`zmq: sent ${sent}, received ${frames}`);
  return Math.round(frames / elapsed);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify({ raw_tcp_msgs_per_s: await benchRawTcp(), zmq_msgs_per_s: await benchZmq() }));
}
