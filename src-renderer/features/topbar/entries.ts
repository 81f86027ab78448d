// Whether new entries can open right now, and why: the question a trader asks first.
import type { ControlsState, Mode } from '../../../src-shared/contract';

export function entriesState(mode: Mode | null, controls: ControlsState | null): { tone: 'ok' | 'watch' | 'fail' | 'idle'; word: string; why: string } {
  if (!mode) return { tone: 'idle', word: 'Entries: unknown', why: 'No status from Guardian yet' };
  if (controls?.kill_switch_engaged) return { tone: 'fail', word: 'Kill switch ON', why: 'An operator engaged the kill switch: nothing new is sent' };
  if (mode === 'SAFE_MODE') return { tone: 'fail', word: 'Entries frozen', why: 'Safe mode: new entries are frozen; open positions follow the safe-mode policy' };
  if (mode === 'DEGRADED.EXEC') return { tone: 'watch', word: 'Manage-only', why: 'No new entries; stops and take-profits are still managed' };
  if (controls?.entries_held) return { tone: 'watch', word: 'Entries held', why: 'An operator holds new entries; existing positions are still managed' };
  return { tone: 'ok', word: 'Entries open', why: 'New entries are allowed' };
}
