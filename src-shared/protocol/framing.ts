// Length-prefixed framing of the socket and pipe paths (PROTOCOL.md 2): a 4-byte unsigned
// little-endian length N, then N bytes, 1 <= N <= 65536.

export const MAX_FRAME_BYTES = 65536;
/** Bytes of the length prefix. */
export const FRAME_HEADER_BYTES = 4;

export interface FrameSizeError {
  reason: 'FRAME_SIZE';
  /** The length the peer declared (0, or more than the maximum). */
  length: number;
}

export interface PushResult {
  frames: Uint8Array[];
  /** Set on the push that found a bad length; later pushes return no frames and no error. */
  error?: FrameSizeError;
}

/** Writes the 4-byte little-endian length of a frame at `offset`. */
export function writeFrameLength(target: Uint8Array, offset: number, length: number): void {
  target[offset] = length & 0xff;
  target[offset + 1] = (length >>> 8) & 0xff;
  target[offset + 2] = (length >>> 16) & 0xff;
  target[offset + 3] = (length >>> 24) & 0xff;
}

/**
 * One frame: length prefix + body, in a new array. Throws RangeError for an empty body or one over
 * MAX_FRAME_BYTES: the receiver would close the connection on it, so it is a bug on this side.
 */
export function encodeFrame(body: Uint8Array): Uint8Array {
  if (body.length < 1 || body.length > MAX_FRAME_BYTES) {
    throw new RangeError(`FRAME_SIZE: a frame body must be 1..${MAX_FRAME_BYTES} bytes, got ${body.length}`);
  }
  const out = new Uint8Array(FRAME_HEADER_BYTES + body.length);
  writeFrameLength(out, 0, body.length);
  out.set(body, FRAME_HEADER_BYTES);
  return out;
}

/**
 * Turns a byte stream, read in chunks of any size, back into frame bodies.
 *
 * Whole frames inside one chunk come back as `subarray` views of that chunk (no copy): they stay
 * valid as long as the caller does not overwrite the chunk. Only a frame split across chunks is
 * copied, into a buffer of exactly its declared length, so a frame never costs more than
 * max + 4 bytes whatever arrives. A length of 0 or over the maximum desynchronises the stream for
 * good: the decoder reports FRAME_SIZE once, becomes `failed` and ignores all later input (the
 * caller sends ERROR FRAME_SIZE and closes). It never throws.
 */
export class FrameDecoder {
  private readonly max: number;
  /** Bytes of a length prefix split across chunks (0..3 held in `lenBytes`). */
  private readonly lenBytes = new Uint8Array(FRAME_HEADER_BYTES);
  private lenHave = 0;
  /** A frame body split across chunks, allocated at its declared length, and how much is filled. */
  private partial: Uint8Array | null = null;
  private partialHave = 0;
  private dead = false;

  constructor(maxFrameBytes: number = MAX_FRAME_BYTES) {
    // A nonsensical maximum falls back to the protocol's rather than throwing.
    this.max = Number.isSafeInteger(maxFrameBytes) && maxFrameBytes >= 1 ? maxFrameBytes : MAX_FRAME_BYTES;
  }

  /** True while part of a frame (even part of its length) is buffered: the peer is mid-frame. */
  get hasPartial(): boolean {
    return this.lenHave > 0 || this.partial !== null;
  }

  /** True once a bad length was seen; the decoder then ignores all input. */
  get failed(): boolean {
    return this.dead;
  }

  push(chunk: Uint8Array): PushResult {
    const frames: Uint8Array[] = [];
    if (this.dead) return { frames };
    const n = chunk.length;
    let i = 0;

    // 1. Finish a frame body left over from earlier chunks.
    if (this.partial !== null) {
      const buf = this.partial;
      const take = Math.min(buf.length - this.partialHave, n);
      buf.set(take === n ? chunk : chunk.subarray(0, take), this.partialHave);
      this.partialHave += take;
      i = take;
      if (this.partialHave < buf.length) return { frames };
      frames.push(buf);
      this.partial = null;
      this.partialHave = 0;
    }

    // 2. Finish a length prefix left over from earlier chunks.
    if (this.lenHave > 0) {
      while (this.lenHave < FRAME_HEADER_BYTES && i < n) this.lenBytes[this.lenHave++] = chunk[i++]!;
      if (this.lenHave < FRAME_HEADER_BYTES) return { frames };
      this.lenHave = 0;
      const b = this.lenBytes;
      const len = (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
      const error = this.checkLength(len);
      if (error) return { frames, error };
      if (n - i < len) return this.startPartial(chunk, i, len, frames);
      frames.push(chunk.subarray(i, i + len));
      i += len;
    }

    // 3. The fast path: whole frames read straight out of the chunk, as views.
    while (n - i >= FRAME_HEADER_BYTES) {
      const len = (chunk[i]! | (chunk[i + 1]! << 8) | (chunk[i + 2]! << 16) | (chunk[i + 3]! << 24)) >>> 0;
      i += FRAME_HEADER_BYTES;
      const error = this.checkLength(len);
      if (error) return { frames, error };
      if (n - i < len) return this.startPartial(chunk, i, len, frames);
      frames.push(chunk.subarray(i, i + len));
      i += len;
    }

    // 4. Keep the first bytes of the next length prefix.
    while (i < n) this.lenBytes[this.lenHave++] = chunk[i++]!;
    return { frames };
  }

  private checkLength(len: number): FrameSizeError | undefined {
    if (len >= 1 && len <= this.max) return undefined;
    this.dead = true;
    this.lenHave = 0;
    return { reason: 'FRAME_SIZE', length: len };
  }

  private startPartial(chunk: Uint8Array, from: number, len: number, frames: Uint8Array[]): PushResult {
    // Allocated at the declared length (<= max), which was checked before this call.
    const buf = new Uint8Array(len);
    buf.set(chunk.subarray(from), 0);
    this.partial = buf;
    this.partialHave = chunk.length - from;
    return { frames };
  }
}
