// Is Electron's binary installed? Answered from node_modules/electron's own files, never by
// requiring the package: require('electron') tries to download the binary when it is missing.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ELECTRON_MISSING = "Electron's binary is not installed: run `npx install-electron` where the internet is reachable";

export type ElectronBinary = { found: true; path: string; version: string } | { found: false; reason: string };

function defaultExecutable(platform: NodeJS.Platform): string {
  if (platform === 'win32') return 'electron.exe';
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  return 'electron';
}

export function findElectronBinary(root: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): ElectronBinary {
  const pkgDir = join(root, 'node_modules', 'electron');
  const pkgFile = join(pkgDir, 'package.json');
  if (!existsSync(pkgFile)) return { found: false, reason: 'the electron package is not installed: run npm install' };
  const version = (JSON.parse(readFileSync(pkgFile, 'utf8')) as { version: string }).version;
  const pathTxt = join(pkgDir, 'path.txt');
  const relative = existsSync(pathTxt) ? readFileSync(pathTxt, 'utf8').trim() : defaultExecutable(platform);
  // The package's own override (a binary kept elsewhere, e.g. a CI cache).
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const path = override ? join(override, relative) : join(pkgDir, 'dist', relative);
  if (!existsSync(path)) return { found: false, reason: `${ELECTRON_MISSING} (Electron ${version}; looked for ${path})` };
  return { found: true, path, version };
}
