// The --in-process fallback (and the tests' transport): the host runs in this process, joined
// by a pair of in-memory ports. Messages are structured-cloned and delivered on a later turn,
// exactly as between processes, so nothing relies on shared objects that a real process
// boundary would break.
import type { MainPort } from './control-plane-client';
import { defaultHostDeps, runControlPlaneHost, type HostDeps, type HostPort } from './run-host';
import type { FromHost, ToHost } from './messages';

export function inProcessPorts(): { main: MainPort; host: HostPort; exit(code: number): void } {
  const toHost: ((m: unknown) => void)[] = [];
  const toMain: ((m: unknown) => void)[] = [];
  const exits: ((code: number) => void)[] = [];
  let exited = false;
  const deliver = (listeners: ((m: unknown) => void)[], message: unknown) => {
    const copy = structuredClone(message);
    setImmediate(() => {
      if (!exited) for (const l of listeners) l(copy);
    });
  };
  const exit = (code: number) => {
    if (exited) return;
    exited = true;
    setImmediate(() => exits.forEach((l) => l(code)));
  };
  return {
    main: {
      post: (m: ToHost) => deliver(toHost, m),
      onMessage: (l) => void toMain.push(l),
      onExit: (l) => void exits.push(l),
      kill: () => exit(1),
    },
    host: {
      post: (m: FromHost) => deliver(toMain, m),
      onMessage: (l) => void toHost.push(l),
    },
    exit,
  };
}

/** Runs the host in this process; its end is reported as the in-memory "process" exiting. */
export function startInProcessHost(deps: HostDeps = defaultHostDeps): MainPort {
  const ports = inProcessPorts();
  const handle = runControlPlaneHost(ports.host, deps);
  void handle.done.then(({ exit_code }) => setTimeout(() => ports.exit(exit_code), 10));
  return ports.main;
}
