// The map's edge: solid and animated on the active route, dashed grey on standby, dashed red and
// labelled "Down" when failed. Metrics sit on the edge in a small chip.
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { Icon } from '../../ui/icons';
import type { TopoEdge } from './graph/types';
import { ROUTE_ICON, ROUTE_WORD } from './routeWords';

export function RouteEdge({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected }: EdgeProps<TopoEdge>) {
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const state = data?.state ?? 'standby';
  const showChip = Boolean(data?.label);
  const lines = data?.label?.split(' · ') ?? [];
  return (
    <>
      <BaseEdge id={id} path={path} className={`route-path route-path-${state}`} />
      {showChip && (
        <EdgeLabelRenderer>
          <div
            className={`edge-chip edge-${state}${selected ? ' is-selected' : ''}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX + (targetX - sourceX) * 0.18}px, ${labelY + (targetY - sourceY) * 0.18}px)` }}
            title={data?.tip}
          >
            {state !== 'active' && <span className="edge-state"><Icon name={ROUTE_ICON[state]} size={10} />{ROUTE_WORD[state]}</span>}
            <span>{lines.slice(0, 2).join(' · ')}</span>
            {lines.length > 2 && <span>{lines.slice(2).join(' · ')}</span>}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}
