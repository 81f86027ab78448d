// The audit log: every control, who, why and what came of it. Windowed: it grows all day.
import { useGuardian } from '../../store';
import { Panel } from '../../ui/Panel';
import { StateTag } from '../../ui/StateTag';
import { VirtualList } from '../../ui/VirtualList';
import { fmtStamp } from '../../ui/format';
import type { AuditOutcome } from '../../../src-shared/contract';
import './controls.css';

const OUTCOME_TONE: Record<AuditOutcome, 'ok' | 'fail' | 'idle' | 'info'> = { accepted: 'ok', completed: 'ok', refused: 'fail', expired: 'idle' };
export const AUDIT_ROW_PX = 38;
const AUDIT_MAX_PX = 240;

export function AuditLog({ height }: { height?: number }) {
  const audit = useGuardian((s) => s.audit);
  return (
    <Panel title={`Audit log · ${audit.length}`} icon="lock" className="audit">
      {audit.length ? <AuditList height={height} /> : <p className="muted">No control has been used yet.</p>}
    </Panel>
  );
}

function AuditList({ height }: { height?: number }) {
  const audit = useGuardian((s) => s.audit);
  return (
    <VirtualList
      label="Audit log"
      className="audit-list"
      count={audit.length}
      itemHeight={AUDIT_ROW_PX}
      height={height ?? Math.min(AUDIT_MAX_PX, audit.length * AUDIT_ROW_PX)}
      getKey={(i) => audit[i]!.id}
      renderItem={(i) => {
        const a = audit[i]!;
        const params = a.params && Object.keys(a.params).length ? ` ${Object.entries(a.params).map(([k, v]) => `${k}=${v}`).join(' ')}` : '';
        return (
          <div className="audit-row" title={`${a.id} · ${fmtStamp(a.ts)} UTC · ${a.actor} · ${a.control}${params} · reason: ${a.reason}${a.detail ? ` · ${a.detail}` : ''}`}>
            <span className="mono dim">{fmtStamp(a.ts)}</span>
            <span className="audit-actor">{a.actor}</span>
            <StateTag tone={OUTCOME_TONE[a.outcome]} word={a.outcome} />
            <span className="mono audit-control">{a.control}{params}</span>
            <span className="audit-reason">“{a.reason}”{a.detail ? ` · ${a.detail}` : ''}</span>
          </div>
        );
      }}
    />
  );
}
