// Learning's advice as the console reads and applies it: the list, apply and roll back (each
// audited by learning itself, in the incident log), and the announcement of each change. An
// accepted change hands its condition to whoever runs the constraints (the control plane).
import type { Advice } from '../../../src-shared/contract';
import type { Learning, AdviceView } from '../learning';
import type { Disposable } from '../lifecycle';
import type { ControlHandlers, HandlerResult } from './control-desk';

export interface LearningPort {
  advice(): Advice[];
  /** apply_advice and rollback_advice. */
  handlers(): ControlHandlers;
  onAdvice(listener: (advice: Advice) => void): Disposable;
}

export function toContractAdvice(v: AdviceView): Advice {
  const out: Advice = {
    id: v.id, constraint: v.constraint, current: v.current, proposed: v.proposed, evidence: v.evidence, created_ts: v.created_ts,
    applied: v.applied, applied_ts: v.applied_ts, applied_by: v.applied_by, rollback: v.rollback,
  };
  if (v.unit !== undefined) out.unit = v.unit;
  if (v.false_positive_pct !== undefined) out.false_positive_pct = v.false_positive_pct;
  return out;
}

/** `conditionChanged` loads the condition now in force for a constraint (the constraint repository's reload). */
export function learningPort(learning: Learning, conditionChanged: (constraint_id: string, condition: string) => void): LearningPort {
  const run = (out: ReturnType<Learning['applyAdvice']>): HandlerResult => {
    if (!out.ok) return out;
    conditionChanged(out.value.constraint_id, out.value.condition);
    return { ok: true, audit: out.audit };
  };
  return {
    advice: () => learning.adviceList().map(toContractAdvice),
    handlers: () => ({
      apply_advice: (r, actor) => run(learning.applyAdvice(r.advice_id, actor, r.reason)),
      rollback_advice: (r, actor) => run(learning.rollbackAdvice(r.advice_id, actor, r.reason)),
    }),
    onAdvice: (listener) => learning.onAdvice((a) => listener(toContractAdvice(a))),
  };
}
