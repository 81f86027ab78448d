// The console's API as the control plane serves it: the same call(name, request) and
// subscribe(listener) the preload exposes (GuardianBridgeApi without its version field), so the
// IPC path and the HTTP server answer from one backend (guardian.console). A control plane
// without that backend gets an API whose every call fails with the reason, never invented data.
import type { GuardianBridgeApi } from '../../../src-shared/contract';
import type { Guardian } from '../../guardian';
import { defaultOperator, type ConsoleBackend } from '../../guardian/server';
import { consoleApiFromBackend } from './backend-api';

export type ConsoleApi = Pick<GuardianBridgeApi, 'call' | 'subscribe'>;

export const NO_CONSOLE_API = "this control plane has no console backend (guardian.console): the window shows no data";

export function consoleApiOf(guardian: Guardian): { api: ConsoleApi; served: boolean } {
  const backend = (guardian as Guardian & { console?: ConsoleBackend }).console;
  if (backend && typeof backend.status === 'function') return { api: consoleApiFromBackend(backend, defaultOperator()), served: true };
  return { api: unservedConsoleApi(NO_CONSOLE_API), served: false };
}

export function unservedConsoleApi(reason: string): ConsoleApi {
  return {
    call: (name) => Promise.reject(new Error(`${name}: ${reason}`)),
    subscribe: () => () => {},
  };
}
