// The watchdog's glue, with real hosts and a real Guardian behind the in-process transport: a host
// that stops answering pings is killed and restarted on the same data dir; while it is down the
// console's status comes from Guardian's status file (stale, with its age) and is sent to the
// window; the new host records the restart as an incident. (A real stall cannot be made in a
// shared event loop: the stalled host here drops its pings, which is what a stalled loop looks like
// from the other side of the port.)
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GuardianStatus, Incident, StreamEvent } from '../../../src-shared/contract';
import { configForTests, createGuardian, type Guardian } from '../../guardian';
import { unavailableNativeBridge } from '../../guardian/native';
import { readStatusFile, STATUS_FILE } from '../../guardian/status-file';
import type { MainPort } from './control-plane-client';
import { consoleApiOf } from './console-api';
import { inProcessPorts } from './in-process';
import { runControlPlaneHost } from './run-host';
import { ControlPlaneSupervisor } from './supervisor';

const until = async (cond: () => boolean, timeout_ms: number, what: string) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeout_ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('the control-plane supervisor with its watchdog', () => {
  const dirs: string[] = [];
  const guardians: Guardian[] = [];
  afterEach(async () => {
    for (const g of guardians.splice(0)) await g.dispose();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('kills a host that stops answering, serves the status file meanwhile, and the new host records the restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guardian-watchdog-'));
    dirs.push(dir);
    const dataDir = join(dir, 'data');
    let stalled = false;
    let hosts = 0;
    const spawn = (): MainPort => {
      hosts++;
      const ports = inProcessPorts();
      let guardian: Guardian | undefined;
      runControlPlaneHost({
        post: (m) => ports.host.post(m),
        // The first host "stalls": pings reach it but are never answered.
        onMessage: (l) => ports.host.onMessage((m) => (stalled && (m as { kind?: string }).kind === 'ping' ? undefined : l(m))),
      }, {
        platform: 'linux', consoleApi: consoleApiOf, loadNative: () => unavailableNativeBridge('not in this test'),
        startGuardian: async (o) => {
          guardian = await createGuardian(configForTests((c) => void (c.paths.spool.enabled = false)), { dataDir: o.dataDir });
          guardians.push(guardian);
          return { guardian };
        },
      });
      // Killing the "process" ends its Guardian, as the OS would.
      return { ...ports.main, kill: () => void guardian?.dispose().finally(() => ports.main.kill()) };
    };
    const events: StreamEvent[] = [];
    const told: string[] = [];
    const sup = new ControlPlaneSupervisor(spawn, { dataDir }, {
      onEvent: (e) => events.push(e), onState: () => undefined, log: () => undefined, onRestart: (m) => told.push(m),
      statusFromFile: () => {
        const r = readStatusFile(join(dataDir, STATUS_FILE));
        return r.ok ? r.status : null;
      },
    }, Date.now, { ping_every_ms: 50, stall_limit_ms: 400 });

    await sup.start();
    await until(() => sup.state.phase === 'ready', 20_000, 'the first host');
    await until(() => readStatusFile(join(dataDir, STATUS_FILE)).ok, 5000, 'the status file');
    await new Promise((r) => setTimeout(r, 300)); // pings answered: no restart while it answers
    expect(told).toEqual([]);

    stalled = true;
    await until(() => sup.watchdogPhase === 'restarting', 10_000, 'the watchdog to kill the stalled host');
    stalled = false;
    expect(told[0]).toMatch(/not responding \(no answer to a ping for \d+ s\); restarting it/);
    // Down: the status is the file's, marked stale, and the window is sent it.
    const fromFile = (await sup.call('status', {})) as GuardianStatus;
    expect(fromFile).toMatchObject({ stale: true });
    await expect(sup.call('incidentsRecent', {})).rejects.toThrow(/not running \(restarting\)/);
    await until(() => events.some((e) => e.type === 'status' && e.status.stale === true), 5000, 'a stale status sent to the window');

    await until(() => sup.watchdogPhase === 'watching' && sup.state.phase === 'ready', 20_000, 'the new host');
    expect(hosts).toBe(2);
    expect(told.at(-1)).toMatch(/restarted after it stalled .*back after \d+\.\d s/);
    const { incidents } = (await sup.call('incidentsRecent', {})) as { incidents: Incident[] };
    expect(incidents.map((i) => i.title)).toContainEqual(expect.stringMatching(/watchdog restarted the control plane: it stalled \(no answer to a ping/));
    expect(((await sup.call('status', {})) as GuardianStatus).stale).toBeUndefined();
    await sup.shutdown(500);
  }, 60_000);
});
