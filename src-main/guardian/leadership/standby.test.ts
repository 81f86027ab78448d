// A Guardian without ha must not start unfenced beside an active instance.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../clock';
import { configForTests } from '../config-for-tests';
import { Leadership } from './leadership';
import { refuseIfAnotherIsActive } from './standby';

describe('refuseIfAnotherIsActive', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const setup = () => {
    const dir = mkdtempSync(join(tmpdir(), 'guardian-refuse-'));
    dirs.push(dir);
    return { dir, config: configForTests() };
  };

  it('lets a start through on a new data dir, and on one where nobody holds a live lease', async () => {
    const { dir, config } = setup();
    expect(() => refuseIfAnotherIsActive(config, dir)).not.toThrow();
    const clock = new ManualClock({ wall_ms: Date.now() });
    const l = new Leadership(join(dir, config.store.file), { lease_ms: 1000, renew_ms: 100, dead_holder_takeover: true }, { clock, holder: 'old', host: hostname(), pid: process.pid });
    await l.waitUntilActive();
    l.release(); // a graceful stop
    expect(() => refuseIfAnotherIsActive(config, dir)).not.toThrow();
  });

  it('refuses while another live process holds the lease, and names it and what to do', async () => {
    const { dir, config } = setup();
    const clock = new ManualClock({ wall_ms: Date.now() });
    const l = new Leadership(join(dir, config.store.file), { lease_ms: 60_000, renew_ms: 100, dead_holder_takeover: true }, { clock, holder: 'ws:1:abc', host: hostname(), pid: process.pid });
    try {
      await l.waitUntilActive();
      expect(() => refuseIfAnotherIsActive(config, dir)).toThrow(/another Guardian is active on this data dir: ws:1:abc .*fencing token 1.*--standby/);
      // ...but not once the lease has run out
      expect(() => refuseIfAnotherIsActive(config, dir, Date.now() + 120_000)).not.toThrow();
    } finally {
      l.dispose();
    }
  });
});
