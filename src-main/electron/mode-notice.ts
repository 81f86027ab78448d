// OS notifications on mode changes: one when the mode changes, none for the first status after
// start (that is not news) and none while it stays. Worse modes are urgent; the way back is not.
import type { GuardianStatus, Mode, StreamEvent } from '../../src-shared/contract';

export interface ModeNotice {
  title: string;
  body: string;
  urgency: 'normal' | 'critical';
}

const RANK: Record<Mode, number> = { NORMAL: 0, 'DEGRADED.SIGNAL': 1, 'DEGRADED.COMM': 1, 'DEGRADED.EXEC': 2, SAFE_MODE: 3 };
const WORDS: Record<Mode, string> = {
  NORMAL: 'back to normal',
  'DEGRADED.COMM': 'degraded: comms',
  'DEGRADED.SIGNAL': 'degraded: signals',
  'DEGRADED.EXEC': 'manage-only (no new entries)',
  SAFE_MODE: 'SAFE MODE: trading frozen',
};

/** Follows the event stream and says when the mode changed, and what to tell the trader. */
export class ModeWatch {
  private mode: Mode | null = null;

  get current(): Mode | null {
    return this.mode;
  }

  /** Feeds one event; returns the notice to show, if the mode changed. */
  push(event: StreamEvent): ModeNotice | null {
    if (event.type !== 'status') return null;
    return this.observe(event.status);
  }

  observe(status: GuardianStatus): ModeNotice | null {
    const before = this.mode;
    this.mode = status.mode;
    if (before === null || before === status.mode) return null;
    return modeNotice(before, status);
  }

  /** Forgets the mode (the control plane restarted): its next status is not a change. */
  reset(): void {
    this.mode = null;
  }
}

export function modeNotice(before: Mode, status: GuardianStatus): ModeNotice {
  const latest = status.incidents[0];
  const why = latest?.reason ? `Why: ${latest.reason}.` : '';
  const score = `Overall score ${Math.round(status.overall_score)}.`;
  return {
    title: `Guardian: ${WORDS[status.mode]}`,
    body: [`Before: ${before}.`, why, score].filter(Boolean).join(' '),
    urgency: RANK[status.mode] > RANK[before] ? 'critical' : 'normal',
  };
}
