// The control-plane host exactly as the desktop app ships it (the bundle of
// scripts/build-electron-host.ts), run under Node: it finds config/ from its own location,
// starts Guardian, answers the console's calls, and shuts down in order. Built into
// e2e/artifacts/host-check/ (the same depth below the repo as out/main/host/, and not under out/,
// whose node_modules may hold Electron's better-sqlite3 after `npm start`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GuardianStatus } from '../src-shared/contract';
import { ControlPlaneClient, type HostState } from '../src-main/electron/host/control-plane-client';
import { IN_PROCESS_ENTRY } from '../src-main/electron/host/host-bundle';
import type * as InProcessEntry from '../src-main/electron/host/in-process-entry';
import { buildElectronHost } from '../scripts/build-electron-host';

const root = join(import.meta.dirname, '..');
const outDir = join(root, 'e2e', 'artifacts', 'host-check');

describe('the bundled control-plane host', () => {
  let dir = '';
  let client: ControlPlaneClient;

  beforeAll(async () => {
    await buildElectronHost(root, outDir);
    dir = mkdtempSync(join(tmpdir(), 'guardian-host-bundle-'));
    // The shipped configuration with free ports, as an operator's --config file would be.
    const config = join(dir, 'guardian.yaml');
    writeFileSync(config, readFileSync(join(root, 'config', 'guardian.yaml'), 'utf8').replace('port: 9999', 'port: 0').replace('port: 8787', 'port: 0'));
    const mod = (await import(pathToFileURL(join(outDir, IN_PROCESS_ENTRY)).href)) as typeof InProcessEntry;
    client = new ControlPlaneClient(mod.startInProcessHost(), { dataDir: join(dir, 'data'), configFile: config, repoRoot: root });
  });
  afterAll(async () => {
    await client?.shutdown(500);
    rmSync(dir, { recursive: true, force: true });
    rmSync(outDir, { recursive: true, force: true });
  });

  it('starts Guardian from the bundle and serves the console API', async () => {
    const state = await new Promise<HostState>((r) => {
      if (client.state.phase !== 'starting') r(client.state);
      client.onState((s) => s.phase !== 'starting' && r(s));
    });
    expect(state.phase === 'failed' ? state.error : state.phase).toBe('ready');
    if (state.phase !== 'ready') return;
    expect(state.ready.console_api).toBe(true);
    expect(state.ready.listening.socket).toMatch(/^127\.0\.0\.1:\d+$/);
    const status = (await client.call('status', {})) as GuardianStatus;
    expect(status.mode).toMatch(/^(NORMAL|DEGRADED\.[A-Z]+|SAFE_MODE)$/);
  });

  it('stops in order: no new work, outbox flushed, database closed', async () => {
    const report = await client.shutdown(500);
    expect(report?.ok).toBe(true);
    expect(report?.steps.map((s) => s.name)).toEqual(['stop taking new work', 'flush the outbox', 'close the database']);
  });
});
