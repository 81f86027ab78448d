// The repair orchestrator's data: runbooks (config/runbooks.yaml), runs with their step progress,
// the events that drive them and the effects they ask the control plane to carry out. Plain data,
// JSON-safe, so a run in progress survives a restart.
import type { PathName } from '../../../src-shared/protocol';

/** What a step does to the system: carried out by the control plane through RepairActions. */
export type RepairAction = 'restart_listener' | 'rotate_port' | 'recreate_pipe' | 'clear_spool' | 'reload_config';
export const REPAIR_ACTIONS: readonly RepairAction[] = ['restart_listener', 'rotate_port', 'recreate_pipe', 'clear_spool', 'reload_config'];

/** Step kinds: an action, or one of the orchestrator's own waits. */
export type StepKind = RepairAction | 'wait_path_up' | 'verify' | 'switch_back';
export const STEP_KINDS: readonly StepKind[] = [...REPAIR_ACTIONS, 'wait_path_up', 'verify', 'switch_back'];

export interface RunbookStep {
  /** What people read ("restart the socket listener"). */
  name: string;
  action: StepKind;
  /** The step fails when it has not finished in this long. */
  timeout_s: number;
  /** verify: this many loop-around pings in a row, each echoed within rtt_budget_ms. */
  pings?: number;
  rtt_budget_ms?: number;
  /** Extra arguments for the action (rotate_port: port_offset). */
  params?: Record<string, number | string | boolean>;
}

/** When a runbook is chosen. */
export type RunbookTrigger = 'path_failing' | 'config_error' | 'operator';

export interface Runbook {
  id: string;
  title: string;
  description?: string;
  /** The paths it repairs (empty or absent: not path-specific). */
  paths?: PathName[];
  triggers: RunbookTrigger[];
  steps: RunbookStep[];
  /** A seed estimate before any run of this runbook has succeeded. */
  expected_s?: number;
  /** After this runbook failed, wait this long before trying it on the same target again. */
  cooldown_s?: number;
}

export type StepState = 'pending' | 'running' | 'done' | 'failed' | 'skipped';
export type RunState = 'running' | 'verifying' | 'done' | 'failed' | 'cancelled';

export interface StepProgress {
  name: string;
  action: StepKind;
  state: StepState;
  started_ms: number | null;
  ended_ms: number | null;
  detail: string | null;
}

export interface VerifyProgress {
  good: number;
  needed: number;
  rtt_budget_ms: number;
  last_rtt_ms: number | null;
  /** Pings that broke the run of good ones (lost or over budget). */
  resets: number;
}

export interface RepairRun {
  id: string;
  runbook: string;
  title: string;
  /** The path repaired, or null for a runbook that is not about one path (reload config). */
  target: PathName | null;
  why: string;
  state: RunState;
  /** Index of the current step (steps.length when finished). */
  step: number;
  steps: StepProgress[];
  /** The runbook's steps as they were when the run started (the file may change meanwhile). */
  plan: RunbookStep[];
  started_ms: number;
  ended_ms: number | null;
  step_started_ms: number;
  verify: VerifyProgress | null;
  detail: string | null;
}

export interface RepairHistoryEntry {
  runbook: string;
  target: PathName | null;
  ok: boolean;
  duration_ms: number;
  ended_ms: number;
}

export interface RepairState {
  runs: RepairRun[];
  /** Finished runs, newest last, bounded: the estimates are drawn from here. */
  history: RepairHistoryEntry[];
  /** Which paths were up at the last observation. */
  up: Partial<Record<PathName, boolean>>;
  next_id: number;
}

export type RepairEvent =
  | { type: 'START'; runbook: Runbook; target: PathName | null; why: string }
  | { type: 'ACTION_DONE'; run_id: string; ok: boolean; detail: string }
  /** Each pulse: which paths are up now (for wait_path_up, and a verify broken by the path going down). */
  | { type: 'OBSERVE'; up: Partial<Record<PathName, boolean>> }
  /** One loop-around ping on a path: echoed with its round trip, or lost. */
  | { type: 'PING'; path: PathName; echoed: boolean; rtt_ms: number | null }
  /** Time passing alone: step timeouts. */
  | { type: 'TICK' }
  | { type: 'CANCEL'; run_id: string; reason: string };

export type RepairEffect =
  | { type: 'RUN_ACTION'; run_id: string; action: RepairAction; target: PathName | null; params: Record<string, number | string | boolean> }
  /** The repaired path is proved: traffic may return to it. */
  | { type: 'SWITCH_BACK'; run_id: string; path: PathName }
  | { type: 'STARTED'; run: RepairRun; estimate_s: number | null }
  | { type: 'REFUSED'; runbook: string; target: PathName | null; reason: string }
  | { type: 'STEP'; run: RepairRun; index: number; state: StepState; detail: string | null }
  | { type: 'VERIFY'; run: RepairRun; passed: boolean }
  | { type: 'FINISHED'; run: RepairRun; ok: boolean; duration_ms: number };
