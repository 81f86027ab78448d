// window.guardian, built from the contract: one invoker per API entry (its IPC channel), a
// `call` that reaches only those, and `subscribe` on the event channel. What the page receives
// is data and these functions: never ipcRenderer, never the IPC event (whose `sender` is
// ipcRenderer itself). No electron import here, so it runs under Node in tests.
import {
  API, API_NAMES, CONTRACT_VERSION, EVENT_STREAM, parseStreamEvent,
  type ApiName, type ApiRequest, type ApiResponse, type GuardianBridgeApi, type StreamEvent,
} from '../../src-shared/contract';

/** The part of ipcRenderer the bridge uses. */
export interface RendererIpcLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function buildBridgeApi(ipc: RendererIpcLike): GuardianBridgeApi {
  const invokers = new Map<string, (request: unknown) => Promise<unknown>>(
    API_NAMES.map((name) => [name, (request: unknown) => ipc.invoke(API[name].ipc, request ?? {})]),
  );
  const api: GuardianBridgeApi = {
    contract_version: CONTRACT_VERSION,
    call<N extends ApiName>(name: N, request: ApiRequest<N>): Promise<ApiResponse<N>> {
      const invoke = typeof name === 'string' ? invokers.get(name) : undefined;
      if (!invoke) return Promise.reject(new Error(`"${String(name)}" is not part of Guardian's API`));
      return invoke(request) as Promise<ApiResponse<N>>;
    },
    subscribe(listener: (event: StreamEvent) => void): () => void {
      if (typeof listener !== 'function') throw new TypeError('subscribe needs a function');
      const onEvent = (_event: unknown, raw: unknown) => {
        const event = parseStreamEvent(raw);
        if (event) listener(event);
      };
      ipc.on(EVENT_STREAM.ipc, onEvent);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipc.removeListener(EVENT_STREAM.ipc, onEvent);
      };
    },
  };
  return Object.freeze(api);
}
