// The market agent: is the market fit to enter? Wide spreads make every entry start at a loss.
import { DEFAULT_AGENT_CONFIG, type AgentConfig } from './config';
import { Findings, fmt } from './findings';
import type { AgentSnapshot, AgentVerdict } from './types';

export function marketAgent(snapshot: AgentSnapshot, config: AgentConfig = DEFAULT_AGENT_CONFIG): AgentVerdict {
  const { spread_max_ratio } = config.market;
  const f = new Findings(snapshot);
  const spread = f.read('spread_pips');
  const normal = f.read('normal_spread_pips');
  if (spread !== undefined && normal !== undefined) {
    if (normal <= 0) f.note(`normal spread ${fmt(normal)} pips is not a usable baseline`);
    else if (spread > normal * spread_max_ratio) {
      f.flag('HOLD_NEW_ENTRIES', `spread ${fmt(spread)} pips > ${spread_max_ratio} x normal ${fmt(normal)} pips`);
    }
  }
  f.gate('market_quality', 'HOLD_NEW_ENTRIES');
  return f.verdict('market');
}
