// GET /api/status: the whole picture in one object. The first block is DESIGN.md section 4
// field for field; the optional block after it is what the console needs for detail. A server
// that sends only section 4 still renders (panels say "no data"); the console is best fed both.
import type { AgentConsensus, AgentVoteSummary } from './agents';
import type { GateDetail } from './gates';
import type { StatusIncidentEvent } from './incidents';
import type { SloSample } from './metrics';
import type { GateName, IsoTs, Mode, PathName, SignalTier } from './modes';
import type { Peer } from './peers';

export interface PathMetrics {
  healthy: boolean;
  latency_ms?: number;
  drop_pct?: number;
  retries?: number;
  acks_per_s?: number;
  last_error?: string | null;
  queue_depth?: number;
}

export interface Routes {
  active: PathName;
  standby: PathName[];
  metrics: Partial<Record<PathName, PathMetrics>>;
}

export interface BufferStatus {
  depth: number;
  enq_per_s: number;
  deq_per_s: number;
  oldest_age_s: number;
  /** Signals held now (neither released, expired nor refused yet): the console lists only the newest. */
  held?: number;
}

export interface Policy {
  recover_threshold: number;
  dwell_seconds: number;
  /** SAFE_MODE is left by the dwell rule (auto), or only by an operator's exit (operator). */
  safe_mode_exit?: 'auto' | 'operator';
}

/**
 * The way back to NORMAL from a degraded mode: what keeps each pulse from counting as clean, and
 * how long it has been clean so far (toward policy.dwell_seconds).
 */
export interface RecoveryStatus {
  /** In words: each gate or subsystem under recover_threshold (and what holds it down), the veto. Empty when clean. */
  blockers: string[];
  /** Seconds every gate has been clean without a break; null while something blocks. */
  clean_for_s: number | null;
}

/** The last time the router changed the active path, and why. */
export interface PathSwitch {
  ts: IsoTs;
  from: PathName;
  to: PathName;
  reason: string;
  actor: 'guardian' | 'operator';
}

export interface RiskSummary {
  veto_armed: boolean;
  /** Live portfolio correlation, 0..1; the veto cap is `correlation_cap`. */
  correlation: number;
  correlation_cap: number;
  slippage_bps: number;
  slippage_cap_bps: number;
}

/** What operator controls currently hold (so the console can offer "resume" only when held). */
export interface ControlsState {
  entries_held: boolean;
  drain_buffer_first: boolean;
  kill_switch_engaged: boolean;
  pinned_mode: Mode | null;
  forced_path: PathName | null;
}

export interface BrokerStatus {
  name: string;
  connected: boolean;
  rtt_ms: number | null;
  clock_skew_ms: number | null;
}

/** The store's mirror on a second volume (durability.mirror), when one is configured. */
export interface MirrorHealth {
  file: string;
  /** null until the first check. */
  healthy: boolean | null;
  /** Rows the mirror is behind (or ahead) by, summed over the tables, at the last check. */
  lag_rows: number | null;
  last_check: IsoTs | null;
  last_error: string | null;
}

export interface SnapshotHealth {
  dir: string;
  every_s: number;
  keep: number;
  last_file: string | null;
  last_ts: IsoTs | null;
  last_error: string | null;
}

/**
 * Where the live policy (constraint conditions, applied advice) was read from: the database, or
 * the YAML files on disk (the shadow) when the database could not be read.
 */
export interface ConfigChannelStatus {
  source: 'database' | 'shadow';
  /** Why Guardian runs on the shadow; null on the database. */
  reason: string | null;
}

export interface DurabilityStatus {
  mirror: MirrorHealth | null;
  snapshots: SnapshotHealth | null;
  config_channel: ConfigChannelStatus;
}

/** Active/standby: who holds the lease, with which fencing token. */
export interface LeadershipStatus {
  role: 'active' | 'standby';
  /** This instance's id in the lease (host:pid:random). */
  holder: string;
  /** The active instance's fencing token (grows by one at every takeover). */
  token: number;
  /** Who is active: this instance when role is active; null when nobody holds the lease. */
  active_holder: string | null;
  lease_expires_ts: IsoTs | null;
  lease_ms: number;
}

export interface StatusCore {
  mode: Mode;
  overall_score: number;
  scores: Record<GateName, number>;
  routes: Routes;
  buffer: BufferStatus;
  /** Recent mode changes, newest first. The full incidents come from `incidentsRecent`. */
  incidents: StatusIncidentEvent[];
  agent_votes: Record<string, AgentVoteSummary>;
  policy: Policy;
}

export interface StatusDetail {
  /** Server time of the pulse this status describes. */
  ts?: IsoTs;
  pulse_ms?: number;
  /** True when the service runs with the simulator (`guardian serve --demo`): fault injection allowed. */
  demo?: boolean;
  version?: string;
  gates?: Partial<Record<GateName, GateDetail>>;
  peers?: Peer[];
  active_tier?: SignalTier;
  last_switch?: PathSwitch | null;
  risk?: RiskSummary;
  controls?: ControlsState;
  recovery?: RecoveryStatus;
  consensus?: AgentConsensus;
  slo?: SloSample;
  broker?: BrokerStatus;
  /** Ids of incidents not yet closed, newest first. */
  open_incident_ids?: string[];
  /** Active/standby (issue 7): this instance's role under the lease; absent when ha is off. */
  leadership?: LeadershipStatus;
  /** Mirror, snapshots and the configuration channel in use. */
  durability?: DurabilityStatus;
  /**
   * Set only when read from the status file because the service does not answer (read-only
   * fallback): how old the file is. A live status never carries them.
   */
  stale?: boolean;
  age_s?: number;
  /** When the status file was written, and by which process. */
  written_at?: IsoTs;
  writer_pid?: number;
}

export type GuardianStatus = StatusCore & StatusDetail;
