// The --in-process fallback's module, bundled beside the utility entry (out/main/host/) so the
// control plane finds its files where it expects them, and imported by the main process only
// when that switch is given.
export { startInProcessHost } from './in-process';
