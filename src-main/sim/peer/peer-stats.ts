// What a peer reports about itself: per path health and traffic, and both directions of its stream.
import type { PathName, SignalTier } from '../../../src-shared/protocol';
import type { PathSession } from './session';

export interface PathStatsSnapshot {
  path: PathName;
  /** Connected and greeted. */
  connected: boolean;
  /** Fit to carry data (greeted and heard from within 3 heartbeats). */
  up: boolean;
  active: boolean;
  /** Echo round trips (socket, pipe); on the spool, file written to file acknowledged. */
  rtt_ms_p50: number | null;
  rtt_ms_p95: number | null;
  rtt_ms_p99: number | null;
  sent: number;
  acked: number;
  resent: number;
  errors: number;
  connects: number;
  disconnects: number;
  last_error: string | null;
}

export interface PeerStats {
  node_id: string;
  role: 'EA' | 'SIGNAL';
  tier: SignalTier | null;
  legacy: boolean;
  guardian_node_id: string | null;
  active_path: PathName | null;
  /** Our stream: the next seq to allocate and the highest Guardian acknowledged. */
  next_seq: number;
  acked_seq: number;
  unacked: number;
  in_flight: number;
  /** Guardian's stream: the last seq stored in order. */
  last_seq_received: number;
  delivered: number;
  duplicates_dropped: number;
  gaps_dropped: number;
  bad_input: number;
  failovers: number;
  resend_timeouts: number;
  /** ERROR messages from Guardian, by reason. */
  guardian_errors: Record<string, number>;
  paths: PathStatsSnapshot[];
}

export function pathSnapshot(s: PathSession, now_ms: number, active: boolean): PathStatsSnapshot {
  const c = s.counters;
  return {
    path: s.path,
    connected: s.connected,
    up: s.isUp(now_ms),
    active,
    rtt_ms_p50: s.rtt.percentile(50),
    rtt_ms_p95: s.rtt.percentile(95),
    rtt_ms_p99: s.rtt.percentile(99),
    sent: c.sent,
    acked: c.acked,
    resent: c.resent,
    errors: c.errors,
    connects: c.connects,
    disconnects: c.disconnects,
    last_error: c.last_error,
  };
}
