// The failover router: per peer, the healthiest path in priority order; durable outbox and
// inbox with exactly-once, in-order hand-off (PROTOCOL.md 5); every switch an event with its
// reason for the control plane. Held signals (their release, expiry and the void of queued
// entries) are held-signals.ts's, through the router's batch.
import {
  encodeFrame, encodeFramedMessage, encodeLegacyMessage, messageId, PATH_PRIORITY, PROTOCOL_VERSION,
  type Envelope, type Header, type HelloPayload, type HmacFn, type MessageType, type PathName, type ReasonCode,
  type Role, type SignalPayload, type SignalTier,
} from '../../../src-shared/protocol';
import type { Db, GroupCommit } from '../store';
import type { Clock } from '../clock';
import type { PathLink } from './link';
import { Peer } from './peer';
import { Batch, bodyOf, RouterStore } from './router-store';
import { expireEntries, HeldSignals, isNewEntry, RELEASING, type QueuedJudge } from './held-signals';
import { InboundSequence, OutboundQueue } from './streams';
import type { StreamLink } from './stream-link';
import { RouterEvents, type RouterEvent } from './events';
import { SignalDesk, type SignalDecision } from './signal-desk';

/** How a force is kept across a restart: lapsing after `expires_in_s` (none: it does not), or at a time already set. */
export type KeepForce = { expires_in_s: number | undefined } | { until_wall_ms: number | null };

export interface RouterOptions {
  node_id: string;
  window: number;
  resend_timeout_ms: number;
  switchback_healthy_ms: number;
  dual_write: boolean;
  signal_tier: SignalTier;
  no_route_hold_s: number;
  outbox_retention_s: number;
  inbox_retention_s: number;
  hmac?: HmacFn;
  /**
   * Held signals a release sends per batch; the next batch follows once this one is stored
   * (default 10,000). A void of queued signals takes as many, at most VOID_CHUNK.
   */
  release_chunk?: number;
}

/** A kept forced path lifts itself this long after its expiry (the console's timer, when it runs, is first). */
const FORCE_LAPSE_GRACE_MS = 1000;
export class Router {
  readonly peers = new Map<string, Peer>();
  readonly events = new RouterEvents();
  readonly store: RouterStore;
  readonly signals: SignalDesk;
  private readonly held: HeldSignals;
  private batch = new Batch();
  private batchQueued = false;
  private legacySeq = 0;
  storeFailures = 0;
  private tickDue: ReturnType<typeof setImmediate> | null = null;
  private disposed = false;

  constructor(
    db: Db,
    private readonly commit: GroupCommit,
    readonly opts: RouterOptions,
    private readonly clock: Clock,
  ) {
    this.store = new RouterStore(db);
    this.openHeld = this.store.heldCount();
    this.signals = new SignalDesk(opts.signal_tier);
    this.held = new HeldSignals({
      store: this.store, signals: this.signals, events: this.events, opts,
      eaPeers: () => this.eaPeers(), open: () => this.open(), pump: (peer) => this.pump(peer),
      queueOutbound: (b, peer, type, payload, originStream, originSeq) => this.queueOutbound(b, peer, type, payload, originStream, originSeq),
      tellOrigin: (node_id, reason, ref, detail) => this.tellOrigin(node_id, reason, ref, detail),
    });
    for (const p of this.store.knownPeers()) {
      if (p.legacy) continue; // a legacy peer has no stream to resume
      const peer = this.peerFor(p.node_id, p.role as 'EA' | 'SIGNAL', (p.tier ?? undefined) as SignalTier | undefined);
      if (p.forced_path && (PATH_PRIORITY as readonly string[]).includes(p.forced_path)) {
        // An operator's force outlives a restart; it applies once its path is up again.
        peer.forcedPath = p.forced_path as PathName;
        peer.forcedBy = p.forced_by;
        peer.forceKept = { until_wall_ms: p.forced_until_ms };
      }
    }
  }

  now_ms(): number {
    return this.clock.now_ms();
  }

  // ---- peers and links ---------------------------------------------------------------------

  private eaCache: Peer[] | undefined;
  /** The EAs signals go to: every EA Guardian knows (cached: asked once per signal). */
  private eaPeers(): Peer[] {
    return (this.eaCache ??= [...this.peers.values()].filter((p) => p.role === 'EA'));
  }

  private peerFor(node_id: string, role: Exclude<Role, 'GUARDIAN'>, tier: SignalTier | undefined): Peer {
    let peer = this.peers.get(node_id);
    if (peer) return peer;
    this.eaCache = undefined;
    const out = this.store.streamOut(node_id);
    const outbound = new OutboundQueue(
      { nextSeq: out.next_seq, ackedSeq: out.acked_seq },
      (after, limit) => this.store.loadFrames(node_id, after, limit),
    );
    peer = new Peer(node_id, role, tier, new InboundSequence(this.store.streamIn(node_id)), outbound);
    this.peers.set(node_id, peer);
    return peer;
  }

  /** A peer said HELLO on a link. Returns what Guardian has stored of the peer's stream. */
  onHello(link: StreamLink, hello: HelloPayload): { last_seq_received: number } | { refuse: string } {
    const known = this.peers.get(hello.node_id);
    if (known && known.role !== hello.role) {
      return { refuse: `node_id ${hello.node_id} is already known as ${known.role}; a peer cannot change role` };
    }
    if (hello.role === 'SIGNAL' && !hello.tier) return { refuse: 'a SIGNAL peer must say its tier (primary, cached, heuristic)' };
    const peer = this.peerFor(hello.node_id, hello.role, hello.tier);
    if (hello.tier) peer.tier = hello.tier;
    link.peerId = peer.node_id;
    link.peerRole = peer.role;
    this.attach(peer, link);
    const now = this.now_ms();
    this.store.upsertPeer(peer.node_id, peer.role, peer.tier ?? null, false, now);
    // The peer's last_seq_received is an ACK; the resend starts after it (PROTOCOL.md 5.3).
    peer.outbound.ack(hello.last_seq_received, now);
    this.greeted(peer, link);
    // The HELLO_ACK leaves first; only then may data follow on this link.
    queueMicrotask(() => {
      if (peer.activePath === link.path) this.rewindAndPump(peer, `${link.path} re-greeted`);
      this.choosePath(peer, `${link.path} connected`);
      if (peer.role === 'EA') this.releaseNoRoute();
    });
    this.events.emit({ type: 'peer_connected', peer: peer.node_id, role: peer.role, tier: peer.tier ?? null, path: link.path, legacy: false });
    return { last_seq_received: this.ackMark(peer) };
  }

  /** The EA's spool heartbeat file greets like a HELLO: it names the EA and where to resume. */
  onSpoolHello(link: PathLink & { peerId: string | undefined }, node_id: string, lastSeqReceived: number): void {
    const known = this.peers.get(node_id);
    if (known && known.role !== 'EA') return;
    const peer = this.peerFor(node_id, 'EA', undefined);
    link.peerId = node_id;
    this.attach(peer, link);
    const now = this.now_ms();
    this.store.upsertPeer(node_id, 'EA', null, false, now);
    peer.outbound.ack(lastSeqReceived, now);
    this.greeted(peer, link);
    this.events.emit({ type: 'peer_connected', peer: node_id, role: 'EA', tier: null, path: 'spool', legacy: false });
    this.choosePath(peer, 'spool connected');
    this.releaseNoRoute();
  }

  /**
   * A peer said where it stands (HELLO, or the spool's heartbeat). What waits for an EA past what it
   * stored is judged before anything is resent (held-signals.ts voids what is found against):
   * - while new entries are refused (SAFE_MODE), every new entry: it never acts on them;
   * - back from away (no other link of its was up), as a signal held for want of an EA is at its
   *   release (`atReturn`): the entries queued for it went into its stream when they passed, and
   *   whatever held or moved since must not be skipped because they were already queued.
   */
  private greeted(peer: Peer, link: PathLink): void {
    peer.greeted = true;
    if (peer.role !== 'EA' || peer.legacy) return;
    // What was written on another link still up may yet arrive there: only what was never written goes.
    const o = peer.outbound;
    const otherUp = [...peer.links.values()].some((l) => l !== link && !l.closed);
    const from = otherUp ? Math.max(o.acked, o.sent) : o.acked;
    const refused = this.signals.entriesRefused?.();
    if (refused) {
      this.held.voidQueued(expireEntries(`${refused}: a new entry the EA had not received, voided at its return`), this.toldVoided(peer), { peer, from });
      return;
    }
    if (!otherUp && o.next > from + 1) this.held.voidQueued(this.atReturn(peer), this.toldVoided(peer), { peer, from });
  }

  /** How many a void at an EA's return took back, for the operator's timeline (none: nothing said). */
  private toldVoided(peer: Peer): (voided: number) => void {
    return (voided) => {
      if (voided > 0) this.events.emit({ type: 'queued_voided', peer: peer.node_id, voided });
    };
  }

  /**
   * A new entry queued for an EA that was away, at its return: voided while new entries are held
   * (a held one would have expired by its time to live; this one cannot be held in its stream's
   * place), past no_route_hold_s (what one held for want of an EA may wait), or when the market
   * checks refuse it now (its price against the quote now, the lots open now). Otherwise it goes.
   */
  private atReturn(peer: Peer): QueuedJudge {
    const held = this.signals.entriesHeld?.() ?? null;
    const now = Date.now();
    const maxWait_ms = this.opts.no_route_hold_s * 1000;
    return (signal, queued) => {
      if (!isNewEntry(signal)) return null; // CLOSE and MODIFY are always managed
      const waited_s = Math.max(0, Math.round((now - queued.created_ms) / 1000));
      if (held) return { reason: 'SIGNAL_EXPIRED', why: `${held}: a new entry queued ${waited_s} s for the EA while it was away, voided at its return` };
      if (now - queued.created_ms > maxWait_ms) {
        return { reason: 'SIGNAL_EXPIRED', why: `queued ${waited_s} s for the EA while it was away, over no_route_hold_s ${this.opts.no_route_hold_s}: voided at its return` };
      }
      const refusal = queued.origin_stream === null ? undefined : this.signals.admittedCheck?.(signal, queued.origin_stream);
      return refusal ? { reason: refusal.reason, why: `${refusal.detail} (checked at ${peer.node_id}'s return)` } : null;
    };
  }

  /** Attaches a greeted link (stream or spool) to its peer, replacing an older one on that path. */
  attach(peer: Peer, link: PathLink): void {
    const old = peer.links.get(link.path);
    // The new link takes the path first, so the old one's close is not mistaken for the path going down.
    peer.links.set(link.path, link);
    if (old && old !== link) old.close('replaced by a newer connection on the same path');
    const stats = peer.statsFor(link.path);
    (link as { stats: typeof stats }).stats = stats;
    stats.connects++;
    const conn = (link as Partial<StreamLink>).conn;
    if (conn) conn.onDrain = () => this.pump(peer);
  }

  onLinkClosed(link: PathLink, peerId: string | undefined, reason: string): void {
    const peer = peerId ? this.peers.get(peerId) : undefined;
    if (!peer || peer.links.get(link.path) !== link) return;
    peer.links.delete(link.path);
    this.events.emit({ type: 'peer_disconnected', peer: peer.node_id, path: link.path, reason });
    if (peer.activePath === link.path) this.choosePath(peer, `${link.path} down (${reason})`);
    if (peer.role === 'EA') this.updateBackpressure(); // an EA away no longer holds intake back
  }

  /** A 1.0 peer: best effort, no sequence, reported as legacy (PROTOCOL.md 8). */
  onLegacy(link: StreamLink, env: Envelope): void {
    let peer = link.peerId ? this.peers.get(link.peerId) : undefined;
    if (!peer) {
      const role = env.header.source === 'SIGNAL' ? 'SIGNAL' : 'EA';
      const id = `legacy-${role.toLowerCase()}-${link.conn.id}`;
      peer = this.peerFor(id, role, role === 'SIGNAL' ? 'primary' : undefined);
      peer.legacy = true;
      link.peerId = id;
      link.peerRole = role;
      this.attach(peer, link);
      this.store.upsertPeer(id, role, peer.tier ?? null, true, this.now_ms());
      this.events.emit({ type: 'peer_connected', peer: id, role, tier: peer.tier ?? null, path: link.path, legacy: true });
      queueMicrotask(() => this.choosePath(peer!, `${link.path} connected (legacy 1.0)`));
    }
    const t = env.header.message_type;
    if (t === 'HEARTBEAT') {
      const ping = (env as Envelope<'HEARTBEAT'>).payload.ping_id;
      if (ping !== undefined) link.sendControl('HEARTBEAT', { echo: ping });
      return;
    }
    if (t === 'ACK' || t === 'HELLO' || t === 'HELLO_ACK' || t === 'ERROR') return;
    // No seq to deduplicate with: stored under a local sequence, handed over once as received.
    const seq = ++this.legacySeq + Date.now() * 1000;
    this.handOver(peer, link, { ...env, header: { ...env.header, stream: peer.node_id, seq } }, false);
  }

  // ---- inbound data --------------------------------------------------------------------------

  onData(link: PathLink, peerId: string, env: Envelope): void {
    const peer = this.peers.get(peerId);
    if (!peer) return;
    const seq = env.header.seq;
    if (env.header.stream !== peer.node_id) {
      this.onBadInput(link, peerId, 'BAD_MESSAGE', `stream ${env.header.stream} is not this peer's (${peer.node_id})`, env.header);
      return;
    }
    const verdict = peer.inbound.classify(seq);
    if (verdict !== 'next') {
      // A duplicate is acknowledged again; a gap is answered with the last in-order seq (go-back-N).
      link.sendAck(this.ackMark(peer));
      return;
    }
    peer.inbound.accept(seq);
    peer.received++;
    peer.lastDataLink = link;
    this.handOver(peer, link, env, true);
  }

  /** The application's one hand-off of an in-order message, inside the batch that stores it. */
  private handOver(peer: Peer, link: PathLink, env: Envelope, sequenced: boolean): void {
    const b = this.open();
    const h = env.header;
    if (sequenced) b.streamsIn.set(peer.node_id, h.seq);
    if (h.message_type === 'SIGNAL' && peer.role === 'SIGNAL') {
      this.routeSignal(b, peer, env as Envelope<'SIGNAL'>);
    } else {
      b.inbox.push({ stream: peer.node_id, seq: h.seq, message_id: h.message_id, message_type: h.message_type, payload: JSON.stringify(env.payload), path: link.path });
    }
    if (sequenced) b.inboundPeers.add(peer);
    if (h.message_type !== 'SIGNAL') b.messages.push({ peer, path: link.path, env });
  }

  private routeSignal(b: Batch, from: Peer, env: Envelope<'SIGNAL'>): void {
    const signal: SignalPayload = env.payload.tier !== undefined || from.tier === undefined ? env.payload : { ...env.payload, tier: from.tier };
    const decision: SignalDecision = this.signals.decide(signal, from);
    const targets = this.eaPeers();
    if (decision.action === 'route' && targets.length === 0) {
      this.held.hold(b, env, signal, 'NO_ROUTE', this.opts.no_route_hold_s);
      return;
    }
    if (decision.action === 'route' && this.held.releaseRunning) {
      this.held.hold(b, env, signal, RELEASING, this.opts.no_route_hold_s);
      return;
    }
    if (decision.action === 'hold') {
      this.held.hold(b, env, signal, decision.reason, decision.ttl_s);
      return;
    }
    if (decision.action === 'refuse') {
      // Stored (so ACKed) and kept with its reason; the signal service is told why (PROTOCOL.md 7).
      b.held.push({ message_id: env.header.message_id, origin_stream: from.node_id, origin_seq: env.header.seq, payload: JSON.stringify(signal), reason: decision.reason, expires_ms: null, refused: true });
      b.after.push((err) => {
        if (err) return;
        this.tellOrigin(from.node_id, decision.reason, env.header.message_id, decision.detail);
        this.events.emit({ type: 'signal_refused', peer: from.node_id, signal_id: signal.signal_id, reason: decision.reason, detail: decision.detail, message_id: env.header.message_id, signal });
      });
      return;
    }
    if (decision.action === 'shadow') {
      // Kept for the record (and for a switch of tier), not routed: another tier is active.
      b.inbox.push({ stream: from.node_id, seq: env.header.seq, message_id: env.header.message_id, message_type: 'SIGNAL', payload: JSON.stringify(signal), path: 'shadow' });
      return;
    }
    // A routed signal's record is its outbox row (origin stream and seq, and the body sent).
    for (const ea of targets) this.queueOutbound(b, ea, 'SIGNAL', signal, from.node_id, env.header.seq);
  }

  /** A release is running (its next chunk follows once the last is stored). */
  get releaseRunning(): boolean {
    return this.held.releaseRunning;
  }

  /** Held signals of `reason` (all: undefined) to every EA, oldest first (held-signals.ts). Returns how many were open. */
  releaseHeld(reason?: string): number {
    return this.held.releaseHeld(reason);
  }

  /** Held signals past their time to live, or all of `reason` now (held-signals.ts). Returns how many expired. */
  expireHeld(reason?: string, opts: { only?: (signal: SignalPayload) => boolean; why?: string } = {}): number {
    return this.held.expireHeld(reason, opts);
  }

  /** Queued new entries not yet sent to an EA, voided in their stream, their services told SIGNAL_EXPIRED with `why` (held-signals.ts). */
  voidQueuedEntries(why: string, done?: (voided: number) => void): void {
    this.held.voidQueued(expireEntries(why), done);
  }

  /** Sends ERROR to a signal's origin, on its best link, if it is connected. */
  private tellOrigin(node_id: string, reason: string, ref_message_id: string, detail: string): void {
    const peer = this.peers.get(node_id);
    const link = peer?.activeLink ?? (peer ? [...peer.links.values()][0] : undefined);
    if (link && 'sendError' in link) (link as StreamLink).sendError(reason, detail, ref_message_id);
  }

  private releaseNoRoute(): void {
    this.releaseHeld('NO_ROUTE');
  }

  // ---- outbound --------------------------------------------------------------------------------

  /** Stores a message for a peer; it is sent once stored. Resolves with its seq. */
  send(peerId: string, type: MessageType, payload: object): Promise<number> {
    const peer = this.peers.get(peerId);
    if (!peer) return Promise.reject(new Error(`unknown peer ${peerId}`));
    return new Promise((resolve, reject) => {
      const b = this.open();
      const seq = this.queueOutbound(b, peer, type, payload, null, null);
      b.after.push((err) => (err ? reject(err) : resolve(seq)));
    });
  }

  private queueOutbound(b: Batch, peer: Peer, type: MessageType, payload: object, originStream: string | null, originSeq: number | null): number {
    const seq = peer.outbound.allocate();
    const header: Header = {
      version: PROTOCOL_VERSION,
      timestamp: b.timestamp,
      message_id: messageId(`${this.opts.node_id}.${peer.node_id}`, seq),
      message_type: type,
      source: 'GUARDIAN',
      destination: peer.role,
      stream: this.opts.node_id,
      seq,
    };
    const frame = peer.legacy
      ? encodeFrame(encodeLegacyMessage({ message_type: type, message_id: header.message_id, timestamp: header.timestamp, payload, source: 'GUARDIAN' }))
      : encodeFramedMessage(header, payload, { hmac: this.opts.hmac });
    const body = bodyOf(frame);
    b.outbox.push({ peer: peer.node_id, seq, message_id: header.message_id, message_type: type, body, origin_stream: originStream, origin_seq: originSeq });
    b.streamsOut.set(peer.node_id, { next_seq: seq + 1, acked_seq: peer.outbound.acked });
    // Per batch: a frame queued into the next batch while this one's callbacks run (an event
    // listener that sends) must wait for its own commit, not ride on this one's.
    let frames = b.frames.get(peer);
    if (!frames) {
      frames = [];
      b.frames.set(peer, frames);
      b.after.push((err) => {
        if (err) peer.outbound.rollback();
        else {
          peer.outbound.commit(frames!);
          peer.delivered += frames!.length;
        }
      });
    }
    frames.push({ seq, frame });
    return seq;
  }

  onAck(peerId: string, ackSeq: number): void {
    const peer = this.peers.get(peerId);
    if (!peer) return;
    const now = this.now_ms();
    // The ack latency probe (control plane): the timed message is acknowledged.
    const probe = peer.ackProbe;
    if (probe && ackSeq >= probe.seq) {
      peer.ackProbe = null;
      peer.lastAckLatency_ms = now - probe.sent_ms;
      peer.ackLatencySamples++;
    }
    if (peer.outbound.ack(ackSeq, now)) {
      this.pump(peer);
      if (this.backpressure) this.updateBackpressure();
    }
  }

  // ---- backpressure ----------------------------------------------------------------------------

  /**
   * On while an EA that is connected has more than 4 windows stored and unacknowledged; off again
   * at 2. While on, signal services' messages are still stored, but their ACKs wait: the
   * services' own windows fill and they pause, so a slow EA cannot make the outbox grow without
   * bound (it would outrun the in-memory frame cache and turn every send into a store read).
   * An EA that is away does not count: then Guardian stores for it, which is what the buffer is for.
   */
  private backpressure = false;
  /** The backlog of the EA furthest behind while intake is held; null when it is not. */
  get intakeHeldBacklog(): number | null {
    return this.backpressure ? (this.furthestBehind()?.outbound.unacked ?? 0) : null;
  }

  /** The connected EA with the most stored and unacknowledged (an EA that is away does not count). */
  private furthestBehind(): Peer | undefined {
    const now = this.now_ms();
    let behind: Peer | undefined;
    for (const ea of this.eaPeers()) {
      if (!ea.activeLink?.isUp(now)) continue;
      if (!behind || ea.outbound.unacked > behind.outbound.unacked) behind = ea;
    }
    return behind;
  }

  private updateBackpressure(): void {
    const behind = this.furthestBehind();
    const backlog = behind?.outbound.unacked ?? 0;
    if (!this.backpressure && backlog > 4 * this.opts.window) {
      this.backpressure = true;
      this.events.emit({ type: 'backpressure', on: true, ea: behind!.node_id, backlog });
    } else if (this.backpressure && backlog <= 2 * this.opts.window) {
      this.backpressure = false;
      this.events.emit({ type: 'backpressure', on: false, ea: behind?.node_id ?? '', backlog });
      for (const peer of this.peers.values()) {
        if (!peer.ackHeld) continue;
        peer.ackHeld = false;
        this.sendInboundAck(peer);
      }
    }
  }

  /** What an ACK of this peer's stream says: everything stored, unless intake is held. */
  private ackMark(peer: Peer): number {
    return peer.ackHeld ? peer.lastAckSent : peer.inbound.lastCommitted;
  }

  private sendInboundAck(peer: Peer): void {
    const link = peer.lastDataLink && !peer.lastDataLink.closed ? peer.lastDataLink : peer.activeLink;
    if (!link) return;
    peer.lastAckSent = peer.inbound.lastCommitted;
    link.sendAck(peer.lastAckSent);
  }

  /** Sends what the window allows on the active path (and the second one in dual-write). */
  pump(peer: Peer): void {
    const link = peer.activeLink;
    const now = this.now_ms();
    if (!link || !link.isUp(now)) return;
    const second = this.opts.dual_write ? peer.upLinks(now).find((l) => l !== link) : undefined;
    if (peer.outbound.inFlight === 0) peer.outbound.lastProgress_ms = now;
    while (link.canSend()) {
      const frames = peer.outbound.take(Math.min(this.opts.window, 2048));
      if (frames.length === 0) break;
      link.sendData(frames);
      second?.sendData(frames);
      if (!peer.ackProbe && !peer.legacy) peer.ackProbe = { seq: frames[frames.length - 1]!.seq, sent_ms: now };
      if (peer.legacy) peer.outbound.ack(peer.outbound.sent, now); // no ACKs in 1.0: best effort
      if (peer.outbound.inFlight >= this.opts.window) break;
    }
  }

  private rewindAndPump(peer: Peer, why: string): void {
    const resent = peer.outbound.inFlight;
    if (resent > 0 && peer.activePath) peer.statsFor(peer.activePath).resent += resent;
    peer.outbound.rewind();
    if (resent > 0) this.events.emit({ type: 'resend', peer: peer.node_id, from_seq: peer.outbound.acked + 1, count: resent, reason: why });
    this.pump(peer);
  }

  // ---- path choice -----------------------------------------------------------------------------

  /** Picks the peer's active path: forced if up, else the best up path, with switch-back hysteresis. */
  choosePath(peer: Peer, why: string): void {
    const now = this.now_ms();
    const up = peer.upLinks(now);
    for (const p of PATH_PRIORITY) {
      if (up.some((l) => l.path === p)) {
        if (!peer.upSince.has(p)) peer.upSince.set(p, now);
      } else peer.upSince.delete(p);
    }
    const current = peer.activePath;
    const currentUp = up.some((l) => l.path === current);
    let target: PathName | null = null;
    let reason = why;
    if (peer.forcedPath && up.some((l) => l.path === peer.forcedPath)) {
      target = peer.forcedPath;
      if (target !== current) reason = `forced by ${peer.forcedBy ?? 'the operator'}`;
    } else {
      for (const l of up) {
        if (l.path === current) {
          target = current;
          break;
        }
        const since = peer.upSince.get(l.path) ?? now;
        if (!currentUp || now - since >= this.opts.switchback_healthy_ms) {
          target = l.path;
          if (currentUp) reason = `${l.path} healthy for ${Math.round(now - since)} ms: switching back`;
          break;
        }
      }
    }
    if (target === current) return;
    peer.activePath = target;
    peer.lastSwitch = { ts_ms: Date.now(), from: current, to: target, reason };
    const b = this.open();
    b.events.push({ type: 'path_switch', peer: peer.node_id, path: target, detail: JSON.stringify({ from: current, to: target, reason }) });
    this.events.emit({ type: 'path_switch', peer: peer.node_id, from: current, to: target, reason });
    if (target) this.rewindAndPump(peer, `switched to ${target}`);
  }

  /**
   * The operator's forced switch (null clears it). Refused onto a path that is not up. `by` names
   * who forced it in the switch reason (the control plane passes its own name). `keep`: stored, so
   * that a restart keeps it (an operator's), with when it lapses by itself if it does.
   */
  forcePath(peerId: string | undefined, path: PathName | null, by = 'the operator', keep?: KeepForce): { ok: true } | { ok: false; error: string } {
    const targets = peerId ? [this.peers.get(peerId)].filter((p): p is Peer => !!p) : [...this.peers.values()].filter((p) => !p.legacy);
    if (targets.length === 0) return { ok: false, error: peerId ? `unknown peer ${peerId}` : 'no peers connected' };
    const now = this.now_ms();
    if (path) {
      const down = targets.filter((p) => !p.upLinks(now).some((l) => l.path === path)).map((p) => p.node_id);
      if (down.length > 0) return { ok: false, error: `the ${path} path is not up for ${down.join(', ')}; refusing to move traffic onto a dead path` };
    }
    for (const p of targets) {
      p.forcedPath = path;
      p.forcedBy = path ? by : null;
      const kept = path === null || keep === undefined ? null
        : 'expires_in_s' in keep ? { until_wall_ms: keep.expires_in_s ? this.clock.wall_ms() + keep.expires_in_s * 1000 : null } : keep;
      if (kept || p.forceKept) {
        try {
          this.store.keepForce(p.node_id, kept ? path : null, kept ? by : null, kept?.until_wall_ms ?? null);
        } catch {
          // the force holds in this process; only a restart would forget it (the store says why elsewhere)
        }
      }
      p.forceKept = kept;
      this.choosePath(p, path ? `forced to ${path}` : 'forced path cleared');
    }
    return { ok: true };
  }

  // ---- bad input, ticks ------------------------------------------------------------------------

  onBadInput(link: PathLink, peerId: string | undefined, reason: ReasonCode, detail: string, header?: Partial<Header>, text?: string): void {
    const b = this.open();
    b.deadLetters.push({ peer: peerId ?? null, path: link.path, reason, detail, message_id: header?.message_id ?? null, raw: text ? text.slice(0, 65_536) : null });
    // A schema-breaking message still consumes its seq, so one bad message never stalls a stream.
    const peer = peerId ? this.peers.get(peerId) : undefined;
    if (reason === 'BAD_MESSAGE' && peer && typeof header?.seq === 'number' && header.stream === peer.node_id && header.seq > 0) {
      if (peer.inbound.classify(header.seq) === 'next') {
        peer.inbound.accept(header.seq);
        b.streamsIn.set(peer.node_id, header.seq);
        peer.lastDataLink = link;
        b.inboundPeers.add(peer);
      }
    }
    this.events.emit({ type: 'bad_input', peer: peerId ?? null, path: link.path, reason, detail });
  }

  onSecurity(link: PathLink, peerId: string | undefined, detail: string): void {
    const b = this.open();
    b.events.push({ type: 'security', peer: peerId ?? null, path: link.path, detail });
    this.events.emit({ type: 'security', peer: peerId ?? null, path: link.path, detail });
  }

  /**
   * Every heartbeat interval: pings, silence, path choice, resend timeouts, judged once this turn
   * of the event loop has read what arrived. A timer comes due before the sockets are read: after
   * Guardian's own loop stalled (a long commit, a release), the tick ran first and found every
   * peer silent, with their heartbeats waiting unread, then failed over and called for a repair
   * of a path nothing was wrong with. setImmediate runs after the turn's reads.
   */
  tick(): void {
    if (this.tickDue) return;
    this.tickDue = setImmediate(() => {
      this.tickDue = null;
      if (!this.disposed) this.tickNow();
    });
  }

  private tickNow(): void {
    const now = this.now_ms();
    const wall = this.clock.wall_ms();
    for (const peer of this.peers.values()) {
      // A kept force lapses here too: the console's own timer for it did not outlive a restart.
      // A second late, so that in the same process that timer lifts it (in the operator's words).
      const until = peer.forceKept?.until_wall_ms;
      if (until != null && wall >= until + FORCE_LAPSE_GRACE_MS) {
        const { forcedPath: path, forcedBy: by } = peer;
        this.forcePath(peer.node_id, null, by ?? 'the operator');
        if (path) this.events.emit({ type: 'force_lapsed', peer: peer.node_id, path, by: by ?? 'the operator', until_wall_ms: until });
      }
      for (const l of peer.links.values()) l.tick(now);
      this.choosePath(peer, peer.activePath ? `${peer.activePath} silent` : 'a path came up');
      const o = peer.outbound;
      const wait_ms = o.resendWait_ms(this.opts.resend_timeout_ms);
      if (o.inFlight > 0 && now - o.lastProgress_ms > wait_ms) {
        o.lastProgress_ms = now;
        o.timeoutsInARow++;
        this.rewindAndPump(peer, `no ACK for ${wait_ms} ms`);
      } else if (o.sent < o.committed) this.pump(peer);
    }
    this.updateBackpressure();
  }

  /** Deletes acknowledged messages past retention, and old inbox rows. */
  prune(): void {
    this.expireHeld();
    const wall = Date.now();
    this.store.prune(
      // committed, not allocated: a seq reserved by a batch not yet stored must not be recorded as
      // used, or a crash before that batch commits leaves a hole no resend can fill.
      [...this.peers.values()].map((p) => ({ node_id: p.node_id, acked: p.outbound.acked, next: p.outbound.committed + 1 })),
      wall - this.opts.outbox_retention_s * 1000,
      wall - this.opts.inbox_retention_s * 1000,
    );
  }

  // ---- the batch -------------------------------------------------------------------------------

  /** The batch being filled; it is stored by the next group commit. */
  private open(): Batch {
    const b = this.batch;
    if (!this.batchQueued) {
      this.batchQueued = true;
      // The next message starts a new batch once this one is being written, or has failed
      // before its writes ran (a closed store): either way the router never stops committing.
      const close = () => {
        if (this.batch === b) {
          this.batch = new Batch();
          this.batchQueued = false;
        }
      };
      this.commit.enqueue({
        write: () => {
          close();
          b.openHeldDelta = this.store.writeBatch(b, Date.now());
        },
        done: (err) => {
          close();
          this.afterBatch(b, err);
        },
      });
    }
    return b;
  }

  private afterBatch(b: Batch, err?: Error): void {
    if (err) {
      this.storeFailures++;
      // Nothing of this batch was stored: un-accept it, so the senders' resends fill the gap.
      for (const peer of this.peers.values()) peer.inbound.rollback();
      this.events.emit({ type: 'store_error', detail: err.message });
    }
    for (const fn of b.after) fn(err);
    if (err) return;
    this.openHeld += b.openHeldDelta;
    // Stored: the streams move on, ACKs become due, and the application hears of each message once.
    for (const peer of b.inboundPeers) {
      const seq = b.streamsIn.get(peer.node_id);
      if (seq !== undefined) peer.inbound.commit(seq);
      peer.ackDue = true;
    }
    for (const m of b.messages) this.events.emit({ type: 'message', peer: m.peer.node_id, role: m.peer.role, path: m.path, envelope: m.env });
    this.updateBackpressure();
    for (const peer of this.peers.values()) {
      if (peer.ackDue) {
        peer.ackDue = false;
        if (this.backpressure && peer.role === 'SIGNAL') peer.ackHeld = true;
        else this.sendInboundAck(peer);
      }
      if (peer.outbound.sent < peer.outbound.committed) this.pump(peer);
    }
  }

  /**
   * Open held signals, counted at the start and then by what each stored batch opened and settled:
   * counting the table (an index of hundreds of thousands in a hold) several times a second cost
   * more than the hold itself.
   */
  private openHeld: number;

  /** Signals waiting (no EA yet, or held by policy). */
  heldCount(): number {
    return this.openHeld;
  }

  /** Open held signals that no batch is settling now (a release or an expiry being stored). */
  heldUnsettled(): number {
    return Math.max(0, this.openHeld - this.held.settling.size);
  }

  /** Age of the oldest message stored for a peer and not yet acknowledged. */
  oldestUnackedAge_s(): number | null {
    let oldest: number | null = null;
    for (const p of this.peers.values()) {
      if (p.outbound.unacked === 0) continue;
      const t = this.store.createdAt(p.node_id, p.outbound.acked + 1);
      if (t !== null && (oldest === null || t < oldest)) oldest = t;
    }
    return oldest === null ? null : Math.max(0, Math.round((Date.now() - oldest) / 100) / 10);
  }

  dispose(): void {
    this.disposed = true;
    if (this.tickDue) clearImmediate(this.tickDue);
    for (const peer of this.peers.values()) for (const l of peer.links.values()) l.close('Guardian stopping');
  }
}

export type { RouterEvent };
