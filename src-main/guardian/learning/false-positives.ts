// False positives, computed from outcomes. Pure.
//
// A degrade episode is a false positive when it cleared within the dwell with no repair: the
// trigger went away by itself within one dwell of entering, so the only time spent degraded was
// the dwell the mode manager always waits before leaving. Nothing was broken that needed fixing.
import type { FalsePositiveRate, LearningSummary, Outcome } from './types';

/** Seconds from entering until the clean run that ended the episode began; null while open. */
export function clearedAfter_s(o: Outcome): number | null {
  if (o.cleared_after_s !== null) return o.cleared_after_s;
  if (o.duration_s === null) return null;
  return Math.max(0, o.duration_s - o.dwell_s);
}

export function isFalsePositive(o: Outcome): boolean {
  if (o.kind !== 'degrade' || o.cleared_ts === null || o.repaired) return false;
  const after = clearedAfter_s(o);
  return after !== null && after <= o.dwell_s;
}

/**
 * Per constraint: the closed episodes it triggered, and the share that were false positives.
 * An episode triggered by two constraints counts for both. Sorted by rate, then id.
 */
export function falsePositiveRates(outcomes: readonly Outcome[]): FalsePositiveRate[] {
  const by = new Map<string, FalsePositiveRate>();
  for (const o of outcomes) {
    if (o.kind !== 'degrade' || o.cleared_ts === null) continue;
    const fp = isFalsePositive(o);
    for (const id of new Set(o.constraints.map((t) => t.constraint_id))) {
      const r = by.get(id) ?? { constraint_id: id, episodes: 0, false_positives: 0, rate: 0, episode_ids: [], false_positive_ids: [] };
      by.set(id, r);
      r.episodes++;
      r.episode_ids.push(o.id);
      if (fp) {
        r.false_positives++;
        r.false_positive_ids.push(o.id);
      }
    }
  }
  const rates = [...by.values()].map((r) => ({ ...r, rate: r.false_positives / r.episodes }));
  return rates.sort((a, b) => b.rate - a.rate || a.constraint_id.localeCompare(b.constraint_id));
}

/** What the learning agent reads each pulse. */
export function summarise(outcomes: readonly Outcome[], now_wall_ms: number): LearningSummary {
  const hourAgo = now_wall_ms - 3_600_000;
  const degrades = outcomes.filter((o) => o.kind === 'degrade');
  const closed = degrades.filter((o) => o.cleared_ts !== null);
  const repairs = outcomes.filter((o) => o.kind === 'repair' && o.cleared_ts !== null);
  const pct = (n: number, of: number) => (of === 0 ? null : Math.round((n / of) * 1000) / 10);
  return {
    degrade_episodes_1h: degrades.filter((o) => Date.parse(o.entered_ts) >= hourAgo).length,
    repair_success_pct: pct(repairs.filter((o) => o.repaired).length, repairs.length),
    false_positive_rate_pct: pct(closed.filter(isFalsePositive).length, closed.length),
  };
}
