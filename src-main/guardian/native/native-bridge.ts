// The bridge library seen from Guardian: loaded through koffi when it is there, and when it is
// not (not built, wrong architecture, an old build), a NativeBridge that says why and falls back
// to the TypeScript codec. Loading never throws: a missing DLL must not stop the control plane.
import koffi from 'koffi';
import { crc32 as crc32Ts } from '../../../src-shared/protocol';
import { declareBridge, type BridgeCalls } from './koffi-api';
import { findBridgeLibrary, type LibrarySearch } from './library-path';

export interface NativeBridge {
  readonly available: boolean;
  /** Why the library is not available; null when it is. */
  readonly reason: string | null;
  readonly libraryPath: string | null;
  /** The library's version string, or null when it is not available. */
  version(): string | null;
  /** CRC-32 (IEEE) of the bytes: the library's when available, else the TypeScript codec's. */
  crc32(bytes: Uint8Array): number;
  /** The declared functions, for NativeLoopPeer and the pipe server; null when unavailable. */
  readonly calls: BridgeCalls | null;
}

export class NativeBridgeError extends Error {
  constructor(message: string, readonly code: number | null = null, readonly reason_code: string | null = null) {
    super(message);
    this.name = 'NativeBridgeError';
  }
}

export interface LoadOptions extends LibrarySearch {
  /** Load this file and nothing else (tests, the bench). */
  path?: string;
}

export function loadNativeBridge(options: LoadOptions = {}): NativeBridge {
  const lookup = options.path ? { found: true as const, path: options.path } : findBridgeLibrary(options);
  if (!lookup.found) return unavailable(lookup.reason);
  let calls: BridgeCalls;
  try {
    calls = declareBridge(koffi.load(lookup.path), options.platform, options.arch);
  } catch (err) {
    return unavailable(`cannot load ${lookup.path}: ${(err as Error).message}`);
  }
  return {
    available: true,
    reason: null,
    libraryPath: lookup.path,
    calls,
    version: () => calls.version() as string,
    crc32: (bytes) => (calls.crc32(bytes, bytes.length) as number) >>> 0,
  };
}

/** The stand-in when the library cannot be loaded: it says why, and never throws. */
export function unavailable(reason: string): NativeBridge {
  return {
    available: false,
    reason,
    libraryPath: null,
    calls: null,
    version: () => null,
    crc32: (bytes) => crc32Ts(bytes),
  };
}

/** The PROTOCOL.md name of a gb_error code ("BAD_CHECKSUM"), from the library itself. */
export function errorName(calls: BridgeCalls, code: number): string {
  return calls.errorName(code) as string;
}
