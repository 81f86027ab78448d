// How each mode is shown: a colour, an icon and a word, and one sentence of what it means.
import type { Mode } from '../../../src-shared/contract';
import type { IconName } from '../../ui/icons';

export interface ModeView {
  word: string;
  icon: IconName;
  /** CSS modifier: mode-normal, mode-comm, ... */
  className: string;
  meaning: string;
}

export const MODE_VIEW: Record<Mode, ModeView> = {
  NORMAL: {
    word: 'Normal', icon: 'check', className: 'mode-normal',
    meaning: 'Every gate is healthy and orders take the primary route.',
  },
  'DEGRADED.COMM': {
    word: 'Degraded: comms', icon: 'unlink', className: 'mode-comm',
    meaning: 'A bridge path failed: orders go over a standby path while Guardian repairs it. Trading continues.',
  },
  'DEGRADED.SIGNAL': {
    word: 'Degraded: signals', icon: 'signal', className: 'mode-signal',
    meaning: 'The primary signal service is unhealthy: a fallback tier (cached or heuristic) feeds the EA.',
  },
  'DEGRADED.EXEC': {
    word: 'Manage-only', icon: 'hand', className: 'mode-exec',
    meaning: 'Execution is poor: no new entries; stops and take-profits are still managed.',
  },
  SAFE_MODE: {
    word: 'Safe mode', icon: 'lock', className: 'mode-safe',
    meaning: 'Trading is frozen (or flattened, per policy) until every gate recovers.',
  },
};
