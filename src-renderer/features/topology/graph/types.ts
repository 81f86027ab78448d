// The topology as plain data: what the React Flow components draw. No React here.
import type { Edge, Node } from '@xyflow/react';
import type { Mode, PathMetrics, PathName, Peer, SignalTier } from '../../../../src-shared/contract';

/** A hop's part in routing: carrying traffic, ready behind it, or failed. */
export type RouteState = 'active' | 'standby' | 'failed';

export type TierNodeData = { kind: 'tier'; tier: SignalTier; state: RouteState; peers: Peer[] };
export type GuardianNodeData = { kind: 'guardian'; mode: Mode; score: number };
export type PathNodeData = { kind: 'path'; path: PathName; state: RouteState; metrics: PathMetrics | null };
export type EaNodeData = { kind: 'ea'; state: RouteState; peers: Peer[]; active_path: PathName };
export type BrokerNodeData = { kind: 'broker'; state: RouteState; name: string; rtt_ms: number | null; clock_skew_ms: number | null };

export type TopoNodeData = TierNodeData | GuardianNodeData | PathNodeData | EaNodeData | BrokerNodeData;
export type TopoNode = Node<TopoNodeData, 'deck'>;

export interface RouteEdgeData extends Record<string, unknown> {
  state: RouteState;
  /** The path this hop belongs to, when it is one of Guardian's paths. */
  path?: PathName;
  /** Short text on the edge: "48 ms · 0.2% · 2 retries · 118 ack/s". */
  label: string | null;
  /** The same, in plain English, for the tooltip. */
  tip: string;
}
export type TopoEdge = Edge<RouteEdgeData, 'route'>;

export interface Topology {
  nodes: TopoNode[];
  edges: TopoEdge[];
}
