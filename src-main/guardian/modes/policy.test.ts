import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FAILOVER_POLICY, PolicyError, parsePolicy } from './index';

const configFile = (name: string) => readFileSync(new URL(`../../../config/${name}`, import.meta.url), 'utf8');
const shipped = parseYaml(configFile('failover-policy.yaml')) as unknown;
const validate = new Ajv({ allErrors: true }).compile(JSON.parse(configFile('failover-policy.schema.json')) as object);

function problem(input: unknown): string {
  try {
    parsePolicy(input);
  } catch (err) {
    if (err instanceof PolicyError) return err.message;
    throw err;
  }
  return 'accepted';
}

describe('config/failover-policy.yaml', () => {
  it('is the DESIGN.md defaults, and passes both the schema and the parser', () => {
    expect(validate(shipped), JSON.stringify(validate.errors)).toBe(true);
    expect(parsePolicy(shipped)).toEqual(DEFAULT_FAILOVER_POLICY);
  });
});

describe('parsePolicy', () => {
  it('takes the defaults for what is left out', () => {
    expect(parsePolicy({})).toEqual(DEFAULT_FAILOVER_POLICY);
    expect(parsePolicy({ dwell_seconds: 30 }).dwell_seconds).toBe(30);
    expect(parsePolicy({ enter: { comm_below: 75 } }).enter).toEqual({ comm_below: 75, signal_below: 65, exec_below: 60 });
  });

  it('names the key and what is wrong with it', () => {
    expect(problem({ dwell_secs: 20 })).toMatch(/^failover policy: dwell_secs: unknown key \(allowed: version, enter, /);
    expect(problem({ enter: { comm_below: '70' } })).toBe('failover policy: enter.comm_below: must be a number, got "70"');
    expect(problem({ enter: { exec_below: 140 } })).toBe('failover policy: enter.exec_below: must be <= 100, got 140');
    expect(problem({ risk_caps: { correlation_max: 1.5 } })).toBe('failover policy: risk_caps.correlation_max: must be <= 1, got 1.5');
    expect(problem({ safe_mode: { action: 'panic' } })).toBe('failover policy: safe_mode.action: must be one of freeze | flatten, got "panic"');
    expect(problem({ breakers: { trips: [{ name: 'short', failures: 3, within_s: 60, open_s: 60 }, { name: 'long', failures: 2.5, within_s: 600, open_s: 900 }] } }))
      .toBe('failover policy: breakers.trips[1].failures: must be a whole number, got 2.5');
    expect(problem({ breakers: { trips: [{ name: 'short', failures: 3, open_s: 60 }] } })).toBe('failover policy: breakers.trips[0].within_s: is required');
    expect(problem({ held_signals: 30 })).toBe('failover policy: held_signals: must be a mapping of keys, got 30');
    expect(problem({ version: 2 })).toBe('failover policy: version: must be 1, got 2');
  });

  it('refuses a recover_threshold at or below any enter threshold: hysteresis needs a gap', () => {
    expect(problem({ recover_threshold: 70 })).toBe(
      'failover policy: recover_threshold: must be above every enter threshold, but enter.comm_below is 70 and recover_threshold is 70',
    );
    expect(problem({ recover_threshold: 80, enter: { signal_below: 81 } })).toMatch(/enter.signal_below is 81/);
    expect(problem({ recover_threshold: 71 })).toBe('accepted');
  });

  it('agrees with the schema on what it refuses (the cross-field rules are the parser\'s alone)', () => {
    const bad = [
      { extra: 1 },
      { enter: { comm_below: -1 } },
      { dwell_seconds: -5 },
      { max_pulse_gap_ms: 0 },
      { safe_mode: { exit: 'never' } },
      { overrides: { max_pin_s: 0 } },
      { breakers: { trips: [] } },
      { breakers: { trips: [{ name: '', failures: 3, within_s: 60, open_s: 60 }] } },
      { breakers: { trial_timeout_s: 'soon' } },
    ];
    for (const doc of bad) {
      expect(validate(doc), JSON.stringify(doc)).toBe(false);
      expect(() => parsePolicy(doc), JSON.stringify(doc)).toThrow(PolicyError);
    }
    const crossField = [{ recover_threshold: 60 }, { breakers: { trips: [{ name: 'a', failures: 1, within_s: 1, open_s: 1 }, { name: 'a', failures: 2, within_s: 1, open_s: 1 }] } }];
    for (const doc of crossField) {
      expect(validate(doc)).toBe(true);
      expect(() => parsePolicy(doc)).toThrow(PolicyError);
    }
  });
});
