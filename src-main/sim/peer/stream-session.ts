// One framed path (TCP socket, or the pipe: a Unix domain socket / Windows named pipe) from the
// peer's side: connects and reconnects with backoff, greets with HELLO, pings and echoes, and
// carries frames. Faults act here because this is where the bytes are.
import { connect, type Socket } from 'node:net';
import {
  decodeMessage, FrameDecoder, PROTOCOL_VERSION,
  type Envelope, type ErrorPayload, type HelloAckPayload, type HeartbeatPayload, type HmacFn,
} from '../../../src-shared/protocol';
import type { OutboundFrame } from '../../guardian/router';
import { RttSamples } from './rtt';
import { newCounters, type PathCounters, type PathSession, type SessionOwner } from './session';
import { controlFrame, type WireIdentity } from './wire';

export type StreamAddress = { host: string; port: number } | { path: string };

export interface StreamSessionSettings {
  identity: WireIdentity;
  hmac: HmacFn | undefined;
  heartbeat_ms: number;
  hello_timeout_ms: number;
}

type State = 'idle' | 'connecting' | 'greeting' | 'ready' | 'stopped';

const BACKOFF_FIRST_MS = 50;
// Capped low: a standby Guardian takes over in about a second (issue 7), and a peer must not sleep
// through it; a refused local connect costs next to nothing.
const BACKOFF_MAX_MS = 250;
const SILENT_HEARTBEATS = 3;
/** Silent this many intervals: the connection is half-open or Guardian hangs; start over. */
const SILENT_HEARTBEATS_TO_RECONNECT = 12;

export class StreamSession implements PathSession {
  readonly counters: PathCounters = newCounters();
  readonly rtt = new RttSamples();
  private state: State = 'idle';
  private socket: Socket | undefined;
  private decoder = new FrameDecoder();
  private backoff_ms = BACKOFF_FIRST_MS;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private refuseUntil_ms = 0;
  private connectedAt_ms = 0;
  private lastHeard_ms = 0;
  private nextPing_ms = 0;
  private pingCounter = 0;
  private readonly pendingPings = new Map<string, number>();
  private guardianHeartbeat_ms = 0;
  // faults
  private stalledUntil_ms = 0;
  private stallHeld: Uint8Array[] = [];
  private stallTimer: NodeJS.Timeout | undefined;
  private latency_ms = 0;

  constructor(
    readonly path: 'socket' | 'pipe',
    private readonly address: StreamAddress,
    private readonly owner: SessionOwner,
    private readonly settings: StreamSessionSettings,
  ) {}

  get connected(): boolean {
    return this.state === 'ready';
  }

  private get stalled(): boolean {
    return this.stalledUntil_ms > this.owner.now_ms();
  }

  /** Guardian's silence counts in the slower of the two heartbeat intervals. */
  private get silence_ms(): number {
    return SILENT_HEARTBEATS * Math.max(this.settings.heartbeat_ms, this.guardianHeartbeat_ms);
  }

  start(): void {
    if (this.state === 'idle') this.connect();
  }

  stop(): void {
    this.state = 'stopped';
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.socket?.destroy();
    this.socket = undefined;
  }

  isUp(now_ms: number): boolean {
    if (this.state !== 'ready') return false;
    if (this.settings.identity.legacy) return true; // 1.0 has no pings of ours to judge by
    return now_ms - this.lastHeard_ms <= this.silence_ms;
  }

  canSend(): boolean {
    return this.state === 'ready' && !!this.socket && !this.socket.writableNeedDrain;
  }

  sendData(frames: OutboundFrame[]): void {
    // Corked: a burst of frames leaves in one writev, not one syscall each.
    const socket = this.socket;
    const cork = frames.length > 1 && socket !== undefined && !socket.destroyed;
    if (cork) socket.cork();
    for (const f of frames) {
      this.write(this.owner.wireFrame(f.frame, f.seq));
      this.counters.sent++;
    }
    if (cork) process.nextTick(() => socket.uncork());
  }

  sendAck(seq: number): void {
    if (this.state === 'ready' && !this.settings.identity.legacy) this.control('ACK', { ack_seq: seq });
  }

  tick(now_ms: number): void {
    if (this.state === 'greeting' && now_ms - this.connectedAt_ms > this.settings.hello_timeout_ms) {
      this.fail(`no HELLO_ACK within ${this.settings.hello_timeout_ms} ms`);
      return;
    }
    if (this.state !== 'ready' || this.stalled) return;
    if (this.settings.identity.legacy) return;
    if (now_ms - this.lastHeard_ms > SILENT_HEARTBEATS_TO_RECONNECT * Math.max(this.settings.heartbeat_ms, this.guardianHeartbeat_ms)) {
      this.fail(`Guardian silent for ${Math.round(now_ms - this.lastHeard_ms)} ms`);
      return;
    }
    for (const [id, sent] of this.pendingPings) if (now_ms - sent > this.silence_ms) this.pendingPings.delete(id);
    if (now_ms >= this.nextPing_ms) {
      this.nextPing_ms = now_ms + this.settings.heartbeat_ms;
      const ping_id = `${this.path[0]}${(++this.pingCounter).toString(36)}`;
      this.pendingPings.set(ping_id, now_ms);
      this.control('HEARTBEAT', { ping_id, t0: Math.round(now_ms) });
    }
  }

  // ---- faults --------------------------------------------------------------------------------

  drop(ms: number): void {
    this.refuseUntil_ms = Math.max(this.refuseUntil_ms, this.owner.now_ms() + ms);
    if (this.socket) this.fail('dropped by fault');
  }

  stall(ms: number): void {
    this.stalledUntil_ms = this.owner.now_ms() + ms;
    this.socket?.pause();
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(() => this.endStall(), ms);
  }

  setLatency(ms: number): void {
    this.latency_ms = Math.max(0, ms);
  }

  sendGarbage(): void {
    // A well-formed frame whose body is not JSON (nor UTF-8): Guardian answers BAD_JSON and keeps the link.
    const body = Buffer.from('this is not json \u00ff{{{', 'latin1');
    const frame = new Uint8Array(4 + body.length);
    new DataView(frame.buffer).setUint32(0, body.length, true);
    frame.set(body, 4);
    this.write(frame);
  }

  sendOversize(): void {
    // A length prefix of 70000: over the 65536 limit, Guardian answers FRAME_SIZE and closes.
    const frame = new Uint8Array(4 + 64);
    new DataView(frame.buffer).setUint32(0, 70_000, true);
    frame.fill(0x20, 4);
    this.write(frame);
  }

  private endStall(): void {
    this.stallTimer = undefined;
    this.stalledUntil_ms = 0;
    if (!this.socket) return;
    this.socket.resume();
    const held = this.stallHeld;
    this.stallHeld = [];
    for (const f of held) this.socket.write(f);
  }

  // ---- connection ----------------------------------------------------------------------------

  private connect(): void {
    if (this.state === 'stopped') return;
    const wait = this.refuseUntil_ms - this.owner.now_ms();
    if (wait > 0) {
      this.scheduleReconnect(wait);
      return;
    }
    this.state = 'connecting';
    this.decoder = new FrameDecoder();
    const socket = 'path' in this.address ? connect(this.address.path) : connect({ host: this.address.host, port: this.address.port });
    this.socket = socket;
    socket.setNoDelay?.(true);
    socket.on('connect', () => this.onConnected(socket));
    socket.on('data', (chunk: Buffer) => this.onBytes(socket, chunk));
    socket.on('drain', () => this.owner.onWritable(this));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (socket === this.socket) this.counters.last_error = err.code ?? err.message;
    });
    socket.on('close', () => this.onClosed(socket));
  }

  private onConnected(socket: Socket): void {
    if (socket !== this.socket || this.state === 'stopped') return;
    if (this.stalled) socket.pause();
    this.connectedAt_ms = this.owner.now_ms();
    this.lastHeard_ms = this.connectedAt_ms;
    this.pendingPings.clear();
    if (this.settings.identity.legacy) {
      // 1.0: no handshake; the first data frame tells Guardian who we are.
      this.becomeReady({ version: '1.0', node_id: '', last_seq_received: 0, heartbeat_ms: this.settings.heartbeat_ms });
      return;
    }
    this.state = 'greeting';
    this.control('HELLO', this.owner.hello());
  }

  private becomeReady(ack: HelloAckPayload): void {
    this.state = 'ready';
    this.counters.connects++;
    this.backoff_ms = BACKOFF_FIRST_MS;
    this.guardianHeartbeat_ms = ack.heartbeat_ms;
    this.nextPing_ms = 0;
    this.owner.onReady(this, ack);
  }

  private onClosed(socket: Socket): void {
    if (socket !== this.socket) return;
    const wasReady = this.state === 'ready';
    this.socket = undefined;
    this.stallHeld = [];
    if (this.state === 'stopped') return;
    this.state = 'idle';
    if (wasReady) {
      this.counters.disconnects++;
      this.owner.onDown(this, this.counters.last_error ?? 'closed');
    }
    this.scheduleReconnect(this.backoff_ms);
    this.backoff_ms = Math.min(this.backoff_ms * 2, BACKOFF_MAX_MS);
  }

  private scheduleReconnect(ms: number): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect();
    }, ms);
  }

  /** Gives up on this connection: destroy it (the close handler reconnects). */
  private fail(reason: string): void {
    this.counters.last_error = reason;
    this.socket?.destroy();
  }

  // ---- inbound -------------------------------------------------------------------------------

  private onBytes(socket: Socket, chunk: Buffer): void {
    if (socket !== this.socket) return;
    const { frames, error } = this.decoder.push(chunk);
    for (const body of frames) {
      this.onFrame(body);
      if (socket !== this.socket) return;
    }
    if (error) {
      this.counters.errors++;
      this.control('ERROR', { reason: 'FRAME_SIZE', detail: `frame length ${error.length} is outside 1..65536` });
      this.fail('FRAME_SIZE');
    }
  }

  private onFrame(body: Uint8Array): void {
    const now = this.owner.now_ms();
    this.lastHeard_ms = now;
    const hmac = this.settings.hmac;
    const d = decodeMessage(body, { hmac, requireAuth: hmac !== undefined && !this.settings.identity.legacy });
    if (!d.ok) {
      this.counters.errors++;
      this.counters.last_error = `${d.reason}: ${d.detail}`;
      if (this.state === 'ready') this.control('ERROR', { reason: d.reason, detail: d.detail, ...(d.header?.message_id ? { ref_message_id: d.header.message_id } : {}) });
      this.owner.onBadInput(this, d.reason, d.detail, d.header, d.text);
      return;
    }
    const env = d.envelope;
    const type = env.header.message_type;
    if (this.state === 'greeting') {
      if (type === 'HELLO_ACK') {
        const ack = (env as Envelope<'HELLO_ACK'>).payload;
        if (ack.version !== PROTOCOL_VERSION) {
          this.fail(`Guardian chose version ${ack.version}; this peer speaks ${PROTOCOL_VERSION} unless told legacy`);
          return;
        }
        this.becomeReady(ack);
      } else if (type === 'ERROR') {
        const e = (env as Envelope<'ERROR'>).payload;
        this.counters.errors++;
        this.counters.last_error = `HELLO refused: ${e.reason}: ${e.detail ?? ''}`;
        this.owner.onPeerError(this, e);
      }
      return; // nothing else is expected before the handshake
    }
    if (this.state !== 'ready') return;
    switch (type) {
      case 'HEARTBEAT':
        this.onHeartbeat((env as Envelope<'HEARTBEAT'>).payload, now);
        return;
      case 'ACK':
        if (!d.legacy) this.owner.onAck(this, (env as Envelope<'ACK'>).payload.ack_seq);
        return;
      case 'HELLO_ACK':
        this.becomeReady((env as Envelope<'HELLO_ACK'>).payload); // a re-greeting: resend from there
        return;
      case 'HELLO':
        return;
      case 'ERROR':
        this.counters.errors++;
        this.counters.last_error = `Guardian says ${(env as Envelope<'ERROR'>).payload.reason}`;
        this.owner.onPeerError(this, (env as Envelope<'ERROR'>).payload as ErrorPayload);
        return;
      default:
        this.owner.onData(this, env, d.legacy, body);
    }
  }

  private onHeartbeat(hb: HeartbeatPayload, now: number): void {
    if (hb.echo !== undefined) {
      const sent = this.pendingPings.get(hb.echo);
      if (sent !== undefined) {
        this.pendingPings.delete(hb.echo);
        this.rtt.record(now - sent);
        this.owner.onEcho(this, now - sent);
      }
    }
    if (hb.ping_id !== undefined) this.control('HEARTBEAT', { echo: hb.ping_id });
  }

  // ---- outbound ------------------------------------------------------------------------------

  private control(type: 'HELLO' | 'HEARTBEAT' | 'ACK' | 'ERROR', payload: object): void {
    if (type === 'HELLO' && this.settings.identity.legacy) return;
    this.write(controlFrame(this.settings.identity, type, payload));
  }

  private write(frame: Uint8Array): void {
    const socket = this.socket;
    if (!socket || socket.destroyed) return;
    if (this.stalled) {
      // A hung peer: nothing leaves; what was written leaves when it wakes (like a full kernel buffer).
      this.stallHeld.push(frame);
      return;
    }
    if (this.latency_ms > 0) {
      // Same delay for every frame: timers of equal delay fire in order, so order is kept.
      setTimeout(() => {
        if (socket === this.socket && !socket.destroyed) socket.write(frame);
      }, this.latency_ms);
      return;
    }
    socket.write(frame);
  }
}
