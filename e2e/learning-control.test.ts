// Issue 3/4 wired together: learning's advice applied through the console server changes the
// condition the control plane evaluates (audited), a rollback restores it, and the control plane's
// path switches during a COMM degradation land in that degradation's incident, inhibited.
import { afterEach, describe, expect, it } from 'vitest';
import { rawRequest } from '../src-main/guardian/server/test-support';
import { startScenario, until, sleep, type Scenario } from './control-harness';

const SPREAD = 'spread_vs_normal';

describe('learning and the incident log, wired into Guardian', () => {
  let s: Scenario | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  it('applies and rolls back advice through the console, and groups path switches under the COMM incident', async () => {
    s = await startScenario({ rate_per_s: 5, tiers: ['primary'], guardian: (c) => {
      c.api.enabled = true;
      c.api.port = 0;
    } });
    const { g, ea } = s;
    const cp = g.control!;
    const api = g.api!;
    const token = api.consoleUrl.split('token=')[1]!;
    const control = (name: string, body: object) =>
      rawRequest(api.port, 'POST', `/api/controls/${name}`, { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, JSON.stringify(body));
    const conditionInForce = () => cp.conditions().find((c) => c.id === SPREAD)?.condition;
    const yaml = conditionInForce();
    expect(yaml).toBe('spread_pips < normal_spread_pips * 2.0');

    // Five spread blips that cleared at once with no repair: false positives, so learning advises.
    for (let i = 0; i < 5; i++) {
      g.learning.episodeStarted({ mode: 'DEGRADED.EXEC', constraints: [{ constraint_id: SPREAD, value: 2.9, limit: 2.8 }] });
      g.learning.episodeCleared('DEGRADED.EXEC');
    }
    const { proposed } = g.learning.proposeAdvice(cp.conditions());
    const advice = proposed.find((a) => a.constraint === SPREAD)!;
    expect(advice).toBeDefined();

    const applied = await control('apply_advice', { advice_id: advice.id, reason: 'agreed with risk: spread blips' });
    expect(applied.status, applied.body).toBe(200);
    // cp.conditions() reads the constraint engine's definitions: what every pulse evaluates.
    expect(conditionInForce()).toBe(advice.condition_after);
    expect(conditionInForce()).toBe(`spread_pips < normal_spread_pips * ${advice.proposed}`);
    const seq = cp.latest()?.snapshot.seq ?? 0;
    await until(() => (cp.latest()?.snapshot.seq ?? 0) > seq, 2_000, 'a pulse on the new condition');
    expect(cp.latest()!.decision.results.some((r) => r.id === SPREAD)).toBe(true);
    expect(g.incidents.recentAudit().find((a) => a.control === 'apply_advice')).toMatchObject({ outcome: 'accepted', reason: 'agreed with risk: spread blips' });

    const rolled = await control('rollback_advice', { advice_id: advice.id, reason: 'spread widened for real' });
    expect(rolled.status, rolled.body).toBe(200);
    expect(conditionInForce()).toBe(yaml);
    expect(g.incidents.recentAudit().find((a) => a.control === 'rollback_advice')).toMatchObject({ outcome: 'accepted' });

    // The socket flaps: DEGRADED.COMM opens one COMM incident and every path switch meanwhile is attached to it.
    await until(() => cp.mode === 'NORMAL' && (cp.latest()?.snapshot.seq ?? 0) > 10 && cp.controlStatus().control.subsystems.comm === 100, 10_000, 'a settled NORMAL');
    for (let i = 0; i < 3; i++) {
      ea.client.faults.dropPath('socket', 150);
      await sleep(300);
    }
    await until(() => g.incidents.openIncidentOf('COMM') !== null, 5_000, 'the COMM incident');
    const incidentId = g.incidents.openIncidentOf('COMM')!.id;
    await until(() => (g.incidents.incident(incidentId)?.events ?? []).some((e) => e.type === 'path_switch'), 5_000, 'a path switch in the COMM incident');
    const comm = g.incidents.recent(50).filter((i) => i.family === 'COMM');
    expect(comm).toHaveLength(1);
    const incident = g.incidents.incident(incidentId)!;
    expect(incident.inhibited_count).toBeGreaterThan(0);
    expect(incident.events.filter((e) => e.type === 'path_switch').length).toBeGreaterThan(0);
  }, 20_000);
});
