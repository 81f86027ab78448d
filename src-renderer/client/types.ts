// The console's one door to the control plane. Every implementation (HTTP, IPC, fake) is built
// from the contract's API table, so they answer the same calls with the same shapes.
import type {
  Advice, AgentConsensus, ApiName, ApiRequest, ApiResponse, AuditEntry, BufferStatus, ControlName,
  ControlRequest, ControlResponse, DeadLetter, GateDetail, GuardianStatus, HeldSignal, Incident,
  MetricsRecent, ReportFile, ReportRequest, RoutesDetail, StreamEvent,
} from '../../src-shared/contract';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface ConnectionInfo {
  state: ConnectionState;
  /** Failed attempts since the stream was last live. */
  attempt: number;
  /** When the next attempt starts (client clock, ms), while one is scheduled. */
  retry_at_ms: number | null;
  last_error: string | null;
  /** When `state` was entered (client clock, ms). */
  since_ms: number;
}

export type StreamListener = (event: StreamEvent) => void;
export type ConnectionListener = (info: ConnectionInfo) => void;

export interface GuardianClient {
  readonly kind: 'http' | 'ipc' | 'fake';
  /** Any API entry by name: the generic door the named calls below go through. */
  call<N extends ApiName>(name: N, request: ApiRequest<N>): Promise<ApiResponse<N>>;

  getStatus(): Promise<GuardianStatus>;
  getMetricsRecent(window_s?: number): Promise<MetricsRecent>;
  getIncidents(limit?: number): Promise<Incident[]>;
  getIncident(id: string): Promise<Incident>;
  getRoutes(): Promise<RoutesDetail>;
  getBuffer(): Promise<BufferStatus>;
  getConsensus(): Promise<AgentConsensus>;
  getGates(): Promise<GateDetail[]>;
  getAudit(limit?: number): Promise<AuditEntry[]>;
  getAdvice(): Promise<Advice[]>;
  getHeldSignals(limit?: number): Promise<HeldSignal[]>;
  getDeadLetters(limit?: number): Promise<DeadLetter[]>;
  /** Validated locally with the contract's validator first: a refused request never leaves. */
  control<C extends ControlName>(name: C, request: ControlRequest<C>): Promise<ControlResponse>;
  exportReport(request: ReportRequest): Promise<ReportFile>;

  /** Opens the event stream (idempotent). */
  start(): void;
  subscribe(listener: StreamListener): () => void;
  getConnection(): ConnectionInfo;
  onConnection(listener: ConnectionListener): () => void;
  /** Skips the backoff wait and tries at once (the banner's "Retry now"). */
  reconnectNow(): void;
  close(): void;
}
