// What a peer is told at construction, with the defaults of config/guardian.yaml.
import type { Envelope, ErrorPayload, PathName, SignalTier } from '../../../src-shared/protocol';

export interface PeerPaths {
  socket?: { host: string; port: number };
  /** A Unix domain socket path, or a Windows named pipe (\\.\pipe\name). */
  pipe?: { path: string };
  /** The spool root (it holds from_ea/ and to_ea/): one EA per directory, EAs only. */
  spool?: { dir: string; poll_ms?: number; stale_ms?: number };
}

export interface PeerOptions {
  role: 'EA' | 'SIGNAL';
  node_id: string;
  /** Required for role SIGNAL (Guardian refuses a SIGNAL HELLO without it). */
  tier?: SignalTier;
  /** Where the peer keeps its SQLite state (peer.db). */
  dataDir: string;
  paths: PeerPaths;
  /** Our ping interval, and the silence unit: a path silent 3 intervals is down. Default 250. */
  heartbeat_ms?: number;
  /** Shared HMAC-SHA256 key: every frame is signed, and Guardian's frames must be. */
  hmacKey?: string;
  /** Messages in flight before waiting for ACKs. Default 8192. */
  window?: number;
  /** No ACK progress this long: go back to the last ACK and resend. Default 1000. */
  resend_timeout_ms?: number;
  /** A higher-priority path must be up this long before it takes the traffic back. Default 1000. */
  switchback_ms?: number;
  /** No HELLO_ACK this long after connecting: close and reconnect. Default 5000. */
  hello_timeout_ms?: number;
  /** Send each data message on the two best paths (PROTOCOL.md 5.4). */
  dualWrite?: boolean;
  /** Speak 1.0: no HELLO, flat envelope, no seq, no ACKs (socket and pipe only). */
  legacy?: boolean;
  /** Extra fields of HELLO. */
  account?: string;
  symbols?: string[];
  /** Called once per Guardian message, in seq order, after it is stored (and before the ACK leaves). */
  onMessage?: (envelope: Envelope, info: DeliveryInfo) => void;
  /**
   * Called once per new Guardian message as it arrives in seq order, before it is stored: its
   * receipt (the benchmark's latency figure ends here; onMessage follows once it is stored).
   */
  onReceive?: (envelope: Envelope, path: PathName) => void;
  /**
   * Called once per message of ours as it first goes on the wire (after our own store; a resend
   * is not told again): where the benchmark's Guardian-hop latency starts.
   */
  onWire?: (seq: number, path: PathName) => void;
  /** Guardian's ERROR messages (policy refusals, bad input it saw from us). */
  onError?: (error: ErrorPayload, path: PathName) => void;
  /** Each heartbeat echo's round trip, as it comes back (the benchmark's steady-state window). */
  onEcho?: (path: PathName, rtt_ms: number) => void;
  /** Allow faults.kill() (process.exit): the simulator's process mode only. */
  processMode?: boolean;
  /** Diagnostics (connects, failovers, refusals); default silent. */
  log?: (line: string) => void;
}

export interface DeliveryInfo {
  /** Where it arrived; 'store' when handed over again at start. */
  path: PathName | 'store';
  /** True when handed over again at start: stored before a crash, perhaps handed over already. */
  redelivered: boolean;
}

export interface ResolvedPeerOptions extends Required<Omit<PeerOptions, 'tier' | 'hmacKey' | 'onMessage' | 'onReceive' | 'onWire' | 'onError' | 'onEcho' | 'account' | 'symbols' | 'log'>> {
  tier: SignalTier | undefined;
  hmacKey: string | undefined;
  account: string | undefined;
  symbols: string[] | undefined;
  log: (line: string) => void;
}

export function resolveOptions(o: PeerOptions): ResolvedPeerOptions {
  if (o.role === 'SIGNAL' && !o.tier) throw new TypeError(`peer ${o.node_id}: a SIGNAL peer needs a tier`);
  if (!o.paths.socket && !o.paths.pipe && !o.paths.spool) throw new TypeError(`peer ${o.node_id}: configure at least one path`);
  if (o.legacy && o.paths.spool) throw new TypeError(`peer ${o.node_id}: a legacy 1.0 peer has no spool path`);
  // The spool's folders are from_ea/ and to_ea/: one terminal's, and Guardian greets whoever writes there as an EA.
  if (o.role !== 'EA' && o.paths.spool) throw new TypeError(`peer ${o.node_id}: the spool path is for an EA only`);
  return {
    role: o.role,
    node_id: o.node_id,
    tier: o.tier,
    dataDir: o.dataDir,
    paths: o.paths,
    heartbeat_ms: o.heartbeat_ms ?? 250,
    hmacKey: o.hmacKey,
    window: o.window ?? 8192,
    resend_timeout_ms: o.resend_timeout_ms ?? 1000,
    switchback_ms: o.switchback_ms ?? 1000,
    hello_timeout_ms: o.hello_timeout_ms ?? 5000,
    dualWrite: o.dualWrite ?? false,
    legacy: o.legacy ?? false,
    account: o.account,
    symbols: o.symbols,
    processMode: o.processMode ?? false,
    log: o.log ?? (() => {}),
  };
}
