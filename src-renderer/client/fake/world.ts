// The fake control plane behind FakeClient: a scenario's state that ticks every pulse and
// answers controls the way the real one should (refusals included), writing the audit log.
import type {
  Advice, AuditEntry, ControlCall, ControlResponse, DeadLetter, GuardianStatus, HeldSignal, Incident, MetricsRecent, PathName,
} from '../../../src-shared/contract';
import { fixtureAdvice, fixtureAudit, fixtureDeadLetters, fixtureSignals } from './fixtures/desk';
import { fixtureHistory } from './fixtures/history';
import { openIncident, pastIncidents } from './fixtures/incidents';
import { scenarioStatus, type ScenarioName } from './fixtures/scenario';
import { jitter, round, seeded } from './fixtures/util';

export interface ControlOutcome {
  response: ControlResponse;
  audit: AuditEntry | null;
  changed: { status?: boolean; incidents?: Incident[]; advice?: Advice };
}

export class FakeWorld {
  status!: GuardianStatus;
  incidents: Incident[] = [];
  audit: AuditEntry[];
  advice: Advice[];
  signals: HeldSignal[] = [];
  dead_letters: DeadLetter[];
  metrics!: MetricsRecent;
  private base!: GuardianStatus;
  private auditSeq = 319;
  private ticks = 0;
  private liveSeq = 0;
  private readonly rnd = seeded(99);

  constructor(scenario: ScenarioName, private readonly pastCount: number, now_ms: number) {
    this.audit = fixtureAudit(now_ms);
    this.advice = fixtureAdvice(now_ms);
    this.dead_letters = fixtureDeadLetters(now_ms);
    this.load(scenario, now_ms, true);
  }

  /**
   * Replace the live state with a scenario's (fault injection switches scenarios). The first load
   * also builds the history; later ones close what was open and open the scenario's incident.
   * Returns the incidents that changed.
   */
  load(scenario: ScenarioName, now_ms: number, first = false): Incident[] {
    let open = openIncident(scenario, now_ms);
    const changed: Incident[] = [];
    if (first) {
      this.incidents = [...(open ? [open] : []), ...pastIncidents(this.pastCount, now_ms)];
      this.metrics = fixtureHistory(scenario, now_ms);
    } else {
      const ts = new Date(now_ms).toISOString();
      this.incidents = this.incidents.map((i) => {
        if (i.closed_ts !== null) return i;
        const closed: Incident = { ...i, closed_ts: ts, estimate_to_recover_s: null, events: [{ ts, type: 'recover', text: `Closed: scenario changed to ${scenario}` }, ...i.events] };
        changed.push(closed);
        return closed;
      });
      if (open) {
        open = { ...open, id: `INC-LIVE-${String(++this.liveSeq).padStart(4, '0')}` };
        this.incidents = [open, ...this.incidents];
        changed.push(open);
      }
    }
    this.base = scenarioStatus(scenario, now_ms, open);
    this.status = structuredClone(this.base);
    this.signals = fixtureSignals(scenario, now_ms);
    return changed;
  }

  /** One pulse: small noise on the live numbers, the repair counting down. */
  tick(now_ms: number): Incident | null {
    this.ticks++;
    const s = this.status;
    const jig = (x: number, pct: number) => jitter(x, this.rnd, pct, 1);
    s.ts = new Date(now_ms).toISOString();
    s.overall_score = round(Math.min(100, this.base.overall_score + (this.rnd() - 0.5)), 1);
    for (const path of Object.keys(s.routes.metrics) as PathName[]) {
      const m = s.routes.metrics[path];
      const b = this.base.routes.metrics[path];
      if (m && b?.latency_ms !== undefined) m.latency_ms = Math.round(jig(b.latency_ms, 0.08));
    }
    s.buffer = { ...s.buffer, enq_per_s: Math.round(jig(this.base.buffer.enq_per_s, 0.05)) };
    if (s.slo && this.base.slo) {
      s.slo = { ...s.slo, ts: s.ts, bridge_rtt_p95_ms: jig(this.base.slo.bridge_rtt_p95_ms ?? 0, 0.06) };
    }
    return this.progressRepair();
  }

  private progressRepair(): Incident | null {
    const open = this.incidents[0];
    if (!open || open.closed_ts !== null || !open.runbook || this.ticks % 4 !== 0) return null;
    const eta = Math.max(5, (open.estimate_to_recover_s ?? 5) - 1);
    const updated = { ...open, estimate_to_recover_s: eta };
    this.incidents[0] = updated;
    return updated;
  }

  control(call: ControlCall, now_ms: number): ControlOutcome {
    const refusal = this.refusal(call);
    const entry: AuditEntry = {
      id: `AUD-${String(this.auditSeq++).padStart(6, '0')}`,
      ts: new Date(now_ms).toISOString(),
      actor: 'operator',
      control: call.name,
      reason: call.request.reason,
      outcome: refusal ? 'refused' : 'accepted',
      params: paramsOf(call),
      expires_ts: call.request.expires_in_s ? new Date(now_ms + call.request.expires_in_s * 1000).toISOString() : null,
      ...(refusal ? { detail: refusal.error } : {}),
    };
    this.audit = [entry, ...this.audit];
    if (refusal) return { response: { ok: false, ...refusal }, audit: entry, changed: {} };
    const changed = this.apply(call, now_ms);
    return { response: { ok: true, audit_id: entry.id }, audit: entry, changed };
  }

  private refusal(call: ControlCall): { code: 'REFUSED' | 'NOT_FOUND' | 'CONFLICT'; error: string } | null {
    const s = this.status;
    switch (call.name) {
      case 'force_path_switch': {
        const m = s.routes.metrics[call.request.path];
        if (call.request.path === s.routes.active) return { code: 'CONFLICT', error: `${call.request.path} is already the active path.` };
        if (!m?.healthy) return { code: 'REFUSED', error: `The ${call.request.path} path is failing its probes (${m?.last_error ?? 'down'}); Guardian will not move orders onto it.` };
        return null;
      }
      case 'resume':
        return s.controls?.entries_held ? null : { code: 'CONFLICT', error: 'New entries are not held.' };
      case 'acknowledge_incident':
        return this.incidents.some((i) => i.id === call.request.incident_id) ? null : { code: 'NOT_FOUND', error: `No incident ${call.request.incident_id}.` };
      case 'apply_advice':
      case 'rollback_advice': {
        const a = this.advice.find((x) => x.id === call.request.advice_id);
        if (!a) return { code: 'NOT_FOUND', error: `No advice ${call.request.advice_id}.` };
        if (call.name === 'apply_advice' && a.applied) return { code: 'CONFLICT', error: 'This advice is already applied.' };
        if (call.name === 'rollback_advice' && !a.applied) return { code: 'CONFLICT', error: 'This advice is not applied.' };
        return null;
      }
      default:
        return null;
    }
  }

  private apply(call: ControlCall, now_ms: number): ControlOutcome['changed'] {
    const controls = this.status.controls!;
    switch (call.name) {
      case 'hold_new_entries': controls.entries_held = true; return { status: true };
      case 'resume': controls.entries_held = false; controls.kill_switch_engaged = false; return { status: true };
      case 'drain_buffer_first': controls.drain_buffer_first = true; return { status: true };
      case 'kill_switch': controls.kill_switch_engaged = true; controls.entries_held = true; this.status.mode = 'SAFE_MODE'; return { status: true };
      case 'override_mode': controls.pinned_mode = call.request.direction === 'pin' ? call.request.mode : null; this.status.mode = call.request.mode; return { status: true };
      case 'force_path_switch': {
        const r = this.status.routes;
        const from = r.active;
        r.standby = [from, ...r.standby.filter((p) => p !== call.request.path)];
        r.active = call.request.path;
        controls.forced_path = call.request.path;
        this.status.last_switch = { ts: new Date(now_ms).toISOString(), from, to: r.active, reason: call.request.reason, actor: 'operator' };
        return { status: true };
      }
      case 'acknowledge_incident': {
        const i = this.incidents.findIndex((x) => x.id === call.request.incident_id);
        const incident = { ...this.incidents[i]!, acknowledged_by: 'operator' };
        this.incidents[i] = incident;
        return { incidents: [incident] };
      }
      case 'apply_advice':
      case 'rollback_advice': {
        const i = this.advice.findIndex((x) => x.id === call.request.advice_id);
        const a = this.advice[i]!;
        const applied = call.name === 'apply_advice';
        const advice: Advice = applied
          ? { ...a, applied, applied_ts: new Date(now_ms).toISOString(), applied_by: 'operator', rollback: { available: true, value: a.current }, current: a.proposed }
          : { ...a, applied, applied_ts: null, applied_by: null, current: a.rollback?.value ?? a.current, rollback: null };
        this.advice[i] = advice;
        return { advice };
      }
      case 'inject_fault': {
        const next = { drop_socket: 'degraded', spike_correlation: 'safe', clear: 'normal', stall_pipe: 'degraded', slow_broker: 'degraded' } as const;
        return { status: true, incidents: this.load(next[call.request.fault], now_ms) };
      }
    }
  }
}

function paramsOf(call: ControlCall): Record<string, string | number | boolean | null> {
  const { reason: _reason, expires_in_s: _expires, ...params } = call.request as unknown as Record<string, string | number>;
  return params;
}
