import { describe, expect, it } from 'vitest';
import { HeldEventThrottle, heldSummaryText } from './held-events';

describe('held signal events', () => {
  it('shows each while they are few, and counts the rest of a window', () => {
    const t = new HeldEventThrottle(3, 1000);
    const shown = [0, 10, 20, 30, 40].map((at) => t.admit('held', at));
    expect(shown).toEqual([true, true, true, false, false]);
    expect(t.summary(500)).toBeNull(); // not a window since the first one counted
    expect(t.summary(1030)).toEqual({ held: 2, expired: 0, refused: 0, since_ms: 30 });
    expect(t.summary(5000)).toBeNull(); // told once
  });

  it('starts a fresh window a window after the last began', () => {
    const t = new HeldEventThrottle(1, 1000);
    expect(t.admit('held', 0)).toBe(true);
    expect(t.admit('expired', 999)).toBe(false);
    expect(t.admit('expired', 1000)).toBe(true);
    expect(t.summary(0, true)).toEqual({ held: 0, expired: 1, refused: 0, since_ms: 999 });
  });

  it('tells a storm once a window, however long it lasts', () => {
    const t = new HeldEventThrottle(2, 1000);
    const summaries: number[] = [];
    for (let at = 0; at < 5000; at += 1) {
      t.admit(at % 2 ? 'held' : 'expired', at);
      if (at % 250 === 0) {
        const s = t.summary(at);
        if (s) summaries.push(s.held + s.expired);
      }
    }
    // Pulses every 250 ms: told at 1250, 2500 and 3750 (a window after each count began), the
    // rest when forced; nothing lost between the shown and the counted.
    expect(summaries).toHaveLength(3);
    const rest = t.summary(5000, true)!;
    const shown = 2 * 5; // two a window, five windows
    expect(summaries.reduce((a, b) => a + b, 0) + rest.held + rest.expired + shown).toBe(5000);
  });

  it('says the counts that are not zero', () => {
    expect(heldSummaryText({ held: 12_040, expired: 0, refused: 3, since_ms: 0 }, 1)).toBe('12,040 held, 3 refused more signals in 1.0 s, counted rather than listed one by one');
  });
});
