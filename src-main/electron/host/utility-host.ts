// The control-plane host as an Electron utility process (utilityProcess.fork): its own process
// and event loop, so a long SQLite commit or fsync never stalls the window or the tray.
import { utilityProcess } from 'electron';
import type { MainPort } from './control-plane-client';

export function forkUtilityHost(modulePath: string, env: NodeJS.ProcessEnv): MainPort {
  const child = utilityProcess.fork(modulePath, [], { serviceName: 'Guardian control plane', stdio: 'inherit', env });
  return {
    post: (message) => child.postMessage(message),
    onMessage: (listener) => void child.on('message', listener),
    onExit: (listener) => void child.on('exit', listener),
    kill: () => void child.kill(),
  };
}
