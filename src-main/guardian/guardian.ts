// createGuardian(config, deps) -> a running, disposable Guardian: the store, the listeners on
// every path, the router, and the timers that keep the pulse. No Electron here: the desktop app
// and the headless service host the same object.
import { createHmac } from 'node:crypto';
import { readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { HmacFn, PathName } from '../../src-shared/protocol';
import { systemClock, type Clock } from './clock';
import {
  DEFAULT_CONFIG_FILE, defaultConfigFiles, filesOf, pipeAddress, resolveInDataDir, startConfigReload, type ConfigWatchOptions, type GuardianConfig,
} from './config';
import { buildManifest } from './manifest';
import { TradingTruth } from './truth';
import { ExecutionSafety, holdSafeMode, loadPretradeLimits, wireExecution, type PretradeLimits } from './execution';
import { listenPipe, listenSocket, SpoolDir, type Listener, type StreamSocket } from './paths';
import { acceptConnection, Router, SpoolLink, type PathHealth } from './router';
import { Checkpointer, GroupCommit, integrityCheck, openDatabase, WalSync, type Db } from './store';
import { IncidentLog } from './incidents';
import { Learning } from './learning';
import { GuardianConsole, defaultOperator, learningPort, loadOrCreateToken, startConsoleServer, type ConsoleServer } from './server';
import { consolePort, createControlPlane, defaultControlFiles, loadFailoverPolicy, type ControlPlane, type ControlPlaneSettings } from './control';
import { familyOfDependency, recordControlEvent } from './control-incidents';
import { startDurability, type Durability } from './durability';
import { bindLater, bindWhenFree, recordTakeover, type Leadership } from './leadership';
import type { LeadershipStatus, RunManifest } from '../../src-shared/contract';

export interface GuardianDeps {
  dataDir: string;
  /**
   * Issue 7, active/standby: this instance holds the lease (guardian/leadership). Its database
   * connection is fenced with the token before anything is built on it, and the socket path is
   * bound even while a paused former leader still holds the port (retried in the background).
   */
  leadership?: Leadership;
  clock?: Clock;
  /** The shared HMAC key; by default read from the variable the config names. */
  hmacKey?: string;
  env?: NodeJS.ProcessEnv;
  /** Held signals a release sends per batch (tests: a release of several chunks); default 10,000. */
  releaseChunk?: number;
  /** Running beside the simulator (`serve --demo`): the console offers fault injection. */
  demo?: boolean;
  /** The built console the server sends (default out/web of the repository). */
  webRoot?: string;
  /**
   * Issue 3: run the control plane (pulse -> gates -> agents -> modes -> effects, repairs) beside
   * the data plane; settings override its defaults. Off unless asked for, so the data plane's own
   * tests see the bare router; `guardian serve` turns it on.
   */
  control?: boolean | ControlPlaneSettings;
  /**
   * Serves the pipe path instead of Node's listener: the desktop app on Windows passes the native
   * secure pipe (guardian/native listenSecurePipe), whose ACL admits only this user and SYSTEM.
   * Resolving null (the library is missing) falls back to Node's listener.
   */
  pipeListener?: PipeListenerFactory;
  /**
   * Issue 6 (execution safety, runs with the control plane): the pre-trade limits (default
   * config/pretrade.yaml, or `file`), and how often command timeouts are checked.
   */
  execution?: { file?: string; limits?: PretradeLimits; tick_ms?: number };
  /** Issue 6: the guardian.yaml in force (for the run manifest and the watcher); absent: the config object is hashed. */
  configFile?: string;
  /** Issue 6: the command-line flags, for the run manifest (never a secret value). */
  flags?: Record<string, string | number | boolean | null>;
  /**
   * Issue 6: watch every config file while running: a bad edit keeps the last good configuration
   * and raises an incident, a good one is applied live where it can be. `guardian serve` turns it on.
   */
  watchConfig?: boolean | Partial<ConfigWatchOptions>;
}

export type PipeListenerFactory = (address: string, onConnection: (s: StreamSocket) => void) => Promise<Listener | null>;

export interface PeerStatus {
  node_id: string;
  role: string;
  tier: string | null;
  legacy: boolean;
  active_path: PathName | null;
  forced_path: PathName | null;
  last_switch: { ts: string; from: PathName | null; to: PathName | null; reason: string } | null;
  unacked: number;
  in_flight: number;
  received: number;
  delivered: number;
  last_seq_received: number;
  paths: PathHealth[];
}

export interface DataPlaneStatus {
  node_id: string;
  listening: Record<string, string>;
  peers: PeerStatus[];
  buffer: { depth: number; held: number; enq_per_s: number; deq_per_s: number; oldest_age_s: number | null };
  /** Signal services' ACKs are held while a connected EA is this far behind (backpressure); null when not. */
  intake_held_backlog: number | null;
  msgs_per_s: number;
  store: { batches: number; writes: number; failures: number; last_error: string | null; dead_letters: number };
  /** Active/standby: role, fencing token, holder (when ha is on). */
  leadership?: LeadershipStatus;
}

export interface Guardian {
  readonly config: GuardianConfig;
  readonly router: Router;
  readonly db: Db;
  readonly dataDir: string;
  readonly listening: Record<string, string>;
  /** The incident log (hash-chained events, incidents, the operators' audit). */
  readonly incidents: IncidentLog;
  /** What the console and API read (guardian/server); attachFaultInjector wires the demo's simulator. */
  readonly console: GuardianConsole;
  /** The console server, when `api.enabled`: its URL (with the token) is `api.consoleUrl`. */
  readonly api: ConsoleServer | null;
  /** The control plane (issue 3), when deps.control asked for it. */
  readonly control: ControlPlane | null;
  /** Outcomes of degrade episodes and repairs, and threshold advice (applied only by an operator). */
  readonly learning: Learning;
  /** Issue 6: the trading truth (trade journal and metrics) and the run manifest. */
  readonly truth: TradingTruth;
  readonly manifest: RunManifest;
  status(): DataPlaneStatus;
  /**
   * The first step of a graceful stop: the socket and pipe take no new connections; sessions
   * already open stay up, so the outbox can still be flushed before dispose().
   */
  stopIntake(): void;
  integrity(): string;
  dispose(): Promise<void>;
}

export async function createGuardian(config: GuardianConfig, deps: GuardianDeps): Promise<Guardian> {
  const clock = deps.clock ?? systemClock;
  // Issue 6: a bad config/pretrade.yaml stops the start before anything is opened, naming its line and key.
  const pretrade = deps.control ? (deps.execution?.limits ?? loadPretradeLimits(deps.execution?.file)) : null;
  const env = deps.env ?? process.env;
  const key = deps.hmacKey ?? (config.protocol.hmac_key_env ? env[config.protocol.hmac_key_env] : undefined);
  const hmac: HmacFn | undefined = key ? (bytes) => createHmac('sha256', key).update(bytes).digest('hex') : undefined;

  const db = openDatabase(resolveInDataDir(deps.dataDir, config.store.file));
  deps.leadership?.fence(db); // issue 7: from here on every write of this connection carries the token
  // Issue 7: the mirror is seeded before anything writes; snapshots and the status file run beside.
  let trouble: (text: string) => void = (text) => process.stderr.write(`guardian: ${text}\n`);
  let durability: Durability;
  try {
    durability = await startDurability({ db, config, dataDir: deps.dataDir, clock, onTrouble: (text) => trouble(text) });
  } catch (err) {
    db.close();
    throw err;
  }
  // The hot path's fsync runs on the thread pool: no heartbeat waits behind a disk flush.
  const commit = new GroupCommit(db, undefined, undefined, WalSync.for(db));
  // And so does the checkpoint's copy and flush of the WAL into the database file.
  const checkpointer = Checkpointer.start(db, { onError: (text) => trouble(`${text} (the writer checkpoints by itself meanwhile)`) });
  durability.watchCommits(commit);
  const router = new Router(db, commit, {
    node_id: config.node_id,
    window: config.router.window,
    resend_timeout_ms: config.router.resend_timeout_ms,
    switchback_healthy_ms: config.router.switchback_healthy_ms,
    dual_write: config.router.dual_write,
    signal_tier: config.router.signal_tier,
    no_route_hold_s: config.router.no_route_hold_s,
    outbox_retention_s: config.store.outbox_retention_s,
    inbox_retention_s: config.store.inbox_retention_s,
    hmac,
    ...(deps.releaseChunk ? { release_chunk: deps.releaseChunk } : {}),
  }, clock);

  const p = config.protocol;
  const linkSettings = {
    node_id: config.node_id, heartbeat_ms: p.heartbeat_ms, silent_heartbeats: p.silent_heartbeats,
    hello_timeout_ms: p.hello_timeout_ms, versions: p.versions, auth_failures_to_close: p.auth_failures_to_close,
    hmac, max_frame_bytes: p.max_frame_bytes, frame_timeout_ms: p.frame_timeout_ms,
  };

  const listeners: Listener[] = [];
  const onPipe = (s: StreamSocket) => acceptConnection(router, s, 'pipe', linkSettings);
  const listenPipePath = async (): Promise<Listener> =>
    (await deps.pipeListener?.(pipeAddress(config, deps.dataDir), onPipe)) ?? listenPipe(pipeAddress(config, deps.dataDir), onPipe);
  const timers: { dispose(): void }[] = [];
  let spool: SpoolLink | undefined;
  let spoolDir: SpoolDir | undefined;
  try {
    if (config.paths.socket.enabled) {
      const bindSocket = () => listenSocket(config.paths.socket.host, config.paths.socket.port, (s) => acceptConnection(router, s, 'socket', linkSettings));
      listeners.push(await (deps.leadership ? bindWhenFree(bindSocket, { clock, brief_ms: 500, retry_ms: 100, say: (l) => process.stderr.write(`${l}\n`) }) : bindSocket()));
    }
    if (config.paths.pipe.enabled) {
      listeners.push(await (deps.leadership ? bindWhenFree(listenPipePath, { clock, brief_ms: 500, retry_ms: 100, say: (l) => process.stderr.write(`${l}\n`) }) : listenPipePath()));
    }
    if (config.paths.spool.enabled) {
      const dir = new SpoolDir(resolveInDataDir(deps.dataDir, config.paths.spool.dir), 'guardian');
      spoolDir = dir;
      spool = new SpoolLink(dir, router, config.node_id, config.paths.spool.stale_ms, hmac);
      // The current spool link (a repair may reopen it).
      timers.push(clock.setInterval(() => spool?.poll(), config.paths.spool.poll_ms));
    }
  } catch (err) {
    for (const l of listeners) await l.close();
    durability.dispose();
    checkpointer?.dispose();
    db.close();
    throw err;
  }
  const listening: Record<string, string> = {};
  for (const l of listeners) listening[l.path] = l.address;
  if (spool) listening.spool = resolveInDataDir(deps.dataDir, config.paths.spool.dir);

  timers.push(clock.setInterval(() => router.tick(), p.heartbeat_ms));
  timers.push(clock.setInterval(() => {
    try {
      router.prune();
    } catch {
      // pruning is housekeeping: a failure (disk full) is seen by the next commit's error
    }
  }, config.store.prune_every_ms));

  const rates = new RateMeter(clock);
  let disposed = false;

  // The console server (guardian/server): API, event stream, /metrics and the console page.
  // Issue 6: what is running (every report carries it), and the trading truth from raw TRADE events.
  const controlFiles = { ...defaultControlFiles(), ...(typeof deps.control === 'object' ? deps.control.files : {}) };
  const configFiles = {
    ...defaultConfigFiles(deps.configFile ?? DEFAULT_CONFIG_FILE), constraints: controlFiles.constraints, policy: controlFiles.policy, runbooks: controlFiles.runbooks,
    ...(deps.execution?.file ? { pretrade: deps.execution.file } : {}),
  };
  const makeManifest = () => buildManifest({
    dataDir: deps.dataDir, started_ms: clock.wall_ms(), flags: deps.flags ?? {}, protocolVersions: config.protocol.versions,
    configFiles: filesOf(configFiles).map(([kind, file]) => (kind === 'guardian' && !deps.configFile ? { file: '(guardian config in memory)', value: config } : { file })),
  });
  let manifest: RunManifest = makeManifest();
  const incidents = new IncidentLog(db, { clock, manifest: () => manifest });
  if (deps.leadership) recordTakeover(incidents, deps.leadership); // issue 7: a takeover is an incident
  const truth = new TradingTruth({ db, clock, router, writer: commit });
  trouble = (text) => {
    try {
      incidents.raise({ family: 'STORE', title: text, summary: text, severity: 'warning', type: 'detect' });
    } catch {
      process.stderr.write(`guardian: ${text}\n`);
    }
  };
  // Learning on the same database: an applied advice and its audit are one transaction.
  const controlSettings = typeof deps.control === 'object' ? deps.control : {};
  let dwell_s: number | undefined;
  if (deps.control) {
    try {
      dwell_s = loadFailoverPolicy(controlSettings.files?.policy ?? defaultControlFiles().policy).dwell_seconds;
    } catch {
      // the control plane reports a policy that does not load; learning keeps its default dwell
    }
  }
  const learning = new Learning(db, { clock, log: incidents, ...(dwell_s === undefined ? {} : { dwell_s }) });

  // ---- issue 3: the control plane, and the repair actions its runbooks run on the real listeners.
  // A restart stops accepting on the address and listens again; sessions already open stay up.
  const retired: Promise<unknown>[] = []; // a retired server's 'close' comes once its last session ends
  const relisten = async (path: 'socket' | 'pipe', port?: number): Promise<string> => {
    const i = listeners.findIndex((l) => l.path === path);
    if (i < 0) throw new Error(`the ${path} path is not enabled`);
    const old = listeners[i]!;
    retired.push(old.stopAccepting());
    const listen = () => path === 'socket'
      ? listenSocket(config.paths.socket.host, port ?? Number(old.address.split(':').pop()), (s) => acceptConnection(router, s, 'socket', linkSettings))
      : listenPipePath();
    let fresh: Listener | undefined;
    for (let attempt = 0; !fresh; attempt++) {
      try {
        fresh = await listen();
      } catch (err) {
        if (attempt >= 10) throw err; // the closed handle frees the address within a few ticks
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    listeners[i] = fresh;
    listening[path] = fresh.address;
    return `${path} listening again on ${fresh.address}`;
  };
  let control: ControlPlane | null = null;
  // Issue 6: execution safety. Its pre-trade gate is the router's signal policy before the control
  // plane starts, so the control plane chains the mode's MODE_BLOCK in front of it (one source of truth).
  let execution: ExecutionSafety | null = null;
  if (pretrade) {
    execution = new ExecutionSafety({
      router, db, clock, incidents, limits: pretrade, writer: commit, ...(deps.execution?.tick_ms ? { tick_ms: deps.execution.tick_ms } : {}),
      holdKillSwitch: (kill) => {
        if (control) holdSafeMode(control, kill, clock.now_ms());
      },
    });
    router.signals.policy = execution.policy;
    router.signals.releaseCheck = execution.releaseCheck;
    router.signals.admittedCheck = execution.admittedCheck;
  }
  if (deps.control) {
    let chain: { at: number; ok: boolean | null } = { at: -Infinity, ok: null };
    const repairIncidents = new Map<string, string>();
    control = createControlPlane({
      ...(typeof deps.control === 'object' ? deps.control : {}),
      router, db, clock, dataDir: deps.dataDir, truth, writer: commit,
      // The incident log takes the mode manager's effects as they are; its chain check (once a minute) is log_chain_ok.
      incidents: controlSettings.incidents ?? {
        record: (e) => recordControlEvent(incidents, e, {
          repair: (run_id) => control?.repairs().find((r) => r.id === run_id),
          repairIncidents,
          troubleIn: (family) => !!control && (
            control.breakers.dependencies().some((dep) => familyOfDependency(dep) === family && control?.breakers.get(dep).state === 'OPEN')
            || control.controlStatus().control.degradations.some((d) => d.degradation === family)),
          repairFinished: (r) => learning.recordRepair({
            // A path's repair answers DEGRADED.COMM; a configuration repair, whatever mode it ran in.
            mode: r.target ? 'DEGRADED.COMM' : control?.mode ?? 'NORMAL',
            runbook: r.runbook, duration_s: r.duration_ms / 1000, succeeded: r.ok, incident_id: r.incident_id,
          }),
        }),
        modeEffect: (e) => {
          try {
            incidents.recordModeEffect(e);
          } finally {
            learning.recordModeEffect(e); // an episode is learnt even if its incident could not be written
          }
        },
        chainOk: () => {
          if (clock.now_ms() - chain.at >= 60_000) {
            try {
              chain = { at: clock.now_ms(), ok: incidents.verify().ok };
            } catch {
              chain = { at: clock.now_ms(), ok: null };
            }
          }
          return chain.ok;
        },
      },
      actions: {
        restartListener: (path) => (path === 'spool' ? Promise.reject(new Error('the spool has no listener: clear it instead')) : relisten(path)),
        rotatePort: (path, offset) => {
          if (path !== 'socket') return Promise.reject(new Error(`only the socket has a port to rotate, not the ${path}`));
          const current = Number(listening.socket?.split(':').pop());
          return relisten('socket', current + offset);
        },
        recreatePipe: () => relisten('pipe'),
        clearSpool: async () => {
          if (!spool || !spoolDir) throw new Error('the spool path is not enabled');
          // Half-written files of a crashed writer go; the link is reopened and reads from_ea from the start.
          let removed = 0;
          for (const dir of [spoolDir.outDir, spoolDir.inDir]) {
            for (const name of readdirSync(dir).filter((f) => f.endsWith('.tmp'))) {
              const file = join(dir, name);
              if (Date.now() - statSync(file).mtimeMs > config.paths.spool.stale_ms) {
                unlinkSync(file);
                removed++;
              }
            }
          }
          spool.close('reopened by a repair');
          spool = new SpoolLink(spoolDir, router, config.node_id, config.paths.spool.stale_ms, hmac);
          return `spool reopened; ${removed} half-written file(s) removed`;
        },
      },
    });
    // Applied advice is in force over the YAML from the start; proposals are made hourly.
    const cp = control;
    if (execution) timers.push(...wireExecution(execution, cp));
    let applied: Record<string, string> = {};
    try {
      applied = learning.effectiveConditions();
    } catch (err) {
      cp.runOnShadow(`the applied advice in the database cannot be read (${(err as Error).message})`);
    }
    if (Object.keys(applied).length > 0) cp.setConditions(applied);
    // Running on the shadow is an incident, not only a note: the operator's live policy is not in force.
    if (cp.configChannel.source === 'shadow') trouble(`running on the shadow configuration (the YAML on disk): ${cp.configChannel.reason ?? ''}`);
    timers.push(clock.setInterval(() => {
      try {
        learning.proposeAdvice(cp.conditions());
      } catch {
        // advice is a suggestion: a failed round is tried again next hour
      }
    }, 3_600_000));
  }

  const consoleBackend = new GuardianConsole({
    router, db, clock, incidents, demo: deps.demo ?? false, pulse_ms: p.heartbeat_ms,
    ...(control ? { control: consolePort(control, execution ?? undefined) } : {}),
    ...(control ? { learning: learningPort(learning, (id, condition) => control?.setConditions({ [id]: condition })) } : {}),
    enabledPaths: (['socket', 'pipe', 'spool'] as const).filter((path) => config.paths[path].enabled),
    dataPlane: () => guardian.status(),
    statusExtra: () => ({ durability: durability.status(control?.configChannel ?? { source: 'database', reason: null }) }),
    truth: () => truth.report(),
    manifest: () => manifest,
    execution: (limit) => execution?.view(limit) ?? null,
  });
  if (deps.watchConfig) {
    const started = manifest.started_ts;
    timers.push(startConfigReload({
      files: configFiles, clock, log: incidents,
      ...(control ? { applyLive: () => control!.reloadConfig() } : {}),
      ...(execution ? {
        applyPretrade: () => {
          execution!.setLimits(loadPretradeLimits(configFiles.pretrade));
          return 'pre-trade limits applied';
        },
      } : {}),
      onApplied: () => {
        manifest = { ...makeManifest(), started_ts: started };
      },
      ...(typeof deps.watchConfig === 'object' ? { watch: deps.watchConfig } : {}),
    }));
  }
  durability.startStatusFile(() => consoleBackend.status());
  let api: ConsoleServer | null = null;
  // One order of teardown, for dispose() and for a start that fails half-way: the controls first,
  // then the data plane (the last batch is stored), then what writes to the database, then it.
  const teardown = async (): Promise<void> => {
    await api?.close(); // no control is accepted while the rest stops
    await durability.close(); // a snapshot under way finishes; the status file is written a last time
    consoleBackend.dispose();
    control?.dispose();
    execution?.dispose();
    for (const t of timers) t.dispose();
    for (const l of listeners) void l.stopAccepting();
    router.dispose();
    spool?.close('Guardian stopping');
    truth.dispose(); // the last equity minute and peak go into the last batch
    commit.dispose(); // the last batch is stored before the database closes
    checkpointer?.dispose();
    await Promise.all([...listeners.map((l) => l.close().catch(() => undefined)), ...retired, checkpointer?.ended]);
    learning.dispose();
    incidents.dispose();
    db.close();
  };
  if (config.api.enabled) {
    const startApi = () => startConsoleServer({
      backend: consoleBackend, host: config.api.host, port: config.api.port, webRoot: deps.webRoot,
      token: loadOrCreateToken(deps.dataDir).token, actor: defaultOperator(),
    });
    try {
      api = await startApi();
    } catch (err) {
      if (deps.leadership && (err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        // Issue 7: a paused former active instance still holds the console port; the data plane must
        // not wait for it. The console comes up the moment the port is free.
        process.stderr.write(`guardian: the console port ${config.api.host}:${config.api.port} is still held (a former active instance, paused?); the console starts when it is free\n`);
        timers.push(bindLater(startApi, { clock, retry_ms: 250, what: 'console', say: (l) => process.stderr.write(`${l}\n`), bound: (server) => {
          if (disposed) void server.close();
          else {
            api = server;
            process.stderr.write(`guardian: console ${server.consoleUrl}\n`);
          }
        } }));
      } else {
        disposed = true;
        await teardown();
        const e = err as NodeJS.ErrnoException;
        throw new Error(e.code === 'EADDRINUSE' ? `the console port ${config.api.host}:${config.api.port} is in use (api.port in the config; 0 picks a free one)` : `the console server cannot start: ${e.message}`);
      }
    }
  }

  const guardian: Guardian = {
    config,
    router,
    db,
    dataDir: deps.dataDir,
    listening,
    incidents,
    console: consoleBackend,
    get api() {
      return api; // issue 7: bound late after a takeover, while a paused former leader held the port
    },
    control,
    learning,
    truth,
    get manifest() {
      return manifest;
    },
    integrity: () => integrityCheck(db),
    stopIntake() {
      for (const l of listeners) void l.stopAccepting();
    },
    status(): DataPlaneStatus {
      const now = clock.now_ms();
      const peers = [...router.peers.values()].map((peer): PeerStatus => ({
        node_id: peer.node_id,
        role: peer.role,
        tier: peer.tier ?? null,
        legacy: peer.legacy,
        active_path: peer.activePath,
        forced_path: peer.forcedPath,
        last_switch: peer.lastSwitch ? { ...peer.lastSwitch, ts: new Date(peer.lastSwitch.ts_ms).toISOString() } : null,
        unacked: peer.outbound.unacked,
        in_flight: peer.outbound.inFlight,
        received: peer.received,
        delivered: peer.delivered,
        last_seq_received: peer.inbound.lastCommitted,
        paths: peer.health(now),
      }));
      const depth = peers.reduce((n, p) => n + p.unacked, 0);
      const received = peers.reduce((n, p) => n + p.received, 0);
      // The buffer is the durable outbox: in = messages queued to it, out = messages acknowledged.
      let queued = 0;
      let acked = 0;
      for (const p of router.peers.values()) {
        queued += p.outbound.committed;
        acked += p.outbound.acked;
      }
      const r = rates.sample(received, queued, acked);
      return {
        node_id: config.node_id,
        listening,
        peers,
        buffer: { depth, held: router.heldCount(), enq_per_s: r.queued_per_s, deq_per_s: r.acked_per_s, oldest_age_s: router.oldestUnackedAge_s() },
        intake_held_backlog: router.intakeHeldBacklog,
        msgs_per_s: r.received_per_s,
        store: { ...commit.stats, last_error: commit.stats.last_error ?? null, dead_letters: router.store.deadLetterCount() },
        ...(deps.leadership ? { leadership: deps.leadership.status() } : {}),
      };
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await teardown();
    },
  };
  return guardian;
}

/**
 * Messages per second: received from peers, queued to the outbox, acknowledged out of it; over at
 * least the last second (the console samples every pulse, 250 ms, and a quarter second of a calm
 * stream rounds to 0 or 4 a second).
 */
class RateMeter {
  private last: { t: number; received: number; queued: number; acked: number } | undefined;
  private rate = { received_per_s: 0, queued_per_s: 0, acked_per_s: 0 };
  constructor(private readonly clock: Clock) {}
  sample(received: number, queued: number, acked: number): { received_per_s: number; queued_per_s: number; acked_per_s: number } {
    const t = this.clock.now_ms();
    if (this.last && t - this.last.t >= 1000) {
      const s = (t - this.last.t) / 1000;
      const per_s = (now: number, before: number) => Math.max(0, Math.round((now - before) / s));
      this.rate = { received_per_s: per_s(received, this.last.received), queued_per_s: per_s(queued, this.last.queued), acked_per_s: per_s(acked, this.last.acked) };
      this.last = { t, received, queued, acked };
    } else if (!this.last) this.last = { t, received, queued, acked };
    return this.rate;
  }
}

export function defaultDataDir(cwd = process.cwd()): string {
  return join(cwd, '.guardian-data');
}
