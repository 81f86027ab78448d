import { describe, expect, it } from 'vitest';
import { FakeClient, OPEN_INCIDENT_ID } from '../../client';
import { situation, wayBack } from './situation';

const NOW = Date.parse('2026-11-21T10:00:00Z');

describe('situation: the five-second read', () => {
  it('says all is well in NORMAL', async () => {
    const s = situation(await new FakeClient({ scenario: 'normal', now: () => NOW }).getStatus(), null);
    expect(s.tone).toBe('ok');
    expect(s.broken).toBe('Nothing is broken.');
    expect(s.doing).toContain('Orders go over the socket (12 ms).');
    expect(s.desk).toContain('No action needed');
  });

  it('names what broke, what Guardian does about it and what the desk needs to know', async () => {
    const c = new FakeClient({ scenario: 'degraded', now: () => NOW });
    const s = situation(await c.getStatus(), await c.getIncident(OPEN_INCIDENT_ID));
    expect(s.tone).toBe('watch');
    expect(s.broken).toBe('Socket path down (handshake_timeout, 5.6% drop). System health 69.5 and Broker connectivity 58.9 are below 70.');
    expect(s.doing).toContain('Orders go over the pipe (48 ms), switched from the socket by Guardian; nothing lost.');
    expect(s.doing).toContain('restart socket listener step 2 of 4 (rotate port, running), about 38 s to recover');
    expect(s.desk).toContain('New entries are allowed');
    expect(s.desk).toContain(`Incident ${OPEN_INCIDENT_ID} is not acknowledged`);
  });

  it('puts the risk veto first in SAFE_MODE', async () => {
    const c = new FakeClient({ scenario: 'safe', now: () => NOW });
    const s = situation(await c.getStatus(), await c.getIncident(OPEN_INCIDENT_ID));
    expect(s.tone).toBe('fail');
    expect(s.broken.startsWith('Risk veto armed (correlation 0.78 > 0.75 cap)')).toBe(true);
    expect(s.doing).toContain('Holding new entries under the risk veto');
    expect(s.desk).toContain('new entries are frozen');
  });

  it('says what a degraded mode waits on to get back to NORMAL, and how soon once clean', async () => {
    const status = await new FakeClient({ scenario: 'degraded', now: () => NOW }).getStatus();
    expect(situation(status, null).doing).toContain('Back to NORMAL once every gate holds 85 for 20 s; under it now: market quality 82.1 (failing spread_vs_normal); risk management 78 (failing portfolio_correlation_watch); and 3 more.');
    // Nothing broken, yet degraded: a gate under the line on readings it never gets.
    const quiet = { ...status, mode: 'DEGRADED.EXEC' as const, recovery: { blockers: ['market quality 68 (no reading for spread_vs_normal, slippage_typical)'], clean_for_s: null } };
    expect(wayBack(quiet)).toBe('Back to NORMAL once every gate holds 85 for 20 s; under it now: market quality 68 (no reading for spread_vs_normal, slippage_typical).');
    expect(wayBack({ ...quiet, recovery: { blockers: [], clean_for_s: 12.4 } })).toMatch(/^Back to NORMAL in about 8 s: every gate clean for 12 s of 20 s\.$/);
    expect(wayBack({ ...quiet, controls: { ...quiet.controls!, pinned_mode: 'DEGRADED.EXEC' } })).toBe("Stays in DEGRADED.EXEC while an operator's pin holds it.");
    expect(wayBack({ ...quiet, mode: 'NORMAL' })).toBeNull();
    expect(wayBack({ ...quiet, mode: 'SAFE_MODE', policy: { ...quiet.policy, safe_mode_exit: 'operator' } })).toBe('Stays in SAFE_MODE until an operator takes it out (the policy leaves that to the desk).');
  });

  it('waits for a first status', () => {
    expect(situation(null, null).tone).toBe('idle');
  });
});
