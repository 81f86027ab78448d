// The pulse (DESIGN.md section 1): every pulse_ms, one snapshot of the whole chain: each peer and
// path (router health and the loop-around probes, with the 2-of-3 quorum), the host, the EA's
// STATUS facts, the signal tiers' staleness, execution quality from TRADE events, the buffer,
// bridge and ack latency, and their rolling baselines. The snapshot carries a flat record named
// as the variable catalogue (plus the agents' extra inputs) and a Float64Array frame laid out by
// CONSTRAINT_VARIABLE_INDEX. Unknown is NaN everywhere: a missing value never reads as healthy.
import type { Envelope, PathName, SignalTier, StatusPayload, TradePayload } from '../../../src-shared/protocol';
import { PATH_PRIORITY, SIGNAL_TIERS } from '../../../src-shared/protocol';
import { EA_STATE_CODES } from '../agents';
import type { Clock } from '../clock';
import { CONSTRAINT_VARIABLE_INDEX, CONSTRAINT_VARIABLES, EA_STATE_CODES as EA_STATE_CODES_CATALOGUE, type ConstraintFilterContext, type Regime } from '../constraints';
import { toDisposable, type Disposable, DisposableStore, Emitter } from '../lifecycle';
import type { Peer, Router, RouterEvent } from '../router';
import type { Db } from '../store';
import { DEFAULT_EA_FACT_OPTIONS, EaFacts, type EaFactOptions, type EaFigures } from './ea-facts';
import { HostSampler, type HostFigures, type ProbeWriter } from './host';
import { DEFAULT_PROBE_WINDOWS, PathProbe, type ProbeWindows } from './probes';
import { DEFAULT_PROBE_BUDGET, type ProbeBudget, type QuorumResult } from './quorum';
import { RollingWindow } from './rolling';
import { fxMarketOpen, fxSession, regimeOf } from './session';
import { DEFAULT_TRADE_WINDOWS, TradeTracker, type RejectKind, type TradeWindows } from './trades';

export interface PulseOptions {
  /** How often the control plane samples (config: 250 ms). */
  pulse_ms: number;
  /** Window of the rolling baselines (p95 bridge and ack latency). */
  baseline_window_s: number;
  probe: ProbeWindows;
  probe_budget: ProbeBudget;
  trades: TradeWindows;
  ea: EaFactOptions;
  /** Window of the resend rate. */
  resend_window_s: number;
  /**
   * A durable write is timed this often (an fsync each, unless it joins a group commit under way),
   * and its p95 taken over db_latency_window_s: a reading of now that recovers within that window.
   */
  db_probe_ms: number;
  db_latency_window_s: number;
  disk_every_ms: number;
  /** The symbol being judged (constraint filters), when the EA's STATUS does not name it. */
  symbol?: string;
  /** The volatility regime, when the EA does not report a volatility ratio. */
  regime?: Regime;
  /**
   * A path still connected but silent past its heartbeats counts as down only after this long
   * silent (unknown before): a stall of the host's own event loop must not read as a dead path.
   * A closed connection is down at once.
   */
  silence_down_ms: number;
}

/** PulseOptions with every part optional, nested ones too (they are merged over the defaults). */
export type PulseSettings = Partial<Omit<PulseOptions, 'probe' | 'probe_budget' | 'trades' | 'ea'>> & {
  probe?: Partial<ProbeWindows>;
  probe_budget?: Partial<ProbeBudget>;
  trades?: Partial<TradeWindows>;
  ea?: Partial<EaFactOptions>;
};

export const DEFAULT_PULSE_OPTIONS: PulseOptions = {
  pulse_ms: 250,
  baseline_window_s: 300,
  probe: DEFAULT_PROBE_WINDOWS,
  probe_budget: DEFAULT_PROBE_BUDGET,
  trades: DEFAULT_TRADE_WINDOWS,
  ea: DEFAULT_EA_FACT_OPTIONS,
  resend_window_s: 60,
  db_probe_ms: 1000,
  db_latency_window_s: 30,
  disk_every_ms: 5000,
  silence_down_ms: 1000,
};

/** How one path to one peer looks this pulse. */
export type PathVerdictNow = 'healthy' | 'failing' | 'unknown' | 'down' | 'absent';

export interface PathPulse {
  path: PathName;
  /** Connected, greeted and heard from recently. */
  up: boolean;
  connected: boolean;
  /** absent: never connected since start; down: known but not up; else the probe quorum's verdict. */
  verdict: PathVerdictNow;
  quorum: QuorumResult | null;
  active: boolean;
  rtt_ms_p50: number | null;
  rtt_ms_p95: number | null;
  rtt_ms_p99: number | null;
  /** Mean round trip of the last second's echoes. */
  latency_ms: number | null;
  drop_pct: number;
  last_heard_ms_ago: number | null;
  last_error: string | null;
  resent: number;
}

export interface PeerPulse {
  node_id: string;
  role: 'EA' | 'SIGNAL';
  tier: SignalTier | null;
  active_path: PathName | null;
  forced_path: PathName | null;
  /** Who forced the path (the operator, or the control plane by its name). */
  forced_by: string | null;
  unacked: number;
  paths: PathPulse[];
  healthy_paths: number;
}

export interface TierPulse {
  /** A peer of this tier has a path connected. */
  connected: boolean;
  /** Seconds since the last signal from a peer of this tier (NaN: none since start). */
  age_s: number;
  peers: string[];
}

export interface PulseSnapshot {
  seq: number;
  now_ms: number;
  wall_ms: number;
  /** Every catalogue variable, plus the agents' extra inputs; NaN when unknown. */
  vars: Record<string, number>;
  /** The catalogue variables laid out by CONSTRAINT_VARIABLE_INDEX (NaN missing). */
  frame: Float64Array;
  filter: ConstraintFilterContext;
  high_volatility: boolean;
  market_open: boolean;
  peers: PeerPulse[];
  tiers: Record<SignalTier, TierPulse>;
  host: HostFigures;
  /** The EA's protocol state (IDLE ... HALT) of the EA judged, or null. */
  ea_state: string | null;
  /** The EA peers with a fresh STATUS. */
  eas_reporting: number;
  /** The durable outbox: depth, messages stored and acknowledged per second (over the last few seconds), oldest age. */
  buffer: { depth: number; enq_per_s: number; deq_per_s: number; oldest_age_s: number | null };
  baselines: {
    p50_bridge_latency_ms: number;
    p95_bridge_latency_ms: number;
    p99_bridge_latency_ms: number;
    p95_ack_latency_ms: number;
    normal_spread_pips: number;
  };
}

export interface PulseDeps {
  router: Router;
  db: Db;
  clock: Clock;
  /** The data dir (its volume's free space is watched). */
  dataDir: string;
  /** The trading truth (guardian/truth): figures from the trade journal, and each EA's persisted equity peak. */
  truth?: TruthFeed;
  /** The store's group commit: the write probe goes through it (its fsync off the event loop). */
  writer?: ProbeWriter;
}

/** What the pulse reads of the trading truth; structural, so the pulse does not depend on the part. */
export interface TruthFeed {
  /** Catalogue variables computed from the journal (consecutive_losses, var95_pct, ...); NaN unknown. */
  readings(): Record<string, number>;
  /** The highest equity ever seen for an EA, persisted (NaN: none). */
  peakEquity(peer: string): number;
}

/** One ping's outcome on one path to one peer: the loop-around probe the repair verifies with. */
export interface PingEvent {
  peer: string;
  path: PathName;
  echoed: boolean;
  rtt_ms: number | null;
  now_ms: number;
}

/** A TRADE event as the pulse read it: how a reject counts for the broker's breaker. */
export interface TradeEvent {
  peer: string;
  trade: TradePayload;
  kind: RejectKind | 'fill' | 'other';
}

const AGENT_EXTRA_VARS = ['orders_per_min', 'session_open', 'news_blackout', 'degrade_episodes_1h', 'repair_success_pct', 'false_positive_rate_pct'] as const;
/** `entries_held`: 1 while Guardian holds new entries (a mode, the operator), so it has told the EA to. */
export type ExtraVar = (typeof AGENT_EXTRA_VARS)[number] | 'log_chain_ok' | 'pretrade_blocks_per_min' | 'entries_held';

const worst = {
  max: (a: number, b: number) => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.max(a, b)),
  min: (a: number, b: number) => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.min(a, b)),
  sum: (a: number, b: number) => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : a + b),
};

/** How the figures of several EAs fold into the one value a constraint reads: the worst of them. */
const EA_FOLD: Record<string, keyof typeof worst> = {
  margin_level_pct: 'min', open_positions: 'sum', positions_without_stop: 'sum', broker_connected: 'min',
};

const round3 = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);

export class PulseSampler implements Disposable {
  private readonly options: PulseOptions;
  private readonly store = new DisposableStore();
  private readonly host: HostSampler;
  private readonly trades: TradeTracker;
  private readonly facts = new Map<string, EaFacts>();
  private readonly probes = new Map<string, PathProbe>();
  private readonly attached = new Set<Peer>();
  private readonly signalSeen = new Map<string, { received: number; last_ms: number | null }>();
  private readonly bridge: RollingWindow;
  private readonly acks: RollingWindow;
  private lastAckP95 = Number.NaN;
  private readonly ackSeen = new Map<string, number>();
  private readonly resends: RollingWindow;
  private readonly committed: RollingWindow;
  private readonly counters = new Map<string, { resent: number; committed: number }>();
  private readonly enq = new RollingWindow(5000, 512);
  private readonly deq = new RollingWindow(5000, 512);
  private lastTotals: { committed: number; acked: number; t: number } | null = null;
  private firstSample_ms: number | null = null;
  private readonly extras = new Map<ExtraVar, number>();
  private seq = 0;
  private readonly pingEmitter = new Emitter<PingEvent>();
  private readonly tradeEmitter = new Emitter<TradeEvent>();
  private last: PulseSnapshot | null = null;

  constructor(
    private readonly deps: PulseDeps,
    options: PulseSettings = {},
  ) {
    const d = DEFAULT_PULSE_OPTIONS;
    this.options = {
      ...d, ...options,
      probe: { ...d.probe, ...options.probe },
      probe_budget: { ...d.probe_budget, ...options.probe_budget },
      trades: { ...d.trades, ...options.trades },
      ea: { ...d.ea, ...options.ea },
    };
    const o = this.options;
    this.host = new HostSampler({
      dataDir: deps.dataDir, db: deps.db, db_probe_ms: o.db_probe_ms, disk_every_ms: o.disk_every_ms,
      db_latency_window_s: o.db_latency_window_s, lag_window_ms: 5000, storeFailures: () => deps.router.storeFailures,
      ...(deps.writer ? { writer: deps.writer } : {}),
    });
    this.store.add(toDisposable(() => this.host.dispose()));
    this.trades = new TradeTracker(o.trades);
    this.bridge = new RollingWindow(o.baseline_window_s * 1000, 8192);
    this.acks = new RollingWindow(o.baseline_window_s * 1000, 4096);
    this.resends = new RollingWindow(o.resend_window_s * 1000, 2048);
    this.committed = new RollingWindow(o.resend_window_s * 1000, 2048);
    this.store.add(deps.router.events.on((e) => this.onRouterEvent(e)));
    this.store.add(toDisposable(() => {
      for (const peer of this.attached) for (const s of peer.stats.values()) s.pingListeners.clear();
    }));
  }

  get pulseOptions(): PulseOptions {
    return this.options;
  }

  /** The latest snapshot taken, or null before the first. */
  get latest(): PulseSnapshot | null {
    return this.last;
  }

  /** Every loop-around ping outcome on every path (standby paths included). */
  onPing(listener: (e: PingEvent) => void): Disposable {
    return this.pingEmitter.on(listener);
  }

  /** Every TRADE event, with how a reject counts (for the broker's breaker). */
  onTrade(listener: (e: TradeEvent) => void): Disposable {
    return this.tradeEmitter.on(listener);
  }

  /** Values other parts supply (the incident log's chain check, the learning loop's figures). */
  setExtra(name: ExtraVar, value: number | null): void {
    if (value === null || !Number.isFinite(value)) this.extras.delete(name);
    else this.extras.set(name, value);
  }

  /**
   * The EA's state for the constraints. PAUSED is how an EA confirms HOLD_NEW_ENTRIES (PROTOCOL.md
   * STATUS): while Guardian holds new entries it is the EA doing as told, so it reads as running.
   * Otherwise `ea_running` would tell the operator to resume the EA, undoing Guardian's own hold.
   */
  private stateCode(code: number): number {
    return code === EA_STATE_CODES_CATALOGUE.paused && this.extras.get('entries_held') === 1 ? EA_STATE_CODES_CATALOGUE.running : code;
  }

  private onRouterEvent(e: RouterEvent): void {
    if (e.type !== 'message' || e.role !== 'EA') return;
    const type = e.envelope.header.message_type;
    const now = this.deps.clock.now_ms();
    if (type === 'STATUS' || type === 'STATUS_RESPONSE') {
      this.factsOf(e.peer).record((e.envelope as Envelope<'STATUS'>).payload as StatusPayload & Record<string, unknown>, now, this.deps.clock.wall_ms());
    } else if (type === 'TRADE') {
      const trade = (e.envelope as Envelope<'TRADE'>).payload;
      const kind = this.trades.record(trade, now);
      try {
        this.tradeEmitter.fire([{ peer: e.peer, trade, kind }]);
      } catch {
        // a listener's failure is its own
      }
    }
  }

  private factsOf(peer: string): EaFacts {
    let f = this.facts.get(peer);
    if (!f) {
      f = new EaFacts(this.options.ea);
      // The drawdown's peak outlives a restart: the journal keeps it (it was kept in memory only).
      f.seedPeak(this.deps.truth?.peakEquity(peer) ?? Number.NaN);
      this.facts.set(peer, f);
    }
    return f;
  }

  private probeOf(peer: string, path: PathName): PathProbe {
    const key = `${peer}\u0000${path}`;
    let p = this.probes.get(key);
    if (!p) {
      p = new PathProbe(peer, path, this.options.probe);
      this.probes.set(key, p);
    }
    return p;
  }

  /** Hooks the loop-around probes onto a peer's paths, once. */
  private attach(peer: Peer): void {
    if (this.attached.has(peer)) return;
    this.attached.add(peer);
    for (const path of PATH_PRIORITY) {
      const probe = this.probeOf(peer.node_id, path);
      peer.statsFor(path).pingListeners.add((echoed, rtt_ms) => {
        const now_ms = this.deps.clock.now_ms();
        probe.onPing(echoed, rtt_ms, now_ms);
        if (echoed && rtt_ms !== null && peer.activePath === path && peer.role === 'EA') this.bridge.push(now_ms, rtt_ms);
        this.pingEmitter.fire([{ peer: peer.node_id, path, echoed, rtt_ms, now_ms }]);
      });
    }
  }

  /** Takes one snapshot. */
  sample(): PulseSnapshot {
    const { router, clock } = this.deps;
    const now = clock.now_ms();
    const wall = clock.wall_ms();
    const o = this.options;
    const host = this.host.sample(now, wall);

    // ---- peers and paths
    const peers: PeerPulse[] = [];
    const eaPeers: Peer[] = [];
    let bridgeLatency = Number.NaN;
    let dropPct = Number.NaN;
    let heartbeatAge = Number.NaN;
    let healthyPaths = Number.NaN;
    let ackLatency = Number.NaN;
    let depth = 0;
    let resentDelta = 0;
    let committedDelta = 0;
    const tiers = Object.fromEntries(SIGNAL_TIERS.map((t) => [t, { connected: false, age_s: Number.NaN, peers: [] as string[] }])) as Record<SignalTier, TierPulse>;

    for (const peer of router.peers.values()) {
      this.attach(peer);
      const health = peer.health(now);
      const paths: PathPulse[] = [];
      let healthy = 0;
      let resent = 0;
      for (const h of health) {
        const probe = this.probeOf(peer.node_id, h.path);
        probe.observe(h, now);
        resent += h.resent;
        const known = h.connects > 0 || peer.links.has(h.path);
        let verdict: PathVerdictNow;
        let quorum: QuorumResult | null = null;
        if (!known) verdict = 'absent';
        else if (!h.connected || (!h.up && (h.last_heard_ms_ago === null || h.last_heard_ms_ago > o.silence_down_ms))) verdict = 'down';
        else if (!h.up) verdict = 'unknown'; // silent for a moment: not judged yet
        else if (h.path === 'spool') verdict = 'healthy'; // no echo on the spool: its heartbeat file is the probe
        else {
          quorum = probe.quorum(now, o.probe_budget);
          verdict = quorum.verdict;
        }
        if (verdict === 'healthy') healthy++;
        const latency = probe.recentRtt(now, 1000);
        paths.push({
          path: h.path, up: h.up, connected: h.connected, verdict, quorum, active: peer.activePath === h.path,
          rtt_ms_p50: h.rtt_ms_p50, rtt_ms_p95: h.rtt_ms_p95, rtt_ms_p99: h.rtt_ms_p99,
          latency_ms: Number.isFinite(latency) ? round3(latency) : null,
          drop_pct: h.drop_pct, last_heard_ms_ago: h.last_heard_ms_ago, last_error: h.last_error, resent: h.resent,
        });
      }
      peers.push({
        node_id: peer.node_id, role: peer.role, tier: peer.tier ?? null, active_path: peer.activePath, forced_path: peer.forcedPath,
        forced_by: peer.forcedPath ? (peer.forcedBy ?? 'the operator') : null, unacked: peer.outbound.unacked, paths, healthy_paths: healthy,
      });
      depth += peer.outbound.unacked;

      if (peer.role === 'SIGNAL') {
        const seen = this.signalSeen.get(peer.node_id) ?? { received: peer.received, last_ms: null };
        if (peer.received > seen.received) seen.last_ms = now;
        seen.received = peer.received;
        this.signalSeen.set(peer.node_id, seen);
        const tier = tiers[peer.tier ?? 'primary'];
        tier.peers.push(peer.node_id);
        if (paths.some((p) => p.connected)) tier.connected = true; // silence is judged by the signals' age
        if (seen.last_ms !== null) tier.age_s = worst.min(tier.age_s, (now - seen.last_ms) / 1000);
        continue;
      }

      // EA peers: the bridge.
      eaPeers.push(peer);
      const c = this.counters.get(peer.node_id);
      const committed = peer.outbound.committed;
      if (c) {
        resentDelta += Math.max(0, resent - c.resent);
        committedDelta += Math.max(0, committed - c.committed);
      }
      this.counters.set(peer.node_id, { resent, committed });
      // Paths up but not judged yet (no echo since they connected) leave the count unknown rather than 0.
      const judging = healthy === 0 && paths.some((x) => x.up && x.verdict === 'unknown');
      healthyPaths = worst.min(healthyPaths, judging ? Number.NaN : healthy);
      const active = peer.activePath;
      if (active && active !== 'spool') {
        const probe = this.probeOf(peer.node_id, active);
        let latency = probe.recentRtt(now, 1000);
        if (!Number.isFinite(latency)) latency = probe.recentRtt(now, o.probe.probe_window_s * 1000);
        bridgeLatency = worst.max(bridgeLatency, latency);
        dropPct = worst.max(dropPct, probe.dropPctMinute(now));
      } else if (active === 'spool') {
        dropPct = worst.max(dropPct, 0); // no pings on the spool: nothing is dropped silently there (files are acknowledged)
      }
      let heard = Number.NaN;
      for (const h of health) if (h.last_heard_ms_ago !== null) heard = worst.min(heard, h.last_heard_ms_ago);
      heartbeatAge = worst.max(heartbeatAge, heard);
      if (peer.ackLatencySamples !== (this.ackSeen.get(peer.node_id) ?? 0) && peer.lastAckLatency_ms !== null) {
        this.ackSeen.set(peer.node_id, peer.ackLatencySamples);
        this.acks.push(now, peer.lastAckLatency_ms);
      }
      if (peer.lastAckLatency_ms !== null) ackLatency = worst.max(ackLatency, peer.lastAckLatency_ms);
    }
    this.resends.push(now, resentDelta);
    this.committed.push(now, committedDelta);
    let committedAll = 0;
    let ackedAll = 0;
    for (const peer of router.peers.values()) {
      committedAll += peer.outbound.committed;
      ackedAll += peer.outbound.acked;
    }
    if (this.lastTotals) {
      this.enq.push(now, Math.max(0, committedAll - this.lastTotals.committed));
      this.deq.push(now, Math.max(0, ackedAll - this.lastTotals.acked));
    }
    this.lastTotals = { committed: committedAll, acked: ackedAll, t: now };
    this.firstSample_ms ??= now;
    const span_s = Math.max(0.001, Math.min(5000, now - this.firstSample_ms) / 1000);

    // ---- the EA's facts, folded over the EAs (the worst of them)
    let ea: Record<string, number> | null = null;
    let eaState: string | null = null;
    let symbol: string | undefined;
    let reporting = 0;
    let openPositions = Number.NaN;
    for (const peer of eaPeers) {
      const facts = this.facts.get(peer.node_id);
      if (!facts) continue;
      const f: EaFigures = facts.figures(now);
      if (facts.live(now)) reporting++;
      eaState = eaState ?? f.ea_state;
      symbol = symbol ?? f.symbol ?? undefined;
      openPositions = worst.sum(openPositions, f.open_positions);
      const numeric = f as unknown as Record<string, number>;
      if (!ea) {
        ea = {};
        for (const [k, v] of Object.entries(numeric)) if (typeof v === 'number') ea[k] = v;
        continue;
      }
      for (const [k, v] of Object.entries(numeric)) {
        if (typeof v !== 'number') continue;
        ea[k] = worst[EA_FOLD[k] ?? 'max'](ea[k] ?? Number.NaN, v);
      }
    }
    const live = reporting > 0;
    const trades = this.trades.figures(now, live, openPositions);

    // ---- baselines
    const bridgeStats = this.bridge.stats(now);
    const ackStats = this.acks.stats(now);
    if (ackStats.count > 0) this.lastAckP95 = ackStats.p95;
    const resendSum = this.resends.sum(now);
    const committedSum = this.committed.sum(now);
    const oldest = eaPeers.length > 0 || depth > 0 ? (router.oldestUnackedAge_s() ?? 0) : Number.NaN;

    const NaN_ = Number.NaN;
    const e = (name: string) => ea?.[name] ?? NaN_;
    let truth: Record<string, number> = {};
    try {
      truth = this.deps.truth?.readings() ?? {};
    } catch {
      // the journal is unreadable (database closing): those variables read as missing
    }
    const t = (name: string) => truth[name] ?? NaN_;
    const vars: Record<string, number> = {
      spread_pips: e('spread_pips'),
      normal_spread_pips: e('normal_spread_pips'),
      tick_age_s: e('tick_age_s'),
      volatility_ratio: e('volatility_ratio'),
      slippage_bps: trades.slippage_bps,
      p95_slippage_bps: trades.p95_slippage_bps,
      requote_rate_pct: trades.requote_rate_pct,
      'signal_age_s.primary': tiers.primary.age_s,
      'signal_age_s.cached': tiers.cached.age_s,
      'signal_age_s.heuristic': tiers.heuristic.age_s,
      portfolio_correlation: e('portfolio_correlation'),
      margin_level_pct: e('margin_level_pct'),
      daily_loss_pct: e('daily_loss_pct'),
      drawdown_pct: e('drawdown_pct'),
      // The journal's streak survives a restart; the pulse's own is the fallback without it.
      consecutive_losses: this.deps.truth ? t('consecutive_losses') : trades.consecutive_losses,
      max_drawdown_pct: t('max_drawdown_pct'),
      var95_pct: t('var95_pct'),
      es95_pct: t('es95_pct'),
      profit_factor: t('profit_factor'),
      win_rate_pct: t('win_rate_pct'),
      closed_trades: t('closed_trades'),
      return_days: t('return_days'),
      open_positions: e('open_positions'),
      positions_without_stop: Number.isFinite(e('positions_without_stop')) ? e('positions_without_stop') : trades.positions_without_stop,
      gross_leverage: e('gross_leverage'),
      cpu_pct: host.cpu_pct,
      memory_pct: host.memory_pct,
      disk_free_pct: host.disk_free_pct,
      event_loop_lag_ms: host.event_loop_lag_ms,
      db_ok: host.db_ok,
      db_write_latency_ms: host.db_write_latency_ms,
      log_chain_ok: this.extras.get('log_chain_ok') ?? NaN_,
      pretrade_blocks_per_min: this.extras.get('pretrade_blocks_per_min') ?? NaN_, // issue 6: guardian/execution
      clock_skew_ms: e('clock_skew_ms'),
      buffer_depth: eaPeers.length > 0 || depth > 0 ? depth : NaN_,
      oldest_age_s: oldest,
      ea_state_code: this.stateCode(e('ea_state_code')),
      ea_halted: e('ea_halted'),
      bridge_latency_ms: bridgeLatency,
      p95_bridge_latency_ms: bridgeStats.count > 0 ? bridgeStats.p95 : NaN_,
      drop_pct: dropPct,
      heartbeat_age_ms: heartbeatAge,
      ack_latency_ms: ackLatency,
      p95_ack_latency_ms: this.lastAckP95,
      resend_rate_pct: eaPeers.length === 0 ? NaN_ : committedSum > 0 ? Math.min(100, (resendSum / committedSum) * 100) : resendSum > 0 ? 100 : 0,
      healthy_paths: healthyPaths,
      reject_rate_pct: trades.reject_rate_pct,
      broker_rtt_ms: e('broker_rtt_ms'),
      broker_connected: e('broker_connected'),
    };
    const frame = CONSTRAINT_VARIABLE_INDEX.frameFrom(vars);
    // The agents' own inputs: their EA state encoding is the protocol's (agents/system.ts), not the catalogue's.
    vars.orders_per_min = trades.orders_per_min;
    vars.exec_reject_rate_pct = trades.exec_reject_rate_pct;
    vars.session_open = fxMarketOpen(wall) ? 1 : 0;
    for (const name of AGENT_EXTRA_VARS) if (this.extras.has(name)) vars[name] = this.extras.get(name)!;
    const agentState = eaState !== null && Object.hasOwn(EA_STATE_CODES, eaState) ? EA_STATE_CODES[eaState as keyof typeof EA_STATE_CODES] : NaN_;

    const regime = regimeOf(vars.volatility_ratio ?? NaN_) ?? o.regime;
    const filter: ConstraintFilterContext = {
      session: fxSession(wall),
      ...(symbol ?? o.symbol ? { symbol: (symbol ?? o.symbol)! } : {}),
      ...(regime ? { regime } : {}),
    };
    const snapshot: PulseSnapshot = {
      seq: ++this.seq,
      now_ms: now,
      wall_ms: wall,
      vars: { ...vars, ea_state_code_agents: agentState },
      frame,
      filter,
      high_volatility: regime === 'high',
      market_open: fxMarketOpen(wall),
      peers,
      tiers,
      host,
      ea_state: eaState,
      eas_reporting: reporting,
      buffer: {
        depth,
        enq_per_s: Math.round(this.enq.sum(now) / span_s),
        deq_per_s: Math.round(this.deq.sum(now) / span_s),
        oldest_age_s: Number.isFinite(oldest) ? oldest : null,
      },
      baselines: {
        p50_bridge_latency_ms: bridgeStats.p50,
        p95_bridge_latency_ms: bridgeStats.p95,
        p99_bridge_latency_ms: bridgeStats.p99,
        p95_ack_latency_ms: this.lastAckP95,
        normal_spread_pips: e('normal_spread_pips'),
      },
    };
    this.last = snapshot;
    return snapshot;
  }

  /** The agents read the protocol's EA state codes under the catalogue's name. */
  static agentVars(snapshot: PulseSnapshot): Record<string, number> {
    return { ...snapshot.vars, ea_state_code: snapshot.vars.ea_state_code_agents ?? Number.NaN };
  }

  dispose(): void {
    this.store.dispose();
  }
}

/** Every catalogue name, for tests and the console. */
export const PULSE_VARIABLES: readonly string[] = CONSTRAINT_VARIABLES.map((v) => v.name);
