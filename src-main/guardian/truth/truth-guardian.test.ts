// The trading truth in a real Guardian: raw TRADE and STATUS events from an EA over the socket
// are journalled, the metrics and the risk gate's variables come from the journal, and both
// survive a restart (the drawdown's equity peak too). The manifest is served and in every report,
// with no secret in either.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunManifest, TruthReport } from '../../../src-shared/contract';
import { RawPeer } from '../raw-peer.test-support';
import { configForTests, createGuardian, type Guardian } from '..';

const status = (equity: number) => ({ ea_state: 'MANAGING', balance: 10_000, equity, margin_level: 500, spread_pips: 1, open_positions: 1, server_time: '2026.11.22 10:00:00' });
const trade = (event: string, ticket: number, extra: object = {}) => ({ event, ticket, symbol: 'EURUSD', side: 'BUY', lots: 0.1, ...extra });

describe('the trading truth in a running Guardian', () => {
  const dirs: string[] = [];
  const running: Guardian[] = [];
  const peers: RawPeer[] = [];
  afterEach(async () => {
    for (const p of peers.splice(0)) p.sock.destroy();
    for (const g of running.splice(0)) await g.dispose();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'guardian-truth-'));
    dirs.push(d);
    return d;
  };

  it('journals raw TRADE events; metrics, variables and the equity peak survive a restart', async () => {
    const dir = tmp();
    const g = await createGuardian(configForTests((c) => { c.api.enabled = false; }), { dataDir: dir, control: { autostart: false, warmup_ms: 0 } });
    running.push(g);
    const ea = await RawPeer.open(g.listening.socket!, 'ea-1', 'EA');
    peers.push(ea);
    ea.hello();
    await ea.waitFor((e) => e.header.message_type === 'HELLO_ACK');
    ea.send('STATUS', status(10_500)); // the peak
    ea.send('TRADE', trade('OPENED', 1, { requested_price: 1.1, price: 1.10011 })); // 1 pip on 1.10011: 0.909 bps
    ea.send('TRADE', trade('CLOSED', 1, { price: 1.1, pnl: -20, commission: -1, swap: 0 }));
    ea.send('TRADE', trade('OPENED', 2, { requested_price: 1.1, price: 1.1 }));
    ea.send('TRADE', trade('CLOSED', 2, { price: 1.1, pnl: -10, commission: -1, swap: -0.5 }));
    ea.send('TRADE', trade('REJECTED', 0, { reject_code: 134 })); // not enough money: the broker refused
    ea.send('TRADE', trade('REJECTED', 0, { reject_code: 'MODE_BLOCK' })); // Guardian's own: never reached the broker
    ea.send('STATUS', status(9_450)); // 10% below the peak
    await ea.until(() => g.truth.journal.summary().events === 6);
    await ea.until(() => g.truth.metrics().drawdown_pct > 0);

    const check = (m: ReturnType<Guardian['truth']['metrics']>) => {
      expect(m).toMatchObject({ trades: 2, wins: 0, losses: 2, net_pnl: -32.5, fees: 2.5, consecutive_losses: 2, orders: 3, profit_factor: 0 });
      expect(m.reject_rate_pct).toBeCloseTo(100 / 3, 6);
      expect(m.avg_slippage_bps).toBeCloseTo((0.00011 / 1.10011) * 10_000 / 2, 3);
      expect(m.drawdown_pct).toBeCloseTo(10, 6);
    };
    check(g.truth.metrics());
    // The risk gate reads them: the pulse's variables come from the journal.
    const vars = g.control!.pulseNow().snapshot.vars;
    expect(vars.consecutive_losses).toBe(2);
    expect(vars.drawdown_pct).toBeCloseTo(10, 6);
    expect(vars.profit_factor).toBe(0);

    ea.sock.destroy();
    await g.dispose();
    running.splice(0);
    const again = await createGuardian(configForTests((c) => { c.api.enabled = false; }), { dataDir: dir, control: { autostart: false, warmup_ms: 0 } });
    running.push(again);
    check(again.truth.metrics());
    expect(again.truth.peakEquity('ea-1')).toBe(10_500);
    // A fresh STATUS after the restart still measures from the peak before it (it was kept in memory only).
    const ea2 = await RawPeer.open(again.listening.socket!, 'ea-1', 'EA');
    peers.push(ea2);
    ea2.hello();
    await ea2.waitFor((e) => e.header.message_type === 'HELLO_ACK');
    ea2.send('STATUS', status(9_450), 9); // the stream goes on after the 8 messages before the restart
    await ea2.until(() => (again.control!.pulseNow().snapshot.vars.drawdown_pct ?? 0) > 0);
    expect(again.control!.pulseNow().snapshot.vars.drawdown_pct).toBeCloseTo(10, 6);
  });

  it('serves the truth and the manifest, and every report carries the manifest, with no secret in either', async () => {
    const dir = tmp();
    const secret = 'hmac-key-never-printed-7f3a';
    const g = await createGuardian(configForTests(), { dataDir: dir, env: { GUARDIAN_HMAC_KEY: secret }, flags: { demo: false, data_dir: dir } });
    running.push(g);
    const token = readFileSync(join(dir, 'api-token'), 'utf8').trim();
    const get = async (path: string) => {
      const r = await fetch(`${g.api!.origin}${path}`, { headers: { authorization: `Bearer ${token}` } });
      expect(r.status, path).toBe(200);
      return r.text();
    };
    const manifest = JSON.parse(await get('/api/manifest')) as RunManifest;
    expect(manifest).toMatchObject({ data_dir: dir, protocol_versions: expect.arrayContaining(['1.2']), flags: { demo: false } });
    expect(manifest.config_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.version).toMatch(/\d+\.\d+/);
    expect(manifest.git_commit === null || /^[0-9a-f]{40}/.test(manifest.git_commit)).toBe(true);
    const truth = JSON.parse(await get('/api/truth')) as TruthReport;
    expect(truth.metrics).toMatchObject({ trades: 0, profit_factor: null, sharpe: null });

    const incident = g.incidents.raise({ family: 'TEST', title: 'a test incident', severity: 'warning' }).incident;
    const markdown = await get(`/api/reports/${incident.id}?format=markdown`);
    const json = await get(`/api/reports/${incident.id}?format=json`);
    const timeline = await get('/api/reports/timeline?format=markdown');
    const md = (JSON.parse(markdown) as { body: string }).body;
    expect(md).toContain('## Run manifest');
    expect(md).toContain(manifest.config_hash);
    expect((JSON.parse((JSON.parse(json) as { body: string }).body) as { manifest: RunManifest }).manifest.config_hash).toBe(manifest.config_hash);
    expect((JSON.parse(timeline) as { body: string }).body).toContain('## Run manifest');
    for (const text of [JSON.stringify(manifest), markdown, json, timeline]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(token);
    }
  });
});
