// Child process for the baselines: the far end of a bare framed TCP socket or a ZeroMQ
// PUSH/PULL pair. Run by bench/baselines.ts; prints one JSON line with its count.
import { connect, createServer } from 'node:net';
import { decodeMessage, encodeFramedMessage, FrameDecoder, type Envelope } from '../src-shared/protocol';

const [mode, arg] = process.argv.slice(2);

async function tcpReceiver(): Promise<void> {
  let frames = 0;
  const server = createServer((s) => {
    const d = new FrameDecoder();
    s.on('data', (c) => {
      frames += d.push(c).frames.length;
    });
    s.on('close', () => {
      process.stdout.write(JSON.stringify({ frames }) + '\n');
      server.close();
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    process.stdout.write(JSON.stringify({ port: typeof a === 'object' && a ? a.port : 0 }) + '\n');
  });
}

/** Answers each HEARTBEAT ping with its echo, decoding and encoding as Guardian does. */
async function echoServer(): Promise<void> {
  const server = createServer((s) => {
    s.setNoDelay(true);
    const d = new FrameDecoder();
    s.on('data', (c) => {
      for (const f of d.push(c).frames) {
        const r = decodeMessage(f);
        if (!r.ok) continue;
        const ping = (r.envelope as Envelope<'HEARTBEAT'>).payload.ping_id;
        s.write(encodeFramedMessage({ ...r.envelope.header, source: 'GUARDIAN', destination: 'EA', timestamp: new Date().toISOString() }, { echo: ping }));
      }
    });
    s.on('close', () => server.close());
  });
  server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    process.stdout.write(JSON.stringify({ port: typeof a === 'object' && a ? a.port : 0 }) + '\n');
  });
}

async function zmqReceiver(): Promise<void> {
  const zmq = await import('zeromq');
  const pull = new zmq.Pull();
  await pull.bind('tcp://127.0.0.1:*');
  process.stdout.write(JSON.stringify({ endpoint: pull.lastEndpoint }) + '\n');
  let frames = 0;
  for await (const [msg] of pull) {
    if (msg && msg.length === 1 && msg[0] === 0) break; // the sender's end marker
    frames++;
  }
  process.stdout.write(JSON.stringify({ frames }) + '\n');
  pull.close();
}

if (mode === 'tcp') void tcpReceiver();
else if (mode === 'zmq') void zmqReceiver();
else if (mode === 'echo') void echoServer();
else if (mode === 'connect-test') connect(Number(arg)).end();
