// The map's node component: one look for every hop, an icon, a name, a state word and one number.
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { Icon, type IconName } from '../../ui/icons';
import { fmtNum } from '../../ui/format';
import { MODE_VIEW } from '../topbar/mode';
import { HANDLE } from './graph/layout';
import type { TopoNode } from './graph/types';
import { ROUTE_ICON, ROUTE_WORD } from './routeWords';

const TIER_WORD = { primary: 'Primary signals', cached: 'Cached signals', heuristic: 'Heuristic signals' } as const;

/** `num` sits top right (the hop's one number); `sub` follows the state word. */
interface Face { icon: IconName; title: string; num?: string; sub: string; state: string; stateIcon: IconName; cls: string; tip: string }

function face(data: TopoNode['data']): Face {
  switch (data.kind) {
    case 'tier': {
      const legacy = data.peers.some((p) => p.legacy);
      const ids = data.peers.map((p) => p.node_id).join(', ') || 'no peer';
      return {
        icon: 'signal', title: TIER_WORD[data.tier], sub: `${ids}${legacy ? ' · legacy 1.0' : ''}`,
        state: data.state === 'active' ? 'Feeding' : ROUTE_WORD[data.state], stateIcon: ROUTE_ICON[data.state], cls: `node-${data.state}`,
        tip: `${TIER_WORD[data.tier]} from ${ids}${legacy ? ' (a legacy GBP 1.0 peer: best effort, no acknowledgements)' : ''}`,
      };
    }
    case 'guardian': {
      const view = MODE_VIEW[data.mode];
      return {
        icon: 'shield', title: 'Guardian', num: fmtNum(data.score, 1), sub: '', state: view.word, stateIcon: view.icon,
        cls: `node-guardian ${view.className}`, tip: `Guardian is in ${data.mode}; overall score ${fmtNum(data.score, 1)}`,
      };
    }
    case 'path': {
      const m = data.metrics;
      return {
        icon: 'route', title: data.path.charAt(0).toUpperCase() + data.path.slice(1),
        num: m?.latency_ms !== undefined ? `${fmtNum(m.latency_ms)} ms` : undefined,
        sub: data.state === 'failed' ? m?.last_error ?? 'failing probes' : '', state: ROUTE_WORD[data.state],
        stateIcon: ROUTE_ICON[data.state], cls: `node-${data.state}`,
        tip: `The ${data.path} path: ${ROUTE_WORD[data.state].toLowerCase()}${m?.last_error ? `, last error ${m.last_error}` : ''}`,
      };
    }
    case 'ea': {
      const ids = data.peers.map((p) => p.node_id).join(', ') || 'EA';
      return {
        icon: 'bolt', title: 'MT4 EA', num: ids, sub: `via ${data.active_path}`, state: data.state === 'failed' ? 'Down' : 'Connected',
        stateIcon: ROUTE_ICON[data.state], cls: `node-${data.state}`, tip: `The EA ${ids} receives orders over the ${data.active_path}`,
      };
    }
    case 'broker':
      return {
        icon: 'inbox', title: data.name, num: data.rtt_ms !== null ? `${fmtNum(data.rtt_ms)} ms` : undefined, sub: '', state: data.state === 'failed' ? 'Lost' : 'Connected',
        stateIcon: ROUTE_ICON[data.state], cls: `node-${data.state}`,
        tip: `Broker ${data.name}${data.rtt_ms !== null ? `: round trip ${fmtNum(data.rtt_ms)} ms` : ''}${data.clock_skew_ms !== null ? `, clock skew ${fmtNum(data.clock_skew_ms)} ms` : ''}`,
      };
  }
}

export function DeckNode({ data, selected }: NodeProps<TopoNode>) {
  const f = face(data);
  return (
    <div className={`deck-node ${f.cls}${selected ? ' is-selected' : ''}`} title={f.tip}>
      <Handle type="target" id={HANDLE.in} position={Position.Left} isConnectable={false} />
      <Handle type="target" id={HANDLE.fromAbove} position={Position.Top} isConnectable={false} />
      <div className="dn-row">
        <Icon name={f.icon} size={14} />
        <span className="dn-title">{f.title}</span>
        {f.num && <span className="dn-num">{f.num}</span>}
      </div>
      <div className="dn-row dn-meta">
        <span className="dn-state"><Icon name={f.stateIcon} size={11} />{f.state}</span>
        <span className="dn-sub">{f.sub}</span>
      </div>
      <Handle type="source" id={HANDLE.out} position={Position.Right} isConnectable={false} />
      <Handle type="source" id={HANDLE.down} position={Position.Bottom} isConnectable={false} />
    </div>
  );
}
