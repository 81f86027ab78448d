import { describe, expect, it } from 'vitest';
import { ManualClock, monotonicShift_ms, savedAt, systemClock } from './clock';

describe('ManualClock', () => {
  it('runs due timers in due order, each seeing its own due time', () => {
    const clock = new ManualClock();
    const seen: string[] = [];
    clock.setTimeout(() => seen.push(`b@${clock.now_ms()}`), 200);
    clock.setTimeout(() => seen.push(`a@${clock.now_ms()}`), 100);
    clock.setTimeout(() => seen.push(`c@${clock.now_ms()}`), 300);
    clock.advance(250);
    expect(seen).toEqual(['a@100', 'b@200']);
    expect(clock.now_ms()).toBe(250);
    clock.advance(50);
    expect(seen).toEqual(['a@100', 'b@200', 'c@300']);
  });

  it('runs timers due at the same time in the order they were set', () => {
    const clock = new ManualClock();
    const seen: number[] = [];
    for (const n of [1, 2, 3]) clock.setTimeout(() => seen.push(n), 10);
    clock.advance(10);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('repeats intervals until disposed, interleaved with timeouts', () => {
    const clock = new ManualClock();
    const seen: string[] = [];
    const tick = clock.setInterval(() => seen.push(`i${clock.now_ms()}`), 250);
    clock.setTimeout(() => seen.push(`t${clock.now_ms()}`), 600);
    clock.advance(1000);
    expect(seen).toEqual(['i250', 'i500', 't600', 'i750', 'i1000']);
    tick.dispose();
    clock.advance(1000);
    expect(seen).toHaveLength(5);
    expect(clock.pending).toBe(0);
  });

  it('runs a timer set by a callback when it falls due within the same advance', () => {
    const clock = new ManualClock();
    const seen: number[] = [];
    clock.setTimeout(() => clock.setTimeout(() => seen.push(clock.now_ms()), 100), 100);
    clock.advance(250);
    expect(seen).toEqual([200]);
  });

  it('treats delays below 1 ms as 1 ms, like Node', () => {
    const clock = new ManualClock();
    let ran = 0;
    clock.setTimeout(() => ran++, 0);
    clock.advance(0);
    expect(ran).toBe(0);
    clock.advance(1);
    expect(ran).toBe(1);
  });

  it('does not run a cancelled timer', () => {
    const clock = new ManualClock();
    let ran = false;
    clock.setTimeout(() => (ran = true), 10).dispose();
    clock.advance(100);
    expect(ran).toBe(false);
  });

  it('never goes back, and refuses to advance from inside a timer', () => {
    const clock = new ManualClock({ now_ms: 500 });
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advanceTo(499)).toThrow(RangeError);
    clock.setTimeout(() => clock.advance(1), 1);
    expect(() => clock.advance(5)).toThrow(/inside a timer/);
  });

  it('moves the wall clock with monotonic time, and lets a test jump the wall alone', () => {
    const clock = new ManualClock({ now_ms: 0, wall_ms: 1_000_000 });
    clock.advance(500);
    expect(clock.wall_ms()).toBe(1_000_500);
    clock.setWall(0);
    expect(clock.now_ms()).toBe(500);
    expect(clock.wall_ms()).toBe(0);
  });
});

describe('monotonicShift_ms', () => {
  it('carries a saved monotonic time into a new process, counting the downtime from the wall clock', () => {
    const saved = { now_ms: 90_000, wall_ms: 1_000_000 };
    // The new process started 5 s of wall time later, its monotonic clock at 2 s.
    const clock = new ManualClock({ now_ms: 2_000, wall_ms: 1_005_000 });
    const shift = monotonicShift_ms(saved, clock);
    // A deadline 10 s after the save has 5 s left now.
    expect(90_000 + 10_000 + shift - clock.now_ms()).toBe(5_000);
  });

  it('counts a wall clock that went back as no downtime', () => {
    const clock = new ManualClock({ now_ms: 0, wall_ms: 500 });
    expect(monotonicShift_ms({ now_ms: 100, wall_ms: 1_000 }, clock)).toBe(-100);
    expect(savedAt(clock)).toEqual({ now_ms: 0, wall_ms: 500 });
  });
});

describe('systemClock', () => {
  it('is monotonic and cancellable', async () => {
    const a = systemClock.now_ms();
    const b = systemClock.now_ms();
    expect(b).toBeGreaterThanOrEqual(a);
    expect(Math.abs(systemClock.wall_ms() - Date.now())).toBeLessThan(1000);
    let ran = false;
    systemClock.setTimeout(() => (ran = true), 1).dispose();
    await new Promise((resolve) => systemClock.setTimeout(() => resolve(undefined), 5));
    expect(ran).toBe(false);
  });
});
