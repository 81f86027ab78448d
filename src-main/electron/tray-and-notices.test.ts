// The tray by mode, the close-to-tray rule, and when a mode change becomes a notification.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MODES, type GuardianStatus, type Mode } from '../../src-shared/contract';
import { ModeWatch } from './mode-notice';
import { onWindowClose, TRAY_STATES, trayIconFile, trayMenu, trayView } from './tray-model';

const status = (mode: Mode, reason?: string): GuardianStatus => ({
  mode, overall_score: 72.4, scores: { market_quality: 80, risk_management: 70, system_health: 69, broker_connectivity: 58 },
  routes: { active: 'pipe', standby: ['socket', 'spool'], metrics: {} }, buffer: { depth: 0, enq_per_s: 0, deq_per_s: 0, oldest_age_s: 0 },
  incidents: reason ? [{ ts: '2026-11-22T10:00:00.000Z', event: `ENTER_${mode}`, reason }] : [], agent_votes: {}, policy: { recover_threshold: 85, dwell_seconds: 20 },
});

describe('the tray', () => {
  it('has one icon per mode, plus starting and offline, each in resources/tray with a @2x twin', () => {
    expect(TRAY_STATES).toEqual([...MODES, 'STARTING', 'OFFLINE']);
    const files = TRAY_STATES.map(trayIconFile);
    expect(new Set(files).size).toBe(files.length);
    for (const f of files) {
      expect(existsSync(join('resources', 'tray', f)), f).toBe(true);
      expect(existsSync(join('resources', 'tray', f.replace('.png', '@2x.png'))), f).toBe(true);
    }
  });

  it('colours each mode as the console\'s mode pill does, and says it in words', () => {
    expect(trayView('NORMAL')).toEqual({ icon: 'tray-normal.png', tooltip: 'Guardian: Normal: every gate healthy', colour: '#2ea043' });
    expect(trayView('SAFE_MODE').colour).toBe('#da3633');
    expect(trayView('DEGRADED.EXEC', 'score 61').tooltip).toBe('Guardian: Manage-only: no new entries (score 61)');
    expect(trayView('OFFLINE', 'x'.repeat(300)).tooltip.length).toBeLessThanOrEqual(127);
  });

  it('keeps Guardian running when the window closes, unless quitting or there is no tray', () => {
    expect(onWindowClose({ quitting: false, hasTray: true })).toBe('hide');
    expect(onWindowClose({ quitting: true, hasTray: true })).toBe('close');
    expect(onWindowClose({ quitting: false, hasTray: false })).toBe('close');
    expect(trayMenu(false).map((i) => i.id)).toEqual(['show', 'quit']);
    expect(trayMenu(true).map((i) => i.id)).toEqual(['hide', 'quit']);
  });
});

describe('mode-change notifications', () => {
  it('say nothing for the first status, nor while the mode stays', () => {
    const w = new ModeWatch();
    expect(w.push({ type: 'status', status: status('NORMAL') })).toBeNull();
    expect(w.push({ type: 'status', status: status('NORMAL') })).toBeNull();
    expect(w.push({ type: 'hello', server_ts: '', version: '1', pulse_ms: 250, demo: false })).toBeNull();
  });

  it('announce a worse mode as urgent, with the reason, and the way back as normal', () => {
    const w = new ModeWatch();
    w.push({ type: 'status', status: status('NORMAL') });
    expect(w.push({ type: 'status', status: status('DEGRADED.COMM', 'broker_connectivity < 70') })).toEqual({
      title: 'Guardian: degraded: comms', body: 'Before: NORMAL. Why: broker_connectivity < 70. Overall score 72.', urgency: 'critical',
    });
    expect(w.push({ type: 'status', status: status('NORMAL') })).toMatchObject({ title: 'Guardian: back to normal', urgency: 'normal' });
    expect(w.current).toBe('NORMAL');
  });

  it('forget the mode when the control plane restarts', () => {
    const w = new ModeWatch();
    w.push({ type: 'status', status: status('SAFE_MODE') });
    w.reset();
    expect(w.push({ type: 'status', status: status('NORMAL') })).toBeNull();
  });
});
