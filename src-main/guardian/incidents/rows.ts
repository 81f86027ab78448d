// The incident log's SQL, prepared once per database, and the mapping from rows to records.
import type { Db } from '../store';
import { toStoredEvent, type EventRow } from './chain';
import type { Anchor } from './verify';
import type { AuditOutcome, AuditRecord, CauseRecord, ControlName, IncidentRecord, IncidentState, Mode, Severity, StoredEvent } from './types';

interface IncidentRow {
  id: string;
  opened_ts: string;
  closed_ts: string | null;
  severity: string;
  title: string;
  state: string;
  cause: string;
  mode: string | null;
  family: string | null;
  parent_id: string | null;
  inhibited_count: number;
  last_inhibited_ts: string | null;
  acknowledged_by: string | null;
  acknowledged_ts: string | null;
}

interface AuditRow {
  id: number;
  ts: string;
  actor: string;
  control: string;
  reason: string;
  outcome: string;
  params: string;
  detail: string | null;
  expires_ts: string | null;
  event_id: number;
}

const EVENT_COLUMNS = 'id, ts, type, severity, incident_id, actor, summary, detail, prev_hash, hash';

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function toIncident(row: IncidentRow): IncidentRecord {
  return {
    ...row,
    severity: row.severity as Severity,
    state: row.state as IncidentState,
    mode: row.mode as Mode | null,
    cause: parseJson<CauseRecord[]>(row.cause, []),
  };
}

function toAudit(row: AuditRow): AuditRecord {
  return {
    ...row,
    control: row.control as ControlName,
    outcome: row.outcome as AuditOutcome,
    params: parseJson<AuditRecord['params']>(row.params, {}),
  };
}

/** Every statement the log runs, prepared against one database. */
export class LogRows {
  private readonly s;

  constructor(readonly db: Db) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      anchor: p('SELECT last_id, last_hash, count FROM log_anchor WHERE one = 1'),
      moveAnchor: p('UPDATE log_anchor SET last_id = ?, last_hash = ?, count = count + 1 WHERE one = 1'),
      insertEvent: p(`INSERT INTO events (${EVENT_COLUMNS}) VALUES (@id, @ts, @type, @severity, @incident_id, @actor, @summary, @detail, @prev_hash, @hash)`),
      eventsOf: p(`SELECT ${EVENT_COLUMNS} FROM events WHERE incident_id = ? ORDER BY id`),
      recentEvents: p(`SELECT ${EVENT_COLUMNS} FROM events ORDER BY id DESC LIMIT ?`),
      insertIncident: p(`INSERT INTO incidents (id, opened_ts, severity, title, state, cause, mode, family, parent_id)
        VALUES (@id, @opened_ts, @severity, @title, 'open', @cause, @mode, @family, @parent_id)`),
      incident: p('SELECT * FROM incidents WHERE id = ?'),
      openOfFamily: p("SELECT * FROM incidents WHERE state != 'resolved' AND family = ? ORDER BY opened_ts DESC, id DESC LIMIT 1"),
      openIncidents: p("SELECT * FROM incidents WHERE state != 'resolved' ORDER BY opened_ts DESC, id DESC"),
      recentIncidents: p('SELECT * FROM incidents WHERE opened_ts < ? ORDER BY opened_ts DESC, id DESC LIMIT ?'),
      incidentsIn: p(`SELECT * FROM incidents WHERE opened_ts <= @to AND (closed_ts IS NULL OR closed_ts >= @from)
        ORDER BY opened_ts, id`),
      children: p('SELECT id FROM incidents WHERE parent_id = ? ORDER BY opened_ts, id'),
      inhibit: p('UPDATE incidents SET inhibited_count = inhibited_count + 1, last_inhibited_ts = ?, severity = ? WHERE id = ?'),
      acknowledge: p("UPDATE incidents SET state = 'acknowledged', acknowledged_by = ?, acknowledged_ts = ? WHERE id = ?"),
      resolve: p("UPDATE incidents SET state = 'resolved', closed_ts = ? WHERE id = ?"),
      insertAudit: p(`INSERT INTO audit (ts, actor, control, reason, outcome, params, detail, expires_ts, event_id)
        VALUES (@ts, @actor, @control, @reason, @outcome, @params, @detail, @expires_ts, @event_id)`),
      audit: p('SELECT * FROM audit WHERE id = ?'),
      recentAudit: p('SELECT * FROM audit ORDER BY id DESC LIMIT ?'),
      auditIn: p('SELECT * FROM audit WHERE ts >= ? AND ts <= ? ORDER BY id'),
      auditOfIncident: p(`SELECT a.* FROM audit a JOIN events e ON e.id = a.event_id WHERE e.incident_id = ? ORDER BY a.id`),
    };
  }

  anchor(): Anchor | null {
    return (this.s.anchor.get() as Anchor | undefined) ?? null;
  }

  insertEvent(row: EventRow): void {
    this.s.insertEvent.run(row);
    this.s.moveAnchor.run(row.id, row.hash);
  }

  eventsOf(incidentId: string): StoredEvent[] {
    return (this.s.eventsOf.all(incidentId) as EventRow[]).map(toStoredEvent);
  }

  recentEvents(n: number): StoredEvent[] {
    return (this.s.recentEvents.all(n) as EventRow[]).map(toStoredEvent);
  }

  insertIncident(r: { id: string; opened_ts: string; severity: Severity; title: string; cause: string; mode: string | null; family: string | null; parent_id: string | null }): void {
    this.s.insertIncident.run(r);
  }

  incident(id: string): IncidentRecord | null {
    const row = this.s.incident.get(id) as IncidentRow | undefined;
    return row ? toIncident(row) : null;
  }

  openOfFamily(family: string): IncidentRecord | null {
    const row = this.s.openOfFamily.get(family) as IncidentRow | undefined;
    return row ? toIncident(row) : null;
  }

  openIncidents(): IncidentRecord[] {
    return (this.s.openIncidents.all() as IncidentRow[]).map(toIncident);
  }

  recentIncidents(n: number, before_ts: string): IncidentRecord[] {
    return (this.s.recentIncidents.all(before_ts, n) as IncidentRow[]).map(toIncident);
  }

  incidentsIn(from: string, to: string): IncidentRecord[] {
    return (this.s.incidentsIn.all({ from, to }) as IncidentRow[]).map(toIncident);
  }

  children(id: string): string[] {
    return (this.s.children.all(id) as { id: string }[]).map((r) => r.id);
  }

  inhibit(id: string, ts: string, severity: Severity): void {
    this.s.inhibit.run(ts, severity, id);
  }

  acknowledge(id: string, actor: string, ts: string): void {
    this.s.acknowledge.run(actor, ts, id);
  }

  resolve(id: string, ts: string): void {
    this.s.resolve.run(ts, id);
  }

  insertAudit(r: Omit<AuditRecord, 'id' | 'params'> & { params: string }): number {
    return Number(this.s.insertAudit.run(r).lastInsertRowid);
  }

  audit(id: number): AuditRecord | null {
    const row = this.s.audit.get(id) as AuditRow | undefined;
    return row ? toAudit(row) : null;
  }

  recentAudit(n: number): AuditRecord[] {
    return (this.s.recentAudit.all(n) as AuditRow[]).map(toAudit);
  }

  auditIn(from: string, to: string): AuditRecord[] {
    return (this.s.auditIn.all(from, to) as AuditRow[]).map(toAudit);
  }

  auditOfIncident(id: string): AuditRecord[] {
    return (this.s.auditOfIncident.all(id) as AuditRow[]).map(toAudit);
  }
}
