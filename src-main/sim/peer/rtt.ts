// Round-trip times of one path: a ring of the latest samples, percentiles on demand (stats are
// read once a second, samples arrive every heartbeat).
const SAMPLES = 512;

export class RttSamples {
  private readonly ring = new Float64Array(SAMPLES);
  private count = 0;

  record(ms: number): void {
    this.ring[this.count % SAMPLES] = ms;
    this.count++;
  }

  get size(): number {
    return Math.min(this.count, SAMPLES);
  }

  /** The p-th percentile in ms (nearest rank), rounded to µs; null before the first sample. */
  percentile(p: number): number | null {
    const n = this.size;
    if (n === 0) return null;
    const sorted = Array.from(this.ring.subarray(0, n)).sort((a, b) => a - b);
    const v = sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))]!;
    return Math.round(v * 1000) / 1000;
  }
}
