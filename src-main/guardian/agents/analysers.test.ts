import { describe, expect, it } from 'vitest';
import type { GateName, GateScore } from '../gates';
import {
  EA_STATE_CODES, agentConfig, complianceAgent, executionAgent, learningAgent, marketAgent, riskAgent, systemAgent,
  type AgentSnapshot,
} from './index';

function gate(name: GateName, score: number): GateScore {
  const status = score >= 85 ? 'green' : score >= 70 ? 'amber' : 'red';
  return { gate: name, score, status, capped: false, failing: [], unknown: [], counts: { total: 1, pass: 1, failed_warning: 0, failed_critical: 0, unknown: 0 } };
}
const GREEN = { market_quality: gate('market_quality', 95), risk_management: gate('risk_management', 95), system_health: gate('system_health', 95), broker_connectivity: gate('broker_connectivity', 95) };
const snap = (vars: AgentSnapshot['vars'], gates: AgentSnapshot['gates'] = GREEN): AgentSnapshot => ({ gates, vars });

describe('risk agent', () => {
  const calm = { portfolio_correlation: 0.3, slippage_bps: 3, daily_loss_pct: 0.5, drawdown_pct: 2 };

  it('continues with full confidence when everything is read and inside its limits', () => {
    expect(riskAgent(snap(calm))).toEqual({ agent: 'risk', action: 'CONTINUE', confidence: 1, facts: [], grounds: [], missing: [] });
  });

  it('stops on correlation above 0.75 or slippage above 25 bps, and on a loss limit reached', () => {
    expect(riskAgent(snap({ ...calm, portfolio_correlation: 0.82 }))).toMatchObject({ action: 'EMERGENCY_STOP', grounds: ['portfolio correlation 0.82 beyond its limit 0.75'] });
    expect(riskAgent(snap({ ...calm, slippage_bps: 25 })).action).toBe('REDUCE_RISK');
    expect(riskAgent(snap({ ...calm, slippage_bps: 25.1 })).action).toBe('EMERGENCY_STOP');
    expect(riskAgent(snap({ ...calm, daily_loss_pct: 3 })).grounds).toEqual(['daily loss 3% beyond its limit 3%']);
  });

  it('reduces risk near a cap (80% of it) and on a red risk gate', () => {
    expect(riskAgent(snap({ ...calm, portfolio_correlation: 0.6 })).action).toBe('REDUCE_RISK');
    expect(riskAgent(snap({ ...calm, portfolio_correlation: 0.59 })).action).toBe('CONTINUE');
    expect(riskAgent(snap(calm, { ...GREEN, risk_management: gate('risk_management', 40) }))).toMatchObject({ action: 'REDUCE_RISK', grounds: ['risk_management gate 40 (red)'] });
  });

  it('loses confidence for each missing input, and never reads a missing one as healthy', () => {
    const blind = riskAgent(snap({ portfolio_correlation: null, slippage_bps: Number.NaN, drawdown_pct: 2 }, {}));
    // 5 inputs asked (4 variables, 1 gate), 1 read.
    expect(blind.confidence).toBeCloseTo(0.2);
    expect(blind.missing).toEqual(['portfolio_correlation', 'slippage_bps', 'daily_loss_pct', 'risk_management gate']);
    expect(blind.facts).toEqual(['missing: portfolio_correlation, slippage_bps, daily_loss_pct, risk_management gate']);
  });

  it('follows its configuration', () => {
    expect(riskAgent(snap({ ...calm, portfolio_correlation: 0.65 }), agentConfig({ risk: { correlation_max: 0.6 } })).action).toBe('EMERGENCY_STOP');
  });
});

describe('market agent', () => {
  it('holds new entries when the spread is over 2 x normal', () => {
    expect(marketAgent(snap({ spread_pips: 3.1, normal_spread_pips: 1.2 }))).toMatchObject({
      action: 'HOLD_NEW_ENTRIES', confidence: 1, grounds: ['spread 3.1 pips > 2 x normal 1.2 pips'],
    });
    expect(marketAgent(snap({ spread_pips: 2.4, normal_spread_pips: 1.2 })).action).toBe('CONTINUE');
  });

  it('cannot judge the spread without its baseline', () => {
    expect(marketAgent(snap({ spread_pips: 9 }))).toMatchObject({ action: 'CONTINUE', missing: ['normal_spread_pips'] });
    expect(marketAgent(snap({ spread_pips: 9 })).confidence).toBeCloseTo(2 / 3);
  });
});

describe('execution agent', () => {
  const fine = { reject_rate_pct: 0.5, slippage_bps: 2, bridge_latency_ms: 40, p95_bridge_latency_ms: 50, drop_pct: 0.1 };

  it('holds new entries on a reject rate over 5%, ahead of its other findings', () => {
    const v = executionAgent(snap({ ...fine, reject_rate_pct: 12, drop_pct: 4 }));
    expect(v.action).toBe('HOLD_NEW_ENTRIES');
    expect(v.facts).toEqual(['reject rate 12% > 5%', 'drop rate 4% > 2% (SWITCH_PATH)']);
  });

  it('switches path on latency over 1.25 x its p95, or over the fixed limit without a baseline', () => {
    expect(executionAgent(snap({ ...fine, bridge_latency_ms: 63 })).grounds).toEqual(['bridge latency 63 ms > 1.25 x p95 50 ms']);
    const noBaseline = executionAgent(snap({ ...fine, p95_bridge_latency_ms: undefined, bridge_latency_ms: 600 }));
    expect(noBaseline).toMatchObject({ action: 'SWITCH_PATH', grounds: ['bridge latency 600 ms > 500 ms'], confidence: 1 });
  });

  it('switches path on a red broker gate', () => {
    expect(executionAgent(snap(fine, { ...GREEN, broker_connectivity: gate('broker_connectivity', 58.9) })).action).toBe('SWITCH_PATH');
  });
});

describe('system agent', () => {
  const fine = { cpu_pct: 30, event_loop_lag_ms: 5, clock_skew_ms: 20, ea_state_code: EA_STATE_CODES.MANAGING };

  it('holds new entries on event loop lag, clock skew either way, or an EA in HALT', () => {
    expect(systemAgent(snap({ ...fine, event_loop_lag_ms: 250 })).grounds).toEqual(['event loop lag 250 ms > 100 ms']);
    expect(systemAgent(snap({ ...fine, clock_skew_ms: -900 })).grounds).toEqual(['clock skew -900 ms beyond +/-500 ms']);
    expect(systemAgent(snap({ ...fine, ea_state_code: EA_STATE_CODES.HALT })).grounds).toEqual(['the EA reports HALT']);
  });

  it('reduces risk on a busy CPU and notes what it cannot act on', () => {
    expect(systemAgent(snap({ ...fine, cpu_pct: 97 })).action).toBe('REDUCE_RISK');
    expect(systemAgent(snap({ ...fine, ea_state_code: 42 }))).toMatchObject({ action: 'CONTINUE', facts: ['unknown EA state code 42'] });
  });
});

describe('compliance agent', () => {
  const fine = { open_positions: 3, orders_per_min: 2, session_open: 1, news_blackout: 0 };

  it('holds new entries outside the session, in a news blackout, or at a limit', () => {
    expect(complianceAgent(snap(fine)).action).toBe('CONTINUE');
    expect(complianceAgent(snap({ ...fine, session_open: 0 })).grounds).toEqual(['outside the trading session']);
    expect(complianceAgent(snap({ ...fine, news_blackout: 1 })).grounds).toEqual(['news blackout']);
    expect(complianceAgent(snap({ ...fine, open_positions: 20, orders_per_min: 31 })).grounds).toEqual(['open positions 20 at the limit 20', 'order rate 31/min > 30/min']);
  });
});

describe('learning agent', () => {
  it('reduces risk when the chain is unstable or repairs fail, and only notes false positives', () => {
    expect(learningAgent(snap({ degrade_episodes_1h: 4, repair_success_pct: 90, false_positive_rate_pct: 5 })).grounds).toEqual(['4 degrade episodes in the last hour > 3']);
    expect(learningAgent(snap({ degrade_episodes_1h: 0, repair_success_pct: 40, false_positive_rate_pct: 5 })).action).toBe('REDUCE_RISK');
    expect(learningAgent(snap({ degrade_episodes_1h: 0, repair_success_pct: 90, false_positive_rate_pct: 35 }))).toMatchObject({
      action: 'CONTINUE', facts: ['false positives 35% > 30%: see the threshold advice'],
    });
  });
});
