// Learning: outcomes of degrade episodes and repairs, false-positive rates per constraint, and
// threshold advice that only an operator applies, each step audited through the incident log.
// Guardian never applies advice itself: proposeAdvice stores proposals, nothing more.
import type { Clock } from '../clock';
import { causesOfWhy, checkOperatorRequest, type ControlOutcome, type IncidentLog } from '../incidents';
import { Emitter, type Disposable } from '../lifecycle';
import type { ModeEffect } from '../modes';
import type { Db } from '../store';
import { proposeThreshold, withinDailyCap } from './advise';
import { falsePositiveRates, summarise } from './false-positives';
import { LearningRows } from './rows';
import { adviceId, parseAdviceId, toAdviceView, type AdviceView } from './views';
import { DEFAULT_ADVICE_POLICY, LearningError, type AdvicePolicy, type AdviceRecord, type FalsePositiveRate, type LearningSummary, type Mode, type Outcome, type Trigger } from './types';

export interface LearningOptions {
  clock: Clock;
  /** The incident log on the same database: applying and rolling back advice are audited there. */
  log: IncidentLog;
  /** The failover policy's dwell_seconds, stored with each episode. */
  dwell_s?: number;
  policy?: Partial<AdvicePolicy>;
}

export interface ConstraintCondition {
  id: string;
  condition: string;
}

/** An accepted apply or rollback: the condition now in force, for the constraint repository to load. */
export interface AdviceChange {
  advice: AdviceView;
  constraint_id: string;
  condition: string;
}

const DAY_MS = 86_400_000;

export class Learning implements Disposable {
  private readonly rows: LearningRows;
  private readonly clock: Clock;
  private readonly log: IncidentLog;
  private readonly dwell_s: number;
  readonly policy: AdvicePolicy;
  private readonly adviceChanged = new Emitter<AdviceView>();
  private disposed = false;

  constructor(private readonly db: Db, options: LearningOptions) {
    if (options.log.db !== db) throw new LearningError('learning and the incident log must share one database (audit and change in one transaction)');
    this.rows = new LearningRows(db);
    this.clock = options.clock;
    this.log = options.log;
    this.dwell_s = options.dwell_s ?? 20;
    this.policy = { ...DEFAULT_ADVICE_POLICY, ...options.policy };
  }

  // ---- outcomes

  /** A degrade episode began (idempotent while one of the mode is open). Open episodes survive a restart. */
  episodeStarted(e: { mode: Mode; constraints: Trigger[]; incident_id?: string | null }): Outcome {
    this.checkOpen();
    const open = this.rows.openEpisode(e.mode);
    if (open) return open;
    const id = this.rows.insertOutcome({
      kind: 'degrade', mode: e.mode, entered_ts: this.nowIso(), cleared_ts: null, duration_s: null, cleared_after_s: null,
      dwell_s: this.dwell_s, repaired: false, runbook: null, constraints: e.constraints, incident_id: e.incident_id ?? null,
    });
    return this.rows.outcome(id)!;
  }

  /** The open episode of a mode cleared. duration_s defaults to the wall time since it began. */
  episodeCleared(mode: Mode, opts: { repaired?: boolean; runbook?: string; cleared_after_s?: number; duration_s?: number } = {}): Outcome | null {
    this.checkOpen();
    const open = this.rows.openEpisode(mode);
    if (!open) return null;
    const cleared_ts = this.nowIso();
    const duration_s = opts.duration_s ?? Math.max(0, (Date.parse(cleared_ts) - Date.parse(open.entered_ts)) / 1000);
    this.rows.closeEpisode({
      id: open.id, cleared_ts, duration_s, cleared_after_s: opts.cleared_after_s ?? null,
      repaired: open.repaired || (opts.repaired ?? false), runbook: opts.runbook ?? open.runbook,
    });
    return this.rows.outcome(open.id);
  }

  /** A runbook repaired something during the open episode of a mode: that episode was no false positive. */
  noteRepair(mode: Mode, runbook: string | null): Outcome | null {
    this.checkOpen();
    const open = this.rows.openEpisode(mode);
    if (!open) return null;
    this.rows.markRepaired(open.id, runbook);
    return this.rows.outcome(open.id);
  }

  /** One runbook run, for repair success rates and estimates to recover. */
  recordRepair(r: { mode: Mode; runbook: string; duration_s: number; succeeded: boolean; incident_id?: string | null }): Outcome {
    this.checkOpen();
    const finished = this.clock.wall_ms();
    const id = this.rows.insertOutcome({
      kind: 'repair', mode: r.mode, entered_ts: new Date(finished - r.duration_s * 1000).toISOString(), cleared_ts: new Date(finished).toISOString(),
      duration_s: r.duration_s, cleared_after_s: null, dwell_s: this.dwell_s, repaired: r.succeeded, runbook: r.runbook, constraints: [], incident_id: r.incident_id ?? null,
    });
    if (r.succeeded) this.noteRepair(r.mode, r.runbook);
    return this.rows.outcome(id)!;
  }

  /** Mode manager effects as episodes: a degradation, or SAFE_MODE, from its start to its clearing. */
  recordModeEffect(effect: ModeEffect): void {
    const triggers = (why: Parameters<typeof causesOfWhy>[0]): Trigger[] =>
      causesOfWhy(why).map((c) => (c.limit === undefined ? { constraint_id: c.constraint_id, value: c.value } : { constraint_id: c.constraint_id, value: c.value, limit: c.limit }));
    if (effect.type === 'DEGRADATION_ADDED') {
      this.episodeStarted({ mode: `DEGRADED.${effect.degradation}`, constraints: triggers(effect.why), incident_id: this.log.openIncidentOf(effect.degradation)?.id ?? null });
    } else if (effect.type === 'DEGRADATION_CLEARED') {
      this.episodeCleared(`DEGRADED.${effect.degradation}`);
    } else if (effect.type === 'MODE_CHANGED' && effect.to === 'SAFE_MODE') {
      this.episodeStarted({ mode: 'SAFE_MODE', constraints: triggers(effect.why), incident_id: this.log.openIncidentOf('SAFE')?.id ?? null });
    } else if (effect.type === 'MODE_CHANGED' && effect.from === 'SAFE_MODE') {
      this.episodeCleared('SAFE_MODE');
    }
  }

  outcomes(since_ts?: string): Outcome[] {
    return this.rows.outcomesSince(since_ts ?? this.windowStart());
  }

  falsePositiveRates(since_ts?: string): FalsePositiveRate[] {
    return falsePositiveRates(this.outcomes(since_ts));
  }

  summary(): LearningSummary {
    return summarise(this.outcomes(), this.clock.wall_ms());
  }

  // ---- advice

  /**
   * Proposes a relaxed threshold for each constraint whose false positives, since its threshold
   * last changed, run above the bound; stores each with its evidence and the value it replaces.
   * A newer proposal supersedes an older one for the same constraint. Nothing is applied.
   */
  proposeAdvice(constraints: readonly ConstraintCondition[]): { proposed: AdviceView[]; skipped: { constraint_id: string; reason: string }[] } {
    this.checkOpen();
    const window = this.outcomes();
    const proposed: AdviceView[] = [];
    const skipped: { constraint_id: string; reason: string }[] = [];
    this.db.transaction(() => {
      for (const c of constraints) {
        const history = this.rows.adviceOf(c.id);
        const changed = history.flatMap((a) => [a.applied_ts, a.rolled_back_ts]).filter((t): t is string => t !== null).sort().at(-1);
        const since_ts = changed && changed > this.windowStart() ? changed : this.windowStart();
        const episodes = window.filter((o) => o.entered_ts >= since_ts);
        const rate = falsePositiveRates(episodes).find((r) => r.constraint_id === c.id);
        if (!rate) continue;
        const fpIds = new Set(rate.false_positive_ids);
        const fp_triggers = episodes.filter((o) => fpIds.has(o.id)).flatMap((o) => o.constraints.filter((t) => t.constraint_id === c.id));
        const result = proposeThreshold({ constraint_id: c.id, condition: c.condition, rate, fp_triggers, day_base_value: this.dayBase(history), since_ts }, this.policy);
        if ('skip' in result) {
          skipped.push({ constraint_id: c.id, reason: result.skip });
          continue;
        }
        const pending = history.filter((a) => a.state === 'proposed');
        const same = pending.find((a) => a.condition_before === result.condition_before && a.proposed_value === result.proposed_value);
        if (same) {
          proposed.push(this.view(same));
          continue;
        }
        for (const a of pending) this.rows.supersede(a.id);
        const id = this.rows.insertAdvice({ ...result, created_ts: this.nowIso() });
        proposed.push(this.view(this.rows.advice(id)!));
      }
    })();
    this.announce(proposed);
    return { proposed, skipped };
  }

  advice(id: string | number): AdviceView | null {
    const n = parseAdviceId(id);
    const record = n === null ? null : this.rows.advice(n);
    return record ? this.view(record) : null;
  }

  /** Proposed, applied and rolled-back advice, newest first. */
  adviceList(n = 100): AdviceView[] {
    return this.rows.adviceList(Math.max(1, Math.min(1000, n))).map((a) => this.view(a));
  }

  /** An operator applies advice: refused without a named operator and a reason; audited either way after that. */
  applyAdvice(id: string | number, actor: string, reason: string): ControlOutcome<AdviceChange> {
    return this.control('apply_advice', id, actor, reason, (a) => {
      if (a.state !== 'proposed') return { code: 'CONFLICT', error: `${adviceId(a.id)} is ${a.state.replace('_', ' ')}; only proposed advice can be applied.` };
      const inForce = this.inForce(a.constraint_id);
      if (inForce && inForce.condition_after !== a.condition_before) {
        return { code: 'CONFLICT', error: `${a.constraint_id} changed since this advice was made (now "${inForce.condition_after}").` };
      }
      const base = this.dayBase(this.rows.adviceOf(a.constraint_id)) ?? a.previous_value;
      if (!withinDailyCap(base, a.proposed_value, this.policy.max_daily_change_pct)) {
        return { code: 'REFUSED', error: `${a.constraint_id} would move more than ${this.policy.max_daily_change_pct}% from ${base} within 24 hours.` };
      }
      return null;
    }, (a, who, ts) => {
      this.rows.apply(a.id, ts, who);
      return a.condition_after;
    });
  }

  /** An operator restores the value an applied advice replaced; only the newest applied one of a constraint. */
  rollbackAdvice(id: string | number, actor: string, reason: string): ControlOutcome<AdviceChange> {
    return this.control('rollback_advice', id, actor, reason, (a) => {
      if (a.state !== 'applied') return { code: 'CONFLICT', error: `${adviceId(a.id)} is ${a.state.replace('_', ' ')}; only applied advice can be rolled back.` };
      const newest = this.inForce(a.constraint_id);
      if (newest && newest.id !== a.id) return { code: 'CONFLICT', error: `Roll back ${adviceId(newest.id)} first: it was applied on top of this one.` };
      return null;
    }, (a, who, ts) => {
      this.rows.rollback(a.id, ts, who);
      return a.condition_before;
    });
  }

  /** The condition each constraint runs with because of applied advice; load these over the YAML at start. */
  effectiveConditions(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const a of this.rows.applied()) out[a.constraint_id] = a.condition_after; // ordered by id: the newest wins
    return out;
  }

  onAdvice(listener: (advice: AdviceView) => void): Disposable {
    return this.adviceChanged.on(listener);
  }

  dispose(): void {
    this.disposed = true;
  }

  // ---- plumbing

  private control(
    control: 'apply_advice' | 'rollback_advice',
    id: string | number,
    actor: string,
    reason: string,
    refuse: (a: AdviceRecord) => { code: 'CONFLICT' | 'REFUSED'; error: string } | null,
    accept: (a: AdviceRecord, who: string, ts: string) => string,
  ): ControlOutcome<AdviceChange> {
    this.checkOpen();
    const checked = checkOperatorRequest(actor, reason);
    if ('ok' in checked) return checked;
    const n = parseAdviceId(id);
    const outcome = this.log.transaction((db): ControlOutcome<AdviceChange> => {
      const a = n === null ? null : this.rows.advice(n);
      const params = { advice_id: a ? adviceId(a.id) : String(id) };
      const refusal = a ? refuse(a) : { code: 'NOT_FOUND' as const, error: `No advice ${String(id)}.` };
      if (refusal || !a) {
        const error = refusal?.error ?? 'No such advice.';
        const { audit } = this.log.auditIn(db, { ...checked, control, outcome: 'refused', params, detail: error });
        return { ok: false, code: refusal?.code ?? 'NOT_FOUND', error, audit };
      }
      const condition = accept(a, checked.actor, this.nowIso());
      const { audit } = this.log.auditIn(db, {
        ...checked, control, outcome: 'accepted', params: { ...params, constraint_id: a.constraint_id, condition },
        summary: `${control === 'apply_advice' ? 'Applied' : 'Rolled back'} ${params.advice_id} on ${a.constraint_id}: now "${condition}" (${checked.reason})`,
      });
      return { ok: true, value: { advice: this.view(this.rows.advice(a.id)!), constraint_id: a.constraint_id, condition }, audit };
    });
    if (outcome.ok) this.announce([outcome.value.advice]);
    return outcome;
  }

  /** The newest applied advice of a constraint: what is in force because of learning. */
  private inForce(constraintId: string): AdviceRecord | null {
    return this.rows.adviceOf(constraintId).filter((a) => a.state === 'applied').at(-1) ?? null;
  }

  /** The threshold 24 hours ago, if it moved since: the value before the oldest change in the day. */
  private dayBase(history: readonly AdviceRecord[]): number | null {
    const dayAgo = new Date(this.clock.wall_ms() - DAY_MS).toISOString();
    const moves = history.flatMap((a) => [
      ...(a.applied_ts && a.applied_ts >= dayAgo ? [{ ts: a.applied_ts, before: a.previous_value }] : []),
      ...(a.rolled_back_ts && a.rolled_back_ts >= dayAgo ? [{ ts: a.rolled_back_ts, before: a.proposed_value }] : []),
    ]);
    moves.sort((x, y) => x.ts.localeCompare(y.ts));
    return moves[0]?.before ?? null;
  }

  private view(a: AdviceRecord): AdviceView {
    return toAdviceView(a, this.inForce(a.constraint_id)?.id === a.id);
  }

  private announce(advice: readonly AdviceView[]): void {
    try {
      this.adviceChanged.fire(advice);
    } catch {
      // a listener's failure does not undo a committed change
    }
  }

  private windowStart(): string {
    return new Date(this.clock.wall_ms() - this.policy.window_days * DAY_MS).toISOString();
  }

  private nowIso(): string {
    return new Date(this.clock.wall_ms()).toISOString();
  }

  private checkOpen(): void {
    if (this.disposed) throw new LearningError('learning is closed');
  }
}
