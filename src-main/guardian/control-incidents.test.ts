import { afterEach, describe, expect, it } from 'vitest';
import type { ControlEvent } from './control';
import { recordControlEvent, type ControlEventContext } from './control-incidents';
import { logFixture, type LogFixture } from './incidents/test-support';

let f: LogFixture | undefined;
afterEach(() => f?.cleanup());

function event(type: ControlEvent['type'], text: string, data: Record<string, unknown>, severity: ControlEvent['severity'] = 'info'): ControlEvent {
  return { ts: new Date().toISOString(), ts_ms: Date.now(), type, text, mode: 'DEGRADED.COMM', severity, data };
}

describe('a repair run on the incident timeline', () => {
  it('keeps its later steps and outcome on the incident it started under, after that incident closed', () => {
    f = logFixture();
    const finished: (string | null)[] = [];
    const ctx: ControlEventContext = {
      repair: () => ({ state: 'running', target: 'socket', estimate_to_recover_s: 12 }),
      troubleIn: () => false,
      repairFinished: (r) => finished.push(r.incident_id),
      repairIncidents: new Map(),
    };
    const record = (e: ControlEvent) => recordControlEvent(f!.log, e, ctx);
    const step = (n: number, name: string, state: string) =>
      record(event('runbook_step', `repair r1 step ${n}/4 ${name}: ${state}`, { run_id: 'r1', runbook: 'reconnect_socket', step: n, of: 4, name, state }));

    record(event('breaker', 'socket failing', { dependency: 'path:socket', to: 'OPEN' }, 'warning'));
    const incident = f.log.openIncidentOf('COMM')!;
    record(event('repair', 'repair r1 started', { run_id: 'r1', runbook: 'reconnect_socket', target: 'socket' }, 'warning'));
    step(3, 'shadow verification', 'running');
    // The path is proved and traffic switches back: the incident closes before the runbook's last step.
    f.log.resolve(incident.id, { summary: 'socket healthy again' });
    step(3, 'shadow verification', 'done');
    step(4, 'switch back', 'done');
    record(event('repair', 'repair r1 succeeded', { run_id: 'r1', runbook: 'reconnect_socket', target: 'socket', ok: true, duration_ms: 9000 }));

    const view = f.log.incident(incident.id)!;
    expect(view.state).toBe('resolved');
    expect(view.runbook).toMatchObject({ step: 4, of: 4, state: 'done' });
    expect(view.events.map((e) => e.text)).toContain('repair r1 succeeded');
    expect(finished).toEqual([incident.id]);
    expect(ctx.repairIncidents.size).toBe(0); // forgotten once the run ended
  });

  it('appends a repair with no incident of its family unattached', () => {
    f = logFixture();
    const ctx: ControlEventContext = { repair: () => undefined, troubleIn: () => false, repairIncidents: new Map() };
    recordControlEvent(f.log, event('repair', 'repair r2 started', { run_id: 'r2', runbook: 'reload_config', target: null }), ctx);
    expect(f.log.recentEvents(5).at(-1)).toMatchObject({ summary: 'repair r2 started', incident_id: null });
    expect(ctx.repairIncidents.size).toBe(0);
  });
});
