// Records -> the console's contract shapes (src-shared/contract): Incident, IncidentEvent,
// AuditEntry. The views carry a few fields more than the contract (state, actor, ids) so that the
// API, the reports and the tests read one object.
import type { AuditEntry, Cause, GateName, Incident, IncidentEvent, RunbookProgress } from '../../../src-shared/contract';
import type { AuditRecord, CauseRecord, IncidentRecord, IncidentState, Mode, RunbookStepDetail, StoredEvent } from './types';

export interface IncidentEventView extends IncidentEvent {
  id: number;
  actor: string;
  severity: StoredEvent['severity'];
  detail: StoredEvent['detail'];
}

export interface IncidentView extends Incident {
  events: IncidentEventView[];
  state: IncidentState;
  family: string | null;
  parent_id: string | null;
  children: string[];
  inhibited_count: number;
  /** Every cause as recorded, unknown values included (the contract's `why` keeps the measured ones). */
  cause: CauseRecord[];
  /** closed_ts - opened_ts; null while open. */
  time_to_recover_s: number | null;
}

const GATES: ReadonlySet<string> = new Set(['market_quality', 'risk_management', 'system_health', 'broker_connectivity']);

export function toCause(c: CauseRecord): Cause | null {
  if (c.value === null || !Number.isFinite(c.value)) return null;
  const out: Cause = { constraint_id: c.constraint_id, value: c.value };
  if (c.gate !== undefined && GATES.has(c.gate)) out.gate = c.gate as GateName;
  if (c.limit !== undefined) out.limit = c.limit;
  if (c.unit !== undefined) out.unit = c.unit;
  if (c.text !== undefined) out.text = c.text;
  return out;
}

const isMode = (x: unknown): x is Mode =>
  x === 'NORMAL' || x === 'DEGRADED.COMM' || x === 'DEGRADED.SIGNAL' || x === 'DEGRADED.EXEC' || x === 'SAFE_MODE';

/** Reads causes out of an event's detail (`why` or `cause`), leaving out anything malformed. */
export function causesIn(detail: Record<string, unknown>): CauseRecord[] {
  const list = Array.isArray(detail.why) ? detail.why : Array.isArray(detail.cause) ? detail.cause : [];
  return list.filter((c): c is CauseRecord => typeof c === 'object' && c !== null && typeof (c as CauseRecord).constraint_id === 'string');
}

export function toEventView(e: StoredEvent): IncidentEventView {
  const view: IncidentEventView = { id: e.id, ts: e.ts, type: e.type, text: e.summary, hash: e.hash, actor: e.actor, severity: e.severity, detail: e.detail };
  if (isMode(e.detail.from_mode)) view.from_mode = e.detail.from_mode;
  if (isMode(e.detail.to_mode)) view.to_mode = e.detail.to_mode;
  const why = causesIn(e.detail).map(toCause).filter((c): c is Cause => c !== null);
  if (why.length) view.why = why;
  return view;
}

export function secondsBetween(from_ts: string, to_ts: string): number {
  return Math.max(0, Math.round((Date.parse(to_ts) - Date.parse(from_ts)) / 100) / 10);
}

function runbookOf(events: readonly StoredEvent[]): { progress: RunbookProgress; estimate_s: number | null } | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type !== 'runbook_step') continue;
    const d = e.detail as Partial<RunbookStepDetail>;
    if (typeof d.runbook !== 'string' || typeof d.step !== 'number' || typeof d.of !== 'number') continue;
    return {
      progress: { runbook: d.runbook, step: d.step, of: d.of, name: typeof d.name === 'string' ? d.name : '', state: d.state ?? 'running' },
      estimate_s: typeof d.estimate_to_recover_s === 'number' ? d.estimate_to_recover_s : null,
    };
  }
  return null;
}

export function toIncidentView(r: IncidentRecord, events: readonly StoredEvent[], children: string[]): IncidentView {
  const causes = r.cause.map(toCause).filter((c): c is Cause => c !== null);
  const runbook = runbookOf(events);
  const view: IncidentView = {
    id: r.id,
    opened_ts: r.opened_ts,
    closed_ts: r.closed_ts,
    severity: r.severity,
    title: r.title,
    events: events.map(toEventView),
    why: causes.length ? { causes } : null,
    runbook: runbook?.progress ?? null,
    estimate_to_recover_s: r.state === 'resolved' ? null : runbook?.estimate_s ?? null,
    acknowledged_by: r.acknowledged_by,
    state: r.state,
    family: r.family,
    parent_id: r.parent_id,
    children,
    inhibited_count: r.inhibited_count,
    cause: r.cause,
    time_to_recover_s: r.closed_ts ? secondsBetween(r.opened_ts, r.closed_ts) : null,
  };
  if (r.mode) view.mode = r.mode;
  return view;
}

export function auditId(id: number): string {
  return `AUD-${String(id).padStart(6, '0')}`;
}

export function toAuditEntry(a: AuditRecord): AuditEntry {
  const entry: AuditEntry = { id: auditId(a.id), ts: a.ts, actor: a.actor, control: a.control, reason: a.reason, outcome: a.outcome, params: a.params, expires_ts: a.expires_ts };
  if (a.detail !== null) entry.detail = a.detail;
  return entry;
}
