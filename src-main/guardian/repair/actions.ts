// What a repair step does to the system, behind an interface: Guardian implements it against its
// real listeners and spool (guardian.ts), the control plane adds reload_config, and tests give a
// fake. Each resolves with a line for the incident timeline, or rejects with the reason.
import type { PathName } from '../../../src-shared/protocol';

export interface RepairActions {
  /** Stops accepting on the path and listens again on the same address; sessions stay up. */
  restartListener(path: PathName): Promise<string>;
  /** Listens on another port (the current one plus port_offset). */
  rotatePort(path: PathName, port_offset: number): Promise<string>;
  /** Removes the pipe (or its Unix socket file) and listens on it again. */
  recreatePipe(): Promise<string>;
  /** Removes half-written spool files and reopens the spool link. */
  clearSpool(): Promise<string>;
  /** Reads the configuration files again. */
  reloadConfig(): Promise<string>;
}
