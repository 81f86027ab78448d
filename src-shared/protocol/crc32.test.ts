import { crc32 as zlibCrc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32, crc32Hex } from './crc32';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('crc32', () => {
  it('matches the published check value and known vectors', () => {
    expect(crc32(bytes('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(bytes('a'))).toBe(0xe8b7be43);
    expect(crc32(bytes('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
    expect(crc32(new Uint8Array(32).fill(0xff))).toBe(0xff6cab0b);
  });

  it('agrees with zlib on arbitrary bytes and ranges (every length, so both loops are covered)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), (data, a, b) => {
        const start = data.length ? a % (data.length + 1) : 0;
        const end = start + (data.length - start ? b % (data.length - start + 1) : 0);
        expect(crc32(data)).toBe(zlibCrc32(data));
        expect(crc32(data, start, end)).toBe(zlibCrc32(data.subarray(start, end)));
      }),
      { numRuns: 500 },
    );
  });

  it('clamps out-of-range bounds instead of reading past the array', () => {
    const data = bytes('123456789');
    expect(crc32(data, -5, 99)).toBe(0xcbf43926);
    expect(crc32(data, 5, 2)).toBe(0);
  });
});

describe('crc32Hex', () => {
  it('is 8 upper-case hex digits, zero-padded', () => {
    expect(crc32Hex(0xcbf43926)).toBe('CBF43926');
    expect(crc32Hex(0)).toBe('00000000');
    expect(crc32Hex(0xabc)).toBe('00000ABC');
    expect(crc32Hex(0xffffffff)).toBe('FFFFFFFF');
  });
});
