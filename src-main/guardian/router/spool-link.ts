// The spool path as a link: the EA's heartbeat file greets (it names the EA and where to
// resume), lines in from_ea are data, to_ea/ack acknowledges what Guardian wrote.
import { decodeMessage, decodeSpoolLine, encodeSpoolLine, type HmacFn, type Envelope } from '../../../src-shared/protocol';
import type { SpoolDir } from '../paths';
import type { PathLink } from './link';
import { PathStats } from './path-stats';
import type { OutboundFrame } from './streams';
import type { Router } from './router';

export class SpoolLink implements PathLink {
  readonly path = 'spool' as const;
  stats = new PathStats('spool');
  peerId: string | undefined;
  closed = false;
  private readonly seen = new Set<string>();
  private lastHeartbeatMtime_ms = 0;
  private lastAckWritten = -1;

  constructor(
    private readonly dir: SpoolDir,
    private readonly router: Router,
    private readonly node_id: string,
    private readonly stale_ms: number,
    private readonly hmac?: HmacFn,
  ) {}

  isUp(_now_ms: number): boolean {
    return !this.closed && this.peerId !== undefined && Date.now() - this.lastHeartbeatMtime_ms <= this.stale_ms;
  }
  canSend(): boolean {
    return !this.closed;
  }

  sendData(frames: OutboundFrame[]): void {
    if (frames.length === 0) return;
    const lines: string[] = [];
    for (const f of frames) {
      const d = decodeMessage(f.frame.subarray(4), { hmac: this.hmac });
      if (d.ok) lines.push(encodeSpoolLine(d.envelope.header, d.envelope.payload));
    }
    try {
      this.dir.writeBatch(frames[0]!.seq, lines);
    } catch (err) {
      this.stats.lastError = `spool write failed: ${(err as Error).message}`;
    }
  }

  sendAck(seq: number): void {
    if (seq === this.lastAckWritten) return;
    try {
      this.dir.writeAck(seq);
      this.lastAckWritten = seq;
    } catch (err) {
      this.stats.lastError = `spool ack failed: ${(err as Error).message}`;
    }
  }

  tick(_now_ms: number): void {}

  /** Reads what the EA wrote; called every poll interval. */
  poll(): void {
    if (this.closed) return;
    try {
      this.pollOnce();
    } catch (err) {
      this.stats.lastError = `spool poll failed: ${(err as Error).message}`;
    }
  }

  private pollOnce(): void {
    const hb = this.dir.readHeartbeat();
    if (hb) {
      const fresh = Date.now() - hb.mtime_ms <= this.stale_ms;
      const changed = hb.mtime_ms !== this.lastHeartbeatMtime_ms;
      this.lastHeartbeatMtime_ms = hb.mtime_ms;
      if (fresh && changed) {
        this.stats.lastHeard_ms = this.router.now_ms();
        if (this.peerId !== hb.node_id) this.router.onSpoolHello(this, hb.node_id, hb.last_seq_received);
        else this.router.onAck(hb.node_id, hb.last_seq_received);
      }
    }
    if (!this.peerId) return;
    const ack = this.dir.readAck();
    if (ack !== null) {
      this.router.onAck(this.peerId, ack);
      this.dir.deleteAcknowledged(ack);
    }
    const files = this.dir.incomingFiles();
    const present = new Set(files.map((f) => f.key));
    for (const key of this.seen) if (!present.has(key)) this.seen.delete(key);
    for (const { name, key } of files) {
      if (this.seen.has(key)) continue;
      const text = this.dir.readIncoming(name);
      if (text === null) continue;
      this.seen.add(key);
      for (const line of text.split('\n')) {
        if (line.length === 0) continue;
        const d = decodeSpoolLine(line);
        if (!d.ok) {
          this.stats.recordBadInput(d.reason);
          this.router.onBadInput(this, this.peerId, d.reason, `${name}: ${d.detail}`, d.header, line);
          continue;
        }
        this.router.onData(this, this.peerId, d.envelope as Envelope);
      }
    }
    this.dir.writeHeartbeat({ node_id: this.node_id, role: 'GUARDIAN', last_seq_received: this.router.peers.get(this.peerId)?.inbound.lastCommitted ?? 0, ts: new Date().toISOString() });
  }

  close(_reason: string): void {
    this.closed = true;
  }
}
