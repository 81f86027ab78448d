// Manual controls: every one goes through the confirmation dialog and lands in the audit log.
import type { ControlName } from '../../../src-shared/contract';
import { useGuardian, selectControls, selectOpenIncident } from '../../store';
import { Icon } from '../../ui/icons';
import { Panel } from '../../ui/Panel';
import { CONTROL_INFO } from './controlInfo';
import { useOpenControl } from './ControlDialogProvider';
import type { Params } from './ParamFields';
import './controls.css';

function ControlButton({ name, note, initial, disabled }: { name: ControlName; note?: string; initial?: Params; disabled?: boolean }) {
  const open = useOpenControl();
  const info = CONTROL_INFO[name];
  return (
    <button type="button" className={`ctl-btn${info.danger ? ' ctl-danger' : ''}`} onClick={() => open(name, initial)} disabled={disabled} title={`${info.label}: ${info.does}`}>
      <Icon name={info.icon} size={14} />
      <span className="ctl-label">{info.short}</span>
      {note && <span className="ctl-note">{note}</span>}
    </button>
  );
}

export function ControlsPanel() {
  const controls = useGuardian(selectControls);
  const open = useGuardian(selectOpenIncident);
  const held = controls?.entries_held || controls?.kill_switch_engaged;
  const ackable = open && !open.acknowledged_by ? open : null;
  return (
    <Panel title="Manual controls" icon="hand" className="controls">
      <div className="ctl-grid">
        {held ? <ControlButton name="resume" note={controls?.kill_switch_engaged ? 'kill switch on' : 'entries held'} /> : <ControlButton name="hold_new_entries" />}
        <ControlButton name="drain_buffer_first" note={controls?.drain_buffer_first ? 'on' : undefined} />
        <ControlButton name="force_path_switch" note={controls?.forced_path ? `forced: ${controls.forced_path}` : undefined} />
        <ControlButton name="override_mode" note={controls?.pinned_mode ? `pinned: ${controls.pinned_mode}` : undefined} />
        <ControlButton name="acknowledge_incident" initial={ackable ? { incident_id: ackable.id } : undefined} disabled={!ackable} note={ackable ? ackable.id : 'nothing open'} />
        <ControlButton name="kill_switch" note={controls?.kill_switch_engaged ? 'ENGAGED' : undefined} />
      </div>
    </Panel>
  );
}
