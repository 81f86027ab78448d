// The console backend of a real Guardian with a simulated EA, through the HTTP API: the status the
// data plane gives, a forced path switch (accepted, lapsing, refused onto a dead path), the audit
// entries and the events that announce them, and the reports.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HELD_SIGNALS_PAGE, type AuditEntry, type GuardianStatus, type ReportFile, type StreamEvent } from '../../../src-shared/contract';
import { SimulatedEa } from '../../sim';
import { waitUntil } from '../../sim/testing/wait';
import { configForTests, createGuardian, type Guardian } from '..';
import { rawRequest } from './test-support';
import { RawPeer } from '../raw-peer.test-support';

let dir: string;
let guardian: Guardian;
let ea: SimulatedEa | undefined;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'guardian-console-'));
  guardian = await createGuardian(configForTests((c) => {
    c.paths.spool.enabled = false;
  }), { dataDir: join(dir, 'guardian') });
});
afterEach(async () => {
  await ea?.stop();
  ea = undefined;
  await guardian.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function startEa(): SimulatedEa {
  ea = new SimulatedEa({
    node_id: 'ea-1', dataDir: join(dir, 'ea'), heartbeat_ms: 50, switchback_ms: 300, status_ms: 200, reject_rate: 0, fill_ms: 1,
    paths: { socket: hostPort(guardian.listening.socket!), pipe: { path: guardian.listening.pipe! } },
  });
  ea.start();
  return ea;
}

const hostPort = (a: string) => ({ host: a.slice(0, a.lastIndexOf(':')), port: Number(a.slice(a.lastIndexOf(':') + 1)) });
const token = () => guardian.api!.consoleUrl.split('token=')[1]!;
const get = async <T>(path: string): Promise<T> => JSON.parse((await rawRequest(guardian.api!.port, 'GET', path)).body) as T;
const control = (name: string, body: object) =>
  rawRequest(guardian.api!.port, 'POST', `/api/controls/${name}`, { Authorization: `Bearer ${token()}`, 'Content-Type': 'application/json' }, JSON.stringify(body));

describe('GuardianConsole', () => {
  it('serves the data plane in the contract shape: route, peers, buffer, controls', async () => {
    startEa();
    await waitUntil(() => guardian.console.status() && guardian.status().peers.some((p) => p.active_path === 'socket' && p.paths.find((h) => h.path === 'pipe')?.up), 5000, 'the EA up on both paths');
    await new Promise((r) => setTimeout(r, 300)); // a pulse
    const s = await get<GuardianStatus>('/api/status');
    expect(s.routes).toMatchObject({ active: 'socket', standby: ['pipe'], metrics: { socket: { healthy: true }, pipe: { healthy: true } } });
    expect(s.routes.metrics.spool).toBeUndefined();
    expect(s.peers).toEqual([expect.objectContaining({ node_id: 'ea-1', role: 'EA', active_path: 'socket' })]);
    expect(s).toMatchObject({ pulse_ms: 250, demo: false, controls: { forced_path: null, entries_held: false }, open_incident_ids: [] });
    expect(Date.parse(s.ts!)).toBeGreaterThan(Date.now() - 5000);
  });

  it('forces the pipe with a reason: audited with the token\'s operator, announced before the answer, lapsing as "expired"', async () => {
    startEa();
    await waitUntil(() => guardian.router.peers.get('ea-1')?.upLinks(guardian.router.now_ms()).length === 2, 5000, 'both paths up');
    const events: StreamEvent[] = [];
    const sub = guardian.console.onEvent((e) => events.push(e));
    const r = await control('force_path_switch', { path: 'pipe', reason: 'socket flapping at the broker', expires_in_s: 1 });
    expect(r.status, r.body).toBe(200);
    const { audit_id } = JSON.parse(r.body) as { audit_id: string };
    const announced = events.find((e): e is Extract<StreamEvent, { type: 'audit' }> => e.type === 'audit');
    expect(announced?.entry).toMatchObject({ id: audit_id, control: 'force_path_switch', outcome: 'accepted', reason: 'socket flapping at the broker', params: { path: 'pipe' } });
    expect(announced?.entry.actor).toMatch(/^operator:/);
    expect(announced?.entry.expires_ts).toBeTruthy();
    expect(guardian.router.peers.get('ea-1')?.activePath).toBe('pipe');
    const s = guardian.console.status();
    expect(s.routes.active).toBe('pipe');
    expect(s.controls?.forced_path).toBe('pipe');
    expect(s.last_switch).toMatchObject({ from: 'socket', to: 'pipe', actor: 'operator' });

    await waitUntil(() => guardian.router.peers.get('ea-1')?.forcedPath === null, 3000, 'the forced path lapsed');
    const audit = (await get<{ entries: AuditEntry[] }>('/api/audit/recent')).entries;
    expect(audit[0]).toMatchObject({ control: 'force_path_switch', outcome: 'expired', actor: 'guardian', reason: 'socket flapping at the broker' });
    expect(audit[0]!.detail).toMatch(/lapsed after 1 s \(set by operator:/);
    sub.dispose();
  });

  it("keeps an operator's forced path across a restart, on the pipe once the EA is back, and its lapse with it", async () => {
    startEa();
    await waitUntil(() => guardian.router.peers.get('ea-1')?.upLinks(guardian.router.now_ms()).length === 2, 5000, 'both paths up');
    expect((await control('force_path_switch', { path: 'pipe', reason: 'socket flapping at the broker', expires_in_s: 4 })).status).toBe(200);
    await ea!.stop();
    ea = undefined;
    await guardian.dispose();
    guardian = await createGuardian(configForTests((c) => {
      c.paths.spool.enabled = false;
    }), { dataDir: join(dir, 'guardian') });
    expect(guardian.router.peers.get('ea-1')).toMatchObject({ forcedPath: 'pipe', forcedBy: expect.stringMatching(/^operator:/) });
    startEa(); // on the socket first; onto the pipe as soon as it is up
    await waitUntil(() => guardian.router.peers.get('ea-1')?.activePath === 'pipe', 5000, 'the EA on the forced pipe');
    expect(guardian.console.status().controls?.forced_path).toBe('pipe');
    // The console's lapse timer went with the first process; the router lapses the kept force itself.
    await waitUntil(() => guardian.router.peers.get('ea-1')?.forcedPath === null, 6000, 'the force lapsed after the restart');
    await waitUntil(() => guardian.router.peers.get('ea-1')?.activePath === 'socket', 5000, 'back on the socket');
    expect(guardian.db.prepare("SELECT forced_path FROM peers WHERE node_id = 'ea-1'").pluck().get()).toBeNull();
    // And audited, as a lapse on the console's timer is.
    const expired = (await get<{ entries: AuditEntry[] }>('/api/audit/recent')).entries.filter((a) => a.outcome === 'expired');
    expect(expired).toEqual([expect.objectContaining({ control: 'force_path_switch', actor: 'guardian', params: { path: 'pipe', peer: 'ea-1' } })]);
    expect(expired[0]!.detail).toMatch(/^lapsed at \d{4}-\d\d-\d\dT.*Z \(set by operator:/);
  });

  it('audits each control given an expiry once as "expired": on the console\'s timer, and after a restart where the part keeps it', async () => {
    const withControl = () => createGuardian(configForTests((c) => {
      c.paths.spool.enabled = false;
    }), { dataDir: join(dir, 'guardian'), control: { warmup_ms: 0 } });
    await guardian.dispose();
    guardian = await withControl();
    const expired = async () => (await get<{ entries: AuditEntry[] }>('/api/audit/recent')).entries.filter((a) => a.outcome === 'expired');
    // In one process: the console's timer lifts it, the control plane's backstop finds nothing left.
    expect((await control('hold_new_entries', { reason: 'NFP at 13:30', expires_in_s: 1 })).status).toBe(200);
    await waitUntil(() => guardian.control!.entriesHeldBy === null, 4000, 'the hold lapsed');
    await new Promise((r) => setTimeout(r, 1500)); // past the backstop's grace
    expect(await expired()).toEqual([expect.objectContaining({ control: 'hold_new_entries', actor: 'guardian', reason: 'NFP at 13:30', detail: expect.stringMatching(/^lapsed after 1 s \(set by operator:/) })]);

    // Across a restart: the timers went with the process; the hold and the pin lapse where they are kept.
    expect((await control('hold_new_entries', { reason: 'FOMC minutes', expires_in_s: 2 })).status).toBe(200);
    expect((await control('override_mode', { direction: 'pin', mode: 'SAFE_MODE', reason: 'fire drill', expires_in_s: 2 })).status).toBe(200);
    await guardian.dispose();
    guardian = await withControl();
    expect(guardian.control!.entriesHeldBy).toMatch(/^operator:/);
    await waitUntil(() => guardian.control!.entriesHeldBy === null && guardian.control!.modes.state.pin === null, 8000, 'both lapsed');
    for (let i = 0; i < 60 && (await expired()).length < 3; i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    const after = (await expired()).slice(0, 2);
    expect(after.map((a) => [a.control, a.reason, a.actor]).sort()).toEqual([['hold_new_entries', 'FOMC minutes', 'guardian'], ['override_mode', 'fire drill', 'guardian']]);
    expect(after.find((a) => a.control === 'override_mode')).toMatchObject({ params: { direction: 'pin', mode: 'SAFE_MODE' }, detail: expect.stringMatching(/^lapsed after 2 s \(set by operator:/) });
    expect(await expired()).toHaveLength(3); // once each
  });

  it('refuses a force switch onto a path that is not up, with the reason, and audits the refusal', async () => {
    startEa();
    await waitUntil(() => guardian.router.peers.get('ea-1')?.activePath === 'socket', 5000, 'the EA on its socket');
    ea!.faults.dropPath('pipe', 5000);
    await waitUntil(() => guardian.router.peers.get('ea-1')?.upLinks(guardian.router.now_ms()).length === 1, 3000, 'the pipe down');
    const r = await control('force_path_switch', { path: 'pipe', reason: 'try the pipe' });
    expect(r.status).toBe(409);
    const body = JSON.parse(r.body) as { ok: false; code: string; error: string };
    expect(body.code).toBe('REFUSED');
    expect(body.error).toMatch(/pipe/);
    expect(guardian.router.peers.get('ea-1')?.activePath).toBe('socket');
    const audit = (await get<{ entries: AuditEntry[] }>('/api/audit/recent')).entries;
    expect(audit[0]).toMatchObject({ control: 'force_path_switch', outcome: 'refused', detail: body.error });
  });

  it('refuses what it cannot do yet or here: acknowledging an unknown incident, a fault outside demo mode', async () => {
    const ack = await control('acknowledge_incident', { incident_id: 'INC-999999', reason: 'looking at it' });
    expect(ack.status).toBe(404);
    expect(JSON.parse(ack.body)).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    const fault = await control('inject_fault', { fault: 'drop_socket', reason: 'demo time' });
    expect(JSON.parse(fault.body)).toMatchObject({ ok: false, code: 'NOT_DEMO' });
    const audit = (await get<{ entries: AuditEntry[] }>('/api/audit/recent')).entries;
    expect(audit.map((a) => [a.control, a.outcome])).toEqual([['acknowledge_incident', 'refused']]);
  });

  it('announces an incident as it opens, in the contract shape, and lists it as open', async () => {
    const events: StreamEvent[] = [];
    const sub = guardian.console.onEvent((e) => events.push(e));
    const { incident } = guardian.incidents.openIncident({ title: 'DEGRADED.COMM: socket down', severity: 'warning', mode: 'DEGRADED.COMM', family: 'COMM' });
    const announced = events.find((e): e is Extract<StreamEvent, { type: 'incident' }> => e.type === 'incident');
    expect(announced?.incident).toMatchObject({ id: incident.id, title: 'DEGRADED.COMM: socket down', closed_ts: null, mode: 'DEGRADED.COMM' });
    expect(Object.keys(announced!.incident).sort()).toEqual(['acknowledged_by', 'closed_ts', 'estimate_to_recover_s', 'events', 'id', 'mode', 'opened_ts', 'runbook', 'severity', 'title', 'why']);
    expect(guardian.console.status().open_incident_ids).toEqual([incident.id]);
    const ack = await control('acknowledge_incident', { incident_id: incident.id, reason: 'on it' });
    expect(ack.status).toBe(200);
    const acked = events.filter((e): e is Extract<StreamEvent, { type: 'incident' }> => e.type === 'incident').at(-1);
    expect(acked?.incident.acknowledged_by).toMatch(/^operator:/);
    sub.dispose();
  });

  it('tells a few held signals one by one, and a storm of them as one page', async () => {
    const events: StreamEvent[] = [];
    const sub = guardian.console.onEvent((e) => events.push(e));
    const sig = await RawPeer.open(guardian.listening.socket!, 'sig-1', 'SIGNAL');
    try {
      sig.hello(0, 'primary');
      await sig.waitFor((e) => e.header.message_type === 'HELLO_ACK');
      const signal = (i: number) => ({ signal_id: `s-${i}`, symbol: 'EURUSD', action: 'BUY', lots: 0.1, price: 1.1, sl: 1.09, tp: 1.12 });
      // No EA: each is held (NO_ROUTE).
      for (let i = 1; i <= 3; i++) sig.send('SIGNAL', signal(i));
      await waitUntil(() => events.filter((e) => e.type === 'signal').length === 3, 3000, 'three signal events');
      for (let i = 4; i <= 403; i++) sig.send('SIGNAL', signal(i));
      await sig.waitFor((e) => e.header.message_type === 'ACK' && (e.payload as { ack_seq: number }).ack_seq === 403);
      await waitUntil(() => events.some((e) => e.type === 'signals'), 3000, 'a page of held signals');
      const page = events.find((e): e is Extract<StreamEvent, { type: 'signals' }> => e.type === 'signals')!.signals;
      expect(page.length).toBeLessThanOrEqual(HELD_SIGNALS_PAGE);
      expect(page[0]!.state).toBe('held');
      // 400 in at most two pulses: at least one pulse's worth (over 100) went as the page, not one by one.
      expect(events.filter((e) => e.type === 'signal').length).toBeLessThan(3 + 300);
    } finally {
      sub.dispose();
      sig.sock.destroy();
    }
  });

  it('says which console port is taken, and starts nothing', async () => {
    const taken = guardian.api!.port;
    await expect(createGuardian(configForTests((c) => {
      c.api.port = taken;
      c.paths.spool.enabled = false;
    }), { dataDir: join(dir, 'second') })).rejects.toThrow(`the console port 127.0.0.1:${taken} is in use (api.port in the config; 0 picks a free one)`);
  });

  it('exports an incident and the timeline as Markdown, JSON and a printable page without script', async () => {
    const { incident } = guardian.incidents.openIncident({ title: 'DEGRADED.COMM: socket down', severity: 'warning', mode: 'DEGRADED.COMM', family: 'COMM', cause: [{ constraint_id: 'bridge_latency', gate: 'broker_connectivity', value: 210, limit: 60, text: 'bridge_latency_ms = 210' }] });
    for (const format of ['markdown', 'json', 'html'] as const) {
      const file = await get<ReportFile>(`/api/reports/${incident.id}?format=${format}`);
      expect(file.body).toContain(incident.id);
      expect(file.body).toContain('bridge_latency');
      if (format === 'html') {
        expect(file.content_type).toMatch(/^text\/html/);
        expect(file.body).not.toMatch(/<script/i);
      }
    }
    const timeline = await get<ReportFile>('/api/reports/timeline?format=json');
    expect(JSON.parse(timeline.body)).toMatchObject({ scope: 'timeline', incidents: [expect.objectContaining({ id: incident.id })] });
    const s = guardian.console.status();
    expect(s.open_incident_ids).toEqual([incident.id]);
  });
});
