import { describe, expect, it } from 'vitest';
import { HELD_SIGNALS_PAGE, type GuardianStatus, type HeldSignal, type Incident } from '../../src-shared/contract';
import { FakeClient } from '../client';
import { initialConnection } from '../client/connection';
import { CHART_INTERVAL_MS, createGuardianStore } from './guardian';
import { MAX_INCIDENTS } from './incidents';

async function statusOf(scenario: 'normal' | 'degraded'): Promise<GuardianStatus> {
  return new FakeClient({ scenario, now: () => Date.parse('2026-11-21T10:00:00Z') }).getStatus();
}

function at(status: GuardianStatus, ts_ms: number, patch: Partial<GuardianStatus> = {}): GuardianStatus {
  return { ...structuredClone(status), ts: new Date(ts_ms).toISOString(), ...patch };
}

describe('guardian store: status and history', () => {
  it('appends every status to the ring buffers, sized by the pulse', async () => {
    const store = createGuardianStore(initialConnection(0));
    const s = await statusOf('normal');
    const t0 = Date.parse('2026-11-21T10:00:00Z');
    for (let i = 0; i < 5000; i++) store.getState().actions.applyStatus(at(s, t0 + i * 250, { overall_score: i }), t0 + i * 250);
    const { history, history_version } = store.getState();
    expect(history.ts.capacity).toBe(3600);
    expect(history.series.overall_score.length).toBe(3600);
    expect(history.series.overall_score.last()).toBe(4999);
    expect(history.series.overall_score.at(0)).toBe(1400);
    expect(history_version).toBe(5000);
  });

  it('redraws charts at most once a second, whatever the pulse rate', async () => {
    const store = createGuardianStore(initialConnection(0));
    const s = await statusOf('normal');
    const t0 = 1_000_000;
    for (let i = 0; i < 40; i++) store.getState().actions.applyStatus(at(s, t0 + i * 250), t0 + i * 250);
    // 40 pulses of 250 ms = 10 s of status: 10 chart updates, not 40.
    expect(store.getState().chart_version).toBe((40 * 250) / CHART_INTERVAL_MS);
  });

  it('keeps the objects that did not change, so their panels do not re-render', async () => {
    const store = createGuardianStore(initialConnection(0));
    const s = await statusOf('degraded');
    store.getState().actions.applyStatus(at(s, 1000), 1000);
    const first = store.getState().status!;
    const next = at(s, 1250);
    next.routes.metrics.socket = { ...next.routes.metrics.socket!, latency_ms: 999 };
    store.getState().actions.applyStatus(next, 1250);
    const second = store.getState().status!;
    expect(second).not.toBe(first);
    expect(second.routes.metrics.socket).not.toBe(first.routes.metrics.socket);
    expect(second.routes.metrics.pipe).toBe(first.routes.metrics.pipe);
    expect(second.gates).toBe(first.gates);
    expect(second.scores).toBe(first.scores);
  });

  it('ignores a status older than the one it has', async () => {
    const store = createGuardianStore(initialConnection(0));
    const s = await statusOf('normal');
    store.getState().actions.applyStatus(at(s, 2000, { overall_score: 90 }), 2000);
    store.getState().actions.applyStatus(at(s, 1000, { overall_score: 10 }), 2100);
    expect(store.getState().status!.overall_score).toBe(90);
  });
});

describe('guardian store: incidents and audit', () => {
  const incident = (id: string, opened_ts: string): Incident => ({
    id, opened_ts, closed_ts: null, severity: 'warning', title: id, events: [], why: null, runbook: null, estimate_to_recover_s: null, acknowledged_by: null,
  });

  it('orders incidents newest first and updates them in place', () => {
    const store = createGuardianStore(initialConnection(0));
    const a = store.getState().actions;
    a.setIncidents([incident('B', '2026-11-21T10:00:02Z'), incident('A', '2026-11-21T10:00:01Z')]);
    a.upsertIncident(incident('D', '2026-11-21T10:00:04Z'));
    a.upsertIncident(incident('C', '2026-11-21T10:00:03Z'));
    expect(store.getState().incidents.order).toEqual(['D', 'C', 'B', 'A']);
    const order = store.getState().incidents.order;
    a.upsertIncident({ ...incident('C', '2026-11-21T10:00:03Z'), title: 'updated' });
    expect(store.getState().incidents.order).toBe(order);
    expect(store.getState().incidents.by_id.C!.title).toBe('updated');
  });

  it('holds thousands of incidents and caps the list', () => {
    const store = createGuardianStore(initialConnection(0));
    const list = Array.from({ length: MAX_INCIDENTS + 10 }, (_, i) => incident(`I${i}`, new Date(1_700_000_000_000 - i * 1000).toISOString()));
    store.getState().actions.setIncidents(list);
    expect(store.getState().incidents.order).toHaveLength(MAX_INCIDENTS);
    expect(store.getState().incidents.order[0]).toBe('I0');
  });

  it('puts new audit entries first, once', () => {
    const store = createGuardianStore(initialConnection(0));
    const entry = { id: 'AUD-1', ts: '2026-11-21T10:00:00Z', actor: 'op', control: 'resume' as const, reason: 'test', outcome: 'accepted' as const };
    store.getState().actions.addAudit(entry);
    store.getState().actions.addAudit({ ...entry, id: 'AUD-2' });
    store.getState().actions.addAudit(entry);
    expect(store.getState().audit.map((a) => a.id)).toEqual(['AUD-1', 'AUD-2']);
  });
});

describe('guardian store: held signals', () => {
  const held = (i: number, state: HeldSignal['state'] = 'held'): HeldSignal => ({
    signal_id: `sig-${i}`, message_id: `m-${i}`, symbol: 'EURUSD', action: 'BUY', lots: 0.1, tier: 'primary', state,
    reason_code: 'MODE_BLOCK', reason: 'held', received_ts: '2026-11-21T10:00:00Z', expires_ts: null,
  });

  it('keeps the newest page of signals told one by one, updating one in place', () => {
    const store = createGuardianStore(initialConnection(0));
    for (let i = 0; i < HELD_SIGNALS_PAGE + 50; i++) store.getState().actions.applyEvent({ type: 'signal', signal: held(i) }, 0);
    store.getState().actions.applyEvent({ type: 'signal', signal: held(HELD_SIGNALS_PAGE + 49, 'expired') }, 0);
    const list = store.getState().signals;
    expect(list).toHaveLength(HELD_SIGNALS_PAGE);
    expect(list[0]).toMatchObject({ signal_id: `sig-${HELD_SIGNALS_PAGE + 49}`, state: 'expired' });
    expect(list.at(-1)!.signal_id).toBe('sig-50');
  });

  it('replaces the list with the page a storm of changes is sent as', () => {
    const store = createGuardianStore(initialConnection(0));
    store.getState().actions.applyEvent({ type: 'signal', signal: held(1) }, 0);
    store.getState().actions.applyEvent({ type: 'signals', signals: [held(9, 'expired'), held(8)] }, 0);
    expect(store.getState().signals.map((s) => [s.signal_id, s.state])).toEqual([['sig-9', 'expired'], ['sig-8', 'held']]);
  });
});
