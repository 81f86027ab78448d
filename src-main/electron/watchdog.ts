// The desktop app's watchdog over its control-plane process: a ping over the host's port every
// ping_every_ms; a pong not back within stall_limit_ms means the host's event loop is stalled, and
// it is killed; a host that exits (killed, crashed) is restarted with the backoff of
// restart-policy.ts. Each restart is an incident, recorded once the new host is up, and the window
// is told at each step. Pure: transition(state, event) -> [state, effects] on the caller's clock;
// the supervisor carries the effects out. No Electron here: tested under Node.
import { restartDecision } from './restart-policy';

export interface WatchdogSettings {
  ping_every_ms: number;
  /** A ping unanswered this long: the host's event loop is stalled. */
  stall_limit_ms: number;
}

export const DEFAULT_WATCHDOG: WatchdogSettings = { ping_every_ms: 1000, stall_limit_ms: 10_000 };

/** Why the host was restarted, as the incident and the window say it. */
export interface RestartCause {
  reason: 'stalled' | 'exited';
  detail: string;
  at_ms: number;
}

export type WatchdogState =
  | { phase: 'starting'; crashes_ms: number[]; cause: RestartCause | null }
  | { phase: 'watching'; crashes_ms: number[]; next_id: number; waiting: { id: number; sent_ms: number } | null; next_ping_ms: number }
  /** Killed for a stall: waiting for it to exit before the restart is scheduled. */
  | { phase: 'killing'; crashes_ms: number[]; cause: RestartCause }
  | { phase: 'restarting'; crashes_ms: number[]; cause: RestartCause }
  | { phase: 'given_up'; why: string }
  | { phase: 'stopping' };

export type WatchdogEvent =
  | { type: 'host_ready'; now_ms: number }
  | { type: 'tick'; now_ms: number }
  | { type: 'pong'; id: number; now_ms: number }
  | { type: 'host_exited'; code: number; now_ms: number }
  /** The app is quitting: no more pings or restarts. */
  | { type: 'stopping' };

export type WatchdogEffect =
  | { type: 'ping'; id: number }
  | { type: 'kill_host'; why: string }
  | { type: 'start_host_in'; delay_ms: number; cause: RestartCause }
  /** The new host is up: record the restart in its incident log. */
  | { type: 'record_restart'; cause: RestartCause; down_ms: number }
  | { type: 'tell_window'; text: string; severity: 'warning' | 'critical' | 'info' };

export function initialWatchdog(): WatchdogState {
  return { phase: 'starting', crashes_ms: [], cause: null };
}

function scheduleRestart(crashes_ms: number[], cause: RestartCause, now_ms: number): [WatchdogState, WatchdogEffect[]] {
  const crashes = [...crashes_ms, now_ms];
  const d = restartDecision(crashes, now_ms);
  const what = cause.reason === 'stalled' ? `stalled (${cause.detail})` : `stopped (${cause.detail})`;
  if (!d.restart) {
    const why = `Guardian's control plane ${what} and is not restarted: ${d.why}`;
    return [{ phase: 'given_up', why }, [{ type: 'tell_window', text: why, severity: 'critical' }]];
  }
  return [
    { phase: 'restarting', crashes_ms: crashes, cause },
    [
      { type: 'start_host_in', delay_ms: d.delay_ms, cause },
      { type: 'tell_window', text: `Guardian's control plane ${what}; restarting in ${Math.round(d.delay_ms / 1000)} s. Figures are from its status file meanwhile.`, severity: 'critical' },
    ],
  ];
}

export function transition(s: WatchdogState, e: WatchdogEvent, o: WatchdogSettings = DEFAULT_WATCHDOG): [WatchdogState, WatchdogEffect[]] {
  if (e.type === 'stopping') return [{ phase: 'stopping' }, []];
  if (s.phase === 'stopping' || s.phase === 'given_up') return [s, []];

  switch (e.type) {
    case 'host_ready': {
      if (s.phase !== 'starting' && s.phase !== 'restarting') return [s, []];
      const watching: WatchdogState = { phase: 'watching', crashes_ms: s.crashes_ms, next_id: 1, waiting: null, next_ping_ms: e.now_ms + o.ping_every_ms };
      if (!s.cause) return [watching, []];
      const down_ms = Math.max(0, e.now_ms - s.cause.at_ms);
      return [watching, [
        { type: 'record_restart', cause: s.cause, down_ms },
        { type: 'tell_window', text: `Guardian's control plane was restarted after it ${s.cause.reason === 'stalled' ? 'stalled' : 'stopped'} (${s.cause.detail}); back after ${(down_ms / 1000).toFixed(1)} s.`, severity: 'warning' },
      ]];
    }
    case 'tick': {
      if (s.phase !== 'watching') return [s, []];
      if (s.waiting && e.now_ms - s.waiting.sent_ms >= o.stall_limit_ms) {
        const detail = `no answer to a ping for ${Math.round((e.now_ms - s.waiting.sent_ms) / 1000)} s`;
        return [
          { phase: 'killing', crashes_ms: s.crashes_ms, cause: { reason: 'stalled', detail, at_ms: e.now_ms } },
          [{ type: 'kill_host', why: detail }, { type: 'tell_window', text: `Guardian's control plane is not responding (${detail}); restarting it.`, severity: 'critical' }],
        ];
      }
      if (s.waiting || e.now_ms < s.next_ping_ms) return [s, []];
      return [{ ...s, next_id: s.next_id + 1, waiting: { id: s.next_id, sent_ms: e.now_ms }, next_ping_ms: e.now_ms + o.ping_every_ms }, [{ type: 'ping', id: s.next_id }]];
    }
    case 'pong':
      if (s.phase !== 'watching' || s.waiting?.id !== e.id) return [s, []]; // late or foreign: ignored
      return [{ ...s, waiting: null }, []];
    case 'host_exited':
      if (s.phase === 'killing') return scheduleRestart(s.crashes_ms, s.cause, e.now_ms);
      // 'restarting': the new host died before it was ready (the old one's exit brought us here).
      if (s.phase === 'watching' || s.phase === 'starting' || s.phase === 'restarting') {
        return scheduleRestart(s.crashes_ms, { reason: 'exited', detail: `exit code ${e.code}`, at_ms: e.now_ms }, e.now_ms);
      }
      return [s, []];
  }
}
