// The last 15 minutes of pulses, for the sparklines (GET /api/metrics/recent): one sample a pulse
// in a ring, so a console that opens late still draws the quarter hour it missed.
import {
  SEED_SLO_BUDGETS, sampleOfStatus,
  type GuardianStatus, type MetricsRecent, type MetricsSample, type SloBudgets,
} from '../../../src-shared/contract';

export const HISTORY_WINDOW_S = 15 * 60;

export class StatusHistory {
  private readonly ring: (MetricsSample | undefined)[];
  private next = 0;
  private count = 0;

  constructor(readonly pulse_ms: number, readonly window_s = HISTORY_WINDOW_S, public budgets: SloBudgets = SEED_SLO_BUDGETS) {
    this.ring = new Array<MetricsSample | undefined>(Math.max(1, Math.ceil((window_s * 1000) / pulse_ms)));
  }

  record(status: GuardianStatus, ts: string): void {
    this.ring[this.next] = { ts, ...sampleOfStatus(status) };
    this.next = (this.next + 1) % this.ring.length;
    this.count = Math.min(this.count + 1, this.ring.length);
  }

  /** Oldest first, the last `window_s` seconds (all of the window by default). */
  recent(window_s = this.window_s, now_ms = Date.now()): MetricsRecent {
    const since = now_ms - Math.min(window_s, this.window_s) * 1000;
    const samples: MetricsSample[] = [];
    for (let i = 0; i < this.count; i++) {
      const s = this.ring[(this.next - this.count + i + this.ring.length) % this.ring.length]!;
      if (Date.parse(s.ts) >= since) samples.push(s);
    }
    return { pulse_ms: this.pulse_ms, window_s: Math.min(window_s, this.window_s), budgets: this.budgets, samples };
  }
}
