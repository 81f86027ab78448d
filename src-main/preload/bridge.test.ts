// The whole console path with a fake bridge (Freelens style): window.guardian as the preload
// builds it -> in-memory IPC -> the main process's guarded handlers -> the control-plane client
// -> the host -> a real Guardian. A call and an event round-trip; untrusted senders are refused
// and logged, and never reach the control plane.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API, API_NAMES, EVENT_STREAM, type ApiName, type GuardianStatus, type Mode, type StreamEvent } from '../../src-shared/contract';
import { configForTests, createGuardian, type Guardian } from '../guardian';
import { unavailableNativeBridge } from '../guardian/native';
import { consoleUrl } from '../electron/app-url';
import type { ConsoleApi } from '../electron/host/console-api';
import { ControlPlaneClient } from '../electron/host/control-plane-client';
import { inProcessPorts } from '../electron/host/in-process';
import { runControlPlaneHost } from '../electron/host/run-host';
import { REFUSED, registerConsoleIpc } from '../electron/ipc-wiring';
import { buildBridgeApi } from './bridge-api';
import { inMemoryIpc } from './in-memory-ipc.test-support';

const APP_URL = consoleUrl(undefined); // app://guardian/index.html
const WINDOW = 7; // the console window's webContents id

function statusFixture(mode: Mode, node_id: string): GuardianStatus {
  return {
    mode,
    overall_score: 91.5,
    scores: { market_quality: 90, risk_management: 95, system_health: 88, broker_connectivity: 93 },
    routes: { active: 'socket', standby: ['pipe', 'spool'], metrics: { socket: { healthy: true, latency_ms: 3 } } },
    buffer: { depth: 0, enq_per_s: 0, deq_per_s: 0, oldest_age_s: 0 },
    incidents: [],
    agent_votes: {},
    policy: { recover_threshold: 85, dwell_seconds: 20 },
    version: node_id,
  };
}

describe('window.guardian through the fake bridge', () => {
  let dir = '';
  let guardian: Guardian | undefined;
  const reachedControlPlane: ApiName[] = [];
  const emit = new Set<(e: StreamEvent) => void>();
  const logged: string[] = [];
  const ipc = inMemoryIpc();
  let client: ControlPlaneClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'guardian-bridge-'));
    const ports = inProcessPorts();
    runControlPlaneHost(ports.host, {
      platform: 'linux',
      loadNative: () => unavailableNativeBridge('not needed here'),
      startGuardian: async (o) => ({ guardian: (guardian = await createGuardian(configForTests((c) => void (c.paths.spool.enabled = false)), { dataDir: o.dataDir })) }),
      // The control plane's console API stands in here (see console-api.ts): status from a
      // fixture carrying the live Guardian's node id, so the answer provably came through it.
      consoleApi: (g) => {
        const api: ConsoleApi = {
          call: async (name) => {
            reachedControlPlane.push(name);
            if (name === 'status') return statusFixture('NORMAL', g.status().node_id) as never;
            throw new Error(`${name}: not in this fixture`);
          },
          subscribe: (l) => (emit.add(l), () => emit.delete(l)),
        };
        return { api, served: true };
      },
    });
    client = new ControlPlaneClient(ports.main, { dataDir: join(dir, 'guardian') });
    client.onEvent((e) => ipc.send(WINDOW, EVENT_STREAM.ipc, e));
    registerConsoleIpc(ipc.ipcMain, {
      appUrl: APP_URL,
      consoleWebContentsId: () => WINDOW,
      call: (name, request) => client.call(name, request),
      log: (line) => logged.push(line),
    });
    await new Promise<void>((r) => client.onState((s) => s.phase === 'ready' && r()));
  });
  afterAll(async () => {
    await client.shutdown(500);
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers one handler per contract entry', () => {
    expect(ipc.channels().sort()).toEqual(API_NAMES.map((n) => API[n].ipc).sort());
    expect(new Set(ipc.channels()).size).toBe(API_NAMES.length);
  });

  it('exposes the contract and nothing else', () => {
    const api = buildBridgeApi(ipc.renderer({ url: APP_URL, parent: null }, WINDOW));
    expect(Object.keys(api).sort()).toEqual(['call', 'contract_version', 'subscribe']);
    expect(Object.isFrozen(api)).toBe(true);
    expect(api.contract_version).toBe('1.0');
  });

  it('round-trips a call from the console page to the control plane and back', async () => {
    const api = buildBridgeApi(ipc.renderer({ url: `${APP_URL}#/incidents`, parent: null }, WINDOW));
    const status = await api.call('status', {});
    expect(status).toEqual(statusFixture('NORMAL', guardian!.status().node_id));
    expect(reachedControlPlane).toContain('status');
  });

  it('carries the event stream to subscribers, without the IPC event, until they unsubscribe', async () => {
    const api = buildBridgeApi(ipc.renderer({ url: APP_URL, parent: null }, WINDOW));
    const got: unknown[] = [];
    const stop = api.subscribe((e) => got.push(e));
    const event: StreamEvent = { type: 'status', status: statusFixture('DEGRADED.COMM', 'g') };
    for (const l of emit) l(event);
    for (const l of emit) l({ type: 'not-an-event' } as unknown as StreamEvent); // dropped by the preload's parser
    await new Promise((r) => setTimeout(r, 20));
    expect(got).toEqual([event]);
    stop();
    for (const l of emit) l(event);
    await new Promise((r) => setTimeout(r, 20));
    expect(got).toHaveLength(1);
  });

  it('refuses another site, a subframe and another window, logging each, reaching nothing', async () => {
    const before = reachedControlPlane.length;
    const senders = [
      ipc.renderer({ url: 'https://evil.example/index.html', parent: null }, WINDOW),
      ipc.renderer({ url: APP_URL, parent: { url: APP_URL } }, WINDOW),
      ipc.renderer({ url: APP_URL, parent: null }, 99),
    ];
    for (const r of senders) {
      await expect(buildBridgeApi(r).call('status', {})).rejects.toThrow(REFUSED);
    }
    expect(reachedControlPlane.length).toBe(before);
    expect(logged).toEqual([
      'ipc: refused guardian:status: the frame shows https://evil.example/index.html, not app://guardian/index.html',
      'ipc: refused guardian:status: a subframe (app://guardian/index.html) may not call Guardian',
      'ipc: refused guardian:status: webContents 99 is not the console window',
    ]);
  });

  it('answers a bad control with the contract\'s refusal, before the control plane', async () => {
    const api = buildBridgeApi(ipc.renderer({ url: APP_URL, parent: null }, WINDOW));
    const before = reachedControlPlane.length;
    const r = await api.call('control', { name: 'hold_new_entries', request: { reason: ' ' } });
    expect(r).toEqual({ ok: false, code: 'REASON_REQUIRED', error: 'Give a reason of at least 3 characters.' });
    await expect(api.call('nope' as ApiName, {} as never)).rejects.toThrow('"nope" is not part of Guardian\'s API');
    expect(reachedControlPlane.length).toBe(before);
  });

  it('passes the control plane\'s own failure through', async () => {
    const api = buildBridgeApi(ipc.renderer({ url: APP_URL, parent: null }, WINDOW));
    await expect(api.call('gates', {})).rejects.toThrow('gates: not in this fixture');
  });
});
