// The control plane: the loop pulse -> constraints -> gates -> agents -> modes -> effects on the
// data plane, with repair, breakers and the status the API returns. Other parts import from here.
export { ConstraintEngine, decide } from './engine';
export type { Decision, DecisionInput, SubsystemScores } from './engine';
