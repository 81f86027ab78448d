// Execution safety over the router: the pre-trade gate as the router's signal policy (the control
// plane chains the mode's MODE_BLOCK in front of it), blocked signals kept with their detail, the
// kill switch, every COMMAND tracked to its outcome, Guardian's ledger from TRADE events, and
// reconciliation with the EA's positions on start and on every EA (re)connect.
import type { SignalPayload, StatusPayload, StatusResponsePayload, TradePayload, CommandName } from '../../../src-shared/protocol';
import type { ExecutionView } from '../../../src-shared/contract';
import type { Clock } from '../clock';
import type { AlertInput } from '../incidents';
import { DisposableStore, type Disposable } from '../lifecycle';
import type { ReleaseCheck, Router, RouterEvent, SignalDecision, SignalPolicy } from '../router';
import type { Db } from '../store';
import { onAcked, onStatus, onTimeout, stillOpen, type TrackedCommand } from './commands';
import { applyTrade, describeDifference, fromReport, reconcile, type Position } from './ledger';
import { loadPretradeLimits, type PretradeLimits } from './limits';
import { checkSignal, initialGateState, recheckAdmitted, recordFill, type GateMarket, type GateState } from './pretrade';
import { ExecutionStore, type KillSwitch } from './store';
import { toView } from './view';

export interface ExecutionOptions {
  router: Router;
  db: Db;
  clock: Clock;
  /** The incident log's raise(): a reconciliation mismatch opens (or joins) an incident. */
  incidents?: { raise(alert: AlertInput): { incident: { id: string } } };
  /** The limits; default: config/pretrade.yaml (or `file`). */
  limits?: PretradeLimits;
  file?: string;
  /** How often timeouts and ACKs are checked (default 250 ms). */
  tick_ms?: number;
  /** Called every tick while the kill switch is engaged: keeps SAFE_MODE pinned (guardian.ts). */
  holdKillSwitch?: (kill: KillSwitch) => void;
  /**
   * The router's group commit: ledger, block and reconciliation writes join its batches (one
   * fsync for all), in the order they happened. Absent: each is its own transaction.
   */
  writer?: { enqueue(work: { write(db: Db): void; done(err?: Error): void }): void };
}

const MINUTE_MS = 60_000;
/** A STATUS_REQUEST unanswered this long no longer stops a new one. */
const REQUEST_PATIENCE_MS = 30_000;
/** How long an unknown command stays open to late evidence. */
const LATE_EVIDENCE_MS = 3_600_000;

export class ExecutionSafety implements Disposable {
  private limits_: PretradeLimits;
  readonly store: ExecutionStore;
  private readonly router: Router;
  private readonly clock: Clock;
  private readonly gate: GateState = initialGateState();
  private readonly quotes = new Map<string, { bid: number; ask: number }>();
  private readonly ledgers = new Map<string, Map<number, Position>>();
  /** Open lots per symbol over every EA's ledger: what ORDER_SIZE_BLOCK adds an order to. */
  private readonly lotsBySymbol = new Map<string, number>();
  private open: TrackedCommand[] = [];
  private readonly blockTimes: number[] = [];
  private readonly requested = new Map<string, number>();
  private kill_: KillSwitch;
  private lastReconcile: { ts_ms: number; peer: string; differences: number } | null = null;
  private readonly disposables = new DisposableStore();

  /** The limits in force. */
  get limits(): PretradeLimits {
    return this.limits_;
  }

  /** A good edit of pretrade.yaml, applied live: the next signal meets the new limits (the gate's windows and memory carry on). */
  setLimits(limits: PretradeLimits): void {
    this.limits_ = limits;
  }

  constructor(private readonly o: ExecutionOptions) {
    this.router = o.router;
    this.clock = o.clock;
    this.limits_ = o.limits ?? loadPretradeLimits(o.file);
    this.store = new ExecutionStore(o.db);
    this.kill_ = this.store.killSwitch();
    for (const r of this.store.positions()) this.put(r.peer, { ticket: r.ticket, symbol: r.symbol, side: r.side, lots: r.lots, open_price: r.open_price, sl: r.sl, tp: r.tp });
    this.disposables.add(this.router.events.on((e) => this.onRouterEvent(e)));
    this.disposables.add(this.clock.setInterval(() => this.tick(), o.tick_ms ?? 250));
    // On start: every EA Guardian knows is asked for its positions (sent once it is connected).
    for (const p of this.router.peers.values()) if (p.role === 'EA' && !p.legacy) this.requestStatus(p.node_id);
  }

  /** The router's signal policy: undefined lets the signal route. */
  readonly policy: SignalPolicy = (signal) => this.decide(signal);

  /** The router's check of a held signal at its release (held by the mode, or for want of an EA). */
  readonly releaseCheck: ReleaseCheck = (signal) => {
    const d = this.decide(signal);
    return d?.action === 'refuse' ? { reason: d.reason, detail: `${d.detail} (checked at release)` } : undefined;
  };

  /** The router's check of a signal it admitted on arrival and held for want of an EA: the market checks again. */
  readonly admittedCheck: ReleaseCheck = (signal) => {
    if (!this.limits.enabled) return undefined;
    const verdict = recheckAdmitted(this.limits, signal, this.marketFor(signal.symbol));
    if (verdict.pass) return undefined;
    this.blockTimes.push(this.clock.now_ms());
    return { reason: verdict.reason, detail: verdict.detail }; // the caller says when it was checked
  };

  decide(signal: SignalPayload): SignalDecision | undefined {
    if (!this.limits.enabled) return undefined;
    const verdict = checkSignal(this.limits, this.gate, signal, this.marketFor(signal.symbol), this.clock.now_ms());
    if (verdict.pass) return undefined;
    this.blockTimes.push(this.clock.now_ms());
    return { action: 'refuse', reason: verdict.reason, detail: verdict.detail };
  }

  /** Pre-trade blocks (not MODE_BLOCK) in the last minute: the risk gate's pretrade_blocks_per_min. */
  blocksPerMin(): number {
    const cut = this.clock.now_ms() - MINUTE_MS;
    while (this.blockTimes.length > 0 && this.blockTimes[0]! <= cut) this.blockTimes.shift();
    return this.blockTimes.length;
  }

  // ---- the kill switch ---------------------------------------------------------------------------

  get kill(): KillSwitch {
    return this.kill_;
  }

  /** Latched until released: a pin lapsing or a restart does not lift it. */
  engageKill(by: string, reason: string): void {
    if (this.kill_.engaged) return;
    this.kill_ = { engaged: true, by, reason, since_ms: this.clock.wall_ms() };
    this.store.setKillSwitch(this.kill_, this.clock.wall_ms());
  }

  releaseKill(): void {
    if (!this.kill_.engaged) return;
    this.kill_ = { engaged: false, by: null, reason: null, since_ms: null };
    this.store.setKillSwitch(this.kill_, this.clock.wall_ms());
  }

  // ---- commands ----------------------------------------------------------------------------------

  /** A COMMAND stored for an EA under `seq` (the control plane's `command` event). */
  trackCommand(peer: string, command: CommandName, seq: number, reason: string): void {
    const wall = this.clock.wall_ms();
    const c: TrackedCommand = {
      id: 0, command, peer, seq, reason, state: 'sent', sent_ms: wall, acked_ms: null, confirmed_ms: null,
      sent_mono_ms: this.clock.now_ms(), detail: 'stored for the EA; not acknowledged yet',
    };
    c.id = this.store.addCommand(c, wall);
    this.open.push(c);
    this.checkAcks(peer);
  }

  private save(changed: TrackedCommand[]): void {
    const wall = this.clock.wall_ms();
    for (const c of changed) this.store.updateCommand(c, wall);
  }

  private checkAcks(peer: string): void {
    const p = this.router.peers.get(peer);
    if (!p || !this.open.some((c) => c.peer === peer && c.acked_ms === null)) return;
    this.save(onAcked(this.open, peer, p.outbound.acked, this.clock.wall_ms()));
  }

  private tick(): void {
    try {
      for (const peer of new Set(this.open.map((c) => c.peer))) this.checkAcks(peer);
      const now = this.clock.now_ms();
      this.save(onTimeout(this.open, now, this.limits.command_timeout_s * 1000));
      this.open = stillOpen(this.open, now, LATE_EVIDENCE_MS);
      if (this.kill_.engaged) this.o.holdKillSwitch?.(this.kill_);
    } catch {
      // a closed store at shutdown; the next tick tries again
    }
  }

  // ---- router events -------------------------------------------------------------------------------

  private onRouterEvent(e: RouterEvent): void {
    try {
      if (e.type === 'message' && e.role === 'EA') {
        const t = e.envelope.header.message_type;
        if (t === 'STATUS') this.onEaStatus(e.peer, e.envelope.payload as StatusPayload);
        else if (t === 'STATUS_RESPONSE') this.onStatusResponse(e.peer, e.envelope.payload as StatusResponsePayload);
        else if (t === 'TRADE') this.onTrade(e.peer, e.envelope.payload as TradePayload);
      } else if (e.type === 'peer_connected' && e.role === 'EA' && !e.legacy) {
        this.requestStatus(e.peer);
      } else if (e.type === 'signal_refused') {
        this.onRefused(e);
      }
    } catch {
      // a closed store at shutdown must not reach the data plane
    }
  }

  private onEaStatus(peer: string, s: StatusPayload): void {
    if (s.quotes && typeof s.quotes === 'object') for (const [symbol, q] of Object.entries(s.quotes)) this.quotes.set(symbol, q);
    this.checkAcks(peer);
    this.save(onStatus(this.open, peer, s, this.clock.wall_ms()));
  }

  private onTrade(peer: string, t: TradePayload): void {
    const change = applyTrade(this.ledgerOf(peer), t);
    if (t.event === 'OPENED' || t.event === 'CLOSED') recordFill(this.gate, t.symbol);
    if (!change) return;
    const wall = this.clock.wall_ms();
    if (change.kind === 'put') {
      this.put(peer, change.position);
      this.write(() => this.store.putPosition(peer, change.position, wall));
    } else {
      this.remove(peer, change.ticket);
      this.write(() => this.store.removePosition(peer, change.ticket));
    }
  }

  /** A write in the router's next group commit (in order with the others), or now. */
  private write(fn: () => void): void {
    if (this.o.writer) this.o.writer.enqueue({ write: fn, done: () => undefined });
    else fn();
  }

  private onRefused(e: Extract<RouterEvent, { type: 'signal_refused' }>): void {
    const s = e.signal;
    const row = {
      ts_ms: this.clock.wall_ms(), message_id: e.message_id ?? null, signal_id: e.signal_id, origin: e.peer,
      symbol: s?.symbol ?? '?', action: s?.action ?? '?', lots: s?.lots ?? null, reason: e.reason, detail: e.detail,
    };
    this.write(() => this.store.addBlock(row));
  }

  // ---- reconciliation --------------------------------------------------------------------------------

  /** Asks an EA for its positions, unless a request is already on its way. */
  requestStatus(peer: string): void {
    const now = this.clock.now_ms();
    const asked = this.requested.get(peer);
    if (asked !== undefined && now - asked < REQUEST_PATIENCE_MS) return;
    this.requested.set(peer, now);
    this.router.send(peer, 'STATUS_REQUEST', {}).catch(() => this.requested.delete(peer));
  }

  private onStatusResponse(peer: string, s: StatusResponsePayload): void {
    this.requested.delete(peer);
    this.onEaStatus(peer, s);
    if (!Array.isArray(s.positions)) return; // an EA that does not report positions cannot be reconciled
    const broker = s.positions.map(fromReport);
    const ledger = this.ledgerOf(peer);
    const differences = reconcile([...ledger.values()], broker);
    const wall = this.clock.wall_ms();
    this.lastReconcile = { ts_ms: wall, peer, differences: differences.length };
    if (differences.length === 0) return;
    let incident_id: string | null = null;
    try {
      const SHOWN = 20; // the incident names the first ones; the table keeps every one
      const more = differences.length > SHOWN ? `; and ${differences.length - SHOWN} more (see the Execution panel)` : '';
      const text = differences.slice(0, SHOWN).map((d) => describeDifference(peer, d)).join('; ') + more;
      incident_id = this.o.incidents?.raise({
        family: 'RECONCILE', severity: 'critical', type: 'detect',
        title: `Reconciliation: ${differences.length} difference(s) between Guardian's ledger and ${peer}'s positions`,
        summary: `${text}. The ledger now takes the broker's positions.`,
        detail: { peer, count: differences.length, differences: differences.slice(0, 100) },
      }).incident.id ?? null;
    } catch {
      // the log's failure must not keep the ledger wrong: the differences are kept below all the same
    }
    // The broker's truth, and what differed, in one transaction (after the ledger writes queued before it).
    this.write(() => this.store.replaceLedger(peer, broker, differences, incident_id, wall));
    for (const p of [...ledger.values()]) this.remove(peer, p.ticket);
    for (const p of broker) this.put(peer, p);
  }

  private put(peer: string, p: Position): void {
    const ledger = this.ledgerOf(peer);
    const was = ledger.get(p.ticket);
    if (was) this.addLots(was.symbol, -was.lots);
    ledger.set(p.ticket, p);
    this.addLots(p.symbol, p.lots);
  }

  private remove(peer: string, ticket: number): void {
    const ledger = this.ledgerOf(peer);
    const was = ledger.get(ticket);
    if (!was) return;
    ledger.delete(ticket);
    this.addLots(was.symbol, -was.lots);
  }

  private addLots(symbol: string, lots: number): void {
    const n = (this.lotsBySymbol.get(symbol) ?? 0) + lots;
    if (Math.abs(n) < 1e-9) this.lotsBySymbol.delete(symbol);
    else this.lotsBySymbol.set(symbol, n);
  }

  // ---- reads -------------------------------------------------------------------------------------------

  private ledgerOf(peer: string): Map<number, Position> {
    let l = this.ledgers.get(peer);
    if (!l) {
      l = new Map();
      this.ledgers.set(peer, l);
    }
    return l;
  }

  /** What the gate checks a signal against: the EA's last quote and the lots open on the symbol. */
  private marketFor(symbol: string): GateMarket {
    return { quote: this.quotes.get(symbol), open_lots: this.openLots(symbol) };
  }

  private openLots(symbol: string): number {
    return this.lotsBySymbol.get(symbol) ?? 0;
  }

  /** Guardian's ledger as it stands (the database follows within a group commit). */
  private positions(): (Position & { peer: string })[] {
    const out: (Position & { peer: string })[] = [];
    for (const [peer, l] of [...this.ledgers].sort(([a], [b]) => a.localeCompare(b))) {
      for (const p of [...l.values()].sort((a, b) => a.ticket - b.ticket)) out.push({ ...p, peer });
    }
    return out;
  }

  view(limit = 100): ExecutionView {
    return toView({
      kill: this.kill_, enabled: this.limits.enabled, blocks_per_min: this.blocksPerMin(),
      blocks: this.store.blocks(limit), commands: this.store.commands(limit), positions: this.positions().slice(0, Math.max(limit, 1000)),
      differences: this.store.differences(limit), last: this.lastReconcile,
    });
  }

  dispose(): void {
    this.disposables.dispose();
  }
}
