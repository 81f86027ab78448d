import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameDecoder, MAX_FRAME_BYTES, encodeFrame } from './framing';

const le32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const concat = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
/** Cuts `data` at the given points (any numbers, reduced modulo its length). */
const cut = (data: Uint8Array, points: number[]): Uint8Array[] => {
  const at = [...new Set(points.map((p) => (data.length ? p % (data.length + 1) : 0)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...at, data.length]) {
    out.push(data.slice(prev, p));
    prev = p;
  }
  return out;
};

describe('encodeFrame', () => {
  it('prefixes the body with its 4-byte little-endian length', () => {
    const body = new Uint8Array(300).fill(7);
    const frame = encodeFrame(body);
    expect([...frame.subarray(0, 4)]).toEqual([0x2c, 0x01, 0, 0]);
    expect(frame.subarray(4)).toEqual(body);
  });

  it('refuses bodies the receiver would reject (0 and over 65536 bytes)', () => {
    expect(() => encodeFrame(new Uint8Array(0))).toThrow(RangeError);
    expect(() => encodeFrame(new Uint8Array(MAX_FRAME_BYTES + 1))).toThrow(/FRAME_SIZE/);
    expect(encodeFrame(new Uint8Array(MAX_FRAME_BYTES)).length).toBe(MAX_FRAME_BYTES + 4);
  });
});

describe('FrameDecoder', () => {
  it('returns whole frames of one chunk as views of it, without copying', () => {
    const chunk = concat([encodeFrame(Uint8Array.of(1, 2, 3)), encodeFrame(Uint8Array.of(4))]);
    const { frames, error } = new FrameDecoder().push(chunk);
    expect(error).toBeUndefined();
    expect(frames.map((f) => [...f])).toEqual([[1, 2, 3], [4]]);
    expect(frames.every((f) => f.buffer === chunk.buffer)).toBe(true);
  });

  it('buffers a frame split inside its length prefix and inside its body', () => {
    const d = new FrameDecoder();
    const frame = encodeFrame(Uint8Array.of(9, 8, 7, 6, 5));
    expect(d.push(frame.subarray(0, 2)).frames).toEqual([]);
    expect(d.hasPartial).toBe(true);
    expect(d.push(frame.subarray(2, 6)).frames).toEqual([]);
    expect(d.hasPartial).toBe(true);
    const { frames } = d.push(concat([frame.subarray(6), encodeFrame(Uint8Array.of(1))]));
    expect(frames.map((f) => [...f])).toEqual([[9, 8, 7, 6, 5], [1]]);
    expect(d.hasPartial).toBe(false);
  });

  it('accepts a frame of exactly the maximum', () => {
    const body = new Uint8Array(MAX_FRAME_BYTES).fill(0x41);
    const d = new FrameDecoder();
    const frame = encodeFrame(body);
    expect(d.push(frame.subarray(0, 1000)).frames).toEqual([]);
    const { frames, error } = d.push(frame.subarray(1000));
    expect(error).toBeUndefined();
    expect(frames).toHaveLength(1);
    expect(frames[0]).toEqual(body);
  });

  it.each([
    ['0', 0],
    ['65537', MAX_FRAME_BYTES + 1],
    ['4 GiB - 1', 0xffffffff],
  ])('reports FRAME_SIZE for a declared length of %s, then ignores everything', (_name, length) => {
    const d = new FrameDecoder();
    const good = encodeFrame(Uint8Array.of(1, 2));
    const { frames, error } = d.push(concat([good, Uint8Array.from(le32(length)), good]));
    expect(frames.map((f) => [...f])).toEqual([[1, 2]]); // the frame before the bad length still counts
    expect(error).toEqual({ reason: 'FRAME_SIZE', length });
    expect(d.failed).toBe(true);
    expect(d.push(good)).toEqual({ frames: [] });
    expect(d.hasPartial).toBe(false);
  });

  it('reports FRAME_SIZE for a bad length split across chunks', () => {
    const d = new FrameDecoder();
    expect(d.push(Uint8Array.of(0x01, 0x00)).error).toBeUndefined();
    expect(d.push(Uint8Array.of(0x01, 0x00)).error).toEqual({ reason: 'FRAME_SIZE', length: 65537 });
  });

  it('honours a smaller maximum', () => {
    const d = new FrameDecoder(10);
    expect(d.push(encodeFrame(new Uint8Array(10))).frames).toHaveLength(1);
    expect(d.push(encodeFrame(new Uint8Array(11))).error).toEqual({ reason: 'FRAME_SIZE', length: 11 });
  });

  it('never throws on arbitrary bytes in arbitrary chunks, and never yields an empty or oversized frame', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2000 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        fc.integer({ min: 1, max: 600 }),
        (data, points, max) => {
          const d = new FrameDecoder(max);
          let errors = 0;
          for (const chunk of cut(data, points)) {
            const { frames, error } = d.push(chunk);
            if (error) errors++;
            for (const f of frames) {
              expect(f.length).toBeGreaterThanOrEqual(1);
              expect(f.length).toBeLessThanOrEqual(max);
            }
          }
          expect(errors).toBeLessThanOrEqual(1);
          expect(d.failed).toBe(errors === 1);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reassembles valid frames exactly, however the stream is cut', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (bodies, points) => {
          const d = new FrameDecoder();
          const got: Uint8Array[] = [];
          for (const chunk of cut(concat(bodies.map(encodeFrame)), points)) {
            const { frames, error } = d.push(chunk);
            expect(error).toBeUndefined();
            // Copy at once: views are valid only while their chunk is.
            got.push(...frames.map((f) => f.slice()));
          }
          expect(got).toEqual(bodies);
          expect(d.hasPartial).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});
