// Two instances' Leadership on one database file, on fake time: the standby waits, takes over
// when the lease runs out (or at once when the holder's process is gone), and the former holder
// learns it lost.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../clock';
import { ConfigError } from '../config';
import { openDatabase } from '../store';
import { FENCED } from './fencing';
import { Leadership, type LeadershipDeps } from './leadership';

const settings = { lease_ms: 1000, renew_ms: 250, dead_holder_takeover: true };
/** Lets promise continuations (the wait loop between its timers) run. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('Leadership', () => {
  let dir: string;
  let file: string;
  let clock: ManualClock;
  const made: Leadership[] = [];
  const instance = (holder: string, deps: Partial<LeadershipDeps> = {}) => {
    const l = new Leadership(file, settings, { clock, holder, host: 'ws', pid: holder === 'a' ? 100 : 200, isAlive: () => true, ...deps });
    made.push(l);
    return l;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'guardian-leadership-'));
    file = join(dir, 'guardian.db');
    clock = new ManualClock();
  });
  afterEach(() => {
    for (const l of made.splice(0)) l.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('one active, one standby; the standby takes over with token+1 once the lease runs out', async () => {
    const a = instance('a');
    const b = instance('b');
    expect(await a.waitUntilActive()).toMatchObject({ action: 'acquire', token: 1 });
    const lostA: string[] = [];
    a.onLost((why) => lostA.push(why));
    const seen: string[] = [];
    let bActive = false;
    const waiting = b.waitUntilActive((row) => seen.push(`${row.holder}:${row.token}`)).then((d) => {
      bActive = true;
      return d;
    });
    // a renews every 250 ms: b waits however long that goes on
    for (let i = 0; i < 20; i++) {
      clock.advance(250);
      await settle();
    }
    expect(bActive).toBe(false);
    expect(b.role).toBe('standby');
    expect(b.status()).toMatchObject({ role: 'standby', active_holder: 'a', token: 1 });
    expect(seen.length).toBeGreaterThan(10);
    expect(a.status()).toMatchObject({ role: 'active', holder: 'a', active_holder: 'a', token: 1 });

    // a stalls (its renew timer stops): after lease_ms, b takes the lease with token 2
    a.dispose();
    for (let i = 0; i < 6 && !bActive; i++) {
      clock.advance(250);
      await settle();
    }
    expect(await waiting).toMatchObject({ action: 'acquire', token: 2 });
    expect(b.takeoverWhy).toContain('expired');
    expect(b.takeovers().map((t) => [t.token, t.holder, t.previous_holder])).toEqual([[2, 'b', 'a'], [1, 'a', null]]);
  });

  it('a former holder that wakes up learns at its next renewal that it lost, and says to whom', async () => {
    const a = instance('a');
    await a.waitUntilActive();
    const lost: string[] = [];
    a.onLost((why) => lost.push(why));
    // b, started later, sees the lease expired (a's timers were "paused": the clock jumps past them for b only)
    const b = new Leadership(file, settings, { clock: new ManualClock({ wall_ms: clock.wall_ms() + 5000 }), holder: 'b', host: 'ws', pid: 200, isAlive: () => true });
    made.push(b);
    expect(await b.waitUntilActive()).toMatchObject({ action: 'acquire', token: 2 });
    clock.advance(250); // a's renewal
    await settle();
    expect(lost).toEqual(['the lease was taken by b (token 2; this instance held token 1)']);
    expect(a.role).toBe('standby');
    expect(a.lost).toBe(lost[0]);
  });

  it('a fenced write makes the former holder step down, naming the new holder', async () => {
    const a = instance('a');
    await a.waitUntilActive();
    const conn = openDatabase(file);
    try {
      a.fence(conn);
      const lost: string[] = [];
      a.onLost((why) => lost.push(why));
      const b = new Leadership(file, settings, { clock: new ManualClock({ wall_ms: clock.wall_ms() + 5000 }), holder: 'b', host: 'ws', pid: 200 });
      made.push(b);
      await b.waitUntilActive();
      expect(() => conn.prepare("INSERT INTO meta (key, value) VALUES ('x', 'y')").run()).toThrow(FENCED);
      await settle();
      expect(lost).toEqual(['a write was refused by the fencing token (this instance holds token 1): the lease is held by b (token 2)']);
    } finally {
      conn.close();
    }
  });

  it('takes over at once when the holder process on this machine is gone', async () => {
    const a = instance('a');
    await a.waitUntilActive();
    const b = instance('b', { isAlive: (pid) => pid !== 100 });
    const d = await b.waitUntilActive();
    expect(d).toMatchObject({ action: 'acquire', token: 2 });
    expect(b.takeoverWhy).toContain('pid 100');
  });

  it('does not check the pid when dead_holder_takeover is off, nor on another host', async () => {
    const a = instance('a');
    await a.waitUntilActive();
    const asked: number[] = [];
    const off = new Leadership(file, { ...settings, dead_holder_takeover: false }, { clock, holder: 'b', host: 'ws', pid: 200, isAlive: (pid) => (asked.push(pid), false) });
    const elsewhere = new Leadership(file, settings, { clock, holder: 'c', host: 'other', pid: 300, isAlive: (pid) => (asked.push(pid), false) });
    made.push(off, elsewhere);
    const stop = new AbortController();
    const waits = [off.waitUntilActive(() => {}, stop.signal), elsewhere.waitUntilActive(() => {}, stop.signal)];
    clock.advance(250);
    await settle();
    stop.abort();
    expect(await Promise.all(waits)).toEqual([null, null]);
    expect(asked).toEqual([]);
  });

  it('a graceful stop releases the lease: the standby takes it without waiting', async () => {
    const a = instance('a');
    await a.waitUntilActive();
    a.release();
    const b = instance('b');
    const d = await b.waitUntilActive();
    expect(d).toMatchObject({ action: 'acquire', token: 2, why: 'a released the lease' });
  });

  it('refuses a renewal interval that is not below the lease', () => {
    expect(() => new Leadership(file, { ...settings, renew_ms: 1000 }, { clock })).toThrow(ConfigError);
    expect(() => new Leadership(file, { ...settings, renew_ms: 1000 }, { clock })).toThrow(/ha.renew_ms \(1000\) must be below ha.lease_ms \(1000\)/);
  });
});
