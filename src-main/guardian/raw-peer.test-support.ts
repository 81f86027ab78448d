// Test support: a bare protocol client written from PROTOCOL.md, to check Guardian without
// the simulator (so a bug shared by both cannot hide).
import { connect, type Socket } from 'node:net';
import { createHmac } from 'node:crypto';
import {
  decodeMessage, encodeFramedMessage, FrameDecoder, messageId, type Envelope, type Header, type MessageType,
} from '../../src-shared/protocol';

/** A bare protocol client written from PROTOCOL.md, to check Guardian without the simulator. */
export class RawPeer {
  readonly got: Envelope[] = [];
  private readonly decoder = new FrameDecoder();
  private seq = 0;
  closed = false;
  hmacKey: string | undefined;
  constructor(readonly sock: Socket, readonly node_id: string, readonly role: 'EA' | 'SIGNAL') {
    sock.on('close', () => (this.closed = true));
    sock.on('error', () => (this.closed = true));
    sock.on('data', (c) => {
      for (const f of this.decoder.push(c).frames) {
        const d = decodeMessage(f, { hmac: this.hmac });
        if (d.ok) this.got.push(d.envelope);
      }
    });
  }
  get hmac(): ((b: Uint8Array) => string) | undefined {
    const key = this.hmacKey;
    return key ? (b) => createHmac('sha256', key).update(b).digest('hex') : undefined;
  }
  /** `host:port` for the socket path, or a filesystem path for the pipe path. */
  static async open(address: string, node_id: string, role: 'EA' | 'SIGNAL'): Promise<RawPeer> {
    const m = /^(.*):(\d+)$/.exec(address);
    const sock = m ? connect({ host: m[1], port: Number(m[2]) }) : connect({ path: address });
    await new Promise<void>((r, j) => sock.once('connect', r).once('error', j));
    return new RawPeer(sock, node_id, role);
  }
  send(type: MessageType, payload: object, seq?: number): void {
    const control = ['HELLO', 'ACK', 'HEARTBEAT', 'ERROR'].includes(type);
    const s = control ? 0 : (seq ?? ++this.seq);
    const header: Header = {
      version: '1.2', timestamp: new Date().toISOString(), message_id: control ? `${this.node_id}-c${Math.random()}` : messageId(this.node_id, s),
      message_type: type, source: this.role, destination: 'GUARDIAN', stream: this.node_id, seq: s,
    };
    this.sock.write(encodeFramedMessage(header, payload, { hmac: this.hmac }));
  }
  hello(last = 0, tier?: string): void {
    this.send('HELLO', { role: this.role, node_id: this.node_id, versions: ['1.2', '1.0'], last_seq_received: last, ...(tier ? { tier } : {}) });
  }
  /** Waits until a condition holds (polling), or fails with what arrived so far. */
  async until(cond: () => boolean, ms = 3000): Promise<void> {
    const t0 = Date.now();
    while (!cond()) {
      if (Date.now() - t0 > ms) throw new Error(`timed out; got ${this.got.map((g) => g.header.message_type).join(',')}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  async waitFor(pred: (e: Envelope) => boolean, ms = 3000): Promise<Envelope> {
    const t0 = Date.now();
    for (;;) {
      const e = this.got.find(pred);
      if (e) return e;
      if (Date.now() - t0 > ms) throw new Error(`timed out; got ${this.got.map((g) => g.header.message_type).join(',')}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}


export const signalPayload = (i: number) => ({ signal_id: `s-${i}`, symbol: 'EURUSD', action: 'BUY', lots: 0.1, price: 1.1, sl: 1.09, tp: 1.12 });
export const statusPayload = { ea_state: 'IDLE', balance: 10000, equity: 10000, margin_level: 1000, spread_pips: 0.8, open_positions: 0, server_time: '2026.11.22 10:00:00' };
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
