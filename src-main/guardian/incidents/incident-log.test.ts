import { afterEach, describe, expect, it } from 'vitest';
import { GroupCommit } from '../store';
import { hashEvent, IncidentLogError, type EventRow, type LogChange } from '.';
import { commWhy, logFixture, type LogFixture } from './test-support';

describe('IncidentLog', () => {
  const fixtures: LogFixture[] = [];
  afterEach(() => {
    for (const f of fixtures.splice(0)) f.cleanup();
  });
  function fixture(): LogFixture {
    const f = logFixture([{ version: 950, name: 'a table for changes', sql: 'CREATE TABLE change (x INTEGER NOT NULL)' }]);
    fixtures.push(f);
    return f;
  }
  const count = (f: LogFixture, table: string) => (f.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

  it('chains each event to the one before, stamped with the wall clock', () => {
    const { log, clock } = fixture();
    const a = log.append({ type: 'note', summary: 'first', detail: { b: 2, a: 1 } });
    clock.advance(1500);
    const b = log.append({ type: 'path_switch', severity: 'warning', actor: 'operator:alice', summary: 'socket -> pipe' });
    expect(a).toMatchObject({ id: 1, ts: '2026-01-05T08:00:00.000Z', actor: 'guardian', severity: 'info', prev_hash: '0'.repeat(64) });
    expect(b).toMatchObject({ id: 2, ts: '2026-01-05T08:00:01.500Z', prev_hash: a.hash });
    const { hash, ...rest } = { ...b, detail: '{}' } satisfies EventRow;
    expect(hashEvent(rest)).toBe(hash);
    expect(() => log.append({ type: 'nonsense' as 'note', summary: 'x' })).toThrow(IncidentLogError);
    expect(() => log.append({ type: 'note', summary: ' ' })).toThrow(/summary/);
  });

  it('writes a change and its event in one transaction: a failing change leaves no event', () => {
    const f = fixture();
    const commit = new GroupCommit(f.db);
    const heard: LogChange[] = [];
    f.log.onChange((c) => heard.push(c));
    const errors: (Error | undefined)[] = [];
    // the event first, then the change fails: both are gone
    commit.enqueue(f.log.commitWork((db) => {
      f.log.appendIn(db, { type: 'path_switch', summary: 'socket -> pipe' });
      db.prepare('INSERT INTO change (x) VALUES (NULL)').run();
    }, (e) => errors.push(e)));
    commit.flush();
    expect(errors[0]).toBeInstanceOf(Error);
    expect(count(f, 'events')).toBe(0);
    expect(count(f, 'change')).toBe(0);
    expect(f.db.prepare('SELECT last_id, count FROM log_anchor').get()).toEqual({ last_id: 0, count: 0 });
    expect(heard).toEqual([]);

    // the same work that succeeds stores both, and only then is heard
    commit.enqueue(f.log.commitWork((db) => {
      db.prepare('INSERT INTO change (x) VALUES (1)').run();
      f.log.appendIn(db, { type: 'path_switch', summary: 'socket -> pipe' });
    }, (e) => errors.push(e)));
    expect(heard).toEqual([]);
    commit.flush();
    expect(errors[1]).toBeUndefined();
    expect(count(f, 'events')).toBe(1);
    expect(count(f, 'change')).toBe(1);
    expect(heard.map((c) => c.kind)).toEqual(['event']);
    expect(f.log.verify()).toMatchObject({ ok: true, checked: 1 });

    // plain db.transaction works the same way
    expect(() => f.db.transaction(() => {
      f.log.appendIn(f.db, { type: 'note', summary: 'rolled back' });
      throw new Error('change failed');
    })()).toThrow('change failed');
    expect(count(f, 'events')).toBe(1);
    expect(() => f.log.appendIn(f.db, { type: 'note', summary: 'no transaction' })).toThrow(/inside a transaction/);
  });

  it('inhibits: 10 COMM alerts under an open COMM incident make one incident with 10 child events', () => {
    const { log, clock, db } = fixture();
    log.recordModeEffect({ type: 'MODE_CHANGED', from: 'NORMAL', to: 'DEGRADED.COMM', why: commWhy() });
    const [open] = log.openIncidents();
    expect(open).toMatchObject({ family: 'COMM', mode: 'DEGRADED.COMM', state: 'open', severity: 'warning' });
    for (let i = 0; i < 10; i++) {
      clock.advance(1000);
      const r = log.raise({ family: 'COMM', title: 'socket handshake timeout', severity: 'warning', cause: [{ constraint_id: 'bridge_latency', value: 200 + i }] });
      expect(r).toMatchObject({ inhibited: true, incident: { id: open!.id } });
    }
    expect((db.prepare('SELECT COUNT(*) AS n FROM incidents').get() as { n: number }).n).toBe(1);
    const incident = log.incident(open!.id)!;
    expect(incident.inhibited_count).toBe(10);
    const children = incident.events.filter((e) => e.detail.inhibited_by === open!.id);
    expect(children).toHaveLength(10);
    expect(incident.events[0]).toMatchObject({ type: 'mode_change', from_mode: 'NORMAL', to_mode: 'DEGRADED.COMM' });

    // another family is not a consequence: it opens its own; a critical alert raises the severity
    expect(log.raise({ family: 'EXEC', title: 'rejects', severity: 'warning' }).inhibited).toBe(false);
    log.raise({ family: 'COMM', title: 'pipe down too', severity: 'critical' });
    expect(log.incident(open!.id)).toMatchObject({ severity: 'critical', inhibited_count: 11 });

    // once resolved, the next COMM alert is news again
    log.resolve(open!.id);
    expect(log.raise({ family: 'COMM', title: 'socket down again', severity: 'warning' })).toMatchObject({ inhibited: false });
  });

  it('follows a degrade episode from the mode effects: causes with values, then the time to recover', () => {
    const { log, clock } = fixture();
    log.recordModeEffect({ type: 'MODE_CHANGED', from: 'NORMAL', to: 'DEGRADED.COMM', why: commWhy() });
    log.recordModeEffect({ type: 'DEGRADATION_ADDED', degradation: 'COMM', why: commWhy() });
    const [incident] = log.openIncidents();
    expect(incident!.cause.map((c) => [c.constraint_id, c.value])).toEqual([['bridge_latency', 210], ['spread_vs_normal', 3.4]]);
    clock.advance(134_000);
    const recovered = { text: 'every gate >= 85 for 20 s', constraints: [], by: 'policy' as const };
    log.recordModeEffect({ type: 'MODE_CHANGED', from: 'DEGRADED.COMM', to: 'NORMAL', why: recovered });
    log.recordModeEffect({ type: 'DEGRADATION_CLEARED', degradation: 'COMM', why: recovered });
    const view = log.incident(incident!.id)!;
    expect(view).toMatchObject({ state: 'resolved', time_to_recover_s: 134, closed_ts: '2026-01-05T08:02:14.000Z', inhibited_count: 0 });
    expect(view.events.map((e) => e.type)).toEqual(['mode_change', 'detect', 'mode_change', 'recover']);
    expect(view.why?.causes[1]).toEqual({ constraint_id: 'spread_vs_normal', gate: 'market_quality', value: 3.4, limit: 2.8, text: expect.stringContaining('spread_pips = 3.4') });
    expect(log.openIncidents()).toEqual([]);
  });

  it('a degradation entered under SAFE_MODE is grouped under the SAFE incident; leaving SAFE_MODE resolves it', () => {
    const { log } = fixture();
    log.recordModeEffect({ type: 'MODE_CHANGED', from: 'NORMAL', to: 'SAFE_MODE', why: { text: 'correlation 0.81 > 0.75', constraints: [], by: 'policy' } });
    log.recordModeEffect({ type: 'DEGRADATION_ADDED', degradation: 'EXEC', why: { text: 'exec 55 < 60', constraints: [], by: 'policy' } });
    const safe = log.openIncidentOf('SAFE')!;
    expect(safe.severity).toBe('critical');
    expect(log.openIncidentOf('EXEC')!.parent_id).toBe(safe.id);
    expect(log.incident(safe.id)!.children).toEqual([log.openIncidentOf('EXEC')!.id]);
    log.recordModeEffect({ type: 'MODE_CHANGED', from: 'SAFE_MODE', to: 'DEGRADED.EXEC', why: { text: 'veto clear', constraints: [], by: { operator: 'alice' } } });
    expect(log.incident(safe.id)!.state).toBe('resolved');
    expect(log.incident(safe.id)!.events.at(-1)).toMatchObject({ type: 'recover', actor: 'operator:alice' });
  });

  it('acknowledging needs a named operator and a reason, refuses on the merits with an audit, and is audited', () => {
    const { log } = fixture();
    const { incident } = log.openIncident({ title: 'socket down', severity: 'warning', family: 'COMM' });
    expect(log.acknowledge(incident.id, '', 'looking into it')).toMatchObject({ ok: false, code: 'UNAUTHORIZED', audit: null });
    expect(log.acknowledge(incident.id, 'guardian', 'looking into it')).toMatchObject({ ok: false, code: 'UNAUTHORIZED' });
    expect(log.acknowledge(incident.id, 'alice', ' ')).toMatchObject({ ok: false, code: 'REASON_REQUIRED', audit: null });
    expect(log.recentAudit()).toEqual([]);

    const missing = log.acknowledge('INC-999999', 'alice', 'wrong id');
    expect(missing).toMatchObject({ ok: false, code: 'NOT_FOUND', audit: { outcome: 'refused', actor: 'operator:alice' } });

    const ok = log.acknowledge(incident.id, 'alice', 'on it, rotating the port');
    expect(ok).toMatchObject({ ok: true, value: { state: 'acknowledged', acknowledged_by: 'operator:alice' }, audit: { control: 'acknowledge_incident', outcome: 'accepted', params: { incident_id: incident.id } } });
    const view = log.incident(incident.id)!;
    expect(view.acknowledged_by).toBe('operator:alice');
    expect(view.events.map((e) => [e.type, e.actor])).toEqual([['detect', 'guardian'], ['ack', 'operator:alice'], ['control', 'operator:alice']]);
    expect(log.acknowledge(incident.id, 'operator:bob', 'me too')).toMatchObject({ ok: false, code: 'CONFLICT', error: expect.stringContaining('operator:alice') });
    expect(log.recentAudit().map((a) => [a.outcome, a.actor])).toEqual([['refused', 'operator:bob'], ['accepted', 'operator:alice'], ['refused', 'operator:alice']]);
    expect(log.verify().ok).toBe(true);
  });

  it('open incidents survive a restart, and alerts after it still attach to them', () => {
    let f = fixture();
    const { incident } = f.log.raise({ family: 'COMM', title: 'socket down', severity: 'warning', cause: [{ constraint_id: 'bridge_latency', value: 210, limit: 60 }] });
    f.log.acknowledge(incident.id, 'alice', 'watching it');
    f = f.reopen();
    fixtures.push(f);
    expect(f.log.openIncidents()).toEqual([expect.objectContaining({ id: incident.id, state: 'acknowledged', cause: [{ constraint_id: 'bridge_latency', value: 210, limit: 60 }] })]);
    expect(f.log.raise({ family: 'COMM', title: 'still down', severity: 'warning' })).toMatchObject({ inhibited: true, incident: { id: incident.id, inhibited_count: 1 } });
    expect(f.log.verify()).toMatchObject({ ok: true, checked: 4 });
    // the chain continues across the restart: no id reused
    expect(f.log.recentEvents(1)[0]!.id).toBe(4);
  });

  it('lists recent incidents newest first and refuses writes once disposed', () => {
    const { log, clock } = fixture();
    log.openIncident({ title: 'one', severity: 'info' });
    clock.advance(1000);
    log.openIncident({ title: 'two', severity: 'info' });
    expect(log.recent(10).map((i) => i.title)).toEqual(['two', 'one']);
    expect(log.recent(1).map((i) => i.title)).toEqual(['two']);
    log.dispose();
    expect(() => log.append({ type: 'note', summary: 'late' })).toThrow(/closed/);
  });
});
