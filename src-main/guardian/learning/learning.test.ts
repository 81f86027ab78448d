import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../clock';
import { IncidentLog } from '../incidents';
import type { Why } from '../modes';
import { openDatabase, type Db } from '../store';
import { Learning, LearningError } from '.';

const SPREAD = { id: 'spread_vs_normal', condition: 'spread_pips < normal_spread_pips * 2.0' };
const HOUR = 3_600_000;

interface World {
  db: Db;
  clock: ManualClock;
  log: IncidentLog;
  learning: Learning;
  reopen(): World;
}

describe('Learning', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });

  function world(dir = mkdtempSync(join(tmpdir(), 'guardian-learning-')), clock = new ManualClock()): World {
    const db = openDatabase(join(dir, 'guardian.db'));
    const log = new IncidentLog(db, { clock });
    const learning = new Learning(db, { clock, log, dwell_s: 20 });
    cleanups.push(() => {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    });
    return { db, clock, log, learning, reopen: () => (db.close(), world(dir, clock)) };
  }

  /** n episodes triggered by the spread constraint, each lasting duration_s, 10 minutes apart. */
  function episodes(w: World, n: number, duration_s: number, trigger: { value: number | null; limit?: number } = { value: null }): void {
    for (let i = 0; i < n; i++) {
      w.learning.episodeStarted({ mode: 'DEGRADED.COMM', constraints: [{ constraint_id: SPREAD.id, ...trigger }] });
      w.clock.advance(duration_s * 1000);
      w.learning.episodeCleared('DEGRADED.COMM');
      w.clock.advance(600_000 - duration_s * 1000);
    }
  }
  const auditCount = (w: World) => (w.db.prepare('SELECT COUNT(*) AS n FROM audit').get() as { n: number }).n;

  it('records an outcome per degrade episode from the mode effects, linked to its incident', () => {
    const w = world();
    const why: Why = { text: 'comm 58 < 70', by: 'policy', constraints: [{ id: SPREAD.id, gate: 'market_quality', severity: 'warning', status: 'fail', value: 3.4, limit: 2.8, explanation: 'spread' }] };
    const effect = { type: 'DEGRADATION_ADDED' as const, degradation: 'COMM' as const, why };
    w.log.recordModeEffect(effect);
    w.learning.recordModeEffect(effect);
    w.clock.advance(25_000);
    w.learning.recordModeEffect({ type: 'DEGRADATION_CLEARED', degradation: 'COMM', why: { text: 'clean 20 s', constraints: [], by: 'policy' } });
    const [o] = w.learning.outcomes();
    expect(o).toMatchObject({
      kind: 'degrade', mode: 'DEGRADED.COMM', entered_ts: '2026-01-05T08:00:00.000Z', cleared_ts: '2026-01-05T08:00:25.000Z', duration_s: 25, dwell_s: 20,
      repaired: false, constraints: [{ constraint_id: SPREAD.id, value: 3.4, limit: 2.8 }], incident_id: w.log.openIncidents()[0]?.id ?? expect.any(String),
    });
    expect(w.learning.falsePositiveRates()).toEqual([expect.objectContaining({ constraint_id: SPREAD.id, episodes: 1, false_positives: 1, rate: 1 })]);
  });

  it('an episode with a repair is no false positive, and an open episode survives a restart', () => {
    let w = world();
    w.learning.episodeStarted({ mode: 'DEGRADED.EXEC', constraints: [{ constraint_id: 'reject_rate', value: 9 }] });
    w.clock.advance(5_000);
    w = w.reopen();
    w.learning.recordRepair({ mode: 'DEGRADED.EXEC', runbook: 'reload_config', duration_s: 4, succeeded: true });
    w.clock.advance(20_000);
    const closed = w.learning.episodeCleared('DEGRADED.EXEC');
    expect(closed).toMatchObject({ duration_s: 25, repaired: true, runbook: 'reload_config' });
    expect(w.learning.falsePositiveRates()).toEqual([expect.objectContaining({ constraint_id: 'reject_rate', false_positives: 0 })]);
    expect(w.learning.summary()).toEqual({ degrade_episodes_1h: 1, repair_success_pct: 100, false_positive_rate_pct: 0 });
  });

  it('proposes bounded advice with its evidence, and never applies it by itself', () => {
    const w = world();
    episodes(w, 7, 25); // cleared within the dwell, no repair
    episodes(w, 3, 90);
    const { proposed, skipped } = w.learning.proposeAdvice([SPREAD, { id: 'db_ok', condition: 'db_ok == 1' }]);
    expect(skipped).toEqual([]); // db_ok triggered nothing
    expect(proposed).toHaveLength(1);
    expect(proposed[0]).toMatchObject({
      id: 'ADV-000001', constraint: SPREAD.id, current: 2, proposed: 2.2, unit: '×', false_positive_pct: 70, applied: false, state: 'proposed',
      rollback: null, condition_after: 'spread_pips < normal_spread_pips * 2.2', evidence_detail: { episodes: 10, false_positives: 7, change_pct: 10 },
    });
    expect(w.learning.effectiveConditions()).toEqual({});
    // asked again: the same advice, not a second one
    expect(w.learning.proposeAdvice([SPREAD]).proposed.map((a) => a.id)).toEqual(['ADV-000001']);
    expect(w.learning.adviceList()).toHaveLength(1);
    expect(auditCount(w)).toBe(0);
  });

  it('applies and rolls back only for a named operator with a reason, each audited in the incident log', () => {
    const w = world();
    episodes(w, 7, 25);
    const [advice] = w.learning.proposeAdvice([SPREAD]).proposed;
    expect(w.learning.applyAdvice(advice!.id, '', 'fewer false holds')).toMatchObject({ ok: false, code: 'UNAUTHORIZED', audit: null });
    expect(w.learning.applyAdvice(advice!.id, 'guardian', 'fewer false holds')).toMatchObject({ ok: false, code: 'UNAUTHORIZED' });
    expect(w.learning.applyAdvice(advice!.id, 'alice', '')).toMatchObject({ ok: false, code: 'REASON_REQUIRED', audit: null });
    expect(w.learning.rollbackAdvice(advice!.id, '', 'undo')).toMatchObject({ ok: false, code: 'UNAUTHORIZED' });
    expect(auditCount(w)).toBe(0);
    expect(w.learning.advice(advice!.id)!.applied).toBe(false);

    const applied = w.learning.applyAdvice(advice!.id, 'alice', 'London open false holds, agreed with risk');
    expect(applied).toMatchObject({
      ok: true, value: { constraint_id: SPREAD.id, condition: 'spread_pips < normal_spread_pips * 2.2', advice: { applied: true, applied_by: 'operator:alice', current: 2.2, rollback: { available: true, value: 2 } } },
      audit: { actor: 'operator:alice', control: 'apply_advice', outcome: 'accepted', params: { advice_id: 'ADV-000001', constraint_id: SPREAD.id } },
    });
    expect(w.learning.effectiveConditions()).toEqual({ [SPREAD.id]: 'spread_pips < normal_spread_pips * 2.2' });
    expect(w.learning.applyAdvice(advice!.id, 'bob', 'again')).toMatchObject({ ok: false, code: 'CONFLICT', audit: { outcome: 'refused', actor: 'operator:bob' } });
    expect(w.learning.applyAdvice('ADV-999', 'bob', 'typo')).toMatchObject({ ok: false, code: 'NOT_FOUND', audit: { outcome: 'refused' } });

    w.clock.advance(HOUR);
    const rolled = w.learning.rollbackAdvice(advice!.id, 'carol', 'spreads were real today');
    expect(rolled).toMatchObject({ ok: true, value: { condition: SPREAD.condition, advice: { state: 'rolled_back', rolled_back_by: 'operator:carol', applied: false } } });
    expect(w.learning.effectiveConditions()).toEqual({});
    expect(w.log.recentAudit().map((a) => [a.control, a.outcome, a.actor])).toEqual([
      ['rollback_advice', 'accepted', 'operator:carol'],
      ['apply_advice', 'refused', 'operator:bob'],
      ['apply_advice', 'refused', 'operator:bob'],
      ['apply_advice', 'accepted', 'operator:alice'],
    ]);
    expect(w.log.recentEvents(1)[0]).toMatchObject({ type: 'control', actor: 'operator:carol' });
    expect(w.log.verify().ok).toBe(true);
  });

  it('holds the daily cap: no further relaxing within 24 hours of a change, then from the new value', () => {
    const w = world();
    episodes(w, 6, 25);
    const first = w.learning.proposeAdvice([SPREAD]).proposed[0]!;
    w.learning.applyAdvice(first.id, 'alice', 'agreed');
    const now = { ...SPREAD, condition: 'spread_pips < normal_spread_pips * 2.2' };
    episodes(w, 6, 25); // 1 hour of fresh false positives under the new value
    expect(w.learning.proposeAdvice([now])).toEqual({ proposed: [], skipped: [{ constraint_id: SPREAD.id, reason: 'the daily change cap (10%) is used up since 2' }] });
    w.clock.advance(24 * HOUR);
    episodes(w, 6, 25);
    const second = w.learning.proposeAdvice([now]).proposed[0]!;
    expect(second).toMatchObject({ current: 2.2, proposed: 2.42, evidence_detail: { episodes: 12, day_base_value: 2.2 } });

    // applied on top of the first: the first can no longer be rolled back on its own
    expect(w.learning.applyAdvice(second.id, 'alice', 'still false holds')).toMatchObject({ ok: true });
    expect(w.learning.advice(first.id)!.rollback).toEqual({ available: false, value: 2 });
    expect(w.learning.rollbackAdvice(first.id, 'alice', 'undo the first')).toMatchObject({ ok: false, code: 'CONFLICT', error: `Roll back ${second.id} first: it was applied on top of this one.` });
    expect(w.learning.rollbackAdvice(second.id, 'alice', 'undo the second')).toMatchObject({ ok: true, value: { condition: 'spread_pips < normal_spread_pips * 2.2' } });
    expect(w.learning.effectiveConditions()).toEqual({ [SPREAD.id]: 'spread_pips < normal_spread_pips * 2.2' });
  });

  it('refuses at apply time advice that is stale or beyond the daily cap', () => {
    const w = world();
    episodes(w, 6, 25);
    const a = w.learning.proposeAdvice([SPREAD]).proposed[0]!;
    // an advice written under a looser policy: 2.0 -> 2.5 is 25% in a day
    w.db.prepare('UPDATE advice SET proposed_value = 2.5, condition_after = ? WHERE id = 1').run('spread_pips < normal_spread_pips * 2.5');
    expect(w.learning.applyAdvice(a.id, 'alice', 'try it')).toMatchObject({ ok: false, code: 'REFUSED', error: expect.stringMatching(/more than 10%/) });
    w.db.prepare('UPDATE advice SET proposed_value = 2.2, condition_after = ? WHERE id = 1').run('spread_pips < normal_spread_pips * 2.2');
    // a second advice made against the old condition goes stale once the first is applied
    w.db.prepare(`INSERT INTO advice (created_ts, constraint_id, condition_before, condition_after, previous_value, proposed_value, unit, false_positive_pct, evidence, state)
      SELECT created_ts, constraint_id, condition_before, 'spread_pips < normal_spread_pips * 2.1', 2, 2.1, unit, false_positive_pct, evidence, 'proposed' FROM advice WHERE id = 1`).run();
    expect(w.learning.applyAdvice(a.id, 'alice', 'try it')).toMatchObject({ ok: true });
    expect(w.learning.applyAdvice('ADV-000002', 'alice', 'and this')).toMatchObject({ ok: false, code: 'CONFLICT', error: expect.stringMatching(/changed since this advice was made/) });
  });

  it('shares the incident log database, and is closed by dispose', () => {
    const a = world();
    const b = world();
    expect(() => new Learning(a.db, { clock: a.clock, log: b.log })).toThrow(LearningError);
    a.learning.dispose();
    expect(() => a.learning.proposeAdvice([SPREAD])).toThrow(/closed/);
  });
});
