// The pure computations, against fixtures worked out by hand.
import { describe, expect, it } from 'vitest';
import { falsePositiveRates, findThreshold, isFalsePositive, neededChange_pct, proposeThreshold, summarise, withinDailyCap, withThreshold, DEFAULT_ADVICE_POLICY, type FalsePositiveRate, type Outcome } from '.';

let nextId = 1;
function episode(o: Partial<Omit<Outcome, 'constraints'>> & { constraints: string[] }): Outcome {
  const { constraints, ...rest } = o;
  return {
    id: nextId++, kind: 'degrade', mode: 'DEGRADED.COMM', entered_ts: '2026-01-05T08:00:00.000Z', cleared_ts: '2026-01-05T08:01:00.000Z',
    duration_s: 60, cleared_after_s: null, dwell_s: 20, repaired: false, runbook: null, incident_id: null,
    ...rest,
    constraints: constraints.map((constraint_id) => ({ constraint_id, value: null })),
  };
}

describe('false positives', () => {
  // dwell 20 s. FP = closed, not repaired, cleared within 20 s of entering (duration - dwell when not recorded).
  nextId = 1;
  const outcomes: Outcome[] = [
    episode({ constraints: ['A'], duration_s: 25 }), //              #1 cleared after 5 s: FP
    episode({ constraints: ['A', 'B'], duration_s: 40 }), //         #2 cleared after 20 s, the boundary: FP
    episode({ constraints: ['A'], duration_s: 41 }), //              #3 after 21 s: real
    episode({ constraints: ['B'], duration_s: 22, repaired: true }), // #4 a runbook ran: real
    episode({ constraints: ['A'], duration_s: 70, cleared_after_s: 50 }), // #5 recorded 50 s: real
    episode({ constraints: ['A'], cleared_ts: null, duration_s: null }), // #6 still open: not counted
    episode({ constraints: [], kind: 'repair', repaired: true, entered_ts: '2026-01-05T07:30:00.000Z' }), // #7 a repair that worked
    episode({ constraints: ['B', 'B'], duration_s: 20, entered_ts: '2026-01-05T06:00:00.000Z' }), // #8 after 0 s: FP (B once)
    episode({ constraints: [], kind: 'repair', repaired: false }), // #9 a repair that failed
  ];

  it('tells a false positive from a real degrade', () => {
    expect(outcomes.map(isFalsePositive)).toEqual([true, true, false, false, false, false, false, true, false]);
  });

  it('rates per constraint: A 2 of 4, B 2 of 3', () => {
    expect(falsePositiveRates(outcomes)).toEqual([
      { constraint_id: 'B', episodes: 3, false_positives: 2, rate: 2 / 3, episode_ids: [2, 4, 8], false_positive_ids: [2, 8] },
      { constraint_id: 'A', episodes: 4, false_positives: 2, rate: 0.5, episode_ids: [1, 2, 3, 5], false_positive_ids: [1, 2] },
    ]);
  });

  it('summarises for the learning agent', () => {
    // degrades entered in the hour before 08:30: #1-#6 (#8 at 06:00 is older); closed degrades 6, FP 3; repairs 1 of 2
    expect(summarise(outcomes, Date.parse('2026-01-05T08:30:00.000Z'))).toEqual({ degrade_episodes_1h: 6, repair_success_pct: 50, false_positive_rate_pct: 50 });
    expect(summarise([], 0)).toEqual({ degrade_episodes_1h: 0, repair_success_pct: null, false_positive_rate_pct: null });
  });
});

describe('thresholds', () => {
  it('finds the one number, which way relaxes it, and rewrites it in place', () => {
    const spread = 'spread_pips < normal_spread_pips * 2.0';
    const t = findThreshold(spread);
    expect(t).toEqual({ value: 2, start: 35, end: 38, relax: 1, proportional: true, unit: '×' });
    expect(withThreshold(spread, t as { start: number; end: number }, 2.2)).toBe('spread_pips < normal_spread_pips * 2.2');
    expect(findThreshold('portfolio_correlation < 0.7')).toMatchObject({ value: 0.7, relax: 1, proportional: true });
    expect(findThreshold('fill_latency_ms <= 500')).toMatchObject({ relax: 1, unit: 'ms' });
    expect(findThreshold('broker_score >= 60')).toMatchObject({ relax: -1 });
    expect(findThreshold('60 < broker_score')).toMatchObject({ relax: -1 });
    expect(findThreshold('not (x > 5)')).toMatchObject({ relax: 1 });
    expect(findThreshold('a - 5 < b')).toMatchObject({ relax: 1, proportional: false });
    expect(findThreshold('x < y / 2')).toMatchObject({ relax: -1, proportional: false });
    expect(findThreshold('min(x, 3) < y')).toMatchObject({ relax: -1, proportional: false });
  });

  it('refuses conditions without a single threshold with a direction', () => {
    expect(findThreshold('db_ok == 1')).toEqual({ problem: 'an equality (==) has no direction to relax' });
    expect(findThreshold('x < 1 and y < 2')).toEqual({ problem: 'the condition has 2 numbers; advice adjusts one' });
    expect(findThreshold('abs(x - 1) < y')).toEqual({ problem: 'abs() has no single direction' });
    expect(findThreshold('x < y')).toEqual({ problem: 'the condition has no number to adjust' });
    expect(findThreshold('x < 0')).toMatchObject({ problem: expect.stringMatching(/threshold is 0/) });
    expect(findThreshold('x < (')).toMatchObject({ problem: expect.stringMatching(/does not parse/) });
  });
});

describe('threshold advice', () => {
  const rate = (fp: number, of: number): FalsePositiveRate => ({
    constraint_id: 'spread_vs_normal', episodes: of, false_positives: fp, rate: fp / of,
    episode_ids: Array.from({ length: of }, (_, i) => i + 1), false_positive_ids: Array.from({ length: fp }, (_, i) => i + 1),
  });
  const input = { constraint_id: 'spread_vs_normal', condition: 'spread_pips < normal_spread_pips * 2.0', day_base_value: null, since_ts: '2026-01-01T00:00:00.000Z' };
  const policy = DEFAULT_ADVICE_POLICY; // above 30% over >= 5 episodes; 10% a day; 2% margin

  it('asks for what the false positives needed plus a margin, within the daily cap', () => {
    // spread 3.0 against a limit of 2.8: the factor must grow 7.14%; +2% margin = 9.14% -> 2.18286
    const p = proposeThreshold({ ...input, rate: rate(7, 10), fp_triggers: [{ constraint_id: 'spread_vs_normal', value: 3.0, limit: 2.8 }] }, policy);
    expect(p).toMatchObject({
      previous_value: 2, proposed_value: 2.18286, condition_after: 'spread_pips < normal_spread_pips * 2.18286', false_positive_pct: 70,
      evidence: { episodes: 10, false_positives: 7, needed_pct: 7.1, change_pct: 9.1, max_daily_change_pct: 10, day_base_value: 2 },
    });
    expect('evidence' in p && p.evidence.text).toMatch(/^7 of 10 degrade episodes triggered by spread_vs_normal since 2026-01-01 cleared within the dwell with no repair \(70% false positives\)\. Relax 2 -> 2.18286/);
  });

  it('never more than the cap, and without values the cap itself', () => {
    const far = proposeThreshold({ ...input, rate: rate(7, 10), fp_triggers: [{ constraint_id: 'x', value: 6, limit: 2.8 }] }, policy);
    expect(far).toMatchObject({ proposed_value: 2.2, evidence: { needed_pct: 114.3, change_pct: 10 } });
    expect(proposeThreshold({ ...input, rate: rate(4, 5), fp_triggers: [] }, policy)).toMatchObject({ proposed_value: 2.2 });
    // a smaller-is-looser threshold moves down
    expect(proposeThreshold({ ...input, condition: 'broker_score >= 60', rate: rate(4, 5), fp_triggers: [] }, policy)).toMatchObject({ proposed_value: 54, condition_after: 'broker_score >= 54' });
  });

  it('counts the cap over 24 hours from the value a day ago', () => {
    const twoTenths = { ...input, rate: rate(4, 5), fp_triggers: [] };
    // already moved 2.0 -> 2.2 today: nothing left
    expect(proposeThreshold({ ...twoTenths, condition: 'spread_pips < normal_spread_pips * 2.2', day_base_value: 2 }, policy)).toEqual({ skip: 'the daily change cap (10%) is used up since 2' });
    // moved 2.0 -> 2.1 today: 2.2 at most
    expect(proposeThreshold({ ...twoTenths, condition: 'spread_pips < normal_spread_pips * 2.1', day_base_value: 2 }, policy)).toMatchObject({ proposed_value: 2.2, evidence: { change_pct: 4.8 } });
    expect(withinDailyCap(2, 2.2, 10)).toBe(true);
    expect(withinDailyCap(2, 2.21, 10)).toBe(false);
    expect(withinDailyCap(60, 54, 10)).toBe(true);
  });

  it('gives no advice on thin or good evidence', () => {
    expect(proposeThreshold({ ...input, rate: rate(4, 4), fp_triggers: [] }, policy)).toMatchObject({ skip: expect.stringMatching(/advice needs 5/) });
    expect(proposeThreshold({ ...input, rate: rate(3, 10), fp_triggers: [] }, policy)).toEqual({ skip: 'false positives 30% are within 30%' });
    expect(proposeThreshold({ ...input, condition: 'db_ok == 1', rate: rate(9, 10), fp_triggers: [] }, policy)).toEqual({ skip: 'an equality (==) has no direction to relax' });
  });

  it('reads the needed change only where the limit scales with the threshold', () => {
    const t = findThreshold('spread_pips < normal_spread_pips + 2') as Exclude<ReturnType<typeof findThreshold>, { problem: string }>;
    expect(neededChange_pct(t, [{ constraint_id: 'x', value: 5, limit: 4 }])).toBeNull();
    const down = findThreshold('broker_score >= 60') as typeof t;
    expect(neededChange_pct(down, [{ constraint_id: 'x', value: 57, limit: 60 }])).toBeCloseTo(5);
  });
});
