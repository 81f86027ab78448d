// Threshold advice from false positives, bounded per day. Pure: the numbers in, a proposal (or the
// reason there is none) out. Applying it is an operator's decision, elsewhere.
import { findThreshold, formatThreshold, withThreshold, type Threshold } from './threshold';
import type { AdviceEvidence, AdvicePolicy, FalsePositiveRate, Proposal, Trigger } from './types';

export interface ProposalInput {
  constraint_id: string;
  /** The condition as in force now. */
  condition: string;
  /** Its false-positive rate over the episodes since its threshold last changed. */
  rate: FalsePositiveRate;
  /** This constraint's values and limits at each false-positive episode. */
  fp_triggers: readonly Trigger[];
  /** The threshold 24 hours ago, if it was changed since; null: unchanged, the current value. */
  day_base_value: number | null;
  since_ts: string;
}

export type { Proposal };

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * The change (percent of the threshold) that would have let every false positive pass, when the
 * limit scales with the threshold (a bare number, or a factor); null when the values cannot say.
 */
export function neededChange_pct(t: Threshold, fp: readonly Trigger[]): number | null {
  if (!t.proportional || t.value <= 0) return null;
  let needed: number | null = null;
  for (const { value, limit } of fp) {
    if (value === null || limit === undefined || !(limit > 0) || !(value >= 0)) continue;
    const ratio = value / limit;
    // relax up: the limit must rise past the value; relax down: fall below it
    const pct = t.relax === 1 ? (ratio - 1) * 100 : (1 - ratio) * 100;
    if (pct > 0) needed = Math.max(needed ?? 0, pct);
  }
  return needed;
}

/** True when value stays within max_pct of the day's base value. */
export function withinDailyCap(base: number, value: number, max_pct: number): boolean {
  return Math.abs(value - base) <= (Math.abs(base) * max_pct) / 100 + 1e-9 * Math.max(1, Math.abs(base));
}

export function proposeThreshold(input: ProposalInput, policy: AdvicePolicy): Proposal | { skip: string } {
  const { rate } = input;
  if (rate.episodes < policy.min_episodes) return { skip: `${rate.episodes} episode(s) since ${input.since_ts}; advice needs ${policy.min_episodes}` };
  if (rate.rate <= policy.max_false_positive_rate) {
    return { skip: `false positives ${round1(rate.rate * 100)}% are within ${round1(policy.max_false_positive_rate * 100)}%` };
  }
  const t = findThreshold(input.condition);
  if ('problem' in t) return { skip: t.problem };
  const cap = policy.max_daily_change_pct;
  const needed = neededChange_pct(t, input.fp_triggers);
  const step = Math.min(cap, needed === null ? cap : needed + policy.margin_pct);
  const wanted = t.value + (t.relax * Math.abs(t.value) * step) / 100;
  // The cap holds over any 24 hours: measured from the value a day ago, not from the current one.
  const base = input.day_base_value ?? t.value;
  const room = (Math.abs(base) * cap) / 100;
  const proposed = Number(formatThreshold(Math.min(base + room, Math.max(base - room, wanted))));
  if ((proposed - t.value) * t.relax <= 0) return { skip: `the daily change cap (${cap}%) is used up since ${formatThreshold(base)}` };
  const change_pct = round1(((proposed - t.value) / Math.abs(t.value)) * 100);
  const false_positive_pct = round1(rate.rate * 100);
  const unit = t.unit === '×' ? '' : t.unit ? ` ${t.unit}` : '';
  const text =
    `${rate.false_positives} of ${rate.episodes} degrade episodes triggered by ${input.constraint_id} since ${input.since_ts.slice(0, 10)} ` +
    `cleared within the dwell with no repair (${false_positive_pct}% false positives). ` +
    `Relax ${formatThreshold(t.value)}${unit} -> ${formatThreshold(proposed)}${unit} (${change_pct > 0 ? '+' : ''}${change_pct}%; at most ${cap}% a day` +
    `${needed === null ? '' : `; the false positives needed ${round1(needed)}%`}).`;
  const evidence: AdviceEvidence = {
    text,
    episodes: rate.episodes,
    false_positives: rate.false_positives,
    false_positive_rate: rate.rate,
    episode_ids: rate.episode_ids,
    false_positive_ids: rate.false_positive_ids,
    since_ts: input.since_ts,
    needed_pct: needed === null ? null : round1(needed),
    change_pct,
    max_daily_change_pct: cap,
    day_base_value: base,
  };
  return {
    constraint_id: input.constraint_id,
    condition_before: input.condition,
    condition_after: withThreshold(input.condition, t, proposed),
    previous_value: t.value,
    proposed_value: proposed,
    unit: t.unit,
    false_positive_pct,
    evidence,
  };
}
