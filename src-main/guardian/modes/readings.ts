// What one pulse says to the mode manager: the three subsystem scores, the risk veto, and whether
// the pulse is clean enough to count towards recovery.
//
// Mapping of the four gates (and the pulse's own scores) onto the three subsystems. Each takes the
// worst of its sources, because any one of them failing is enough to break that subsystem:
//   comm   = min(broker_connectivity gate, comm_score)            (the broker link, our paths)
//   signal = signal_score                                          (no gate measures the signal tiers)
//   exec   = min(exec_score, market_quality, risk_management, system_health gates)
// exec takes the three remaining gates because DEGRADED.EXEC (manage-only: no new entries) is
// the right answer to each of them going bad: wide spreads, a failed risk constraint (a failed
// critical caps its gate at 40, below the exec threshold of 60), or a host too slow to manage
// orders on time. Unknown sources are left out of the min; a subsystem with no known source is
// unknown (null): it cannot trigger entry (no evidence of a fault) and it blocks recovery (no
// evidence of health).
import { formatValue, type ConstraintResult, type GateName, type GateScore } from '../gates';
import type { FailoverPolicy } from './policy';
import { DEGRADATIONS, type Degradation, type ModePulse, type VetoReading, type Why } from './types';

interface Source {
  name: string;
  score: number | null;
  /** The failing and unknown constraints behind a gate's score. */
  constraints: ConstraintResult[];
}

export interface SubsystemReading {
  score: number | null;
  sources: Source[];
}

const gateSource = (g: GateScore): Source => ({ name: g.gate, score: g.score, constraints: [...g.failing, ...g.unknown] });
const inputSource = (name: string, score: number | null): Source => ({ name, score, constraints: [] });

const GATES_OF: Record<Degradation, GateName[]> = {
  COMM: ['broker_connectivity'],
  SIGNAL: [],
  EXEC: ['market_quality', 'risk_management', 'system_health'],
};

function known(score: number | null): score is number {
  return score !== null && Number.isFinite(score);
}

export function readSubsystems(pulse: ModePulse): Record<Degradation, SubsystemReading> {
  const inputs: Record<Degradation, Source> = {
    COMM: inputSource('path health', pulse.comm_score),
    SIGNAL: inputSource('signal tier health', pulse.signal_score),
    EXEC: inputSource('execution quality', pulse.exec_score),
  };
  const read = (d: Degradation): SubsystemReading => {
    const sources = [...GATES_OF[d].map((g) => gateSource(pulse.gates[g])), inputs[d]];
    const scores = sources.map((s) => s.score).filter(known);
    return { score: scores.length ? Math.min(...scores) : null, sources };
  };
  return { COMM: read('COMM'), SIGNAL: read('SIGNAL'), EXEC: read('EXEC') };
}

export const enterThreshold = (policy: FailoverPolicy, d: Degradation): number =>
  ({ COMM: policy.enter.comm_below, SIGNAL: policy.enter.signal_below, EXEC: policy.enter.exec_below })[d];

const show = (score: number | null) => (known(score) ? formatValue(score) : 'unknown');

/** The why of entering a degradation: the subsystem, its sources, and the constraints of those below the line. */
export function degradationWhy(d: Degradation, reading: SubsystemReading, threshold: number): Why {
  const below = reading.sources.filter((s) => known(s.score) && s.score < threshold);
  return {
    text: `${d.toLowerCase()} ${show(reading.score)} < ${threshold} (${reading.sources.map((s) => `${s.name} ${show(s.score)}`).join(', ')})`,
    constraints: below.flatMap((s) => s.constraints),
    by: 'policy',
  };
}

export function readVeto(pulse: ModePulse, policy: FailoverPolicy): VetoReading {
  const { correlation_max, slippage_max_bps } = policy.risk_caps;
  const breaches: string[] = [];
  const blind: string[] = [];
  if (!known(pulse.portfolio_correlation)) blind.push('portfolio_correlation');
  else if (pulse.portfolio_correlation > correlation_max) breaches.push(`portfolio_correlation ${formatValue(pulse.portfolio_correlation)} > ${correlation_max}`);
  if (!known(pulse.slippage_bps)) blind.push('slippage_bps');
  else if (pulse.slippage_bps > slippage_max_bps) breaches.push(`slippage ${formatValue(pulse.slippage_bps)} bps > ${slippage_max_bps} bps`);
  if (pulse.emergency_stop) breaches.push(`risk agent EMERGENCY_STOP (${pulse.emergency_stop.facts.join('; ') || 'no facts given'})`);
  const riskGate = pulse.gates.risk_management;
  if (breaches.length > 0) {
    return { status: 'armed', why: { text: `risk veto: ${breaches.join('; ')}`, constraints: [...riskGate.failing], by: 'policy' } };
  }
  if (blind.length > 0) return { status: 'blind', why: { text: `risk veto cannot clear: ${blind.join(', ')} unknown`, constraints: [], by: 'policy' } };
  return { status: 'clear', why: null };
}

/** Clean: every gate and subsystem known and >= recover_threshold, and the veto clear. */
export function cleanBlockers(pulse: ModePulse, readings: Record<Degradation, SubsystemReading>, veto: VetoReading, policy: FailoverPolicy): string[] {
  const line = policy.recover_threshold;
  const blockers: string[] = [];
  for (const g of Object.values(pulse.gates)) if (!known(g.score) || g.score < line) blockers.push(`${g.gate} ${show(g.score)}`);
  for (const d of DEGRADATIONS) {
    const { score, sources } = readings[d];
    if (known(score) && score >= line) continue;
    // Its own input under the line (path health, say), which no gate above names; unless it is its only source.
    const inputs = sources.length < 2 ? [] : sources.filter((s) => !(s.name in pulse.gates) && (!known(s.score) || s.score < line));
    blockers.push(`${d.toLowerCase()} ${show(score)}${inputs.length ? ` (${inputs.map((s) => `${s.name} ${show(s.score)}`).join(', ')})` : ''}`);
  }
  if (veto.status !== 'clear' && veto.why) blockers.push(veto.why.text);
  return blockers;
}

/** What keeps this pulse from counting towards recovery, for the console's "why still degraded". */
export function recoveryBlockers(pulse: ModePulse, policy: FailoverPolicy): string[] {
  return cleanBlockers(pulse, readSubsystems(pulse), readVeto(pulse, policy), policy);
}
