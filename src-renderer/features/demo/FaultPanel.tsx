// Demo only (the service says `demo: true`): break the simulator on purpose and watch Guardian
// detect, reroute and repair. Each fault still goes through the confirmation and the audit log.
import { FAULT_NAMES } from '../../../src-shared/contract';
import { useGuardian, selectDemo } from '../../store';
import { Icon } from '../../ui/icons';
import { Panel } from '../../ui/Panel';
import { FAULT_INFO } from '../controls/controlInfo';
import { useOpenControl } from '../controls/ControlDialogProvider';
import './demo.css';

export function FaultPanel() {
  const demo = useGuardian(selectDemo);
  const open = useOpenControl();
  if (!demo) return null;
  return (
    <Panel title="Inject fault · demo" icon="bolt" className="faults">
      <p className="dim">The simulator is running: these break it on purpose. Not available on a live desk.</p>
      <div className="fault-btns">
        {FAULT_NAMES.map((f) => (
          <button key={f} type="button" className="mini-btn" title={FAULT_INFO[f].does} onClick={() => open('inject_fault', { fault: f })}>
            <Icon name={f === 'clear' ? 'check' : 'bolt'} size={11} />{FAULT_INFO[f].label}
          </button>
        ))}
      </div>
    </Panel>
  );
}
