// The ways a console spec gets its page: the web console served by `guardian serve --demo`, in
// Debian's Chromium; or the Electron app, through Playwright's _electron, where a binary is
// installed. Each says why it cannot run here rather than failing.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, chromium, type Browser } from 'playwright-core';
import { buildDesktopApp } from '../../scripts/build-desktop-app';
import { findElectronBinary } from '../../scripts/electron-binary';
import { devNativeDir } from '../../scripts/electron-native';
import type { ConsoleLauncher, ConsoleTarget } from '../specs/target';
import { freePort, startGuardianProcess, writeConfig } from './guardian-process';
import { ensureWebBuilt } from './web-build';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CHROMIUM = process.env.GUARDIAN_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM) ? null : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set GUARDIAN_CHROMIUM); CI installs it`;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** `guardian serve --demo` on free ports, the console built from the tree, a Chromium page on it. */
export const webLauncher: ConsoleLauncher = {
  name: 'web console in Chromium',
  unavailable: chromiumMissing,
  async launch(): Promise<ConsoleTarget> {
    await ensureWebBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'guardian-console-e2e-'));
    // Spool off: the demo EA then has two paths, and a dropped socket can only fail over to the pipe.
    const config = writeConfig(dir, await freePort(), (y) => y.replace(/spool:\n(\s+)enabled: true/, 'spool:\n$1enabled: false'));
    const g = await startGuardianProcess(dir, config, ['--demo']);
    if (!g.api) {
      await g.stop();
      throw new Error(`guardian printed no console URL:\n${g.output()}`);
    }
    const browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const api = g.api;
    return {
      kind: 'web',
      page,
      url: api.consoleUrl,
      http: { origin: api.origin, port: api.port, token: api.token },
      output: g.output,
      async close() {
        await browser.close().catch(() => undefined);
        await g.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

/** The desktop app in demo mode, built as e2e/electron-app.test.ts builds it; skipped where Electron cannot run. */
export const electronLauncher: ConsoleLauncher = {
  name: 'Electron app',
  unavailable() {
    const bin = findElectronBinary(ROOT);
    if (!bin.found) return bin.reason;
    if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'no display: run the tests under xvfb-run (apt-get install xvfb)';
    return null;
  },
  async launch(): Promise<ConsoleTarget> {
    const bin = findElectronBinary(ROOT);
    if (!bin.found) throw new Error(bin.reason);
    const native = await buildDesktopApp(ROOT, { electron: bin.version, platform: process.platform, arch: process.arch }, devNativeDir(ROOT), true);
    if (!native.ok) throw new Error(native.reason);
    const dir = mkdtempSync(join(tmpdir(), 'guardian-electron-e2e-'));
    const config = writeConfig(dir, 0, (y) => y.replace(/spool:\n(\s+)enabled: true/, 'spool:\n$1enabled: false'));
    const app = await _electron.launch({ executablePath: bin.path, args: [ROOT, '--demo', '--data-dir', join(dir, 'data'), '--config', config], cwd: ROOT, timeout: 60_000 });
    let out = '';
    app.process().stdout?.on('data', (c: Buffer) => (out += c.toString()));
    app.process().stderr?.on('data', (c: Buffer) => (out += c.toString()));
    const page = await app.firstWindow();
    await page.setViewportSize({ width: 1280, height: 800 });
    return {
      kind: 'electron',
      page,
      url: page.url(),
      output: () => out,
      async close() {
        await app.close().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};
