// Evaluates loaded constraints against one pulse. Filters decide which constraints apply now; every
// applicable constraint yields a result, with its values and a one-line "why".
import type { ConditionInput } from './dsl/slots';
import { explainCondition } from './dsl/explain';
import { explanationOf } from './explain';
import { CONSTRAINT_VARIABLE_INDEX } from './variables';
import type { ConstraintDefinition, ConstraintFilterContext, ConstraintFilters, ConstraintResult } from './types';

/**
 * Whether a constraint applies in these circumstances. Each filter list the constraint has must name the
 * current value; a circumstance the caller does not give matches no list, so a constraint restricted to,
 * say, the London session is skipped while the session is not known (it is not evaluated against a
 * market it was not written for).
 */
export function constraintApplies(filters: ConstraintFilters | undefined, context: ConstraintFilterContext = {}): boolean {
  if (filters === undefined) return true;
  if (filters.sessions !== undefined && (context.session === undefined || !filters.sessions.includes(context.session))) return false;
  if (filters.regimes !== undefined && (context.regime === undefined || !filters.regimes.includes(context.regime))) return false;
  if (filters.symbols !== undefined) {
    const symbol = context.symbol?.toUpperCase();
    if (symbol === undefined || !filters.symbols.some((s) => s.toUpperCase() === symbol)) return false;
  }
  return true;
}

/** Evaluates one constraint (whatever its filters say). */
export function evaluateConstraint(definition: ConstraintDefinition, context: ConditionInput | Float64Array): ConstraintResult {
  const compiled = definition.compiled;
  const frame = compiled.frameOf(context);
  const report = explainCondition(compiled, frame);
  const result: ConstraintResult = {
    id: definition.id,
    gate: definition.gate,
    severity: definition.severity,
    status: report.status,
    explanation: explanationOf(report),
  };
  // value / limit only for a condition that is one comparison: then they mean the same thing to everyone.
  const top = report.clauses.length === 1 && compiled.comparison !== undefined ? report.clauses[0] : undefined;
  if (top?.measured?.value !== undefined) result.value = top.measured.value;
  if (top?.limit?.value !== undefined) result.limit = top.limit.value;
  if (report.missing.length > 0) result.missing = [...report.missing];
  return result;
}

/**
 * Evaluates the constraints that apply under `filter` against one pulse: a flat record of dotted names,
 * a context such as a Map, or a frame laid out by CONSTRAINT_VARIABLE_INDEX (fastest).
 * Constraints whose filters do not match are left out of the results.
 */
export function evaluateConstraints(
  definitions: readonly ConstraintDefinition[],
  context: ConditionInput | Float64Array,
  filter: ConstraintFilterContext = {},
): ConstraintResult[] {
  // Read a record or a context once into a catalogue frame, rather than once per constraint.
  const frame = context instanceof Float64Array ? context : CONSTRAINT_VARIABLE_INDEX.frameFrom(context);
  const results: ConstraintResult[] = [];
  for (const definition of definitions) {
    if (!constraintApplies(definition.filters, filter)) continue;
    const input = definition.compiled.index === CONSTRAINT_VARIABLE_INDEX ? frame : context;
    results.push(evaluateConstraint(definition, input));
  }
  return results;
}
