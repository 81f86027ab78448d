// The timeline's events for held signals: one each while they are few, a count once they are not.
// A hold at full rate holds and expires tens of thousands of signals a second; an event each made
// the control plane spend more on its timeline than on the signals (and no one reads 50,000 lines).
// Pure: the caller passes the time.

export type HeldOutcome = 'held' | 'expired' | 'refused';

export interface HeldSummary {
  held: number;
  expired: number;
  refused: number;
  /** When the first one counted (not shown) happened. */
  since_ms: number;
}

export class HeldEventThrottle {
  private windowStart_ms = -Infinity;
  private shown = 0;
  private counted: HeldSummary | null = null;

  constructor(
    /** Shown one by one in each window; the rest are counted. */
    private readonly perWindow = 20,
    private readonly window_ms = 1000,
  ) {}

  /** True: tell this one as an event of its own. False: it is counted for the next summary. */
  admit(outcome: HeldOutcome, now_ms: number): boolean {
    if (now_ms - this.windowStart_ms >= this.window_ms) {
      this.windowStart_ms = now_ms;
      this.shown = 0;
    }
    if (this.shown < this.perWindow) {
      this.shown++;
      return true;
    }
    const c = (this.counted ??= { held: 0, expired: 0, refused: 0, since_ms: now_ms });
    c[outcome]++;
    return false;
  }

  /**
   * What was counted and not shown, once a window's time has passed since the first of it (so a
   * storm is told once a window, however long it lasts), or at once with `force`; null when nothing was.
   */
  summary(now_ms: number, force = false): HeldSummary | null {
    const c = this.counted;
    if (c === null || (!force && now_ms - c.since_ms < this.window_ms)) return null;
    this.counted = null;
    return c;
  }
}

/** "1,204 held, 998 expired": the counts that are not zero, in words. */
export function heldSummaryText(s: HeldSummary, window_s: number): string {
  const parts = (['held', 'expired', 'refused'] as const).filter((k) => s[k] > 0).map((k) => `${s[k].toLocaleString('en-US')} ${k}`);
  return `${parts.join(', ')} more signals in ${window_s.toFixed(1)} s, counted rather than listed one by one`;
}
