// What the console server reads and asks of the control plane, in the contract's shapes. The
// server knows HTTP, WebSocket and Prometheus; a backend knows Guardian. GuardianConsole
// (guardian-console.ts) is the backend of a running Guardian; tests and the UI benchmark hand in
// their own.
import type {
  Advice, AuditEntry, ControlCall, ControlResponse, DeadLetter, GuardianStatus, HeldSignal, Incident, MetricsRecent,
  ReportFile, ReportFormat, RunManifest, StreamEvent, TruthReport, ExecutionView,
} from '../../../src-shared/contract';
import type { Disposable } from '../lifecycle';

export interface ConsoleBackend {
  /** Running beside the simulator: fault injection allowed. */
  readonly demo: boolean;
  readonly version: string;
  readonly pulse_ms: number;
  /** The status of the latest pulse. */
  status(): GuardianStatus;
  metricsRecent(window_s?: number): MetricsRecent;
  /** Newest first. */
  incidents(limit: number, before_ts?: string): Incident[];
  incident(id: string): Incident | null;
  /** Newest first. */
  audit(limit: number): AuditEntry[];
  advice(): Advice[];
  heldSignals(limit: number): HeldSignal[];
  deadLetters(limit: number): DeadLetter[];
  /** An incident's report, or the whole timeline's (id TIMELINE_REPORT_ID); null when there is no such incident. */
  report(id: string, format: ReportFormat): ReportFile | null;
  /**
   * Runs a validated control on behalf of `actor` (from the token, never from the request). The
   * audit entry is written, and its `audit` event published, before this returns.
   */
  control(call: ControlCall, actor: string): ControlResponse | Promise<ControlResponse>;
  /** A `status` every pulse; `incident`, `audit`, `advice`, `signal`, `dead_letter` as they happen. */
  onEvent(listener: (event: StreamEvent) => void): Disposable;
  /** The trading truth (guardian/truth); absent: the API answers 503. */
  truth?(): TruthReport | null;
  /** The run manifest (guardian/manifest); absent: the API answers 503. */
  manifest?(): RunManifest | null;
  /** Execution safety (guardian/execution): blocked signals, kill switch, commands, ledger; absent: 503. */
  execution?(limit: number): ExecutionView | null;
  /** What only Prometheus shows (the rest is read from the status). */
  figures(): PrometheusFigures;
}

export interface PrometheusFigures {
  msgs_per_s: number;
  /** Group commits that failed since start. */
  store_failures: number;
  /** Bad input since start, per reason code (FRAME_SIZE, BAD_JSON, ...). */
  bad_input: Record<string, number>;
  peers_connected: number;
}
