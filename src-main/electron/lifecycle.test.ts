// Shutdown sequencing, crash restarts, launch switches and the app's layout.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { appLayout } from './app-layout';
import { parseLaunchOptions } from './launch-options';
import { restartDecision } from './restart-policy';
import { formatShutdownReport, runShutdown, waitForEmptyOutbox } from './shutdown';

describe('the graceful shutdown', () => {
  it('runs the steps in order and records each', async () => {
    const order: string[] = [];
    const r = await runShutdown([
      { name: 'stop taking new work', timeout_ms: 100, run: () => void order.push('stop') },
      { name: 'flush the outbox', timeout_ms: 100, run: async () => (order.push('flush'), 'flushed') },
      { name: 'close the database', timeout_ms: 100, run: () => void order.push('close') },
    ]);
    expect(order).toEqual(['stop', 'flush', 'close']);
    expect(r.ok).toBe(true);
    expect(r.steps.map((s) => [s.name, s.detail])).toEqual([['stop taking new work', 'done'], ['flush the outbox', 'flushed'], ['close the database', 'done']]);
  });

  it('closes the database even when an earlier step fails or overruns', async () => {
    let closed = false;
    const r = await runShutdown([
      { name: 'flush the outbox', timeout_ms: 30, run: () => new Promise(() => {}) },
      { name: 'broken', timeout_ms: 100, run: () => { throw new Error('disk full'); } },
      { name: 'close the database', timeout_ms: 100, run: () => void (closed = true) },
    ]);
    expect(closed).toBe(true);
    expect(r.ok).toBe(false);
    expect(r.steps.map((s) => [s.ok, s.detail])).toEqual([[false, 'did not finish within 30 ms'], [false, 'disk full'], [true, 'done']]);
    expect(formatShutdownReport(r)).toMatch(/^FAIL flush the outbox \(\d+ ms\): did not finish within 30 ms\nFAIL broken/);
  });

  it('waits for the outbox to empty, or says what is left', async () => {
    let depth = 3;
    const t = setInterval(() => (depth = Math.max(0, depth - 1)), 5);
    expect(await waitForEmptyOutbox(() => depth, 1000, 2)).toBe('outbox flushed: every message acknowledged');
    clearInterval(t);
    expect(await waitForEmptyOutbox(() => 4, 20, 5)).toBe('4 message(s) still unacknowledged; they stay stored and are resent after the next start');
  });
});

describe('restarting a crashed control plane', () => {
  it('backs off 1, 2, 4 ... 30 s, and gives up after 5 crashes in 10 minutes', () => {
    const now = 1_000_000_000;
    expect(restartDecision([now], now)).toEqual({ restart: true, delay_ms: 1000 });
    expect(restartDecision([now - 1, now], now)).toEqual({ restart: true, delay_ms: 2000 });
    expect(restartDecision([1, 2, 3, 4].map((i) => now - i), now)).toEqual({ restart: true, delay_ms: 8000 });
    expect(restartDecision([1, 2, 3, 4, 5].map((i) => now - i), now)).toMatchObject({ restart: false });
    expect(restartDecision([1, 2, 3, 4, 5].map((i) => now - 11 * 60_000 - i), now)).toEqual({ restart: true, delay_ms: 1000 });
  });
});

describe('launch switches', () => {
  it('reads ours and leaves Electron\'s alone', () => {
    expect(parseLaunchOptions(['out/main/index.js', '--in-process', '--data-dir', '/d', '--config=/c.yaml', '--hidden', '--demo', '--enable-logging'])).toEqual({ inProcess: true, dataDir: '/d', configFile: '/c.yaml', hidden: true, demo: true });
    expect(parseLaunchOptions([])).toEqual({ inProcess: false, dataDir: null, configFile: null, hidden: false, demo: false });
  });
});

describe('the app layout', () => {
  it('is found from the main bundle: in development the repo, packaged the resources folder', () => {
    const dev = appLayout({ mainDir: join('/repo', 'out', 'main'), resourcesPath: '/ignored', isPackaged: false });
    expect(dev).toEqual({
      rendererDir: join('/repo', 'out', 'renderer'), preloadFile: join('/repo', 'out', 'preload', 'index.cjs'), iconsDir: join('/repo', 'resources'),
      configDir: join('/repo', 'config'), resourcesDir: undefined, repoRoot: join('/repo'),
    });
    const app = appLayout({ mainDir: join('/G/resources/app.asar', 'out', 'main'), resourcesPath: '/G/resources', isPackaged: true });
    expect(app.iconsDir).toBe(join('/G/resources', 'icons'));
    expect(app.configDir).toBe(join('/G/resources', 'config'));
    expect(app.rendererDir).toBe(join('/G/resources/app.asar', 'out', 'renderer'));
    expect(app.preloadFile).toBe(join('/G/resources/app.asar', 'out', 'preload', 'index.cjs'));
    expect(app.repoRoot).toBeUndefined();
  });
});
