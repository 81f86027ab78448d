// The loop-around probes of one path to one peer: every heartbeat ping Guardian sends on every
// path (standby paths included) comes back as an echo with its round trip, or is given up on.
// This keeps the recent window of those outcomes, and the sessions the path lost or failed to
// open, for the probe quorum.
import type { PathName } from '../../../src-shared/protocol';
import type { PathHealth } from '../router';
import { probeQuorum, type ProbeBudget, type QuorumResult } from './quorum';
import { RollingWindow } from './rolling';

export interface ProbeWindows {
  /** Latency and drop probes look this far back. */
  probe_window_s: number;
  /** Lost sessions and failed handshakes count this long. */
  session_window_s: number;
}

export const DEFAULT_PROBE_WINDOWS: ProbeWindows = { probe_window_s: 10, session_window_s: 60 };

export class PathProbe {
  readonly rtts: RollingWindow;
  private readonly outcomes: RollingWindow;
  private readonly minute = new RollingWindow(60_000, 2048);
  private readonly sessions: RollingWindow;
  private lastFailures: number | null = null;
  pings = 0;
  echoes = 0;

  constructor(
    readonly peer: string,
    readonly path: PathName,
    windows: ProbeWindows,
  ) {
    this.rtts = new RollingWindow(windows.probe_window_s * 1000, 1024);
    this.outcomes = new RollingWindow(windows.probe_window_s * 1000, 1024);
    this.sessions = new RollingWindow(windows.session_window_s * 1000, 256);
  }

  onPing(echoed: boolean, rtt_ms: number | null, now_ms: number): void {
    this.pings++;
    this.outcomes.push(now_ms, echoed ? 0 : 1);
    this.minute.push(now_ms, echoed ? 0 : 1);
    if (echoed && rtt_ms !== null) {
      this.echoes++;
      this.rtts.push(now_ms, rtt_ms);
    }
  }

  /** Reads the path's cumulative counters once a pulse: new failed handshakes and lost sessions. */
  observe(health: PathHealth, now_ms: number): void {
    const failures = health.handshake_failures + health.disconnects;
    if (this.lastFailures !== null && failures > this.lastFailures) this.sessions.push(now_ms, failures - this.lastFailures);
    this.lastFailures = failures;
  }

  /** Mean round trip of the pings echoed in the last `ms`, or NaN. */
  recentRtt(now_ms: number, ms: number): number {
    let sum = 0;
    let n = 0;
    this.rtts.forEach(now_ms, (v, t) => {
      if (t >= now_ms - ms) {
        sum += v;
        n++;
      }
    });
    return n > 0 ? sum / n : Number.NaN;
  }

  /** Pings lost in the last minute, in percent; NaN before any ping. */
  dropPctMinute(now_ms: number): number {
    const s = this.minute.stats(now_ms);
    return s.count > 0 ? s.mean * 100 : Number.NaN;
  }

  quorum(now_ms: number, budget: ProbeBudget): QuorumResult {
    const rtt = this.rtts.stats(now_ms);
    const out = this.outcomes.stats(now_ms);
    return probeQuorum(
      {
        latency_ms: rtt.count > 0 ? rtt.p95 : null,
        drop_pct: out.count > 0 ? out.mean * 100 : null,
        handshake_failures: this.lastFailures === null ? null : this.sessions.sum(now_ms),
      },
      budget,
    );
  }
}
