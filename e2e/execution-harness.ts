// Execution safety's scenario harness: a real Guardian (data plane, control plane, execution
// safety, console API on a free port) with the simulator's EA and one primary signal service on
// the socket and the pipe, the pre-trade limits given per test, and the ERRORs the service hears.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configForTests, createGuardian, type Guardian } from '../src-main/guardian';
import { loadPretradeLimits, type PretradeLimits } from '../src-main/guardian/execution';
import { loadOrCreateToken } from '../src-main/guardian/server';
import { SimulatedEa, SimulatedSignalService, type SimulatedEaOptions } from '../src-main/sim';
import type { ApiName, ApiResponse, ExecutionView } from '../src-shared/contract';
import type { ErrorPayload } from '../src-shared/protocol';
import { TEST_POLICY } from './control-harness';

export interface ExecutionScenario {
  g: Guardian;
  ea: SimulatedEa;
  sig: SimulatedSignalService;
  /** ERRORs Guardian sent to the signal service. */
  errors: ErrorPayload[];
  dir: string;
  /** GET an API entry over HTTP with the operator's token. */
  get<N extends ApiName>(path: string): Promise<ApiResponse<N>>;
  view(): Promise<ExecutionView>;
  /** Stops the EA and starts it again on the same account (ea.db) after `between` ran. */
  restartEa(between?: (ea: SimulatedEa) => void): Promise<SimulatedEa>;
  /** Stops Guardian, runs `between`, and starts it again on the same data dir (the peers come back on the pipe). */
  restartGuardian(between?: () => void): Promise<Guardian>;
  stop(): Promise<void>;
}

export interface ExecutionScenarioOptions {
  limits?: (l: PretradeLimits) => void;
  /** safe_mode.action of the failover policy (default freeze). */
  safe_action?: 'freeze' | 'flatten';
  ea?: Partial<SimulatedEaOptions>;
}

export async function startExecutionScenario(o: ExecutionScenarioOptions = {}): Promise<ExecutionScenario> {
  const dir = mkdtempSync(join(tmpdir(), 'guardian-execution-'));
  const policy = join(dir, 'failover-policy.yaml');
  writeFileSync(policy, `${TEST_POLICY}safe_mode: { action: ${o.safe_action ?? 'freeze'}, exit: auto }\n`);
  const limits = loadPretradeLimits();
  limits.enabled = true;
  o.limits?.(limits);
  const dataDir = join(dir, 'guardian');
  const start = () => createGuardian(configForTests((c) => {
    c.paths.spool.enabled = false;
    c.protocol.heartbeat_ms = 50;
    c.router.switchback_healthy_ms = 200;
    c.router.resend_timeout_ms = 400;
    c.api.port = 0;
  }), {
    dataDir,
    control: { warmup_ms: 500, pulse: { pulse_ms: 100 }, files: { policy } },
    execution: { limits, tick_ms: 50 },
  });
  let g = await start();
  const [host, port] = g.listening.socket!.split(':');
  const paths = { socket: { host: host!, port: Number(port) }, pipe: { path: g.listening.pipe! } };
  const eaOptions: SimulatedEaOptions = {
    node_id: 'ea-1', dataDir: join(dir, 'ea'), paths, heartbeat_ms: 50, resend_timeout_ms: 400, switchback_ms: 200, status_ms: 200, reject_rate: 0, ...o.ea,
  };
  let ea = new SimulatedEa(eaOptions);
  const sig = new SimulatedSignalService({
    node_id: 'sig-primary', tier: 'primary', dataDir: join(dir, 'primary'), paths, heartbeat_ms: 50, resend_timeout_ms: 400, switchback_ms: 200, rate_per_s: 0,
  });
  const errors: ErrorPayload[] = [];
  sig.client.onError = (e) => errors.push(e);
  ea.start();
  sig.start();
  const token = loadOrCreateToken(dataDir).token;
  const get = <N extends ApiName>(path: string) => new Promise<ApiResponse<N>>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: g.api!.port, path, headers: { authorization: `Bearer ${token}`, host: `127.0.0.1:${g.api!.port}` } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body) as ApiResponse<N>) : reject(new Error(`${path}: ${res.statusCode} ${body}`))));
    });
    req.on('error', reject);
    req.end();
  });
  let stopped = false;
  return {
    sig, errors, dir,
    get g() {
      return g;
    },
    get ea() {
      return ea;
    },
    get,
    view: () => get<'execution'>('/api/execution'),
    async restartEa(between) {
      await ea.stop();
      ea = new SimulatedEa(eaOptions);
      between?.(ea);
      ea.start();
      return ea;
    },
    async restartGuardian(between) {
      await g.dispose();
      between?.();
      g = await start();
      return g;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await sig.stop();
      await ea.stop();
      await g.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
