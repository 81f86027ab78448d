import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeGuardian } from './testing/fake-guardian';
import { waitUntil } from './testing/wait';
import { runSim } from './cli';

let dir: string;
let guardian: FakeGuardian;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
  guardian = await FakeGuardian.start({ dir: join(dir, 'guardian'), heartbeat_ms: 50 });
});
afterEach(async () => {
  await guardian.stop();
  rmSync(dir, { recursive: true, force: true });
});

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const ctl = new AbortController();
  return { out, err, ctl, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), stdin: null, signal: ctl.signal } };
}

describe('guardian sim', () => {
  it('runs EAs and signal services, prints a line a second, takes faults over HTTP', async () => {
    const t = io();
    const run = runSim([
      '--ea', '2', '--signals', 'primary,cached', '--rate', '20', '--heartbeat-ms', '50',
      '--socket', `127.0.0.1:${guardian.socketPort}`, '--pipe', guardian.pipePath,
      '--data-dir', join(dir, 'sim'), '--control-port', '0', '--fault', 'latency_socket:1@signals',
    ], t.io);
    await waitUntil(() => t.out.some((l) => l.startsWith('control: http://')), 3000, 'the control address');
    const url = /http:\/\/(\S+)/.exec(t.out.find((l) => l.startsWith('control: http://'))!)![0];
    await waitUntil(() => ['ea-1', 'ea-2', 'signal-primary', 'signal-cached'].every((n) => guardian.connectedPaths(n).length === 2), 3000, 'four peers on two paths');

    const res = await fetch(`${url}/fault`, { method: 'POST', body: 'drop_socket:400@ea-1' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { results: string[] }).results[0]).toBe('ok: drop socket on ea-1');
    const bad = await fetch(`${url}/fault?spec=explode`);
    expect(bad.status).toBe(400);
    await waitUntil(() => t.out.some((l) => /^sim \d+s \| peers 4\/4 up/.test(l)), 3000, 'a status line');
    const stats = (await (await fetch(`${url}/stats`)).json()) as { totals: { peers: number; signals_emitted: number } };
    expect(stats.totals.peers).toBe(4);
    t.ctl.abort();
    expect(await run).toBe(0);
    expect(t.out.at(-1)).toMatch(/^guardian sim: stopped\./);
    expect(t.out).toContain('fault: latency socket on signal-primary, signal-cached');
    expect(guardian.received('signal-primary').length).toBeGreaterThan(5);
    expect(guardian.received('ea-1').some((e) => e.header.message_type === 'STATUS')).toBe(true);
  });

  it('refuses bad arguments with a hint and exit code 2', async () => {
    const t = io();
    expect(await runSim(['--signals', 'gold'], t.io)).toBe(2);
    expect(t.err[0]).toMatch(/'gold' is not a tier/);
    expect(await runSim(['--fault', 'explode'], t.io)).toBe(2);
    expect(await runSim(['--bogus'], t.io)).toBe(2);
    expect(await runSim(['--help'], t.io)).toBe(0);
  });
});
