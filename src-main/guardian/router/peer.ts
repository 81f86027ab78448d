// One peer (an EA or a signal service) and everything Guardian keeps about it: its links on
// every path, the active path, and both directions of its stream.
import type { PathName, Role, SignalTier } from '../../../src-shared/protocol';
import { PATH_PRIORITY } from '../../../src-shared/protocol';
import type { PathLink } from './link';
import { PathStats, type PathHealth } from './path-stats';
import { InboundSequence, OutboundQueue, type OutboundFrame } from './streams';

export interface PathSwitch {
  ts_ms: number;
  from: PathName | null;
  to: PathName | null;
  reason: string;
}

export class Peer {
  readonly links = new Map<PathName, PathLink>();
  readonly stats = new Map<PathName, PathStats>(PATH_PRIORITY.map((p) => [p, new PathStats(p)]));
  activePath: PathName | null = null;
  /** Operator's forced path; honoured while that path is up. */
  forcedPath: PathName | null = null;
  /** Who forced it, for the switch reason (control-plane hook, issue 3). */
  forcedBy: string | null = null;
  /** A kept force (an operator's, stored so that a restart keeps it), and when it lapses (wall ms) if it does. */
  forceKept: { until_wall_ms: number | null } | null = null;
  lastSwitch: PathSwitch | null = null;
  /** Since when each path has been continuously up (switch-back hysteresis). */
  readonly upSince = new Map<PathName, number>();
  legacy = false;
  /**
   * Greeted (HELLO, or the spool's heartbeat) since this Guardian started. Until then, what an
   * earlier process wrote to it is unknown: any message after its ACK may have reached it.
   */
  greeted = false;
  /** Where the last in-order message arrived: ACKs go back there first. */
  lastDataLink: PathLink | null = null;
  ackDue = false;
  /** The last ACK sent for this peer's stream: below what is stored while intake is held. */
  lastAckSent = 0;
  /** Stored messages whose ACK waits for the EA to catch up (backpressure). */
  ackHeld = false;
  delivered = 0;
  received = 0;
  /**
   * Ack latency probe (control-plane hook, issue 3): one sent message at a time is timed until its
   * ACK; the latest round trip and how many were measured.
   */
  ackProbe: { seq: number; sent_ms: number } | null = null;
  lastAckLatency_ms: number | null = null;
  ackLatencySamples = 0;

  constructor(
    readonly node_id: string,
    readonly role: Exclude<Role, 'GUARDIAN'>,
    public tier: SignalTier | undefined,
    readonly inbound: InboundSequence,
    readonly outbound: OutboundQueue,
  ) {}

  statsFor(path: PathName): PathStats {
    return this.stats.get(path)!;
  }

  /** Links fit to carry data, best first. */
  upLinks(now_ms: number): PathLink[] {
    const out: PathLink[] = [];
    for (const p of PATH_PRIORITY) {
      const l = this.links.get(p);
      if (l && !l.closed && l.isUp(now_ms)) out.push(l);
    }
    return out;
  }

  get activeLink(): PathLink | undefined {
    return this.activePath ? this.links.get(this.activePath) : undefined;
  }

  health(now_ms: number): PathHealth[] {
    return PATH_PRIORITY.map((p) => {
      const l = this.links.get(p);
      const connected = !!l && !l.closed;
      return this.statsFor(p).snapshot(connected && l!.isUp(now_ms), connected, now_ms);
    });
  }
}

export type { OutboundFrame };
