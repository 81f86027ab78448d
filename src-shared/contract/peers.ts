// Connected peers (PROTOCOL.md section 1) and their health on each path.
import type { IsoTs, PathName, SignalTier } from './modes';

export interface BadInputCounts {
  frame_size: number;
  bad_json: number;
  bad_checksum: number;
  auth_failed: number;
  bad_message: number;
}

export interface PeerPathHealth {
  up: boolean;
  rtt_p50_ms: number | null;
  rtt_p95_ms: number | null;
  rtt_p99_ms: number | null;
  drop_pct: number;
  handshake_failures: number;
  bad_input: BadInputCounts;
  last_error: string | null;
}

export interface Peer {
  node_id: string;
  role: 'EA' | 'SIGNAL';
  tier?: SignalTier;
  /** A GBP 1.0 peer: no handshake, no sequence numbers, best effort only. */
  legacy: boolean;
  version: string;
  active_path: PathName | null;
  connected_since_ts: IsoTs | null;
  paths: Partial<Record<PathName, PeerPathHealth>>;
}
