// npm start: build the desktop app (electron-vite, then the control-plane host), give Electron its
// own better-sqlite3 (scripts/electron-native.ts: the copy the tests load is never touched), and
// run it. Arguments after `--` go to the app: npm start -- --in-process --data-dir /tmp/g
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildDesktopApp } from './build-desktop-app';
import { findElectronBinary } from './electron-binary';
import { devNativeDir } from './electron-native';

const root = join(import.meta.dirname, '..');
const fail = (message: string): never => {
  console.error(`npm start: ${message}`);
  process.exit(1);
};

async function main(): Promise<void> {
  // First, so a machine without the binary learns it before waiting for a build.
  const bin = findElectronBinary(root);
  if (!bin.found) return fail(bin.reason);

  console.log('npm start: building the app');
  const native = await buildDesktopApp(root, { electron: bin.version, platform: process.platform, arch: process.arch }, devNativeDir(root));
  if (!native.ok) return fail(native.reason);
  if (!native.reused) console.log(`npm start: better-sqlite3 built for Electron ${bin.version} in out/node_modules (Node's copy untouched)`);

  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE; // would start Electron as plain Node
  const child = spawn(bin.path, ['.', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
}
