// Quality gates: constraint results in, four 0-100 gate scores and an approval out. Pure.
export { GATE_NAMES } from './types';
export type { ConstraintResult, GateCounts, GateName, GateReport, GateScore, GateStatus } from './types';
export { DEFAULT_GATE_POLICY, gatePolicy } from './policy';
export type { GatePolicy } from './policy';
export { contributionOf, describeConstraint, formatValue, gateStatus, scoreGate, scoreGates } from './score';
