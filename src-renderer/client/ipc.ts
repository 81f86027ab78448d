// IpcClient: the desktop app's console, over the preload's `window.guardian` bridge. IPC does
// not drop like a socket, but the control plane behind it can restart: a failed call marks the
// link down and a status probe, backing off, brings it back.
import type { ApiName, ApiRequest, ApiResponse, GuardianBridgeApi } from '../../src-shared/contract';
import { BaseClient } from './base';
import { DEFAULT_BACKOFF, connectionLost, connectionOpened, connectionRetrying, type BackoffPolicy } from './connection';

export interface IpcClientOptions {
  random?: () => number;
  now?: () => number;
  backoff?: BackoffPolicy;
}

export class IpcClient extends BaseClient {
  readonly kind = 'ipc' as const;
  private unsubscribe: (() => void) | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly random: () => number;
  private readonly backoff: BackoffPolicy;

  constructor(private readonly bridge: GuardianBridgeApi, options: IpcClientOptions = {}) {
    super(options.now);
    this.random = options.random ?? Math.random;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  async call<N extends ApiName>(name: N, request: ApiRequest<N>): Promise<ApiResponse<N>> {
    try {
      const response = await this.bridge.call(name, request);
      this.markLive();
      return response;
    } catch (err) {
      this.markLost(err instanceof Error ? err.message : String(err));
      throw err;
    }
  }

  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.bridge.subscribe((event) => {
      this.markLive();
      this.emit(event);
    });
    this.probe();
  }

  reconnectNow(): void {
    if (this.connection.state === 'live' || !this.unsubscribe) return;
    this.clearRetry();
    this.setConnection(connectionRetrying(this.connection));
    this.probe();
  }

  close(): void {
    this.clearRetry();
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private probe(): void {
    this.call('status', {}).catch(() => { /* markLost has scheduled the next probe */ });
  }

  private markLive(): void {
    if (this.connection.state !== 'live') this.setConnection(connectionOpened(this.connection, this.now()));
  }

  private markLost(error: string): void {
    if (this.retryTimer !== null || !this.unsubscribe) return;
    const next = connectionLost(this.connection, this.now(), error, this.random, this.backoff);
    this.setConnection(next);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.setConnection(connectionRetrying(this.connection));
      this.probe();
    }, Math.max(0, (next.retry_at_ms ?? 0) - this.now()));
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}
