// The constraints part: the condition DSL, the variable catalogue, the YAML loader and evaluation.
// Other parts import from here only.
//
// Decisions worth knowing before using it:
// - A pulse is given as a flat record keyed by the full dotted name ({ 'signal_age_s.primary': 3 }), a
//   context with get(name) such as a Map, or (fastest) a Float64Array frame laid out by
//   CONSTRAINT_VARIABLE_INDEX, NaN meaning missing. Nested objects are not walked; only own properties count.
// - Values are numbers; booleans read as 1 / 0, so flags are written `db_ok == 1`. Anything else
//   (undefined, null, strings, NaN, Infinity) is missing.
// - Missing values, division by zero and out-of-range results make a condition unknown, never pass
//   (three-valued logic: unknown and false = false, unknown or true = true).
// - Filters: a constraint listing sessions / symbols / regimes applies only when the caller names a
//   listed one; a circumstance the caller leaves out matches no list, so such constraints are skipped.

// The condition DSL
export { compile, CompiledCondition } from './dsl/compile';
export type { CompileOptions, ComparisonShape, ConditionStatus } from './dsl/compile';
export { DslError } from './dsl/errors';
export { parse, MAX_DEPTH } from './dsl/parser';
export { print } from './dsl/print';
export { checkTypes } from './dsl/check';
export type { Expr, ValueType, ArithmeticOp, CompareOp, LogicalOp, FunctionName } from './dsl/ast';
export { VariableIndex, toSlotValue } from './dsl/slots';
export type { ConditionContext, ConditionRecord, ConditionInput } from './dsl/slots';
export { explainCondition } from './dsl/explain';
export type { ConditionReport, ClauseReport, SideReport } from './dsl/explain';

// The variable catalogue
export { CONSTRAINT_VARIABLES, CONSTRAINT_VARIABLE_INDEX, EA_STATE_CODES, variableSpec } from './variables';
export type { VariableSpec, VariableSource } from './variables';

// Constraint shapes
export { GATE_NAMES, SEVERITIES, SESSIONS, REGIMES } from './types';
export type {
  GateName,
  Severity,
  Session,
  Regime,
  ConstraintFilters,
  ConstraintSpec,
  ConstraintDefinition,
  ConstraintFilterContext,
  ConstraintResult,
} from './types';

// Loading
export { loadConstraints, parseConstraints } from './loader';
export { defineConstraints } from './define';
export { ConstraintConfigError, formatIssue } from './issues';
export type { ConstraintIssue } from './issues';

// Evaluation
export { evaluateConstraints, evaluateConstraint, constraintApplies } from './evaluate';
export { explanationOf, formatNumber } from './explain';
