// The bridge library through koffi: version, CRC-32 against the TypeScript codec, and the
// stand-in when the library is missing (says why, falls back, never throws).
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { crc32 } from '../../../src-shared/protocol';
import { hostLibraryForTests } from './host-library.test-support';
import { loadNativeBridge } from './native-bridge';

const host = hostLibraryForTests();
if ('skip' in host) console.log(`native-bridge.test: SKIPPED: ${host.skip}`);

describe('a missing library', () => {
  it('is unavailable with the reason, and CRC-32 falls back to the TypeScript codec', () => {
    const b = loadNativeBridge({ platform: 'linux', env: {}, repoRoot: '/nowhere' });
    expect(b.available).toBe(false);
    expect(b.reason).toMatch(/not built/);
    expect(b.version()).toBeNull();
    expect(b.crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('a file that is not a library is unavailable too, not a crash', () => {
    const b = loadNativeBridge({ path: new URL(import.meta.url).pathname });
    expect(b.available).toBe(false);
    expect(b.reason).toMatch(/^cannot load /);
  });
});

describe.skipIf('skip' in host)('the built library', () => {
  const bridge = loadNativeBridge({ path: 'path' in host ? host.path : '' });

  it('loads and reports its version', () => {
    expect(bridge.available).toBe(true);
    expect(bridge.reason).toBeNull();
    expect(bridge.version()).toMatch(/^guardian-bridge \d+\.\d+\.\d+ \(GBP 1\.2\)$/);
  });

  it('computes the same CRC-32 as the TypeScript codec', () => {
    expect(bridge.crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    for (const n of [0, 1, 7, 64, 1000, 65536]) {
      const bytes = randomBytes(n);
      expect(bridge.crc32(bytes)).toBe(crc32(bytes));
    }
  });
});
