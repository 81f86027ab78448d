// What every client shares: the named calls (each one line over `call`), local validation of
// controls, the listener sets for events and connection state, and the reconnect timer.
import {
  validateControl,
  type ApiName, type ApiRequest, type ApiResponse, type ControlCall, type ControlName, type ControlRequest,
  type ControlResponse, type ReportRequest, type StreamEvent,
} from '../../src-shared/contract';
import { DEFAULT_BACKOFF, connectionLost, connectionRetrying, initialConnection, type BackoffPolicy } from './connection';
import type { ConnectionInfo, ConnectionListener, GuardianClient, StreamListener } from './types';

export abstract class BaseClient implements GuardianClient {
  abstract readonly kind: GuardianClient['kind'];
  abstract call<N extends ApiName>(name: N, request: ApiRequest<N>): Promise<ApiResponse<N>>;
  abstract start(): void;
  abstract reconnectNow(): void;
  abstract close(): void;

  private readonly listeners = new Set<StreamListener>();
  private readonly connectionListeners = new Set<ConnectionListener>();
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  protected connection: ConnectionInfo;
  protected readonly now: () => number;
  private readonly random: () => number;
  private readonly backoff: BackoffPolicy;

  protected constructor(options: ClientTiming = {}) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.connection = initialConnection(this.now());
  }

  getStatus() { return this.call('status', {}); }
  getMetricsRecent(window_s?: number) { return this.call('metricsRecent', window_s === undefined ? {} : { window_s }); }
  async getIncidents(limit?: number) { return (await this.call('incidentsRecent', limit === undefined ? {} : { limit })).incidents; }
  getIncident(id: string) { return this.call('incident', { id }); }
  getRoutes() { return this.call('routesStatus', {}); }
  getBuffer() { return this.call('bufferStatus', {}); }
  getConsensus() { return this.call('agentsConsensus', {}); }
  async getGates() { return (await this.call('gates', {})).gates; }
  async getAudit(limit?: number) { return (await this.call('auditRecent', limit === undefined ? {} : { limit })).entries; }
  async getAdvice() { return (await this.call('adviceList', {})).advice; }
  async getHeldSignals(limit?: number) { return (await this.call('signalsHeld', limit === undefined ? {} : { limit })).signals; }
  async getDeadLetters(limit?: number) { return (await this.call('deadLetters', limit === undefined ? {} : { limit })).dead_letters; }
  exportReport(request: ReportRequest) { return this.call('exportReport', request); }

  async control<C extends ControlName>(name: C, request: ControlRequest<C>): Promise<ControlResponse> {
    const checked = validateControl(name, request);
    if (!checked.ok) return { ok: false, error: checked.error, code: checked.code };
    return this.call('control', checked.call satisfies ControlCall);
  }

  subscribe(listener: StreamListener): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  getConnection(): ConnectionInfo { return this.connection; }

  onConnection(listener: ConnectionListener): () => void {
    this.connectionListeners.add(listener);
    return () => { this.connectionListeners.delete(listener); };
  }

  protected emit(event: StreamEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  protected setConnection(next: ConnectionInfo): void {
    this.connection = next;
    for (const listener of this.connectionListeners) listener(next);
  }

  /** The link failed: count it, show it, and run `retry` when the backoff says so. */
  protected scheduleRetry(error: string, retry: () => void): void {
    const next = connectionLost(this.connection, this.now(), error, this.random, this.backoff);
    this.setConnection(next);
    this.cancelRetry();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.setConnection(connectionRetrying(this.connection));
      retry();
    }, Math.max(0, (next.retry_at_ms ?? 0) - this.now()));
  }

  protected get retryPending(): boolean {
    return this.retryTimer !== null;
  }

  protected cancelRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}

/** The clock, randomness and backoff a client runs on: injectable, so tests are deterministic. */
export interface ClientTiming {
  now?: () => number;
  random?: () => number;
  backoff?: BackoffPolicy;
}
