// What each mode asks of the rest of Guardian, and the effects of moving from one to another.
// Effects come from comparing postures before and after a transition, so a command is sent once
// per change of posture, however the change came about (a fault, a pin, an expiry, an operator).
import type { FailoverPolicy } from './policy';
import { MODE_SEVERITY, type Mode, type ModeEffect } from './types';

/**
 * pass: new-entry signals flow; hold: they wait (ttl) for the mode to lift (manage-only);
 * refuse: they are refused with MODE_BLOCK (SAFE_MODE).
 */
type EntryPolicy = 'pass' | 'hold' | 'refuse';

export interface Posture {
  mode: Mode;
  paths_failover: boolean;
  signal_fallback: boolean;
  entries: EntryPolicy;
}

export function posture(mode: Mode, comm: boolean, signal: boolean): Posture {
  const entries: EntryPolicy = mode === 'SAFE_MODE' ? 'refuse' : MODE_SEVERITY[mode] >= MODE_SEVERITY['DEGRADED.EXEC'] ? 'hold' : 'pass';
  return { mode, paths_failover: comm, signal_fallback: signal, entries };
}

export function postureEffects(before: Posture, after: Posture, reason: string, policy: FailoverPolicy): ModeEffect[] {
  const out: ModeEffect[] = [];
  if (before.paths_failover !== after.paths_failover) out.push({ type: 'SWITCH_PATHS', direction: after.paths_failover ? 'failover' : 'switch_back' });
  if (before.signal_fallback !== after.signal_fallback) out.push({ type: 'USE_SIGNAL_TIER', tier: after.signal_fallback ? 'cached' : 'primary' });

  if (before.entries !== after.entries) {
    // The router's side: what happens to new-entry signals.
    if (after.entries === 'hold') out.push({ type: 'HOLD_NEW_ENTRIES', ttl_ms: policy.held_signals.ttl_s * 1000 });
    // Signals held before a risk veto were taken in a market that tripped it: expire, never release.
    // From 'pass' too: entries held for want of an EA wait in any mode.
    if (after.entries === 'refuse') out.push({ type: 'EXPIRE_HELD_SIGNALS' });
    if (after.entries === 'pass' && before.entries === 'hold') out.push({ type: 'RELEASE_HELD_SIGNALS' });

    // The EA's side: no new entries whenever signals do not pass; stops and take-profits stay managed.
    const send = (command: 'HOLD_NEW_ENTRIES' | 'CANCEL_ALL' | 'FLATTEN' | 'RESUME') => out.push({ type: 'SEND_COMMAND', command, reason });
    if (before.entries === 'pass') send('HOLD_NEW_ENTRIES');
    if (after.entries === 'refuse') {
      // A pending order is a new entry waiting to happen, so a freeze cancels them too.
      send('CANCEL_ALL');
      if (policy.safe_mode.action === 'flatten') send('FLATTEN');
    }
    if (after.entries === 'pass') send('RESUME');
  }
  return out;
}
