// Keeps one control-plane host running: starts it, restarts it after a crash with the backoff of
// restart-policy.ts, and stops restarting once a shutdown begins. The app talks to whichever
// host is current. No Electron here: the transport is injected (utility process or in-process).
import type { ApiName, StreamEvent } from '../../../src-shared/contract';
import { restartDecision } from '../restart-policy';
import type { ShutdownReport } from '../shutdown';
import { ControlPlaneClient, describeState, type HostState, type MainPort } from './control-plane-client';
import type { HostOptions } from './messages';

export interface SupervisorHooks {
  onEvent(event: StreamEvent): void;
  onState(state: HostState): void;
  /** A restart, or giving up: worth telling the trader. */
  onRestart(message: string): void;
  log(line: string): void;
}

export class ControlPlaneSupervisor {
  private client: ControlPlaneClient | null = null;
  private readonly crashes: number[] = [];
  private stopping = false;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly spawn: () => Promise<MainPort> | MainPort,
    private readonly options: HostOptions,
    private readonly hooks: SupervisorHooks,
    private readonly now: () => number = () => Date.now(),
  ) {}

  get state(): HostState {
    return this.client?.state ?? { phase: 'starting' };
  }

  async start(): Promise<void> {
    const port = await this.spawn();
    const client = new ControlPlaneClient(port, this.options);
    this.client = client;
    client.onEvent((e) => {
      if (this.client === client) this.hooks.onEvent(e);
    });
    client.onState((s) => {
      if (this.client !== client) return;
      this.hooks.log(`control plane: ${describeState(s)}`);
      this.hooks.onState(s);
      if (s.phase === 'exited' && !this.stopping) this.crashed(s.code);
    });
  }

  call(name: ApiName, request: unknown): Promise<unknown> {
    if (!this.client) return Promise.reject(new Error("Guardian's control plane is not running (starting)"));
    return this.client.call(name, request);
  }

  /** Stops restarting, then stops the current host gracefully. */
  async shutdown(flush_ms: number): Promise<ShutdownReport | null> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    return this.client ? this.client.shutdown(flush_ms) : null;
  }

  private crashed(code: number): void {
    const t = this.now();
    this.crashes.push(t);
    const d = restartDecision(this.crashes, t);
    if (!d.restart) {
      this.hooks.onRestart(`Guardian's control plane stopped (code ${code}) and is not restarted: ${d.why}`);
      return;
    }
    this.hooks.onRestart(`Guardian's control plane stopped (code ${code}); restarting in ${Math.round(d.delay_ms / 1000)} s`);
    this.restartTimer = setTimeout(() => {
      if (this.stopping) return;
      this.start().catch((err: unknown) => this.hooks.onRestart(`Guardian's control plane could not be restarted: ${(err as Error).message}`));
    }, d.delay_ms);
  }
}
