// The desktop app, built: electron-vite (main, preload, renderer), the control-plane host
// (build-electron-host.ts), and better-sqlite3 for the given Electron target (electron-native.ts).
// Shared by npm start, npm run dist:win and the Electron end-to-end spec.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildElectronHost } from './build-electron-host';
import { ensureElectronNative, type ElectronTarget, type NativeResult } from './electron-native';

export async function buildDesktopApp(root: string, target: ElectronTarget, nativeDir: string, quiet = false): Promise<NativeResult> {
  const built = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: quiet ? 'pipe' : 'inherit', encoding: 'utf8' });
  if (built.status !== 0) return { ok: false, reason: `electron-vite build failed${quiet ? `:\n${built.stderr}` : ' (see above)'}` };
  await buildElectronHost(root);
  return ensureElectronNative(root, target, nativeDir);
}
