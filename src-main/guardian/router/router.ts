// The failover router: per peer, the healthiest path in priority order; durable outbox and
// inbox with exactly-once, in-order hand-off (PROTOCOL.md 5); every switch an event with its
// reason for the control plane.
import {
  decodeMessage, encodeFrame, encodeFramedMessage, FRAME_HEADER_BYTES, encodeLegacyMessage, messageId, PATH_PRIORITY, PROTOCOL_VERSION,
  type Envelope, type Header, type HelloPayload, type HmacFn, type MessageType, type PathName, type ReasonCode,
  type Role, type SignalPayload, type SignalTier,
} from '../../../src-shared/protocol';
import type { Db, GroupCommit } from '../store';
import type { Clock } from '../clock';
import type { PathLink } from './link';
import { Peer } from './peer';
import { Batch, RELEASE_FROM_START, RouterStore, type DueHeldRow, type ReleasableRow, type ReleaseCursor } from './router-store';
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

/** A framed message's body, as the outbox stores it: a view past the length prefix, no copy. */
function bodyOf(frame: Uint8Array): Buffer {
  return Buffer.from(frame.buffer, frame.byteOffset + FRAME_HEADER_BYTES, frame.byteLength - FRAME_HEADER_BYTES);
}

/** Queued signals a void reads, decodes and rewrites per batch. */
const VOID_CHUNK = 5_000;
/** Held signals expired by one call of `expireHeld` at most (ids and streams only, no payloads). */
const EXPIRE_CHUNK = 50_000;
/** A kept forced path lifts itself this long after its expiry (the console's timer, when it runs, is first). */
const FORCE_LAPSE_GRACE_MS = 1000;
/**
 * The reason a signal is held while a release is running: it arrived behind held ones and must not
 * overtake them. It goes out with the release, in arrival order, and is not checked twice.
 */
export const RELEASING = 'RELEASING';

export class Router {
  readonly peers = new Map<string, Peer>();
  readonly events = new RouterEvents();
  readonly store: RouterStore;
  readonly signals: SignalDesk;
  private batch = new Batch();
  private batchQueued = false;
  private legacySeq = 0;
  storeFailures = 0;

  constructor(
    db: Db,
    private readonly commit: GroupCommit,
    readonly opts: RouterOptions,
    private readonly clock: Clock,
  ) {
    this.store = new RouterStore(db);
    this.openHeld = this.store.heldCount();
    this.signals = new SignalDesk(opts.signal_tier);
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
    this.events.emit({ type: 'peer_connected', peer: node_id, role: 'EA', tier: null, path: 'spool', legacy: false });
    this.choosePath(peer, 'spool connected');
    this.releaseNoRoute();
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
      this.hold(b, env, signal, 'NO_ROUTE', this.opts.no_route_hold_s);
      return;
    }
    if (decision.action === 'route' && this.releasing) {
      this.hold(b, env, signal, RELEASING, this.opts.no_route_hold_s);
      return;
    }
    if (decision.action === 'hold') {
      this.hold(b, env, signal, decision.reason, decision.ttl_s);
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

  private hold(b: Batch, env: Envelope<'SIGNAL'>, signal: SignalPayload, reason: string, ttl_s: number): void {
    b.held.push({
      message_id: env.header.message_id, origin_stream: env.header.stream, origin_seq: env.header.seq,
      payload: JSON.stringify(signal), reason, expires_ms: Date.now() + ttl_s * 1000,
    });
    b.after.push((err) => {
      if (!err) this.events.emit({ type: 'signal_held', message_id: env.header.message_id, signal_id: signal.signal_id, reason });
    });
  }

  /**
   * A release under way: its reason (undefined: every reason), sent a chunk a batch, and the last
   * held signal it has passed (each is passed once: one the mode still holds stays behind).
   */
  private releasing: { reason: string | undefined; after: ReleaseCursor } | null = null;

  /** A release is running (its next chunk follows once the last is stored). */
  get releaseRunning(): boolean {
    return this.releasing !== null;
  }

  /**
   * Releases held signals with the given reason (or all) to every EA, oldest first; the rest stay
   * held. A chunk a batch, the next once it is stored, so that a release of hundreds of thousands
   * (a long hold at full rate) does not hold the event loop for seconds (one batch of 550,000 took
   * about 10 s, and the stall itself degraded the mode). Signals that arrive meanwhile are held
   * behind it (RELEASING) and go out with it, in order. Each signal meets the entry policy as it
   * is now (SignalDesk.entryVerdict): refused in SAFE_MODE, left held while entries are held.
   * Returns how many were open to release.
   */
  releaseHeld(reason?: string): number {
    if (this.eaPeers().length === 0) return 0;
    const open = this.store.openHeldCount(reason, RELEASING);
    if (open === 0) return 0;
    if (this.releasing) {
      // One release at a time. A second call (another reason widens it to every reason) starts it
      // from the oldest again: what it passed is settled, or was left held by a mode that may have
      // cleared since, and must keep its place ahead of what is newer.
      this.releasing = { reason: this.releasing.reason === reason ? reason : undefined, after: RELEASE_FROM_START };
      return open;
    }
    this.releasing = { reason, after: RELEASE_FROM_START };
    this.releaseChunk();
    return open;
  }

  private releaseChunk(): void {
    const run = this.releasing;
    if (!run) return;
    const eas = this.eaPeers();
    const limit = this.opts.release_chunk ?? 10_000;
    let fetched: ReleasableRow[] = [];
    try {
      if (eas.length > 0) fetched = this.store.heldToRelease(run.reason, RELEASING, run.after, limit);
    } catch {
      fetched = []; // the store is closing: what is left stays held
    }
    const lastRow = fetched[fetched.length - 1];
    if (lastRow) run.after = { held_ms: lastRow.held_ms, rid: lastRow.rid };
    // A row being released by a batch not yet stored still reads as held: skip it, or it would go out twice.
    const rows = fetched.filter((r) => !this.settling.has(r.message_id));
    // Less than a chunk left: this is the last, and the release ends now, so that what arrives next
    // routes as usual, after these in the same batch or a later one. (Otherwise a steady stream would
    // keep the release, and every signal's detour through the held table, going for ever.)
    const last = fetched.length < limit;
    if (last) this.releasing = null;
    if (rows.length === 0) {
      if (!last) setImmediate(() => this.releaseChunk());
      return;
    }
    const b = this.open();
    const now = Date.now();
    // Past its time to live before its release: expired, and its service told, as by expireHeld.
    const expired: ReleasableRow[] = [];
    const live: ReleasableRow[] = [];
    for (const r of rows) (r.expires_ms !== null && r.expires_ms < now ? expired : live).push(r);
    const settled: string[] = expired.map((r) => r.message_id);
    this.expireInBatch(b, expired);
    for (const r of live) {
      const signal = JSON.parse(r.payload) as SignalPayload;
      const refused = this.releaseVerdict(signal, r);
      if (refused === 'hold') continue; // entries are held now: it stays, for the release that follows the mode
      settled.push(r.message_id);
      if (refused) {
        b.heldOutcomes.push({ message_id: r.message_id, state: 'refused' });
        b.after.push((err) => {
          if (err) return;
          this.tellOrigin(r.origin_stream, refused.reason, r.message_id, refused.detail);
          this.events.emit({ type: 'signal_refused', peer: r.origin_stream, signal_id: signal.signal_id, reason: refused.reason, detail: refused.detail, message_id: r.message_id, signal });
        });
        continue;
      }
      b.heldOutcomes.push({ message_id: r.message_id, state: 'released' });
      for (const ea of eas) this.queueOutbound(b, ea, 'SIGNAL', signal, r.origin_stream, r.origin_seq);
    }
    this.settle(b, settled);
    // The next chunk once this one is stored; I/O (ACKs, heartbeats) runs in between.
    if (!last) {
      b.after.push((err) => {
        if (err) this.releasing = null; // not stored: still held, for the next release
        else setImmediate(() => this.releaseChunk());
      });
    }
  }

  /**
   * A held signal at its release: 'hold' to leave it held, a refusal, or undefined to send it. The
   * entry policy as it is now applies to every one. The pre-trade gate applies whole to those the
   * policy held before the gate saw them. One held for want of an EA (NO_ROUTE) or behind a release
   * passed the gate on arrival: a second whole look would call it a duplicate of itself, so it
   * meets only the market checks again (its price against the quote now, the lots open now).
   */
  private releaseVerdict(signal: SignalPayload, r: ReleasableRow): 'hold' | { reason: string; detail: string } | undefined {
    const now = this.signals.entryVerdict?.(signal);
    if (now?.action === 'hold') return 'hold';
    if (now?.action === 'refuse') return { reason: now.reason, detail: `${now.detail} (checked at release)` };
    if (r.reason === 'NO_ROUTE' || r.reason === RELEASING) return this.signals.admittedCheck?.(signal, r.origin_stream);
    return this.signals.releaseCheck?.(signal, r.origin_stream);
  }

  /** Sends ERROR to a signal's origin, on its best link, if it is connected. */
  private tellOrigin(node_id: string, reason: string, ref_message_id: string, detail: string): void {
    const peer = this.peers.get(node_id);
    const link = peer?.activeLink ?? (peer ? [...peer.links.values()][0] : undefined);
    if (link && 'sendError' in link) (link as StreamLink).sendError(reason, detail, ref_message_id);
  }

  /**
   * Held signals past their time to live: recorded as expired, their services told. Given a
   * reason (control-plane hook, issue 3), every signal held for that reason expires now, whatever
   * its time to live: a risk veto expires the entries held before it. `only` picks among them by
   * what they are (the entries among those held for want of an EA); `why` is what their services read.
   */
  expireHeld(reason?: string, opts: { only?: (signal: SignalPayload) => boolean; why?: string } = {}): number {
    // Only the rows due are read (an index of the open ones by expiry), never the whole table: a
    // hold at full rate keeps hundreds of thousands open. At most EXPIRE_CHUNK a call (once a
    // second); the rest are the next call's, the oldest first.
    const candidates = reason === undefined ? this.store.dueHeld(Date.now(), EXPIRE_CHUNK)
      : opts.only ? this.store.heldForWithPayload(reason).filter((r) => opts.only!(JSON.parse(r.payload) as SignalPayload))
        : this.store.heldFor(reason);
    const expired = candidates.filter((r) => !this.settling.has(r.message_id));
    if (expired.length === 0) return 0;
    const b = this.open();
    this.settle(b, expired.map((r) => r.message_id));
    this.expireInBatch(b, expired, opts.why);
    return expired.length;
  }

  /** Records held signals as expired in `b` (already settling); their services are told once it is stored. */
  private expireInBatch(b: Batch, rows: readonly DueHeldRow[], why?: string): void {
    for (const r of rows) b.heldOutcomes.push({ message_id: r.message_id, state: 'expired' });
    b.after.push((err) => {
      if (err) return;
      for (const r of rows) {
        this.tellOrigin(r.origin_stream, 'SIGNAL_EXPIRED', r.message_id, why ?? `held for ${r.reason} and not released within its time to live`);
        this.events.emit({ type: 'signal_expired', message_id: r.message_id, reason: r.reason });
      }
    });
  }

  /**
   * Signals stored for an EA and not yet sent to it (it is away, or its window is full), that
   * `only` picks: each becomes a COMMAND PING under the same seq, so the EA never acts on it and
   * its stream stays whole; its service is told SIGNAL_EXPIRED with `why`. One already written to
   * the EA may have reached it: that one stays as it is. VOID_CHUNK rows a batch, the next once
   * the last is stored (an EA away during a full-rate stream can have hundreds of thousands);
   * nothing unsent leaves meanwhile. `done` is told how many were voided.
   */
  voidQueued(only: (signal: SignalPayload) => boolean, why: string, done?: (voided: number) => void): void {
    const peers = this.eaPeers().filter((p) => !p.legacy);
    const chunk = Math.min(this.opts.release_chunk ?? VOID_CHUNK, VOID_CHUNK);
    let total = 0;
    let running = peers.length;
    if (running === 0) done?.(0);
    for (const peer of peers) {
      const o = peer.outbound;
      o.holdFrom = Math.min(o.holdFrom ?? Infinity, o.sent + 1);
      o.rewritesPending++;
      const finish = () => {
        if (--o.rewritesPending === 0) o.holdFrom = null;
        this.pump(peer);
        if (--running === 0) done?.(total);
      };
      const step = (after: number) => {
        let rows: ReturnType<RouterStore['signalsAfter']> = [];
        try {
          rows = this.store.signalsAfter(peer.node_id, after, chunk);
        } catch {
          // the store is closing: what is left stays as it is
        }
        const voided: { seq: number; frame: Uint8Array; origin_stream: string | null; origin_seq: number | null }[] = [];
        for (const r of rows) {
          const d = decodeMessage(r.body, { hmac: this.opts.hmac });
          if (!d.ok || !only(d.envelope.payload as SignalPayload)) continue;
          const header: Header = { ...d.envelope.header, message_type: 'COMMAND' };
          const frame = encodeFramedMessage(header, { command: 'PING', reason: `voided: ${why}`.slice(0, 500) }, { hmac: this.opts.hmac });
          voided.push({ seq: r.seq, frame, origin_stream: r.origin_stream, origin_seq: r.origin_seq });
        }
        const more = rows.length === chunk;
        const b = this.open();
        for (const v of voided) {
          b.outboxRewrites.push({ peer: peer.node_id, seq: v.seq, message_type: 'COMMAND', body: bodyOf(v.frame) });
        }
        b.after.push((err) => {
          if (!err) {
            total += voided.length;
            for (const v of voided) {
              o.replace(v.seq, v.frame);
              if (v.origin_stream === null || v.origin_seq === null) continue;
              const ref = messageId(v.origin_stream, v.origin_seq);
              this.tellOrigin(v.origin_stream, 'SIGNAL_EXPIRED', ref, why);
              this.events.emit({ type: 'signal_expired', message_id: ref, reason: 'VOIDED' });
            }
          }
          if (more && !err) setImmediate(() => step(rows[rows.length - 1]!.seq));
          else finish();
        });
      };
      step(o.sent);
    }
  }

  /** Held signals whose outcome a batch is storing: not to be released or expired again meanwhile. */
  private readonly settling = new Set<string>();
  private settle(b: Batch, ids: string[]): void {
    for (const id of ids) this.settling.add(id);
    b.after.push(() => {
      for (const id of ids) this.settling.delete(id);
    });
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

  /** Every heartbeat interval: pings, silence, path choice, resend timeouts. */
  tick(): void {
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
    return Math.max(0, this.openHeld - this.settling.size);
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
    for (const peer of this.peers.values()) for (const l of peer.links.values()) l.close('Guardian stopping');
  }
}

export type { RouterEvent };
