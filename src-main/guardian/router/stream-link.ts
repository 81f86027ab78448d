// Protocol state of one framed connection (socket or pipe): the HELLO handshake, heartbeats
// with echo pings, ACKs, and every bad-input row of PROTOCOL.md section 7.
import {
  decodeMessage, encodeFrame, encodeFramedMessage, encodeLegacyMessage, PROTOCOL_VERSION,
  type Envelope, type HelloPayload, type Header, type MessageType, type PathName, type HmacFn, type ReasonCode,
} from '../../../src-shared/protocol';
import type { FramedConnection } from '../paths';
import type { PathLink } from './link';
import { PathStats } from './path-stats';
import type { OutboundFrame } from './streams';

export interface LinkSettings {
  node_id: string;
  heartbeat_ms: number;
  silent_heartbeats: number;
  hello_timeout_ms: number;
  versions: string[];
  auth_failures_to_close: number;
  hmac?: HmacFn;
}

/** What the link needs from the router. */
export interface LinkOwner {
  now_ms(): number;
  onHello(link: StreamLink, hello: HelloPayload, version: string): { last_seq_received: number } | { refuse: string };
  onLegacy(link: StreamLink, env: Envelope): void;
  onData(link: StreamLink, env: Envelope): void;
  onAck(link: StreamLink, ackSeq: number): void;
  onBadInput(link: StreamLink, reason: ReasonCode, detail: string, header?: Partial<Header>, text?: string): void;
  onClosed(link: StreamLink, reason: string): void;
  onSecurity(link: StreamLink, detail: string): void;
}

type LinkState = 'awaiting_hello' | 'ready' | 'legacy' | 'closed';

let controlCounter = 0;

export class StreamLink implements PathLink {
  readonly path: PathName;
  stats: PathStats;
  state: LinkState = 'awaiting_hello';
  peerId: string | undefined;
  version: string = PROTOCOL_VERSION;
  private readonly opened_ms: number;
  private lastHeard_ms: number;
  private nextPing_ms = 0;
  private readonly pendingPings = new Map<string, number>();
  private authFailuresInRow = 0;

  constructor(
    readonly conn: FramedConnection,
    private readonly settings: LinkSettings,
    private readonly owner: LinkOwner,
  ) {
    this.path = conn.path;
    this.stats = new PathStats(conn.path); // replaced by the peer's long-lived stats once greeted
    this.opened_ms = owner.now_ms();
    this.lastHeard_ms = this.opened_ms;
  }

  get closed(): boolean {
    return this.state === 'closed' || this.conn.isClosed;
  }

  get legacy(): boolean {
    return this.state === 'legacy';
  }

  isUp(now_ms: number): boolean {
    if (this.closed || this.state === 'awaiting_hello') return false;
    return now_ms - this.lastHeard_ms <= this.settings.heartbeat_ms * this.settings.silent_heartbeats;
  }

  canSend(): boolean {
    return this.conn.writable;
  }

  // ---- inbound -------------------------------------------------------------------------

  onFrame(body: Uint8Array): void {
    const now = this.owner.now_ms();
    this.lastHeard_ms = now;
    this.stats.lastHeard_ms = now;
    const decoded = decodeMessage(body, { hmac: this.settings.hmac, requireAuth: this.settings.hmac !== undefined && this.state !== 'legacy' });
    if (!decoded.ok) {
      if (decoded.reason === 'AUTH_FAILED') {
        this.authFailuresInRow++;
        this.refuse('AUTH_FAILED', decoded.detail, decoded.header, decoded.text);
        if (this.authFailuresInRow >= this.settings.auth_failures_to_close) {
          this.owner.onSecurity(this, `${this.authFailuresInRow} frames in a row failed authentication on ${this.conn.remote}`);
          this.close('AUTH_FAILED');
        }
        return;
      }
      this.refuse(decoded.reason, decoded.detail, decoded.header, decoded.text);
      return;
    }
    this.authFailuresInRow = 0;
    const env = decoded.envelope;
    if (this.state === 'awaiting_hello') {
      if (decoded.legacy) {
        this.state = 'legacy';
        this.version = '1.0';
        this.owner.onLegacy(this, env);
        return;
      }
      if (env.header.message_type !== 'HELLO') {
        this.stats.handshakeFailures++;
        this.refuse('BAD_MESSAGE', `the first frame must be HELLO, got ${env.header.message_type}`, env.header);
        return;
      }
      this.onHello(env as Envelope<'HELLO'>);
      return;
    }
    if (this.state === 'legacy') {
      this.owner.onLegacy(this, env);
      return;
    }
    switch (env.header.message_type) {
      case 'HEARTBEAT':
        this.onHeartbeat(env as Envelope<'HEARTBEAT'>, now);
        return;
      case 'ACK':
        this.owner.onAck(this, (env as Envelope<'ACK'>).payload.ack_seq);
        return;
      case 'HELLO':
        this.onHello(env as Envelope<'HELLO'>); // a re-greeting resets the resend point
        return;
      case 'HELLO_ACK':
        this.refuse('BAD_MESSAGE', 'HELLO_ACK is sent by Guardian, not to it', env.header);
        return;
      case 'ERROR':
        this.stats.lastError = `peer says ${String((env as Envelope<'ERROR'>).payload.reason)}: ${(env as Envelope<'ERROR'>).payload.detail ?? ''}`;
        return;
      default:
        this.owner.onData(this, env);
    }
  }

  private onHello(env: Envelope<'HELLO'>): void {
    const hello = env.payload;
    const common = hello.versions.find((v) => this.settings.versions.includes(v) && v === PROTOCOL_VERSION)
      ?? hello.versions.find((v) => this.settings.versions.includes(v));
    if (!common || common !== PROTOCOL_VERSION) {
      this.stats.handshakeFailures++;
      this.sendError('VERSION', `no common protocol version: peer offers ${hello.versions.join(', ')}, Guardian speaks ${this.settings.versions.join(', ')}`);
      this.close('VERSION');
      return;
    }
    const answer = this.owner.onHello(this, hello, common);
    if ('refuse' in answer) {
      this.stats.handshakeFailures++;
      this.sendError('BAD_MESSAGE', answer.refuse);
      this.close('HELLO refused');
      return;
    }
    this.state = 'ready';
    this.version = common;
    this.sendControl('HELLO_ACK', {
      version: common,
      node_id: this.settings.node_id,
      last_seq_received: answer.last_seq_received,
      heartbeat_ms: this.settings.heartbeat_ms,
    });
  }

  private onHeartbeat(env: Envelope<'HEARTBEAT'>, now: number): void {
    const hb = env.payload;
    if (hb.echo !== undefined) {
      const sent = this.pendingPings.get(hb.echo);
      if (sent !== undefined) {
        this.pendingPings.delete(hb.echo);
        this.stats.recordRtt(now - sent);
        this.stats.recordPing(true);
      }
    }
    if (hb.ping_id !== undefined) this.sendControl('HEARTBEAT', { echo: hb.ping_id });
  }

  private refuse(reason: ReasonCode, detail: string, header?: Partial<Header>, text?: string): void {
    this.stats.recordBadInput(reason);
    this.stats.lastError = `${reason}: ${detail}`;
    this.sendError(reason, detail, header?.message_id);
    this.owner.onBadInput(this, reason, detail, header, text);
  }

  // ---- outbound ------------------------------------------------------------------------

  sendData(frames: OutboundFrame[]): void {
    for (const f of frames) this.conn.send(f.frame);
  }

  sendAck(seq: number): void {
    if (this.state === 'ready') this.sendControl('ACK', { ack_seq: seq });
  }

  sendError(reason: ReasonCode | string, detail: string, ref_message_id?: string): void {
    this.sendControl('ERROR', { reason, detail, ...(ref_message_id ? { ref_message_id } : {}) });
  }

  sendControl(type: MessageType, payload: object): void {
    if (this.closed) return;
    if (this.state === 'legacy') {
      if (type === 'ERROR' || type === 'HEARTBEAT') this.conn.send(encodeFrame(encodeLegacyMessage({ message_type: type, message_id: this.controlId(), timestamp: new Date().toISOString(), payload, source: 'GUARDIAN' })));
      return;
    }
    const header: Header = {
      version: PROTOCOL_VERSION,
      timestamp: new Date().toISOString(),
      message_id: this.controlId(),
      message_type: type,
      source: 'GUARDIAN',
      destination: this.peerRole,
      stream: this.settings.node_id,
      seq: 0,
    };
    this.conn.send(encodeFramedMessage(header, payload, { hmac: this.settings.hmac }));
  }

  peerRole: 'EA' | 'SIGNAL' = 'EA';

  private controlId(): string {
    return `${this.settings.node_id}-c${(++controlCounter).toString(36)}`;
  }

  tick(now_ms: number): void {
    if (this.closed) return;
    if (this.state === 'awaiting_hello') {
      if (now_ms - this.opened_ms > this.settings.hello_timeout_ms) {
        this.stats.handshakeFailures++;
        this.stats.lastError = `no HELLO within ${this.settings.hello_timeout_ms} ms`;
        this.close('HELLO timeout');
      }
      return;
    }
    if (this.state !== 'ready') return;
    // Pings not echoed within the silence window count as dropped.
    const giveUp = this.settings.heartbeat_ms * this.settings.silent_heartbeats;
    for (const [id, sent] of this.pendingPings) {
      if (now_ms - sent > giveUp) {
        this.pendingPings.delete(id);
        this.stats.recordPing(false);
      }
    }
    if (now_ms >= this.nextPing_ms) {
      this.nextPing_ms = now_ms + this.settings.heartbeat_ms;
      const ping_id = (++controlCounter).toString(36);
      this.pendingPings.set(ping_id, now_ms);
      this.sendControl('HEARTBEAT', { ping_id, t0: Math.round(now_ms) });
    }
  }

  close(reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.conn.close(reason);
  }

  /** The connection went away (either side). */
  onConnectionClosed(reason: string): void {
    this.state = 'closed';
    this.stats.disconnects++;
    if (reason !== 'closed by peer') this.stats.lastError = reason;
    this.owner.onClosed(this, reason);
  }

  /** Frame-level errors come from the connection before any decoding. */
  onFrameError(reason: 'FRAME_SIZE' | 'FRAME_TIMEOUT', detail: string): void {
    this.stats.recordBadInput(reason);
    this.stats.lastError = `${reason}: ${detail}`;
    if (reason === 'FRAME_SIZE') this.sendError('FRAME_SIZE', detail);
    this.owner.onBadInput(this, reason, detail);
  }
}
