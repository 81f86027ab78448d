// Every COMMAND to its outcome, as pure functions over the open commands: sent (stored for the
// EA) -> acknowledged (the EA's ACK reached its seq) -> confirmed (the EA's STATUS after the ACK
// shows the effect), or unknown when that did not happen within the timeout. Unknown is what
// Guardian knows, never a guess; later evidence may still confirm a command, and says it was late.
import type { CommandName, StatusPayload } from '../../../src-shared/protocol';
import type { CommandState } from '../../../src-shared/contract';

export interface TrackedCommand {
  id: number;
  command: CommandName;
  peer: string;
  seq: number;
  reason: string;
  state: CommandState;
  /** Wall clock, for the record. */
  sent_ms: number;
  acked_ms: number | null;
  confirmed_ms: number | null;
  /** Monotonic (injected clock), for the timeout. */
  sent_mono_ms: number;
  detail: string;
  /** It read unknown once: any later evidence says it came after the timeout. */
  late?: boolean;
}

/** The effect a STATUS must show for the command to be confirmed; null: not (yet) seen. */
export function effectSeen(command: CommandName, s: StatusPayload): string | null {
  switch (command) {
    case 'CANCEL_ALL':
      return s.ea_state !== 'ORDERS_PLACED' ? `no pending order left (STATUS ea_state ${s.ea_state})` : null;
    case 'FLATTEN':
      return s.open_positions === 0 ? 'no open position left (STATUS open_positions 0)' : null;
    case 'HOLD_NEW_ENTRIES':
      return s.ea_state === 'PAUSED' || s.ea_state === 'HALT' ? `the EA holds new entries (STATUS ea_state ${s.ea_state})` : null;
    case 'RESUME':
      return s.ea_state !== 'PAUSED' ? `the EA takes new entries again (STATUS ea_state ${s.ea_state})` : null;
    case 'PING':
      return 'acknowledged';
  }
}

/** The EA's ACKs reached `acked_seq`: its commands up to it are acknowledged (a PING is then confirmed). */
export function onAcked(open: TrackedCommand[], peer: string, acked_seq: number, wall_ms: number): TrackedCommand[] {
  const changed: TrackedCommand[] = [];
  for (const c of open) {
    if (c.peer !== peer || c.seq > acked_seq || c.acked_ms !== null) continue;
    c.acked_ms = wall_ms;
    const late = c.state === 'unknown';
    if (late) c.late = true;
    if (c.command === 'PING') {
      c.state = 'confirmed';
      c.confirmed_ms = wall_ms;
      c.detail = late ? 'acknowledged after the timeout' : 'acknowledged';
    } else if (c.state === 'sent' || late) {
      c.state = 'acknowledged';
      c.detail = late ? 'acknowledged after the timeout; its effect is not seen yet' : 'acknowledged by the EA; waiting for its effect in STATUS';
    }
    changed.push(c);
  }
  return changed;
}

/** A STATUS (or STATUS_RESPONSE) from the EA: acknowledged commands whose effect it shows are confirmed. */
export function onStatus(open: TrackedCommand[], peer: string, status: StatusPayload, wall_ms: number): TrackedCommand[] {
  const changed: TrackedCommand[] = [];
  for (const c of open) {
    if (c.peer !== peer || c.acked_ms === null || c.state === 'confirmed') continue;
    const seen = effectSeen(c.command, status);
    if (seen === null) continue;
    c.detail = c.state === 'unknown' || c.late ? `${seen}, after the timeout` : seen;
    c.state = 'confirmed';
    c.confirmed_ms = wall_ms;
    changed.push(c);
  }
  return changed;
}

/** Commands neither confirmed nor already unknown past the timeout become unknown, saying what was missing. */
export function onTimeout(open: TrackedCommand[], now_mono_ms: number, timeout_ms: number): TrackedCommand[] {
  const changed: TrackedCommand[] = [];
  for (const c of open) {
    if (c.state === 'confirmed' || c.state === 'unknown' || now_mono_ms - c.sent_mono_ms < timeout_ms) continue;
    const s = Math.round(timeout_ms / 100) / 10;
    c.detail = c.acked_ms === null
      ? `not acknowledged by the EA within ${s} s: whether it acted is unknown`
      : `acknowledged, but its effect was not seen in the EA's STATUS within ${s} s`;
    c.state = 'unknown';
    changed.push(c);
  }
  return changed;
}

/** Commands that can still change: not confirmed, and not older than `keep_ms`. */
export function stillOpen(open: TrackedCommand[], now_mono_ms: number, keep_ms: number): TrackedCommand[] {
  return open.filter((c) => c.state !== 'confirmed' && now_mono_ms - c.sent_mono_ms < keep_ms);
}
