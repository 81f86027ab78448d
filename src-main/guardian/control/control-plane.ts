// The composition of the loop (DESIGN.md section 1): every pulse_ms, the pulse's snapshot ->
// constraints -> quality gates -> agents -> mode manager, and the mode manager's effects carried
// out on the data plane through the router's public API:
//   SWITCH_PATHS        failover: each EA is forced onto its best healthy path (and kept off a
//                       failing one until its repair is proved); switch_back: the forces are lifted
//   USE_SIGNAL_TIER     router.signals.activeTier (cached, or heuristic when cached is unusable)
//   HOLD_NEW_ENTRIES    manage-only: new-entry signals (BUY, SELL) held with reason MODE_BLOCK and
//                       a TTL; CLOSE and MODIFY pass. SAFE_MODE refuses new entries.
//   RELEASE / EXPIRE    router.releaseHeld() / router.expireHeld('MODE_BLOCK'); every held signal
//                       meets the mode again at its release (signals.entryVerdict), and one found
//                       held while entries pass and an EA is known is released (releaseLeftovers)
//   SEND_COMMAND        COMMAND to every EA, durably (router.send)
// Breakers per path, signal tier, broker and store are fed from router and TRADE events. Failing
// paths are repaired in the background by runbooks, and proved by shadow verification before
// traffic returns (the path desk, path-desk.ts). Mode, breakers, repairs, the tier and the
// operator's hold of new entries survive a restart (table control_state).
import { join } from 'node:path';
import type { PathName, SignalTier } from '../../../src-shared/protocol';
import { SIGNAL_TIERS } from '../../../src-shared/protocol';
import { DEFAULT_AGENT_CONFIG } from '../agents';
import { BreakerBoard, classifyError, type BoardChange, type BreakerPosition } from '../breakers';
import { monotonicShift_ms, systemClock, type Clock } from '../clock';
import { CONFIG_DIR, loadYamlConfig } from '../config';
import { defineConstraints, loadConstraints } from '../constraints';
import { DEFAULT_GATE_POLICY } from '../gates';
import { DisposableStore, Emitter, toDisposable, type Disposable } from '../lifecycle';
import { ModeManager, parsePolicy, type FailoverPolicy, type Mode, type ModeEffect, type Override } from '../modes';
import { PulseSampler, type PulseSnapshot } from '../pulse';
import { initialRepairState, loadRunbooks, shiftRepairState, successRate_pct, type Runbook } from '../repair';
import type { Router, RouterEvent } from '../router';
import { ConstraintEngine, decide, type Decision } from './engine';
import { EntryDesk } from './entry-desk';
import { PathDesk } from './path-desk';
import { ControlStore, readEntryHold } from './persistence';
import { ConstraintRepository, type ConstraintRun } from './repository';
import { commScore, DEFAULT_SIGNAL_STALE_S, execScore, tierScore, tierUsable, type BreakerLookup, type ScoreWhy } from './scores';
import { buildStatus, whyOf } from './status';
import { ErrorBudget, judgePulse } from './error-budget';
import { SEED_SLO_BUDGETS } from '../../../src-shared/contract';
import {
  DEFAULT_EXEC_BUDGETS, type ControlEvent, type ControlEventType, type ControlPlaneOptions, type ControlStatus, type ExecBudgets,
  type IncidentSink, type RepairStatus, type WhyRecord,
} from './types';
import type { ConstraintDefinition, ConstraintResult } from '../constraints';

export interface PulseResult {
  snapshot: PulseSnapshot;
  decision: Decision;
  scores: { comm: ScoreWhy; signal: ScoreWhy; exec: ScoreWhy };
}

export interface ControlPlane extends Disposable {
  readonly mode: Mode;
  readonly pulse_ms: number;
  readonly name: string;
  readonly modes: ModeManager;
  readonly breakers: BreakerBoard;
  readonly repository: ConstraintRepository;
  readonly sampler: PulseSampler;
  readonly policy: FailoverPolicy;
  readonly runbooks: readonly Runbook[];
  /** Runs one pulse now (tests; the timer does it every pulse_ms). */
  pulseNow(): PulseResult;
  latest(): PulseResult | null;
  /** DESIGN.md section 4's /api/status shape, with the control plane's detail. */
  controlStatus(): ControlStatus;
  recentEvents(limit?: number): ControlEvent[];
  onEvent(listener: (e: ControlEvent) => void): Disposable;
  onPulse(listener: (r: PulseResult) => void): Disposable;
  /** Operator overrides, behind the mode manager's guard rails. */
  pin(mode: Exclude<Mode, 'NORMAL'>, duration_s: number, by: string, reason: string): ModeEffect[];
  unpin(by: string, reason: string): ModeEffect[];
  requestExit(duration_s: number, by: string, reason: string): ModeEffect[];
  /** The operator's hold on new entries (beside the mode's): entries wait until resumed. */
  holdEntries(by: string, reason: string, options?: { untilDrained?: boolean; expires_in_s?: number }): void;
  /** False when no operator held them. */
  resumeEntries(by: string, reason: string): boolean;
  readonly entriesHeldBy: string | null;
  clearBreaker(dependency: string, by: string, reason: string): BoardChange[];
  runRunbook(id: string, target: PathName | null, by: string, reason: string): { ok: true; run_id: string } | { ok: false; error: string };
  repairs(): RepairStatus[];
  reloadConfig(): { ok: boolean; detail: string };
  /**
   * Conditions in force over the repository's (learning's applied advice): each id's condition is
   * evaluated instead of the YAML's until changed again, and a reload keeps them. All or nothing:
   * a condition that does not compile leaves the engine as it was.
   */
  setConditions(conditions: Record<string, string>): { ok: boolean; detail: string };
  /**
   * Where the live policy comes from: the database, or the YAML on disk (the shadow) when the
   * database could not be read (issue 7: two configuration channels).
   */
  readonly configChannel: { source: 'database' | 'shadow'; reason: string | null };
  /** The database's policy cannot be read (e.g. applied advice): run on the shadow, and say so. */
  runOnShadow(reason: string): void;
  /** The condition each enabled constraint is evaluated with now. */
  conditions(): { id: string; condition: string }[];
}

const HOUR_MS = 3_600_000;

const whyRecord = whyOf;

export function loadFailoverPolicy(file: string): FailoverPolicy {
  return parsePolicy(loadYamlConfig<unknown>(file, join(CONFIG_DIR, 'failover-policy.schema.json')));
}

export function defaultControlFiles(): { constraints: string; policy: string; runbooks: string } {
  return { constraints: join(CONFIG_DIR, 'constraints.yaml'), policy: join(CONFIG_DIR, 'failover-policy.yaml'), runbooks: join(CONFIG_DIR, 'runbooks.yaml') };
}

export function createControlPlane(options: ControlPlaneOptions): ControlPlane {
  return new ControlPlaneImpl(options);
}

class ControlPlaneImpl implements ControlPlane {
  readonly name: string;
  readonly pulse_ms: number;
  readonly repository: ConstraintRepository;
  readonly sampler: PulseSampler;
  readonly breakers: BreakerBoard;
  private modeManager: ModeManager;
  private modeSub: Disposable | null = null;
  private failover: FailoverPolicy;
  private books: Runbook[];
  private engine!: ConstraintEngine;
  private byId = new Map<string, ConstraintDefinition>();
  private conditionOverrides = new Map<string, string>();
  /** The YAML's definitions while the database's policy cannot be read; null on the database. */
  private shadow: ConstraintDefinition[] | null = null;
  configChannel: { source: 'database' | 'shadow'; reason: string | null } = { source: 'database', reason: null };
  private readonly router: Router;
  private readonly clock: Clock;
  private readonly files: { constraints: string; policy: string; runbooks: string };
  private readonly store = new DisposableStore();
  private readonly state: ControlStore;
  private readonly incidents: IncidentSink | undefined;
  private readonly exec: ExecBudgets;
  private readonly staleS: Record<SignalTier, number>;
  private readonly desk: PathDesk;
  private readonly entries: EntryDesk;
  private last: PulseResult | null = null;
  private readonly events: ControlEvent[] = [];
  private readonly eventEmitter = new Emitter<ControlEvent>();
  private readonly pulseEmitter = new Emitter<PulseResult>();
  private dirty = true;
  private disposed = false;
  private readonly errorBudget = new ErrorBudget();
  private readonly episodes: number[] = [];
  private readonly lastStatus = new Map<string, string>();
  private lastSample_ms = -Infinity;
  private lastPrune_ms = -Infinity;
  private readonly unknownSince = new Map<string, number>();
  private readonly blindReported = new Set<string>();
  private readonly runsSample_ms: number;
  private readonly warmup_ms: number;
  private readonly started_ms: number;

  constructor(private readonly o: ControlPlaneOptions) {
    this.router = o.router;
    this.clock = o.clock ?? systemClock;
    this.name = o.name ?? 'Guardian';
    this.incidents = o.incidents;
    this.exec = { ...DEFAULT_EXEC_BUDGETS, ...o.exec };
    this.staleS = { ...DEFAULT_SIGNAL_STALE_S, ...o.signal_stale_s };
    this.runsSample_ms = (o.runs_sample_s ?? 60) * 1000;
    this.warmup_ms = o.warmup_ms ?? 2000;
    this.started_ms = this.clock.now_ms();
    this.files = { ...defaultControlFiles(), ...o.files };

    // Configuration: a file that does not validate stops the start, with the key at fault.
    this.failover = loadFailoverPolicy(this.files.policy);
    this.books = loadRunbooks(this.files.runbooks);
    this.repository = new ConstraintRepository(o.db);
    // Two channels: the live policy in the database, the YAML on disk as its shadow. A YAML that
    // does not validate still stops the start; a database that cannot be read does not.
    const fromYaml = loadConstraints(this.files.constraints);
    let shadowWhy: string | null = null;
    try {
      this.repository.seed(fromYaml, this.files.constraints, this.clock.wall_ms());
      this.setEngine(this.buildEngine());
    } catch (err) {
      shadowWhy = `the constraints in the database cannot be read (${(err as Error).message})`;
      this.shadow = fromYaml;
      this.configChannel = { source: 'shadow', reason: shadowWhy };
      this.setEngine(this.buildEngine());
    }

    // State kept across a restart.
    this.state = new ControlStore(o.db);
    const saved = this.state.load();
    this.modeManager = saved.modes
      ? ModeManager.restore(saved.modes, { clock: this.clock, policy: this.failover })
      : new ModeManager({ clock: this.clock, policy: this.failover });
    this.breakers = saved.breakers
      ? BreakerBoard.restore(saved.breakers, { clock: this.clock, policy: this.failover.breakers })
      : new BreakerBoard({ clock: this.clock, policy: this.failover.breakers });
    let repair = saved.repair ? shiftRepairState(saved.repair.state, monotonicShift_ms(saved.repair.saved_at, this.clock)) : initialRepairState();
    repair = { ...repair, history: this.state.history(this.clock) };
    if (saved.signal_tier && SIGNAL_TIERS.includes(saved.signal_tier)) this.router.signals.activeTier = saved.signal_tier;

    this.pulse_ms = o.pulse?.pulse_ms ?? 250;
    this.sampler = this.store.add(new PulseSampler({ router: o.router, db: o.db, clock: this.clock, dataDir: o.dataDir, ...(o.truth ? { truth: o.truth } : {}), ...(o.writer ? { writer: o.writer } : {}) }, { ...o.pulse, pulse_ms: this.pulse_ms }));

    this.setModes(this.modeManager);
    this.store.add(toDisposable(() => this.modeSub?.dispose()));
    this.store.add(this.breakers.onChange((c) => this.onBreakerChange(c)));
    this.store.add(this.router.events.on((e) => this.onRouterEvent(e)));
    this.desk = this.store.add(new PathDesk({
      router: this.router, clock: this.clock, breakers: this.breakers, sampler: this.sampler, name: this.name,
      actions: o.actions ?? {}, repair: { enabled: o.repair?.enabled ?? true, start_after_ms: o.repair?.start_after_ms ?? 1000 },
      modes: () => this.modeManager.state, runbooks: () => this.books, lastSnapshot: () => this.last?.snapshot,
      emit: (e) => this.emit(e), changed: () => { this.dirty = true; }, persist: () => this.persist(),
      recordRun: (run, ok) => this.state.recordRun(run, ok, this.clock), reloadConfig: () => this.reloadConfig(),
    }, repair));
    this.store.add(this.sampler.onTrade((t) => this.onTrade(t.kind)));

    // Runs a restart interrupted are cancelled; a path still failing gets a fresh run.
    this.desk.cancelInterrupted('Guardian restarted');

    // New entries: the mode's policy in front of the router's, at arrival and at release.
    this.entries = this.store.add(new EntryDesk({
      router: this.router, clock: this.clock, mode: () => this.modeManager.mode, emit: (e) => this.emit(e),
      safeWhy: () => this.modeManager.state.safe?.why.text ?? this.modeManager.state.pin?.reason ?? 'SAFE_MODE',
      changed: () => { this.dirty = true; }, persist: () => this.persist(),
      ttl_s: this.failover.held_signals.ttl_s, started_ms: this.started_ms, warmup_ms: this.warmup_ms,
      ...(o.standing_orders ? { standingOrders: o.standing_orders } : {}),
    }, readEntryHold(saved.entry_hold)));

    if (shadowWhy) this.note('config', `running on the shadow configuration (${this.files.constraints}): ${shadowWhy}`, 'warning');
    if (saved.modes) this.note('config', `restored: mode ${this.mode}, ${this.breakers.dependencies().length} breakers, tier ${this.router.signals.activeTier}`, 'info');
    this.entries.announceRestored();
    if (o.autostart ?? true) this.store.add(this.clock.setInterval(() => this.tick(), this.pulse_ms));
  }

  // ---- accessors -------------------------------------------------------------------------------

  get mode(): Mode {
    return this.modeManager.mode;
  }
  get modes(): ModeManager {
    return this.modeManager;
  }
  get policy(): FailoverPolicy {
    return this.failover;
  }
  get runbooks(): readonly Runbook[] {
    return this.books;
  }
  get entriesHeldBy(): string | null {
    return this.entries.operatorHold?.by ?? null;
  }

  latest(): PulseResult | null {
    return this.last;
  }

  recentEvents(limit = 100): ControlEvent[] {
    return this.events.slice(-limit).reverse();
  }

  onEvent(listener: (e: ControlEvent) => void): Disposable {
    return this.eventEmitter.on(listener);
  }

  onPulse(listener: (r: PulseResult) => void): Disposable {
    return this.pulseEmitter.on(listener);
  }

  /** The repository's enabled constraints, with the condition overrides in force. */
  private buildEngine(overrides: ReadonlyMap<string, string> = this.conditionOverrides): ConstraintEngine {
    const defs = this.policyBase().map((d) => {
      const condition = overrides.get(d.id);
      if (condition === undefined || condition === d.condition) return d;
      const { compiled: _compiled, origin: _origin, ...spec } = d;
      const [redefined] = defineConstraints([{ ...spec, condition }], { file: 'applied advice' });
      return redefined ?? d;
    });
    return new ConstraintEngine(defs);
  }

  setConditions(conditions: Record<string, string>): { ok: boolean; detail: string } {
    const next = new Map(this.conditionOverrides);
    for (const [id, condition] of Object.entries(conditions)) next.set(id, condition);
    let detail: string;
    try {
      const engine = this.buildEngine(next);
      // An override equal to the repository's condition is no override: a later YAML change wins.
      const base = new Map(this.policyBase().map((d) => [d.id, d.condition]));
      for (const [id, condition] of [...next]) if (base.get(id) === condition || !base.has(id)) next.delete(id);
      this.conditionOverrides = next;
      this.setEngine(engine);
      detail = Object.entries(conditions).map(([id, c]) => `${id}: "${c}"`).join('; ');
    } catch (err) {
      detail = `conditions refused, the ones in force stay: ${(err as Error).message}`;
      this.emit({ type: 'config', text: detail, severity: 'warning' });
      return { ok: false, detail };
    }
    this.emit({ type: 'config', text: `conditions in force: ${detail}`, severity: 'info', data: { conditions } });
    return { ok: true, detail };
  }

  /** The definitions in force before overrides: the database's, or the shadow's. */
  private policyBase(): ConstraintDefinition[] {
    return this.shadow ?? this.repository.load();
  }

  runOnShadow(reason: string): void {
    if (this.shadow) return;
    this.shadow = loadConstraints(this.files.constraints);
    this.configChannel = { source: 'shadow', reason };
    this.setEngine(this.buildEngine());
    this.note('config', `running on the shadow configuration (${this.files.constraints}): ${reason}`, 'warning');
  }

  conditions(): { id: string; condition: string }[] {
    return this.engine.definitions.map((d) => ({ id: d.id, condition: d.condition }));
  }

  private setEngine(engine: ConstraintEngine): void {
    this.engine = engine;
    this.byId = new Map(engine.definitions.map((d) => [d.id, d]));
  }

  private setModes(m: ModeManager): void {
    this.modeSub?.dispose();
    this.modeManager = m;
    this.modeSub = m.onEffect((e) => this.applyModeEffect(e));
  }

  private readonly lookup: BreakerLookup = (dep) => this.breakerState(dep);

  private breakerState(dep: string): BreakerPosition {
    return this.breakers.get(dep).state;
  }

  // ---- the pulse -------------------------------------------------------------------------------

  private tick(): void {
    if (this.disposed) return;
    // The timed pulse runs in three turns (sample | decide and act | tell the listeners, the
    // console's status build): each holds the event loop about half a millisecond rather than
    // one hold of 1.5 - 2, and a heartbeat that came meanwhile is answered between them.
    const failed = (err: unknown) => this.note('note', `pulse failed: ${err instanceof Error ? err.message : String(err)}`, 'warning');
    let sampled: { now: number; snapshot: PulseSnapshot };
    try {
      sampled = this.samplePulse();
    } catch (err) {
      failed(err);
      return;
    }
    setImmediate(() => {
      if (this.disposed) return;
      let result: PulseResult;
      try {
        result = this.actOnPulse(sampled.now, sampled.snapshot);
      } catch (err) {
        failed(err);
        return;
      }
      setImmediate(() => {
        if (!this.disposed) this.firePulse(result);
      });
    });
  }

  pulseNow(): PulseResult {
    const { now, snapshot } = this.samplePulse();
    const result = this.actOnPulse(now, snapshot);
    this.firePulse(result);
    return result;
  }

  private firePulse(result: PulseResult): void {
    try {
      this.pulseEmitter.fire([result]);
    } catch {
      // a listener's failure is its own
    }
  }

  private samplePulse(): { now: number; snapshot: PulseSnapshot } {
    const now = this.clock.now_ms();
    const chain = this.incidents?.chainOk?.();
    this.sampler.setExtra('log_chain_ok', chain === true ? 1 : chain === false ? 0 : null);
    while (this.episodes.length > 0 && this.episodes[0]! < now - HOUR_MS) this.episodes.shift();
    this.sampler.setExtra('degrade_episodes_1h', this.episodes.length);
    this.sampler.setExtra('repair_success_pct', successRate_pct(this.desk.state.history, now - 24 * HOUR_MS));
    this.sampler.setExtra('entries_held', this.entries.pass() ? 0 : 1);
    return { now, snapshot: this.sampler.sample() };
  }

  private actOnPulse(now: number, snapshot: PulseSnapshot): PulseResult {
    this.breakers.tick();
    this.halfOpenTrials(snapshot);

    const operatorForced = (peer: string) => {
      const p = snapshot.peers.find((x) => x.node_id === peer);
      return !!p?.forced_path && p.forced_by !== this.name;
    };
    const comm = commScore(snapshot.peers, this.lookup, operatorForced);
    const signal = tierScore('primary', snapshot.tiers.primary, this.staleS.primary, this.lookup);
    const exec = execScore(snapshot.vars, this.exec, this.breakerState('broker'));
    const decision = decide(this.engine, {
      frame: snapshot.frame,
      vars: PulseSampler.agentVars(snapshot),
      filter: snapshot.filter,
      high_volatility: snapshot.high_volatility,
      comm_score: comm.score,
      signal_score: signal.score,
      exec_score: exec.score,
    }, { agents: this.o.agents ?? DEFAULT_AGENT_CONFIG, gates: this.o.gates ?? DEFAULT_GATE_POLICY });
    const result: PulseResult = { snapshot, decision, scores: { comm, signal, exec } };
    this.last = result;
    const finiteOrNull = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x : null);
    this.errorBudget.record(now, judgePulse({
      healthy_paths: finiteOrNull(snapshot.vars.healthy_paths),
      bridge_rtt_p95_ms: finiteOrNull(snapshot.baselines.p95_bridge_latency_ms),
      ack_latency_p95_ms: finiteOrNull(snapshot.baselines.p95_ack_latency_ms),
    }, SEED_SLO_BUDGETS));

    // During the warm-up the pulse is seen but not acted on: the first echoes, STATUS and signals
    // have not arrived yet, and a mode entered on an empty pulse would be a false alarm.
    if (now - this.started_ms >= this.warmup_ms) {
      const effects = this.modeManager.pulse(decision.pulse); // applied by the listener as they come
      if (effects.length > 0) this.dirty = true;
    } else this.modeManager.tick();
    this.entries.pulse(now, snapshot);
    this.desk.pulse(snapshot);
    this.recordRuns(decision, snapshot);
    this.persist();
    return result;
  }

  // ---- effects on the data plane -----------------------------------------------------------------

  /**
   * A degradation entered on a subsystem score (path health, signal tier health, execution
   * quality) carries no constraint in the mode manager's why; the incident and the timeline get
   * the failing constraints of the gates behind that subsystem, with their values, so every
   * decision says which constraints and values were seen.
   */
  private withCauses(e: ModeEffect): ModeEffect {
    if (e.type !== 'MODE_CHANGED' && e.type !== 'DEGRADATION_ADDED') return e;
    if (e.why.constraints.length > 0 || e.why.by !== 'policy') return e;
    const target = e.type === 'MODE_CHANGED' ? e.to : `DEGRADED.${e.degradation}`;
    const results = this.last?.decision.results ?? [];
    const failing = (pick: (r: ConstraintResult) => boolean) => results.filter((r) => r.status === 'fail' && pick(r));
    let constraints: ConstraintResult[] = [];
    if (target === 'DEGRADED.COMM') constraints = failing((r) => r.gate === 'broker_connectivity');
    else if (target === 'DEGRADED.SIGNAL') constraints = failing((r) => r.id.startsWith('signal_'));
    else if (target === 'DEGRADED.EXEC') constraints = failing((r) => r.gate !== 'broker_connectivity');
    else if (target === 'SAFE_MODE') constraints = failing((r) => r.gate === 'risk_management');
    // The subsystem's own readings (a path's quorum, a tier's silence, the broker's rejects) are
    // causes too: for COMM they come first (they name the path); elsewhere they stand in when no
    // gate constraint failed.
    if (this.last && (target === 'DEGRADED.COMM' || constraints.length === 0)) {
      constraints = [...subsystemCauses(target, this.last, this.policy, this.lookup), ...constraints];
    }
    if (constraints.length === 0) return e;
    constraints.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'critical' ? -1 : 1));
    return { ...e, why: { ...e.why, constraints } };
  }

  private applyModeEffect(raw: ModeEffect): void {
    this.dirty = true;
    const e = this.withCauses(raw);
    try {
      this.incidents?.modeEffect?.(e);
    } catch {
      // the log's failure must not stop the data plane's reaction
    }
    if (this.entries.onModeEffect(e)) return; // holds, releases, expiries and the EA's commands
    switch (e.type) {
      case 'MODE_CHANGED': {
        const severity = e.to === 'SAFE_MODE' ? 'critical' : e.to === 'NORMAL' ? 'info' : 'warning';
        this.emit({ type: 'mode_change', text: `${e.from} -> ${e.to}: ${e.why.text}`, severity, from_mode: e.from, to_mode: e.to, why: whyRecord(e.why) });
        return;
      }
      case 'DEGRADATION_ADDED':
        this.episodes.push(this.clock.now_ms());
        this.emit({ type: 'degradation', text: `DEGRADED.${e.degradation}: ${e.why.text}`, severity: 'warning', why: whyRecord(e.why), data: { degradation: e.degradation } });
        return;
      case 'DEGRADATION_CLEARED':
        this.emit({ type: 'recover', text: `DEGRADED.${e.degradation} cleared: ${e.why.text}`, severity: 'info', why: whyRecord(e.why), data: { degradation: e.degradation } });
        return;
      case 'SWITCH_PATHS':
        if (e.direction === 'failover') this.desk.failoverAll();
        else this.desk.liftForces(null, 'every gate healthy for the dwell');
        return;
      case 'USE_SIGNAL_TIER':
        this.useTier(e.tier);
        return;
      case 'OVERRIDE_ACCEPTED':
      case 'OVERRIDE_EXPIRED':
      case 'OVERRIDE_CLEARED':
      case 'OVERRIDE_REFUSED': {
        const text = e.type === 'OVERRIDE_REFUSED' ? `override refused: ${e.reason}` : `${e.type.toLowerCase().replace('_', ' ')}: ${e.override.kind} by ${e.override.by} (${e.override.reason})`;
        this.emit({ type: 'override', text, severity: e.type === 'OVERRIDE_REFUSED' ? 'warning' : 'info', data: { effect: e, ...(e.type === 'OVERRIDE_EXPIRED' ? { lapsed: lapsedOverride(e.override) } : {}) } });
        return;
      }
    }
  }

  /** The tier to use for `preferred`: cached falls to heuristic when cached is not usable. */
  private useTier(preferred: SignalTier): void {
    const tiers = this.last?.snapshot.tiers;
    const from = this.router.signals.activeTier;
    let tier = preferred;
    if (preferred !== 'primary' && tiers) {
      const order = SIGNAL_TIERS.slice(SIGNAL_TIERS.indexOf(preferred));
      const usable = order.find((t) => tierUsable(t, tiers[t], this.staleS[t], this.lookup));
      if (!usable) {
        // Switching to a tier nobody serves would shadow every signal there is, unanswered: a
        // silent stop. The degraded mode's entry policy still applies to what keeps coming.
        this.emit({ type: 'signal_tier', text: `signal fallback wanted, but no ${order.join(' or ')} service is usable: staying on ${from}`, severity: 'warning', data: { from, to: from, wanted: preferred } });
        return;
      }
      tier = usable;
    }
    this.router.signals.activeTier = tier;
    this.dirty = true;
    if (from !== tier) this.emit({ type: 'signal_tier', text: `signal tier ${from} -> ${tier}`, severity: tier === 'primary' ? 'info' : 'warning', data: { from, to: tier } });
  }

  // ---- breakers --------------------------------------------------------------------------------

  private onRouterEvent(e: RouterEvent): void {
    if (this.disposed) return;
    switch (e.type) {
      case 'peer_disconnected': {
        if (/Guardian stopping|replaced by a newer connection/.test(e.reason)) return;
        const peer = this.router.peers.get(e.peer);
        const code = classifyError(e.reason).reason === 'UNKNOWN' ? 'PEER_GONE' : e.reason;
        if (peer?.role === 'EA') this.breakers.failure(`path:${e.path}`, code);
        else if (peer?.role === 'SIGNAL') this.breakers.failure(`signal:${peer.tier ?? 'primary'}`, code);
        return;
      }
      case 'bad_input': {
        const peer = e.peer ? this.router.peers.get(e.peer) : undefined;
        if (peer?.role === 'EA' || peer === undefined) this.breakers.failure(`path:${e.path}`, e.reason);
        return;
      }
      case 'security':
        this.breakers.failure(`path:${e.path}`, 'AUTH_FAILED');
        return;
      case 'store_error':
        this.breakers.failure('store', { message: e.detail, code: /full/i.test(e.detail) ? 'ENOSPC' : undefined });
        return;
      case 'path_switch':
        this.emit({ type: 'path_switch', text: `${e.peer}: ${e.from ?? 'none'} -> ${e.to ?? 'none'} (${e.reason})`, severity: e.to === null ? 'critical' : 'info', data: { peer: e.peer, from: e.from, to: e.to, reason: e.reason } });
        return;
      case 'backpressure':
        this.emit(e.on
          ? { type: 'note', text: `intake held: ${e.ea} is ${e.backlog} messages behind; signal services' ACKs wait until it catches up`, severity: 'warning', data: { ea: e.ea, backlog: e.backlog } }
          : { type: 'note', text: `intake resumed: ${e.ea || 'the EA'} is ${e.backlog} messages behind`, severity: 'info', data: { ea: e.ea, backlog: e.backlog } });
        return;
      default:
        return;
    }
  }

  private onTrade(kind: string): void {
    if (kind === 'broker_failure') this.breakers.failure('broker', 'TIMEOUT_RETRY');
    else if (kind === 'fill' && this.breakers.get('broker').state === 'HALF_OPEN' && this.breakers.acquire('broker')) this.breakers.success('broker');
  }

  /** A half-open breaker's one trial, from what the pulse proves: a healthy path, a fresh tier, a store that answers. */
  private halfOpenTrials(snap: PulseSnapshot): void {
    for (const dep of this.breakers.dependencies()) {
      if (this.breakers.get(dep).state !== 'HALF_OPEN') continue;
      let healthy = false;
      if (dep.startsWith('path:')) {
        const path = dep.slice(5) as PathName;
        healthy = snap.peers.some((p) => p.role === 'EA' && p.paths.some((x) => x.path === path && x.verdict === 'healthy'));
      } else if (dep.startsWith('signal:')) {
        const tier = dep.slice(7) as SignalTier;
        const t = snap.tiers[tier];
        healthy = !!t && t.connected && Number.isFinite(t.age_s) && t.age_s <= this.staleS[tier];
      } else if (dep === 'store') healthy = snap.host.db_ok === 1;
      if (healthy && this.breakers.acquire(dep)) this.breakers.success(dep);
    }
  }

  private onBreakerChange(c: BoardChange): void {
    this.dirty = true;
    this.emit({
      type: 'breaker', text: `breaker ${c.dependency}: ${c.from} -> ${c.to} (${c.why})`,
      severity: c.to === 'OPEN' ? 'warning' : 'info', data: { dependency: c.dependency, from: c.from, to: c.to, trip: c.trip, reason: c.reason },
    });
  }

  clearBreaker(dependency: string, by: string, reason: string): BoardChange[] {
    return this.breakers.clear(dependency, by, reason);
  }

  // ---- constraint runs, persistence ------------------------------------------------------------

  private recordRuns(decision: Decision, snap: PulseSnapshot): void {
    const now = snap.now_ms;
    const sample = now - this.lastSample_ms >= this.runsSample_ms;
    if (sample) this.lastSample_ms = now;
    const rows: ConstraintRun[] = [];
    const f = snap.filter;
    for (const r of decision.results) {
      const prev = this.lastStatus.get(r.id);
      if (prev !== r.status || sample) {
        rows.push({
          ts_ms: snap.wall_ms, constraint_id: r.id, status: r.status, value: r.value ?? null, limit: r.limit ?? null, explanation: r.explanation,
          reason: prev !== r.status ? 'change' : 'sample', session: f.session ?? null, symbol: f.symbol ?? null, regime: f.regime ?? null,
        });
        this.lastStatus.set(r.id, r.status);
      }
      if (r.status === 'unknown') {
        const since = this.unknownSince.get(r.id) ?? now;
        this.unknownSince.set(r.id, since);
        if (now - since >= 300_000 && !this.blindReported.has(r.id)) {
          this.blindReported.add(r.id);
          try {
            this.repository.addInsight({ ts_ms: snap.wall_ms, constraint_id: r.id, kind: 'blind', text: `${r.id} has been unknown for 5 minutes: ${r.explanation}`, data: { missing: r.missing ?? [] } });
          } catch {
            // insights are advisory
          }
        }
      } else {
        this.unknownSince.delete(r.id);
        this.blindReported.delete(r.id);
      }
    }
    try {
      // Through the group commit when there is one: its fsync does not hold the event loop.
      if (this.o.writer && rows.length > 0) this.o.writer.enqueue({ write: () => this.repository.recordRuns(rows), done: () => undefined });
      else this.repository.recordRuns(rows);
      if (now - this.lastPrune_ms >= HOUR_MS) {
        this.lastPrune_ms = now;
        this.repository.pruneRuns(snap.wall_ms - 7 * 24 * HOUR_MS);
      }
    } catch {
      // the store's trouble shows in db_ok; the loop goes on
    }
  }

  private persist(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const state = {
      modes: this.modeManager.snapshot(),
      breakers: this.breakers.snapshot(),
      repair: { state: this.desk.state, saved_at: { now_ms: this.clock.now_ms(), wall_ms: this.clock.wall_ms() } },
      signal_tier: this.router.signals.activeTier,
      entry_hold: this.entries.operatorHold,
    };
    const wall_ms = this.clock.wall_ms();
    const writer = this.o.writer;
    if (writer) {
      // Through the group commit (its fsync off the event loop); a failure is tried again next pulse.
      writer.enqueue({
        write: () => void this.state.save(state, wall_ms),
        done: (err) => {
          if (!err) return;
          this.state.forget();
          this.dirty = true;
        },
      });
      return;
    }
    try {
      this.state.save(state, wall_ms);
    } catch {
      this.state.forget();
      this.dirty = true; // tried again next pulse
    }
  }

  // ---- events ----------------------------------------------------------------------------------

  private emit(e: { type: ControlEventType; text: string; severity: ControlEvent['severity']; from_mode?: Mode; to_mode?: Mode; why?: WhyRecord; data?: Record<string, unknown> }): void {
    const wall = this.clock.wall_ms();
    const event: ControlEvent = { ts: new Date(wall).toISOString(), ts_ms: wall, mode: this.modeManager.mode, ...e };
    this.events.push(event);
    // The last 1,000 at least, trimmed a thousand at a time: a splice per event moved 1,000 entries each.
    if (this.events.length > 2000) this.events.splice(0, this.events.length - 1000);
    try {
      this.incidents?.record(event);
    } catch {
      // the log's failure must not stop the loop
    }
    try {
      this.eventEmitter.fire([event]);
    } catch {
      // a listener's failure is its own
    }
  }

  private note(type: ControlEventType, text: string, severity: ControlEvent['severity']): void {
    this.emit({ type, text, severity });
  }

  // ---- operator ----------------------------------------------------------------------------------

  pin(mode: Exclude<Mode, 'NORMAL'>, duration_s: number, by: string, reason: string): ModeEffect[] {
    const out = this.modeManager.pin(mode, duration_s * 1000, by, reason);
    this.entries.flushRelease();
    this.persist();
    return out;
  }

  unpin(by: string, reason: string): ModeEffect[] {
    const out = this.modeManager.unpin(by, reason);
    this.entries.flushRelease();
    this.persist();
    return out;
  }

  requestExit(duration_s: number, by: string, reason: string): ModeEffect[] {
    const out = this.modeManager.requestExit(duration_s * 1000, by, reason);
    this.entries.flushRelease();
    this.persist();
    return out;
  }

  holdEntries(by: string, reason: string, options: { untilDrained?: boolean; expires_in_s?: number } = {}): void {
    this.entries.holdEntries(by, reason, options);
  }

  resumeEntries(by: string, reason: string): boolean {
    return this.entries.resumeEntries(by, reason);
  }

  runRunbook(id: string, target: PathName | null, by: string, reason: string): { ok: true; run_id: string } | { ok: false; error: string } {
    return this.desk.runRunbook(id, target, by, reason);
  }

  repairs(): RepairStatus[] {
    return this.desk.repairs();
  }

  reloadConfig(): { ok: boolean; detail: string } {
    const problems: string[] = [];
    const done: string[] = [];
    try {
      const defs = loadConstraints(this.files.constraints);
      const seeded = this.repository.seed(defs, this.files.constraints, this.clock.wall_ms());
      if (this.shadow) {
        // The database answers again: back on the live channel.
        this.shadow = null;
        this.configChannel = { source: 'database', reason: null };
        done.push('the database is read again (off the shadow configuration)');
      }
      this.setEngine(this.buildEngine());
      done.push(`constraints: ${this.engine.definitions.length} (${seeded.inserted.length} new, ${seeded.updated.length} changed, ${seeded.disabled.length} disabled)`);
    } catch (err) {
      problems.push(`constraints refused, the ones in force stay: ${(err as Error).message}`);
    }
    try {
      const policy = loadFailoverPolicy(this.files.policy);
      this.failover = policy;
      this.setModes(new ModeManager({ clock: this.clock, policy, state: this.modeManager.state }));
      done.push('failover policy');
    } catch (err) {
      problems.push(`failover policy refused, the one in force stays: ${(err as Error).message}`);
    }
    try {
      this.books = loadRunbooks(this.files.runbooks);
      done.push(`runbooks: ${this.books.length}`);
    } catch (err) {
      problems.push(`runbooks refused, the ones in force stay: ${(err as Error).message}`);
    }
    const detail = [...done, ...problems].join('; ');
    this.emit({ type: 'config', text: `configuration reloaded: ${detail}`, severity: problems.length ? 'warning' : 'info' });
    return { ok: problems.length === 0, detail };
  }

  // ---- status ----------------------------------------------------------------------------------

  controlStatus(): ControlStatus {
    return buildStatus({
      last: this.last,
      mode: this.mode,
      modes: this.modeManager,
      policy: this.failover,
      breakers: this.breakers,
      repairs: this.repairs(),
      events: this.events,
      router: this.router,
      clock: this.clock,
      pulse_ms: this.pulse_ms,
      heldOutcomes: this.entries.outcomes,
      operatorHold: this.entries.operatorHold,
      error_budget_burn: this.errorBudget.burn(this.clock.now_ms()),
      name: this.name,
      describe: (id) => this.byId.get(id),
      entries: this.entries.posture(),
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.persist();
    this.store.dispose();
  }
}

/** An operator's pin or early exit that expired, as the audit names the control that set it. */
function lapsedOverride(o: Override): { control: 'override_mode' | 'kill_switch'; reason: string; params: Record<string, string>; detail: string } {
  const kill = o.kind === 'PIN' && o.reason.startsWith('kill switch: ');
  return {
    control: kill ? 'kill_switch' : 'override_mode',
    reason: kill ? o.reason.slice('kill switch: '.length) : o.reason,
    params: o.kind === 'PIN' ? { direction: 'pin', mode: o.mode } : { direction: 'exit' },
    // As the console's own timer words it: whichever of the two lifts it first audits it.
    detail: `lapsed after ${Math.round((o.expires_ms - o.set_ms) / 1000)} s (set by ${o.by})`,
  };
}

/** The subsystem readings behind a degradation no gate constraint explains, as causes with values. */
function subsystemCauses(target: string, last: PulseResult, policy: FailoverPolicy, breaker: BreakerLookup): ConstraintResult[] {
  const cause = (id: string, value: number | null, limit: number, explanation: string): ConstraintResult => ({
    id, gate: 'broker_connectivity', severity: 'critical', status: 'fail', ...(value === null ? {} : { value }), limit, explanation,
  });
  if (target === 'DEGRADED.COMM') {
    const out: ConstraintResult[] = [];
    for (const peer of last.snapshot.peers) {
      if (peer.role !== 'EA') continue;
      for (const p of peer.paths) {
        const open = breaker(`path:${p.path}`) === 'OPEN';
        if (p.verdict !== 'down' && p.verdict !== 'failing' && !open) continue;
        // A measured value for each: probes failing (of 3, quorum 2), or how long the path is silent.
        if (p.verdict === 'failing') {
          out.push(cause(`path_health.${p.path}`, p.quorum?.failed ?? 2, 2, `${peer.node_id} ${p.path} failing ${p.quorum?.failed ?? 2} of 3 probes: ${p.quorum?.why ?? 'quorum lost'}`));
        } else {
          const silent_ms = p.last_heard_ms_ago ?? 0;
          const what = p.verdict === 'down' ? `down (${p.last_error ?? 'not heard from'})` : 'breaker open (repeated failures)';
          out.push({ ...cause(`path_health.${p.path}`, silent_ms, 0, `${peer.node_id} ${p.path} ${what}, silent for ${Math.round(silent_ms)} ms`), limit: undefined });
        }
      }
    }
    if (out.length === 0) out.push(cause('comm_score', last.scores.comm.score, policy.enter.comm_below, last.scores.comm.why));
    return out;
  }
  if (target === 'DEGRADED.SIGNAL') return [{ ...cause('signal_score', last.scores.signal.score, policy.enter.signal_below, last.scores.signal.why), gate: 'market_quality' }];
  if (target === 'DEGRADED.EXEC') return [{ ...cause('exec_score', last.scores.exec.score, policy.enter.exec_below, last.scores.exec.why), gate: 'risk_management' }];
  return [];
}
