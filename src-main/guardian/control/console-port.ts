// The control plane as the console server reads it (guardian/server's ControlPlanePort): its view
// each pulse in the contract's words, and the operator controls only it can carry out (hold and
// resume new entries, drain the buffer first, pin or leave a mode early, the kill switch).
import type { PathName } from '../../../src-shared/protocol';
import type { Disposable } from '../lifecycle';
import type { ModeEffect } from '../modes';
import type { ControlHandlers, ControlPlanePort, ControlPlaneView, HandlerResult } from '../server';
import type { ControlPlane } from './control-plane';

function refusedBy(effects: readonly ModeEffect[]): string | null {
  const r = effects.find((e) => e.type === 'OVERRIDE_REFUSED');
  return r && r.type === 'OVERRIDE_REFUSED' ? r.reason : null;
}

/** The console server's view of one control plane. */
export function consolePort(cp: ControlPlane): ControlPlanePort {
  const view = (): ControlPlaneView => {
    const s = cp.controlStatus();
    const paths: Partial<Record<PathName, { healthy: boolean; last_error?: string | null }>> = {};
    for (const [path, m] of Object.entries(s.routes.metrics)) if (m) paths[path as PathName] = { healthy: m.healthy, last_error: m.last_error ?? null };
    return {
      mode: s.mode,
      overall_score: s.overall_score,
      scores: s.scores,
      policy: s.policy,
      agent_votes: s.agent_votes,
      ...(s.gates ? { gates: s.gates } : {}),
      ...(s.consensus ? { consensus: s.consensus } : {}),
      ...(s.risk ? { risk: s.risk } : {}),
      ...(s.slo ? { slo: s.slo } : {}),
      ...(s.broker ? { broker: s.broker } : {}),
      ...(s.active_tier ? { active_tier: s.active_tier } : {}),
      paths,
      ...(s.controls ? { controls: s.controls } : {}),
    };
  };
  const handlers = (): ControlHandlers => ({
    hold_new_entries: (r, actor): HandlerResult => {
      cp.holdEntries(actor, r.reason);
      return { ok: true, slot: 'entries', lapse: () => cp.resumeEntries(actor, `hold lapsed: ${r.reason}`) };
    },
    drain_buffer_first: (r, actor): HandlerResult => {
      cp.holdEntries(actor, r.reason, { untilDrained: true });
      return { ok: true, slot: 'entries', detail: 'new entries wait until the buffer is empty', lapse: () => cp.resumeEntries(actor, `drain lapsed: ${r.reason}`) };
    },
    resume: (r, actor): HandlerResult => {
      if (!cp.entriesHeldBy) return { ok: false, code: 'CONFLICT', error: 'New entries are not held by an operator (a mode may still hold them: see the mode).' };
      cp.resumeEntries(actor, r.reason);
      return { ok: true, slot: 'entries' };
    },
    override_mode: (r, actor): HandlerResult => {
      const max = r.direction === 'pin' ? cp.policy.overrides.max_pin_s : cp.policy.overrides.max_exit_s;
      const duration = Math.min(r.expires_in_s ?? max, max);
      if (r.direction === 'pin') {
        if (r.mode === 'NORMAL') return { ok: false, code: 'BAD_REQUEST', error: 'NORMAL cannot be pinned: pin a stricter mode, or leave the current one early.' };
        const refused = refusedBy(cp.pin(r.mode, duration, actor, r.reason));
        return refused ? { ok: false, code: 'REFUSED', error: refused } : { ok: true, slot: 'mode', lapse: () => cp.unpin(actor, `pin lapsed: ${r.reason}`) };
      }
      const refused = refusedBy(cp.requestExit(duration, actor, r.reason));
      return refused ? { ok: false, code: 'REFUSED', error: refused } : { ok: true, slot: 'mode' };
    },
    kill_switch: (r, actor): HandlerResult => {
      const refused = refusedBy(cp.pin('SAFE_MODE', cp.policy.overrides.max_pin_s, actor, `kill switch: ${r.reason}`));
      return refused ? { ok: false, code: 'REFUSED', error: refused } : { ok: true, slot: 'mode', lapse: () => cp.unpin(actor, `kill switch lapsed: ${r.reason}`) };
    },
  });
  return {
    pulse_ms: cp.pulse_ms,
    view,
    onPulse: (listener: () => void): Disposable => cp.onPulse(() => listener()),
    handlers,
  };
}
