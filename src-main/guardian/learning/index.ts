// Learning's door: outcomes of degrade episodes and repairs, false-positive rates per constraint,
// and bounded threshold advice. Tables: migration 3 in ../store.
//
// Decisions worth knowing before using it:
// - A false positive is a degrade episode that cleared within the dwell with no repair (see
//   false-positives.ts for how "cleared" is measured).
// - Advice relaxes the one number in a condition, at most max_daily_change_pct (10%) in any 24
//   hours, judged on the episodes since that constraint's threshold last changed. It is stored
//   with its evidence and the value it replaces, and never applied by Guardian: applyAdvice and
//   rollbackAdvice need a named operator and a reason, and are audited in the incident log in
//   the same transaction as the change.
// - The constraint repository owns the conditions in force: load effectiveConditions() over the
//   YAML at start, and the `condition` of each accepted apply/rollback as it happens.
export { Learning, type AdviceChange, type ConstraintCondition, type LearningOptions } from './learning';
export { clearedAfter_s, isFalsePositive, falsePositiveRates, summarise } from './false-positives';
export { findThreshold, withThreshold, formatThreshold, type Threshold } from './threshold';
export { proposeThreshold, neededChange_pct, withinDailyCap, type Proposal, type ProposalInput } from './advise';
export { adviceId, parseAdviceId, toAdviceView, type AdviceView } from './views';
export { DEFAULT_ADVICE_POLICY, LearningError } from './types';
export type {
  AdviceEvidence, AdvicePolicy, AdviceRecord, AdviceState, FalsePositiveRate, LearningSummary, Outcome, Trigger,
} from './types';
