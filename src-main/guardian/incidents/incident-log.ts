// The incident log as the control plane uses it: the writer (writer.ts) plus what the console, the
// API and the reports read, and the mode manager's effects recorded as incidents.
import type { AuditEntry, ReportFile } from '../../../src-shared/contract';
import type { ModeEffect } from '../modes';
import type { Db } from '../store';
import { recordModeEffectIn } from './mode-effects';
import { checkOperatorRequest, type ControlOutcome } from './operator';
import { renderReport, type IncidentReportFormat, type ReportData } from './report';
import { IncidentLogError, type IncidentRecord, type StoredEvent } from './types';
import { verifyLog, type VerifyResult } from './verify';
import { toAuditEntry, toIncidentView, type IncidentView } from './views';
import { IncidentWriter } from './writer';

export interface TimeRange {
  /** ISO wall time; default: the beginning. */
  from_ts?: string;
  /** ISO wall time; default: now. */
  to_ts?: string;
}

export class IncidentLog extends IncidentWriter {
  /** An operator takes the incident on. Refusals on the merits (unknown, already closed) are audited too. */
  acknowledge(id: string, actor: string, reason: string): ControlOutcome<IncidentRecord> {
    const checked = checkOperatorRequest(actor, reason);
    if ('ok' in checked) return checked;
    return this.run(() => {
      const params = { incident_id: id };
      const incident = this.rows.incident(id);
      const refusal = !incident ? { code: 'NOT_FOUND' as const, error: `No incident ${id}.` }
        : incident.state !== 'open' ? { code: 'CONFLICT' as const, error: `Incident ${id} is already ${incident.state}${incident.acknowledged_by ? ` (by ${incident.acknowledged_by})` : ''}.` }
        : null;
      if (refusal) {
        const { audit } = this.auditIn(this.db, { ...checked, control: 'acknowledge_incident', outcome: 'refused', params, detail: refusal.error, incident_id: incident ? id : null });
        return { ok: false, ...refusal, audit };
      }
      const ts = this.nowIso();
      this.rows.acknowledge(id, checked.actor, ts);
      this.appendIn(this.db, { type: 'ack', actor: checked.actor, incident_id: id, summary: `Acknowledged by ${checked.actor}: ${checked.reason}`, detail: { reason: checked.reason } });
      const { audit } = this.auditIn(this.db, { ...checked, control: 'acknowledge_incident', outcome: 'accepted', params, incident_id: id });
      return { ok: true, value: this.mustGet(id), audit };
    });
  }

  /** Records a mode manager effect (MODE_CHANGED, DEGRADATION_ADDED/CLEARED) as incident events. */
  recordModeEffect(effect: ModeEffect): void {
    this.run(() => recordModeEffectIn(this, this.db, effect));
  }

  /** The same, inside the caller's transaction (the mode state saved in the same commit). */
  recordModeEffectIn(db: Db, effect: ModeEffect): void {
    recordModeEffectIn(this, db, effect);
  }

  /** An incident with its events, children and derived figures; null if unknown. */
  incident(id: string): IncidentView | null {
    const record = this.rows.incident(id);
    return record ? toIncidentView(record, this.rows.eventsOf(id), this.rows.children(id)) : null;
  }

  /** The newest incidents, newest first, each with its events. */
  recent(n = 50, before_ts?: string): IncidentView[] {
    const records = this.rows.recentIncidents(clampCount(n), before_ts ?? '9999');
    return records.map((r) => toIncidentView(r, this.rows.eventsOf(r.id), this.rows.children(r.id)));
  }

  /** The newest events, newest first. */
  recentEvents(n = 100): StoredEvent[] {
    return this.rows.recentEvents(clampCount(n));
  }

  /** The newest audit entries, newest first, in the console's shape. */
  recentAudit(n = 100): AuditEntry[] {
    return this.rows.recentAudit(clampCount(n)).map(toAuditEntry);
  }

  verify(): VerifyResult {
    return verifyLog(this.db);
  }

  /** One incident: its facts, causes with values, timeline, actions, time to recover, who did what. */
  incidentReport(id: string, format: IncidentReportFormat): ReportFile {
    const incident = this.incident(id);
    if (!incident) throw new IncidentLogError(`no incident ${id}`, 'NOT_FOUND');
    const audit = this.rows.auditOfIncident(id).map(toAuditEntry);
    return renderReport({ ...this.reportBase('incident'), incidents: [incident], audit, audit_by_incident: { [id]: audit } }, format);
  }

  /** Every incident open at any time in the range, and every operator action in it. */
  timelineReport(range: TimeRange, format: IncidentReportFormat): ReportFile {
    const from_ts = range.from_ts ?? new Date(0).toISOString();
    const to_ts = range.to_ts ?? this.nowIso();
    if (Number.isNaN(Date.parse(from_ts)) || Number.isNaN(Date.parse(to_ts))) throw new IncidentLogError('the range needs ISO timestamps');
    const incidents = this.rows.incidentsIn(from_ts, to_ts).map((r) => toIncidentView(r, this.rows.eventsOf(r.id), this.rows.children(r.id)));
    const audit_by_incident: Record<string, AuditEntry[]> = {};
    for (const i of incidents) audit_by_incident[i.id] = this.rows.auditOfIncident(i.id).map(toAuditEntry);
    const audit = this.rows.auditIn(from_ts, to_ts).map(toAuditEntry);
    return renderReport({ ...this.reportBase('timeline'), range: { from_ts, to_ts }, incidents, audit, audit_by_incident }, format);
  }

  private reportBase(scope: ReportData['scope']): Pick<ReportData, 'generated_ts' | 'scope' | 'chain' | 'manifest'> {
    const v = this.verify();
    const manifest = this.options.manifest?.() ?? null;
    return {
      generated_ts: this.nowIso(), scope, chain: { head_hash: v.head_hash, verified: v.ok, checked: v.checked, problems: v.problems.length },
      ...(manifest ? { manifest } : {}),
    };
  }
}

function clampCount(n: number): number {
  return Number.isFinite(n) ? Math.max(1, Math.min(10_000, Math.floor(n))) : 50;
}
