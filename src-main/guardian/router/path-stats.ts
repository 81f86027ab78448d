// Health figures of one path to one peer, kept across reconnects so the operator sees the
// history of a flapping path, not only its latest connection.
import type { PathName } from '../../../src-shared/protocol';

const RTT_SAMPLES = 512;
const PING_WINDOW = 200;

export interface PathHealth {
  path: PathName;
  up: boolean;
  connected: boolean;
  rtt_ms_p50: number | null;
  rtt_ms_p95: number | null;
  rtt_ms_p99: number | null;
  drop_pct: number;
  handshake_failures: number;
  bad_input: Record<string, number>;
  resent: number;
  last_error: string | null;
  last_heard_ms_ago: number | null;
  connects: number;
  disconnects: number;
}

export class PathStats {
  private readonly rtts = new Float64Array(RTT_SAMPLES);
  private rttCount = 0;
  /** Recent pings: true when echoed, false when given up on. */
  private readonly pings: boolean[] = [];
  handshakeFailures = 0;
  readonly badInput: Record<string, number> = {};
  resent = 0;
  lastError: string | null = null;
  lastHeard_ms: number | null = null;
  connects = 0;
  disconnects = 0;
  /**
   * Control-plane hook (issue 3): hears every heartbeat ping's outcome on this path, standby paths
   * included, with its round trip when echoed. The pulse's loop-around probes and the repair
   * orchestrator's shadow verification listen here.
   */
  readonly pingListeners = new Set<(echoed: boolean, rtt_ms: number | null) => void>();
  private lastRtt: number | null = null;

  constructor(readonly path: PathName) {}

  recordRtt(ms: number): void {
    this.rtts[this.rttCount % RTT_SAMPLES] = ms;
    this.rttCount++;
    this.lastRtt = ms;
  }
  recordPing(echoed: boolean): void {
    this.pings.push(echoed);
    if (this.pings.length > PING_WINDOW) this.pings.shift();
    for (const l of this.pingListeners) {
      try {
        l(echoed, echoed ? this.lastRtt : null);
      } catch {
        // a listener's bug must never stop the heartbeats
      }
    }
  }
  recordBadInput(reason: string): void {
    this.badInput[reason] = (this.badInput[reason] ?? 0) + 1;
  }

  percentile(p: number): number | null {
    const n = Math.min(this.rttCount, RTT_SAMPLES);
    if (n === 0) return null;
    // Sorted once per new sample, not once per percentile per reader (the pulse and the console read p50/p95/p99 each pulse).
    if (this.sortedAt !== this.rttCount) {
      this.sorted = Array.from(this.rtts.subarray(0, n)).sort((a, b) => a - b);
      this.sortedAt = this.rttCount;
    }
    return this.sorted[Math.min(n - 1, Math.ceil((p / 100) * n) - 1)] ?? null;
  }
  private sorted: number[] = [];
  private sortedAt = -1;

  get drop_pct(): number {
    if (this.pings.length === 0) return 0;
    let lost = 0;
    for (const ok of this.pings) if (!ok) lost++;
    return (100 * lost) / this.pings.length;
  }

  snapshot(up: boolean, connected: boolean, now_ms: number): PathHealth {
    const round = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);
    return {
      path: this.path,
      up,
      connected,
      rtt_ms_p50: round(this.percentile(50)),
      rtt_ms_p95: round(this.percentile(95)),
      rtt_ms_p99: round(this.percentile(99)),
      drop_pct: Math.round(this.drop_pct * 10) / 10,
      handshake_failures: this.handshakeFailures,
      bad_input: { ...this.badInput },
      resent: this.resent,
      last_error: this.lastError,
      last_heard_ms_ago: this.lastHeard_ms === null ? null : Math.max(0, Math.round(now_ms - this.lastHeard_ms)),
      connects: this.connects,
      disconnects: this.disconnects,
    };
  }
}
