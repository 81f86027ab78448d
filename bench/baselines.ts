// The ceilings Guardian is measured against, in the same run: the same frames over a bare
// framed TCP socket, and the same payloads over ZeroMQ PUSH/PULL (what common MT4 bridges use,
// with no durability at all). Each receiver runs in its own process, as Guardian would.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { decodeMessage, encodeFramedMessage, encodeMessage, FrameDecoder, messageId, type Header } from '../src-shared/protocol';

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

/**
 * The floor under `echo_rtt_ms_p99`: heartbeat pings every 10 ms over a bare framed TCP socket to
 * another process that decodes each and encodes its echo, with no Guardian between. What this
 * machine's scheduler and loopback allow at the moment; the echo through Guardian cannot beat it.
 */
export async function benchRawEcho(duration_ms = 5000): Promise<{ raw_echo_rtt_ms_p50: number; raw_echo_rtt_ms_p99: number }> {
  const { child, lines } = startWorker('echo');
  const { port } = await nextJson<{ port: number }>(lines);
  const sock = connect({ host: '127.0.0.1', port, noDelay: true });
  await new Promise<void>((r) => sock.once('connect', () => r()));
  const sentAt = new Map<string, number>();
  const rtts: number[] = [];
  const d = new FrameDecoder();
  sock.on('data', (c) => {
    const at = performance.now();
    for (const f of d.push(c).frames) {
      const r = decodeMessage(f);
      const echo = r.ok ? (r.envelope.payload as { echo?: string }).echo : undefined;
      const t = echo === undefined ? undefined : sentAt.get(echo);
      if (t !== undefined) rtts.push(at - t);
    }
  });
  const header = (i: number): Header => ({ version: '1.2', timestamp: new Date().toISOString(), message_id: `bench-ea-c${i}`, message_type: 'HEARTBEAT', source: 'EA', destination: 'GUARDIAN', stream: 'bench-ea', seq: 0 });
  const t0 = performance.now();
  for (let i = 0; performance.now() - t0 < duration_ms; i++) {
    const ping_id = `p${i}`;
    sentAt.set(ping_id, performance.now());
    sock.write(encodeFramedMessage(header(i), { ping_id, t0: Math.round(performance.now()) }));
    await new Promise((r) => setTimeout(r, 10));
  }
  await new Promise<void>((r) => sock.end(() => r()));
  child.kill();
  if (rtts.length < sentAt.size * 0.9) throw new Error(`raw echo: ${sentAt.size} pings, ${rtts.length} echoes`);
  rtts.sort((a, b) => a - b);
  const at = (p: number) => Math.round(rtts[Math.ceil(p * rtts.length) - 1]! * 100) / 100;
  return { raw_echo_rtt_ms_p50: at(0.5), raw_echo_rtt_ms_p99: at(0.99) };
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
  console.log(JSON.stringify({ raw_tcp_msgs_per_s: await benchRawTcp(), zmq_msgs_per_s: await benchZmq(), ...(await benchRawEcho()) }));
}
