// CRC-32 (IEEE 802.3, the zlib polynomial 0xEDB88320 reflected), as PROTOCOL.md 3 and 6 require.
// Every frame is checksummed on the way in and out, so this is on the hot path: slice-by-8
// processes 8 bytes per table round instead of 1. The tables are built once, at module load.

const POLY = 0xedb88320;

// TABLES[k * 256 + b] is the CRC of byte b followed by k zero bytes: table k of slice-by-8.
const TABLES = buildTables();

function buildTables(): Int32Array {
  const t = new Int32Array(8 * 256);
  for (let b = 0; b < 256; b++) {
    let c = b;
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[b] = c;
  }
  for (let b = 0; b < 256; b++) {
    let c = t[b]!;
    for (let k = 1; k < 8; k++) {
      c = t[c & 0xff]! ^ (c >>> 8);
      t[k * 256 + b] = c;
    }
  }
  return t;
}

/**
 * CRC-32 of bytes[start, end), as an unsigned 32-bit integer (crc32("123456789") === 0xCBF43926).
 * Out-of-range bounds are clamped, so it never reads outside the array.
 */
export function crc32(bytes: Uint8Array, start = 0, end: number = bytes.length): number {
  const t = TABLES;
  let i = Math.max(0, start | 0);
  const stop = Math.min(bytes.length, end | 0);
  let crc = -1; // ~0: the standard pre-inversion
  // The `!` below are safe: every index is below `stop` <= bytes.length, and table indices are
  // masked to 0..2047. noUncheckedIndexedAccess cannot see either.
  for (const last8 = stop - 8; i <= last8; i += 8) {
    const lo = crc ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    const hi = bytes[i + 4]! | (bytes[i + 5]! << 8) | (bytes[i + 6]! << 16) | (bytes[i + 7]! << 24);
    crc =
      t[1792 + (lo & 0xff)]! ^
      t[1536 + ((lo >>> 8) & 0xff)]! ^
      t[1280 + ((lo >>> 16) & 0xff)]! ^
      t[1024 + (lo >>> 24)]! ^
      t[768 + (hi & 0xff)]! ^
      t[512 + ((hi >>> 8) & 0xff)]! ^
      t[256 + ((hi >>> 16) & 0xff)]! ^
      t[hi >>> 24]!;
  }
  for (; i < stop; i++) crc = t[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

const HEX = '0123456789ABCDEF';

/** 8 upper-case hex digits, zero-padded: the form of the `CRC32:` trailers. */
export function crc32Hex(n: number): string {
  let s = '';
  for (let shift = 28; shift >= 0; shift -= 4) s += HEX[(n >>> shift) & 0xf];
  return s;
}
