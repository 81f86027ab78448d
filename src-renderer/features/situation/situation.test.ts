import { describe, expect, it } from 'vitest';
import { FakeClient, OPEN_INCIDENT_ID } from '../../client';
import { situation } from './situation';

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

  it('waits for a first status', () => {
    expect(situation(null, null).tone).toBe('idle');
  });
});
