// A path to one peer as the router sees it: a framed connection (socket, pipe) or the spool
// directory. The router moves data between links without caring which is which.
import type { PathName } from '../../../src-shared/protocol';
import type { OutboundFrame } from './streams';
import type { PathStats } from './path-stats';

export interface PathLink {
  readonly path: PathName;
  readonly stats: PathStats;
  /** Connected, greeted and heard from recently: fit to carry data. */
  isUp(now_ms: number): boolean;
  /** Room to send more now (a full kernel buffer, or a spool writer busy, says no). */
  canSend(): boolean;
  sendData(frames: OutboundFrame[]): void;
  sendAck(seq: number): void;
  /** Per-interval work: heartbeats, silence detection. */
  tick(now_ms: number): void;
  close(reason: string): void;
  readonly closed: boolean;
}
