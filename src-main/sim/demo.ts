// `guardian serve --demo`: an EA and primary + cached signal services beside Guardian, on every
// path Guardian listens on (the EA takes the spool too), at a calm signal a second.
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
