// The learning agent: what the recent past says about this pulse. An unstable chain or failing
// repairs mean fewer safe fallbacks, so trade smaller; too many false positives are only noted
// (threshold advice is applied by an operator, never by an agent).
import { DEFAULT_AGENT_CONFIG, type AgentConfig } from './config';
import { Findings, fmt } from './findings';
import type { AgentSnapshot, AgentVerdict } from './types';

export function learningAgent(snapshot: AgentSnapshot, config: AgentConfig = DEFAULT_AGENT_CONFIG): AgentVerdict {
  const c = config.learning;
  const f = new Findings(snapshot);
  const episodes = f.read('degrade_episodes_1h');
  if (episodes !== undefined && episodes > c.max_degrade_episodes_1h) {
    f.flag('REDUCE_RISK', `${fmt(episodes)} degrade episodes in the last hour > ${c.max_degrade_episodes_1h}`);
  }
  const repairs = f.read('repair_success_pct');
  if (repairs !== undefined && repairs < c.min_repair_success_pct) f.flag('REDUCE_RISK', `repairs succeed ${fmt(repairs)}% < ${c.min_repair_success_pct}%`);
  const falsePositives = f.read('false_positive_rate_pct');
  if (falsePositives !== undefined && falsePositives > c.max_false_positive_pct) {
    f.note(`false positives ${fmt(falsePositives)}% > ${c.max_false_positive_pct}%: see the threshold advice`);
  }
  return f.verdict('learning');
}
