// The execution agent: do orders reach the broker and fill as asked? Rejects stop new entries;
// a slow or lossy path is a reason to switch paths, not to stop trading.
import { DEFAULT_AGENT_CONFIG, type AgentConfig } from './config';
import { Findings, fmt } from './findings';
import type { AgentSnapshot, AgentVerdict } from './types';

export function executionAgent(snapshot: AgentSnapshot, config: AgentConfig = DEFAULT_AGENT_CONFIG): AgentVerdict {
  const c = config.execution;
  const f = new Findings(snapshot);
  const rejects = f.read('reject_rate_pct');
  if (rejects !== undefined && rejects > c.reject_rate_max_pct) f.flag('HOLD_NEW_ENTRIES', `reject rate ${fmt(rejects)}% > ${c.reject_rate_max_pct}%`);
  // Slippage past the risk cap is the risk agent's veto; below it, trade smaller.
  const slippage = f.read('slippage_bps');
  if (slippage !== undefined && slippage > c.slippage_warn_bps) f.flag('REDUCE_RISK', `slippage ${fmt(slippage)} bps > ${c.slippage_warn_bps} bps`);
  const latency = f.read('bridge_latency_ms');
  if (latency !== undefined) {
    const p95 = f.optional('p95_bridge_latency_ms');
    const limit = p95 !== undefined ? p95 * c.latency_max_ratio : c.latency_max_ms;
    const basis = p95 !== undefined ? `${c.latency_max_ratio} x p95 ${fmt(p95)} ms` : `${c.latency_max_ms} ms`;
    if (latency > limit) f.flag('SWITCH_PATH', `bridge latency ${fmt(latency)} ms > ${basis}`);
  }
  const drops = f.read('drop_pct');
  if (drops !== undefined && drops > c.drop_max_pct) f.flag('SWITCH_PATH', `drop rate ${fmt(drops)}% > ${c.drop_max_pct}%`);
  f.gate('broker_connectivity', 'SWITCH_PATH');
  return f.verdict('execution');
}
