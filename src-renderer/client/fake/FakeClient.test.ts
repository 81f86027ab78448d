import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../src-shared/contract';
import { FakeClient } from './FakeClient';
import { OPEN_INCIDENT_ID } from './fixtures/scenario';

const NOW = Date.parse('2026-11-21T10:00:00Z');

describe('FakeClient fixtures', () => {
  it('gives a NORMAL state: socket active, nothing open', async () => {
    const c = new FakeClient({ scenario: 'normal', now: () => NOW });
    const s = await c.getStatus();
    expect(s).toMatchObject({ mode: 'NORMAL', routes: { active: 'socket' }, open_incident_ids: [] });
    expect(Object.values(s.scores).every((v) => v >= 85)).toBe(true);
  });

  it('gives a DEGRADED.COMM state: socket down, pipe active, an open incident with runbook progress', async () => {
    const c = new FakeClient({ scenario: 'degraded', now: () => NOW });
    const s = await c.getStatus();
    expect(s.mode).toBe('DEGRADED.COMM');
    expect(s.routes.active).toBe('pipe');
    expect(s.routes.metrics.socket).toMatchObject({ healthy: false, last_error: 'handshake_timeout' });
    const open = await c.getIncident(OPEN_INCIDENT_ID);
    expect(open.closed_ts).toBeNull();
    expect(open.runbook).toMatchObject({ step: 2, of: 4, state: 'running' });
    expect(open.estimate_to_recover_s).toBeGreaterThan(0);
    expect(open.events.some((e) => e.type === 'mode_change' && e.why?.length)).toBe(true);
  });

  it('answers a copy, never its own state', async () => {
    const c = new FakeClient({ scenario: 'normal', now: () => NOW });
    const a = await c.getStatus();
    a.mode = 'SAFE_MODE';
    expect((await c.getStatus()).mode).toBe('NORMAL');
  });

  it('can hold 5,000 incidents, newest first', async () => {
    const c = new FakeClient({ scenario: 'degraded', incidents: 5000, now: () => NOW });
    const list = await c.getIncidents(10_000);
    expect(list).toHaveLength(5001);
    for (let i = 1; i < list.length; i++) expect(list[i - 1]!.opened_ts >= list[i]!.opened_ts).toBe(true);
  });

  it('has 15 minutes of history at the pulse', async () => {
    const m = await new FakeClient({ scenario: 'degraded', now: () => NOW }).getMetricsRecent();
    expect(m.samples).toHaveLength(3600);
    expect(m.samples[0]!.overall_score).toBeGreaterThan(85);
    expect(m.samples[3599]!.overall_score).toBeLessThan(80);
  });
});

describe('FakeClient controls', () => {
  it('audits an accepted control, emits it, and changes the state', async () => {
    const c = new FakeClient({ scenario: 'normal', now: () => NOW });
    const events: StreamEvent[] = [];
    c.subscribe((e) => events.push(e));
    const res = await c.control('hold_new_entries', { reason: 'NFP at 13:30', expires_in_s: 600 });
    expect(res.ok).toBe(true);
    const audit = events.find((e) => e.type === 'audit');
    expect(audit).toMatchObject({ entry: { control: 'hold_new_entries', reason: 'NFP at 13:30', outcome: 'accepted', expires_ts: '2026-11-21T10:10:00.000Z' } });
    expect(res.ok && audit?.type === 'audit' && res.audit_id === audit.entry.id).toBe(true);
    expect((await c.getStatus()).controls?.entries_held).toBe(true);
  });

  it('refuses a switch onto a failing path, with a reason, and audits the refusal', async () => {
    const c = new FakeClient({ scenario: 'degraded', now: () => NOW });
    const res = await c.control('force_path_switch', { reason: 'back to socket', path: 'socket' });
    expect(res).toMatchObject({ ok: false, code: 'REFUSED' });
    expect((await c.getAudit())[0]).toMatchObject({ control: 'force_path_switch', outcome: 'refused' });
  });

  it('injects a fault: drop the socket from NORMAL and an incident opens', async () => {
    const c = new FakeClient({ scenario: 'normal', now: () => NOW });
    const events: StreamEvent[] = [];
    c.subscribe((e) => events.push(e));
    expect((await c.control('inject_fault', { reason: 'demo drill', fault: 'drop_socket' })).ok).toBe(true);
    expect((await c.getStatus()).mode).toBe('DEGRADED.COMM');
    expect(events.some((e) => e.type === 'incident' && e.incident.closed_ts === null)).toBe(true);
    await c.control('inject_fault', { reason: 'demo drill', fault: 'clear' });
    expect((await c.getStatus()).mode).toBe('NORMAL');
    expect((await c.getIncidents(1))[0]!.closed_ts).not.toBeNull();
  });

  it('applies and rolls back advice', async () => {
    const c = new FakeClient({ now: () => NOW });
    expect((await c.control('apply_advice', { reason: 'agreed with risk', advice_id: 'ADV-0012' })).ok).toBe(true);
    expect((await c.getAdvice()).find((a) => a.id === 'ADV-0012')).toMatchObject({ applied: true, current: 1.35, rollback: { value: 1.25 } });
    expect((await c.control('rollback_advice', { reason: 'too many misses', advice_id: 'ADV-0012' })).ok).toBe(true);
    expect((await c.getAdvice()).find((a) => a.id === 'ADV-0012')).toMatchObject({ applied: false, current: 1.25 });
  });

  it('exports a report in each format', async () => {
    const c = new FakeClient({ scenario: 'degraded', now: () => NOW });
    const md = await c.exportReport({ id: OPEN_INCIDENT_ID, format: 'markdown' });
    expect(md.body).toContain(`## ${OPEN_INCIDENT_ID}`);
    const json = JSON.parse((await c.exportReport({ id: 'timeline', format: 'json' })).body);
    expect(json.scope).toBe('timeline');
  });
});
