// Where the bridge library is: an explicit path (GUARDIAN_BRIDGE_LIB), the copy shipped beside
// the desktop app (resources/native), or the repo's own build (native/build). Pure: the caller
// says which platform, which folders and which variables to consider.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const BRIDGE_LIBRARY_ENV = 'GUARDIAN_BRIDGE_LIB';

export interface LibrarySearch {
  platform?: NodeJS.Platform;
  arch?: string;
  env?: NodeJS.ProcessEnv;
  /** The repo (or app) root holding native/build; default: the working directory. */
  repoRoot?: string;
  /** The desktop app's resources folder (its `native/` holds the shipped DLL). */
  resourcesDir?: string;
}

export function bridgeLibraryName(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return 'guardian_bridge.dll';
  if (platform === 'darwin') return 'libguardian_bridge.dylib';
  return 'libguardian_bridge.so';
}

/** Every place the library may be, most specific first. */
export function bridgeLibraryCandidates(search: LibrarySearch = {}): string[] {
  const platform = search.platform ?? process.platform;
  const arch = search.arch ?? process.arch;
  const env = search.env ?? process.env;
  const root = resolve(search.repoRoot ?? process.cwd());
  const name = bridgeLibraryName(platform);
  const out: string[] = [];
  const explicit = env[BRIDGE_LIBRARY_ENV];
  if (explicit) out.push(resolve(explicit));
  if (search.resourcesDir) out.push(join(search.resourcesDir, 'native', name));
  if (platform === 'win32') {
    // native/build.sh --windows leaves one DLL per Windows architecture; Node loads its own.
    out.push(join(root, 'native', 'build', 'dist', arch === 'ia32' ? 'win32' : 'win64', name));
  } else {
    out.push(join(root, 'native', 'build', 'host', name));
  }
  return out;
}

export type LibraryLookup = { found: true; path: string } | { found: false; reason: string };

export function findBridgeLibrary(search: LibrarySearch = {}, exists: (p: string) => boolean = existsSync): LibraryLookup {
  const candidates = bridgeLibraryCandidates(search);
  const path = candidates.find((p) => exists(p));
  if (path) return { found: true, path };
  return {
    found: false,
    reason: `the bridge library is not built: none of ${candidates.join(', ')} exists (run native/build.sh, or set ${BRIDGE_LIBRARY_ENV})`,
  };
}
