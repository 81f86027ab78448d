// One incident in the timeline: severity, title, age, runbook progress, estimate to recover, and
// a "Why?" that lists the constraints and values behind each mode change.
import type { Incident, Severity } from '../../../src-shared/contract';
import { Icon } from '../../ui/icons';
import { StateTag } from '../../ui/StateTag';
import { fmtDuration, fmtNum, fmtStamp, fmtUnit, fmtWhen } from '../../ui/format';
import type { Tone } from '../../ui/tone';
import { useOpenControl } from '../controls/ControlDialogProvider';
import { ExportButtons } from './ExportButtons';
import { RunbookProgress } from './RunbookProgress';
import { hasModeChange, whyLines } from './whyLines';

const SEV_TONE: Record<Severity, Tone> = { info: 'info', warning: 'watch', critical: 'fail' };
const SEV_WORD: Record<Severity, string> = { info: 'Info', warning: 'Warning', critical: 'Critical' };
const SEV_ICON = { info: 'info', warning: 'warn', critical: 'fail' } as const;

export function IncidentRow({ incident, expanded, onToggle, now_ms }: { incident: Incident; expanded: boolean; onToggle: () => void; now_ms: number }) {
  const openControl = useOpenControl();
  const open = incident.closed_ts === null;
  const opened = Date.parse(incident.opened_ts);
  const lasted_s = open ? null : (Date.parse(incident.closed_ts!) - opened) / 1000;
  const whyId = `why-${incident.id}`;
  const sevTone = open ? SEV_TONE[incident.severity] : 'idle';
  return (
    <div className={`inc-row${open ? ' inc-open' : ''} sev-${incident.severity}`}>
      <div className="inc-line">
        <StateTag tone={sevTone} word={SEV_WORD[incident.severity]} icon={SEV_ICON[incident.severity]} />
        <span className="mono dim">{incident.id}</span>
        {open ? <StateTag tone="watch" word="Open" icon="clock" /> : <StateTag tone="idle" word="Closed" icon="check" />}
        {incident.acknowledged_by && <span className="dim" title={`Acknowledged by ${incident.acknowledged_by}`}>ack ✓</span>}
        <span className="inc-time" title={`Opened ${fmtStamp(incident.opened_ts)} UTC`}>{fmtWhen(incident.opened_ts, now_ms)}</span>
      </div>
      <div className="inc-title" title={incident.title}>{incident.title}</div>
      <div className="inc-line">
        {incident.runbook ? <RunbookProgress runbook={incident.runbook} /> : <span className="dim">No runbook</span>}
        {!open && <span className="dim inc-lasted" title={`Closed ${fmtStamp(incident.closed_ts)} UTC`}>lasted {fmtDuration(lasted_s)}</span>}
      </div>
      {open && (
        <div className="inc-line">
          {incident.estimate_to_recover_s !== null ? (
            <span className="inc-eta" title={`Estimated time to recover, from past repairs of this kind = ${fmtNum(incident.estimate_to_recover_s)} s`}>
              <Icon name="clock" size={11} />~{fmtDuration(incident.estimate_to_recover_s)} to recover
            </span>
          ) : <span className="dim">No estimate to recover</span>}
          {incident.mode && <span className="dim">· mode {incident.mode}</span>}
          <span className="dim">· open {fmtDuration((now_ms - opened) / 1000)}</span>
        </div>
      )}
      <div className="inc-line inc-actions">
        {hasModeChange(incident) && (
          <button type="button" className="mini-btn" aria-expanded={expanded} aria-controls={whyId} onClick={onToggle}>
            <Icon name="info" size={11} />{expanded ? 'Hide why' : 'Why?'}
          </button>
        )}
        {open && !incident.acknowledged_by && (
          <button type="button" className="mini-btn" onClick={() => openControl('acknowledge_incident', { incident_id: incident.id })}>
            <Icon name="check" size={11} />Acknowledge
          </button>
        )}
        <ExportButtons id={incident.id} what={`incident ${incident.id}`} />
      </div>
      {expanded && (
        <ul className="why" id={whyId}>
          {whyLines(incident).map((line, i) => {
            if (line.kind === 'head') return <li key={i} className="why-head">{line.text}</li>;
            if (line.kind === 'cause') {
              const c = line.cause;
              return (
                <li key={i} className="why-cause" title={c.text ?? c.constraint_id}>
                  <Icon name="warn" size={10} /><span className="mono">{c.constraint_id}</span>
                  <span> = <strong>{fmtUnit(c.value, c.unit ?? '')}</strong>{c.limit !== undefined ? ` (limit ${fmtUnit(c.limit, c.unit ?? '')})` : ''}</span>
                  {c.gate && <span className="dim"> · {c.gate.replace(/_/g, ' ')}</span>}
                </li>
              );
            }
            return (
              <li key={i} className="why-event" title={line.event.text}>
                <span className="mono dim">{line.event.ts.slice(11, 19)}</span> <span className="ev-type">{line.event.type.replace('_', ' ')}</span> {line.event.text}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
