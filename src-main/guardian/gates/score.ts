// Gate scoring, DESIGN.md section 1: each constraint contributes pass 100, failed warning 60,
// failed critical 0; a gate is the mean of its constraints; a failed critical caps its gate at 40;
// the overall score is the weighted mean of the gates; trading is approved at overall >= 80
// (>= 85 in a high-volatility regime).
//
// Unknown (a constraint whose variables were missing) counts as a failed warning (60), and is
// listed on its own, never among the failures. Leaving it out of the mean was the alternative, and
// the more dangerous one: a gate whose only risky constraint went blind would then read 100, so a
// broken feed would look like health, which is exactly what the DSL's "missing makes unknown,
// never pass" rule exists to prevent. Counting it as 60 makes blindness cost points (a gate that
// sees nothing scores 60: red, and enough to degrade the mode), while not claiming a failure that
// was not seen: an unknown critical does not trigger the cap. A gate with no results at all has no
// score (null, status unknown) and blocks approval.
import { DEFAULT_GATE_POLICY, type GatePolicy } from './policy';
import { GATE_NAMES, type ConstraintResult, type GateCounts, type GateName, type GateReport, type GateScore, type GateStatus } from './types';

/** Numbers as people read them: at most 2 decimals, no trailing zeros. */
export function formatValue(n: number): string {
  return String(Number(n.toFixed(2)));
}

/** One line on a constraint for a "why": its value against its limit, or what was missing. */
export function describeConstraint(r: ConstraintResult): string {
  if (r.status === 'unknown') {
    return r.missing?.length ? `${r.id} unknown (missing ${r.missing.join(', ')})` : `${r.id} unknown: ${r.explanation}`;
  }
  const figures = r.value === undefined ? '' : ` ${formatValue(r.value)}${r.limit === undefined ? '' : ` (limit ${formatValue(r.limit)})`}`;
  return `${r.id}${figures}${r.status === 'fail' ? `, failed ${r.severity}` : ''}`;
}

export function contributionOf(r: ConstraintResult, policy: GatePolicy = DEFAULT_GATE_POLICY): number {
  if (r.status === 'pass') return policy.contribution.pass;
  if (r.status === 'unknown') return policy.contribution.unknown;
  return r.severity === 'critical' ? policy.contribution.failed_critical : policy.contribution.failed_warning;
}

export function gateStatus(score: number | null, policy: GatePolicy = DEFAULT_GATE_POLICY): GateStatus {
  if (score === null) return 'unknown';
  if (score >= policy.green_at) return 'green';
  return score >= policy.amber_at ? 'amber' : 'red';
}

/** Scores one gate from the results that belong to it (others are ignored). */
export function scoreGate(gate: GateName, results: readonly ConstraintResult[], policy: GatePolicy = DEFAULT_GATE_POLICY): GateScore {
  const mine = results.filter((r) => r.gate === gate);
  const failing = mine.filter((r) => r.status === 'fail');
  const unknown = mine.filter((r) => r.status === 'unknown');
  const counts: GateCounts = {
    total: mine.length,
    pass: mine.length - failing.length - unknown.length,
    failed_warning: failing.filter((r) => r.severity === 'warning').length,
    failed_critical: failing.filter((r) => r.severity === 'critical').length,
    unknown: unknown.length,
  };
  let score: number | null = null;
  let capped = false;
  if (mine.length > 0) {
    const mean = mine.reduce((sum, r) => sum + contributionOf(r, policy), 0) / mine.length;
    capped = counts.failed_critical > 0 && mean > policy.critical_cap;
    score = counts.failed_critical > 0 ? Math.min(mean, policy.critical_cap) : mean;
  }
  return { gate, score, status: gateStatus(score, policy), capped, failing, unknown, counts };
}

/** Scores all four gates and decides whether trading is approved. */
export function scoreGates(
  results: readonly ConstraintResult[],
  options: { high_volatility?: boolean; policy?: GatePolicy } = {},
): GateReport {
  const policy = options.policy ?? DEFAULT_GATE_POLICY;
  const high_volatility = options.high_volatility ?? false;
  const gates = Object.fromEntries(GATE_NAMES.map((g) => [g, scoreGate(g, results, policy)])) as Record<GateName, GateScore>;

  let weighted = 0;
  let weights = 0;
  const reasons: string[] = [];
  for (const g of GATE_NAMES) {
    const { score } = gates[g];
    if (score === null) {
      reasons.push(`${g}: no constraint results, so its health is unknown`);
      continue;
    }
    weighted += policy.weights[g] * score;
    weights += policy.weights[g];
  }
  const overall = weights > 0 ? weighted / weights : null;
  const approve_at = high_volatility ? policy.approve_at_high_volatility : policy.approve_at;
  if (overall !== null && overall < approve_at) {
    reasons.unshift(`overall ${formatValue(overall)} < ${approve_at}${high_volatility ? ' (high-volatility regime)' : ''}`);
  }
  if (policy.critical_blocks_approval) {
    for (const g of GATE_NAMES) {
      for (const r of gates[g].failing.filter((f) => f.severity === 'critical')) reasons.push(`${g}: ${describeConstraint(r)}`);
    }
  }
  return { gates, overall, high_volatility, approve_at, approved: overall !== null && reasons.length === 0, reasons };
}
