// The injectable clock every timer in the control plane uses (DESIGN.md section 2). Decisions are
// made on the monotonic clock (now_ms): the wall clock can jump (NTP, DST, an operator), and a
// jump must never shorten a dwell or lengthen a breaker's open time. The wall clock (wall_ms) is
// only for stamping what people read.
import { toDisposable, type Disposable } from './lifecycle';

export interface Clock {
  /** Monotonic milliseconds: never goes back; its origin is arbitrary (process start). */
  now_ms(): number;
  /** Wall-clock milliseconds since the Unix epoch, for timestamps only. */
  wall_ms(): number;
  /** Runs fn once after delay_ms (at least 1 ms, as Node does). Dispose to cancel. */
  setTimeout(fn: () => void, delay_ms: number): Disposable;
  /** Runs fn every every_ms (at least 1 ms). Dispose to stop. */
  setInterval(fn: () => void, every_ms: number): Disposable;
}

/** Node's own rule: a delay below 1 ms (or not a number) is 1 ms. */
function clampDelay(delay_ms: number): number {
  return Number.isFinite(delay_ms) && delay_ms >= 1 ? delay_ms : 1;
}

/** The real clock: performance.now() for monotonic time, Date.now() for the wall. */
export const systemClock: Clock = {
  now_ms: () => performance.now(),
  wall_ms: () => Date.now(),
  setTimeout(fn, delay_ms) {
    const handle = setTimeout(fn, clampDelay(delay_ms));
    return toDisposable(() => clearTimeout(handle));
  },
  setInterval(fn, every_ms) {
    const handle = setInterval(fn, clampDelay(every_ms));
    return toDisposable(() => clearInterval(handle));
  },
};

interface ManualTimer {
  id: number;
  due_ms: number;
  every_ms: number | null;
  fn: () => void;
}

/**
 * A clock for tests: time moves only when advance() is called, and due timers run in due order
 * (ties in the order they were set), each seeing now_ms() equal to its own due time.
 */
export class ManualClock implements Clock {
  private mono_ms: number;
  private wall_offset_ms: number;
  private timers: ManualTimer[] = [];
  private nextId = 1;
  private advancing = false;

  constructor(start: { now_ms?: number; wall_ms?: number } = {}) {
    this.mono_ms = start.now_ms ?? 0;
    this.wall_offset_ms = (start.wall_ms ?? Date.UTC(2026, 0, 5, 8, 0, 0)) - this.mono_ms;
  }

  now_ms(): number {
    return this.mono_ms;
  }

  wall_ms(): number {
    return this.mono_ms + this.wall_offset_ms;
  }

  /** Jumps the wall clock (NTP step, skew) without moving monotonic time or running timers. */
  setWall(wall_ms: number): void {
    this.wall_offset_ms = wall_ms - this.mono_ms;
  }

  setTimeout(fn: () => void, delay_ms: number): Disposable {
    return this.schedule(fn, clampDelay(delay_ms), null);
  }

  setInterval(fn: () => void, every_ms: number): Disposable {
    const every = clampDelay(every_ms);
    return this.schedule(fn, every, every);
  }

  /** Timers still waiting to run. */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by ms, running every timer that falls due on the way, in order. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`ManualClock.advance: ms must be >= 0, got ${ms}`);
    this.advanceTo(this.mono_ms + ms);
  }

  /** Moves time forward to target_ms (monotonic: never back). */
  advanceTo(target_ms: number): void {
    if (target_ms < this.mono_ms) {
      throw new RangeError(`ManualClock.advanceTo: ${target_ms} is before now (${this.mono_ms}); monotonic time never goes back`);
    }
    // A timer callback that advances the clock would run later timers inside an earlier one.
    if (this.advancing) throw new Error('ManualClock.advance called from inside a timer callback');
    this.advancing = true;
    try {
      for (let timer = this.nextDue(target_ms); timer; timer = this.nextDue(target_ms)) {
        this.mono_ms = timer.due_ms;
        if (timer.every_ms === null) this.remove(timer);
        else timer.due_ms += timer.every_ms;
        timer.fn();
      }
      this.mono_ms = target_ms;
    } finally {
      this.advancing = false;
    }
  }

  private schedule(fn: () => void, delay_ms: number, every_ms: number | null): Disposable {
    const timer: ManualTimer = { id: this.nextId++, due_ms: this.mono_ms + delay_ms, every_ms, fn };
    this.timers.push(timer);
    return toDisposable(() => this.remove(timer));
  }

  private remove(timer: ManualTimer): void {
    this.timers = this.timers.filter((t) => t !== timer);
  }

  private nextDue(target_ms: number): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const t of this.timers) {
      if (t.due_ms > target_ms) continue;
      if (!best || t.due_ms < best.due_ms || (t.due_ms === best.due_ms && t.id < best.id)) best = t;
    }
    return best;
  }
}

/** Where the monotonic and wall clocks stood when a state was saved. */
export interface SavedAt {
  now_ms: number;
  wall_ms: number;
}

export function savedAt(clock: Clock): SavedAt {
  return { now_ms: clock.now_ms(), wall_ms: clock.wall_ms() };
}

/**
 * The amount to add to a monotonic time saved by an earlier process to express it on this
 * process's monotonic clock. Monotonic origins differ between processes, so the downtime is taken
 * from the wall clock; a wall clock that went back counts as no downtime rather than as time
 * running backwards.
 */
export function monotonicShift_ms(saved: SavedAt, clock: Clock): number {
  const downtime_ms = Math.max(0, clock.wall_ms() - saved.wall_ms);
  return clock.now_ms() - downtime_ms - saved.now_ms;
}
