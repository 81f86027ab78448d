// HttpClient: the headless service's console. REST calls with fetch, events over one WebSocket
// to the same origin, reconnecting with backoff; the state is shown by the connection banner.
import {
  EVENT_STREAM, parseStreamEvent, toHttpRequest,
  type ApiName, type ApiRequest, type ApiResponse, type ControlResponse,
} from '../../src-shared/contract';
import { BaseClient, type ClientTiming } from './base';
import { connectionOpened, connectionRetrying } from './connection';

/** The part of a WebSocket the client uses, so tests can hand it a fake one. */
export interface SocketLike {
  onopen: ((ev: Event) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  close(): void;
}
export type SocketFactory = (url: string, protocols: string[]) => SocketLike;

export interface HttpClientOptions extends ClientTiming {
  /** e.g. "http://127.0.0.1:8787": the page's own origin in practice. */
  origin: string;
  token: string | null;
  fetch?: typeof fetch;
  openSocket?: SocketFactory;
}

export class GuardianApiError extends Error {
  constructor(readonly http_status: number, message: string) {
    super(message);
    this.name = 'GuardianApiError';
  }
}

export class HttpClient extends BaseClient {
  readonly kind = 'http' as const;
  private readonly origin: string;
  private readonly token: string | null;
  private readonly fetchFn: typeof fetch;
  private readonly openSocket: SocketFactory;
  private socket: SocketLike | null = null;
  private started = false;
  private closed = false;

  constructor(options: HttpClientOptions) {
    super(options);
    this.origin = options.origin.replace(/\/$/, '');
    this.token = options.token;
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
    this.openSocket = options.openSocket ?? ((url, protocols) => new WebSocket(url, protocols));
  }

  async call<N extends ApiName>(name: N, request: ApiRequest<N>): Promise<ApiResponse<N>> {
    const spec = toHttpRequest(name, request);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    if (spec.body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await this.fetchFn(this.origin + spec.url, {
        method: spec.method,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
      });
    } catch (err) {
      const error = `Guardian did not answer (${err instanceof Error ? err.message : String(err)}).`;
      if (name === 'control') return controlFailure<N>({ ok: false, code: 'UNAVAILABLE', error });
      throw new GuardianApiError(0, error);
    }
    const data: unknown = await res.json().catch(() => null);
    if (res.ok) return data as ApiResponse<N>;
    // A refused control is an answer, not an exception: the dialog shows the server's reason.
    if (name === 'control') {
      if (isControlFailure(data)) return controlFailure<N>(data);
      const code = res.status === 401 || res.status === 403 ? 'UNAUTHORIZED' : 'UNAVAILABLE';
      return controlFailure<N>({ ok: false, code, error: `Guardian answered HTTP ${res.status}.` });
    }
    const message = typeof (data as { error?: unknown } | null)?.error === 'string' ? (data as { error: string }).error : res.statusText;
    throw new GuardianApiError(res.status, `${name}: HTTP ${res.status} ${message}`);
  }

  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.connect();
  }

  reconnectNow(): void {
    if (!this.started || this.closed || this.socket) return;
    this.cancelRetry();
    this.setConnection(connectionRetrying(this.connection));
    this.connect();
  }

  close(): void {
    this.closed = true;
    this.cancelRetry();
    const socket = this.socket;
    this.socket = null;
    socket?.close();
  }

  private connect(): void {
    const url = this.origin.replace(/^http/, 'ws') + EVENT_STREAM.path;
    const protocols: string[] = [EVENT_STREAM.protocol];
    if (this.token) protocols.push(EVENT_STREAM.bearer_protocol_prefix + this.token);
    let socket: SocketLike;
    try {
      socket = this.openSocket(url, protocols);
    } catch (err) {
      this.scheduleRetry(err instanceof Error ? err.message : String(err), () => this.connect());
      return;
    }
    this.socket = socket;
    let lastError = 'connection closed';
    socket.onopen = () => this.setConnection(connectionOpened(this.connection, this.now()));
    socket.onerror = () => { lastError = 'connection error'; };
    socket.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return;
      let raw: unknown;
      try { raw = JSON.parse(ev.data); } catch { return; }
      const event = parseStreamEvent(raw);
      if (event) this.emit(event);
    };
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.closed) return;
      this.scheduleRetry(ev.reason ? ev.reason : ev.code ? `${lastError} (code ${ev.code})` : lastError, () => this.connect());
    };
  }
}

function isControlFailure(x: unknown): x is Extract<ControlResponse, { ok: false }> {
  return typeof x === 'object' && x !== null && (x as { ok?: unknown }).ok === false && typeof (x as { error?: unknown }).error === 'string';
}

function controlFailure<N extends ApiName>(failure: Extract<ControlResponse, { ok: false }>): ApiResponse<N> {
  // Only reached when N is 'control', whose response type includes this failure.
  return failure as ApiResponse<N>;
}
