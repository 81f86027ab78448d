// Learning advice: bounded threshold changes with their evidence. Applied only by an operator,
// through the same confirmation and audit as every control, and always reversible.
import { useGuardian } from '../../store';
import { Icon } from '../../ui/icons';
import { Num } from '../../ui/Num';
import { Panel } from '../../ui/Panel';
import { StateTag } from '../../ui/StateTag';
import { fmtStamp } from '../../ui/format';
import { useOpenControl } from '../controls/ControlDialogProvider';
import './learning.css';

export function AdvicePanel() {
  const advice = useGuardian((s) => s.advice);
  const open = useOpenControl();
  return (
    <Panel title="Learning advice" icon="wrench" className="advice">
      {!advice.length ? <p className="muted">No advice.</p> : (
        <ul className="advice-list">
          {advice.map((a) => (
            <li key={a.id} className={a.applied ? 'is-applied' : ''}>
              <div className="adv-line">
                <span className="mono">{a.constraint}</span>
                {a.applied ? <StateTag tone="info" word="Applied" icon="check" title={`Applied by ${a.applied_by ?? '?'} at ${fmtStamp(a.applied_ts)} UTC`} /> : <StateTag tone="idle" word="Proposed" icon="info" />}
              </div>
              <div className="adv-line">
                <span>
                  {a.applied && a.rollback ? <>was <Num value={a.rollback.value} unit={a.unit ?? ''} label="The value before this advice (rollback restores it)" /> → now <Num value={a.current} unit={a.unit ?? ''} label="The constraint's current value" /></>
                    : <>now <Num value={a.current} unit={a.unit ?? ''} label="The constraint's current value" /> → proposed <Num value={a.proposed} unit={a.unit ?? ''} label="The value the learning agent proposes" /></>}
                  {a.false_positive_pct !== undefined && <> · <Num value={a.false_positive_pct} unit="%" label="Share of this constraint's degrades that were false positives" /> false positives</>}
                </span>
                {a.applied
                  ? <button type="button" className="mini-btn" disabled={!a.rollback?.available} onClick={() => open('rollback_advice', { advice_id: a.id })}><Icon name="refresh" size={11} />Roll back</button>
                  : <button type="button" className="mini-btn" onClick={() => open('apply_advice', { advice_id: a.id })}><Icon name="check" size={11} />Apply</button>}
              </div>
              <p className="adv-evidence" title={a.evidence}>{a.evidence}</p>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
