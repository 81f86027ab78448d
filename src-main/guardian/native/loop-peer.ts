// An EA made of the C bridge: the same library MT4 loads, driven from Node, as Guardian's
// synthetic loop-around peer (and as the EA in tests and the bench). Every call runs on koffi's
// worker thread, one at a time: the library allows one thread per handle, and Guardian's event
// loop (often in this same process) must keep serving while a call blocks.
import { Buffer } from 'node:buffer';
import { callAsync, GB_OPTION, GB_STAT, type BridgeCalls, type ClientHandle, type StatName } from './koffi-api';
import { errorName, NativeBridgeError, type NativeBridge } from './native-bridge';

const MAX_MESSAGE_BYTES = 65536 + 1; // GB_MAX_FRAME and its NUL

export interface LoopPeerOptions {
  /** The EA's stream id: 1..64 of [A-Za-z0-9._:-]. */
  node_id: string;
  /** Where the library keeps the outbox, inbox and sequence numbers (created if missing). */
  state_dir: string;
  hmac_key?: string;
  /** Extra HELLO members, e.g. { account: '123', symbols: ['EURUSD'] }. */
  hello_extra?: Record<string, unknown>;
  heartbeat_ms?: number;
  /** Heartbeat intervals of silence before the library drops the connection (default 3; 0: never). */
  silence_intervals?: number;
}

/** A data message Guardian sent, as the library handed it over (exactly once, in seq order). */
export interface LoopMessage {
  type: string;
  seq: number;
  message_id: string;
  payload: Record<string, unknown>;
}

export type LoopPeerStats = Record<StatName, number>;

export class NativeLoopPeer {
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly out = Buffer.alloc(MAX_MESSAGE_BYTES);

  private constructor(private readonly calls: BridgeCalls, private readonly handle: ClientHandle, readonly node_id: string) {}

  /** Opens the EA's durable state; throws NativeBridgeError when the library is missing or refuses. */
  static open(bridge: NativeBridge, options: LoopPeerOptions): NativeLoopPeer {
    const calls = bridge.calls;
    if (!calls) throw new NativeBridgeError(`the native bridge is not available: ${bridge.reason ?? 'unknown reason'}`);
    const handle = calls.open(options.node_id, options.state_dir, options.hmac_key ?? null) as ClientHandle | null;
    if (!handle) {
      const code = calls.openError() as number;
      throw new NativeBridgeError(`gb_open(${options.node_id}) failed: ${errorName(calls, code)}`, code, errorName(calls, code));
    }
    const peer = new NativeLoopPeer(calls, handle, options.node_id);
    if (options.hello_extra) peer.check(calls.setHelloExtra(handle, JSON.stringify(options.hello_extra)) as number, 'gb_set_hello_extra');
    if (options.heartbeat_ms) peer.check(calls.setOption(handle, GB_OPTION.heartbeat_ms, options.heartbeat_ms) as number, 'gb_set_option');
    if (options.silence_intervals !== undefined) peer.check(calls.setOption(handle, GB_OPTION.silence_intervals, options.silence_intervals) as number, 'gb_set_option');
    return peer;
  }

  /** HELLO over TCP, wait for HELLO_ACK, then resend whatever Guardian has not stored. */
  connectSocket(host: string, port: number, timeout_ms = 3000): Promise<void> {
    return this.run(async () => {
      this.check(await callAsync<number>(this.calls.connectSocket, this.handle, host, port, timeout_ms), `gb_connect_socket(${host}:${port})`);
    });
  }

  /** The pipe path: a Windows named pipe, or a Unix socket path elsewhere. */
  connectPipe(path: string, timeout_ms = 3000): Promise<void> {
    return this.run(async () => {
      this.check(await callAsync<number>(this.calls.connectPipe, this.handle, path, timeout_ms), `gb_connect_pipe(${path})`);
    });
  }

  /** Cuts the connection; unacknowledged messages stay stored and are resent after the next HELLO. */
  disconnect(): Promise<void> {
    return this.run(() => void this.calls.disconnect(this.handle));
  }

  isConnected(): Promise<boolean> {
    return this.run(() => (this.calls.isConnected(this.handle) as number) === 1);
  }

  /** Stores the message (fsync), then sends it when connected. Returns its seq. */
  send(type: string, payload: object): Promise<number> {
    return this.run(async () => {
      const seq = Number(await callAsync<number | bigint>(this.calls.send, this.handle, type, JSON.stringify(payload)));
      this.check(seq, `gb_send(${type})`);
      return seq;
    });
  }

  /** Reads for up to timeout_ms: ACKs, heartbeats, Guardian's messages. Returns how many were newly delivered. */
  poll(timeout_ms = 0): Promise<number> {
    return this.run(async () => this.check(await callAsync<number>(this.calls.poll, this.handle, timeout_ms), 'gb_poll'));
  }

  /** Sends the loop-around ping when one is due; the echo gives the round trip (stats().rtt_ms). */
  heartbeat(): Promise<boolean> {
    return this.run(() => this.check(this.calls.heartbeat(this.handle, 0) as number, 'gb_heartbeat') === 1);
  }

  /** Takes every message the library has queued (each is handed over once, even across restarts). */
  take(): Promise<LoopMessage[]> {
    return this.run(() => {
      const got: LoopMessage[] = [];
      for (;;) {
        const n = this.check(this.calls.nextMessage(this.handle, this.out, this.out.length) as number, 'gb_next_message');
        if (n === 0) return got;
        const env = JSON.parse(this.out.toString('utf8', 0, n)) as { header: { message_type: string; seq: number; message_id: string }; payload: Record<string, unknown> };
        got.push({ type: env.header.message_type, seq: env.header.seq, message_id: env.header.message_id, payload: env.payload });
      }
    });
  }

  unacked(): Promise<number> {
    return this.run(() => Number(this.calls.unackedCount(this.handle)));
  }

  lastSeqReceived(): Promise<number> {
    return this.run(() => Number(this.calls.lastSeqReceived(this.handle)));
  }

  stats(): Promise<LoopPeerStats> {
    return this.run(() => {
      const out = {} as LoopPeerStats;
      for (const [name, id] of Object.entries(GB_STAT) as [StatName, number][]) out[name] = Number(this.calls.stat(this.handle, id));
      return out;
    });
  }

  /** Polls (and pings) until `done` holds; every message delivered meanwhile goes into `into`. */
  async pumpUntil(done: () => boolean | Promise<boolean>, options: { timeout_ms?: number; into?: LoopMessage[]; what?: string } = {}): Promise<void> {
    const deadline = Date.now() + (options.timeout_ms ?? 10_000);
    for (;;) {
      options.into?.push(...(await this.take()));
      if (await done()) return;
      if (Date.now() > deadline) throw new NativeBridgeError(`timed out waiting for ${options.what ?? 'the condition'}: ${this.lastError()}`);
      await this.poll(20);
      await this.heartbeat();
    }
  }

  /** The library's text for the last failure on this handle. */
  lastError(): string {
    if (this.closed) return 'closed';
    const n = this.calls.lastError(this.handle, this.out, this.out.length) as number;
    return n > 0 ? this.out.toString('utf8', 0, n) : '';
  }

  /** Closes the handle (after any call in progress); the durable state stays on disk. */
  close(): Promise<void> {
    return this.run(() => {
      this.closed = true;
      this.calls.close(this.handle);
    }, true);
  }

  private run<T>(op: () => T | Promise<T>, closing = false): Promise<T> {
    const next = this.chain.then(() => {
      if (this.closed && !closing) throw new NativeBridgeError(`${this.node_id}: the peer is closed`);
      if (this.closed) return undefined as T;
      return op();
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  private check(rc: number, what: string): number {
    if (rc >= 0) return rc;
    const name = errorName(this.calls, rc);
    const detail = this.lastError();
    throw new NativeBridgeError(`${what}: ${name}${detail ? ` (${detail})` : ''}`, rc, name);
  }
}
