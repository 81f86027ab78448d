// The orchestrator: the risk agent's EMERGENCY_STOP is an absolute veto; otherwise the action with
// the most confidence-weighted votes wins (a tie goes to the more cautious action), and the
// reasoning says who said what. When the agents can hardly see (missing inputs), no consensus is
// trusted: blindness advises blind_action, never CONTINUE.
import { complianceAgent } from './compliance';
import { DEFAULT_AGENT_CONFIG, type AgentConfig } from './config';
import { executionAgent } from './execution';
import { fmt } from './findings';
import { learningAgent } from './learning';
import { marketAgent } from './market';
import { riskAgent } from './risk';
import { systemAgent } from './system';
import { ACTION_SEVERITY, type AgentAction, type AgentName, type AgentSnapshot, type AgentVerdict, type Consensus } from './types';

export const ANALYSERS: Readonly<Record<AgentName, (snapshot: AgentSnapshot, config: AgentConfig) => AgentVerdict>> = {
  risk: riskAgent,
  market: marketAgent,
  execution: executionAgent,
  system: systemAgent,
  compliance: complianceAgent,
  learning: learningAgent,
};

export function runAgents(snapshot: AgentSnapshot, config: AgentConfig = DEFAULT_AGENT_CONFIG): AgentVerdict[] {
  return (Object.keys(ANALYSERS) as AgentName[]).map((name) => ANALYSERS[name](snapshot, config));
}

const said = (v: AgentVerdict) => `${v.agent}: ${v.grounds.length ? v.grounds.join(', ') : 'all clear'}`;

export function decide(votes: readonly AgentVerdict[], config: AgentConfig = DEFAULT_AGENT_CONFIG): Consensus {
  const weight = (v: AgentVerdict) => config.weights[v.agent] * v.confidence;
  const totalWeight = votes.reduce((sum, v) => sum + config.weights[v.agent], 0);
  const cast = votes.reduce((sum, v) => sum + weight(v), 0);
  const evidence = totalWeight > 0 ? cast / totalWeight : 0;
  const result = (action: AgentAction, support: number, reasoning: string, veto: Consensus['veto'] = null): Consensus =>
    ({ action, veto, support, evidence, votes: [...votes], reasoning });

  const risk = votes.find((v) => v.agent === 'risk');
  if (risk?.action === 'EMERGENCY_STOP') {
    return result('EMERGENCY_STOP', 1, `risk veto: ${risk.grounds.join('; ')}`, { agent: 'risk', facts: [...risk.grounds] });
  }
  if (evidence < config.min_evidence || cast === 0) {
    const missing = votes.flatMap((v) => v.missing.map((m) => `${v.agent}.${m}`));
    return result(config.blind_action, 0, `agents cannot see enough (evidence ${fmt(evidence)} < ${config.min_evidence}), so ${config.blind_action}; missing: ${missing.join(', ') || 'every vote'}`);
  }

  const byAction = new Map<AgentAction, AgentVerdict[]>();
  for (const v of votes) byAction.set(v.action, [...(byAction.get(v.action) ?? []), v]);
  let best: { action: AgentAction; support: number; voters: AgentVerdict[] } | null = null;
  for (const [action, voters] of byAction) {
    const support = voters.reduce((sum, v) => sum + weight(v), 0) / cast;
    const better = !best || support > best.support || (support === best.support && ACTION_SEVERITY[action] > ACTION_SEVERITY[best.action]);
    if (better) best = { action, support, voters };
  }
  if (!best) return result(config.blind_action, 0, `no agent voted, so ${config.blind_action}`);
  const { action, support, voters } = best;
  const dissent = votes.filter((v) => v.action !== action && v.action !== 'CONTINUE').map((v) => `${v.agent} says ${v.action}`);
  const reasoning = `${voters.length} of ${votes.length} agents (weight ${fmt(support)}) say ${action}: ${voters.map(said).join('; ')}`
    + (dissent.length ? `. Also: ${dissent.join(', ')}` : '');
  return result(action, support, reasoning);
}

/** Runs the six agents on one pulse and decides. */
export function consult(snapshot: AgentSnapshot, config: AgentConfig = DEFAULT_AGENT_CONFIG): Consensus {
  return decide(runAgents(snapshot, config), config);
}
