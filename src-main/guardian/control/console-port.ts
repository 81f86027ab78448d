// The control plane as the console server reads it (guardian/server's ControlPlanePort): its view
// each pulse in the contract's words, and the operator controls only it can carry out (hold and
// resume new entries, drain the buffer first, pin or leave a mode early, the kill switch).
import { CONTROL_NAMES } from '../../../src-shared/contract';
import type { PathName } from '../../../src-shared/protocol';
import type { Disposable } from '../lifecycle';
import type { ModeEffect } from '../modes';
import type { ControlHandlers, ControlPlanePort, ControlPlaneView, HandlerResult, LapsedControl } from '../server';
import type { ControlPlane } from './control-plane';

function refusedBy(effects: readonly ModeEffect[]): string | null {
  const r = effects.find((e) => e.type === 'OVERRIDE_REFUSED');
  return r && r.type === 'OVERRIDE_REFUSED' ? r.reason : null;
}

/**
 * The kill switch's latch (guardian/execution): engaged by kill_switch, released only by the
 * guarded resume (a reason, audited). Without it the kill switch is the SAFE_MODE pin alone.
 */
export interface KillSwitchLatch {
  readonly kill: { readonly engaged: boolean };
  engageKill(by: string, reason: string): void;
  releaseKill(): void;
}

/** The console server's view of one control plane. */
export function consolePort(cp: ControlPlane, latch?: KillSwitchLatch): ControlPlanePort {
  /** Releases the kill switch: the latch, its SAFE_MODE pin and any operator hold it came with. */
  const releaseKill = (actor: string, reason: string): string | null => {
    if (cp.modes.state.pin?.mode === 'SAFE_MODE') {
      const refused = refusedBy(cp.unpin(actor, `kill switch released: ${reason}`));
      if (refused) return refused; // still engaged: nothing was lifted
    }
    latch?.releaseKill();
    if (cp.entriesHeldBy) cp.resumeEntries(actor, reason);
    return null;
  };
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
      ...(s.recovery ? { recovery: s.recovery } : {}),
      paths,
      ...(s.controls ? { controls: latch ? { ...s.controls, kill_switch_engaged: latch.kill.engaged } : s.controls } : {}),
    };
  };
  const handlers = (): ControlHandlers => ({
    hold_new_entries: (r, actor): HandlerResult => {
      cp.holdEntries(actor, r.reason, r.expires_in_s ? { expires_in_s: r.expires_in_s } : {});
      return { ok: true, slot: 'entries', lapse: () => cp.resumeEntries(actor, `hold lapsed: ${r.reason}`) };
    },
    drain_buffer_first: (r, actor): HandlerResult => {
      cp.holdEntries(actor, r.reason, { untilDrained: true, ...(r.expires_in_s ? { expires_in_s: r.expires_in_s } : {}) });
      return { ok: true, slot: 'entries', detail: 'new entries wait until the buffer is empty', lapse: () => cp.resumeEntries(actor, `drain lapsed: ${r.reason}`) };
    },
    resume: (r, actor): HandlerResult => {
      // The kill switch's one release: explicit, guarded (reason, audit), and it lifts its pin too.
      if (latch?.kill.engaged) {
        const refused = releaseKill(actor, r.reason);
        return refused ? { ok: false, code: 'REFUSED', error: refused } : { ok: true, slot: 'mode', detail: 'kill switch released: SAFE_MODE pin lifted; the mode now follows the gates' };
      }
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
        // Nothing to lift when the mode manager lapsed the pin first (it keeps it across a restart).
        return refused ? { ok: false, code: 'REFUSED', error: refused } : { ok: true, slot: 'mode', lapse: () => !refusedBy(cp.unpin(actor, `pin lapsed: ${r.reason}`)) };
      }
      const refused = refusedBy(cp.requestExit(duration, actor, r.reason));
      return refused ? { ok: false, code: 'REFUSED', error: refused } : { ok: true, slot: 'mode' };
    },
    kill_switch: (r, actor): HandlerResult => {
      if (latch?.kill.engaged) return { ok: false, code: 'CONFLICT', error: 'The kill switch is already engaged; release it with Resume (a reason is required).' };
      const refused = refusedBy(cp.pin('SAFE_MODE', cp.policy.overrides.max_pin_s, actor, `kill switch: ${r.reason}`));
      if (refused) return { ok: false, code: 'REFUSED', error: refused };
      latch?.engageKill(actor, r.reason);
      // Given an expiry, the kill switch lapses like a release; without one it stays until Resume.
      return {
        ok: true, slot: 'mode', lapse: () => {
          if (latch) releaseKill(actor, `kill switch lapsed: ${r.reason}`);
          else cp.unpin(actor, `kill switch lapsed: ${r.reason}`);
        },
      };
    },
  });
  return {
    pulse_ms: cp.pulse_ms,
    view,
    onPulse: (listener: () => void): Disposable => cp.onPulse(() => listener()),
    handlers,
    onLapse: (listener) => cp.onEvent((e) => {
      const l = e.data?.lapsed;
      if (isLapsed(l)) listener(l);
    }),
  };
}

const CONTROL_NAME_SET: ReadonlySet<string> = new Set(CONTROL_NAMES);

/** The `lapsed` the control plane puts on an event when one of the operator's controls lifted itself. */
function isLapsed(v: unknown): v is LapsedControl {
  if (typeof v !== 'object' || v === null) return false;
  const l = v as Record<string, unknown>;
  return typeof l.control === 'string' && CONTROL_NAME_SET.has(l.control) && typeof l.reason === 'string' && typeof l.detail === 'string';
}
