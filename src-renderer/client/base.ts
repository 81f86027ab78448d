// What every client shares: the named calls (each one line over `call`), local validation of
// controls, and the listener sets for events and connection state.
import {
  validateControl,
  type ApiName, type ApiRequest, type ApiResponse, type ControlCall, type ControlName, type ControlRequest,
  type ControlResponse, type ReportRequest, type StreamEvent,
} from '../../src-shared/contract';
import { initialConnection } from './connection';
import type { ConnectionInfo, ConnectionListener, GuardianClient, StreamListener } from './types';

export abstract class BaseClient implements GuardianClient {
  abstract readonly kind: GuardianClient['kind'];
  abstract call<N extends ApiName>(name: N, request: ApiRequest<N>): Promise<ApiResponse<N>>;
  abstract start(): void;
  abstract reconnectNow(): void;
  abstract close(): void;

  private readonly listeners = new Set<StreamListener>();
  private readonly connectionListeners = new Set<ConnectionListener>();
  protected connection: ConnectionInfo;

  protected constructor(protected readonly now: () => number = Date.now) {
    this.connection = initialConnection(now());
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
}
