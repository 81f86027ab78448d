// The mode manager as a pure transition: transition(state, event, now_ms, policy) -> [state, effects].
//
// Coexisting faults: the state keeps a SET of active degradations (COMM, SIGNAL, EXEC; each with
// its own start and why) plus a SAFE_MODE episode, because a comm fault and a signal fault can be
// true at once and each has its own remedy (switch paths; fall back a signal tier). The mode
// people see is derived: the most severe of them (SAFE_MODE > EXEC > SIGNAL > COMM > NORMAL), raised
// by an operator's pin if stricter. It is never stored, so it cannot disagree with the set.
//
// Hysteresis: a degradation is entered when its score falls below its enter threshold, and all of
// them are left together only after clean pulses (every gate and subsystem >= recover_threshold,
// the veto clear) for dwell_seconds without a break. Between the two lines nothing changes, and
// one bad pulse restarts the dwell, so a flapping input enters once and never exits mid-flap.
import type { ConstraintResult } from '../gates';
import { DEFAULT_FAILOVER_POLICY, type FailoverPolicy } from './policy';
import { posture, postureEffects, type Posture } from './posture';
import { cleanBlockers, degradationWhy, enterThreshold, readSubsystems, readVeto } from './readings';
import {
  DEGRADATIONS, MODE_SEVERITY, modeOfDegradation,
  type Mode, type ModeEffect, type ModeEvent, type ModePulse, type ModeState, type OperatorEvent, type Override, type VetoReading, type Why,
} from './types';

export function initialModeState(): ModeState {
  return { safe: null, degradations: {}, clean_since_ms: null, last_pulse_ms: null, veto: { status: 'blind', why: null }, pin: null, early_exit: null };
}

function naturalMode(s: ModeState): Mode {
  if (s.safe) return 'SAFE_MODE';
  const worst = [...DEGRADATIONS].reverse().find((d) => s.degradations[d]);
  return worst ? modeOfDegradation(worst) : 'NORMAL';
}

/** The mode in force: the most severe active condition, or the operator's pin if stricter. */
export function modeOf(s: ModeState): Mode {
  const natural = naturalMode(s);
  return s.pin && MODE_SEVERITY[s.pin.mode] > MODE_SEVERITY[natural] ? s.pin.mode : natural;
}

function postureOf(s: ModeState): Posture {
  return posture(modeOf(s), !!s.degradations.COMM || s.pin?.mode === 'DEGRADED.COMM', !!s.degradations.SIGNAL || s.pin?.mode === 'DEGRADED.SIGNAL');
}

const operatorWhy = (by: string, text: string): Why => ({ text, constraints: [], by: { operator: by } });

function mergeWhys(whys: readonly Why[]): Why {
  const constraints = new Map<string, ConstraintResult>();
  for (const w of whys) for (const c of w.constraints) constraints.set(c.id, c);
  const operator = whys.find((w) => w.by !== 'policy');
  return { text: whys.map((w) => w.text).join('; '), constraints: [...constraints.values()], by: operator?.by ?? 'policy' };
}

/** Collects what one transition did, in the order people read it. */
class Changes {
  readonly overrides: ModeEffect[] = [];
  readonly degradations: ModeEffect[] = [];
  readonly causes: Why[] = [];
  cause(why: Why): void {
    this.causes.push(why);
  }
}

function expire(s: ModeState, now_ms: number, changes: Changes): ModeState {
  let next = s;
  if (s.pin && now_ms >= s.pin.expires_ms) {
    const override: Override = { kind: 'PIN', ...s.pin };
    changes.overrides.push({ type: 'OVERRIDE_EXPIRED', override });
    changes.cause({ text: `pin to ${s.pin.mode} by ${s.pin.by} expired`, constraints: [], by: 'policy' });
    next = { ...next, pin: null };
  }
  if (s.early_exit && now_ms >= s.early_exit.expires_ms) {
    changes.overrides.push({ type: 'OVERRIDE_EXPIRED', override: { kind: 'EARLY_EXIT', ...s.early_exit } });
    changes.cause({ text: `early exit by ${s.early_exit.by} expired`, constraints: [], by: 'policy' });
    next = { ...next, early_exit: null };
  }
  return next;
}

function clearAll(s: ModeState, why: Why, changes: Changes, options: { safe: boolean }): ModeState {
  for (const d of DEGRADATIONS) if (s.degradations[d]) changes.degradations.push({ type: 'DEGRADATION_CLEARED', degradation: d, why });
  return { ...s, degradations: {}, safe: options.safe ? null : s.safe };
}

function onPulse(state: ModeState, pulse: ModePulse, now_ms: number, policy: FailoverPolicy, changes: Changes): ModeState {
  // A pulse after a long silence cannot extend a dwell across what was not seen.
  const gap = state.last_pulse_ms !== null && now_ms - state.last_pulse_ms > policy.max_pulse_gap_ms;
  const veto: VetoReading = readVeto(pulse, policy);
  let s: ModeState = { ...state, last_pulse_ms: now_ms, veto };

  if (veto.status === 'armed' && veto.why && !s.safe) {
    s = { ...s, safe: { since_ms: now_ms, why: veto.why } };
    changes.cause(veto.why);
  }

  const readings = readSubsystems(pulse);
  for (const d of DEGRADATIONS) {
    const { score } = readings[d];
    const threshold = enterThreshold(policy, d);
    if (score === null || score >= threshold || s.degradations[d] || s.early_exit?.suppress.includes(d)) continue;
    const why = degradationWhy(d, readings[d], threshold);
    s = { ...s, degradations: { ...s.degradations, [d]: { since_ms: now_ms, why } } };
    changes.degradations.push({ type: 'DEGRADATION_ADDED', degradation: d, why });
    changes.cause(why);
  }

  const clean = cleanBlockers(pulse, readings, veto, policy).length === 0;
  const clean_since_ms = !clean ? null : gap || state.clean_since_ms === null ? now_ms : state.clean_since_ms;
  s = { ...s, clean_since_ms };
  const dwell_ms = policy.dwell_seconds * 1000;
  const leaveSafe = s.safe !== null && policy.safe_mode.exit === 'auto';
  if (clean_since_ms !== null && now_ms - clean_since_ms >= dwell_ms && (leaveSafe || Object.keys(s.degradations).length > 0)) {
    const why: Why = { text: `every gate and subsystem >= ${policy.recover_threshold} and the risk veto clear for ${policy.dwell_seconds} s`, constraints: [], by: 'policy' };
    s = clearAll(s, why, changes, { safe: leaveSafe });
    changes.cause(why);
  }
  return s;
}

const isMode = (m: unknown): m is Exclude<Mode, 'NORMAL'> => typeof m === 'string' && m !== 'NORMAL' && Object.hasOwn(MODE_SEVERITY, m);

/** Guard rails every operator request passes: who, why, and for how long. */
function refusal(s: ModeState, e: OperatorEvent, policy: FailoverPolicy): string | null {
  if (typeof e.by !== 'string' || !e.by.trim()) return 'an operator name is required';
  if (typeof e.reason !== 'string' || !e.reason.trim()) return 'a reason is required';
  if (e.type === 'OPERATOR_UNPIN') return s.pin ? null : 'no pin to remove';
  const max_s = e.type === 'OPERATOR_PIN' ? policy.overrides.max_pin_s : policy.overrides.max_exit_s;
  if (!(Number.isFinite(e.duration_ms) && e.duration_ms > 0 && e.duration_ms <= max_s * 1000)) {
    return `duration must be more than 0 and at most ${max_s} s, got ${e.duration_ms} ms`;
  }
  const current = modeOf(s);
  if (e.type === 'OPERATOR_PIN') {
    if (!isMode(e.mode)) return `cannot pin ${String(e.mode)}: pin one of DEGRADED.COMM, DEGRADED.SIGNAL, DEGRADED.EXEC, SAFE_MODE`;
    return MODE_SEVERITY[e.mode] < MODE_SEVERITY[current] ? `${e.mode} is less strict than the current ${current}; a pin may only tighten` : null;
  }
  // Leaving early is never allowed against the risk veto, nor while it cannot be seen to be clear.
  if (s.veto.status === 'armed') return `refused while the risk veto holds: ${s.veto.why?.text ?? ''}`;
  if (s.safe && s.veto.status !== 'clear') return `refused in SAFE_MODE until the risk veto is seen clear: ${s.veto.why?.text ?? 'no pulse yet'}`;
  return current === 'NORMAL' ? 'nothing to leave: the mode is NORMAL' : null;
}

function onOperator(s: ModeState, e: OperatorEvent, now_ms: number, policy: FailoverPolicy, changes: Changes): ModeState {
  const refused = refusal(s, e, policy);
  if (refused) {
    changes.overrides.push({ type: 'OVERRIDE_REFUSED', request: e, reason: refused });
    return s;
  }
  let next = s;
  if (s.pin && e.type !== 'OPERATOR_PIN') {
    changes.overrides.push({ type: 'OVERRIDE_CLEARED', override: { kind: 'PIN', ...s.pin }, by: e.by, reason: e.reason });
    next = { ...next, pin: null };
  }
  switch (e.type) {
    case 'OPERATOR_UNPIN':
      changes.cause(operatorWhy(e.by, `pin removed by ${e.by}: ${e.reason}`));
      return next;
    case 'OPERATOR_PIN': {
      const pin = { mode: e.mode, by: e.by, reason: e.reason, set_ms: now_ms, expires_ms: now_ms + e.duration_ms };
      changes.overrides.push({ type: 'OVERRIDE_ACCEPTED', override: { kind: 'PIN', ...pin } });
      changes.cause(operatorWhy(e.by, `pinned to ${e.mode} by ${e.by} for ${e.duration_ms / 1000} s: ${e.reason}`));
      return { ...next, pin };
    }
    case 'OPERATOR_EXIT': {
      // The faults left behind may not re-enter until the early exit expires; new ones still can.
      const suppress = DEGRADATIONS.filter((d) => s.degradations[d]);
      const early_exit = { suppress, by: e.by, reason: e.reason, set_ms: now_ms, expires_ms: now_ms + e.duration_ms };
      const why = operatorWhy(e.by, `early exit by ${e.by} for ${e.duration_ms / 1000} s: ${e.reason}`);
      changes.overrides.push({ type: 'OVERRIDE_ACCEPTED', override: { kind: 'EARLY_EXIT', ...early_exit } });
      changes.cause(why);
      return { ...clearAll(next, why, changes, { safe: true }), early_exit, clean_since_ms: null };
    }
  }
}

export function transition(
  state: ModeState,
  event: ModeEvent,
  now_ms: number,
  policy: FailoverPolicy = DEFAULT_FAILOVER_POLICY,
): [ModeState, ModeEffect[]] {
  const changes = new Changes();
  let s = expire(state, now_ms, changes);
  if (event.type === 'PULSE') s = onPulse(s, event.pulse, now_ms, policy, changes);
  else if (event.type !== 'TICK') s = onOperator(s, event, now_ms, policy, changes);

  const before = postureOf(state);
  const after = postureOf(s);
  const why = mergeWhys(changes.causes);
  const modeChange: ModeEffect[] = before.mode === after.mode ? [] : [{ type: 'MODE_CHANGED', from: before.mode, to: after.mode, why }];
  const effects = [...changes.overrides, ...modeChange, ...changes.degradations, ...postureEffects(before, after, why.text, policy)];
  return [s, effects];
}

/** Moves a saved state's monotonic times by shift_ms; the dwell restarts (downtime was not observed). */
export function shiftModeState(s: ModeState, shift_ms: number): ModeState {
  const degradations: ModeState['degradations'] = {};
  for (const d of DEGRADATIONS) {
    const episode = s.degradations[d];
    if (episode) degradations[d] = { ...episode, since_ms: episode.since_ms + shift_ms };
  }
  return {
    ...s,
    safe: s.safe && { ...s.safe, since_ms: s.safe.since_ms + shift_ms },
    degradations,
    clean_since_ms: null,
    last_pulse_ms: null,
    pin: s.pin && { ...s.pin, set_ms: s.pin.set_ms + shift_ms, expires_ms: s.pin.expires_ms + shift_ms },
    early_exit: s.early_exit && { ...s.early_exit, set_ms: s.early_exit.set_ms + shift_ms, expires_ms: s.early_exit.expires_ms + shift_ms },
  };
}

