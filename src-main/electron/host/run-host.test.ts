// The control-plane host with a real Guardian behind the in-process transport (the same messages
// a utility process gets): it starts, answers the console's calls from guardian.console, streams
// events, refuses work once stopping, and shuts down in order: stop taking new work, flush the
// outbox, close the database.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GuardianStatus, StreamEvent } from '../../../src-shared/contract';
import { configForTests, createGuardian, DEFAULT_CONFIG_FILE, loadGuardianConfig, type Guardian } from '../../guardian';
import { unavailableNativeBridge } from '../../guardian/native';
import { ControlPlaneClient, type HostState } from './control-plane-client';
import { inProcessPorts } from './in-process';
import { consoleApiOf } from './console-api';
import { defaultHostDeps, EXIT_CONFIG, runControlPlaneHost, type HostDeps } from './run-host';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setUp(start: HostDeps['startGuardian']) {
  const dir = mkdtempSync(join(tmpdir(), 'guardian-host-'));
  dirs.push(dir);
  const ports = inProcessPorts();
  const handle = runControlPlaneHost(ports.host, { platform: 'linux', consoleApi: consoleApiOf, loadNative: () => unavailableNativeBridge('not built in this test'), startGuardian: start });
  const client = new ControlPlaneClient(ports.main, { dataDir: join(dir, 'guardian') }, { call_timeout_ms: 5000 });
  const states: HostState['phase'][] = [];
  client.onState((s) => states.push(s.phase));
  const settled = new Promise<HostState>((r) => client.onState((s) => s.phase !== 'starting' && r(s)));
  return { dir, client, handle, states, settled };
}

describe('the control-plane host', () => {
  it('starts Guardian, answers from its console backend, streams its pulse, then stops in order', async () => {
    let guardian: Guardian | undefined;
    const { client, handle, states, settled } = setUp(async (o) => ({ guardian: (guardian = await createGuardian(configForTests((c) => void (c.paths.spool.enabled = false)), { dataDir: o.dataDir })) }));
    const ready = await settled;
    expect(ready.phase).toBe('ready');
    if (ready.phase !== 'ready') return;
    expect(ready.ready.console_api).toBe(true);
    expect(ready.ready.native).toEqual({ available: false, reason: 'not built in this test' });
    expect(Object.keys(ready.ready.listening).sort()).toEqual(['pipe', 'socket']);

    const status = (await client.call('status', {})) as GuardianStatus;
    expect(status.mode).toMatch(/^(NORMAL|DEGRADED\.[A-Z]+|SAFE_MODE)$/);
    await expect(client.call('incident', { id: 'no-such-incident' })).rejects.toThrow('No incident no-such-incident');
    const refused = await client.call('control', { name: 'hold_new_entries', request: { reason: 'x' } });
    expect(refused).toMatchObject({ ok: false, code: 'REASON_REQUIRED' });

    const events: StreamEvent[] = [];
    client.onEvent((e) => events.push(e));
    await new Promise((r) => setTimeout(r, 700)); // a few pulses
    expect(events.some((e) => e.type === 'status')).toBe(true);

    const report = await client.shutdown(500);
    expect(report?.steps.map((s) => s.name)).toEqual(['stop taking new work', 'flush the outbox', 'close the database']);
    expect(report?.ok).toBe(true);
    expect(report?.steps[1]?.detail).toBe('outbox flushed: every message acknowledged');
    expect(guardian!.db.open).toBe(false);
    expect(states).toEqual(['ready', 'stopping', 'stopped']);
    expect((await handle.done).exit_code).toBe(0);
    await expect(client.call('status', {})).rejects.toThrow("Guardian's control plane is not running (stopped)");
  });

  it('reports an invalid configuration as exit code 78 with the file and line, and starts nothing', async () => {
    const { dir, client, handle, settled } = setUp(async () => {
      const bad = join(dir, 'guardian.yaml');
      writeFileSync(bad, 'paths:\n  socket:\n    port: 70000\n');
      return { guardian: await createGuardian(loadGuardianConfig(bad), { dataDir: join(dir, 'g') }) };
    });
    const s = await settled;
    expect(s.phase).toBe('failed');
    if (s.phase !== 'failed') return;
    expect(s.exit_code).toBe(EXIT_CONFIG);
    expect(s.error).toMatch(/guardian\.yaml:3: paths\.socket\.port/);
    expect((await handle.done).exit_code).toBe(EXIT_CONFIG);
    await expect(client.call('status', {})).rejects.toThrow(/failed to start/);
  });

  it('says, call by call, when the control plane has no console backend', async () => {
    const { client, settled } = setUp(async (o) => {
      const g = await createGuardian(configForTests((c) => void (c.paths.spool.enabled = false)), { dataDir: o.dataDir });
      return { guardian: Object.assign(Object.create(g) as Guardian, { console: undefined }) };
    });
    const s = await settled;
    expect(s.phase === 'ready' && s.ready.console_api).toBe(false);
    await expect(client.call('status', {})).rejects.toThrow('status: this control plane has no console backend (guardian.console): the window shows no data');
    await client.shutdown(100);
  });

  it('with --demo runs the MT4 simulator beside Guardian, and stops it before the database closes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guardian-host-demo-'));
    dirs.push(dir);
    const config = join(dir, 'guardian.yaml');
    writeFileSync(config, readFileSync(DEFAULT_CONFIG_FILE, 'utf8').replace('port: 9999', 'port: 0').replace('port: 8787', 'port: 0'));
    const ports = inProcessPorts();
    runControlPlaneHost(ports.host, { ...defaultHostDeps, loadNative: () => unavailableNativeBridge('not needed here') });
    const client = new ControlPlaneClient(ports.main, { dataDir: join(dir, 'data'), configFile: config, demo: true });
    const s = await new Promise<HostState>((r) => client.onState((x) => x.phase !== 'starting' && r(x)));
    expect(s.phase === 'failed' ? s.error : s.phase).toBe('ready');
    const status = (await client.call('status', {})) as GuardianStatus;
    expect(status.demo).toBe(true);
    const report = await client.shutdown(500);
    expect(report?.steps.map((x) => x.name)).toEqual(['stop taking new work', 'flush the outbox', 'stop the simulator', 'close the database']);
  });

  it('on Windows offers Guardian the native secure pipe, and without the library says the pipe keeps the default ACL and why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guardian-host-win-'));
    dirs.push(dir);
    const ports = inProcessPorts();
    let offered = false;
    runControlPlaneHost(ports.host, {
      platform: 'win32', consoleApi: consoleApiOf, loadNative: () => unavailableNativeBridge('gb_bridge.dll is not in resources'),
      startGuardian: async (o, extras) => {
        offered = !!extras?.pipeListener;
        return { guardian: await createGuardian(configForTests((c) => void (c.paths.spool.enabled = false)), { dataDir: o.dataDir, ...extras }) };
      },
    });
    const client = new ControlPlaneClient(ports.main, { dataDir: join(dir, 'g') }, { call_timeout_ms: 5000 });
    const s = await new Promise<HostState>((r) => client.onState((x) => x.phase !== 'starting' && r(x)));
    expect(offered).toBe(true);
    expect(s.phase === 'ready' && s.ready.secure_pipe).toBe(
      "the pipe uses Node's default ACL (every local account may open it): the native bridge is not available: gb_bridge.dll is not in resources",
    );
    expect(s.phase === 'ready' && Object.keys(s.ready.listening).sort()).toEqual(['pipe', 'socket']);
    await client.shutdown(100);
  });
});
