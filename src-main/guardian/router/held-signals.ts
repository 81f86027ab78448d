// Held signals, from their hold to their outcome: released to the EAs a chunk a batch (each meeting
// the entry policy and, when it was held before the pre-trade gate saw it, the gate as they are at
// its release), expired past their time to live or all at once on a risk veto, and new entries
// queued for an EA that is away voided in its stream. The router's part for them, kept apart so
// that router.ts reads in one sitting; it works through the router's batch and outbox (HeldHost).
import {
  decodeMessage, encodeFramedMessage, messageId, type Envelope, type Header, type HmacFn, type MessageType, type SignalPayload,
} from '../../../src-shared/protocol';
import type { RouterEvents } from './events';
import type { Peer } from './peer';
import {
  bodyOf, RELEASE_FROM_START, type Batch, type DueHeldRow, type QueuedSignalRow, type ReleasableRow, type ReleaseCursor, type RouterStore,
} from './router-store';
import type { SignalDesk } from './signal-desk';

/** Queued signals a void reads, decodes and rewrites per batch. */
const VOID_CHUNK = 5_000;
/**
 * Held signals expired by one call of `expireHeld` at most (ids and streams only, no payloads).
 * 50,000 at once, each stored and told to its service, stalled the loop for 290 ms: the stall
 * itself failed event_loop_stalled and restarted the recovery that would have released the rest.
 */
export const EXPIRE_CHUNK = 5_000;
/**
 * The reason a signal is held while a release is running: it arrived behind held ones and must not
 * overtake them. It goes out with the release, in arrival order, and is not checked twice.
 */
export const RELEASING = 'RELEASING';

/** A new entry: what SAFE_MODE refuses and a void takes back. CLOSE and MODIFY are always managed. */
export const isNewEntry = (s: SignalPayload): boolean => s.action === 'BUY' || s.action === 'SELL';

/** Why a queued signal is voided: the reason code its service reads, and the words. */
export interface QueuedVerdict {
  reason: string;
  why: string;
}
/** A queued signal judged: a verdict voids it, null leaves it to be sent. */
export type QueuedJudge = (signal: SignalPayload, queued: QueuedSignalRow) => QueuedVerdict | null;

/** Every new entry queued is voided, its service told SIGNAL_EXPIRED with `why`: the kill switch's void. */
export const expireEntries = (why: string): QueuedJudge => (signal) => (isNewEntry(signal) ? { reason: 'SIGNAL_EXPIRED', why } : null);

/** What the held desk works with: the router's store, policy and batch, no back-reference to it. */
export interface HeldHost {
  store: RouterStore;
  signals: SignalDesk;
  events: RouterEvents;
  opts: { release_chunk?: number; hmac?: HmacFn };
  eaPeers(): Peer[];
  /** The batch being filled (stored by the next group commit). */
  open(): Batch;
  queueOutbound(b: Batch, peer: Peer, type: MessageType, payload: object, originStream: string | null, originSeq: number | null): number;
  /** ERROR to a signal's origin, if it is connected. */
  tellOrigin(node_id: string, reason: string, ref_message_id: string, detail: string): void;
  pump(peer: Peer): void;
}

export class HeldSignals {
  /**
   * A release under way: its reason (undefined: every reason), sent a chunk a batch, and the last
   * held signal it has passed (each is passed once: one the mode still holds stays behind).
   */
  private releasing: { reason: string | undefined; after: ReleaseCursor } | null = null;
  /** Held signals whose outcome a batch is storing: not to be released or expired again meanwhile. */
  readonly settling = new Set<string>();
  /**
   * Queued signals (peer:seq) whose void a batch is storing: a second void running at once (the
   * kill switch's, and one at the EA's HELLO) still reads them as signals, and would tell their
   * services SIGNAL_EXPIRED twice.
   */
  private readonly voiding = new Set<string>();

  constructor(private readonly host: HeldHost) {}

  /** Holds a signal in `b`: stored with its reason and time to live (expires_ms), told once stored. */
  hold(b: Batch, env: Envelope<'SIGNAL'>, signal: SignalPayload, reason: string, ttl_s: number): void {
    b.held.push({
      message_id: env.header.message_id, origin_stream: env.header.stream, origin_seq: env.header.seq,
      payload: JSON.stringify(signal), reason, expires_ms: Date.now() + ttl_s * 1000,
    });
    b.after.push((err) => {
      if (!err) this.host.events.emit({ type: 'signal_held', message_id: env.header.message_id, signal_id: signal.signal_id, reason });
    });
  }

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
    if (this.host.eaPeers().length === 0) return 0;
    const open = this.host.store.openHeldCount(reason, RELEASING);
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
    const eas = this.host.eaPeers();
    const limit = this.host.opts.release_chunk ?? 10_000;
    let fetched: ReleasableRow[] = [];
    try {
      if (eas.length > 0) fetched = this.host.store.heldToRelease(run.reason, RELEASING, run.after, limit);
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
    if (last) {
      this.releasing = null;
      // Held behind this release in the batch now filling: not stored yet, so not read above. They
      // go last in this chunk; left, they would wait for a release that is over, while what
      // arrives next (routed as usual from now on) overtook them.
      if (eas.length > 0) rows.push(...this.heldBehind(this.host.open()));
    }
    if (rows.length === 0) {
      if (!last) setImmediate(() => this.releaseChunk());
      return;
    }
    const b = this.host.open();
    const now = Date.now();
    // Past its time to live before its release: expired, and its service told, as by expireHeld.
    const expired: ReleasableRow[] = [];
    const live: ReleasableRow[] = [];
    for (const r of rows) (r.expires_ms !== null && r.expires_ms < now ? expired : live).push(r);
    const settled: string[] = expired.map((r) => r.message_id);
    this.expireInBatch(b, expired);
    for (const r of live) {
      const signal = JSON.parse(r.payload) as SignalPayload;
      const verdict = this.releaseVerdict(signal, r);
      if (verdict && 'hold_s' in verdict) {
        // Entries are held now: it stays, for the release that follows the mode, on the mode's
        // terms: one held for want of an EA (an hour) or behind a release expires as the mode's own do.
        const until = now + verdict.hold_s * 1000;
        if (r.expires_ms === null || r.expires_ms > until) b.heldExpiries.push({ message_id: r.message_id, expires_ms: until });
        continue;
      }
      settled.push(r.message_id);
      if (verdict) {
        b.heldOutcomes.push({ message_id: r.message_id, state: 'refused' });
        b.after.push((err) => {
          if (err) return;
          this.host.tellOrigin(r.origin_stream, verdict.reason, r.message_id, verdict.detail);
          this.host.events.emit({ type: 'signal_refused', peer: r.origin_stream, signal_id: signal.signal_id, reason: verdict.reason, detail: verdict.detail, message_id: r.message_id, signal });
        });
        continue;
      }
      b.heldOutcomes.push({ message_id: r.message_id, state: 'released' });
      for (const ea of eas) this.host.queueOutbound(b, ea, 'SIGNAL', signal, r.origin_stream, r.origin_seq);
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

  /** Signals held behind the release in `b`, not yet stored, as a release reads them. */
  private heldBehind(b: Batch): ReleasableRow[] {
    return b.held.filter((h) => h.reason === RELEASING && !h.refused && !this.settling.has(h.message_id)).map((h) => ({ ...h, ...RELEASE_FROM_START }));
  }

  /**
   * A held signal at its release: hold_s to leave it held (for the mode's time to live at most), a
   * refusal, or undefined to send it. The entry policy as it is now applies to every one. The
   * pre-trade gate applies whole to those the policy held before the gate saw them. One held for
   * want of an EA (NO_ROUTE) or behind a release passed the gate on arrival: a second whole look
   * would call it a duplicate of itself, so it meets only the market checks again (its price
   * against the quote now, the lots open now).
   */
  private releaseVerdict(signal: SignalPayload, r: ReleasableRow): { hold_s: number } | { reason: string; detail: string } | undefined {
    const now = this.host.signals.entryVerdict?.(signal);
    if (now?.action === 'hold') return { hold_s: now.ttl_s };
    if (now?.action === 'refuse') return { reason: now.reason, detail: `${now.detail} (checked at release)` };
    if (r.reason === 'NO_ROUTE' || r.reason === RELEASING) {
      const refusal = this.host.signals.admittedCheck?.(signal, r.origin_stream);
      return refusal && { reason: refusal.reason, detail: `${refusal.detail} (checked at release)` };
    }
    return this.host.signals.releaseCheck?.(signal, r.origin_stream);
  }

  /**
   * Held signals past their time to live: recorded as expired, their services told. Given a
   * reason (control-plane hook, issue 3), every signal held for that reason expires now, whatever
   * its time to live: a risk veto expires the entries held before it. `only` picks among them by
   * what they are (the entries among those held for want of an EA); `why` is what their services read.
   */
  expireHeld(reason?: string, opts: { only?: (signal: SignalPayload) => boolean; why?: string } = {}): number {
    // Only the rows due are read (an index of the open ones by expiry), never the whole table: a
    // hold at full rate keeps hundreds of thousands open. At most EXPIRE_CHUNK a call; the rest
    // are the next call's (the next pulse while some were due), the oldest first.
    const candidates = reason === undefined ? this.host.store.dueHeld(Date.now(), EXPIRE_CHUNK)
      : opts.only ? this.host.store.heldForWithPayload(reason).filter((r) => opts.only!(JSON.parse(r.payload) as SignalPayload))
        : this.host.store.heldFor(reason);
    const expired = candidates.filter((r) => !this.settling.has(r.message_id));
    if (expired.length === 0) return 0;
    const b = this.host.open();
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
        this.host.tellOrigin(r.origin_stream, 'SIGNAL_EXPIRED', r.message_id, why ?? `held for ${r.reason} and not released within its time to live`);
        this.host.events.emit({ type: 'signal_expired', message_id: r.message_id, reason: r.reason });
      }
    });
  }

  /**
   * Signals stored for an EA and not yet sent to it (it is away, or its window is full), that
   * `judge` finds against: each becomes a COMMAND PING under the same seq, so the EA never acts on
   * it and its stream stays whole; its service is told the judge's reason and why (SIGNAL_EXPIRED,
   * or a pre-trade refusal). One already written to the EA may have reached it: that one stays as
   * it is. VOID_CHUNK rows a batch, the next once the last is stored (an EA away during a
   * full-rate stream can have hundreds of thousands); nothing unsent leaves meanwhile. `done` is
   * told how many were voided.
   *
   * An EA not greeted since this Guardian started is left for its return (`at`: its HELLO): an
   * earlier process may have written to it anything past its ACK, and voiding what it received
   * would tell a service "expired" of an order the EA acts on. Its HELLO says what it stored;
   * `from` is then that, and every entry after it is judged before anything is resent.
   */
  voidQueued(judge: QueuedJudge, done?: (voided: number) => void, at?: { peer: Peer; from: number }): void {
    const peers = at ? [at.peer] : this.host.eaPeers().filter((p) => !p.legacy && p.greeted);
    const chunk = Math.min(this.host.opts.release_chunk ?? VOID_CHUNK, VOID_CHUNK);
    let total = 0;
    let running = peers.length;
    if (running === 0) done?.(0);
    for (const peer of peers) {
      const o = peer.outbound;
      const from = at ? at.from : o.sent;
      o.holdFrom = Math.min(o.holdFrom ?? Infinity, from + 1);
      o.rewritesPending++;
      const finish = () => {
        if (--o.rewritesPending === 0) o.holdFrom = null;
        this.host.pump(peer);
        if (--running === 0) done?.(total);
      };
      const step = (after: number) => {
        let rows: QueuedSignalRow[] = [];
        try {
          rows = this.host.store.signalsAfter(peer.node_id, after, chunk);
        } catch {
          // the store is closing: what is left stays as it is
        }
        const voided: { seq: number; frame: Uint8Array; row: QueuedSignalRow; signal: SignalPayload; verdict: QueuedVerdict }[] = [];
        for (const r of rows) {
          if (this.voiding.has(`${peer.node_id}:${r.seq}`)) continue;
          const d = decodeMessage(r.body, { hmac: this.host.opts.hmac });
          if (!d.ok) continue;
          const signal = d.envelope.payload as SignalPayload;
          const verdict = judge(signal, r);
          if (!verdict) continue;
          const header: Header = { ...d.envelope.header, message_type: 'COMMAND' };
          const frame = encodeFramedMessage(header, { command: 'PING', reason: `voided: ${verdict.why}`.slice(0, 500) }, { hmac: this.host.opts.hmac });
          voided.push({ seq: r.seq, frame, row: r, signal, verdict });
        }
        const more = rows.length === chunk;
        const b = this.host.open();
        for (const v of voided) {
          this.voiding.add(`${peer.node_id}:${v.seq}`);
          b.outboxRewrites.push({ peer: peer.node_id, seq: v.seq, message_type: 'COMMAND', body: bodyOf(v.frame) });
        }
        b.after.push((err) => {
          for (const v of voided) this.voiding.delete(`${peer.node_id}:${v.seq}`);
          if (!err) {
            total += voided.length;
            for (const v of voided) {
              o.replace(v.seq, v.frame);
              this.tellVoided(v.row, v.signal, v.verdict);
            }
          }
          if (more && !err) setImmediate(() => step(rows[rows.length - 1]!.seq));
          else finish();
        });
      };
      step(from);
    }
  }

  /** A voided signal's service told, and the outcome on the router's events (a refusal is kept as a block). */
  private tellVoided(r: QueuedSignalRow, signal: SignalPayload, v: QueuedVerdict): void {
    if (r.origin_stream === null || r.origin_seq === null) return;
    const ref = messageId(r.origin_stream, r.origin_seq);
    this.host.tellOrigin(r.origin_stream, v.reason, ref, v.why);
    if (v.reason === 'SIGNAL_EXPIRED') this.host.events.emit({ type: 'signal_expired', message_id: ref, reason: 'VOIDED' });
    else this.host.events.emit({ type: 'signal_refused', peer: r.origin_stream, signal_id: signal.signal_id, reason: v.reason, detail: v.why, message_id: ref, signal });
  }

  private settle(b: Batch, ids: string[]): void {
    for (const id of ids) this.settling.add(id);
    b.after.push(() => {
      for (const id of ids) this.settling.delete(id);
    });
  }
}
