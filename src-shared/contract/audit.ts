// The audit log: every operator control, accepted or refused.
import type { ControlName } from './controls';
import type { IsoTs } from './modes';

export type AuditOutcome = 'accepted' | 'refused' | 'expired' | 'completed';

export interface AuditEntry {
  id: string;
  ts: IsoTs;
  /** Who: the operator's name from the console, or "guardian" for automatic actions. */
  actor: string;
  control: ControlName;
  reason: string;
  outcome: AuditOutcome;
  /** The control's parameters (path, mode, incident_id, ...), without the reason. */
  params?: Record<string, string | number | boolean | null>;
  expires_ts?: IsoTs | null;
  /** Why a control was refused, in plain English. */
  detail?: string;
}
