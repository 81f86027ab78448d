// What each control is called on the deck and what it does, in the desk's words.
import type { ControlName, FaultName } from '../../../src-shared/contract';
import type { IconName } from '../../ui/icons';

export interface ControlInfo {
  label: string;
  /** On the panel's buttons, where width is short. */
  short: string;
  icon: IconName;
  /** What happens when confirmed: shown in the dialog before the reason. */
  does: string;
  danger?: boolean;
  /** Controls that stay in force until lifted may be given an expiry. */
  expires?: boolean;
}

export const CONTROL_INFO: Record<ControlName, ControlInfo> = {
  hold_new_entries: {
    label: 'Hold new entries', short: 'Hold entries', icon: 'pause', expires: true,
    does: 'The EA opens no new positions. Stops and take-profits are still managed; incoming signals are held and expire if not released.',
  },
  resume: { label: 'Resume entries', short: 'Resume', icon: 'play', does: 'New entries open again: lifts an operator hold and the kill switch.' },
  drain_buffer_first: {
    label: 'Drain buffer first', short: 'Drain first', icon: 'inbox', expires: true,
    does: 'Deliver every queued message before any new signal is routed, so nothing jumps the queue after a switch.',
  },
  force_path_switch: {
    label: 'Force path switch', short: 'Switch path', icon: 'route', expires: true,
    does: 'Move orders onto the chosen path now. Unacknowledged messages are resent on it; Guardian refuses a path that fails its probes.',
  },
  override_mode: {
    label: 'Override mode', short: 'Override mode', icon: 'lock', expires: true,
    does: 'Pin a mode (Guardian will not leave it until the pin lapses) or leave the current degraded mode before the dwell time ends.',
  },
  kill_switch: {
    label: 'Kill switch', short: 'Kill switch', icon: 'power', danger: true,
    does: 'Stop all new orders at once and enter SAFE_MODE. Open positions follow the safe-mode policy (freeze or flatten). Lift it with Resume.',
  },
  acknowledge_incident: { label: 'Acknowledge incident', short: 'Acknowledge', icon: 'check', does: 'Record that you have seen this incident. It changes nothing in routing.' },
  apply_advice: { label: 'Apply advice', short: 'Apply', icon: 'check', does: 'Set the constraint to the proposed value. The current value is kept, so it can be rolled back.' },
  rollback_advice: { label: 'Roll back advice', short: 'Roll back', icon: 'refresh', does: 'Restore the value the constraint had before this advice was applied.' },
  inject_fault: { label: 'Inject fault (demo)', short: 'Inject fault', icon: 'bolt', does: 'Make the simulator break something, to watch Guardian detect it, reroute and repair.' },
};

export const EXPIRY_CHOICES: { label: string; seconds: number | null }[] = [
  { label: 'Until lifted', seconds: null },
  { label: '5 minutes', seconds: 300 },
  { label: '15 minutes', seconds: 900 },
  { label: '1 hour', seconds: 3600 },
  { label: '4 hours', seconds: 14_400 },
];

/** The demo faults: a button label, and what the fault does to the simulator. */
export const FAULT_INFO: Record<FaultName, { label: string; does: string }> = {
  drop_socket: { label: 'Drop socket', does: 'Drop the socket path' },
  stall_pipe: { label: 'Stall pipe', does: 'Stall the pipe mid-frame' },
  slow_broker: { label: 'Slow broker', does: 'Slow the broker down' },
  spike_correlation: { label: 'Spike correlation', does: 'Spike portfolio correlation' },
  clear: { label: 'Clear faults', does: 'Clear every fault' },
};
