// Test support: the host build of the bridge library, built here when it is missing and cmake
// is installed (only the library target: the full native/build.sh, with its C tests, runs in
// `npm run test:native` after vitest). Several test files may ask at once: one builds, the
// others wait on a lock file. Without cmake the caller skips, saying why.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bridgeLibraryName } from './library-path';

export type HostLibrary = { path: string } | { skip: string };

const STALE_LOCK_MS = 10 * 60_000;

export function hostLibraryForTests(repoRoot = process.cwd()): HostLibrary {
  if (process.platform === 'win32') return { skip: 'the host-build helper is for POSIX; on Windows set GUARDIAN_BRIDGE_LIB to the DLL' };
  const root = resolve(repoRoot);
  const buildDir = join(root, 'native', 'build', 'host');
  const lib = join(buildDir, bridgeLibraryName());
  if (existsSync(lib)) return { path: lib };
  if (!has('cmake') || !has('cc')) {
    return { skip: `${lib} is not built and cmake or a C compiler is missing (apt-get install cmake gcc), so the native bridge tests cannot run` };
  }
  mkdirSync(join(root, 'native', 'build'), { recursive: true });
  const lock = join(root, 'native', 'build', 'host.vitest.lock');
  if (takeLock(lock)) {
    try {
      const steps: string[][] = [
        ['cmake', '-S', join(root, 'native', 'bridge'), '-B', buildDir, '-DCMAKE_BUILD_TYPE=Release'],
        ['cmake', '--build', buildDir, '--target', 'guardian_bridge', '--parallel', '2'],
      ];
      for (const [cmd, ...args] of steps) {
        const r = spawnSync(cmd!, args, { encoding: 'utf8' });
        if (r.status !== 0) return { skip: `building the bridge library failed (${[cmd, ...args].join(' ')}):\n${r.stdout}${r.stderr}` };
      }
    } finally {
      rmSync(lock, { force: true });
    }
  } else {
    waitForLock(lock);
  }
  return existsSync(lib) ? { path: lib } : { skip: `${lib} was not produced by the build` };
}

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function takeLock(lock: string): boolean {
  try {
    if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmSync(lock, { force: true });
    closeSync(openSync(lock, 'wx'));
    return true;
  } catch {
    return false;
  }
}

function waitForLock(lock: string): void {
  const until = Date.now() + STALE_LOCK_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (existsSync(lock) && Date.now() < until) Atomics.wait(pause, 0, 0, 200);
}
