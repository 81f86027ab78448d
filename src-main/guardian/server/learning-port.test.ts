// The advice port: the contract's Advice (learning's extras stay on the server), and an accepted
// apply hands the condition now in force to the constraint repository; a refusal passes as it is.
import { describe, expect, it } from 'vitest';
import type { AuditRecord, ControlOutcome } from '../incidents';
import type { AdviceChange, AdviceView, Learning } from '../learning';
import { learningPort } from './learning-port';

const view: AdviceView = {
  id: 'ADV-000001', constraint: 'bridge_latency', current: 1.25, proposed: 1.35, unit: 'x', evidence: '9 of 14 were false positives',
  false_positive_pct: 64, created_ts: '2026-01-05T08:00:00.000Z', applied: false, applied_ts: null, applied_by: null, rollback: null,
  state: 'proposed', condition_before: 'bridge_latency_ms < p95 * 1.25', condition_after: 'bridge_latency_ms < p95 * 1.35',
  evidence_detail: {} as AdviceView['evidence_detail'], rolled_back_ts: null, rolled_back_by: null,
};
const audit = { id: 7 } as AuditRecord;

describe('learningPort', () => {
  it('lists advice in the contract shape and applies it into the constraints', async () => {
    const loaded: [string, string][] = [];
    const stub = {
      adviceList: () => [view],
      applyAdvice: (): ControlOutcome<AdviceChange> => ({ ok: true, value: { advice: { ...view, applied: true }, constraint_id: 'bridge_latency', condition: view.condition_after }, audit }),
      rollbackAdvice: (): ControlOutcome<AdviceChange> => ({ ok: false, code: 'CONFLICT', error: 'ADV-000001 is proposed; only applied advice can be rolled back.', audit }),
      onAdvice: () => ({ dispose() {} }),
    } as unknown as Learning;
    const port = learningPort(stub, (id, condition) => loaded.push([id, condition]));
    const [advice] = port.advice();
    expect(advice).toEqual({
      id: 'ADV-000001', constraint: 'bridge_latency', current: 1.25, proposed: 1.35, unit: 'x', evidence: '9 of 14 were false positives',
      false_positive_pct: 64, created_ts: '2026-01-05T08:00:00.000Z', applied: false, applied_ts: null, applied_by: null, rollback: null,
    });
    const h = port.handlers();
    expect(await h.apply_advice!({ advice_id: 'ADV-000001', reason: 'agreed with risk' }, 'operator:alice')).toEqual({ ok: true, audit });
    expect(loaded).toEqual([['bridge_latency', 'bridge_latency_ms < p95 * 1.35']]);
    expect(await h.rollback_advice!({ advice_id: 'ADV-000001', reason: 'undo' }, 'operator:alice')).toMatchObject({ ok: false, code: 'CONFLICT', audit });
    expect(loaded).toHaveLength(1);
  });
});
