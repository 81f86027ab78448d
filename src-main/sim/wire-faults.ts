// The wire faults every simulated peer shares (drop, stall, latency, corrupt, garbage, oversize,
// kill), delegated to its protocol stack; the EA adds its broker faults on top.
import type { PathName } from '../../src-shared/protocol';
import type { PeerFaults } from './peer';

export class WireFaults {
  constructor(protected readonly peer: PeerFaults) {}

  dropPath(path: PathName, ms: number): void {
    this.peer.dropPath(path, ms);
  }
  stallPath(path: PathName, ms: number): void {
    this.peer.stallPath(path, ms);
  }
  latency(path: PathName, ms: number): void {
    this.peer.latency(path, ms);
  }
  corruptNext(n: number): void {
    this.peer.corruptNext(n);
  }
  sendGarbage(path: PathName): void {
    this.peer.sendGarbage(path);
  }
  sendOversize(path: PathName): void {
    this.peer.sendOversize(path);
  }
  kill(): never {
    return this.peer.kill();
  }
  crash(): void {
    this.peer.crash();
  }
  clear(): void {
    this.peer.clear();
  }
}
