// A fixed-size ring of numbers: 15 minutes of pulses without allocating on every pulse.
// Missing values are NaN (a gap in the sparkline, not a zero).
export class RingBuffer {
  private readonly data: Float64Array;
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`capacity must be a positive integer, got ${capacity}`);
    this.data = new Float64Array(capacity);
  }

  get length(): number { return this.count; }

  push(value: number | null | undefined): void {
    const v = value === null || value === undefined ? NaN : value;
    if (this.count < this.capacity) {
      this.data[(this.start + this.count) % this.capacity] = v;
      this.count++;
    } else {
      this.data[this.start] = v;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** The i-th oldest value (0 = oldest), or NaN out of range. */
  at(i: number): number {
    if (i < 0 || i >= this.count) return NaN;
    return this.data[(this.start + i) % this.capacity] ?? NaN;
  }

  last(): number { return this.at(this.count - 1); }

  toArray(): number[] {
    const out = new Array<number>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.at(i);
    return out;
  }

  clear(): void { this.start = 0; this.count = 0; }
}

/**
 * At most `points` values for a sparkline, each the mean of its bucket (NaN only if the whole
 * bucket is missing): a 3,600-pulse ring drawn as ~120 points.
 */
export function downsample(ring: RingBuffer, points: number): number[] {
  const n = ring.length;
  if (n <= points) return ring.toArray();
  const out: number[] = [];
  for (let b = 0; b < points; b++) {
    const lo = Math.floor((b * n) / points);
    const hi = Math.floor(((b + 1) * n) / points);
    let sum = 0;
    let k = 0;
    for (let i = lo; i < hi; i++) {
      const v = ring.at(i);
      if (!Number.isNaN(v)) { sum += v; k++; }
    }
    out.push(k ? sum / k : NaN);
  }
  return out;
}
