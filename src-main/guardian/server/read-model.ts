// The data plane as the console reads it: the router's peers, paths and buffer (Guardian.status())
// mapped onto the contract's shapes (src-shared/contract/status.ts, peers.ts, signals.ts). Pure,
// apart from the two read-only queries of the router's tables at the end.
import {
  PATH_PRIORITY,
  type BadInputCounts, type BufferStatus, type DeadLetter, type HeldSignal, type HeldState, type PathMetrics, type PathName,
  type PathSwitch, type Peer, type PeerPathHealth, type Routes, type SignalTier,
} from '../../../src-shared/contract';
import type { DataPlaneStatus, PeerStatus } from '../guardian';
import type { PathHealth } from '../router';
import type { Db } from '../store';

const TIERS: readonly string[] = ['primary', 'cached', 'heuristic'];
const round1 = (v: number) => Math.round(v * 10) / 10;

/** The peers the route is about: the EAs (the bridge to MT4); every peer when no EA is known. */
function routePeers(dp: DataPlaneStatus): PeerStatus[] {
  const eas = dp.peers.filter((p) => p.role === 'EA');
  return eas.length ? eas : dp.peers;
}

function healthOf(peer: PeerStatus, path: PathName): PathHealth | undefined {
  return peer.paths.find((h) => h.path === path);
}

/**
 * Active path, standbys and per-path figures. With several EAs a path is healthy only when it is
 * up for every one of them, and its figures are the worst of them: the console shows the path at
 * its weakest.
 */
export function routesOf(dp: DataPlaneStatus, enabled: readonly PathName[], downReason: (peer: string, path: PathName) => string | undefined = () => undefined): Routes {
  const peers = routePeers(dp);
  const votes = new Map<PathName, number>();
  for (const p of peers) if (p.active_path) votes.set(p.active_path, (votes.get(p.active_path) ?? 0) + 1);
  const paths = PATH_PRIORITY.filter((p) => enabled.includes(p));
  // Nothing connected: the first enabled path is named active, and every path shows unhealthy.
  const active = [...votes].sort((a, b) => b[1] - a[1] || PATH_PRIORITY.indexOf(a[0]) - PATH_PRIORITY.indexOf(b[0]))[0]?.[0] ?? paths[0] ?? 'socket';
  const metrics: Partial<Record<PathName, PathMetrics>> = {};
  for (const path of paths) {
    const hs = peers.map((p) => healthOf(p, path)).filter((h): h is PathHealth => h !== undefined);
    const healthy = hs.length > 0 && hs.length === peers.length && hs.every((h) => h.up);
    // A path that is down has no latency now: its old round trips would read as a live figure.
    const latencies = healthy ? hs.map((h) => h.rtt_ms_p95).filter((v): v is number => v !== null) : [];
    // Why it is down: the link's own error, else how it went (a peer closing is no error to the link).
    const down = peers.find((p) => !healthOf(p, path)?.up);
    const m: PathMetrics = {
      healthy,
      drop_pct: round1(Math.max(0, ...hs.map((h) => h.drop_pct))),
      retries: hs.reduce((n, h) => n + h.resent, 0),
      acks_per_s: path === active ? dp.buffer.deq_per_s : 0,
      queue_depth: peers.filter((p) => p.active_path === path).reduce((n, p) => n + p.unacked, 0),
      last_error: hs.find((h) => h.last_error)?.last_error ?? (down ? downReason(down.node_id, path) ?? null : null),
    };
    if (latencies.length) m.latency_ms = round1(Math.max(...latencies));
    metrics[path] = m;
  }
  return { active, standby: paths.filter((p) => p !== active), metrics };
}

export function bufferOf(dp: DataPlaneStatus): BufferStatus {
  const b = dp.buffer;
  return { depth: b.depth, enq_per_s: b.enq_per_s, deq_per_s: b.deq_per_s, oldest_age_s: round1(b.oldest_age_s ?? 0), held: b.held };
}

export function badInputOf(counts: Record<string, number>): BadInputCounts {
  const n = (k: string) => counts[k] ?? 0;
  return { frame_size: n('FRAME_SIZE'), bad_json: n('BAD_JSON'), bad_checksum: n('BAD_CHECKSUM'), auth_failed: n('AUTH_FAILED'), bad_message: n('BAD_MESSAGE') };
}

export function peersOf(dp: DataPlaneStatus): Peer[] {
  return dp.peers.map((p): Peer => {
    const paths: Partial<Record<PathName, PeerPathHealth>> = {};
    for (const h of p.paths) {
      // A path the peer never used is not one of its paths.
      if (!h.connected && h.connects === 0) continue;
      paths[h.path] = {
        up: h.up, rtt_p50_ms: h.rtt_ms_p50, rtt_p95_ms: h.rtt_ms_p95, rtt_p99_ms: h.rtt_ms_p99, drop_pct: h.drop_pct,
        handshake_failures: h.handshake_failures, bad_input: badInputOf(h.bad_input), last_error: h.last_error,
      };
    }
    const peer: Peer = {
      node_id: p.node_id,
      role: p.role === 'EA' ? 'EA' : 'SIGNAL',
      // The router does not keep the negotiated version; a legacy peer speaks GBP 1.0, the others 1.2.
      legacy: p.legacy,
      version: p.legacy ? '1.0' : '1.2',
      active_path: p.active_path,
      connected_since_ts: null,
      paths,
    };
    if (p.tier && TIERS.includes(p.tier)) peer.tier = p.tier as SignalTier;
    return peer;
  });
}

/** The newest switch of any EA (any peer when there is none), and whether a person caused it. */
export function lastSwitchOf(dp: DataPlaneStatus): PathSwitch | null {
  let best: PathSwitch | null = null;
  for (const p of routePeers(dp)) {
    const s = p.last_switch;
    if (!s || !s.from || !s.to) continue;
    if (best && Date.parse(best.ts) >= Date.parse(s.ts)) continue;
    best = { ts: s.ts, from: s.from, to: s.to, reason: s.reason, actor: /forced by (the operator|operator:)/.test(s.reason) ? 'operator' : 'guardian' };
  }
  return best;
}

// ---- the router's tables (read only) -----------------------------------------------------------

const HELD_REASON: Record<string, string> = {
  NO_ROUTE: 'No EA is connected to take it; it is delivered when one is.',
  MODE_BLOCK: 'The current mode allows no new entries.',
  MANAGE_ONLY: 'Manage-only mode: no new entries.',
  OPERATOR_HOLD: 'An operator holds new entries.',
  ORDER_SIZE_BLOCK: 'Refused by the pre-trade gate: the order (or the symbol with it) is over its lots or notional limit.',
  PRICE_COLLAR_BLOCK: "Refused by the pre-trade gate: the limit or stop price is too far from the EA's last quote.",
  DUPLICATE_ORDER_BLOCK: 'Refused by the pre-trade gate: the same signal, or the same order in this bar, came already.',
  RATE_THROTTLE_BLOCK: 'Refused by the pre-trade gate: too many orders (or modifications) in the last minute.',
  CANCEL_LOOP_BLOCK: 'Refused by the pre-trade gate: too many modifications or closes without a fill on this symbol.',
};

interface HeldRow { message_id: string; payload: string; reason: string; held_ms: number; expires_ms: number | null; state: string; rowid: number }
interface DeadRow { id: number; ts_ms: number; peer: string | null; path: string | null; reason: string; detail: string; message_id: string | null; raw: string | null }

export class RouterTables {
  private readonly held: { all(limit: number): unknown[] };
  private readonly heldById: { get(id: string): unknown };
  private readonly dead: { all(limit: number): unknown[] };
  private readonly deadAfter: { all(after: number, limit: number): unknown[] };

  constructor(db: Db) {
    this.held = db.prepare('SELECT rowid, message_id, payload, reason, held_ms, expires_ms, state FROM held_signals ORDER BY held_ms DESC LIMIT ?');
    this.heldById = db.prepare('SELECT rowid, message_id, payload, reason, held_ms, expires_ms, state FROM held_signals WHERE message_id = ?');
    this.dead = db.prepare('SELECT id, ts_ms, peer, path, reason, detail, message_id, raw FROM dead_letters ORDER BY id DESC LIMIT ?');
    this.deadAfter = db.prepare('SELECT id, ts_ms, peer, path, reason, detail, message_id, raw FROM dead_letters WHERE id > ? ORDER BY id LIMIT ?');
  }

  heldSignals(limit: number): HeldSignal[] {
    return (this.held.all(limit) as HeldRow[]).map(toHeld);
  }

  heldSignal(message_id: string): HeldSignal | null {
    const row = this.heldById.get(message_id) as HeldRow | undefined;
    return row ? toHeld(row) : null;
  }

  /** Newest first. */
  deadLetters(limit: number): { id: number; dead_letter: DeadLetter }[] {
    return (this.dead.all(limit) as DeadRow[]).map((r) => ({ id: r.id, dead_letter: toDead(r) }));
  }

  /** Oldest first: those stored after row `after`. */
  deadLettersAfter(after: number, limit = 100): { id: number; dead_letter: DeadLetter }[] {
    return (this.deadAfter.all(after, limit) as DeadRow[]).map((r) => ({ id: r.id, dead_letter: toDead(r) }));
  }
}

function toHeld(r: HeldRow): HeldSignal {
  let s: Record<string, unknown> = {};
  try {
    s = JSON.parse(r.payload) as Record<string, unknown>;
  } catch {
    // a payload that is not JSON still shows, with what the row says
  }
  const str = (k: string) => (typeof s[k] === 'string' ? (s[k] as string) : '');
  // The router stores a policy refusal as 'refused'; the console calls it blocked.
  const state: HeldState = r.state === 'refused' ? 'blocked' : r.state === 'released' || r.state === 'expired' || r.state === 'blocked' ? r.state : 'held';
  return {
    signal_id: str('signal_id') || r.message_id,
    message_id: r.message_id,
    symbol: str('symbol'),
    action: (str('action') || 'BUY') as HeldSignal['action'],
    lots: typeof s.lots === 'number' ? s.lots : null,
    tier: TIERS.includes(str('tier')) ? (str('tier') as SignalTier) : null,
    state,
    reason_code: r.reason,
    reason: HELD_REASON[r.reason] ?? r.reason,
    received_ts: new Date(r.held_ms).toISOString(),
    expires_ts: r.expires_ms === null ? null : new Date(r.expires_ms).toISOString(),
  };
}

function toDead(r: DeadRow): DeadLetter {
  return {
    message_id: r.message_id ?? `dead-${r.id}`,
    peer: r.peer ?? 'unknown',
    path: (PATH_PRIORITY as readonly string[]).includes(r.path ?? '') ? (r.path as PathName) : 'socket',
    ts: new Date(r.ts_ms).toISOString(),
    reason_code: r.reason,
    detail: r.detail,
    excerpt: (r.raw ?? '').slice(0, 200),
  };
}
