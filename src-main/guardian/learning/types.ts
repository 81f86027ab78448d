// Learning's shapes: outcomes of degrade episodes and repairs, false-positive rates, and advice.
// Snake_case like the SQLite columns they mirror.
import type { Mode } from '../../../src-shared/contract';

export type { Mode };

/** A constraint that failed when an episode began, with its value then (null: unknown). */
export interface Trigger {
  constraint_id: string;
  value: number | null;
  limit?: number;
}

/** One degrade episode (cleared_ts null while it lasts) or one repair (a runbook run). */
export interface Outcome {
  id: number;
  kind: 'degrade' | 'repair';
  mode: Mode;
  /** Degrade: when the mode was entered. Repair: when the runbook started. */
  entered_ts: string;
  /** Degrade: when it cleared. Repair: when the runbook finished. */
  cleared_ts: string | null;
  duration_s: number | null;
  /**
   * Degrade: seconds from entering until the run of clean pulses that ended it began. Unknown
   * (null) means duration_s - dwell_s: leaving always waits one full dwell of clean pulses.
   */
  cleared_after_s: number | null;
  /** The dwell the mode manager applied (policy dwell_seconds at the time). */
  dwell_s: number;
  /** Degrade: a runbook repaired something during it. Repair: the runbook succeeded. */
  repaired: boolean;
  runbook: string | null;
  constraints: Trigger[];
  incident_id: string | null;
}

export interface FalsePositiveRate {
  constraint_id: string;
  /** Closed episodes this constraint triggered. */
  episodes: number;
  /** ... of which cleared within the dwell with no repair. */
  false_positives: number;
  /** false_positives / episodes, 0..1. */
  rate: number;
  episode_ids: number[];
  false_positive_ids: number[];
}

export interface LearningSummary {
  degrade_episodes_1h: number;
  /** null when no repair ran in the window. */
  repair_success_pct: number | null;
  /** Over every closed degrade episode in the window; null when there was none. */
  false_positive_rate_pct: number | null;
}

export interface AdvicePolicy {
  /** Advise on a constraint whose false-positive rate is above this (0..1) ... */
  max_false_positive_rate: number;
  /** ... over at least this many episodes since its threshold last changed. */
  min_episodes: number;
  /** A threshold moves at most this much (percent of its value) in any 24 hours. */
  max_daily_change_pct: number;
  /** Added to the change the evidence asks for, so the next identical blip clears the new limit. */
  margin_pct: number;
  /** Episodes older than this are not evidence. */
  window_days: number;
}

export const DEFAULT_ADVICE_POLICY: AdvicePolicy = {
  max_false_positive_rate: 0.3,
  min_episodes: 5,
  max_daily_change_pct: 10,
  margin_pct: 2,
  window_days: 30,
};

export type AdviceState = 'proposed' | 'applied' | 'rolled_back' | 'superseded';

/** Why an advice says what it says: stored with it, shown with it. */
export interface AdviceEvidence {
  /** The same in plain English, for the console. */
  text: string;
  episodes: number;
  false_positives: number;
  false_positive_rate: number;
  episode_ids: number[];
  false_positive_ids: number[];
  since_ts: string;
  /** The change the values at the false positives asked for (percent), when they could say. */
  needed_pct: number | null;
  /** The change proposed (percent of the current value, signed). */
  change_pct: number;
  max_daily_change_pct: number;
  /** The threshold's value 24 hours ago, from which the daily cap is measured. */
  day_base_value: number;
}

/** A proposed threshold change with its evidence, before it is stored. */
export interface Proposal {
  constraint_id: string;
  condition_before: string;
  condition_after: string;
  previous_value: number;
  proposed_value: number;
  unit: string | null;
  false_positive_pct: number;
  evidence: AdviceEvidence;
}

/** A stored proposal and what operators did with it. */
export interface AdviceRecord extends Proposal {
  id: number;
  created_ts: string;
  state: AdviceState;
  applied_ts: string | null;
  applied_by: string | null;
  rolled_back_ts: string | null;
  rolled_back_by: string | null;
}

export class LearningError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LearningError';
  }
}
