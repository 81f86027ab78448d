// `guardian serve --demo`: an EA and primary + cached signal services beside Guardian, on every
// path Guardian listens on (the EA takes the spool too), at a calm signal a second.
import type { FaultName } from '../../src-shared/contract';
import { startSim, type SimHandle } from './sim-runner';
import { parseHostPort } from './cli';

export interface DemoOptions {
  /** Guardian's `listening`: socket 'host:port', pipe address, spool dir. */
  guardian: Record<string, string>;
  dataDir: string;
  hmacKey?: string;
  log?: (line: string) => void;
}

export async function startDemoPeers(o: DemoOptions): Promise<SimHandle> {
  const { socket, pipe, spool } = o.guardian;
  return startSim({
    eas: 1,
    signals: ['primary', 'cached'],
    rate_per_s: 1,
    socket: socket ? parseHostPort(socket) : undefined,
    pipe,
    spool,
    dataDir: o.dataDir,
    hmacKey: o.hmacKey ?? (process.env.GUARDIAN_HMAC_KEY || undefined),
    log: o.log,
  });
}

/**
 * The console's demo faults (its "Inject fault" panel) as the simulator's fault specs
 * (fault-spec.ts): long enough to watch Guardian detect, reroute and recover, short enough that
 * a demo does not wait. `clear` lifts the standing faults; a drop or stall ends on its own.
 */
export const DEMO_FAULT_SPECS: Readonly<Record<FaultName, string>> = {
  drop_socket: 'drop_socket:8000',
  stall_pipe: 'stall_pipe:5000',
  slow_broker: 'slow_broker:2500@ea',
  spike_correlation: 'spike_correlation:0.95@ea',
  clear: 'clear',
};

/** Applies a console fault to the demo's simulator; returns what the simulator did. */
export function injectDemoFault(sim: SimHandle, fault: FaultName): string {
  return sim.inject(DEMO_FAULT_SPECS[fault]);
}
