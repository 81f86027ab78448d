// The utility process's entry (bundled on its own by electron-vite via `?modulePath`): the
// control plane runs here so that a busy database or a long fsync never stalls the window.
// It talks to the main process only through process.parentPort.
import { runControlPlaneHost } from './run-host';

const parent = process.parentPort;
if (!parent) {
  process.stderr.write('guardian host: this file runs in an Electron utility process (utilityProcess.fork), not directly\n');
  process.exit(2);
}
// Listening at once: the main process sends `start` right after fork.
const handle = runControlPlaneHost({
  post: (message) => parent.postMessage(message),
  onMessage: (listener) => parent.on('message', (e) => listener(e.data)),
});
void handle.done.then(({ exit_code }) => process.exit(exit_code));
