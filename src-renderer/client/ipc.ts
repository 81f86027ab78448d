// IpcClient: the desktop app's console, over the preload's `window.guardian` bridge. IPC does
// not drop like a socket, but the control plane behind it can restart: a failed call marks the
// link down and a status probe, backing off, brings it back.
import type { ApiName, ApiRequest, ApiResponse, GuardianBridgeApi } from '../../src-shared/contract';
import { BaseClient, type ClientTiming } from './base';
import { connectionOpened, connectionRetrying } from './connection';

export class IpcClient extends BaseClient {
  readonly kind = 'ipc' as const;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly bridge: GuardianBridgeApi, options: ClientTiming = {}) {
    super(options);
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
    this.cancelRetry();
    this.setConnection(connectionRetrying(this.connection));
    this.probe();
  }

  close(): void {
    this.cancelRetry();
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
    // Several calls can fail at once: one failure counts, one probe is scheduled.
    if (this.retryPending || !this.unsubscribe) return;
    this.scheduleRetry(error, () => this.probe());
  }
}
