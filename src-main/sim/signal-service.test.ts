import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validatePayload, type SignalPayload } from '../../src-shared/protocol';
import { FakeGuardian } from './testing/fake-guardian';
import { sleep } from './testing/wait';
import { SimulatedSignalService, type SignalServiceOptions } from './signal-service';

let dir: string;
let guardian: FakeGuardian;
const running: SimulatedSignalService[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sim-signal-'));
  guardian = await FakeGuardian.start({ dir: join(dir, 'guardian') });
});
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
  await guardian.stop();
  rmSync(dir, { recursive: true, force: true });
});

function service(extra: Partial<SignalServiceOptions> = {}): SimulatedSignalService {
  const s = new SimulatedSignalService({
    node_id: 'sig-primary', tier: 'primary', dataDir: join(dir, 'sig'), heartbeat_ms: 50,
    paths: { socket: guardian.socketAddress }, ...extra,
  });
  running.push(s);
  s.start();
  return s;
}

const ids = () => guardian.received('sig-primary').map((e) => (e.payload as SignalPayload).signal_id);

describe('the simulated signal service', () => {
  it('emits valid signals with unique, monotonic ids that survive a restart', async () => {
    const s1 = service();
    await s1.emit(5);
    await s1.client.whenIdle(2000);
    expect(guardian.hellos[0]).toMatchObject({ node_id: 'sig-primary' });
    for (const e of guardian.received('sig-primary')) {
      expect(e.header.source).toBe('SIGNAL');
      expect(validatePayload('SIGNAL', e.payload)).toBeNull();
      expect((e.payload as SignalPayload).tier).toBe('primary');
    }
    await s1.stop();
    running.length = 0;
    const s2 = service();
    await s2.emit(2);
    await s2.client.whenIdle(2000);
    expect(ids()).toEqual(Array.from({ length: 7 }, (_, i) => `sig-primary-${String(i + 1).padStart(10, '0')}`));
    expect(guardian.received('sig-primary').map((e) => e.header.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('emits at a steady rate', async () => {
    const s = service({ rate_per_s: 100 });
    await sleep(500);
    s.setRate(0);
    await s.client.whenIdle(2000);
    expect(s.emitted).toBeGreaterThanOrEqual(30);
    expect(s.emitted).toBeLessThanOrEqual(60);
    expect(new Set(ids()).size).toBe(s.emitted);
  });
});
