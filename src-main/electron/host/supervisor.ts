// Keeps one control-plane host running: starts it, pings it (the watchdog of watchdog.ts), kills
// it when its event loop stalls, restarts it after a crash or a stall with the backoff of
// restart-policy.ts, and stops restarting once a shutdown begins. While the host is down, the
// console's status is answered from Guardian's status file (marked stale) and sent to the window.
// The app talks to whichever host is current. No Electron here: the transport is injected
// (utility process or in-process).
import type { ApiName, GuardianStatus, StreamEvent } from '../../../src-shared/contract';
import type { ShutdownReport } from '../shutdown';
import { DEFAULT_WATCHDOG, initialWatchdog, transition, type RestartCause, type WatchdogEffect, type WatchdogEvent, type WatchdogSettings, type WatchdogState } from '../watchdog';
import { ControlPlaneClient, describeState, type HostState, type MainPort } from './control-plane-client';
import type { HostOptions } from './messages';

export interface SupervisorHooks {
  onEvent(event: StreamEvent): void;
  onState(state: HostState): void;
  /** A restart, a stall, or giving up: worth telling the trader (a notification; the window hears it too). */
  onRestart(message: string): void;
  log(line: string): void;
  /** Guardian's status file, read (stale, with its age): what the window shows while the host is down. */
  statusFromFile?(): GuardianStatus | null;
}

export class ControlPlaneSupervisor {
  private client: ControlPlaneClient | null = null;
  private stopping = false;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private tickTimer: ReturnType<typeof setInterval> | undefined;
  private watch: WatchdogState = initialWatchdog();

  constructor(
    private readonly spawn: () => Promise<MainPort> | MainPort,
    private readonly options: HostOptions,
    private readonly hooks: SupervisorHooks,
    private readonly now: () => number = () => Date.now(),
    private readonly watchdog: WatchdogSettings = DEFAULT_WATCHDOG,
  ) {}

  get state(): HostState {
    return this.client?.state ?? { phase: 'starting' };
  }

  /** The watchdog's view (tests, the log). */
  get watchdogPhase(): WatchdogState['phase'] {
    return this.watch.phase;
  }

  async start(restart?: RestartCause): Promise<void> {
    const options: HostOptions = restart ? { ...this.options, restart: { reason: restart.reason, detail: restart.detail, down_ms: this.now() - restart.at_ms } } : this.options;
    const port = await this.spawn();
    const client = new ControlPlaneClient(port, options);
    this.client = client;
    client.onEvent((e) => {
      if (this.client === client) this.hooks.onEvent(e);
    });
    client.onPong((id) => {
      if (this.client === client) this.apply({ type: 'pong', id, now_ms: this.now() });
    });
    client.onState((s) => {
      if (this.client !== client) return;
      this.hooks.log(`control plane: ${describeState(s)}`);
      this.hooks.onState(s);
      if (s.phase === 'ready') this.apply({ type: 'host_ready', now_ms: this.now() });
      if (s.phase === 'exited' && !this.stopping) this.apply({ type: 'host_exited', code: s.code, now_ms: this.now() });
    });
    if (!this.tickTimer) {
      this.tickTimer = setInterval(() => this.onTick(), Math.max(20, Math.floor(this.watchdog.ping_every_ms / 4)));
      this.tickTimer.unref?.();
    }
  }

  call(name: ApiName, request: unknown): Promise<unknown> {
    const down = this.watch.phase === 'killing' || this.watch.phase === 'restarting' || this.watch.phase === 'given_up';
    if (down && name === 'status') {
      const s = this.hooks.statusFromFile?.();
      if (s) return Promise.resolve(s);
    }
    if (!this.client || down) return Promise.reject(new Error(`Guardian's control plane is not running (${down ? 'restarting' : 'starting'})`));
    return this.client.call(name, request);
  }

  /** Stops restarting, then stops the current host gracefully. */
  async shutdown(flush_ms: number): Promise<ShutdownReport | null> {
    this.stopping = true;
    this.apply({ type: 'stopping' });
    clearTimeout(this.restartTimer);
    clearInterval(this.tickTimer);
    return this.client ? this.client.shutdown(flush_ms) : null;
  }

  private onTick(): void {
    this.apply({ type: 'tick', now_ms: this.now() });
    // While the host is down, the window keeps the last status Guardian wrote, marked stale with its age.
    if (this.watch.phase === 'killing' || this.watch.phase === 'restarting' || this.watch.phase === 'given_up') {
      const s = this.hooks.statusFromFile?.();
      if (s) this.hooks.onEvent({ type: 'status', status: s });
    }
  }

  private apply(e: WatchdogEvent): void {
    const [next, effects] = transition(this.watch, e, this.watchdog);
    this.watch = next;
    for (const fx of effects) this.carryOut(fx);
  }

  private carryOut(fx: WatchdogEffect): void {
    switch (fx.type) {
      case 'ping':
        this.client?.ping(fx.id);
        return;
      case 'kill_host':
        this.hooks.log(`control plane: ${fx.why}; killing it`);
        this.client?.kill();
        return;
      case 'start_host_in':
        clearTimeout(this.restartTimer);
        this.restartTimer = setTimeout(() => {
          if (this.stopping) return;
          this.start(fx.cause).catch((err: unknown) => this.hooks.onRestart(`Guardian's control plane could not be restarted: ${(err as Error).message}`));
        }, fx.delay_ms);
        return;
      case 'record_restart':
        // The new host records the incident itself (HostOptions.restart), in its own log, as it starts.
        this.hooks.log(`control plane: restarted after it ${fx.cause.reason} (${fx.cause.detail}); down ${fx.down_ms} ms`);
        return;
      case 'tell_window':
        this.hooks.onRestart(fx.text);
        return;
    }
  }
}
