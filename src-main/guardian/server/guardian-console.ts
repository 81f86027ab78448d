// The console backend of a running Guardian: it reads the data plane (router, buffer, peers), the
// control plane (mode, gates, agents, risk) and the incident log, builds the contract's
// GuardianStatus once a pulse, publishes it and the log's changes as stream events, and runs the
// operator controls through the ControlDesk.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  GATE_NAMES, HELD_SIGNALS_PAGE, PATH_PRIORITY, TIMELINE_REPORT_ID,
  type AgentConsensus, type AgentVoteSummary, type BrokerStatus, type ControlCall, type ControlsState, type FaultName,
  type GateDetail, type GateName, type GuardianStatus, type Incident, type IncidentEvent, type Mode, type PathMetrics,
  type PathName, type Policy, type RecoveryStatus, type ReportFile, type ReportFormat, type ReportJson, type RiskSummary, type RunManifest, type TruthReport, type ExecutionView, type SignalTier, type SloBudgets,
  type SloSample, type StatusIncidentEvent, type StreamEvent,
} from '../../../src-shared/contract';
import type { Clock } from '../clock';
import type { DataPlaneStatus } from '../guardian';
import { toAuditEntry, type IncidentLog, type IncidentView, type LogChange } from '../incidents';
import { DisposableStore, Emitter, type Disposable } from '../lifecycle';
import type { Router } from '../router';
import type { Db } from '../store';
import type { ConsoleBackend, PrometheusFigures } from './backend';
import { ControlDesk, type ControlHandlers, type HandlerResult, type LapsedControl } from './control-desk';
import type { LearningPort } from './learning-port';
import { StatusHistory } from './history';
import { RouterTables, bufferOf, lastSwitchOf, peersOf, routesOf } from './read-model';
import { reportHtml } from './report-html';

/** Held signals changed in one pulse beyond this many go as one page (`signals`), not one by one. */
const HELD_CHANGES_ONE_BY_ONE = 100;

/**
 * What the control plane tells the console each pulse, in the contract's words. Everything the
 * data plane cannot know: the mode, the scores and why, the agents, the risk veto, the SLOs.
 */
export interface ControlPlaneView {
  mode: Mode;
  overall_score: number;
  scores: Record<GateName, number>;
  policy: Policy;
  agent_votes: Record<string, AgentVoteSummary>;
  gates?: Partial<Record<GateName, GateDetail>>;
  consensus?: AgentConsensus;
  risk?: RiskSummary;
  slo?: SloSample;
  budgets?: SloBudgets;
  broker?: BrokerStatus;
  active_tier?: SignalTier;
  /** The probes' verdict per path (2-of-3 quorum): a path can be connected and still failing. */
  paths?: Partial<Record<PathName, { healthy: boolean; last_error?: string | null }>>;
  controls?: Partial<ControlsState>;
  /** A degraded mode's way back to NORMAL: what blocks it, how long it has been clean. */
  recovery?: RecoveryStatus;
}

/** The control plane as the console needs it: its view, its pulse, and the controls it carries out. */
export interface ControlPlanePort {
  readonly pulse_ms: number;
  view(): ControlPlaneView;
  /** Runs `listener` after each pulse; the console then builds and sends its status. */
  onPulse(listener: () => void): Disposable;
  /** The controls only the control plane can carry out (entries, drain, mode, kill switch, advice). */
  handlers(): ControlHandlers;
  /** Its controls that lapsed by themselves (a hold's expiry, a pin's), for the audit. */
  onLapse?(listener: (l: LapsedControl) => void): Disposable;
}

export interface ConsoleSources {
  router: Router;
  db: Db;
  clock: Clock;
  enabledPaths: readonly PathName[];
  dataPlane(): DataPlaneStatus;
  incidents: IncidentLog;
  /** Absent until the control plane runs: the console then shows the data plane and says so. */
  control?: ControlPlanePort;
  /** Learning's advice (learningPort); absent: no advice, and apply/rollback say so. */
  learning?: LearningPort;
  demo: boolean;
  /** Default pulse when there is no control plane to follow. */
  pulse_ms: number;
  /** More of the status from parts the console does not know (durability: mirror, snapshots, config channel). */
  statusExtra?: () => Partial<GuardianStatus>;
  /** The trading truth (guardian/truth) and the run manifest (guardian/manifest), when kept. */
  truth?: () => TruthReport | null;
  manifest?: () => RunManifest | null;
  /** Execution safety (guardian/execution), when the control plane runs. */
  execution?: (limit: number) => ExecutionView | null;
}

export type FaultInjector = (fault: FaultName) => string;

export const GUARDIAN_VERSION = readVersion();

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '../../../package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

const NO_CONTROLS: ControlsState = { entries_held: false, drain_buffer_first: false, kill_switch_engaged: false, pinned_mode: null, forced_path: null };
const MODE_EVENTS = 50;
const READABLE_UNIT: Record<string, string> = { pct: '%', percent: '%', count: '', ratio: '' };

export class GuardianConsole implements ConsoleBackend, Disposable {
  readonly demo: boolean;
  readonly version = GUARDIAN_VERSION;
  readonly pulse_ms: number;
  private readonly events = new Emitter<StreamEvent>();
  private readonly store = new DisposableStore();
  private readonly tables: RouterTables;
  private readonly history: StatusHistory;
  private readonly desk: ControlDesk;
  /** Built on the first pulse or the first read, whichever comes first (the data plane may still be starting). */
  private current: GuardianStatus | null = null;
  private dataPlane: DataPlaneStatus | null = null;
  private openIds: string[] = [];
  private modeEvents: StatusIncidentEvent[] = [];
  private lastDeadId: number;
  private readonly heldChanged = new Set<string>();
  /** How each peer's path last went down ("closed by peer"), until it connects again. */
  private readonly disconnects = new Map<string, string>();
  private injector: FaultInjector | null = null;

  constructor(private readonly s: ConsoleSources) {
    this.demo = s.demo;
    this.pulse_ms = s.control?.pulse_ms ?? s.pulse_ms;
    this.tables = new RouterTables(s.db);
    this.history = new StatusHistory(this.pulse_ms);
    this.lastDeadId = this.tables.deadLetters(1)[0]?.id ?? 0;
    this.refreshIncidentSummary();
    this.desk = this.store.add(new ControlDesk(s.incidents, s.clock, () => ({ ...this.dataPlaneHandlers(), ...s.control?.handlers(), ...s.learning?.handlers() }), () => this.pulse()));
    if (s.learning) this.store.add(s.learning.onAdvice((advice) => this.publish({ type: 'advice', advice })));
    this.store.add(s.incidents.onChange((c) => this.onLogChange(c)));
    this.store.add(s.router.events.on((e) => {
      if (e.type === 'signal_held' || e.type === 'signal_expired') this.heldChanged.add(e.message_id);
      else if (e.type === 'peer_disconnected') this.disconnects.set(`${e.peer}|${e.path}`, e.reason);
      else if (e.type === 'peer_connected') this.disconnects.delete(`${e.peer}|${e.path}`);
      else if (e.type === 'force_lapsed') {
        this.desk.lapsedElsewhere({
          control: 'force_path_switch', reason: `forced path ${e.path} for ${e.peer} (set by ${e.by})`, params: { path: e.path, peer: e.peer },
          detail: `lapsed at ${new Date(e.until_wall_ms).toISOString()} (set by ${e.by})`,
        });
      }
    }));
    if (s.control?.onLapse) this.store.add(s.control.onLapse((l) => this.desk.lapsedElsewhere(l)));
    this.store.add(s.control ? s.control.onPulse(() => this.pulse()) : s.clock.setInterval(() => this.pulse(), this.pulse_ms));
  }

  /** The simulator beside Guardian (`serve --demo`): inject_fault goes there. */
  attachFaultInjector(inject: FaultInjector | null): void {
    this.injector = inject;
  }

  // ---- ConsoleBackend

  status(): GuardianStatus {
    if (!this.current) {
      this.dataPlane = this.s.dataPlane();
      this.current = this.build();
    }
    return this.current;
  }

  metricsRecent(window_s?: number) {
    if (this.s.control) this.history.budgets = this.s.control.view().budgets ?? this.history.budgets;
    return this.history.recent(window_s, this.s.clock.wall_ms());
  }

  incidents(limit: number, before_ts?: string): Incident[] {
    return this.s.incidents.recent(limit, before_ts).map(toContractIncident);
  }

  incident(id: string): Incident | null {
    const view = this.s.incidents.incident(id);
    return view ? toContractIncident(view) : null;
  }

  audit(limit: number) {
    return this.s.incidents.recentAudit(limit);
  }

  advice() {
    return this.s.learning?.advice() ?? [];
  }

  heldSignals(limit: number) {
    return this.tables.heldSignals(limit);
  }

  deadLetters(limit: number) {
    return this.tables.deadLetters(limit).map((d) => d.dead_letter);
  }

  report(id: string, format: ReportFormat): ReportFile | null {
    const log = this.s.incidents;
    const wanted = format === 'html' ? 'json' : format;
    let file: ReportFile;
    if (id === TIMELINE_REPORT_ID) file = log.timelineReport({}, wanted);
    else if (!log.incident(id)) return null;
    else file = log.incidentReport(id, wanted);
    if (format !== 'html') return file;
    return { filename: file.filename.replace(/\.json$/, '.html'), content_type: 'text/html; charset=utf-8', body: reportHtml(JSON.parse(file.body) as ReportJson) };
  }

  control(call: ControlCall, actor: string) {
    return this.desk.run(call, actor);
  }

  truth(): TruthReport | null {
    return this.s.truth?.() ?? null;
  }

  manifest(): RunManifest | null {
    return this.s.manifest?.() ?? null;
  }

  execution(limit: number): ExecutionView | null {
    return this.s.execution?.(limit) ?? null;
  }

  onEvent(listener: (event: StreamEvent) => void): Disposable {
    return this.events.on(listener);
  }

  figures(): PrometheusFigures {
    const dp = this.dataPlane ?? this.s.dataPlane();
    const bad: Record<string, number> = {};
    for (const p of dp.peers) for (const h of p.paths) for (const [k, n] of Object.entries(h.bad_input)) bad[k] = (bad[k] ?? 0) + n;
    return { msgs_per_s: dp.msgs_per_s, store_failures: dp.store.failures, bad_input: bad, peers_connected: dp.peers.filter((p) => p.active_path).length };
  }

  // ---- the pulse

  /** Builds this pulse's status and sends it, with what changed in the router's tables. */
  pulse(): void {
    try {
      this.dataPlane = this.s.dataPlane();
      this.current = this.build();
    } catch {
      return; // the data plane is stopping (database closed): the last status stands
    }
    const status = this.current;
    this.history.record(status, status.ts!);
    this.publish({ type: 'status', status });
    for (const d of this.tables.deadLettersAfter(this.lastDeadId)) {
      this.lastDeadId = d.id;
      this.publish({ type: 'dead_letter', dead_letter: d.dead_letter });
    }
    if (this.heldChanged.size > HELD_CHANGES_ONE_BY_ONE) {
      // A storm (a hold at full rate): the newest page, once, not tens of thousands of lookups and messages.
      this.publish({ type: 'signals', signals: this.tables.heldSignals(HELD_SIGNALS_PAGE) });
    } else {
      for (const id of this.heldChanged) {
        const signal = this.tables.heldSignal(id);
        if (signal) this.publish({ type: 'signal', signal });
      }
    }
    this.heldChanged.clear();
  }

  private build(): GuardianStatus {
    const dp = this.dataPlane!;
    const view = this.s.control?.view() ?? dataPlaneOnlyView(dp);
    const routes = routesOf(dp, this.s.enabledPaths, (peer, path) => this.disconnects.get(`${peer}|${path}`));
    // The probes' verdict overrides "connected": a path failing its quorum is not healthy.
    for (const p of PATH_PRIORITY) {
      const m: PathMetrics | undefined = routes.metrics[p];
      const v = view.paths?.[p];
      if (!m || !v) continue;
      m.healthy = m.healthy && v.healthy;
      if (v.last_error) m.last_error = v.last_error;
    }
    const status: GuardianStatus = {
      mode: view.mode,
      overall_score: view.overall_score,
      scores: view.scores,
      routes,
      buffer: bufferOf(dp),
      incidents: this.modeEvents,
      agent_votes: view.agent_votes,
      policy: view.policy,
      ts: new Date(this.s.clock.wall_ms()).toISOString(),
      pulse_ms: this.pulse_ms,
      demo: this.demo,
      version: this.version,
      peers: peersOf(dp),
      active_tier: view.active_tier ?? this.s.router.signals.activeTier,
      last_switch: lastSwitchOf(dp),
      // forced_path is the operator's only: a path Guardian holds the EA on while failed over is no control.
      controls: { ...NO_CONTROLS, ...view.controls, forced_path: this.operatorForcedPath() },
      open_incident_ids: this.openIds,
    };
    if (view.gates) status.gates = this.readableUnits(view.gates);
    if (view.risk) status.risk = view.risk;
    if (view.consensus) status.consensus = view.consensus;
    if (view.slo) status.slo = view.slo;
    if (view.broker) status.broker = view.broker;
    if (view.recovery) status.recovery = view.recovery;
    if (dp.leadership) status.leadership = dp.leadership; // issue 7: active/standby
    if (this.s.statusExtra) Object.assign(status, this.s.statusExtra()); // issue 7: durability
    return status;
  }

  /**
   * The constraint catalogue's units as the deck prints them: "22%", not "22 pct"; a count or a
   * ratio is a bare number. A few dozen small objects a pulse.
   */
  private readableUnits(gates: Partial<Record<GateName, GateDetail>>): Partial<Record<GateName, GateDetail>> {
    const unit = (u: string | undefined) => (u === undefined ? u : (READABLE_UNIT[u] ?? u));
    const out: Partial<Record<GateName, GateDetail>> = {};
    for (const [name, g] of Object.entries(gates) as [GateName, GateDetail][]) {
      out[name] = {
        ...g,
        key_metrics: g.key_metrics.map((m) => ({ ...m, unit: unit(m.unit)! })),
        failing: g.failing.map((f) => (f.unit === undefined ? f : { ...f, unit: unit(f.unit)! })),
      };
    }
    return out;
  }

  /** The path an operator forced on the EAs (every peer when there is no EA), when they share one. */
  private operatorForcedPath(): PathName | null {
    const peers = [...this.s.router.peers.values()].filter((p) => !p.legacy);
    const eas = peers.filter((p) => p.role === 'EA');
    const forced = new Set((eas.length ? eas : peers).map((p) => (p.forcedPath && isOperator(p.forcedBy) ? p.forcedPath : null)));
    return forced.size === 1 ? [...forced][0]! : null;
  }

  // ---- the incident log

  private onLogChange(c: LogChange): void {
    if (c.kind === 'audit') {
      this.publish({ type: 'audit', entry: toAuditEntry(c.audit) });
      return;
    }
    if (c.kind === 'incident') {
      const view = this.s.incidents.incident(c.incident_id);
      this.refreshIncidentSummary();
      if (view) this.publish({ type: 'incident', incident: toContractIncident(view) });
      return;
    }
    if (c.event.type === 'mode_change') this.refreshIncidentSummary();
  }

  private refreshIncidentSummary(): void {
    const log = this.s.incidents;
    this.openIds = log.openIncidents().map((i) => i.id);
    this.modeEvents = log.recentEvents(500).filter((e) => e.type === 'mode_change').slice(0, MODE_EVENTS).map((e) => ({
      ts: e.ts,
      event: typeof e.detail.to_mode === 'string' ? `ENTER_${e.detail.to_mode}` : 'MODE_CHANGE',
      reason: e.summary,
    }));
  }

  // ---- controls the data plane carries out itself

  private dataPlaneHandlers(): ControlHandlers {
    return {
      force_path_switch: (r, actor) => this.forcePath(r.path, r.peer, actor, r.expires_in_s),
      // The incident log audits acknowledgements itself, refusals on the merits included.
      acknowledge_incident: (r, actor) => {
        const out = this.s.incidents.acknowledge(r.incident_id, actor, r.reason);
        return out.ok ? { ok: true, audit: out.audit, incident_id: out.value.id } : out;
      },
      inject_fault: (r) => {
        if (!this.demo) return { ok: false, code: 'NOT_DEMO', error: 'inject_fault is available only in demo mode.' };
        if (!this.injector) return { ok: false, code: 'UNAVAILABLE', error: 'The simulator is not attached to this Guardian yet.' };
        return { ok: true, detail: this.injector(r.fault) };
      },
    };
  }

  /** Moves the EAs (or the named peer) onto `path`; refused, with the router's reason, onto a path that is not up. */
  private forcePath(path: PathName, peer: string | undefined, actor: string, expires_in_s?: number): HandlerResult {
    const metrics = this.status().routes.metrics[path];
    if (!peer && metrics && !metrics.healthy) {
      return { ok: false, code: 'REFUSED', error: `The ${path} path is failing its probes (${metrics.last_error ?? 'down'}); Guardian will not move orders onto it.` };
    }
    const router = this.s.router;
    const all = [...router.peers.values()].filter((p) => !p.legacy);
    const targets = peer ? all.filter((p) => p.node_id === peer) : all.filter((p) => p.role === 'EA');
    if (targets.length === 0) return { ok: false, code: peer ? 'NOT_FOUND' : 'REFUSED', error: peer ? `No peer ${peer} is connected.` : 'No EA is connected: there is no route to switch.' };
    const before = targets.map((p) => ({ id: p.node_id, path: p.forcedPath, by: p.forcedBy ?? undefined, kept: p.forceKept ?? undefined }));
    // Kept (a restart keeps it), with its lapse when it has one.
    const keep = { expires_in_s };
    for (const p of targets) {
      const r = router.forcePath(p.node_id, path, actor, keep);
      if (!r.ok) {
        for (const b of before) router.forcePath(b.id, b.path, b.by, b.kept);
        return { ok: false, code: 'REFUSED', error: `Refused: ${r.error}.` };
      }
    }
    const ids = targets.map((p) => p.node_id);
    return {
      ok: true,
      slot: `path:${ids.join(',')}`,
      lapse: () => {
        const still = ids.filter((id) => router.peers.get(id)?.forcedPath === path);
        for (const id of still) router.forcePath(id, null, actor);
        return still.length > 0; // none: the router lapsed them itself, and said so
      },
    };
  }

  private publish(e: StreamEvent): void {
    try {
      this.events.fire([e]);
    } catch {
      // a listener's failure (a console that went away) never stops the pulse
    }
  }

  dispose(): void {
    this.store.dispose();
  }
}

/** An operator's name as the router keeps it ('operator:<name>', or its default 'the operator'). */
function isOperator(by: string | null): boolean {
  return by !== null && (by.startsWith('operator:') || by === 'the operator');
}

/** The contract's Incident from the log's richer view (the extra fields stay on the server). */
export function toContractIncident(v: IncidentView): Incident {
  const events: IncidentEvent[] = v.events.map((e) => {
    const out: IncidentEvent = { ts: e.ts, type: e.type, text: e.text };
    if (e.from_mode) out.from_mode = e.from_mode;
    if (e.to_mode) out.to_mode = e.to_mode;
    if (e.why) out.why = e.why;
    if (e.hash) out.hash = e.hash;
    return out;
  });
  const out: Incident = {
    id: v.id, opened_ts: v.opened_ts, closed_ts: v.closed_ts, severity: v.severity, title: v.title, events, why: v.why,
    runbook: v.runbook, estimate_to_recover_s: v.estimate_to_recover_s, acknowledged_by: v.acknowledged_by,
  };
  if (v.mode) out.mode = v.mode;
  return out;
}

/**
 * Before the control plane runs, the console shows what the data plane knows and no more: no
 * mode decision is made here. NORMAL with full scores is what a Guardian without its control
 * loop would claim; the gates panel has no detail and the agents have not voted.
 */
function dataPlaneOnlyView(_dp: DataPlaneStatus): ControlPlaneView {
  const scores = Object.fromEntries(GATE_NAMES.map((g) => [g, 100])) as Record<GateName, number>;
  return { mode: 'NORMAL', overall_score: 100, scores, policy: { recover_threshold: 85, dwell_seconds: 20 }, agent_votes: {} };
}
