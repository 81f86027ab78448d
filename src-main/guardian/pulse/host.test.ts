// The store's write probe through the group commit: timed from enqueue to outcome (commit and
// fsync, as a message's store-before-ACK), never one at a time over another, and a failed write
// reads as a store that does not answer. Real SQLite.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GroupCommit, openDatabase, WalSync, type Db } from '../store';
import { DEFAULT_PULSE_OPTIONS, HostSampler, type ProbeWriter } from '.';

const dirs: string[] = [];
const dbs: Db[] = [];
const samplers: HostSampler[] = [];
afterEach(() => {
  for (const s of samplers.splice(0)) s.dispose();
  for (const d of dbs.splice(0)) if (d.open) d.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function rig(writer: (db: Db) => ProbeWriter) {
  const dir = mkdtempSync(join(tmpdir(), 'guardian-host-'));
  dirs.push(dir);
  const db = openDatabase(join(dir, 'g.db'));
  dbs.push(db);
  const host = new HostSampler({ dataDir: dir, db, db_probe_ms: 1000, disk_every_ms: 60_000, db_latency_window_s: 60, lag_window_ms: 5000, writer: writer(db) });
  samplers.push(host);
  const probeRow = () => db.prepare("SELECT value FROM control_state WHERE key = 'db_probe'").pluck().get();
  return { db, host, probeRow };
}

const settle = () => new Promise((r) => setTimeout(r, 30));

describe('the store probe through the group commit', () => {
  it('is timed once its commit and fsync are done, and waits for its outcome before the next', async () => {
    const held: (() => void)[] = [];
    let enqueued = 0;
    const { host, probeRow } = rig((db) => {
      const commit = new GroupCommit(db, 10_000, (fn) => held.push(fn), WalSync.for(db));
      return { enqueue: (w) => { enqueued++; commit.enqueue(w); } };
    });
    expect(Number.isNaN(host.sample(0, 1_000).db_write_latency_ms)).toBe(true);
    expect(enqueued).toBe(1);
    host.sample(5_000, 6_000); // due again, but the first has no outcome yet: not a second one
    expect(enqueued).toBe(1);
    held.splice(0).forEach((fn) => fn()); // the group commit flushes
    await settle(); // ...and its fsync ends on the thread pool
    expect(probeRow()).toBe('1000');
    const figures = host.sample(6_000, 7_000);
    expect(figures.db_write_latency_ms).toBeGreaterThan(0);
    expect(figures.db_ok).toBe(1);
    expect(enqueued).toBe(2);
  });

  it('reads a failed probe write as a store that does not answer', async () => {
    const { host } = rig(() => ({ enqueue: (w) => setTimeout(() => w.done(new Error('disk full')), 1) }));
    expect(host.sample(0, 1_000).db_ok).toBe(1); // sent, no outcome yet
    await settle();
    expect(host.sample(100, 1_100).db_ok).toBe(0);
  });
});

describe('the store write latency', () => {
  it('reads a slow spell of the disk as slow, and as a reading of now once the spell is past', async () => {
    // A spell of overload (15 s of 80 ms commits) must not keep the system gate failing for
    // minutes after it: the mode cannot recover meanwhile, and held entries expire unreleased.
    const { db_probe_ms, db_latency_window_s } = DEFAULT_PULSE_OPTIONS;
    let slow = true;
    const dir = mkdtempSync(join(tmpdir(), 'guardian-host-'));
    dirs.push(dir);
    const db = openDatabase(join(dir, 'g.db'));
    dbs.push(db);
    const host = new HostSampler({
      dataDir: dir, db, db_probe_ms, db_latency_window_s, disk_every_ms: 60_000, lag_window_ms: 5000,
      writer: { enqueue: (w) => (slow ? setTimeout(() => w.done(), 80) : w.done()) },
    });
    samplers.push(host);
    let now = 0;
    const probeFor = async (ms: number) => {
      for (const end = now + ms; now < end; now += db_probe_ms) {
        host.sample(now, now);
        await new Promise((r) => setTimeout(r, slow ? 90 : 0)); // the probe's outcome, before the next
      }
      return host.sample(now, now).db_write_latency_ms;
    };
    expect(await probeFor(15_000)).toBeGreaterThanOrEqual(80);
    slow = false;
    await new Promise((r) => setTimeout(r, 90)); // the last slow probe's outcome
    expect(await probeFor(5_000)).toBeGreaterThanOrEqual(80); // the spell is still in the window
    expect(await probeFor(db_latency_window_s * 1000)).toBeLessThan(50);
  });
});

