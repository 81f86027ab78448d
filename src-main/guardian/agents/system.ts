// The system agent: can this host act on time? A lagging event loop or a skewed clock makes
// timestamps, TTLs and reaction times untrustworthy, so new entries wait.
import type { EaState } from '../../../src-shared/protocol/types';
import { DEFAULT_AGENT_CONFIG, type AgentConfig } from './config';
import { Findings, fmt } from './findings';
import type { AgentSnapshot, AgentVerdict } from './types';

/** How the pulse encodes the EA's state (PROTOCOL.md STATUS ea_state) in the flat variable ea_state_code. */
export const EA_STATE_CODES: Readonly<Record<EaState, number>> = {
  IDLE: 0, ARMED: 1, ORDERS_PLACED: 2, TRADE_TRIGGERED: 3, MANAGING: 4, PAUSED: 5, HALT: 6,
};

export function systemAgent(snapshot: AgentSnapshot, config: AgentConfig = DEFAULT_AGENT_CONFIG): AgentVerdict {
  const c = config.system;
  const f = new Findings(snapshot);
  const cpu = f.read('cpu_pct');
  if (cpu !== undefined && cpu > c.cpu_max_pct) f.flag('REDUCE_RISK', `cpu ${fmt(cpu)}% > ${c.cpu_max_pct}%`);
  const lag = f.read('event_loop_lag_ms');
  if (lag !== undefined && lag > c.event_loop_lag_max_ms) f.flag('HOLD_NEW_ENTRIES', `event loop lag ${fmt(lag)} ms > ${c.event_loop_lag_max_ms} ms`);
  const skew = f.read('clock_skew_ms');
  if (skew !== undefined && Math.abs(skew) > c.clock_skew_max_ms) f.flag('HOLD_NEW_ENTRIES', `clock skew ${fmt(skew)} ms beyond +/-${c.clock_skew_max_ms} ms`);
  const code = f.read('ea_state_code');
  if (code === EA_STATE_CODES.HALT) f.flag('HOLD_NEW_ENTRIES', 'the EA reports HALT');
  else if (code === EA_STATE_CODES.PAUSED) f.note('the EA reports PAUSED');
  else if (code !== undefined && !Object.values(EA_STATE_CODES).includes(code)) f.note(`unknown EA state code ${code}`);
  f.gate('system_health', 'HOLD_NEW_ENTRIES');
  return f.verdict('system');
}
