import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { GATE_NAMES, type GateName, type GateScore } from '../gates';
import { ModeManager, type ModeEffect, type ModePulse } from './index';

function pulse(o: Partial<ModePulse> = {}): ModePulse {
  const gate = (g: GateName): GateScore => ({
    gate: g, score: 95, status: 'green', capped: false, failing: [], unknown: [],
    counts: { total: 1, pass: 1, failed_warning: 0, failed_critical: 0, unknown: 0 },
  });
  return {
    gates: Object.fromEntries(GATE_NAMES.map((g) => [g, gate(g)])) as Record<GateName, GateScore>,
    comm_score: 95, signal_score: 95, exec_score: 95, portfolio_correlation: 0.2, slippage_bps: 1, emergency_stop: null, ...o,
  };
}

describe('ModeManager', () => {
  it('applies transitions on its clock and hands every effect to its listeners', () => {
    const clock = new ManualClock();
    const manager = new ModeManager({ clock });
    const heard: ModeEffect[] = [];
    const subscription = manager.onEffect((e) => heard.push(e));
    manager.pulse(pulse({ exec_score: 20 }));
    expect(manager.mode).toBe('DEGRADED.EXEC');
    expect(heard.map((e) => e.type)).toEqual(['MODE_CHANGED', 'DEGRADATION_ADDED', 'HOLD_NEW_ENTRIES', 'SEND_COMMAND']);
    // The pulse drives the dwell on the injected clock: 80 pulses 250 ms apart = 20 s.
    for (let i = 0; i <= 80; i++) {
      clock.advance(250);
      manager.pulse(pulse());
    }
    expect(manager.mode).toBe('NORMAL');
    subscription.dispose();
    manager.pulse(pulse({ exec_score: 20 }));
    expect(heard.filter((e) => e.type === 'MODE_CHANGED')).toHaveLength(2);
  });

  it('moves state before telling listeners, and tells all of them even when one throws', () => {
    const manager = new ModeManager({ clock: new ManualClock() });
    const heard: string[] = [];
    manager.onEffect(() => { throw new Error('listener bug'); });
    manager.onEffect((e) => heard.push(e.type));
    expect(() => manager.pulse(pulse({ portfolio_correlation: 0.9 }))).toThrow(AggregateError);
    expect(manager.mode).toBe('SAFE_MODE');
    expect(heard).toContain('MODE_CHANGED');
  });

  it('survives a restart: a pin keeps its wall-clock expiry, and the dwell starts again', () => {
    const clock = new ManualClock({ now_ms: 50_000, wall_ms: 1_000_000 });
    const manager = new ModeManager({ clock });
    manager.pulse(pulse({ comm_score: 40 }));
    manager.pin('DEGRADED.EXEC', 60_000, 'bob', 'payrolls');
    for (let i = 0; i < 40; i++) {
      clock.advance(250);
      manager.pulse(pulse());
    }
    const saved = JSON.parse(JSON.stringify(manager.snapshot()));

    // A new process, 30 s of wall time later, its monotonic clock near zero.
    const next = new ManualClock({ now_ms: 1_000, wall_ms: clock.wall_ms() + 30_000 });
    const restored = ModeManager.restore(saved, { clock: next });
    expect(restored.mode).toBe('DEGRADED.EXEC');
    expect(restored.state.pin?.expires_ms).toBe(1_000 + 60_000 - 10_000 - 30_000);
    expect(restored.state.clean_since_ms).toBeNull();
    next.advance(19_999);
    expect(restored.tick().map((e) => e.type)).toEqual([]);
    next.advance(1);
    expect(restored.tick().map((e) => e.type)).toEqual(['OVERRIDE_EXPIRED', 'MODE_CHANGED', 'RELEASE_HELD_SIGNALS', 'SEND_COMMAND']);
    expect(restored.mode).toBe('DEGRADED.COMM');
  });
});
