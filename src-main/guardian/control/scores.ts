// The three subsystem scores the mode manager reads beside the gates (modes/readings.ts), from
// one pulse. Pure. Unknown is null: it never triggers entry and always blocks recovery.
//
// comm (path health), per EA, the worst EA wins:
//   0   no path up
//   50  the preferred path (the best known one: socket, pipe, spool) is down, failing its probe
//       quorum, or its breaker is open: enter DEGRADED.COMM (< 70)
//   80  traffic runs on a standby path while the preferred one is fine (forced away until its repair
//       is proved), the preferred path has no quorum yet, or a standby path is failing: no entry,
//       no recovery (< 85)
//   100 otherwise
// signal (the preferred tier, primary): 0 when no peer of the tier is connected or its breaker is
//   open, 40 when its newest signal is older than the tier's stale limit, 100 when fresh, null
//   when no signal has come since start or no signal service has ever been seen.
// exec (execution quality): 100 at the budget, falling linearly to 0 at the max, for the broker
//   reject rate (over the execution window, exec_reject_rate_pct, 5 minutes) and the slippage; 40
//   while the broker's breaker is open; the worst wins.
import type { PathName, SignalTier } from '../../../src-shared/protocol';
import { PATH_PRIORITY } from '../../../src-shared/protocol';
import type { BreakerPosition } from '../breakers';
import type { PeerPulse, TierPulse } from '../pulse';
import type { ExecBudgets } from './types';

export interface ScoreWhy {
  score: number | null;
  why: string;
}

export type BreakerLookup = (dependency: string) => BreakerPosition;

/** The best path this EA has known since start (the one traffic belongs on), or null. */
export function preferredPath(peer: PeerPulse): PathName | null {
  for (const p of PATH_PRIORITY) {
    const path = peer.paths.find((x) => x.path === p);
    if (path && path.verdict !== 'absent') return p;
  }
  return null;
}

/** A path fit to carry traffic: healthy by its probes and its breaker not open. */
export function pathUsable(peer: PeerPulse, path: PathName, breaker: BreakerLookup): boolean {
  const p = peer.paths.find((x) => x.path === path);
  return !!p && p.verdict === 'healthy' && breaker(`path:${path}`) !== 'OPEN';
}

/** The best usable path for an EA, in priority order, or null. */
export function bestUsablePath(peer: PeerPulse, breaker: BreakerLookup): PathName | null {
  for (const p of PATH_PRIORITY) if (pathUsable(peer, p, breaker)) return p;
  return null;
}

/** Paths of this EA that are known and failing (down, failing the quorum, or breaker open). */
export function failingPaths(peer: PeerPulse, breaker: BreakerLookup): PathName[] {
  return peer.paths
    .filter((p) => p.verdict !== 'absent' && (p.verdict === 'down' || p.verdict === 'failing' || breaker(`path:${p.path}`) === 'OPEN'))
    .map((p) => p.path);
}

function peerComm(peer: PeerPulse, breaker: BreakerLookup, operatorForced: boolean): ScoreWhy {
  const up = peer.paths.filter((p) => p.up);
  if (up.length === 0) return { score: 0, why: `${peer.node_id}: no path up` };
  const preferred = preferredPath(peer);
  if (preferred === null) return { score: 0, why: `${peer.node_id}: no known path` };
  const pref = peer.paths.find((p) => p.path === preferred)!;
  const open = breaker(`path:${preferred}`) === 'OPEN';
  if (pref.verdict === 'down') return { score: 50, why: `${peer.node_id}: ${preferred} down` };
  if (pref.verdict === 'failing') return { score: 50, why: `${peer.node_id}: ${preferred} failing (${pref.quorum?.why ?? 'probe quorum'})` };
  if (open) return { score: 50, why: `${peer.node_id}: ${preferred} breaker open` };
  if (pref.verdict === 'unknown') return { score: 80, why: `${peer.node_id}: ${preferred} has no probe quorum yet` };
  if (peer.active_path !== preferred && !operatorForced) return { score: 80, why: `${peer.node_id}: traffic on ${peer.active_path ?? 'no path'} while ${preferred} is healthy` };
  const standbyFailing = failingPaths(peer, breaker).filter((p) => p !== preferred);
  if (standbyFailing.length > 0) return { score: 80, why: `${peer.node_id}: standby ${standbyFailing.join(', ')} failing` };
  return { score: 100, why: `${peer.node_id}: ${preferred} healthy and carrying traffic` };
}

/** Path health 0-100, the worst EA's; null with no EA known. */
export function commScore(peers: readonly PeerPulse[], breaker: BreakerLookup, operatorForced: (peer: string) => boolean = () => false): ScoreWhy {
  let worst: ScoreWhy | null = null;
  for (const peer of peers) {
    if (peer.role !== 'EA') continue;
    const s = peerComm(peer, breaker, operatorForced(peer.node_id));
    if (!worst || (s.score ?? 100) < (worst.score ?? 100)) worst = s;
  }
  return worst ?? { score: null, why: 'no EA known' };
}

export const DEFAULT_SIGNAL_STALE_S: Record<SignalTier, number> = { primary: 30, cached: 300, heuristic: 900 };

/** Health of one signal tier. */
export function tierScore(tier: SignalTier, pulse: TierPulse | undefined, stale_s: number, breaker: BreakerLookup): ScoreWhy {
  if (!pulse || pulse.peers.length === 0) return { score: null, why: `no ${tier} signal service seen` };
  if (breaker(`signal:${tier}`) === 'OPEN') return { score: 0, why: `${tier} tier breaker open` };
  if (!pulse.connected) return { score: 0, why: `no ${tier} signal service connected` };
  if (!Number.isFinite(pulse.age_s)) return { score: null, why: `no ${tier} signal since start` };
  if (pulse.age_s > stale_s) return { score: 40, why: `${tier} silent for ${Math.round(pulse.age_s)} s (> ${stale_s} s)` };
  return { score: 100, why: `${tier} signal ${Math.round(pulse.age_s * 10) / 10} s old` };
}

/** A tier fit to take over: connected, fresh and its breaker not open. */
export function tierUsable(tier: SignalTier, pulse: TierPulse | undefined, stale_s: number, breaker: BreakerLookup): boolean {
  return tierScore(tier, pulse, stale_s, breaker).score === 100;
}

function linear(value: number, budget: number, max: number): number {
  if (value <= budget) return 100;
  if (value >= max) return 0;
  return 100 - ((value - budget) / (max - budget)) * 100;
}

/** Execution quality 0-100 from the broker reject rate, the slippage and the broker's breaker. */
export function execScore(vars: Readonly<Record<string, number | undefined>>, budgets: ExecBudgets, broker: BreakerPosition): ScoreWhy {
  const parts: ScoreWhy[] = [];
  const rejects = vars.exec_reject_rate_pct !== undefined && !Number.isNaN(vars.exec_reject_rate_pct) ? vars.exec_reject_rate_pct : vars.reject_rate_pct;
  if (rejects !== undefined && Number.isFinite(rejects)) {
    parts.push({ score: linear(rejects, budgets.reject_budget_pct, budgets.reject_max_pct), why: `broker rejects ${Math.round(rejects * 10) / 10}% (budget ${budgets.reject_budget_pct}%)` });
  }
  const slip = vars.slippage_bps;
  if (slip !== undefined && Number.isFinite(slip)) {
    parts.push({ score: linear(slip, budgets.slippage_budget_bps, budgets.slippage_max_bps), why: `slippage ${Math.round(slip * 10) / 10} bps (budget ${budgets.slippage_budget_bps} bps)` });
  }
  if (broker === 'OPEN') parts.push({ score: 40, why: 'broker breaker open' });
  if (parts.length === 0) return { score: null, why: 'no execution figures' };
  return parts.reduce((a, b) => ((b.score ?? 100) < (a.score ?? 100) ? b : a));
}
