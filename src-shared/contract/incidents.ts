// Incidents: groups of hash-chained events, with the why, the runbook and an estimate.
import type { GateName, IsoTs, Mode, Severity } from './modes';

/** One line of section 4's `incidents` list. */
export interface StatusIncidentEvent {
  ts: IsoTs;
  event: string;
  reason: string;
}

/** A constraint that caused a mode change, with the value that broke it. */
export interface Cause {
  constraint_id: string;
  gate?: GateName;
  value: number;
  limit?: number;
  unit?: string;
  text?: string;
}

export type IncidentEventType =
  | 'detect' | 'mode_change' | 'path_switch' | 'runbook_step' | 'verify' | 'breaker'
  | 'control' | 'ack' | 'recover' | 'note';

export interface IncidentEvent {
  ts: IsoTs;
  type: IncidentEventType;
  text: string;
  /** On `mode_change`: the modes, and the constraints and values that caused it. */
  from_mode?: Mode;
  to_mode?: Mode;
  why?: Cause[];
  /** Hash of this event chained to the previous one (tamper evidence). */
  hash?: string;
}

export type RunbookState = 'pending' | 'running' | 'verifying' | 'done' | 'failed';

export interface RunbookProgress {
  runbook: string;
  step: number;
  of: number;
  /** The current step's name, e.g. "rotate port". */
  name: string;
  state: RunbookState;
}

export interface Incident {
  id: string;
  opened_ts: IsoTs;
  closed_ts: IsoTs | null;
  severity: Severity;
  title: string;
  /** The mode this incident put Guardian in, when it changed the mode. */
  mode?: Mode;
  events: IncidentEvent[];
  why: { causes: Cause[] } | null;
  runbook: RunbookProgress | null;
  estimate_to_recover_s: number | null;
  acknowledged_by: string | null;
}
