import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { GuardianStatus } from '../../../src-shared/contract';
import { ManualClock } from '../clock';
import { guardianRunningOn, readStatusFile, StatusFileWriter } from '.';
import { StatusFileBackend } from '../status-console';

const WALL = Date.UTC(2026, 10, 22, 4, 0, 0);

function statusAt(mode: GuardianStatus['mode'], depth: number): GuardianStatus {
  return {
    mode, overall_score: 71, scores: { market_quality: 80, risk_management: 70, system_health: 60, broker_connectivity: 90 },
    routes: { active: 'socket', standby: ['pipe'], metrics: {} }, buffer: { depth, enq_per_s: 0, deq_per_s: 0, oldest_age_s: 0 },
    incidents: [], agent_votes: {}, policy: { recover_threshold: 80, dwell_seconds: 20 },
  };
}

describe('the status file', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  function tmp(): string {
    const d = mkdtempSync(join(tmpdir(), 'guardian-status-file-'));
    dirs.push(d);
    return d;
  }

  it('is rewritten every interval, atomically, and read back marked stale with its age', async () => {
    const dir = tmp();
    const file = join(dir, 'status.json');
    const clock = new ManualClock({ wall_ms: WALL });
    let depth = 0;
    const w = new StatusFileWriter(file, () => statusAt('NORMAL', depth), clock, 1000);
    clock.advance(1000);
    await w.writeNow();
    depth = 42;
    clock.advance(1000);
    await w.writeNow();
    expect(w.writes).toBeGreaterThanOrEqual(2);
    expect(readdirSync(dir)).toEqual(['status.json']); // no temporary file left behind
    const r = readStatusFile(file, clock.wall_ms() + 7_500);
    expect(r).toMatchObject({ ok: true, age_s: 7.5, writer_pid: process.pid, status: { mode: 'NORMAL', buffer: { depth: 42 }, stale: true, age_s: 7.5 } });
    await w.close();
    clock.advance(5000);
    expect(readStatusFile(file, clock.wall_ms())).toMatchObject({ ok: true, written_at: new Date(WALL + 2000).toISOString() });
  });

  it('says what is wrong with a missing, torn or foreign file instead of guessing', () => {
    const dir = tmp();
    expect(readStatusFile(join(dir, 'none.json'))).toEqual({ ok: false, error: expect.stringMatching(/no status file at .*none\.json/) });
    writeFileSync(join(dir, 'torn.json'), '{"mode":"NORMAL","writ');
    expect(readStatusFile(join(dir, 'torn.json'))).toEqual({ ok: false, error: expect.stringMatching(/is not JSON/) });
    writeFileSync(join(dir, 'other.json'), '{"hello":1}');
    expect(readStatusFile(join(dir, 'other.json'))).toEqual({ ok: false, error: expect.stringMatching(/not a Guardian status file/) });
  });

  it('tells a running Guardian (fresh file, live writer) from a stopped one', () => {
    const dir = tmp();
    const file = join(dir, 'status.json');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const write = (pid: number, at: number) => writeFileSync(file, JSON.stringify({ ...statusAt('NORMAL', 0), written_at: new Date(at).toISOString(), writer_pid: pid }));
    write(process.ppid, WALL);
    expect(guardianRunningOn(file, WALL + 1000).running).toBe(true);
    expect(guardianRunningOn(file, WALL + 60_000).running).toBe(false); // alive, but no longer writing
    write(Number(dead.stdout), WALL);
    expect(guardianRunningOn(file, WALL + 1000)).toMatchObject({ running: false, detail: expect.stringMatching(/not running/) });
    expect(guardianRunningOn(join(dir, 'none.json')).running).toBe(false);
  });

  it('the read-only backend answers status from the file and refuses every control', () => {
    const dir = tmp();
    const file = join(dir, 'status.json');
    const clock = new ManualClock({ wall_ms: WALL });
    const missing = new StatusFileBackend(file, clock);
    expect(missing.unavailable).toMatch(/no status file/);
    expect(() => missing.status()).toThrow(/no status file/);
    missing.dispose();

    writeFileSync(file, JSON.stringify({ ...statusAt('DEGRADED.COMM', 3), written_at: new Date(WALL - 4000).toISOString(), writer_pid: 1 }));
    const b = new StatusFileBackend(file, clock);
    const seen: unknown[] = [];
    b.onEvent((e) => seen.push(e));
    expect(b.status()).toMatchObject({ mode: 'DEGRADED.COMM', stale: true, age_s: 4 });
    expect(b.control()).toEqual({ ok: false, code: 'UNAVAILABLE', error: expect.stringMatching(/read-only/) });
    rmSync(file);
    clock.advance(3000); // the file went away: the last one stays, older
    expect(b.status()).toMatchObject({ mode: 'DEGRADED.COMM', age_s: 7 });
    expect(seen).toHaveLength(3);
    b.dispose();
    expect(existsSync(file)).toBe(false);
  });
});
