// What the Electron preload exposes as `window.guardian` (contextBridge). Built from API: the
// preload maps call(name, request) to ipcRenderer.invoke(API[name].ipc, request) and forwards
// EVENT_STREAM.ipc messages to subscribers.
import type { ApiName, ApiRequest, ApiResponse } from './api';
import type { StreamEvent } from './events';

export interface GuardianBridgeApi {
  readonly contract_version: string;
  call<N extends ApiName>(name: N, request: ApiRequest<N>): Promise<ApiResponse<N>>;
  /** Returns the function that unsubscribes. */
  subscribe(listener: (event: StreamEvent) => void): () => void;
}
