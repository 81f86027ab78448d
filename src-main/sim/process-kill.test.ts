// The simulator as a process: `kill` ends it at once (exit 137, nothing flushed), and a restart
// from the same data dir sends everything that was stored, so nothing is lost.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { SignalPayload } from '../../src-shared/protocol';
import { FakeGuardian } from './testing/fake-guardian';
import { waitUntil } from './testing/wait';

const REPO = resolve(import.meta.dirname, '../..');

let dir: string;
let guardian: FakeGuardian;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sim-kill-'));
  guardian = await FakeGuardian.start({ dir: join(dir, 'guardian'), heartbeat_ms: 50 });
});
afterEach(async () => {
  await guardian.stop();
  rmSync(dir, { recursive: true, force: true });
});

function sim(extra: string[]): { lines: string[]; write(s: string): void; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src-main/cli.ts', 'sim', '--ea', '0', '--signals', 'primary', '--rate', '50',
    '--heartbeat-ms', '50', '--socket', `127.0.0.1:${guardian.socketPort}`, '--pipe', 'off', '--data-dir', join(dir, 'sim'), ...extra], { cwd: REPO });
  const lines: string[] = [];
  child.stdout.setEncoding('utf8').on('data', (c: string) => lines.push(...c.split('\n').filter(Boolean)));
  child.stderr.setEncoding('utf8').on('data', (c: string) => lines.push(...c.split('\n').filter(Boolean)));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { lines, write: (s) => child.stdin.write(s), exited };
}

describe('guardian sim as a process', () => {
  it('kill exits 137 at once; the restarted simulator resends what it had stored', async () => {
    guardian.loseAfter = 0; // Guardian stores nothing of the first run
    const first = sim([]);
    await waitUntil(() => first.lines.some((l) => / signals [1-9]\d* /.test(l)), 8000, 'signals stored');
    first.write('kill\n');
    expect(await first.exited).toBe(137);
    const emitted = Math.max(...first.lines.map((l) => Number(/ signals (\d+) /.exec(l)?.[1] ?? 0)));
    expect(guardian.received('signal-primary')).toHaveLength(0);

    guardian.loseAfter = undefined;
    const second = sim(['--rate', '0', '--duration', '30']);
    await waitUntil(() => guardian.received('signal-primary').length >= emitted, 8000, 'the resend');
    second.write('kill\n');
    await second.exited;
    const got = guardian.received('signal-primary').map((e) => (e.payload as SignalPayload).signal_id);
    expect(got).toEqual(got.map((_, i) => `signal-primary-${String(i + 1).padStart(10, '0')}`));
  }, 20_000);
});
