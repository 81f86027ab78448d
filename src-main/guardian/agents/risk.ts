// The risk agent: the only agent whose EMERGENCY_STOP is a veto (see orchestrator.ts).
import { DEFAULT_AGENT_CONFIG, type AgentConfig } from './config';
import { Findings, fmt } from './findings';
import type { AgentSnapshot, AgentVerdict } from './types';

export function riskAgent(snapshot: AgentSnapshot, config: AgentConfig = DEFAULT_AGENT_CONFIG): AgentVerdict {
  const c = config.risk;
  const f = new Findings(snapshot);
  // Correlation and slippage are caps (above them stops); a loss limit stops when it is reached.
  const check = (value: number | undefined, label: string, unit: string, max: number, reached: (v: number) => boolean) => {
    if (value === undefined) return;
    // Rounded so that 80% of 0.75 is 0.6, not 0.6000000000000001.
    const warn_at = Number((max * c.warn_fraction).toPrecision(12));
    if (reached(value)) f.flag('EMERGENCY_STOP', `${label} ${fmt(value)}${unit} beyond its limit ${max}${unit}`);
    else if (value >= warn_at) f.flag('REDUCE_RISK', `${label} ${fmt(value)}${unit} near its limit ${max}${unit}`);
  };
  check(f.read('portfolio_correlation'), 'portfolio correlation', '', c.correlation_max, (v) => v > c.correlation_max);
  check(f.read('slippage_bps'), 'slippage', ' bps', c.slippage_max_bps, (v) => v > c.slippage_max_bps);
  check(f.read('daily_loss_pct'), 'daily loss', '%', c.daily_loss_max_pct, (v) => v >= c.daily_loss_max_pct);
  check(f.read('drawdown_pct'), 'drawdown', '%', c.drawdown_max_pct, (v) => v >= c.drawdown_max_pct);
  f.gate('risk_management', 'REDUCE_RISK');
  return f.verdict('risk');
}
