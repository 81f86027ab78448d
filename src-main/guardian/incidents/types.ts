// The incident log's shapes. Field names follow the SQLite columns (snake_case), so the rows, the
// API and the reports read the same. The console's views (contract Incident, AuditEntry) are built
// from these in views.ts.
import type { ControlName, IncidentEventType, Mode, Severity } from '../../../src-shared/contract';

export type { ControlName, IncidentEventType, Mode, Severity };

/** 'guardian' for automatic actions, 'operator:<name>' for a person, or a peer's node id. */
export type Actor = string;

/** JSON-safe detail of an event: kept as canonical JSON text, hashed as stored. */
export type Detail = Record<string, unknown>;

/** An event as a caller hands it in. The log stamps id, ts and the hashes. */
export interface NewEvent {
  type: IncidentEventType;
  summary: string;
  /** Default 'info'. */
  severity?: Severity;
  /** Default 'guardian'. */
  actor?: Actor;
  detail?: Detail;
  /** The incident this event belongs to; fixed when written (events are never updated). */
  incident_id?: string | null;
}

/** One row of `events`, exactly as hashed. */
export interface StoredEvent {
  id: number;
  /** ISO-8601 UTC wall time. */
  ts: string;
  type: IncidentEventType;
  severity: Severity;
  incident_id: string | null;
  actor: Actor;
  summary: string;
  detail: Detail;
  prev_hash: string;
  hash: string;
}

/** A constraint behind an incident, with the value that broke it (null: the value was unknown). */
export interface CauseRecord {
  constraint_id: string;
  gate?: string;
  severity?: string;
  value: number | null;
  limit?: number;
  unit?: string;
  /** "spread_pips = 3.4, limit normal_spread_pips * 2.0 = 2.8 (must be <)" */
  text?: string;
}

export type IncidentState = 'open' | 'acknowledged' | 'resolved';

/**
 * What an alert or incident is about: 'COMM', 'SIGNAL', 'EXEC' (the degradations), 'SAFE' (the risk
 * veto) or any other word a part uses ('BREAKER', 'STORE'). Alerts of an open incident's family are
 * its consequences: they attach to it instead of opening another.
 */
export type CauseFamily = string;

/** One row of `incidents`. */
export interface IncidentRecord {
  id: string;
  opened_ts: string;
  closed_ts: string | null;
  severity: Severity;
  title: string;
  state: IncidentState;
  cause: CauseRecord[];
  mode: Mode | null;
  family: CauseFamily | null;
  parent_id: string | null;
  /** Alerts attached under this incident instead of opening their own (Alertmanager's inhibition). */
  inhibited_count: number;
  last_inhibited_ts: string | null;
  acknowledged_by: Actor | null;
  acknowledged_ts: string | null;
}

export interface OpenIncidentInput {
  title: string;
  severity: Severity;
  cause?: CauseRecord[];
  mode?: Mode | null;
  family?: CauseFamily | null;
  parent_id?: string | null;
  actor?: Actor;
  /** The opening event; defaults to a 'detect' event with the title as summary. */
  event?: Omit<NewEvent, 'incident_id'>;
}

/** An alert: opens an incident, or is attached to the open one of its family. */
export interface AlertInput {
  family: CauseFamily;
  title: string;
  severity: Severity;
  cause?: CauseRecord[];
  mode?: Mode | null;
  actor?: Actor;
  type?: IncidentEventType;
  summary?: string;
  detail?: Detail;
}

export interface RaiseResult {
  incident: IncidentRecord;
  event: StoredEvent;
  /** True when the alert was attached under an open incident rather than opening one. */
  inhibited: boolean;
}

export type AuditOutcome = 'accepted' | 'refused' | 'expired' | 'completed';

/** An operator's action, as the caller hands it in. */
export interface NewAudit {
  actor: Actor;
  control: ControlName;
  reason: string;
  outcome: AuditOutcome;
  params?: Record<string, string | number | boolean | null>;
  /** Why it was refused, in plain English. */
  detail?: string;
  expires_ts?: string | null;
  incident_id?: string | null;
  /** Overrides the summary of the event that records the action. */
  summary?: string;
}

/** One row of `audit`. */
export interface AuditRecord {
  id: number;
  ts: string;
  actor: Actor;
  control: ControlName;
  reason: string;
  outcome: AuditOutcome;
  params: Record<string, string | number | boolean | null>;
  detail: string | null;
  expires_ts: string | null;
  event_id: number;
}

/** What a runbook_step event's detail carries, so an incident can show progress and an estimate. */
export interface RunbookStepDetail {
  runbook: string;
  step: number;
  of: number;
  name: string;
  state: 'pending' | 'running' | 'verifying' | 'done' | 'failed';
  estimate_to_recover_s?: number | null;
}

/** What the log tells listeners after a commit. */
export type LogChange =
  | { kind: 'event'; event: StoredEvent }
  | { kind: 'incident'; incident_id: string }
  | { kind: 'audit'; audit: AuditRecord };

export class IncidentLogError extends Error {
  constructor(
    message: string,
    readonly code: 'NOT_FOUND' | 'REFUSED' | 'CONFLICT' | 'BAD_REQUEST' | 'CLOSED' = 'BAD_REQUEST',
  ) {
    super(message);
    this.name = 'IncidentLogError';
  }
}
