// Operator controls as the server runs them: the part that carries each one out (a handler), the
// audit entry every accepted or refused control gets (the incident log's audit table, hashed into
// its chain), and the lapse of a control given an expiry, audited as 'expired': on the desk's own
// timer, or where the control lapsed by itself (the control plane's pulse, the router's tick, the
// mode manager: they keep the expiry across a restart, which the timer does not). Whichever comes
// first audits; the other finds nothing left to lift. Requests arrive here already checked by the
// contract's validateControl; the actor comes from the token.
import type { ControlCall, ControlErrorCode, ControlName, ControlRequest, ControlResponse } from '../../../src-shared/contract';
import type { Clock } from '../clock';
import type { AuditRecord, IncidentLog } from '../incidents';
import { auditId } from '../incidents';
import type { Disposable } from '../lifecycle';

/** An operator's control that lifted itself when its expiry passed: audited as 'expired'. */
export interface LapsedControl {
  control: ControlName;
  /** The reason the operator gave it. */
  reason: string;
  params?: Record<string, string>;
  detail: string;
}

export interface Refusal {
  ok: false;
  code: ControlErrorCode;
  error: string;
  /** The part audited the refusal itself: the desk does not audit twice. */
  audit?: AuditRecord | null;
}

export interface Accepted {
  ok: true;
  /**
   * Lifts the control when its expiry passes. Omitted: the control does not lapse here. False:
   * there was nothing left to lift (it lapsed by itself first, and was audited then).
   */
  lapse?: () => boolean | void;
  /** What the control holds (e.g. 'entries', 'path:ea-1'): a later control on it cancels this one's lapse. */
  slot?: string;
  /** The incident the control is about, so its audit event lands in that incident's timeline. */
  incident_id?: string | null;
  /** The part audited it itself (the incident log's acknowledge): the desk does not audit twice. */
  audit?: AuditRecord;
  /** Said in the audit entry, e.g. what the simulator did. */
  detail?: string;
}

export type HandlerResult = Accepted | Refusal;
export type ControlHandler<N extends ControlName> = (request: ControlRequest<N>, actor: string) => HandlerResult | Promise<HandlerResult>;
export type ControlHandlers = { [N in ControlName]?: ControlHandler<N> };

export class ControlDesk implements Disposable {
  private readonly lapses = new Map<string, Disposable>();
  private disposed = false;

  constructor(
    private readonly log: IncidentLog,
    private readonly clock: Clock,
    private readonly handlers: () => ControlHandlers,
    /** Something the status shows may have changed: publish a fresh status now. */
    private readonly changed: () => void,
  ) {}

  async run(call: ControlCall, actor: string): Promise<ControlResponse> {
    const { reason, expires_in_s, ...rest } = call.request as ControlRequest & Record<string, unknown>;
    const params = rest as Record<string, string>;
    const handler = this.handlers()[call.name] as ControlHandler<ControlName> | undefined;
    let result: HandlerResult;
    try {
      result = handler
        ? await handler(call.request, actor)
        : { ok: false, code: 'UNAVAILABLE', error: `${call.name} is not available: the part that carries it out is not running.` };
    } catch (err) {
      result = { ok: false, code: 'UNAVAILABLE', error: `${call.name} failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    const expires_ts = result.ok && expires_in_s && result.lapse ? new Date(this.clock.wall_ms() + expires_in_s * 1000).toISOString() : null;
    const audit = result.audit ?? this.log.audit({
      actor, control: call.name, reason, outcome: result.ok ? 'accepted' : 'refused', params, expires_ts,
      incident_id: result.ok ? result.incident_id ?? null : null,
      ...(result.ok ? (result.detail ? { detail: result.detail } : {}) : { detail: result.error }),
    }).audit;
    if (!result.ok) return { ok: false, code: result.code, error: result.error };
    if (result.slot) this.cancel(result.slot);
    if (result.slot && result.lapse && expires_in_s) this.arm(result.slot, expires_in_s, call.name, reason, params, actor, result.lapse);
    this.changed();
    return { ok: true, audit_id: auditId(audit.id) };
  }

  /** A control on the same slot came (resume after a hold, a new forced path): the old lapse is void. */
  cancel(slot: string): void {
    this.lapses.get(slot)?.dispose();
    this.lapses.delete(slot);
  }

  private arm(slot: string, s: number, control: ControlName, reason: string, params: Record<string, string>, by: string, lapse: () => boolean | void): void {
    const timer = this.clock.setTimeout(() => {
      this.lapses.delete(slot);
      if (this.disposed) return;
      let detail = `lapsed after ${s} s (set by ${by})`;
      try {
        if (lapse() === false) return; // it lapsed by itself first, audited then
      } catch (err) {
        detail += `; lifting it failed: ${err instanceof Error ? err.message : String(err)}`;
      }
      this.lapsedElsewhere({ control, reason, params, detail });
    }, s * 1000);
    this.lapses.set(slot, timer);
  }

  /**
   * A control that lapsed: on the desk's own timer, or by itself where its expiry is kept (the
   * desk's timer may not be running: a restart). Audited 'expired' by Guardian.
   */
  lapsedElsewhere(l: LapsedControl): void {
    if (this.disposed) return;
    this.log.audit({ actor: 'guardian', control: l.control, reason: l.reason, outcome: 'expired', params: l.params ?? {}, detail: l.detail });
    this.changed();
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.lapses.values()) t.dispose();
    this.lapses.clear();
  }
}
