// The bridge's error budget: each pulse is good when orders can go out on time (a healthy path,
// bridge RTT p95 and ack latency p95 within their budgets) and bad otherwise; the burn rate is the
// bad share of the window over the share the objective allows (1x spends the budget exactly over
// the window, 14x exhausts a month's budget in about two days: Google SRE's fast-burn line).
// Pure over the caller's monotonic times: per-second buckets in a ring, O(1) a pulse.
import type { SloBudgets } from '../../../src-shared/contract';

export interface ErrorBudgetPolicy {
  /** Share of good pulses promised, e.g. 99 (so 1% may be bad). */
  objective_pct: number;
  window_s: number;
  /** No burn figure before this many seconds were judged: one bad pulse at start is not 100x. */
  min_judged_s: number;
}

export const DEFAULT_ERROR_BUDGET: ErrorBudgetPolicy = { objective_pct: 99, window_s: 3600, min_judged_s: 60 };

export interface PulseSlo {
  healthy_paths: number | null;
  bridge_rtt_p95_ms: number | null;
  ack_latency_p95_ms: number | null;
}

/** Good, bad, or not judged (no figures yet: neither spends nor earns budget). */
export function judgePulse(s: PulseSlo, budgets: Pick<SloBudgets, 'bridge_rtt_p95_ms' | 'ack_latency_p95_ms'>): 'good' | 'bad' | null {
  if (s.healthy_paths === null) return null;
  if (s.healthy_paths < 1) return 'bad';
  if (s.bridge_rtt_p95_ms !== null && s.bridge_rtt_p95_ms > budgets.bridge_rtt_p95_ms) return 'bad';
  if (s.ack_latency_p95_ms !== null && s.ack_latency_p95_ms > budgets.ack_latency_p95_ms) return 'bad';
  return 'good';
}

export class ErrorBudget {
  private readonly second: Float64Array;
  private readonly good: Uint32Array;
  private readonly bad: Uint32Array;

  constructor(private readonly policy: ErrorBudgetPolicy = DEFAULT_ERROR_BUDGET) {
    if (!(policy.objective_pct > 0 && policy.objective_pct < 100)) throw new Error(`error budget: objective_pct must be above 0 and below 100, not ${policy.objective_pct}`);
    const n = Math.max(1, Math.ceil(policy.window_s));
    this.second = new Float64Array(n).fill(Number.NaN);
    this.good = new Uint32Array(n);
    this.bad = new Uint32Array(n);
  }

  record(now_ms: number, verdict: 'good' | 'bad' | null): void {
    if (verdict === null) return;
    const s = Math.floor(now_ms / 1000);
    const i = s % this.second.length;
    if (this.second[i] !== s) {
      this.second[i] = s;
      this.good[i] = 0;
      this.bad[i] = 0;
    }
    if (verdict === 'good') this.good[i]!++;
    else this.bad[i]!++;
  }

  /** The burn rate over the window ending now, or null until enough of it was judged. */
  burn(now_ms: number): number | null {
    const now_s = Math.floor(now_ms / 1000);
    let good = 0;
    let bad = 0;
    let seconds = 0;
    for (let i = 0; i < this.second.length; i++) {
      const s = this.second[i]!;
      if (!(s > now_s - this.second.length && s <= now_s)) continue;
      good += this.good[i]!;
      bad += this.bad[i]!;
      seconds++;
    }
    if (seconds < this.policy.min_judged_s || good + bad === 0) return null;
    const allowed = 1 - this.policy.objective_pct / 100;
    return Math.round((bad / (good + bad) / allowed) * 100) / 100;
  }
}
