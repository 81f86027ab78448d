// The incident timeline: newest first, windowed (thousands of incidents), open ones filterable.
import { useCallback, useMemo, useState } from 'react';
import { TIMELINE_REPORT_ID } from '../../../src-shared/contract';
import { useGuardian, selectIncidentOrder } from '../../store';
import { Panel } from '../../ui/Panel';
import { VirtualList } from '../../ui/VirtualList';
import { fmtNum } from '../../ui/format';
import { useNow } from '../../ui/useNow';
import { ExportButtons } from './ExportButtons';
import { IncidentRow } from './IncidentRow';
import { rowHeight } from './whyLines';
import './incidents.css';

export function IncidentTimeline({ height }: { height?: number }) {
  const order = useGuardian(selectIncidentOrder);
  const byId = useGuardian((s) => s.incidents.by_id);
  const [openOnly, setOpenOnly] = useState(false);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const now = useNow(1000);

  const ids = useMemo(() => (openOnly ? order.filter((id) => byId[id]?.closed_ts === null) : order), [order, byId, openOnly]);
  const openCount = useMemo(() => order.reduce((n, id) => n + (byId[id]?.closed_ts === null ? 1 : 0), 0), [order, byId]);
  const itemHeight = useCallback((i: number) => rowHeight(byId[ids[i]!], expanded.has(ids[i]!)), [ids, byId, expanded]);
  const toggle = (id: string) => setExpanded((cur) => {
    const next = new Set(cur);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  });

  return (
    <Panel
      title={`Incidents · ${fmtNum(order.length)} · ${openCount} open`}
      icon="clock"
      className="timeline"
      actions={
        <>
          <label className="toggle"><input type="checkbox" checked={openOnly} onChange={(e) => setOpenOnly(e.target.checked)} /> Open only</label>
          <ExportButtons id={TIMELINE_REPORT_ID} what="the timeline" />
        </>
      }
    >
      {ids.length === 0 ? (
        <p className="muted pad">{openOnly ? 'No open incident.' : 'No incident recorded.'}</p>
      ) : (
        <VirtualList
          label="Incident timeline, newest first"
          className="timeline-list"
          count={ids.length}
          itemHeight={itemHeight}
          height={height}
          getKey={(i) => ids[i]!}
          renderItem={(i) => {
            const incident = byId[ids[i]!];
            return incident ? <IncidentRow incident={incident} expanded={expanded.has(incident.id)} onToggle={() => toggle(incident.id)} now_ms={now} /> : null;
          }}
        />
      )}
    </Panel>
  );
}
