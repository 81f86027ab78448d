// status -> nodes and edges. The active route is animated, standby hops grey, failed hops red
// and marked with a word, so the map reads without colour too.
import { PATH_PRIORITY, SIGNAL_TIERS, type GuardianStatus, type PathMetrics, type PathName, type Peer, type Routes, type SignalTier } from '../../../../src-shared/contract';
import { fmtNum } from '../../../ui/format';
import { HANDLE, position } from './layout';
import type { RouteEdgeData, RouteState, TopoEdge, TopoNode, Topology } from './types';

export const GUARDIAN_ID = 'guardian';
export const EA_ID = 'ea';
export const BROKER_ID = 'broker';
export const tierId = (t: SignalTier) => `tier:${t}`;
export const pathId = (p: PathName) => `path:${p}`;

export function pathState(routes: Routes, path: PathName): RouteState {
  const m = routes.metrics[path];
  if (m && !m.healthy) return 'failed';
  return routes.active === path ? 'active' : 'standby';
}

export function tierState(status: GuardianStatus, tier: SignalTier, peers: Peer[]): RouteState {
  const anyUp = peers.some((p) => Object.values(p.paths).some((h) => h?.up));
  if (peers.length > 0 && !anyUp) return 'failed';
  return (status.active_tier ?? 'primary') === tier ? 'active' : 'standby';
}

/** "48 ms · 0.2% drop · 2 retries · 118 ack/s". */
export function pathLabel(m: PathMetrics | undefined): string | null {
  if (!m) return null;
  const parts = [
    m.latency_ms !== undefined ? `${fmtNum(m.latency_ms)} ms` : null,
    m.drop_pct !== undefined ? `${fmtNum(m.drop_pct, 1)}% drop` : null,
    m.retries !== undefined ? `${fmtNum(m.retries)} retr` : null,
    m.acks_per_s !== undefined ? `${fmtNum(m.acks_per_s, m.acks_per_s < 10 ? 1 : 0)} ack/s` : null,
  ].filter((x): x is string => x !== null);
  return parts.length ? parts.join(' · ') : null;
}

export function pathTip(path: PathName, state: RouteState, m: PathMetrics | undefined): string {
  const role = state === 'active' ? 'carries the orders now' : state === 'failed' ? 'is failing its probes' : 'is on standby (heartbeats only)';
  if (!m) return `The ${path} path ${role}; no metrics yet.`;
  const bits = [
    m.latency_ms !== undefined ? `latency ${fmtNum(m.latency_ms)} ms` : null,
    m.drop_pct !== undefined ? `${fmtNum(m.drop_pct, 1)}% of frames dropped` : null,
    m.retries !== undefined ? `${fmtNum(m.retries)} resends in the last minute` : null,
    m.acks_per_s !== undefined ? `${fmtNum(m.acks_per_s, 1)} acknowledgements per second` : null,
    m.queue_depth ? `${fmtNum(m.queue_depth)} messages queued` : null,
    m.last_error ? `last error ${m.last_error}` : null,
  ].filter(Boolean);
  return `The ${path} path ${role}: ${bits.join(', ')}.`;
}

function edge(id: string, source: string, target: string, data: RouteEdgeData, opts: { down?: boolean; focusable?: boolean } = {}): TopoEdge {
  const down = opts.down ?? false;
  return {
    id, source, target, type: 'route', data,
    sourceHandle: down ? HANDLE.down : HANDLE.out,
    targetHandle: down ? HANDLE.fromAbove : HANDLE.in,
    animated: data.state === 'active',
    className: `route-${data.state}`,
    ariaLabel: data.tip,
    focusable: opts.focusable ?? true,
  };
}

export function buildTopology(status: GuardianStatus): Topology {
  const peers = status.peers ?? [];
  const nodes: TopoNode[] = [];
  const edges: TopoEdge[] = [];

  SIGNAL_TIERS.forEach((tier, row) => {
    const tierPeers = peers.filter((p) => p.role === 'SIGNAL' && p.tier === tier);
    const state = tierState(status, tier, tierPeers);
    nodes.push({ id: tierId(tier), type: 'deck', position: position('tier', row), data: { kind: 'tier', tier, state, peers: tierPeers } });
    const tip = state === 'active' ? `The ${tier} signal tier feeds Guardian now` : state === 'failed' ? `The ${tier} signal tier is down` : `The ${tier} signal tier is a fallback, on standby`;
    edges.push(edge(`e:${tier}`, tierId(tier), GUARDIAN_ID, { state, label: null, tip }));
  });

  nodes.push({ id: GUARDIAN_ID, type: 'deck', position: position('guardian', 1), data: { kind: 'guardian', mode: status.mode, score: status.overall_score } });

  PATH_PRIORITY.forEach((path, row) => {
    const m = status.routes.metrics[path];
    const state = pathState(status.routes, path);
    const tip = pathTip(path, state, m);
    nodes.push({ id: pathId(path), type: 'deck', position: position('path', row), data: { kind: 'path', path, state, metrics: m ?? null } });
    edges.push(edge(`e:g-${path}`, GUARDIAN_ID, pathId(path), { state, path, label: pathLabel(m), tip }));
    // The same hop as Guardian -> path, so one keyboard stop is enough.
    edges.push(edge(`e:${path}-ea`, pathId(path), EA_ID, { state, path, label: null, tip }, { focusable: false }));
  });

  const eas = peers.filter((p) => p.role === 'EA');
  const eaUp = eas.length === 0 || eas.some((p) => p.active_path !== null);
  nodes.push({ id: EA_ID, type: 'deck', position: position('ea', 0.45), data: { kind: 'ea', state: eaUp ? 'active' : 'failed', peers: eas, active_path: status.routes.active } });

  const broker = status.broker;
  const brokerState: RouteState = broker && !broker.connected ? 'failed' : 'active';
  nodes.push({
    id: BROKER_ID, type: 'deck', position: position('broker', 1.75),
    data: { kind: 'broker', state: brokerState, name: broker?.name ?? 'Broker', rtt_ms: broker?.rtt_ms ?? null, clock_skew_ms: broker?.clock_skew_ms ?? null },
  });
  edges.push(edge('e:ea-broker', EA_ID, BROKER_ID, {
    state: brokerState,
    label: broker?.rtt_ms != null ? `${fmtNum(broker.rtt_ms)} ms` : null,
    tip: broker ? `The EA ${broker.connected ? 'is connected to' : 'has lost'} ${broker.name}${broker.rtt_ms != null ? `, round trip ${fmtNum(broker.rtt_ms)} ms` : ''}` : 'Broker status not reported',
  }, { down: true }));

  return { nodes, edges };
}
