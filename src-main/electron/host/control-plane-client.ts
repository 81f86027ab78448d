// The main process's handle on the control-plane host: starts it, forwards calls with a
// deadline, hears its events and its state, and stops it gracefully. Transport-agnostic: a
// utility process (utility-host.ts) or an in-process pair (in-process.ts) plugs in as a MainPort.
import type { ApiName, StreamEvent } from '../../../src-shared/contract';
import type { ShutdownReport } from '../shutdown';
import { parseFromHost, type HostOptions, type HostReady, type ToHost } from './messages';

export interface MainPort {
  post(message: ToHost): void;
  onMessage(listener: (message: unknown) => void): void;
  /** The host process ended (any reason); code as the OS reports it. */
  onExit(listener: (code: number) => void): void;
  kill(): void;
}

export type HostState =
  | { phase: 'starting' }
  | { phase: 'ready'; ready: HostReady }
  | { phase: 'failed'; error: string; exit_code: number }
  | { phase: 'stopping' }
  | { phase: 'stopped'; report: ShutdownReport | null }
  | { phase: 'exited'; code: number };

export interface ClientTiming {
  /** A call the host does not answer in this time fails (a stuck control plane must not hang the console). */
  call_timeout_ms?: number;
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export class ControlPlaneClient {
  private stateNow: HostState = { phase: 'starting' };
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly eventListeners = new Set<(e: StreamEvent) => void>();
  private readonly stateListeners = new Set<(s: HostState) => void>();
  private readonly pongListeners = new Set<(id: number) => void>();
  private stoppedWaiters: ((r: ShutdownReport | null) => void)[] = [];
  private readonly callTimeout_ms: number;

  constructor(private readonly port: MainPort, options: HostOptions, timing: ClientTiming = {}) {
    this.callTimeout_ms = timing.call_timeout_ms ?? 15_000;
    port.onMessage((raw) => this.onMessage(raw));
    port.onExit((code) => this.onExit(code));
    port.post({ kind: 'start', options });
  }

  get state(): HostState {
    return this.stateNow;
  }

  onEvent(listener: (e: StreamEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onState(listener: (s: HostState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** The watchdog's ping; the host's pong comes to onPong. */
  ping(id: number): void {
    this.port.post({ kind: 'ping', id });
  }

  onPong(listener: (id: number) => void): () => void {
    this.pongListeners.add(listener);
    return () => this.pongListeners.delete(listener);
  }

  /** Kills the host process (the watchdog, on a stall). */
  kill(): void {
    this.port.kill();
  }

  /** Sends one API call to the control plane; rejects with its reason, or when it does not answer. */
  call(name: ApiName, request: unknown): Promise<unknown> {
    const s = this.stateNow;
    if (s.phase !== 'starting' && s.phase !== 'ready') return Promise.reject(new Error(`Guardian's control plane is not running (${describeState(s)})`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${name}: the control plane did not answer within ${this.callTimeout_ms} ms`));
      }, this.callTimeout_ms);
      this.pending.set(id, { resolve, reject, timer });
      this.port.post({ kind: 'call', id, name, request });
    });
  }

  /**
   * Graceful stop: the host stops taking work, flushes its outbox (up to flush_ms) and closes its
   * database. If it has not stopped within grace_ms more, it is killed.
   */
  async shutdown(flush_ms = 3000, grace_ms = 12_000): Promise<ShutdownReport | null> {
    const s = this.stateNow;
    if (s.phase === 'stopped') return s.report;
    if (s.phase === 'exited' || s.phase === 'failed') return null;
    const stopped = new Promise<ShutdownReport | null>((r) => this.stoppedWaiters.push(r));
    if (s.phase !== 'stopping') {
      this.setState({ phase: 'stopping' });
      this.port.post({ kind: 'shutdown', flush_ms });
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<null>((r) => (timer = setTimeout(() => r(null), flush_ms + grace_ms)));
    const report = await Promise.race([stopped, late]);
    clearTimeout(timer);
    if (report === null && this.stateNow.phase === 'stopping') this.port.kill();
    return report;
  }

  private onMessage(raw: unknown): void {
    const msg = parseFromHost(raw);
    if (!msg) return;
    switch (msg.kind) {
      case 'ready':
        if (this.stateNow.phase === 'starting') this.setState({ phase: 'ready', ready: msg });
        return;
      case 'failed':
        this.setState({ phase: 'failed', error: msg.error, exit_code: msg.exit_code });
        this.failPending(`Guardian failed to start: ${msg.error}`);
        return;
      case 'result': {
        const p = this.pending.get(msg.id);
        if (!p) return; // timed out already
        this.pending.delete(msg.id);
        clearTimeout(p.timer);
        if (msg.ok) p.resolve(msg.value);
        else p.reject(new Error(msg.error));
        return;
      }
      case 'event':
        for (const l of [...this.eventListeners]) l(msg.event);
        return;
      case 'pong':
        for (const l of [...this.pongListeners]) l(msg.id);
        return;
      case 'stopped':
        this.setState({ phase: 'stopped', report: msg.report });
        this.failPending('Guardian stopped');
        for (const w of this.stoppedWaiters.splice(0)) w(msg.report);
        return;
    }
  }

  private onExit(code: number): void {
    if (this.stateNow.phase === 'stopped' || this.stateNow.phase === 'failed') return;
    this.setState({ phase: 'exited', code });
    this.failPending(`the control plane exited (code ${code})`);
    for (const w of this.stoppedWaiters.splice(0)) w(null);
  }

  private failPending(why: string): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error(why));
      this.pending.delete(id);
    }
  }

  private setState(s: HostState): void {
    this.stateNow = s;
    for (const l of [...this.stateListeners]) l(s);
  }
}

export function describeState(s: HostState): string {
  switch (s.phase) {
    case 'starting': return 'starting';
    case 'ready': return 'running';
    case 'failed': return `failed to start: ${s.error}`;
    case 'stopping': return 'stopping';
    case 'stopped': return 'stopped';
    case 'exited': return `exited with code ${s.code}`;
  }
}
