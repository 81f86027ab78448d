// One stream connection (TCP socket, named pipe or Unix domain socket) carrying frames of
// PROTOCOL.md section 2: decodes what arrives, corks what leaves, and watches for a peer
// that stalls mid-frame.
import type { Duplex } from 'node:stream';
import { FrameDecoder } from '../../../src-shared/protocol';
import type { PathName } from '../../../src-shared/protocol';

/**
 * What a connection needs of its stream: a net.Socket, or the native secure pipe's stream on
 * Windows (guardian/native PipeSocket), which has no address and no Nagle to turn off.
 */
export type StreamSocket = Duplex & {
  remoteAddress?: string;
  remotePort?: number;
  setNoDelay?(noDelay: boolean): unknown;
};

/** How long a closed connection still reads (and drops) what its peer sends, so that the peer reads our last words. */
const LINGER_MS = 1000;

export interface ConnectionHandlers {
  onFrame(body: Uint8Array): void;
  /** The stream is desynchronised (FRAME_SIZE) or stalled (FRAME_TIMEOUT); the connection closes after. */
  onFrameError(reason: 'FRAME_SIZE' | 'FRAME_TIMEOUT', detail: string): void;
  onClose(reason: string): void;
}

export interface ConnectionOptions {
  maxFrameBytes: number;
  frameTimeout_ms: number;
}

let nextConnectionId = 1;

export class FramedConnection {
  readonly id = nextConnectionId++;
  readonly remote: string;
  private readonly decoder: FrameDecoder;
  private corked = false;
  private closed = false;
  private stallTimer: NodeJS.Timeout | undefined;
  bytesIn = 0;
  bytesOut = 0;
  framesIn = 0;
  framesOut = 0;

  constructor(
    private readonly socket: StreamSocket,
    readonly path: PathName,
    private readonly opts: ConnectionOptions,
    private readonly handlers: ConnectionHandlers,
  ) {
    this.remote = socket.remoteAddress ? `${socket.remoteAddress}:${socket.remotePort}` : `${path}#${this.id}`;
    this.decoder = new FrameDecoder(opts.maxFrameBytes);
    socket.setNoDelay?.(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => this.close(err.code ?? err.message));
    socket.on('close', () => this.close('closed by peer'));
    // A full send buffer must not grow without bound: the router checks `writable` and waits.
    socket.on('drain', () => this.onDrain?.());
  }

  /** Called when a full send buffer has drained. */
  onDrain: (() => void) | undefined;

  get isClosed(): boolean {
    return this.closed;
  }

  /** True while the kernel buffer accepts more without queueing in memory. */
  get writable(): boolean {
    return !this.closed && !this.socket.writableNeedDrain;
  }

  send(frame: Uint8Array): boolean {
    if (this.closed) return false;
    if (!this.corked) {
      // Frames written in one tick leave in one syscall.
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        if (!this.closed) this.socket.uncork();
      });
    }
    this.bytesOut += frame.length;
    this.framesOut++;
    return this.socket.write(frame);
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    if (this.stallTimer) clearTimeout(this.stallTimer);
    if (this.corked) this.socket.uncork();
    // A lingering close: our side ends (the ERROR that said why goes first, then FIN) while what
    // the peer still sends is read and dropped, until it closes or LINGER_MS pass. Destroyed at
    // once, the next heartbeat the peer wrote found the connection gone (EPIPE, or a reset) and
    // its socket died with our ERROR unread: it reconnected never knowing why.
    this.socket.end();
    setTimeout(() => this.socket.destroy(), LINGER_MS).unref();
    this.handlers.onClose(reason);
  }

  /** Closes at once, dropping anything unsent (fault injection, kill). */
  destroy(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.socket.destroy();
    this.handlers.onClose(reason);
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.bytesIn += chunk.length;
    const { frames, error } = this.decoder.push(chunk);
    for (const f of frames) {
      this.framesIn++;
      this.handlers.onFrame(f);
      if (this.closed) return;
    }
    if (error) {
      this.handlers.onFrameError('FRAME_SIZE', `frame length ${error.length} is outside 1..${this.opts.maxFrameBytes}`);
      this.close('FRAME_SIZE');
      return;
    }
    this.watchStall();
  }

  private watchStall(): void {
    if (!this.decoder.hasPartial) {
      if (this.stallTimer) clearTimeout(this.stallTimer);
      this.stallTimer = undefined;
      return;
    }
    if (this.stallTimer) return; // the clock runs from the first byte of the partial frame
    this.stallTimer = setTimeout(() => {
      this.stallTimer = undefined;
      if (this.closed || !this.decoder.hasPartial) return;
      this.handlers.onFrameError('FRAME_TIMEOUT', `peer stalled mid-frame for over ${this.opts.frameTimeout_ms} ms`);
      this.close('FRAME_TIMEOUT');
    }, this.opts.frameTimeout_ms);
    this.stallTimer.unref();
  }
}
