import { describe, expect, it } from 'vitest';
import { GATE_NAMES, type ConstraintResult, type GateName, type GateScore } from '../gates';
import {
  DEFAULT_FAILOVER_POLICY, initialModeState, modeOf, parsePolicy, recoveryBlockers, transition,
  type FailoverPolicy, type ModeEffect, type ModeEvent, type ModePulse, type ModeState,
} from './index';

function gate(name: GateName, score: number | null, failing: ConstraintResult[] = []): GateScore {
  const status = score === null ? 'unknown' : score >= 85 ? 'green' : score >= 70 ? 'amber' : 'red';
  return {
    gate: name, score, status, capped: false, failing, unknown: [],
    counts: { total: 1, pass: failing.length ? 0 : 1, failed_warning: 0, failed_critical: failing.length, unknown: 0 },
  };
}

type PulseOptions = Partial<Omit<ModePulse, 'gates'>> & { gates?: Partial<Record<GateName, number | null | GateScore>> };
/** A healthy pulse (every score 95, risk inputs inside their caps) with the given changes. */
function pulse(o: PulseOptions = {}): ModePulse {
  const gates = Object.fromEntries(GATE_NAMES.map((g) => {
    const v = o.gates?.[g];
    return [g, typeof v === 'object' && v !== null ? v : gate(g, v === undefined ? 95 : v)];
  })) as Record<GateName, GateScore>;
  return {
    comm_score: 95, signal_score: 95, exec_score: 95, portfolio_correlation: 0.3, slippage_bps: 2, emergency_stop: null,
    ...o, gates,
  };
}
const good = () => pulse();
const badComm = () => pulse({ comm_score: 50 });

/** Runs timed events from a state, keeping every effect with its time. */
function run(events: Array<[number, ModeEvent]>, start: ModeState = initialModeState(), policy: FailoverPolicy = DEFAULT_FAILOVER_POLICY) {
  let state = start;
  const effects: Array<ModeEffect & { at: number }> = [];
  for (const [at, event] of events) {
    const [next, out] = transition(state, event, at, policy);
    state = next;
    effects.push(...out.map((e) => ({ ...e, at })));
  }
  return { state, effects, mode: modeOf(state) };
}
const P = (at: number, p: ModePulse): [number, ModeEvent] => [at, { type: 'PULSE', pulse: p }];
/** Pulses every 250 ms from `from` to `to` inclusive. */
function every250(from: number, to: number, make: (at: number, i: number) => ModePulse): Array<[number, ModeEvent]> {
  const out: Array<[number, ModeEvent]> = [];
  for (let at = from, i = 0; at <= to; at += 250, i++) out.push(P(at, make(at, i)));
  return out;
}
const types = (effects: readonly ModeEffect[]) => effects.map((e) => (e.type === 'SEND_COMMAND' ? `SEND_COMMAND:${e.command}` : e.type));
const modeChanges = (effects: readonly ModeEffect[]) => effects.filter((e) => e.type === 'MODE_CHANGED').map((e) => `${e.from}->${e.to}`);

describe('entering a degraded mode', () => {
  it('stays NORMAL on a healthy pulse, with no effects', () => {
    expect(run([P(0, good())])).toMatchObject({ mode: 'NORMAL', effects: [] });
  });

  it('enters DEGRADED.COMM below 70, saying why with the failing constraints and their values', () => {
    const latency: ConstraintResult = {
      id: 'bridge_latency', gate: 'broker_connectivity', severity: 'critical', status: 'fail', value: 310, limit: 150, explanation: 'bridge_latency_ms 310 >= 150',
    };
    const { mode, effects, state } = run([P(0, pulse({ gates: { broker_connectivity: gate('broker_connectivity', 40, [latency]) }, comm_score: 91 }))]);
    expect(mode).toBe('DEGRADED.COMM');
    expect(types(effects)).toEqual(['MODE_CHANGED', 'DEGRADATION_ADDED', 'SWITCH_PATHS']);
    expect(effects[0]).toMatchObject({
      from: 'NORMAL', to: 'DEGRADED.COMM',
      why: { text: 'comm 40 < 70 (broker_connectivity 40, path health 91)', constraints: [latency], by: 'policy' },
    });
    expect(effects[2]).toMatchObject({ type: 'SWITCH_PATHS', direction: 'failover' });
    expect(state.degradations.COMM?.since_ms).toBe(0);
  });

  it('does nothing between the enter and recover lines (hysteresis)', () => {
    expect(run([P(0, pulse({ comm_score: 75, signal_score: 66, exec_score: 61 }))]).effects).toEqual([]);
  });

  it('maps a capped risk gate (a failed critical) to DEGRADED.EXEC: manage-only, the EA told to hold', () => {
    const corr: ConstraintResult = {
      id: 'portfolio_correlation', gate: 'risk_management', severity: 'critical', status: 'fail', value: 0.72, limit: 0.7, explanation: 'portfolio_correlation 0.72 >= 0.7',
    };
    const { mode, effects } = run([P(0, pulse({ gates: { risk_management: gate('risk_management', 40, [corr]) }, portfolio_correlation: 0.72 }))]);
    expect(mode).toBe('DEGRADED.EXEC');
    expect(types(effects)).toEqual(['MODE_CHANGED', 'DEGRADATION_ADDED', 'HOLD_NEW_ENTRIES', 'SEND_COMMAND:HOLD_NEW_ENTRIES']);
    expect(effects[0]).toMatchObject({ why: { text: 'exec 40 < 60 (market_quality 95, risk_management 40, system_health 95, execution quality 95)', constraints: [corr] } });
    expect(effects[2]).toMatchObject({ ttl_ms: 30_000 });
  });

  it('enters DEGRADED.SIGNAL below 65 and falls back to the cached tier', () => {
    const { mode, effects } = run([P(0, pulse({ signal_score: 64.9 }))]);
    expect(mode).toBe('DEGRADED.SIGNAL');
    expect(effects.at(-1)).toMatchObject({ type: 'USE_SIGNAL_TIER', tier: 'cached' });
  });

  it('does not enter on an unknown score (no evidence of a fault), nor leave on one', () => {
    expect(run([P(0, pulse({ comm_score: null, gates: { broker_connectivity: null } }))]).mode).toBe('NORMAL');
    const entered = run([P(0, badComm())]).state;
    const blind = run(every250(250, 30_000, () => pulse({ gates: { system_health: null } })), entered);
    expect(blind.mode).toBe('DEGRADED.COMM');
  });
});

describe('leaving: every gate >= 85 for dwell_seconds without a break', () => {
  const entered = () => run([P(0, badComm())]).state;

  it('does not leave after 19.9 s of clean pulses, leaves at exactly 20 s', () => {
    const clean = [...every250(1_000, 20_750, good), P(20_900, good())];
    const before = run(clean, entered());
    expect(before.mode).toBe('DEGRADED.COMM');
    expect(before.state.clean_since_ms).toBe(1_000);
    const after = run([P(21_000, good())], before.state);
    expect(after.mode).toBe('NORMAL');
    expect(types(after.effects)).toEqual(['MODE_CHANGED', 'DEGRADATION_CLEARED', 'SWITCH_PATHS']);
    expect(after.effects[0]).toMatchObject({ why: { text: 'every gate and subsystem >= 85 and the risk veto clear for 20 s', by: 'policy' } });
    expect(after.effects[2]).toMatchObject({ direction: 'switch_back' });
  });

  it('turns 100 alternating bad/good pulses at 250 ms into exactly one entry and no exit, then exits once after a clean dwell', () => {
    const flaps = every250(0, 99 * 250, (_, i) => (i % 2 === 0 ? badComm() : good()));
    expect(flaps).toHaveLength(100);
    const flapping = run(flaps);
    expect(modeChanges(flapping.effects)).toEqual(['NORMAL->DEGRADED.COMM']);
    expect(flapping.effects.filter((e) => e.type === 'SWITCH_PATHS')).toHaveLength(1);
    const settled = run(every250(25_000, 45_000, good), flapping.state);
    expect(modeChanges(settled.effects)).toEqual(['DEGRADED.COMM->NORMAL']);
    // The last flap (pulse 99, at 24.75 s) was good: the clean run starts there.
    expect(settled.effects.find((e) => e.type === 'MODE_CHANGED')?.at).toBe(44_750);
  });

  it('restarts the dwell on a pulse just below the recover line', () => {
    const events = [...every250(1_000, 15_000, good), P(15_250, pulse({ comm_score: 84.9 })), ...every250(15_500, 36_000, good)];
    const { effects } = run(events, entered());
    // Not at 21 s (20 s after the first clean pulse) but 20 s after the run that followed the dip.
    expect(effects.find((e) => e.type === 'MODE_CHANGED')?.at).toBe(35_500);
  });

  it('restarts the dwell after a gap in the pulse: what was not seen does not count as clean', () => {
    const events = [...every250(1_000, 10_000, good), ...every250(11_500, 32_000, good)];
    const { effects } = run(events, entered());
    // The 1.5 s gap (> max_pulse_gap_ms 1000) restarts the dwell at 11.5 s.
    expect(effects.find((e) => e.type === 'MODE_CHANGED')?.at).toBe(31_500);
  });

  it('needs every gate known: an unknown gate blocks recovery, and says so', () => {
    const blind = () => pulse({ gates: { market_quality: null }, portfolio_correlation: null });
    const { mode } = run(every250(1_000, 30_000, blind), entered());
    expect(mode).toBe('DEGRADED.COMM');
    expect(recoveryBlockers(blind(), DEFAULT_FAILOVER_POLICY)).toEqual(['market_quality unknown', 'risk veto cannot clear: portfolio_correlation unknown']);
  });

  it('names the input that holds a subsystem under the line, which no gate names', () => {
    expect(recoveryBlockers(pulse({ comm_score: 50 }), DEFAULT_FAILOVER_POLICY)).toEqual(['comm 50 (path health 50)']);
  });
});

describe('coexisting degradations', () => {
  it('keeps a comm fault and a signal fault together; the mode shows the more severe', () => {
    const { mode, effects, state } = run([P(0, pulse({ comm_score: 50, signal_score: 40 }))]);
    expect(mode).toBe('DEGRADED.SIGNAL');
    expect(Object.keys(state.degradations).sort()).toEqual(['COMM', 'SIGNAL']);
    expect(types(effects)).toEqual(['MODE_CHANGED', 'DEGRADATION_ADDED', 'DEGRADATION_ADDED', 'SWITCH_PATHS', 'USE_SIGNAL_TIER']);
    expect(effects[0]).toMatchObject({ why: { text: 'comm 50 < 70 (broker_connectivity 95, path health 50); signal 40 < 65 (signal tier health 40)' } });
  });

  it('adds a less severe fault without changing the mode, but still applies its remedy', () => {
    const signal = run([P(0, pulse({ signal_score: 40 }))]);
    const both = run([P(250, pulse({ signal_score: 40, comm_score: 50 }))], signal.state);
    expect(both.mode).toBe('DEGRADED.SIGNAL');
    expect(types(both.effects)).toEqual(['DEGRADATION_ADDED', 'SWITCH_PATHS']);
  });

  it('escalates to DEGRADED.EXEC, then leaves everything together after one clean dwell', () => {
    const events = [P(0, pulse({ comm_score: 50, signal_score: 40 })), P(250, pulse({ comm_score: 50, signal_score: 40, exec_score: 30 }))];
    const degraded = run(events);
    expect(degraded.mode).toBe('DEGRADED.EXEC');
    expect(modeChanges(degraded.effects)).toEqual(['NORMAL->DEGRADED.SIGNAL', 'DEGRADED.SIGNAL->DEGRADED.EXEC']);
    const recovered = run(every250(500, 20_500, good), degraded.state);
    expect(recovered.mode).toBe('NORMAL');
    expect(types(recovered.effects)).toEqual([
      'MODE_CHANGED', 'DEGRADATION_CLEARED', 'DEGRADATION_CLEARED', 'DEGRADATION_CLEARED',
      'SWITCH_PATHS', 'USE_SIGNAL_TIER', 'RELEASE_HELD_SIGNALS', 'SEND_COMMAND:RESUME',
    ]);
    expect(recovered.effects).toContainEqual(expect.objectContaining({ type: 'USE_SIGNAL_TIER', tier: 'primary' }));
  });

  it('does not leave one fault while another keeps a gate below the recover line', () => {
    const degraded = run([P(0, pulse({ comm_score: 50, signal_score: 40 }))]);
    const halfHealed = run(every250(250, 30_000, () => pulse({ signal_score: 80 })), degraded.state);
    expect(Object.keys(halfHealed.state.degradations).sort()).toEqual(['COMM', 'SIGNAL']);
  });
});

describe('the risk veto', () => {
  it('goes to SAFE_MODE on correlation above 0.75 and tells the EA to hold and cancel pending orders', () => {
    const { mode, effects } = run([P(0, pulse({ portfolio_correlation: 0.82 }))]);
    expect(mode).toBe('SAFE_MODE');
    expect(types(effects)).toEqual(['MODE_CHANGED', 'EXPIRE_HELD_SIGNALS', 'SEND_COMMAND:HOLD_NEW_ENTRIES', 'SEND_COMMAND:CANCEL_ALL']);
    expect(effects[0]).toMatchObject({ to: 'SAFE_MODE', why: { text: 'risk veto: portfolio_correlation 0.82 > 0.75' } });
    expect(effects[2]).toMatchObject({ reason: 'risk veto: portfolio_correlation 0.82 > 0.75' });
  });

  it('arms on slippage above 25 bps, or on the risk agent\'s EMERGENCY_STOP, and not at the cap itself', () => {
    expect(run([P(0, pulse({ slippage_bps: 25.5 }))]).mode).toBe('SAFE_MODE');
    expect(run([P(0, pulse({ emergency_stop: { facts: ['daily loss 3.2% >= 3%'] } }))]).effects[0])
      .toMatchObject({ why: { text: 'risk veto: risk agent EMERGENCY_STOP (daily loss 3.2% >= 3%)' } });
    expect(run([P(0, pulse({ portfolio_correlation: 0.75, slippage_bps: 25 }))]).mode).toBe('NORMAL');
  });

  it('flattens as well when the policy says flatten', () => {
    const policy = parsePolicy({ safe_mode: { action: 'flatten' } });
    const { effects } = run([P(0, pulse({ portfolio_correlation: 0.9 }))], initialModeState(), policy);
    expect(types(effects)).toEqual(['MODE_CHANGED', 'EXPIRE_HELD_SIGNALS', 'SEND_COMMAND:HOLD_NEW_ENTRIES', 'SEND_COMMAND:CANCEL_ALL', 'SEND_COMMAND:FLATTEN']);
  });

  it('expires held signals when a veto arrives in manage-only mode, and does not send HOLD twice', () => {
    const exec = run([P(0, pulse({ exec_score: 30 }))]);
    const safe = run([P(250, pulse({ exec_score: 30, slippage_bps: 40 }))], exec.state);
    expect(types(safe.effects)).toEqual(['MODE_CHANGED', 'EXPIRE_HELD_SIGNALS', 'SEND_COMMAND:CANCEL_ALL']);
  });

  it('leaves SAFE_MODE only once the veto is clear and the dwell is done, resuming without releasing anything', () => {
    const safe = run([P(0, pulse({ portfolio_correlation: 0.82 }))]).state;
    const stillVetoed = run(every250(250, 30_000, () => pulse({ portfolio_correlation: 0.76 })), safe);
    expect(stillVetoed.mode).toBe('SAFE_MODE');
    const blind = run(every250(30_250, 60_000, () => pulse({ portfolio_correlation: null })), stillVetoed.state);
    expect(blind.mode).toBe('SAFE_MODE');
    const clear = run(every250(60_250, 80_250, good), blind.state);
    expect(clear.mode).toBe('NORMAL');
    expect(clear.effects.find((e) => e.type === 'MODE_CHANGED')?.at).toBe(80_250);
    expect(types(clear.effects)).toEqual(['MODE_CHANGED', 'SEND_COMMAND:RESUME']);
  });

  it('with safe_mode.exit: operator, waits for an operator after the dwell', () => {
    const policy = parsePolicy({ safe_mode: { exit: 'operator' } });
    const safe = run([P(0, pulse({ portfolio_correlation: 0.82 }))], initialModeState(), policy).state;
    const dwelt = run(every250(250, 60_000, good), safe, policy);
    expect(dwelt.mode).toBe('SAFE_MODE');
    const released = run([[60_100, { type: 'OPERATOR_EXIT', duration_ms: 60_000, by: 'alice', reason: 'correlation back to 0.3' }]], dwelt.state, policy);
    expect(released.mode).toBe('NORMAL');
    expect(released.effects.find((e) => e.type === 'MODE_CHANGED')).toMatchObject({ why: { by: { operator: 'alice' } } });
  });
});

describe('operator overrides', () => {
  const exit = (at: number, by = 'alice', reason = 'broker confirmed the fix', duration_ms = 600_000): [number, ModeEvent] =>
    [at, { type: 'OPERATOR_EXIT', duration_ms, by, reason }];

  it('pins a stricter mode until it expires by itself, saying so', () => {
    const pinned = run([P(0, good()), [100, { type: 'OPERATOR_PIN', mode: 'DEGRADED.EXEC', duration_ms: 60_000, by: 'bob', reason: 'NFP in 5 minutes' }]]);
    expect(pinned.mode).toBe('DEGRADED.EXEC');
    expect(types(pinned.effects)).toEqual(['OVERRIDE_ACCEPTED', 'MODE_CHANGED', 'HOLD_NEW_ENTRIES', 'SEND_COMMAND:HOLD_NEW_ENTRIES']);
    expect(pinned.effects[1]).toMatchObject({ why: { text: 'pinned to DEGRADED.EXEC by bob for 60 s: NFP in 5 minutes', by: { operator: 'bob' } } });
    // Healthy pulses do not lift a pin.
    const held = run(every250(250, 60_000, good), pinned.state);
    expect(held.mode).toBe('DEGRADED.EXEC');
    const expired = run([[60_100, { type: 'TICK' }]], held.state);
    expect(expired.mode).toBe('NORMAL');
    expect(types(expired.effects)).toEqual(['OVERRIDE_EXPIRED', 'MODE_CHANGED', 'RELEASE_HELD_SIGNALS', 'SEND_COMMAND:RESUME']);
    expect(expired.effects[0]).toMatchObject({ override: { kind: 'PIN', mode: 'DEGRADED.EXEC', by: 'bob', expires_ms: 60_100 } });
    expect(expired.effects[1]).toMatchObject({ why: { text: 'pin to DEGRADED.EXEC by bob expired' } });
  });

  it('refuses a pin that would loosen, that is too long, or that has no reason', () => {
    const exec = run([P(0, pulse({ exec_score: 30 }))]).state;
    const refusals = run([
      [1, { type: 'OPERATOR_PIN', mode: 'DEGRADED.COMM', duration_ms: 1_000, by: 'bob', reason: 'x' }],
      [2, { type: 'OPERATOR_PIN', mode: 'SAFE_MODE', duration_ms: 3_600_001, by: 'bob', reason: 'x' }],
      [3, { type: 'OPERATOR_PIN', mode: 'SAFE_MODE', duration_ms: 1_000, by: 'bob', reason: ' ' }],
      [4, { type: 'OPERATOR_PIN', mode: 'NORMAL' as never, duration_ms: 1_000, by: 'bob', reason: 'x' }],
    ], exec);
    expect(refusals.effects.map((e) => (e.type === 'OVERRIDE_REFUSED' ? e.reason : e.type))).toEqual([
      'DEGRADED.COMM is less strict than the current DEGRADED.EXEC; a pin may only tighten',
      'duration must be more than 0 and at most 3600 s, got 3600001 ms',
      'a reason is required',
      'cannot pin NORMAL: pin one of DEGRADED.COMM, DEGRADED.SIGNAL, DEGRADED.EXEC, SAFE_MODE',
    ]);
    expect(refusals.state).toEqual(exec);
  });

  it('refuses an early exit while the risk veto holds', () => {
    const safe = run([P(0, pulse({ portfolio_correlation: 0.82 }))]).state;
    const { effects, mode } = run([exit(100)], safe);
    expect(mode).toBe('SAFE_MODE');
    expect(effects).toEqual([expect.objectContaining({ type: 'OVERRIDE_REFUSED', reason: 'refused while the risk veto holds: risk veto: portfolio_correlation 0.82 > 0.75' })]);
  });

  it('allows an early exit with a reason, keeps the fault out until it expires, then lets it back in', () => {
    const degraded = run([P(0, badComm())]).state;
    const left = run([exit(1_000)], degraded);
    expect(left.mode).toBe('NORMAL');
    expect(types(left.effects)).toEqual(['OVERRIDE_ACCEPTED', 'MODE_CHANGED', 'DEGRADATION_CLEARED', 'SWITCH_PATHS']);
    expect(left.effects[1]).toMatchObject({ why: { text: 'early exit by alice for 600 s: broker confirmed the fix', by: { operator: 'alice' } } });

    const suppressed = run(every250(1_250, 600_750, badComm), left.state);
    expect(suppressed.mode).toBe('NORMAL');
    expect(suppressed.effects).toEqual([]);

    const expiry = run([P(601_000, badComm())], suppressed.state);
    expect(types(expiry.effects)).toEqual(['OVERRIDE_EXPIRED', 'MODE_CHANGED', 'DEGRADATION_ADDED', 'SWITCH_PATHS']);
    expect(expiry.mode).toBe('DEGRADED.COMM');
  });

  it('does not let an early exit hide a different fault or the risk veto', () => {
    const left = run([P(0, badComm()), exit(100)]).state;
    expect(run([P(250, pulse({ comm_score: 50, exec_score: 20 }))], left).mode).toBe('DEGRADED.EXEC');
    expect(run([P(250, pulse({ comm_score: 50, slippage_bps: 30 }))], left).mode).toBe('SAFE_MODE');
  });

  it('refuses an early exit from SAFE_MODE until the veto is seen clear, and with nothing to leave', () => {
    const safe = run([P(0, pulse({ portfolio_correlation: 0.82 })), P(250, pulse({ portfolio_correlation: null }))]).state;
    expect(run([exit(300)], safe).effects[0]).toMatchObject({ reason: 'refused in SAFE_MODE until the risk veto is seen clear: risk veto cannot clear: portfolio_correlation unknown' });
    expect(run([exit(300)]).effects[0]).toMatchObject({ reason: 'nothing to leave: the mode is NORMAL' });
  });

  it('clears a pin on an early exit or an unpin, saying who did it', () => {
    const pinned = run([[0, { type: 'OPERATOR_PIN', mode: 'DEGRADED.SIGNAL', duration_ms: 60_000, by: 'bob', reason: 'vendor maintenance' }]]);
    expect(pinned.effects).toContainEqual(expect.objectContaining({ type: 'USE_SIGNAL_TIER', tier: 'cached' }));
    const unpinned = run([[10, { type: 'OPERATOR_UNPIN', by: 'carol', reason: 'maintenance done' }]], pinned.state);
    expect(unpinned.mode).toBe('NORMAL');
    expect(types(unpinned.effects)).toEqual(['OVERRIDE_CLEARED', 'MODE_CHANGED', 'USE_SIGNAL_TIER']);
    expect(unpinned.effects[0]).toMatchObject({ by: 'carol', reason: 'maintenance done' });
  });
});

describe('state', () => {
  it('is plain JSON: a state read back from JSON behaves the same', () => {
    const events: Array<[number, ModeEvent]> = [
      P(0, pulse({ comm_score: 50, signal_score: 40 })),
      [10, { type: 'OPERATOR_PIN', mode: 'SAFE_MODE', duration_ms: 5_000, by: 'bob', reason: 'check' }],
    ];
    const { state } = run(events);
    const revived = JSON.parse(JSON.stringify(state)) as ModeState;
    expect(revived).toEqual(state);
    const next: Array<[number, ModeEvent]> = [[5_010, { type: 'TICK' }], ...every250(5_250, 26_000, good)];
    expect(run(next, revived)).toEqual(run(next, state));
  });
});
