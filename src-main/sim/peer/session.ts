// What the client needs from one path (socket, pipe or spool) and what a path tells the client.
// The client owns the streams and chooses the active path; a session only moves bytes, greets,
// pings and watches its own health.
import type { Envelope, ErrorPayload, HelloAckPayload, HelloPayload, PathName } from '../../../src-shared/protocol';
import type { OutboundFrame } from '../../guardian/router';
import { RttSamples } from './rtt';

export interface PathCounters {
  sent: number;
  acked: number;
  resent: number;
  errors: number;
  connects: number;
  disconnects: number;
  last_error: string | null;
}

export function newCounters(): PathCounters {
  return { sent: 0, acked: 0, resent: 0, errors: 0, connects: 0, disconnects: 0, last_error: null };
}

export interface PathSession {
  readonly path: PathName;
  readonly counters: PathCounters;
  readonly rtt: RttSamples;
  start(): void;
  /** Closes for good (no reconnect). */
  stop(): void;
  /** Connected and greeted. */
  get connected(): boolean;
  /** Greeted and heard from within the silence window: fit to carry data. */
  isUp(now_ms: number): boolean;
  /** Room to send now (a full kernel buffer says no). */
  canSend(): boolean;
  sendData(frames: OutboundFrame[]): void;
  sendAck(seq: number): void;
  tick(now_ms: number): void;
  // fault hooks
  drop(ms: number): void;
  stall(ms: number): void;
  setLatency(ms: number): void;
  sendGarbage(): void;
  sendOversize(): void;
}

/** The client, as the sessions see it. */
export interface SessionOwner {
  now_ms(): number;
  /** HELLO as it stands now (last_seq_received moves). */
  hello(): HelloPayload;
  /** Greeted: Guardian says where it stands (HELLO_ACK, or Guardian's spool heartbeat file). */
  onReady(session: PathSession, ack: HelloAckPayload): void;
  /** The connection went away (or the spool went stale). */
  onDown(session: PathSession, reason: string): void;
  onAck(session: PathSession, ackSeq: number): void;
  /** `body` is the frame's bytes when they came whole off a stream: stored as they are, not re-serialised. */
  onData(session: PathSession, env: Envelope, legacy: boolean, body?: Uint8Array): void;
  /** A message from Guardian that could not be read (section 7); `seq` when its header was readable. */
  onBadInput(session: PathSession, reason: string, detail: string, header: { stream?: string; seq?: number; message_id?: string } | undefined, text: string | undefined): void;
  onPeerError(session: PathSession, error: ErrorPayload): void;
  /** A heartbeat echo came back after `ms`. */
  onEcho(session: PathSession, ms: number): void;
  /** A full send buffer drained. */
  onWritable(session: PathSession): void;
  /** The corrupt-next fault: returns the frame to put on the wire (a changed copy, or the same). */
  wireFrame(frame: Uint8Array, seq: number): Uint8Array;
}
