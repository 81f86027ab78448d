// Six deterministic analysers of one pulse and their consensus, with the risk agent's veto. Pure.
export { ACTION_SEVERITY, AGENT_NAMES } from './types';
export type { AgentAction, AgentName, AgentSnapshot, AgentVerdict, Consensus } from './types';
export { DEFAULT_AGENT_CONFIG, agentConfig } from './config';
export type { AgentConfig } from './config';
export { riskAgent } from './risk';
export { marketAgent } from './market';
export { executionAgent } from './execution';
export { EA_STATE_CODES, systemAgent } from './system';
export { complianceAgent } from './compliance';
export { learningAgent } from './learning';
export { ANALYSERS, consult, decide, runAgents } from './orchestrator';
