// The agents' shapes: six deterministic analysers of one pulse, and their consensus.
import type { GateName, GateScore } from '../gates';

export type AgentName = 'risk' | 'market' | 'execution' | 'system' | 'compliance' | 'learning';
export const AGENT_NAMES: readonly AgentName[] = ['risk', 'market', 'execution', 'system', 'compliance', 'learning'];

export type AgentAction = 'CONTINUE' | 'SWITCH_PATH' | 'REDUCE_RISK' | 'HOLD_NEW_ENTRIES' | 'EMERGENCY_STOP';

/** How far an action departs from business as usual; the more cautious wins a tie. */
export const ACTION_SEVERITY: Readonly<Record<AgentAction, number>> = {
  CONTINUE: 0,
  SWITCH_PATH: 1,
  REDUCE_RISK: 2,
  HOLD_NEW_ENTRIES: 3,
  EMERGENCY_STOP: 4,
};

/**
 * One pulse as the agents read it: the gate scores, and a flat record of variables named with
 * their units (portfolio_correlation, slippage_bps, drawdown_pct, spread_pips, bridge_latency_ms,
 * ...). A variable that is absent, null or not finite is missing: it lowers the reading agent's
 * confidence and never counts as healthy.
 */
export interface AgentSnapshot {
  gates: Partial<Record<GateName, GateScore>>;
  vars: Readonly<Record<string, number | null | undefined>>;
}

export interface AgentVerdict {
  agent: AgentName;
  action: AgentAction;
  /** 0..1: the share of this agent's inputs it could actually read. */
  confidence: number;
  /** Everything it noticed, the grounds for its action first. */
  facts: string[];
  /** The facts that justify the action (empty for CONTINUE). */
  grounds: string[];
  /** The inputs it looked for and could not read. */
  missing: string[];
}

export interface Consensus {
  action: AgentAction;
  /** Set when the risk agent said EMERGENCY_STOP: an absolute veto, whatever the others say. */
  veto: { agent: 'risk'; facts: string[] } | null;
  /** 0..1: the share of confidence-weighted votes behind the action. */
  support: number;
  /** 0..1: how much the agents could see, weighted (mean confidence). */
  evidence: number;
  votes: AgentVerdict[];
  reasoning: string;
}
