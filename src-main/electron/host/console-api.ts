// The console's API as the control plane serves it: the same call(name, request) and
// subscribe(listener) the preload exposes (GuardianBridgeApi without its version field), so the
// IPC path and the HTTP server wrap one object. The control plane is expected to offer it as
// `guardian.api`; until it does, every call fails with that reason instead of inventing data.
import type { GuardianBridgeApi } from '../../../src-shared/contract';
import type { Guardian } from '../../guardian';

export type ConsoleApi = Pick<GuardianBridgeApi, 'call' | 'subscribe'>;

export const NO_CONSOLE_API = "this control plane does not serve the console's API yet (Guardian has no `api` member): the window shows no data";

export function consoleApiOf(guardian: Guardian): { api: ConsoleApi; served: boolean } {
  const api = (guardian as Guardian & { api?: Partial<ConsoleApi> }).api;
  if (api && typeof api.call === 'function' && typeof api.subscribe === 'function') return { api: api as ConsoleApi, served: true };
  return { api: unservedConsoleApi(NO_CONSOLE_API), served: false };
}

export function unservedConsoleApi(reason: string): ConsoleApi {
  return {
    call: (name) => Promise.reject(new Error(`${name}: ${reason}`)),
    subscribe: () => () => {},
  };
}
