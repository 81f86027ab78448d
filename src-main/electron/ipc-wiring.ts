// The console's IPC, main side: one invoke handler per contract entry (API[name].ipc), each
// checking that the sender is our window's main frame on our page (ipc-guard.ts), then the
// request (request-check.ts), then forwarding to the control plane. Typed against a minimal
// ipcMain so that tests drive it with an in-memory bridge.
import { API, API_NAMES, type ApiName } from '../../src-shared/contract';
import { judgeSender, type IpcEventLike } from './ipc-guard';
import { checkRequest } from './request-check';

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface ConsoleIpcOptions {
  appUrl: string;
  /** The console window's webContents id, or null while there is no window. */
  consoleWebContentsId(): number | null;
  call(name: ApiName, request: unknown): Promise<unknown>;
  log(line: string): void;
}

export const REFUSED = 'refused: only the Guardian console may call Guardian';

export interface ConsoleIpc {
  /** Refuses every call from now on (shutdown: no new work). */
  refuseNewWork(reason: string): void;
  dispose(): void;
}

export function registerConsoleIpc(ipc: IpcMainLike, options: ConsoleIpcOptions): ConsoleIpc {
  let refusing: string | null = null;
  for (const name of API_NAMES) {
    const channel = API[name].ipc;
    ipc.handle(channel, async (event, request) => {
      const verdict = judgeSender(event, options.appUrl, options.consoleWebContentsId());
      if (!verdict.trusted) {
        options.log(`ipc: refused ${channel}: ${verdict.why}`);
        throw new Error(REFUSED);
      }
      if (refusing) throw new Error(refusing);
      const checked = checkRequest(name, request);
      if (!checked.ok) {
        if ('answer' in checked) return checked.answer;
        throw new Error(checked.error);
      }
      return options.call(name, checked.request);
    });
  }
  return {
    refuseNewWork: (reason) => void (refusing = reason),
    dispose: () => API_NAMES.forEach((name) => ipc.removeHandler(API[name].ipc)),
  };
}
