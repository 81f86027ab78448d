// The compliance agent: the account's own rules (position and order-rate limits, trading session,
// news blackout). Every breach means the same thing: no new entries until it passes.
import { DEFAULT_AGENT_CONFIG, type AgentConfig } from './config';
import { Findings, fmt } from './findings';
import type { AgentSnapshot, AgentVerdict } from './types';

export function complianceAgent(snapshot: AgentSnapshot, config: AgentConfig = DEFAULT_AGENT_CONFIG): AgentVerdict {
  const c = config.compliance;
  const f = new Findings(snapshot);
  const open = f.read('open_positions');
  if (open !== undefined && open >= c.max_open_positions) f.flag('HOLD_NEW_ENTRIES', `open positions ${fmt(open)} at the limit ${c.max_open_positions}`);
  const rate = f.read('orders_per_min');
  if (rate !== undefined && rate > c.max_orders_per_min) f.flag('HOLD_NEW_ENTRIES', `order rate ${fmt(rate)}/min > ${c.max_orders_per_min}/min`);
  // Flags arrive as numbers: 1 is yes, 0 is no.
  if (f.read('session_open') === 0) f.flag('HOLD_NEW_ENTRIES', 'outside the trading session');
  if (f.read('news_blackout') === 1) f.flag('HOLD_NEW_ENTRIES', 'news blackout');
  return f.verdict('compliance');
}
