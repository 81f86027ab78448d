// The kill switch's hold on SAFE_MODE: renewed before the pin can lapse, put back if it went.
import { describe, expect, it } from 'vitest';
import { holdSafeMode, type ControlPlaneLike } from './wiring';

function plane(pin: { mode: string; expires_ms: number } | null): ControlPlaneLike & { pins: unknown[][] } {
  const pins: unknown[][] = [];
  return {
    pins,
    modes: { state: { pin } },
    policy: { overrides: { max_pin_s: 3600 } },
    sampler: { setExtra: () => undefined },
    pin: (...a: unknown[]) => pins.push(a),
    onEvent: () => ({ dispose: () => undefined }),
    onPulse: () => ({ dispose: () => undefined }),
  };
}
const kill = { engaged: true, by: 'operator:ann', reason: 'feed wrong', since_ms: 0 };

describe('holdSafeMode', () => {
  it('leaves a SAFE_MODE pin with more than half its time alone', () => {
    const cp = plane({ mode: 'SAFE_MODE', expires_ms: 1_800_001 });
    holdSafeMode(cp, kill, 0);
    expect(cp.pins).toEqual([]);
  });
  it('renews it at half its time, and puts it back when another pin or none is in force', () => {
    for (const pin of [{ mode: 'SAFE_MODE', expires_ms: 1_800_000 }, { mode: 'DEGRADED.EXEC', expires_ms: 9e9 }, null]) {
      const cp = plane(pin);
      holdSafeMode(cp, kill, 0);
      expect(cp.pins).toEqual([['SAFE_MODE', 3600, 'operator:ann', 'kill switch engaged (feed wrong): held until released with resume']]);
    }
  });
});
