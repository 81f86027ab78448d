// The topology map (React Flow): the chain as it routes now. Click or press Enter on a node or
// an edge for its details; Esc closes them.
import { ReactFlow, type EdgeChange, type NodeChange } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useMemo, useState } from 'react';
import { useGuardian } from '../../store';
import { Panel } from '../../ui/Panel';
import { DeckNode } from './DeckNode';
import { DetailPanel } from './DetailPanel';
import { buildTopology } from './graph/buildTopology';
import type { TopoEdge, TopoNode } from './graph/types';
import { RouteEdge } from './RouteEdge';
import './topology.css';

const nodeTypes = { deck: DeckNode };
const edgeTypes = { route: RouteEdge };

function selectionFrom(changes: (NodeChange<TopoNode> | EdgeChange<TopoEdge>)[], current: string | null): string | null {
  let next = current;
  for (const c of changes) if (c.type === 'select' && !c.selected && c.id === next) next = null;
  for (const c of changes) if (c.type === 'select' && c.selected) next = c.id;
  return next;
}

export function TopologyMap() {
  const status = useGuardian((s) => s.status);
  const [selected, setSelected] = useState<string | null>(null);
  const graph = useMemo(() => (status ? buildTopology(status) : null), [status]);
  const nodes = useMemo(() => graph?.nodes.map((n) => ({ ...n, selected: n.id === selected })) ?? [], [graph, selected]);
  const edges = useMemo(() => graph?.edges.map((e) => ({ ...e, selected: e.id === selected })) ?? [], [graph, selected]);
  const onNodesChange = useCallback((c: NodeChange<TopoNode>[]) => setSelected((cur) => selectionFrom(c, cur)), []);
  const onEdgesChange = useCallback((c: EdgeChange<TopoEdge>[]) => setSelected((cur) => selectionFrom(c, cur)), []);

  return (
    <Panel title="Topology" icon="route" className="topology" actions={<span className="legend"><i className="lg-active" />active <i className="lg-standby" />standby <i className="lg-failed" />down</span>}>
      <div className="topo-canvas" onKeyDown={(e) => { if (e.key === 'Escape') setSelected(null); }}>
        {status ? (
          <ReactFlow
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            edgeTypes={edgeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            fitView
            fitViewOptions={{ padding: 0.06 }}
            nodesDraggable={false}
            nodesConnectable={false}
            zoomOnScroll={false}
            zoomOnDoubleClick={false}
            panOnDrag={false}
            preventScrolling={false}
            colorMode="dark"
            minZoom={0.3}
            ariaLabelConfig={{ 'node.a11yDescription.default': 'Press Enter for details, Escape to close them.' }}
          />
        ) : <p className="muted pad">Waiting for the first status…</p>}
        {status && selected && <DetailPanel id={selected} status={status} onClose={() => setSelected(null)} />}
      </div>
    </Panel>
  );
}
