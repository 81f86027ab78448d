// Agent consensus: six deterministic analysers, a risk veto, a weighted decision.
import type { IsoTs } from './modes';

export type AgentName = 'risk' | 'market' | 'execution' | 'system' | 'compliance' | 'learning';
export const AGENT_NAMES: readonly AgentName[] = ['risk', 'market', 'execution', 'system', 'compliance', 'learning'];

export type AgentAction =
  | 'CONTINUE' | 'REDUCE_SIZE' | 'HOLD_NEW_ENTRIES' | 'SWITCH_PATH' | 'MANAGE_ONLY' | 'SAFE_MODE' | 'EMERGENCY_STOP';

/** Section 4's `agent_votes` value. */
export interface AgentVoteSummary {
  action: AgentAction;
  confidence: number;
}

export interface AgentVote extends AgentVoteSummary {
  agent: AgentName;
  weight: number;
  /** The facts the agent read, in plain English ("correlation 0.62 < 0.70"). */
  facts: string[];
}

export interface Veto {
  armed: boolean;
  agent: AgentName;
  action: AgentAction;
  reason: string;
  since_ts: IsoTs | null;
}

export interface AgentConsensus {
  ts: IsoTs;
  decision: AgentAction;
  /** Weighted confidence of the decision, 0..1. */
  confidence: number;
  votes: AgentVote[];
  veto: Veto | null;
  reasoning: string;
}
