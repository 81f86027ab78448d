// Advice records -> the console's contract shape (src-shared/contract Advice), with the state,
// the conditions and the evidence's figures alongside.
import type { Advice } from '../../../src-shared/contract';
import type { AdviceEvidence, AdviceRecord, AdviceState } from './types';

export interface AdviceView extends Advice {
  state: AdviceState;
  condition_before: string;
  condition_after: string;
  evidence_detail: AdviceEvidence;
  rolled_back_ts: string | null;
  rolled_back_by: string | null;
}

export function adviceId(id: number): string {
  return `ADV-${String(id).padStart(6, '0')}`;
}

/** 12, '12' or 'ADV-000012' -> 12; anything else -> null. */
export function parseAdviceId(id: string | number): number | null {
  if (typeof id === 'number') return Number.isSafeInteger(id) && id > 0 ? id : null;
  const m = /^(?:ADV-)?0*(\d{1,15})$/i.exec(id.trim());
  return m ? Number(m[1]) : null;
}

/** `newestApplied`: this advice is the one in force for its constraint, so it may be rolled back. */
export function toAdviceView(a: AdviceRecord, newestApplied: boolean): AdviceView {
  const applied = a.state === 'applied';
  const view: AdviceView = {
    id: adviceId(a.id),
    constraint: a.constraint_id,
    current: applied ? a.proposed_value : a.previous_value,
    proposed: a.proposed_value,
    evidence: a.evidence.text,
    false_positive_pct: a.false_positive_pct,
    created_ts: a.created_ts,
    applied,
    applied_ts: a.applied_ts,
    applied_by: a.applied_by,
    rollback: applied ? { available: newestApplied, value: a.previous_value } : null,
    state: a.state,
    condition_before: a.condition_before,
    condition_after: a.condition_after,
    evidence_detail: a.evidence,
    rolled_back_ts: a.rolled_back_ts,
    rolled_back_by: a.rolled_back_by,
  };
  if (a.unit !== null) view.unit = a.unit;
  return view;
}
