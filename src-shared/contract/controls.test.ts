import { describe, expect, it } from 'vitest';
import { CONTROL_NAMES, reasonProblem, validateControl } from './controls';

describe('validateControl', () => {
  it('refuses an empty or too short reason, before anything else', () => {
    for (const reason of [undefined, '', '  ', 'ok', ' a  ']) {
      const v = validateControl('hold_new_entries', { reason });
      expect(v).toMatchObject({ ok: false, code: 'REASON_REQUIRED', field: 'reason' });
    }
  });

  it('accepts a reason of three characters and trims it', () => {
    expect(validateControl('resume', { reason: '  abc ' })).toEqual({ ok: true, call: { name: 'resume', request: { reason: 'abc' } } });
  });

  it('refuses an unknown control, a non-object body and unknown fields', () => {
    expect(validateControl('launch_missiles', { reason: 'because' })).toMatchObject({ ok: false, code: 'UNKNOWN_CONTROL' });
    expect(validateControl('resume', 'reason')).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    expect(validateControl('resume', { reason: 'because', path: 'pipe' })).toMatchObject({ ok: false, code: 'BAD_REQUEST', field: 'path' });
  });

  it('checks each control\'s own fields', () => {
    expect(validateControl('force_path_switch', { reason: 'socket flaps' })).toMatchObject({ ok: false, field: 'path' });
    expect(validateControl('force_path_switch', { reason: 'socket flaps', path: 'carrier_pigeon' })).toMatchObject({ ok: false, field: 'path' });
    expect(validateControl('force_path_switch', { reason: 'socket flaps', path: 'pipe', peer: 'ea-7f3a' })).toMatchObject({ ok: true });
    expect(validateControl('override_mode', { reason: 'desk call', mode: 'NORMAL', direction: 'sideways' })).toMatchObject({ ok: false, field: 'direction' });
    expect(validateControl('override_mode', { reason: 'desk call', mode: 'NORMAL', direction: 'leave_early' })).toMatchObject({ ok: true });
    expect(validateControl('acknowledge_incident', { reason: 'seen it', incident_id: ' ' })).toMatchObject({ ok: false, field: 'incident_id' });
  });

  it('bounds the optional expiry', () => {
    expect(validateControl('hold_new_entries', { reason: 'news at 14:30', expires_in_s: 900 })).toMatchObject({ ok: true });
    for (const expires_in_s of [0, -5, 1.5, 86_401, '900']) {
      expect(validateControl('hold_new_entries', { reason: 'news at 14:30', expires_in_s })).toMatchObject({ ok: false, field: 'expires_in_s' });
    }
  });

  it('refuses fault injection outside demo mode only when it knows the mode', () => {
    const body = { reason: 'drill', fault: 'drop_socket' };
    expect(validateControl('inject_fault', body, { demo: false })).toMatchObject({ ok: false, code: 'NOT_DEMO' });
    expect(validateControl('inject_fault', body, { demo: true })).toMatchObject({ ok: true });
    expect(validateControl('inject_fault', body)).toMatchObject({ ok: true });
  });

  it('knows every control', () => {
    expect(CONTROL_NAMES).toEqual([
      'hold_new_entries', 'resume', 'drain_buffer_first', 'force_path_switch', 'override_mode', 'kill_switch',
      'acknowledge_incident', 'apply_advice', 'rollback_advice', 'inject_fault',
    ]);
    expect(reasonProblem('fine')).toBeNull();
  });
});
