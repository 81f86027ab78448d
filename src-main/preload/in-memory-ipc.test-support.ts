// Test support: Electron's IPC in memory (Freelens style), so the main-side handlers and the
// preload's API meet exactly as they do in the app: invoke runs the handler registered for the
// channel with an event naming the sending frame and webContents, arguments and results are
// structured-cloned, a thrown error reaches the renderer as Electron words it, and main can send
// events to one webContents.
import type { IpcEventLike } from '../electron/ipc-guard';
import type { IpcMainLike } from '../electron/ipc-wiring';
import type { RendererIpcLike } from './bridge-api';

export interface FakeFrame {
  url: string;
  /** null for a main frame, anything else for a subframe. */
  parent: unknown;
}

type Listener = (event: unknown, ...args: unknown[]) => void;

export function inMemoryIpc() {
  const handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>();
  const renderers = new Map<number, Map<string, Set<Listener>>>();

  const ipcMain: IpcMainLike = {
    handle(channel, listener) {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, listener);
    },
    removeHandler: (channel) => void handlers.delete(channel),
  };

  /** The ipcRenderer of a page in webContents `webContentsId`, its frame showing `frame.url`. */
  function renderer(frame: FakeFrame, webContentsId: number): RendererIpcLike {
    const listeners = new Map<string, Set<Listener>>();
    renderers.set(webContentsId, listeners);
    const self: RendererIpcLike = {
      async invoke(channel, ...args) {
        const handler = handlers.get(channel);
        if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
        const event: IpcEventLike = { senderFrame: { url: frame.url, parent: frame.parent }, sender: { id: webContentsId } };
        try {
          return structuredClone(await handler(event, ...args.map((a) => structuredClone(a))));
        } catch (err) {
          throw new Error(`Error invoking remote method '${channel}': ${String(err)}`);
        }
      },
      on(channel, listener) {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)!.add(listener);
        return self;
      },
      removeListener(channel, listener) {
        listeners.get(channel)?.delete(listener);
        return self;
      },
    };
    return self;
  }

  /** webContents.send: delivers to that page's listeners, with an event standing in for Electron's. */
  function send(webContentsId: number, channel: string, ...args: unknown[]): void {
    const event = { sender: '<ipcRenderer: must never reach the page>' };
    for (const l of renderers.get(webContentsId)?.get(channel) ?? []) l(event, ...args.map((a) => structuredClone(a)));
  }

  return { ipcMain, renderer, send, channels: () => [...handlers.keys()] };
}
