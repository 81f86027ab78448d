// Time-windowed samples with their percentiles: the pulse's baselines (p95 bridge latency over
// five minutes, the rolling median spread, ...). A ring of (time, value) pairs on the monotonic
// clock; samples older than the window fall out when read. Pure apart from the times it is given.

export interface RollingStats {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  min: number;
  max: number;
  mean: number;
}

const EMPTY: RollingStats = { count: 0, p50: Number.NaN, p95: Number.NaN, p99: Number.NaN, min: Number.NaN, max: Number.NaN, mean: Number.NaN };

/** Nearest rank, as PathStats does it: the smallest value with at least p% of the samples at or below it. */
export function percentileOfSorted(sorted: ArrayLike<number>, n: number, p: number): number {
  if (n === 0) return Number.NaN;
  const rank = Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1));
  return sorted[rank] ?? Number.NaN;
}

export class RollingWindow {
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private head = 0; // index of the oldest sample
  private size = 0;
  private scratch: Float64Array;
  private cached: { version: number; stats: RollingStats } | null = null;
  private version = 0;

  /**
   * @param window_ms how far back a sample counts
   * @param capacity the most samples kept (the oldest go first when full): bounds memory whatever the rate
   */
  constructor(
    readonly window_ms: number,
    readonly capacity = 4096,
  ) {
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
    this.scratch = new Float64Array(Math.min(capacity, 256));
  }

  /** Adds a sample; non-finite values are ignored (a missing reading is not a zero). */
  push(t_ms: number, value: number): void {
    if (!Number.isFinite(value)) return;
    const at = (this.head + this.size) % this.capacity;
    this.times[at] = t_ms;
    this.values[at] = value;
    if (this.size < this.capacity) this.size++;
    else this.head = (this.head + 1) % this.capacity;
    this.version++;
  }

  /** Drops samples older than the window. */
  prune(now_ms: number): void {
    const horizon = now_ms - this.window_ms;
    let dropped = false;
    while (this.size > 0 && (this.times[this.head] ?? 0) < horizon) {
      this.head = (this.head + 1) % this.capacity;
      this.size--;
      dropped = true;
    }
    if (dropped) this.version++;
  }

  count(now_ms: number): number {
    this.prune(now_ms);
    return this.size;
  }

  clear(): void {
    this.size = 0;
    this.head = 0;
    this.version++;
  }

  /** The newest sample, or undefined. */
  latest(): { t_ms: number; value: number } | undefined {
    if (this.size === 0) return undefined;
    const at = (this.head + this.size - 1) % this.capacity;
    return { t_ms: this.times[at] ?? 0, value: this.values[at] ?? Number.NaN };
  }

  /** Calls fn for each live sample, oldest first. */
  forEach(now_ms: number, fn: (value: number, t_ms: number) => void): void {
    this.prune(now_ms);
    for (let i = 0; i < this.size; i++) {
      const at = (this.head + i) % this.capacity;
      fn(this.values[at] ?? Number.NaN, this.times[at] ?? 0);
    }
  }

  sum(now_ms: number): number {
    let s = 0;
    this.forEach(now_ms, (v) => (s += v));
    return s;
  }

  /** Count, percentiles, min, max and mean of the live samples (NaN when there are none); one sort, cached until the window changes. */
  stats(now_ms: number): RollingStats {
    this.prune(now_ms);
    if (this.cached && this.cached.version === this.version) return this.cached.stats;
    const n = this.size;
    if (n === 0) {
      this.cached = { version: this.version, stats: EMPTY };
      return EMPTY;
    }
    if (this.scratch.length < n) this.scratch = new Float64Array(Math.max(n, this.scratch.length * 2));
    const view = this.scratch.subarray(0, n);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const v = this.values[(this.head + i) % this.capacity] ?? 0;
      view[i] = v;
      sum += v;
    }
    view.sort();
    const stats: RollingStats = {
      count: n,
      p50: percentileOfSorted(view, n, 50),
      p95: percentileOfSorted(view, n, 95),
      p99: percentileOfSorted(view, n, 99),
      min: view[0] ?? Number.NaN,
      max: view[n - 1] ?? Number.NaN,
      mean: sum / n,
    };
    this.cached = { version: this.version, stats };
    return stats;
  }
}
