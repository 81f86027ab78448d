// The fault hooks of one peer: what a flaky cable, a hung pipe, a bad DLL or a crash look like
// from Guardian's side of the wire.
import type { PathName } from '../../../src-shared/protocol';
import type { PathSession } from './session';
import { corruptCopy } from './wire';

export interface FaultHost {
  session(path: PathName): PathSession | undefined;
  readonly processMode: boolean;
  /** Drop everything in memory at once, as a crash would: sockets, timers, unflushed writes. */
  crash(): void;
}

export class PeerFaults {
  private corruptLeft = 0;

  constructor(private readonly host: FaultHost) {}

  /** Destroys the connection and refuses to reconnect for `ms`. */
  dropPath(path: PathName, ms: number): void {
    this.need(path).drop(ms);
  }

  /** Stops reading and writing on the path for `ms`, keeping it open. */
  stallPath(path: PathName, ms: number): void {
    this.need(path).stall(ms);
  }

  /** Delays everything we send on the path by `ms` (0 clears). */
  latency(path: PathName, ms: number): void {
    this.need(path).setLatency(ms);
  }

  /** Changes a byte in each of the next `n` data messages, after their checksum was computed. */
  corruptNext(n: number): void {
    this.corruptLeft += Math.max(0, Math.floor(n));
  }

  /** A valid frame (or spool file) holding bytes that are not JSON. */
  sendGarbage(path: PathName): void {
    this.need(path).sendGarbage();
  }

  /** A length prefix of 70000, over the protocol's limit. */
  sendOversize(path: PathName): void {
    this.need(path).sendOversize();
  }

  /** Ends the process at once, exit code 137, flushing nothing (process mode only). */
  kill(): never {
    if (!this.host.processMode) throw new Error('faults.kill() ends the process: only in the simulator process mode (use crash() in tests)');
    process.exit(137);
  }

  /** The in-process kill: the peer stops dead; reopen it from the same dataDir to recover. */
  crash(): void {
    this.host.crash();
  }

  /** Clears the standing faults (latency, pending corruption). Drops and stalls end by themselves. */
  clear(): void {
    this.corruptLeft = 0;
    for (const p of ['socket', 'pipe', 'spool'] as const) this.host.session(p)?.setLatency(0);
  }

  /** The bytes to put on the wire for a data frame. */
  wire(frame: Uint8Array): Uint8Array {
    if (this.corruptLeft === 0) return frame;
    this.corruptLeft--;
    return corruptCopy(frame);
  }

  private need(path: PathName): PathSession {
    const s = this.host.session(path);
    if (!s) throw new TypeError(`the ${path} path is not configured for this peer`);
    return s;
  }
}
