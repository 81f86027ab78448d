// How execution safety meets the control plane (wired by guardian.ts): the control plane's
// `command` events are tracked to their outcome, the blocks per minute feed the risk gate's
// pretrade_blocks_per_min, and an engaged kill switch keeps SAFE_MODE pinned until released.
// Structural types only: the control plane does not know this part, and this part does not import it.
import type { CommandName } from '../../../src-shared/protocol';
import type { Disposable } from '../lifecycle';
import type { ExecutionSafety } from './safety';
import type { KillSwitch } from './store';

export interface ControlPlaneLike {
  readonly modes: { readonly state: { pin: { mode: string; expires_ms: number } | null } };
  readonly policy: { overrides: { max_pin_s: number } };
  readonly sampler: { setExtra(name: 'pretrade_blocks_per_min', value: number | null): void };
  pin(mode: 'SAFE_MODE', duration_s: number, by: string, reason: string): unknown;
  onEvent(listener: (e: { type: string; data?: Record<string, unknown> }) => void): Disposable;
  onPulse(listener: () => void): Disposable;
}

const COMMANDS = new Set(['HOLD_NEW_ENTRIES', 'RESUME', 'CANCEL_ALL', 'FLATTEN', 'PING']);

export function wireExecution(ex: ExecutionSafety, cp: ControlPlaneLike): Disposable[] {
  return [
    cp.onEvent((e) => {
      const d = e.data;
      if (e.type !== 'command' || !d || typeof d.seq !== 'number' || typeof d.peer !== 'string' || !COMMANDS.has(String(d.command))) return;
      try {
        ex.trackCommand(d.peer, d.command as CommandName, d.seq, typeof d.reason === 'string' ? d.reason : '');
      } catch {
        // a closed store at shutdown
      }
    }),
    // Read by the next pulse (one pulse late, as the other extras).
    cp.onPulse(() => cp.sampler.setExtra('pretrade_blocks_per_min', ex.blocksPerMin())),
  ];
}

/**
 * The kill switch's hold on SAFE_MODE, called every tick while it is engaged: the pin is renewed
 * before it can lapse (a re-pin of the same mode changes no posture, so no command is sent again),
 * and put back if it was lifted some other way (an expiry across a restart, an operator's unpin).
 */
export function holdSafeMode(cp: ControlPlaneLike, kill: KillSwitch, now_ms: number): void {
  const max_s = cp.policy.overrides.max_pin_s;
  const pin = cp.modes.state.pin;
  if (pin?.mode === 'SAFE_MODE' && pin.expires_ms - now_ms > (max_s * 1000) / 2) return;
  cp.pin('SAFE_MODE', max_s, kill.by ?? 'guardian', `kill switch engaged${kill.reason ? ` (${kill.reason})` : ''}: held until released with resume`);
}
