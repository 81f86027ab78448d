// Test support: a minimal Guardian written from PROTOCOL.md alone (HELLO_ACK, ACK, echo, resend
// after HELLO, the spool files), with knobs to misbehave: withhold ACKs, lose messages, inject
// duplicates and gaps, drop connections. It keeps its state in memory, so a client restarted
// against it sees the same Guardian.
import { createServer, type Server, type Socket } from 'node:net';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  decodeMessage, decodeSpoolLine, encodeFramedMessage, encodeSpoolLine, FrameDecoder, messageId, parseSpoolFileName,
  PROTOCOL_VERSION, spoolFileName,
  type Envelope, type Header, type MessageType, type PathName, type Role,
} from '../../../src-shared/protocol';

export interface Arrival {
  node_id: string;
  seq: number;
  path: PathName;
  verdict: 'stored' | 'duplicate' | 'gap' | 'lost';
}

interface PeerState {
  role: Role;
  lastSeq: number;
  received: Envelope[];
  outSeq: number;
  outbox: Map<number, { type: MessageType; payload: unknown }>;
  ackedByPeer: number;
  conns: Map<PathName, Conn>;
  spool: boolean;
}

interface Conn {
  path: PathName;
  socket: Socket;
  decoder: FrameDecoder;
  node_id?: string;
}

export interface FakeGuardianOptions {
  /** Holds the pipe's socket file and, when `spool`, the spool root (dir/spool). */
  dir: string;
  node_id?: string;
  heartbeat_ms?: number;
  spool?: boolean;
}

export class FakeGuardian {
  readonly node_id: string;
  readonly heartbeat_ms: number;
  readonly pipePath: string;
  readonly spoolDir: string;
  socketPort = 0;
  readonly arrivals: Arrival[] = [];
  readonly hellos: { node_id: string; last_seq_received: number; path: PathName }[] = [];
  readonly badInput: { reason: string; path: PathName }[] = [];
  /** Store but do not acknowledge. */
  holdAcks = false;
  /** Messages past this seq are lost on arrival (not stored, not acknowledged). */
  loseAfter: number | undefined;
  private readonly peers = new Map<string, PeerState>();
  private readonly servers: Server[] = [];
  private readonly conns = new Set<Conn>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly spoolSeen = new Map<string, string>();
  private pingCounter = 0;
  /** What our spool heartbeat and ack file have said (the heartbeat acknowledges too). */
  private spoolAcked = 0;
  private ctl = 0;

  private constructor(private readonly opts: FakeGuardianOptions) {
    this.node_id = opts.node_id ?? 'guardian-test';
    this.heartbeat_ms = opts.heartbeat_ms ?? 100;
    this.pipePath = join(opts.dir, 'guardian-bridge.sock');
    this.spoolDir = join(opts.dir, 'spool');
  }

  static async start(opts: FakeGuardianOptions): Promise<FakeGuardian> {
    const g = new FakeGuardian(opts);
    await g.listen();
    return g;
  }

  get socketAddress(): { host: string; port: number } {
    return { host: '127.0.0.1', port: this.socketPort };
  }

  private async listen(): Promise<void> {
    mkdirSync(this.opts.dir, { recursive: true });
    const tcp = createServer((s) => this.accept(s, 'socket'));
    await new Promise<void>((r) => tcp.listen({ host: '127.0.0.1', port: 0 }, r));
    this.socketPort = (tcp.address() as { port: number }).port;
    const pipe = createServer((s) => this.accept(s, 'pipe'));
    if (existsSync(this.pipePath)) unlinkSync(this.pipePath);
    await new Promise<void>((r) => pipe.listen(this.pipePath, r));
    this.servers.push(tcp, pipe);
    this.timers.push(setInterval(() => this.pingAll(), this.heartbeat_ms));
    if (this.opts.spool) {
      mkdirSync(join(this.spoolDir, 'from_ea'), { recursive: true });
      mkdirSync(join(this.spoolDir, 'to_ea'), { recursive: true });
      this.timers.push(setInterval(() => this.pollSpool(), 20));
    }
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    for (const c of this.conns) c.socket.destroy();
    await Promise.all(this.servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }

  // ---- what tests read -----------------------------------------------------------------------

  /** The peer's data messages as handed over: exactly once, in order. */
  received(node_id: string): Envelope[] {
    return this.peers.get(node_id)?.received ?? [];
  }
  lastSeq(node_id: string): number {
    return this.peers.get(node_id)?.lastSeq ?? 0;
  }
  /** What the peer acknowledged of our stream to it. */
  peerAcked(node_id: string): number {
    return this.peers.get(node_id)?.ackedByPeer ?? 0;
  }
  connectedPaths(node_id: string): PathName[] {
    return [...(this.peers.get(node_id)?.conns.keys() ?? [])];
  }

  // ---- what tests do -------------------------------------------------------------------------

  /** Sends a data message on our stream to the peer (on its newest connection, else the spool). */
  send(node_id: string, type: MessageType, payload: unknown): number {
    const p = this.peer(node_id, 'EA');
    const seq = ++p.outSeq;
    p.outbox.set(seq, { type, payload });
    this.sendSeq(node_id, seq, type, payload);
    return seq;
  }

  /** Puts a message with any seq on the wire, unrecorded: duplicates and gaps. */
  sendSeq(node_id: string, seq: number, type: MessageType, payload: unknown, path?: PathName): void {
    const p = this.peer(node_id, 'EA');
    const header = this.header(node_id, p.role, type, seq);
    const conn = path ? p.conns.get(path) : [...p.conns.values()].pop();
    if (conn) conn.socket.write(encodeFramedMessage(header, payload));
    else if (p.spool) this.writeSpool(seq, [encodeSpoolLine(header, payload)]);
  }

  /** Closes every connection on a path (Guardian's side of a broken cable). */
  dropConnections(path: PathName): void {
    for (const c of this.conns) if (c.path === path) c.socket.destroy();
  }

  // ---- framed paths --------------------------------------------------------------------------

  private accept(socket: Socket, path: PathName): void {
    const conn: Conn = { path, socket, decoder: new FrameDecoder() };
    this.conns.add(conn);
    socket.on('data', (chunk: Buffer) => {
      const { frames, error } = conn.decoder.push(chunk);
      for (const f of frames) this.onFrame(conn, f);
      if (error) {
        this.badInput.push({ reason: 'FRAME_SIZE', path });
        socket.destroy();
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.conns.delete(conn);
      const p = conn.node_id ? this.peers.get(conn.node_id) : undefined;
      if (p?.conns.get(path) === conn) p.conns.delete(path);
    });
  }

  private onFrame(conn: Conn, body: Uint8Array): void {
    const d = decodeMessage(body);
    if (!d.ok) {
      this.badInput.push({ reason: d.reason, path: conn.path });
      this.control(conn, 'ERROR', { reason: d.reason, detail: d.detail });
      return;
    }
    const env = d.envelope;
    const h = env.header;
    if (h.message_type === 'HELLO') {
      const hello = (env as Envelope<'HELLO'>).payload;
      const p = this.peer(hello.node_id, hello.role);
      conn.node_id = hello.node_id;
      p.conns.set(conn.path, conn);
      this.hellos.push({ node_id: hello.node_id, last_seq_received: hello.last_seq_received, path: conn.path });
      p.ackedByPeer = Math.max(p.ackedByPeer, hello.last_seq_received);
      this.control(conn, 'HELLO_ACK', { version: PROTOCOL_VERSION, node_id: this.node_id, last_seq_received: p.lastSeq, heartbeat_ms: this.heartbeat_ms });
      // PROTOCOL.md 5.3: resend everything after what the peer holds, on this path.
      for (const [seq, m] of p.outbox) {
        if (seq > hello.last_seq_received) conn.socket.write(encodeFramedMessage(this.header(hello.node_id, p.role, m.type, seq), m.payload));
      }
      return;
    }
    if (!conn.node_id) return;
    const p = this.peers.get(conn.node_id)!;
    switch (h.message_type) {
      case 'HEARTBEAT': {
        const ping = (env as Envelope<'HEARTBEAT'>).payload.ping_id;
        if (ping !== undefined) this.control(conn, 'HEARTBEAT', { echo: ping });
        return;
      }
      case 'ACK':
        p.ackedByPeer = Math.max(p.ackedByPeer, (env as Envelope<'ACK'>).payload.ack_seq);
        return;
      case 'ERROR':
        return;
      default: {
        const ack = this.onData(conn.node_id, env, conn.path);
        if (ack !== null) this.control(conn, 'ACK', { ack_seq: ack });
      }
    }
  }

  /** Sequencing of PROTOCOL.md 5.2; returns the ACK to send, or null. */
  private onData(node_id: string, env: Envelope, path: PathName): number | null {
    const p = this.peers.get(node_id)!;
    const seq = env.header.seq;
    const note = (verdict: Arrival['verdict']) => this.arrivals.push({ node_id, seq, path, verdict });
    if (seq <= p.lastSeq) {
      note('duplicate');
      return p.lastSeq;
    }
    if (seq > p.lastSeq + 1) {
      note('gap');
      return p.lastSeq;
    }
    if (this.loseAfter !== undefined && seq > this.loseAfter) {
      note('lost');
      return null;
    }
    note('stored');
    p.lastSeq = seq;
    p.received.push(env);
    return this.holdAcks ? null : seq;
  }

  private pingAll(): void {
    for (const c of this.conns) if (c.node_id) this.control(c, 'HEARTBEAT', { ping_id: `g${++this.pingCounter}`, t0: Date.now() });
  }

  private control(conn: Conn, type: MessageType, payload: unknown): void {
    const role = conn.node_id ? (this.peers.get(conn.node_id)?.role ?? 'EA') : 'EA';
    const header: Header = { ...this.header(conn.node_id ?? 'unknown', role, type, 0), message_id: `${this.node_id}-c${++this.ctl}` };
    if (!conn.socket.destroyed) conn.socket.write(encodeFramedMessage(header, payload));
  }

  private header(_node: string, role: Role, type: MessageType, seq: number): Header {
    return {
      version: PROTOCOL_VERSION, timestamp: new Date().toISOString(), message_id: messageId(this.node_id, seq || ++this.ctl),
      message_type: type, source: 'GUARDIAN', destination: role, stream: this.node_id, seq,
    };
  }

  private peer(node_id: string, role: Role): PeerState {
    let p = this.peers.get(node_id);
    if (!p) {
      p = { role, lastSeq: 0, received: [], outSeq: 0, outbox: new Map(), ackedByPeer: 0, conns: new Map(), spool: false };
      this.peers.set(node_id, p);
    }
    return p;
  }

  // ---- spool ---------------------------------------------------------------------------------

  private pollSpool(): void {
    const from = join(this.spoolDir, 'from_ea');
    const to = join(this.spoolDir, 'to_ea');
    const hb = readHeartbeat(join(from, 'heartbeat'));
    if (!hb) return;
    const p = this.peer(hb.node_id, 'EA');
    p.spool = true;
    p.ackedByPeer = Math.max(p.ackedByPeer, hb.last_seq_received);
    for (const name of readdirSync(from).filter((n) => parseSpoolFileName(n)?.ext === 'csv').sort()) {
      const file = join(from, name);
      let key: string;
      let text: string;
      try {
        const st = statSync(file);
        key = `${st.mtimeMs}:${st.size}`;
        if (this.spoolSeen.get(name) === key) continue;
        text = readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      this.spoolSeen.set(name, key);
      for (const line of text.split('\n')) {
        if (!line) continue;
        const d = decodeSpoolLine(line);
        if (!d.ok) this.badInput.push({ reason: d.reason, path: 'spool' });
        else this.onData(hb.node_id, d.envelope, 'spool');
      }
    }
    if (!this.holdAcks) {
      this.spoolAcked = p.lastSeq;
      atomicWrite(join(from, 'ack'), String(p.lastSeq));
    }
    try {
      p.ackedByPeer = Math.max(p.ackedByPeer, Number(readFileSync(join(to, 'ack'), 'utf8')));
    } catch {
      // no ack yet
    }
    atomicWrite(join(to, 'heartbeat'), JSON.stringify({ node_id: this.node_id, role: 'GUARDIAN', last_seq_received: this.spoolAcked, ts: new Date().toISOString() }));
  }

  /** Writes lines to to_ea as one file: .tmp, then renamed to .csv. */
  writeSpool(firstSeq: number, lines: string[]): void {
    const to = join(this.spoolDir, 'to_ea');
    writeFileSync(join(to, spoolFileName(firstSeq, 'tmp')), lines.join('\n') + '\n');
    renameSync(join(to, spoolFileName(firstSeq, 'tmp')), join(to, spoolFileName(firstSeq, 'csv')));
  }

  /** Stops writing our spool heartbeat for a while by making it look old. */
  spoolHeartbeatFile(): string {
    return join(this.spoolDir, 'to_ea', 'heartbeat');
  }
}

function readHeartbeat(file: string): { node_id: string; last_seq_received: number } | null {
  try {
    if (Date.now() - statSync(file).mtimeMs > 3000) return null;
    return JSON.parse(readFileSync(file, 'utf8')) as { node_id: string; last_seq_received: number };
  } catch {
    return null;
  }
}

function atomicWrite(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}
