// The incident log's writing half: hash-chained events, the incidents that group them, and the operators' audit.
// Every change and the event recording it are written in one transaction: the `...In(db, ...)`
// variants run inside the caller's (a GroupCommit batch, say), the others open their own.
// Listeners hear of a change only once it is committed.
import type { RunManifest } from '../../../src-shared/contract';
import type { Clock } from '../clock';
import { Emitter, type Disposable } from '../lifecycle';
import type { CommitWork, Db } from '../store';
import { canonicalJson, hashEvent, toStoredEvent, type EventRow } from './chain';
import { LogRows } from './rows';
import { IncidentLogError, type AlertInput, type AuditRecord, type IncidentEventType, type IncidentRecord, type LogChange, type NewAudit, type NewEvent, type OpenIncidentInput, type RaiseResult, type Severity, type StoredEvent } from './types';

export const EVENT_TYPES: readonly IncidentEventType[] = ['detect', 'mode_change', 'path_switch', 'runbook_step', 'verify', 'breaker', 'control', 'ack', 'recover', 'note'];
const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

export interface IncidentLogOptions {
  clock: Clock;
  /** A listener threw after a commit: the change stands, so this is told rather than the writer. */
  onListenerError?: (err: unknown) => void;
  /** What is running (guardian/manifest): every report carries it. */
  manifest?: () => RunManifest | null;
}

export class IncidentWriter implements Disposable {
  protected readonly rows: LogRows;
  protected readonly clock: Clock;
  private readonly changes = new Emitter<LogChange>();
  /** Changes written but not yet known to be committed. */
  private pending: LogChange[] = [];
  private disposed = false;

  constructor(readonly db: Db, protected readonly options: IncidentLogOptions) {
    this.rows = new LogRows(db);
    this.clock = options.clock;
  }

  /** Hears each committed event, incident change and audit entry. */
  onChange(listener: (change: LogChange) => void): Disposable {
    return this.changes.on(listener);
  }

  // ---- events

  append(event: NewEvent): StoredEvent {
    return this.run(() => this.appendIn(this.db, event));
  }

  /** Appends inside the caller's open transaction: the change and its record commit, or fail, together. */
  appendIn(db: Db, event: NewEvent): StoredEvent {
    this.checkIn(db, 'appendIn');
    if (!EVENT_TYPES.includes(event.type)) throw new IncidentLogError(`unknown event type '${String(event.type)}'`);
    const severity = event.severity ?? 'info';
    if (!(severity in SEVERITY_RANK)) throw new IncidentLogError(`unknown severity '${String(severity)}'`);
    if (typeof event.summary !== 'string' || !event.summary.trim()) throw new IncidentLogError('an event needs a summary');
    const anchor = this.rows.anchor();
    if (!anchor) throw new IncidentLogError('the log anchor is missing: run verify-log before writing to this log', 'REFUSED');
    const unhashed: Omit<EventRow, 'hash'> = {
      id: anchor.last_id + 1,
      ts: this.nowIso(),
      type: event.type,
      severity,
      incident_id: event.incident_id ?? null,
      actor: event.actor?.trim() || 'guardian',
      summary: event.summary,
      detail: canonicalJson(event.detail ?? {}),
      prev_hash: anchor.last_hash,
    };
    const row: EventRow = { ...unhashed, hash: hashEvent(unhashed) };
    this.rows.insertEvent(row);
    const stored = toStoredEvent(row);
    this.pending.push({ kind: 'event', event: stored });
    if (stored.incident_id) this.pending.push({ kind: 'incident', incident_id: stored.incident_id });
    return stored;
  }

  /**
   * Wraps a write for a GroupCommit: whatever `write` records through the `...In` variants is
   * announced once the batch commits, and forgotten if it fails.
   */
  commitWork(write: (db: Db) => void, done?: (err?: Error) => void): CommitWork {
    let mark = 0;
    return {
      write: (db) => {
        mark = this.pending.length;
        write(db);
      },
      done: (err) => {
        if (err) this.pending.length = Math.min(this.pending.length, mark);
        else this.settle();
        done?.(err);
      },
    };
  }

  // ---- incidents

  openIncident(input: OpenIncidentInput): { incident: IncidentRecord; event: StoredEvent } {
    return this.run(() => this.openIncidentIn(this.db, input));
  }

  openIncidentIn(db: Db, input: OpenIncidentInput): { incident: IncidentRecord; event: StoredEvent } {
    this.checkIn(db, 'openIncidentIn');
    if (!input.title?.trim()) throw new IncidentLogError('an incident needs a title');
    if (!(input.severity in SEVERITY_RANK)) throw new IncidentLogError(`unknown severity '${String(input.severity)}'`);
    if (input.parent_id && !this.rows.incident(input.parent_id)) throw new IncidentLogError(`no incident ${input.parent_id} to group under`, 'NOT_FOUND');
    // Named after its opening event, whose id the anchor gives: unique, ordered, and restart-proof.
    const id = `INC-${String((this.rows.anchor()?.last_id ?? 0) + 1).padStart(6, '0')}`;
    const cause = input.cause ?? [];
    this.rows.insertIncident({
      id, opened_ts: this.nowIso(), severity: input.severity, title: input.title.trim(), cause: canonicalJson(cause),
      mode: input.mode ?? null, family: input.family ?? null, parent_id: input.parent_id ?? null,
    });
    const opening = input.event ?? { type: 'detect', summary: input.title };
    // The cause goes into the hashed event too: the incidents table is state, the log is the record.
    const event = this.appendIn(db, {
      ...opening,
      severity: opening.severity ?? input.severity,
      actor: opening.actor ?? input.actor,
      incident_id: id,
      detail: { ...opening.detail, opened: { title: input.title.trim(), family: input.family ?? null, mode: input.mode ?? null, parent_id: input.parent_id ?? null }, cause },
    });
    return { incident: this.mustGet(id), event };
  }

  /** Appends an event under an incident (events are immutable: grouping is decided when written). */
  attach(event: Omit<NewEvent, 'incident_id'>, incidentId: string): StoredEvent {
    return this.run(() => this.attachIn(this.db, event, incidentId));
  }

  attachIn(db: Db, event: Omit<NewEvent, 'incident_id'>, incidentId: string): StoredEvent {
    this.mustGet(incidentId);
    return this.appendIn(db, { ...event, incident_id: incidentId });
  }

  /**
   * An alert, Alertmanager style: while an incident of the same family is open, the alert is a
   * consequence of it, so it is attached there as a child event and counted instead of opening
   * an incident of its own. A more severe alert raises the incident's severity.
   */
  raise(alert: AlertInput): RaiseResult {
    return this.run(() => this.raiseIn(this.db, alert));
  }

  raiseIn(db: Db, alert: AlertInput): RaiseResult {
    this.checkIn(db, 'raiseIn');
    const open = this.rows.openOfFamily(alert.family);
    const detail = { ...alert.detail, family: alert.family, cause: alert.cause ?? [] };
    if (!open) {
      const { incident, event } = this.openIncidentIn(db, {
        title: alert.title, severity: alert.severity, cause: alert.cause, mode: alert.mode, family: alert.family, actor: alert.actor,
        event: { type: alert.type ?? 'detect', summary: alert.summary ?? alert.title, detail },
      });
      return { incident, event, inhibited: false };
    }
    const event = this.appendIn(db, {
      type: alert.type ?? 'detect', severity: alert.severity, actor: alert.actor, incident_id: open.id,
      summary: alert.summary ?? alert.title, detail: { ...detail, inhibited_by: open.id },
    });
    const severity = SEVERITY_RANK[alert.severity] > SEVERITY_RANK[open.severity] ? alert.severity : open.severity;
    this.rows.inhibit(open.id, event.ts, severity);
    return { incident: this.mustGet(open.id), event, inhibited: true };
  }

  resolve(id: string, opts: { actor?: string; summary?: string; detail?: Record<string, unknown> } = {}): { incident: IncidentRecord; event: StoredEvent } {
    return this.run(() => this.resolveIn(this.db, id, opts));
  }

  resolveIn(db: Db, id: string, opts: { actor?: string; summary?: string; detail?: Record<string, unknown> } = {}): { incident: IncidentRecord; event: StoredEvent } {
    this.checkIn(db, 'resolveIn');
    const incident = this.mustGet(id);
    if (incident.state === 'resolved') throw new IncidentLogError(`incident ${id} is already resolved`, 'CONFLICT');
    const ts = this.nowIso();
    const time_to_recover_s = Math.max(0, (Date.parse(ts) - Date.parse(incident.opened_ts)) / 1000);
    this.rows.resolve(id, ts);
    const event = this.appendIn(db, {
      type: 'recover', actor: opts.actor, incident_id: id, summary: opts.summary ?? `Recovered: ${incident.title}`,
      detail: { ...opts.detail, time_to_recover_s },
    });
    return { incident: this.mustGet(id), event };
  }

  /** Resolves every open incident of a family (a degradation cleared). */
  resolveFamily(family: string, opts: { actor?: string; summary?: string; detail?: Record<string, unknown> } = {}): IncidentRecord[] {
    return this.run(() => this.resolveFamilyIn(this.db, family, opts));
  }

  resolveFamilyIn(db: Db, family: string, opts: { actor?: string; summary?: string; detail?: Record<string, unknown> } = {}): IncidentRecord[] {
    const resolved: IncidentRecord[] = [];
    for (let open = this.rows.openOfFamily(family); open; open = this.rows.openOfFamily(family)) resolved.push(this.resolveIn(db, open.id, opts).incident);
    return resolved;
  }

  /** Incidents not yet resolved, newest first. Read from the database: they survive a restart. */
  openIncidents(): IncidentRecord[] {
    return this.rows.openIncidents();
  }

  openIncidentOf(family: string): IncidentRecord | null {
    return this.rows.openOfFamily(family);
  }

  // ---- audit

  /** Records an operator's action (or its refusal) as an audit row and the event it points at. */
  audit(entry: NewAudit): { audit: AuditRecord; event: StoredEvent } {
    return this.run(() => this.auditIn(this.db, entry));
  }

  auditIn(db: Db, entry: NewAudit): { audit: AuditRecord; event: StoredEvent } {
    this.checkIn(db, 'auditIn');
    if (!entry.actor?.trim()) throw new IncidentLogError('an audit entry needs an actor');
    const params = entry.params ?? {};
    const event = this.appendIn(db, {
      type: 'control', actor: entry.actor, incident_id: entry.incident_id ?? null,
      severity: entry.outcome === 'refused' ? 'warning' : 'info',
      summary: entry.summary ?? `${entry.control} ${entry.outcome}: ${entry.reason}${entry.detail ? ` (${entry.detail})` : ''}`,
      detail: { control: entry.control, outcome: entry.outcome, reason: entry.reason, params, detail: entry.detail ?? null, expires_ts: entry.expires_ts ?? null },
    });
    const id = this.rows.insertAudit({
      ts: event.ts, actor: entry.actor.trim(), control: entry.control, reason: entry.reason, outcome: entry.outcome,
      params: canonicalJson(params), detail: entry.detail ?? null, expires_ts: entry.expires_ts ?? null, event_id: event.id,
    });
    const audit = this.rows.audit(id)!;
    this.pending.push({ kind: 'audit', audit });
    return { audit, event };
  }

  // ---- plumbing

  dispose(): void {
    this.disposed = true;
    this.pending = [];
  }

  protected nowIso(): string {
    return new Date(this.clock.wall_ms()).toISOString();
  }

  protected mustGet(id: string): IncidentRecord {
    const incident = this.rows.incident(id);
    if (!incident) throw new IncidentLogError(`no incident ${id}`, 'NOT_FOUND');
    return incident;
  }

  private checkIn(db: Db, what: string): void {
    if (this.disposed) throw new IncidentLogError('the incident log is closed', 'CLOSED');
    if (db !== this.db) throw new IncidentLogError(`${what}: the transaction is on another database`);
    if (!db.inTransaction) throw new IncidentLogError(`${what} must run inside a transaction (use the variant without In)`);
  }

  /**
   * Runs fn in one transaction (a savepoint inside an outer one): a change of yours and the `...In`
   * records of it commit together, and listeners hear of them once committed.
   */
  transaction<T>(fn: (db: Db) => T): T {
    return this.run(() => fn(this.db));
  }

  protected run<T>(fn: () => T): T {
    if (this.disposed) throw new IncidentLogError('the incident log is closed', 'CLOSED');
    const outer = this.db.inTransaction;
    const mark = this.pending.length;
    let result: T;
    try {
      // BEGIN IMMEDIATE: the anchor is read then moved; taking the write lock first means a second
      // process writing the same log waits instead of failing at commit.
      const tx = this.db.transaction(fn);
      result = outer ? tx() : tx.immediate();
    } catch (err) {
      this.pending.length = Math.min(this.pending.length, mark);
      throw err;
    }
    // Inside an outer transaction nothing is committed yet: its owner settles (commitWork).
    if (!outer) this.settle();
    return result;
  }

  private settle(): void {
    const changes = this.pending;
    this.pending = [];
    if (this.disposed || changes.length === 0) return;
    const seen = new Set<string>();
    const unique = changes.filter((c) => c.kind !== 'incident' || (!seen.has(c.incident_id) && seen.add(c.incident_id)));
    try {
      this.changes.fire(unique);
    } catch (err) {
      this.options.onListenerError?.(err);
    }
  }
}
