import { describe, expect, it } from 'vitest';
import { consult, decide, type AgentAction, type AgentName, type AgentVerdict } from './index';

function vote(agent: AgentName, action: AgentAction, confidence = 1, grounds: string[] = []): AgentVerdict {
  return { agent, action, confidence, facts: grounds, grounds, missing: [] };
}

describe('decide', () => {
  it('is the weighted consensus, with its reasoning (hand-computed weights)', () => {
    // Weights: risk 1.5, market 1.0, execution 1.2, system 1.0, compliance 1.0, learning 0.5.
    const votes = [
      vote('risk', 'CONTINUE', 0.8), // 1.2
      vote('market', 'HOLD_NEW_ENTRIES', 1, ['spread 3.1 pips > 2 x normal 1.2 pips']), // 1.0
      vote('execution', 'HOLD_NEW_ENTRIES', 1, ['reject rate 12% > 5%']), // 1.2
      vote('system', 'CONTINUE', 0.5), // 0.5
      vote('compliance', 'HOLD_NEW_ENTRIES', 1, ['news blackout']), // 1.0
      vote('learning', 'REDUCE_RISK', 1, ['4 degrade episodes in the last hour > 3']), // 0.5
    ];
    const c = decide(votes);
    // HOLD: 3.2 of 5.4 cast = 0.593; CONTINUE: 1.7; REDUCE_RISK: 0.5. Evidence 5.4 / 6.2.
    expect(c.action).toBe('HOLD_NEW_ENTRIES');
    expect(c.support).toBeCloseTo(3.2 / 5.4);
    expect(c.evidence).toBeCloseTo(5.4 / 6.2);
    expect(c.veto).toBeNull();
    expect(c.reasoning).toBe(
      '3 of 6 agents (weight 0.59) say HOLD_NEW_ENTRIES: market: spread 3.1 pips > 2 x normal 1.2 pips; '
      + 'execution: reject rate 12% > 5%; compliance: news blackout. Also: learning says REDUCE_RISK',
    );
  });

  it('lets the risk agent\'s EMERGENCY_STOP veto everyone else, even at low confidence', () => {
    const votes = [
      vote('risk', 'EMERGENCY_STOP', 0.2, ['portfolio correlation 0.82 beyond its limit 0.75']),
      ...(['market', 'execution', 'system', 'compliance', 'learning'] as const).map((a) => vote(a, 'CONTINUE')),
    ];
    expect(decide(votes)).toMatchObject({
      action: 'EMERGENCY_STOP',
      veto: { agent: 'risk', facts: ['portfolio correlation 0.82 beyond its limit 0.75'] },
      reasoning: 'risk veto: portfolio correlation 0.82 beyond its limit 0.75',
    });
  });

  it('does not give any other agent the veto', () => {
    const votes = [vote('risk', 'CONTINUE'), vote('market', 'CONTINUE'), vote('system', 'EMERGENCY_STOP', 1, ['x'])];
    expect(decide(votes)).toMatchObject({ action: 'CONTINUE', veto: null });
  });

  it('breaks a tie towards the more cautious action', () => {
    const c = decide([vote('market', 'CONTINUE'), vote('system', 'HOLD_NEW_ENTRIES', 1, ['lag'])]);
    expect(c.support).toBe(0.5);
    expect(c.action).toBe('HOLD_NEW_ENTRIES');
  });

  it('does not trust a consensus of the blind: too little evidence advises holding new entries', () => {
    const votes = [vote('risk', 'CONTINUE', 0.2), vote('market', 'CONTINUE', 0), vote('execution', 'CONTINUE', 0.25)];
    const c = decide(votes);
    expect(c.action).toBe('HOLD_NEW_ENTRIES');
    expect(c.evidence).toBeCloseTo((0.3 + 0 + 0.3) / 3.7);
    expect(c.reasoning).toMatch(/^agents cannot see enough \(evidence 0.16 < 0.3\), so HOLD_NEW_ENTRIES/);
  });
});

describe('consult', () => {
  it('runs the six agents and continues on a healthy, fully seen pulse', () => {
    const vars = {
      portfolio_correlation: 0.2, slippage_bps: 1, daily_loss_pct: 0, drawdown_pct: 1, spread_pips: 1.1, normal_spread_pips: 1.0,
      reject_rate_pct: 0, bridge_latency_ms: 20, p95_bridge_latency_ms: 30, drop_pct: 0, cpu_pct: 20, event_loop_lag_ms: 3,
      clock_skew_ms: 5, ea_state_code: 4, open_positions: 1, orders_per_min: 1, session_open: 1, news_blackout: 0,
      degrade_episodes_1h: 0, repair_success_pct: 100, false_positive_rate_pct: 0,
    };
    const score = (gate: 'market_quality' | 'risk_management' | 'system_health' | 'broker_connectivity') =>
      ({ gate, score: 100, status: 'green' as const, capped: false, failing: [], unknown: [], counts: { total: 1, pass: 1, failed_warning: 0, failed_critical: 0, unknown: 0 } });
    const c = consult({ vars, gates: { market_quality: score('market_quality'), risk_management: score('risk_management'), system_health: score('system_health'), broker_connectivity: score('broker_connectivity') } });
    expect(c.votes.map((v) => v.agent)).toEqual(['risk', 'market', 'execution', 'system', 'compliance', 'learning']);
    expect(c).toMatchObject({ action: 'CONTINUE', support: 1, evidence: 1 });
    expect(c.reasoning).toBe('6 of 6 agents (weight 1) say CONTINUE: risk: all clear; market: all clear; execution: all clear; system: all clear; compliance: all clear; learning: all clear');
  });

  it('reads an empty pulse as blindness, never as health', () => {
    const c = consult({ vars: {}, gates: {} });
    expect(c.evidence).toBe(0);
    expect(c.action).toBe('HOLD_NEW_ENTRIES');
    expect(c.reasoning).toContain('missing: risk.portfolio_correlation');
  });
});
