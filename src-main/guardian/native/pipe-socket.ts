// One connection of the native pipe server as a Node stream, so Guardian's framing and router
// take it exactly as they take a net.Socket (data, drain, end, close, destroy). Reads run in a
// loop on the library's worker thread; a read that times out just loops (it keeps no worker busy
// for long, and close wakes it at once).
import { Buffer } from 'node:buffer';
import { Duplex } from 'node:stream';

export type PipeRead = Buffer | 'timeout' | 'closed';

/** The I/O of one accepted connection. */
export interface PipeIo {
  read(max_bytes: number, timeout_ms: number): Promise<PipeRead>;
  /** Resolves when every byte is in the pipe; rejects when the client is gone or stalls. */
  write(bytes: Buffer): Promise<void>;
  close(): void;
}

const READ_BYTES = 65536;
const READ_WAIT_MS = 1000;

export class PipeSocket extends Duplex {
  private reading = false;

  constructor(private readonly io: PipeIo, readonly address: string) {
    // Not half-open: when the client leaves, our side ends too (as a TCP socket does for Guardian).
    super({ allowHalfOpen: false });
  }

  override _read(): void {
    if (this.reading) return;
    this.reading = true;
    void this.pump();
  }

  private async pump(): Promise<void> {
    while (!this.destroyed) {
      let got: PipeRead;
      try {
        got = await this.io.read(READ_BYTES, READ_WAIT_MS);
      } catch (err) {
        this.destroy(err as Error);
        return;
      }
      if (got === 'timeout') continue;
      if (got === 'closed') {
        this.push(null);
        return;
      }
      if (!this.push(got)) {
        this.reading = false; // _read() restarts the loop when the consumer wants more
        return;
      }
    }
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    this.io.write(chunk).then(() => done(), (err: Error) => done(err));
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    this.io.close();
    done(err);
  }
}
