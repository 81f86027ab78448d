// The desktop app end to end, with playwright-core's _electron, where an Electron binary is
// installed (skipped here, with the reason, where it is not): the console comes from
// app://guardian with window.guardian and nothing else, a call reaches the control plane in its
// utility process, the window is locked down, closing it leaves Guardian in the tray, and
// quitting shuts the control plane down in order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import type { GuardianBridgeApi, GuardianStatus } from '../src-shared/contract';
import { buildDesktopApp } from '../scripts/build-desktop-app';
import { findElectronBinary } from '../scripts/electron-binary';
import { devNativeDir } from '../scripts/electron-native';

const root = join(import.meta.dirname, '..');
const bin = findElectronBinary(root);
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const skip = !bin.found ? bin.reason : noDisplay ? 'no display: run the tests under xvfb-run (apt-get install xvfb)' : null;
if (skip) console.log(`electron-app.test: SKIPPED: ${skip}`);

type Bridged = Window & { guardian?: GuardianBridgeApi; require?: unknown; process?: unknown };

describe.skipIf(skip !== null)('the desktop app', () => {
  let app: ElectronApplication;
  let page: Page;
  let dir = '';
  let output = '';

  beforeAll(async () => {
    if (!bin.found) return;
    const native = await buildDesktopApp(root, { electron: bin.version, platform: process.platform, arch: process.arch }, devNativeDir(root), true);
    if (!native.ok) throw new Error(native.reason);
    dir = mkdtempSync(join(tmpdir(), 'guardian-electron-'));
    const config = join(dir, 'guardian.yaml');
    writeFileSync(config, readFileSync(join(root, 'config', 'guardian.yaml'), 'utf8').replace('port: 9999', 'port: 0').replace('port: 8787', 'port: 0'));
    app = await electron.launch({ executablePath: bin.path, args: [root, '--data-dir', join(dir, 'data'), '--config', config], cwd: root, timeout: 60_000 });
    app.process().stdout?.on('data', (d: Buffer) => (output += d.toString()));
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  }, 180_000);

  afterAll(async () => {
    if (app && app.process().exitCode === null) await app.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the console from app://guardian, with window.guardian and no Node', async () => {
    expect(page.url()).toBe('app://guardian/index.html');
    const seen = await page.evaluate(() => {
      const w = window as Bridged;
      return { keys: Object.keys(w.guardian ?? {}).sort(), require: typeof w.require, process: typeof w.process };
    });
    expect(seen).toEqual({ keys: ['call', 'contract_version', 'subscribe'], require: 'undefined', process: 'undefined' });
  });

  it('round-trips a call to the control plane in its utility process', async () => {
    const status = await page.evaluate(() => (window as Bridged).guardian!.call('status', {})) as GuardianStatus;
    expect(status.mode).toMatch(/^(NORMAL|DEGRADED\.[A-Z]+|SAFE_MODE)$/);
    const names = await app.evaluate(({ app: a }) => a.getAppMetrics().map((m) => m.name ?? m.type));
    expect(names).toContain('Guardian control plane');
  });

  it('runs the page isolated: the preload\'s world and Electron stay out of reach', async () => {
    // The options are held to the rules in src-main/electron/window-options.test.ts; here, their effect.
    const leaks = await page.evaluate(() => {
      const w = window as Bridged & { ipcRenderer?: unknown; electron?: unknown; module?: unknown };
      return [typeof w.ipcRenderer, typeof w.electron, typeof w.module, typeof w.guardian?.call];
    });
    expect(leaks).toEqual(['undefined', 'undefined', 'undefined', 'function']);
  });

  it('opens no windows, navigates nowhere, fetches nothing outside, and serves its CSP', async () => {
    expect(await page.evaluate(() => window.open('https://example.com/') === null)).toBe(true);
    await page.evaluate(() => void (window.location.href = 'https://example.com/'));
    await page.waitForTimeout(500);
    expect(page.url()).toMatch(/^app:\/\/guardian\/index\.html/);
    expect(await page.evaluate(() => fetch('https://example.com/').then(() => 'fetched', () => 'blocked'))).toBe('blocked');
    const csp = await page.evaluate(() => fetch('app://guardian/index.html').then((r) => r.headers.get('content-security-policy')));
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
  });

  it('keeps running in the tray when the window closes, and shuts down in order on quit', async () => {
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.close());
    await page.waitForTimeout(300);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => w.isVisible()))).toEqual([false]);
    const exited = new Promise<number | null>((r) => app.process().once('exit', (code) => r(code)));
    await app.evaluate(({ app: a }) => a.quit());
    expect(await exited).toBe(0);
    expect(output).toMatch(/ok {3}stop the control plane .*stop taking new work.*flush the outbox.*close the database/s);
  });
});
