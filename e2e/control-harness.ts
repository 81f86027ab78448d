// The control plane's scenario harness: a real Guardian (data plane and control plane) with the
// simulator's EA and signal services on the socket and the pipe, a test failover policy (short
// dwell, short breaker trips), and a record of every control event with its time.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPretradeLimits } from '../src-main/guardian/execution';
import { configForTests, createGuardian, type ControlEvent, type ControlPlaneSettings, type Guardian, type GuardianConfig } from '../src-main/guardian';
import { SimulatedEa, SimulatedSignalService, type SimulatedEaOptions } from '../src-main/sim';
import type { SignalTier } from '../src-shared/protocol';

export interface Scenario {
  g: Guardian;
  /** The EA now (restartEa replaces it). */
  readonly ea: SimulatedEa;
  /** MT4 restarts the EA: a new one on the same data dir (its seq state kept, its memory not). */
  restartEa(): Promise<SimulatedEa>;
  signals: Partial<Record<SignalTier, SimulatedSignalService>>;
  events: (ControlEvent & { at: number })[];
  dir: string;
  /** Modes entered, in order (from the control plane's mode_change events). */
  modesEntered(): string[];
  stop(): Promise<void>;
}

export interface ScenarioOptions {
  /** The failover policy's YAML (default: dwell 1 s, breaker trips opening for 1-2 s). */
  policy?: string;
  control?: ControlPlaneSettings;
  tiers?: SignalTier[];
  /** Signals per second from each tier. */
  rate_per_s?: number;
  ea?: Partial<SimulatedEaOptions>;
  guardian?: (c: GuardianConfig) => void;
}

export const TEST_POLICY = `version: 1
dwell_seconds: 1
held_signals: { ttl_s: 30 }
breakers:
  trips:
    - { name: short, failures: 3, within_s: 60, open_s: 1 }
    - { name: long, failures: 10, within_s: 600, open_s: 2 }
  trial_timeout_s: 2
`;

export async function startScenario(o: ScenarioOptions = {}): Promise<Scenario> {
  const dir = mkdtempSync(join(tmpdir(), 'guardian-control-'));
  const policy = join(dir, 'failover-policy.yaml');
  writeFileSync(policy, o.policy ?? TEST_POLICY);
  const g = await createGuardian(configForTests((c) => {
    c.paths.spool.enabled = false;
    c.protocol.heartbeat_ms = 50;
    c.router.switchback_healthy_ms = 200;
    c.router.resend_timeout_ms = 400;
    c.api.enabled = false;
    o.guardian?.(c);
  }), {
    dataDir: join(dir, 'guardian'),
    // The scenarios stream identical orders at 20 a second to drive the modes; a desk's pre-trade gate would refuse them.
    execution: { limits: { ...loadPretradeLimits(), enabled: false } },
    control: { warmup_ms: 500, ...o.control, pulse: { pulse_ms: 100, ...o.control?.pulse }, files: { policy, ...o.control?.files } },
  });
  const events: (ControlEvent & { at: number })[] = [];
  g.control!.onEvent((e) => events.push({ ...e, at: Date.now() }));
  const [host, port] = g.listening.socket!.split(':');
  const paths = { socket: { host: host!, port: Number(port) }, pipe: { path: g.listening.pipe! } };
  const eaOptions: SimulatedEaOptions = { node_id: 'ea-1', dataDir: join(dir, 'ea'), paths, heartbeat_ms: 50, resend_timeout_ms: 400, switchback_ms: 200, status_ms: 200, ...o.ea };
  let ea = new SimulatedEa(eaOptions);
  const signals: Partial<Record<SignalTier, SimulatedSignalService>> = {};
  for (const tier of o.tiers ?? ['primary', 'cached', 'heuristic']) {
    signals[tier] = new SimulatedSignalService({
      node_id: `sig-${tier}`, tier, dataDir: join(dir, tier), paths, heartbeat_ms: 50, resend_timeout_ms: 400, switchback_ms: 200,
      rate_per_s: o.rate_per_s ?? 2, symbols: ['EURUSD'],
    });
  }
  ea.start();
  for (const s of Object.values(signals)) s.start();
  let stopped = false;
  return {
    g, signals, events, dir,
    get ea() {
      return ea;
    },
    async restartEa() {
      await ea.stop();
      ea = new SimulatedEa(eaOptions);
      ea.start();
      return ea;
    },
    modesEntered: () => events.filter((e) => e.type === 'mode_change').map((e) => e.to_mode ?? '?'),
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const s of Object.values(signals)) await s.stop();
      await ea.stop();
      await g.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function until(cond: () => boolean, timeout_ms: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeout_ms) throw new Error(`timed out after ${timeout_ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
