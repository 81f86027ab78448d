// The control plane's shapes: its options, the events it reports (the hook the incident log
// connects to), and its status (DESIGN.md section 4's /api/status, plus what the console needs).
import type { GuardianStatus } from '../../../src-shared/contract';
import type { PathName, SignalTier } from '../../../src-shared/protocol';
import type { AgentConfig } from '../agents';
import type { BreakerPosition } from '../breakers';
import type { Clock } from '../clock';
import type { ConstraintResult, Severity } from '../constraints';
import type { GatePolicy } from '../gates';
import type { Mode, ModeEffect } from '../modes';
import type { ProbeWriter, PulseSettings, TruthFeed } from '../pulse';
import type { RepairActions } from '../repair';
import type { Router } from '../router';
import type { Db } from '../store';
import type { StandingOrderTimes } from './standing-orders';

/** The constraints (with their values) behind a decision: every decision keeps its "why". */
export interface WhyRecord {
  text: string;
  by: 'policy' | { operator: string };
  constraints: Pick<ConstraintResult, 'id' | 'gate' | 'severity' | 'status' | 'value' | 'limit' | 'explanation'>[];
}

export type ControlEventType =
  | 'mode_change' | 'degradation' | 'recover' | 'path_switch' | 'signal_tier' | 'entries' | 'held_signal'
  | 'command' | 'breaker' | 'repair' | 'runbook_step' | 'verify' | 'override' | 'config' | 'note';

/** One thing the control plane did or saw, with its why: what the incident log records. */
export interface ControlEvent {
  /** Wall-clock time, ISO 8601. */
  ts: string;
  ts_ms: number;
  type: ControlEventType;
  /** One line a person reads on the timeline. */
  text: string;
  /** The mode when it happened (after it, for a mode change). */
  mode: Mode;
  severity: Severity | 'info';
  from_mode?: Mode;
  to_mode?: Mode;
  why?: WhyRecord;
  /** Structured details (peer, path, runbook, step, command, breaker ...). */
  data?: Record<string, unknown>;
}

/**
 * Where the control plane's events go: the incident log (hash-chained, issue 3's incidents/)
 * implements this; the control plane never builds the log itself. `chainOk`, when given, feeds
 * the `log_chain_ok` variable.
 */
export interface IncidentSink {
  record(event: ControlEvent): void;
  /** The mode manager's effects as they are (incidents/recordModeEffectIn reads these). */
  modeEffect?(effect: ModeEffect): void;
  chainOk?(): boolean | null;
}

/** Budgets of the execution-quality score (DESIGN.md's exec subsystem): 100 at the budget, 0 at the max. */
export interface ExecBudgets {
  reject_budget_pct: number;
  reject_max_pct: number;
  slippage_budget_bps: number;
  slippage_max_bps: number;
}

export const DEFAULT_EXEC_BUDGETS: ExecBudgets = { reject_budget_pct: 2, reject_max_pct: 12, slippage_budget_bps: 5, slippage_max_bps: 25 };

/** Everything but the data plane's own parts: what guardian.ts and the CLI pass through. */
export interface ControlPlaneSettings {
  /** Defaults: config/constraints.yaml, config/failover-policy.yaml, config/runbooks.yaml. */
  files?: { constraints?: string; policy?: string; runbooks?: string };
  /** pulse_ms (default 250) and the pulse's windows and budgets. */
  pulse?: PulseSettings;
  /** A tier with no signal for this long is stale (defaults follow the constraints: 30 / 300 / 900 s). */
  signal_stale_s?: Partial<Record<SignalTier, number>>;
  exec?: Partial<ExecBudgets>;
  repair?: {
    /** Off: paths are failed over but not repaired. Default on. */
    enabled?: boolean;
    /** A path must be failing this long before a repair starts. Default 1000 ms. */
    start_after_ms?: number;
  };
  agents?: AgentConfig;
  gates?: GatePolicy;
  /** How the control plane names itself in switch reasons and commands. Default 'Guardian'. */
  name?: string;
  /** After start, pulses are taken but not acted on for this long (first echoes, STATUS, signals). Default 2000 ms. */
  warmup_ms?: number;
  /** Start the pulse timer. Default true; false: call pulseNow() yourself. */
  autostart?: boolean;
  incidents?: IncidentSink;
  /** constraint_runs: a row per constraint this often (besides every change of status). Default 60 s. */
  runs_sample_s?: number;
  /** When an EA that should hold new entries and says it does not is told again (control/standing-orders.ts). */
  standing_orders?: Partial<StandingOrderTimes>;
}

export interface ControlPlaneOptions extends ControlPlaneSettings {
  router: Router;
  db: Db;
  clock?: Clock;
  dataDir: string;
  /** The repair steps that touch the system (guardian.ts implements them on its listeners). */
  actions?: Partial<Omit<RepairActions, 'reloadConfig'>>;
  /** The trading truth the pulse reads (consecutive losses, VaR, drawdown and its persisted peak). */
  truth?: TruthFeed;
  /** The store's group commit: the pulse times its durable write probe through it, as messages go. */
  writer?: ProbeWriter;
}

export interface BreakerStatus {
  dependency: string;
  state: BreakerPosition;
  failures_recent: number;
  open_until_ms: number | null;
  halted: string | null;
  last_failure: string | null;
}

export interface RepairStatus {
  id: string;
  runbook: string;
  title: string;
  target: PathName | null;
  state: string;
  step: number;
  of: number;
  step_name: string;
  verify: { good: number; needed: number } | null;
  estimate_to_recover_s: number | null;
  started: string;
  why: string;
}

/** The control plane's own detail, beside the section 4 shape. */
export interface ControlDetail {
  pulse_seq: number;
  approved: boolean;
  approval_reasons: string[];
  entries: 'pass' | 'hold' | 'refuse';
  held_signals: number;
  held_outcomes: { held: number; released: number; expired: number; refused: number };
  degradations: { degradation: string; since: string; why: WhyRecord }[];
  safe: { since: string; why: WhyRecord } | null;
  veto: { status: string; why: string | null };
  recovery_blockers: string[];
  clean_for_s: number | null;
  breakers: BreakerStatus[];
  repairs: RepairStatus[];
  subsystems: { comm: number | null; signal: number | null; exec: number | null };
  unknown_constraints: string[];
  filter: { session?: string; symbol?: string; regime?: string };
}

export type ControlStatus = GuardianStatus & { control: ControlDetail };
