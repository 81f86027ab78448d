import { afterEach, describe, expect, it } from 'vitest';
import { formatDuration, type IncidentReportJson } from '.';
import { commWhy, logFixture, type LogFixture } from './test-support';

describe('incident reports', () => {
  const fixtures: LogFixture[] = [];
  afterEach(() => {
    for (const f of fixtures.splice(0)) f.cleanup();
  });

  /** A COMM degrade: entered, 3 alerts grouped under it, acknowledged, a runbook, recovered after 134 s. */
  function episode(): { f: LogFixture; id: string } {
    const f = logFixture();
    fixtures.push(f);
    const { log, clock } = f;
    log.recordModeEffect({ type: 'MODE_CHANGED', from: 'NORMAL', to: 'DEGRADED.COMM', why: commWhy() });
    const id = log.openIncidents()[0]!.id;
    for (let i = 0; i < 3; i++) {
      clock.advance(2000);
      log.raise({ family: 'COMM', title: 'socket handshake timeout', severity: 'warning' });
    }
    clock.advance(10_000);
    log.acknowledge(id, 'alice', 'rotating the socket port');
    log.attach({ type: 'runbook_step', summary: 'rotate port: step 2 of 3', detail: { runbook: 'rotate_port', step: 2, of: 3, name: 'rebind', state: 'running', estimate_to_recover_s: 40 } }, id);
    clock.advance(134_000 - 16_000);
    log.recordModeEffect({ type: 'MODE_CHANGED', from: 'DEGRADED.COMM', to: 'NORMAL', why: { text: 'every gate >= 85 for 20 s', constraints: [], by: 'policy' } });
    log.recordModeEffect({ type: 'DEGRADATION_CLEARED', degradation: 'COMM', why: { text: 'every gate >= 85 for 20 s', constraints: [], by: 'policy' } });
    return { f, id };
  }

  it('Markdown: the incident, its causes with values, the timeline table, the actions, the time to recover, who did what', () => {
    const { f, id } = episode();
    const file = f.log.incidentReport(id, 'markdown');
    expect(file).toMatchObject({ filename: `incident-${id}.md`, content_type: 'text/markdown; charset=utf-8' });
    const md = file.body;
    expect(md).toMatch(new RegExp(`^# ${id}: DEGRADED.COMM: broker_connectivity 58.9 < 70`));
    expect(md).toContain('| Time to recover | 2 min 14 s |');
    expect(md).toContain('| State | resolved |');
    expect(md).toContain('## Why: the causes and their values');
    expect(md).toContain('| spread_vs_normal | market_quality | 3.4 | 2.8 |');
    expect(md).toContain('| bridge_latency | broker_connectivity | 210 | 60 |');
    expect(md).toContain('| Time (UTC) | Event | Severity | Who | What |');
    // three alerts under the incident: one row, counted
    expect(md).toContain('socket handshake timeout (×3, last at 08:00:06.000)');
    expect(md).toContain('| Alerts grouped under it | 3 (consequences of this incident, not raised again) |');
    expect(md).toMatch(/\| operator:alice \| acknowledge_incident \| rotating the socket port \| accepted \|/);
    expect(md).toContain('| Runbook | rotate_port: step 2 of 3 (rebind), running |');
    expect(md).toMatch(/\| guardian \| mode_change ×2, detect ×3, runbook_step, recover \|/);
    expect(md).toMatch(/\| operator:alice \| ack, acknowledge_incident \(accepted\) \|/);
    expect(md).toContain('The hash chain verifies');
  });

  it('JSON: the contract ReportJson with recovery time, causes, actions and the chain head', () => {
    const { f, id } = episode();
    const file = f.log.incidentReport(id, 'json');
    expect(file.filename).toBe(`incident-${id}.json`);
    const body = JSON.parse(file.body) as IncidentReportJson;
    expect(body.scope).toBe('incident');
    expect(body.chain).toEqual({ head_hash: f.log.recentEvents(1)[0]!.hash, verified: true });
    const [incident] = body.incidents;
    expect(incident).toMatchObject({ id, state: 'resolved', time_to_recover_s: 134, mode: 'DEGRADED.COMM', acknowledged_by: 'operator:alice', inhibited_count: 3 });
    expect(incident!.why!.causes.map((c) => [c.constraint_id, c.value, c.limit])).toEqual([['bridge_latency', 210, 60], ['spread_vs_normal', 3.4, 2.8]]);
    expect(body.audit).toEqual([expect.objectContaining({ actor: 'operator:alice', control: 'acknowledge_incident', outcome: 'accepted', reason: 'rotating the socket port' })]);
    expect(body.who_did_what.map((w) => w.actor)).toEqual(['guardian', 'operator:alice']);
  });

  it('the timeline covers incidents and operator actions in a range, and says when the chain is broken', () => {
    const { f, id } = episode();
    f.clock.advance(60_000);
    f.log.audit({ actor: 'operator:bob', control: 'hold_new_entries', reason: 'NFP in 5 minutes', outcome: 'accepted' });
    f.clock.advance(3_600_000);
    f.log.openIncident({ title: 'later, out of range', severity: 'info' });
    const md = f.log.timelineReport({ from_ts: '2026-01-05T07:00:00.000Z', to_ts: '2026-01-05T08:30:00.000Z' }, 'markdown').body;
    expect(md).toMatch(/^# Incident timeline, 2026-01-05 07:00:00 to 2026-01-05 08:30:00 UTC/);
    expect(md).toContain(`## ${id}: DEGRADED.COMM`);
    expect(md).toContain('| 2 min 14 s | bridge_latency = 210, spread_vs_normal = 3.4 |');
    expect(md).toContain('## Other operator actions');
    expect(md).toContain('| operator:bob | hold_new_entries | NFP in 5 minutes | accepted |');
    expect(md).not.toContain('later, out of range');

    f.db.prepare("UPDATE events SET summary = 'nothing happened' WHERE id = 2").run();
    const json = JSON.parse(f.log.timelineReport({}, 'json').body) as IncidentReportJson;
    expect(json.chain.verified).toBe(false);
    expect(json.incidents).toHaveLength(2);
    expect(f.log.timelineReport({}, 'markdown').body).toContain('**The hash chain does NOT verify (1 problem(s)).**');
  });

  it('refuses an unknown incident and escapes table cells', () => {
    const f = logFixture();
    fixtures.push(f);
    expect(() => f.log.incidentReport('INC-404', 'markdown')).toThrow(/no incident/);
    const { incident } = f.log.openIncident({ title: 'pipe | spool\nboth down', severity: 'critical' });
    expect(f.log.incidentReport(incident.id, 'markdown').body).toContain('pipe \\| spool both down');
  });

  it('formats durations the way a trader reads them', () => {
    expect([formatDuration(14), formatDuration(134), formatDuration(3_900), formatDuration(null)]).toEqual(['14 s', '2 min 14 s', '1 h 5 min', '']);
  });
});
