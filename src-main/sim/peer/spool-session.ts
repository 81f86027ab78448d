// The spool path from the EA's side (PROTOCOL.md 6 as amended): we write from_ea/<first seq>.tmp
// and rename it to .csv (the rename is the commit), read to_ea/*.csv, and acknowledge by rewriting
// to_ea/ack; Guardian's from_ea/ack tells us what it stored. Heartbeat files greet: ours names us
// and where Guardian should resume, Guardian's (to_ea/heartbeat) names it and where we resume.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  decodeMessage, decodeSpoolLine, encodeSpoolLine, parseSpoolFileName, PROTOCOL_VERSION, spoolFileName,
  type HmacFn,
} from '../../../src-shared/protocol';
import type { OutboundFrame } from '../../guardian/router';
import { RttSamples } from './rtt';
import { newCounters, type PathCounters, type PathSession, type SessionOwner } from './session';
import type { WireIdentity } from './wire';

export interface SpoolSessionSettings {
  identity: WireIdentity;
  hmac: HmacFn | undefined;
  heartbeat_ms: number;
  poll_ms: number;
  stale_ms: number;
}

/**
 * A resend that starts where a file of ours still lies would reuse its name; a reader that
 * remembers names it has read would never look at it again. So the old file is deleted first and
 * the new one written this much later, after the reader's next poll has seen the name go.
 */
const REWRITE_DELAY_MS = 200;
/** The garbage fault's file sorts first (seq 0 is never data) and is taken back after this. */
const GARBAGE_FILE = spoolFileName(0, 'csv');

interface HeartbeatFile {
  node_id: string;
  last_seq_received: number;
  mtime_ms: number;
}

export class SpoolSession implements PathSession {
  readonly path = 'spool' as const;
  readonly counters: PathCounters = newCounters();
  /** On the spool, the time from writing a file to the ACK that covers it. */
  readonly rtt = new RttSamples();
  private readonly outDir: string;
  private readonly inDir: string;
  private readonly written = new Map<string, { lastSeq: number; written_ms: number }>();
  private readonly seen = new Map<string, string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly writeQueue: { first: number; last: number; lines: string[]; notBefore: number }[] = [];
  private writeTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private greeted = false;
  private guardianMtime_ms = 0;
  private lastAckRead = -1;
  private lastAckWritten = -1;
  private refuseUntil_ms = 0;
  private stalledUntil_ms = 0;
  private latency_ms = 0;
  private stopped = false;

  constructor(
    root: string,
    private readonly owner: SessionOwner,
    private readonly settings: SpoolSessionSettings,
  ) {
    this.outDir = join(root, 'from_ea');
    this.inDir = join(root, 'to_ea');
  }

  get connected(): boolean {
    return this.greeted;
  }

  start(): void {
    mkdirSync(this.outDir, { recursive: true });
    mkdirSync(this.inDir, { recursive: true });
    this.indexOwnFiles();
    this.writeHeartbeat();
    this.pollTimer = setInterval(() => this.poll(), this.settings.poll_ms);
    this.heartbeatTimer = setInterval(() => this.writeHeartbeat(), this.settings.heartbeat_ms);
  }

  stop(): void {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.writeTimer) clearTimeout(this.writeTimer);
  }

  isUp(_now_ms: number): boolean {
    if (!this.greeted || this.blocked()) return false;
    return Date.now() - this.guardianMtime_ms <= this.settings.stale_ms;
  }

  canSend(): boolean {
    return this.greeted && !this.blocked();
  }

  private blocked(): boolean {
    const now = this.owner.now_ms();
    return this.refuseUntil_ms > now || this.stalledUntil_ms > now;
  }

  tick(_now_ms: number): void {}

  // ---- outbound ------------------------------------------------------------------------------

  sendData(frames: OutboundFrame[]): void {
    if (frames.length === 0 || this.stopped) return;
    const lines: string[] = [];
    for (const f of frames) {
      const d = decodeMessage(f.frame.subarray(4), { hmac: this.settings.hmac });
      if (!d.ok) continue; // our own frame: cannot happen unless the store was tampered with
      const line = encodeSpoolLine(d.envelope.header, d.envelope.payload);
      lines.push(this.owner.wireFrame(f.frame, f.seq) === f.frame ? line : corruptLine(line));
    }
    const first = frames[0]!.seq;
    const last = frames[frames.length - 1]!.seq;
    this.counters.sent += frames.length;
    const pending = this.writeQueue.find((w) => w.first === first);
    if (pending) {
      // A resend from the same seq before the first copy landed: one file, the newer content.
      pending.last = last;
      pending.lines = lines;
    } else {
      const now = this.owner.now_ms();
      let notBefore = now + this.latency_ms;
      const name = spoolFileName(first, 'csv');
      if (existsSync(join(this.outDir, name))) {
        this.unlinkOwn(name);
        notBefore = Math.max(notBefore, now + REWRITE_DELAY_MS);
      }
      this.writeQueue.push({ first, last, lines, notBefore });
    }
    this.drainWrites();
  }

  /**
   * Files land in the order they were sent: a file written while an earlier one waits (a rewrite,
   * latency) would reach the reader first, past a hole, and be dropped as a gap.
   */
  private drainWrites(): void {
    while (this.writeQueue.length > 0 && !this.stopped) {
      const head = this.writeQueue[0]!;
      const wait = head.notBefore - this.owner.now_ms();
      if (wait > 0) {
        if (!this.writeTimer) {
          this.writeTimer = setTimeout(() => {
            this.writeTimer = undefined;
            this.drainWrites();
          }, wait);
        }
        return;
      }
      this.writeQueue.shift();
      this.writeFile(head.first, head.last, head.lines);
    }
  }

  sendAck(seq: number): void {
    if (seq === this.lastAckWritten || this.blocked()) return;
    try {
      atomicWrite(join(this.inDir, 'ack'), String(seq));
      this.lastAckWritten = seq;
    } catch (err) {
      this.noteError(`spool ack: ${(err as Error).message}`);
    }
  }

  private writeFile(first: number, last: number, lines: string[]): void {
    if (this.stopped) return;
    const tmp = join(this.outDir, spoolFileName(first, 'tmp'));
    const name = spoolFileName(first, 'csv');
    try {
      writeFileSync(tmp, lines.join('\n') + '\n');
      renameSync(tmp, join(this.outDir, name));
      this.written.set(name, { lastSeq: last, written_ms: this.owner.now_ms() });
    } catch (err) {
      this.noteError(`spool write: ${(err as Error).message}`);
    }
  }

  private writeHeartbeat(): void {
    if (this.stopped || this.blocked()) return;
    const hb = {
      node_id: this.settings.identity.node_id,
      role: this.settings.identity.role,
      last_seq_received: this.owner.hello().last_seq_received,
      ts: new Date().toISOString(),
    };
    try {
      atomicWrite(join(this.outDir, 'heartbeat'), JSON.stringify(hb));
    } catch (err) {
      this.noteError(`spool heartbeat: ${(err as Error).message}`);
    }
  }

  // ---- inbound -------------------------------------------------------------------------------

  private poll(): void {
    if (this.stopped || this.blocked()) return;
    try {
      this.pollOnce();
    } catch (err) {
      this.noteError(`spool poll: ${(err as Error).message}`);
    }
  }

  private pollOnce(): void {
    const hb = this.readGuardianHeartbeat();
    const fresh = hb !== null && Date.now() - hb.mtime_ms <= this.settings.stale_ms;
    if (hb && fresh) {
      const changed = hb.mtime_ms !== this.guardianMtime_ms;
      this.guardianMtime_ms = hb.mtime_ms;
      if (!this.greeted) {
        this.greeted = true;
        this.counters.connects++;
        this.owner.onReady(this, { version: PROTOCOL_VERSION, node_id: hb.node_id, last_seq_received: hb.last_seq_received, heartbeat_ms: this.settings.heartbeat_ms });
      } else if (changed) {
        this.owner.onAck(this, hb.last_seq_received); // Guardian's heartbeat says what it stored
      }
    } else if (this.greeted) {
      this.markDown(hb ? 'Guardian heartbeat file is stale' : 'Guardian heartbeat file is missing');
    }
    if (!this.greeted) return;
    this.readAck();
    this.readIncoming();
  }

  private readGuardianHeartbeat(): HeartbeatFile | null {
    const file = join(this.inDir, 'heartbeat');
    try {
      const mtime_ms = statSync(file).mtimeMs;
      const hb = JSON.parse(readFileSync(file, 'utf8')) as Partial<HeartbeatFile>;
      if (typeof hb.node_id !== 'string' || typeof hb.last_seq_received !== 'number') return null;
      return { node_id: hb.node_id, last_seq_received: hb.last_seq_received, mtime_ms };
    } catch {
      return null; // not there yet, or caught between write and rename on a platform without atomic rename
    }
  }

  private readAck(): void {
    let ack: number;
    try {
      ack = Number(readFileSync(join(this.outDir, 'ack'), 'utf8').trim());
    } catch {
      return;
    }
    if (!Number.isSafeInteger(ack) || ack < 0 || ack === this.lastAckRead) return;
    this.lastAckRead = ack;
    this.owner.onAck(this, ack);
    const now = this.owner.now_ms();
    for (const [name, f] of this.written) {
      if (f.lastSeq > ack) continue;
      this.rtt.record(now - f.written_ms);
      this.unlinkOwn(name);
    }
  }

  private readIncoming(): void {
    const names = readdirSync(this.inDir).filter((n) => parseSpoolFileName(n)?.ext === 'csv').sort();
    const present = new Set(names);
    for (const name of this.seen.keys()) if (!present.has(name)) this.seen.delete(name);
    for (const name of names) {
      const file = join(this.inDir, name);
      let text: string;
      let key: string;
      try {
        const st = statSync(file);
        key = `${st.mtimeMs}:${st.size}`;
        if (this.seen.get(name) === key) continue; // read already; a rewrite under the same name changes the key
        text = readFileSync(file, 'utf8');
      } catch {
        continue; // deleted by Guardian after our ack: nothing to read
      }
      this.seen.set(name, key);
      for (const line of text.split('\n')) {
        if (line.trim().length === 0) continue;
        const d = decodeSpoolLine(line);
        if (!d.ok) {
          this.noteError(`${name}: ${d.reason}: ${d.detail}`);
          this.owner.onBadInput(this, d.reason, d.detail, d.header, d.text);
          continue;
        }
        if (d.envelope.header.seq > 0) this.owner.onData(this, d.envelope, false);
      }
    }
  }

  // ---- faults --------------------------------------------------------------------------------

  drop(ms: number): void {
    this.refuseUntil_ms = Math.max(this.refuseUntil_ms, this.owner.now_ms() + ms);
    if (this.greeted) this.markDown('dropped by fault');
  }

  stall(ms: number): void {
    // Neither heartbeats nor reads: Guardian sees our heartbeat go stale, we see its.
    this.stalledUntil_ms = this.owner.now_ms() + ms;
  }

  setLatency(ms: number): void {
    this.latency_ms = Math.max(0, ms);
  }

  sendGarbage(): void {
    const file = join(this.outDir, GARBAGE_FILE);
    try {
      writeFileSync(`${file}.tmp`, 'this is not a spool line \u00ff{{{\n');
      renameSync(`${file}.tmp`, file);
    } catch (err) {
      this.noteError(`spool garbage: ${(err as Error).message}`);
    }
    this.later(this.settings.stale_ms, () => this.unlinkOwn(GARBAGE_FILE));
  }

  sendOversize(): void {
    throw new TypeError('the oversize fault is a frame length: it applies to the socket and pipe paths');
  }

  // ---- helpers -------------------------------------------------------------------------------

  private markDown(reason: string): void {
    this.greeted = false;
    this.counters.disconnects++;
    this.counters.last_error = reason;
    this.owner.onDown(this, reason);
  }

  /** Our files left by an earlier run: learn their last seq, so they are deleted once acknowledged. */
  private indexOwnFiles(): void {
    for (const name of readdirSync(this.outDir)) {
      const parsed = parseSpoolFileName(name);
      if (!parsed) continue;
      const file = join(this.outDir, name);
      if (parsed.ext === 'tmp') {
        this.unlinkOwn(name); // never committed: its messages are still in the outbox
        continue;
      }
      try {
        const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
        const lastSeq = Number(lines[lines.length - 1]?.split('\t', 1)[0]);
        if (Number.isSafeInteger(lastSeq)) this.written.set(name, { lastSeq, written_ms: this.owner.now_ms() });
      } catch {
        // unreadable: leave it to the operator
      }
    }
  }

  private unlinkOwn(name: string): void {
    this.written.delete(name);
    try {
      unlinkSync(join(this.outDir, name));
    } catch {
      // gone already
    }
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private noteError(msg: string): void {
    this.counters.errors++;
    this.counters.last_error = msg;
  }
}

function atomicWrite(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

/** The corrupt fault on a line: a timestamp digit changes after the CRC was computed. */
function corruptLine(line: string): string {
  const z = line.indexOf('Z\t');
  const i = z > 0 ? z - 1 : line.length >> 1;
  const c = line.charCodeAt(i);
  const swapped = c >= 0x30 && c <= 0x39 ? String.fromCharCode(0x30 + ((c - 0x30 + 1) % 10)) : c === 0x41 ? 'B' : 'A';
  return line.slice(0, i) + swapped + line.slice(i + 1);
}
