// Turns a condition report into the one line an operator reads on a gate card:
//   fail:    "spread_pips = 3.4, must be < normal_spread_pips * 2.0 = 2.8"
//   pass:    "spread_pips = 1.2 (< normal_spread_pips * 2.0 = 2.8)"
//   unknown: "unknown: no value for spread_pips"
import type { ClauseReport, ConditionReport, SideReport } from './dsl/explain';

/** Numbers as people read them: at most 4 significant decimals, no float noise (2.8000000000000003 -> 2.8). */
export function formatNumber(value: number | undefined): string {
  if (value === undefined) return '?';
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(Math.abs(value) >= 1 ? 6 : 4)));
}

function limitText(limit: SideReport): string {
  return limit.variable ? `${limit.text} = ${formatNumber(limit.value)}` : limit.text;
}

function describeClause(clause: ClauseReport): string {
  const { measured, limit, op } = clause;
  if (measured !== undefined && limit !== undefined && op !== undefined) {
    const head = `${measured.text} = ${formatNumber(measured.value)}`;
    if (clause.status === 'pass') return `${head} (${op} ${limitText(limit)})`;
    if (clause.status === 'fail') return `${head}, must be ${op} ${limitText(limit)}`;
    if (clause.missing.length > 0) return `no value for ${clause.missing.join(', ')}`;
    // Every variable had a value, so a side fell to arithmetic with no answer.
    const culprit = measured.value === undefined ? measured.text : limit.text;
    return `${culprit} could not be computed (division by zero or a result out of range)`;
  }
  if (clause.status === 'unknown') {
    return clause.missing.length > 0 ? `no value for ${clause.missing.join(', ')}` : `${clause.text} could not be computed`;
  }
  return `${clause.text} is ${clause.status === 'pass' ? 'true' : 'false'}`;
}

export function explanationOf(report: ConditionReport): string {
  const clauses = report.clauses.map(describeClause);
  // Several clauses may name the same missing variable; say it once.
  const text = [...new Set(clauses)].join('; ');
  return report.status === 'unknown' ? `unknown: ${text}` : text;
}
