// Binding after a takeover. A former leader that is paused (SIGSTOP), not dead, still holds its TCP
// port: the new active one cannot wait for it, since the other paths (the pipe's socket file is
// unlinked and bound again) carry the traffic meanwhile. So: retry EADDRINUSE briefly, then serve
// without that path and keep trying in the background; it binds the moment the old one is gone.
import type { Clock } from '../clock';
import type { Disposable } from '../lifecycle';
import { ListenError, type Listener } from '../paths';

export interface BindSettings {
  clock: Clock;
  /** How long to retry before serving without the path. */
  brief_ms: number;
  /** How often to try. */
  retry_ms: number;
  /** Said once when the path is left to the background, and when it binds. */
  say?: (line: string) => void;
}

const inUse = (err: unknown): err is ListenError => err instanceof ListenError && err.code === 'EADDRINUSE';

export async function bindWhenFree(listen: () => Promise<Listener>, s: BindSettings): Promise<Listener> {
  const t0 = s.clock.now_ms();
  for (;;) {
    try {
      return await listen();
    } catch (err) {
      if (!inUse(err)) throw err;
      if (s.clock.now_ms() - t0 >= s.brief_ms) {
        s.say?.(`guardian: the ${err.path} path ${err.address} is still held (a former active instance, paused?); serving without it and binding it when it is free`);
        return new LateListener(err.path, err.address, listen, s);
      }
      await new Promise<void>((r) => s.clock.setTimeout(r, s.retry_ms));
    }
  }
}

/** A listener still waiting for its address: binds in the background, stops like a bound one. */
class LateListener implements Listener {
  private bound: Listener | undefined;
  private timer: Disposable | undefined;
  private stopped = false;
  private trying = false;

  constructor(readonly path: Listener['path'], readonly address: string, private readonly listen: () => Promise<Listener>, private readonly s: BindSettings) {
    this.timer = s.clock.setInterval(() => void this.attempt(), s.retry_ms);
  }

  private async attempt(): Promise<void> {
    if (this.trying || this.stopped || this.bound) return;
    this.trying = true;
    try {
      const l = await this.listen();
      if (this.stopped) {
        await l.close();
        return;
      }
      this.bound = l;
      this.timer?.dispose();
      this.s.say?.(`guardian: the ${this.path} path is bound now (${l.address})`);
    } catch (err) {
      if (!inUse(err)) {
        this.timer?.dispose();
        this.s.say?.(`guardian: the ${this.path} path cannot be bound: ${(err as Error).message}`);
      }
    } finally {
      this.trying = false;
    }
  }

  stopAccepting(): Promise<void> {
    this.stopped = true;
    this.timer?.dispose();
    return this.bound ? this.bound.stopAccepting() : Promise.resolve();
  }

  close(): Promise<void> {
    this.stopped = true;
    this.timer?.dispose();
    return this.bound ? this.bound.close() : Promise.resolve();
  }
}

/**
 * The same for a server that is not a path (the console): tries `start` every retry_ms until it is
 * no longer EADDRINUSE, then hands it to `bound`. Disposing stops the tries; a server that binds
 * after that is closed.
 */
export function bindLater<T extends { close(): Promise<unknown> }>(start: () => Promise<T>, s: { clock: Clock; retry_ms: number; bound: (server: T) => void; say?: (line: string) => void; what: string }): Disposable {
  let stopped = false;
  let trying = false;
  const timer = s.clock.setInterval(() => {
    if (trying || stopped) return;
    trying = true;
    start().then(
      (server) => {
        timer.dispose();
        if (stopped) return void server.close();
        s.say?.(`guardian: the ${s.what} is bound now`);
        s.bound(server);
      },
      (err: NodeJS.ErrnoException) => {
        trying = false;
        if (err.code !== 'EADDRINUSE') {
          timer.dispose();
          s.say?.(`guardian: the ${s.what} cannot start: ${err.message}`);
        }
      },
    );
  }, s.retry_ms);
  return {
    dispose() {
      stopped = true;
      timer.dispose();
    },
  };
}
