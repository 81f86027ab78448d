// "Why?" for a condition: which comparisons made it fail (or left it unknown), with the values seen.
import type { CompareOp, Expr } from './ast';
import { childrenOf, variablesOf } from './ast';
import type { CompiledCondition, ConditionStatus } from './compile';
import type { ConditionInput } from './slots';

export interface SideReport {
  /** The side as written, e.g. 'normal_spread_pips * 2.0'. */
  readonly text: string;
  /** Its value, undefined when unknown. */
  readonly value: number | undefined;
  /** Whether it reads any variable (a side that does not is a plain limit such as 0.7). */
  readonly variable: boolean;
}

/** One clause of the condition that decided its status. */
export interface ClauseReport {
  readonly text: string;
  readonly status: ConditionStatus;
  /** For a numeric comparison: the measured side and the limit it was held to. */
  readonly op?: CompareOp;
  readonly measured?: SideReport;
  readonly limit?: SideReport;
  /** The clause's variables with no value. */
  readonly missing: readonly string[];
}

export interface ConditionReport {
  readonly status: ConditionStatus;
  /** Every variable of the condition with no value. */
  readonly missing: readonly string[];
  /** The clauses responsible: the failing ones for a fail, the unknown ones for an unknown, the whole for a pass. */
  readonly clauses: readonly ClauseReport[];
}

const FLIPPED: Readonly<Record<CompareOp, CompareOp>> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };

function statusOf(value: number | undefined): ConditionStatus {
  return value === 1 ? 'pass' : value === 0 ? 'fail' : 'unknown';
}

export function explainCondition(condition: CompiledCondition, input: ConditionInput | Float64Array): ConditionReport {
  const frame = condition.frameOf(input);
  const status = statusOf(condition.valueOf(condition.ast, frame));
  const missingNow = new Set(condition.missing(frame));

  const clause = (expr: Expr, clauseStatus: ConditionStatus): ClauseReport => {
    const missing = variablesOf(expr).filter((name) => missingNow.has(name));
    const text = condition.textOf(expr);
    if (expr.kind !== 'compare' || condition.type === 'number') return { text, status: clauseStatus, missing };
    const side = (e: Expr): SideReport => ({ text: condition.textOf(e), value: condition.valueOf(e, frame), variable: variablesOf(e).length > 0 });
    const left = side(expr.left);
    const right = side(expr.right);
    // The measured side is the one that reads the pulse; a bare number on the left becomes the limit.
    const swap = !left.variable && right.variable;
    return swap
      ? { text, status: clauseStatus, op: FLIPPED[expr.op], measured: right, limit: left, missing }
      : { text, status: clauseStatus, op: expr.op, measured: left, limit: right, missing };
  };

  // Descend through and / or while the children explain the parent's status on their own.
  const culprits = (expr: Expr, want: ConditionStatus, out: ClauseReport[]): void => {
    if (expr.kind === 'logical' && want !== 'pass') {
      const responsible = childrenOf(expr).filter((child) => statusOf(condition.valueOf(child, frame)) === want);
      if (responsible.length > 0) {
        for (const child of responsible) culprits(child, want, out);
        return;
      }
    }
    out.push(clause(expr, want));
  };

  const clauses: ClauseReport[] = [];
  culprits(condition.ast, status, clauses);
  return { status, missing: condition.variables.filter((name) => missingNow.has(name)), clauses };
}
