// The entry desk: whether new entries (BUY, SELL) pass, wait or are refused, and what follows from
// it on the data plane. The mode decides (DEGRADED.EXEC holds, SAFE_MODE refuses), and so does the
// operator's hold beside it; CLOSE and MODIFY always pass. The desk
// - answers the router's signal policy on arrival and its entry verdict at every held signal's
//   release (the mode as it is then, whatever held the signal);
// - releases held signals when entries pass again, after the RESUME it queues ahead of them, and
//   any found waiting while entries pass (a restart or an interrupted release left them);
// - expires them on a risk veto, and voids the entries stored for an EA that is away;
// - keeps each EA's standing order: an EA that forgot HOLD_NEW_ENTRIES (it restarted) is told again;
// - lifts the operator's hold when its expiry passes or the buffer drains, a restart included.
// Kept apart from control-plane.ts so the loop reads in one sitting.
import type { SignalPayload } from '../../../src-shared/protocol';
import type { Clock } from '../clock';
import { DisposableStore, toDisposable, type Disposable } from '../lifecycle';
import { MODE_SEVERITY, type Mode, type ModeEffect } from '../modes';
import type { PulseSnapshot } from '../pulse';
import { isNewEntry, RELEASING, type EntryVerdict, type Router, type RouterEvent, type SignalDecision } from '../router';
import { HeldEventThrottle, heldSummaryText } from './held-events';
import type { DeskEvent } from './path-desk';
import type { EntryHold } from './persistence';
import { DEFAULT_STANDING_ORDER_TIMES, StandingOrders, type StandingOrderTimes } from './standing-orders';

export type EntryPosture = 'pass' | 'hold' | 'refuse';
export type EaCommand = 'HOLD_NEW_ENTRIES' | 'RESUME' | 'CANCEL_ALL' | 'FLATTEN';

/** The release of held signals found waiting while entries pass, at most this often. */
const LEFTOVER_RELEASE_MS = 5000;
/**
 * The operator's hold lifts itself this long after its expiry. In the same process the console's
 * timer lifts it on time, and audits it in the operator's words; this is the backstop for when
 * that timer is gone (a restart).
 */
export const SELF_LAPSE_GRACE_MS = 1000;

export interface EntryDeskDeps {
  router: Router;
  clock: Clock;
  mode: () => Mode;
  /** Why SAFE_MODE is in force, said in each refusal. */
  safeWhy: () => string;
  emit: (e: DeskEvent) => void;
  /** The state to save changed; persist() saves it now. */
  changed: () => void;
  persist: () => void;
  /** The time to live of entries the mode holds, from the failover policy. */
  ttl_s: number;
  /** The leftover release waits out the control plane's warm-up. */
  started_ms: number;
  warmup_ms: number;
  standingOrders?: Partial<StandingOrderTimes>;
}

export interface HeldOutcomes {
  held: number;
  released: number;
  expired: number;
  refused: number;
}

export class EntryDesk implements Disposable {
  readonly outcomes: HeldOutcomes = { held: 0, released: 0, expired: 0, refused: 0 };
  private hold: EntryHold | null;
  private ttl_s: number;
  private readonly events = new HeldEventThrottle();
  private readonly standing: StandingOrders;
  private readonly store = new DisposableStore();
  private lastExpire_ms = -Infinity;
  private expiryBacklog = false;
  private lastLeftoverRelease_ms = -Infinity;
  private releaseDue = false;
  private disposed = false;

  constructor(private readonly deps: EntryDeskDeps, restored: EntryHold | null) {
    this.hold = restored;
    this.ttl_s = deps.ttl_s;
    this.standing = new StandingOrders({ ...DEFAULT_STANDING_ORDER_TIMES, ...deps.standingOrders });
    const signals = deps.router.signals;
    const previous = signals.policy;
    signals.policy = (signal, from) => this.onArrival(signal) ?? previous?.(signal, from);
    // And at a held signal's release, whatever held it: the mode as it is then.
    signals.entryVerdict = (signal) => {
      const verdict = this.verdict(signal);
      if (verdict?.action === 'refuse') this.outcomes.refused++;
      return verdict;
    };
    // And when an EA greets: whether the entries it has not stored may still go to it.
    signals.entriesRefused = () => (deps.mode() === 'SAFE_MODE' ? this.refusal() : null);
    // And when an EA comes back: whether the entries queued for it while it was away may go.
    signals.entriesHeld = () => this.heldWhy();
    this.store.add(toDisposable(() => {
      signals.policy = previous;
      signals.entryVerdict = undefined;
      signals.entriesRefused = undefined;
      signals.entriesHeld = undefined;
    }));
    this.store.add(deps.router.events.on((e) => this.onRouterEvent(e)));
  }

  /** After a restart: the operator's hold in force again, said on the timeline. */
  announceRestored(): void {
    const h = this.hold;
    if (!h) return;
    const until = h.until_wall_ms !== undefined ? ` until ${new Date(h.until_wall_ms).toISOString().slice(11, 19)} UTC` : h.untilDrained ? ' until the buffer is empty' : '';
    this.deps.emit({ type: 'entries', text: `restored: new entries held by ${h.by}${until} (${h.reason})`, severity: 'warning' });
  }

  /** The operator's hold, as saved across a restart; null when none. */
  get operatorHold(): EntryHold | null {
    return this.hold;
  }

  /** What happens to a new entry now. */
  posture(): EntryPosture {
    const mode = this.deps.mode();
    if (mode === 'SAFE_MODE') return 'refuse';
    return this.pass() ? 'pass' : 'hold';
  }

  /** New entries go out: the mode lets them (modePasses) and no operator holds them. */
  pass(): boolean {
    return this.modePasses() && !this.hold;
  }

  /** The mode is below DEGRADED.EXEC: it holds no entries itself (the operator may). */
  private modePasses(): boolean {
    return MODE_SEVERITY[this.deps.mode()] < MODE_SEVERITY['DEGRADED.EXEC'];
  }

  /** Why new entries are held now (the operator's hold first: it outlasts the mode), or null when they pass. */
  private heldWhy(): string | null {
    if (this.hold) return `new entries are held by ${this.hold.by} (${this.hold.reason})`;
    return this.modePasses() ? null : `${this.deps.mode()}: new entries are held`;
  }

  /** What a new entry's service reads in SAFE_MODE, at arrival, at release or at its EA's return. */
  private refusal(): string {
    return `SAFE_MODE: new entries are refused (${this.deps.safeWhy()})`;
  }

  // ---- the mode's effects ------------------------------------------------------------------------

  /** Carries out the effects that are about entries; false for the others. */
  onModeEffect(e: ModeEffect): boolean {
    switch (e.type) {
      case 'HOLD_NEW_ENTRIES':
        this.ttl_s = Math.max(1, e.ttl_ms / 1000);
        this.deps.emit({ type: 'entries', text: `manage-only: new entries held (MODE_BLOCK, ttl ${this.ttl_s} s); CLOSE and MODIFY pass`, severity: 'warning' });
        return true;
      case 'RELEASE_HELD_SIGNALS':
        // Released after this change's commands are queued: the EA must read RESUME before the
        // entries it was told to hold (see flushRelease).
        this.releaseDue = true;
        return true;
      case 'EXPIRE_HELD_SIGNALS':
        this.expireOnVeto();
        return true;
      case 'SEND_COMMAND':
        this.sendCommand(e.command, e.reason);
        return true;
      default:
        return false;
    }
  }

  private expireOnVeto(): void {
    const router = this.deps.router;
    // The entries held for want of an EA (or behind a release) were taken before it too.
    const why = 'a new entry taken before the risk veto (SAFE_MODE): expired, not sent';
    const n = router.expireHeld('MODE_BLOCK', { why }) + router.expireHeld('NO_ROUTE', { only: isNewEntry, why }) + router.expireHeld(RELEASING, { only: isNewEntry, why });
    this.deps.emit({ type: 'held_signal', text: `${n} held entr${n === 1 ? 'y' : 'ies'} expired: taken before the risk veto`, severity: 'warning', data: { expired_now: n } });
    // And those stored for an EA that is away, not yet sent: voided in its stream.
    router.voidQueuedEntries(why, (voided) => {
      if (voided > 0 && !this.disposed) this.deps.emit({ type: 'held_signal', text: `${voided} new entr${voided === 1 ? 'y' : 'ies'} queued for an EA and not yet sent voided: taken before the risk veto`, severity: 'warning', data: { voided } });
    });
  }

  /** The release a mode change asked for, once its commands (RESUME) are queued ahead of it. */
  flushRelease(): void {
    if (!this.releaseDue) return;
    this.releaseDue = false;
    if (!this.pass()) return; // still held
    // Every reason: entries held for want of an EA while the mode held them have waited too.
    const n = this.deps.router.releaseHeld();
    this.outcomes.released += n;
    this.deps.emit({ type: 'held_signal', text: `${n} held entr${n === 1 ? 'y' : 'ies'} released: the mode cleared`, severity: 'info', data: { released: n } });
  }

  // ---- the operator's hold -------------------------------------------------------------------------

  holdEntries(by: string, reason: string, options: { untilDrained?: boolean; expires_in_s?: number } = {}): void {
    const was = this.hold;
    this.hold = { by, reason, untilDrained: options.untilDrained ?? false };
    if (options.expires_in_s) this.hold.until_wall_ms = this.deps.clock.wall_ms() + options.expires_in_s * 1000;
    this.deps.changed();
    this.deps.persist();
    if (!was && this.modePasses()) this.sendCommand('HOLD_NEW_ENTRIES', `held by ${by}: ${reason}`);
    this.deps.emit({ type: 'entries', text: `new entries held by ${by}${options.untilDrained ? ' until the buffer is empty' : ''}: ${reason}`, severity: 'warning', data: { by, reason } });
  }

  /**
   * Lifts the operator's hold; false when there was none. `lapsed`: it lifted itself (its expiry
   * passed, here rather than on the console's timer): said in the event, for the audit.
   */
  resumeEntries(by: string, reason: string, lapsed = false): boolean {
    const hold = this.hold;
    if (!hold) return false;
    this.hold = null;
    this.deps.changed();
    this.deps.persist();
    const data: Record<string, unknown> = { by, reason };
    if (lapsed) {
      data.lapsed = { control: hold.untilDrained ? 'drain_buffer_first' : 'hold_new_entries', reason: hold.reason, by: hold.by, detail: `lapsed at ${new Date(hold.until_wall_ms ?? this.deps.clock.wall_ms()).toISOString()} (set by ${hold.by})` };
    }
    this.deps.emit({ type: 'entries', text: `new entries resumed by ${by}: ${reason}`, severity: 'info', data });
    if (this.modePasses()) {
      this.sendCommand('RESUME', `resumed by ${by}: ${reason}`); // queued ahead of the entries it releases
      this.releaseDue = true;
      this.flushRelease();
    }
    return true;
  }

  // ---- commands to the EAs -------------------------------------------------------------------------

  private eaIds(): string[] {
    return [...this.deps.router.peers.values()].filter((p) => p.role === 'EA' && !p.legacy).map((p) => p.node_id);
  }

  /** A COMMAND to every EA (or to `only`), durably through the router. */
  sendCommand(command: EaCommand, reason: string, only?: readonly string[]): void {
    const eas = only ?? this.eaIds();
    if (eas.length === 0) {
      this.deps.emit({ type: 'command', text: `COMMAND ${command} not sent: no EA known`, severity: 'warning', data: { command } });
      return;
    }
    const now = this.deps.clock.now_ms();
    if (command === 'RESUME') this.standing.clear();
    for (const ea of eas) {
      if (command === 'HOLD_NEW_ENTRIES') this.standing.holdSent(ea, now);
      this.deps.router.send(ea, 'COMMAND', { command, reason: reason.slice(0, 500) }).then(
        (seq) => {
          if (command === 'HOLD_NEW_ENTRIES') this.standing.holdStored(ea, seq);
          this.deps.emit({ type: 'command', text: `COMMAND ${command} stored for ${ea} (seq ${seq})`, severity: 'info', data: { command, peer: ea, seq, reason } });
        },
        (err: Error) => this.deps.emit({ type: 'command', text: `COMMAND ${command} for ${ea} not stored: ${err.message}`, severity: 'critical', data: { command, peer: ea } }),
      );
    }
  }

  /** While entries do not pass, an EA that says it is not holding them is told again. */
  private keepStandingOrders(now: number): void {
    if (this.posture() === 'pass') return;
    const router = this.deps.router;
    const due = this.standing.due(now, this.eaIds(), (ea) => router.peers.get(ea)?.outbound.acked ?? 0);
    for (const { ea, state } of due.resend) {
      const why = `${ea} reports ${state} while new entries are held: it restarted, or lost the command`;
      this.deps.emit({ type: 'command', text: `${why}; HOLD_NEW_ENTRIES sent again`, severity: 'warning', data: { command: 'HOLD_NEW_ENTRIES', peer: ea, standing: true, ea_state: state } });
      this.sendCommand('HOLD_NEW_ENTRIES', `standing order: ${why}`, [ea]);
    }
    for (const { ea, state, commands } of due.unconfirmed) {
      this.deps.emit({
        type: 'command', severity: 'warning', data: { command: 'HOLD_NEW_ENTRIES', peer: ea, standing: true, ea_state: state, unconfirmed: commands },
        text: `${ea} has not confirmed HOLD_NEW_ENTRIES after ${commands} commands (it reports ${state}, not PAUSED); Guardian still holds the new-entry signals itself. Check the EA`,
      });
    }
  }

  // ---- the pulse ---------------------------------------------------------------------------------

  pulse(now: number, snapshot: PulseSnapshot): void {
    this.flushRelease();
    this.releaseLeftovers(now);
    const hold = this.hold;
    if (hold?.untilDrained && snapshot.buffer.depth === 0) this.resumeEntries(hold.by, 'the buffer is drained');
    // The console lapses a hold given an expiry on its own timer; this one outlives a restart.
    else if (hold?.until_wall_ms !== undefined && this.deps.clock.wall_ms() >= hold.until_wall_ms + SELF_LAPSE_GRACE_MS) this.resumeEntries(hold.by, `hold lapsed: ${hold.reason}`, true);
    this.expireHeldIfDue(now);
    this.tellHeldCounted(now);
    this.keepStandingOrders(now);
  }

  /**
   * Held signals that nothing is releasing while entries pass and an EA is known: left by a
   * restart in the middle of a release, or by a release whose batch could not be
   * stored. The mode's release fires on the edge (the mode clears); this is the level, so that
   * none of them waits out its time to live for nothing. At most one every LEFTOVER_RELEASE_MS.
   */
  private releaseLeftovers(now: number): void {
    if (now - this.deps.started_ms < this.deps.warmup_ms || now - this.lastLeftoverRelease_ms < LEFTOVER_RELEASE_MS) return;
    const router = this.deps.router;
    if (!this.pass() || router.releaseRunning) return;
    const waiting = router.heldUnsettled();
    if (waiting === 0 || router.releaseHeld() === 0) return; // none, or no EA to release them to
    this.lastLeftoverRelease_ms = now;
    this.outcomes.released += waiting;
    this.deps.emit({ type: 'held_signal', text: `${waiting} held signal${waiting === 1 ? '' : 's'} released: found held while entries pass (left by a restart or an interrupted release)`, severity: 'warning', data: { released: waiting } });
  }

  /** Once a second; every pulse while the last call found some due (a chunk at most each). */
  private expireHeldIfDue(now: number): void {
    if (!this.expiryBacklog && now - this.lastExpire_ms < 1000) return;
    this.lastExpire_ms = now;
    this.expiryBacklog = false;
    try {
      this.expiryBacklog = this.deps.router.expireHeld() > 0; // reads only the rows due: no count first
    } catch {
      // the store's trouble shows in db_ok
    }
  }

  /** Held signals counted rather than told one by one (a storm): one event for them a second. */
  private tellHeldCounted(now: number): void {
    const c = this.events.summary(now);
    if (c) this.deps.emit({ type: 'held_signal', text: heldSummaryText(c, (now - c.since_ms) / 1000), severity: 'info', data: { counted: { held: c.held, expired: c.expired, refused: c.refused } } });
  }

  // ---- signals ---------------------------------------------------------------------------------

  /** The mode's entry policy on one arriving signal: undefined lets it route. */
  private onArrival(signal: SignalPayload): SignalDecision | undefined {
    const verdict = this.verdict(signal);
    if (!verdict) return undefined;
    if (verdict.action === 'refuse') {
      this.outcomes.refused++;
      return verdict;
    }
    this.outcomes.held++;
    return verdict;
  }

  /** What the mode and the operator's hold say of a signal now; CLOSE and MODIFY always pass. */
  private verdict(signal: SignalPayload): ReturnType<EntryVerdict> {
    if (!isNewEntry(signal)) return undefined; // CLOSE and MODIFY are always managed
    if (this.deps.mode() === 'SAFE_MODE') return { action: 'refuse', reason: 'MODE_BLOCK', detail: this.refusal() };
    return this.pass() ? undefined : { action: 'hold', reason: 'MODE_BLOCK', ttl_s: this.ttl_s };
  }

  private onRouterEvent(e: RouterEvent): void {
    if (this.disposed) return;
    const now = this.deps.clock.now_ms();
    switch (e.type) {
      case 'message': {
        const type = e.envelope.header.message_type;
        if (e.role !== 'EA' || (type !== 'STATUS' && type !== 'STATUS_RESPONSE')) return;
        const state = (e.envelope.payload as { ea_state?: unknown }).ea_state;
        if (typeof state === 'string') this.standing.observe(e.peer, state, now);
        return;
      }
      case 'signal_held':
        if (e.reason === 'MODE_BLOCK' && this.events.admit('held', now)) this.deps.emit({ type: 'held_signal', text: `signal ${e.signal_id} held: ${e.reason}`, severity: 'info', data: { message_id: e.message_id, signal_id: e.signal_id, outcome: 'held' } });
        return;
      case 'signal_expired':
        this.outcomes.expired++;
        if (this.events.admit('expired', now)) this.deps.emit({ type: 'held_signal', text: `held signal ${e.message_id} expired (${e.reason})`, severity: 'info', data: { message_id: e.message_id, outcome: 'expired', reason: e.reason } });
        return;
      case 'queued_voided':
        this.deps.emit({ type: 'held_signal', text: `${e.voided} new entr${e.voided === 1 ? 'y' : 'ies'} queued for ${e.peer} voided at its return, not sent: each service told why`, severity: 'warning', data: { peer: e.peer, voided: e.voided } });
        return;
      case 'signal_refused':
        if (e.reason === 'MODE_BLOCK' && this.events.admit('refused', now)) this.deps.emit({ type: 'held_signal', text: `signal ${e.signal_id} refused: ${e.detail}`, severity: 'info', data: { signal_id: e.signal_id, outcome: 'refused' } });
        return;
      default:
        return;
    }
  }

  dispose(): void {
    this.disposed = true;
    this.store.dispose();
  }
}
