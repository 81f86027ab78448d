// The second status exporter end to end: Guardian (its own process) writes its status file and is
// stopped; `guardian status-console` serves the built console from that file; real Chromium shows
// the last status with a stale banner and its age; reads answer `stale: true, age_s`, and every
// control is refused 503 UNAVAILABLE. Skipped, with the reason, where Chromium is missing.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { GuardianStatus } from '../src-shared/contract';
import { rawRequest } from '../src-main/guardian/server/test-support';
import { readStatusFile } from '../src-main/guardian/status-file';
import { ConsolePage } from './pages/ConsolePage';
import { CLI, freePort, startGuardianProcess, writeConfig } from './support/guardian-process';
import { chromiumMissing, launchChromium } from './support/launchers';
import { until } from './support/peers';
import { ensureWebBuilt } from './support/web-build';

const skip = chromiumMissing();
if (skip) console.log(`SKIPPED: the status-file console in Chromium: ${skip}`);

describe.skipIf(skip !== null)('the console reading the status file while the service is down', () => {
  const dir = mkdtempSync(join(tmpdir(), 'guardian-status-console-'));
  let fallback: ChildProcess | undefined;
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    fallback?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the last status read-only with a stale banner and its age, and refuses controls', async () => {
    await ensureWebBuilt();
    const gdir = join(dir, 'guardian');
    const config = writeConfig(dir, await freePort());
    const g = await startGuardianProcess(gdir, config);
    const file = join(gdir, 'status.json');
    await until(() => readStatusFile(file).ok, 10_000, 'the status file');
    expect(await g.stop()).toBe(0); // the service is down from here on
    const last = readStatusFile(file);
    if (!last.ok) throw new Error(last.error);

    fallback = spawn(process.execPath, ['--import', 'tsx', CLI, 'status-console', '--data-dir', gdir, '--config', config, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    fallback.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    fallback.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    await until(() => /guardian ready/.test(out), 30_000, `the read-only console to start: ${out}`);
    const link = /console (http:\/\/127\.0\.0\.1:(\d+))\/\?token=(\S+)/.exec(out);
    expect(link, out).not.toBeNull();
    const [, origin, port, token] = link!;

    // The API: the file's status, marked stale with its age; a control is refused, not queued.
    const r = await rawRequest(Number(port), 'GET', '/api/status');
    const s = JSON.parse(r.body) as GuardianStatus;
    expect(r.status).toBe(200);
    expect(s).toMatchObject({ mode: last.status.mode, stale: true, written_at: last.written_at, writer_pid: g.child.pid });
    expect(s.age_s).toBeGreaterThanOrEqual(0);
    const c = await rawRequest(Number(port), 'POST', '/api/controls/hold_new_entries', { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, JSON.stringify({ reason: 'test' }));
    expect(c.status).toBe(503);
    expect(JSON.parse(c.body)).toMatchObject({ ok: false, code: 'UNAVAILABLE', error: expect.stringMatching(/read-only/) });

    // The console in Chromium: the last mode, and a banner that says where the figures come from.
    browser = await launchChromium();
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    const deck = new ConsolePage(page);
    await deck.open(`${origin}/?token=${token}`);
    expect(await deck.mode()).toBe(last.status.mode);
    const banner = page.locator('.conn-banner', { hasText: 'Read-only' });
    await banner.waitFor({ timeout: 15_000 });
    expect(await banner.textContent()).toMatch(/Guardian's service is not answering\. Showing its status file, written \d+ s ago; controls are unavailable\./);
    // What the file does not hold (the trading truth, execution, a consensus not yet voted) is
    // answered 503, which the browser logs; nothing else may go wrong on the page.
    expect(deck.errors.filter((e) => !/status of 503 \(Service Unavailable\)/.test(e))).toEqual([]);
  }, 120_000);
});
