// npm run dist:win: Guardian's Windows installer (NSIS) and portable build, with electron-builder
// (electron-builder.yml). Everything it needs is checked first and every missing piece is named
// with how to get it, so a machine that cannot build says why instead of failing halfway.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildDesktopApp } from './build-desktop-app';
import { distNativeDir } from './electron-native';

const root = join(import.meta.dirname, '..');
const TARGET = { platform: 'win32' as const, arch: 'x64' };
/** Debian's wine64 package puts its loader here, off the PATH. */
const DEBIAN_WINE = '/usr/lib/wine/wine64';

const installed = (name: string) => existsSync(join(root, 'node_modules', name, 'package.json'));
const has = (cmd: string) => spawnSync(process.platform === 'win32' ? 'where' : 'sh', process.platform === 'win32' ? [cmd] : ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const versionOf = (name: string) => (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

/** Everything missing for a Windows build here, each with its remedy; empty when all is in place. */
export function distProblems(): string[] {
  const p: string[] = [];
  if (!installed('electron-builder')) p.push('electron-builder is not installed: npm install -D electron-builder');
  if (!installed('@electron/fuses')) p.push('@electron/fuses is not installed: npm install -D @electron/fuses (the afterPack hook sets the fuses and refuses to ship without them)');
  for (const [dir, what] of [['win64', 'the 64-bit bridge DLL Guardian loads'], ['win32', 'the 32-bit bridge DLL for MT4']]) {
    if (!existsSync(join(root, 'native', 'build', 'dist', dir!, 'guardian_bridge.dll'))) p.push(`${what} is not built: native/build.sh --windows (needs mingw-w64)`);
  }
  if (!installed(`@koromix/koffi-${TARGET.platform}-${TARGET.arch}`)) {
    p.push(`koffi's Windows binary is not installed: npm install --no-save --force @koromix/koffi-${TARGET.platform}-${TARGET.arch}@${versionOf('koffi')}`);
  }
  if (process.platform !== 'win32' && !has('wine') && !has('wine64') && !existsSync(DEBIAN_WINE)) p.push('building a Windows installer off Windows needs `wine` on the PATH (electron-builder runs rcedit and NSIS under it), or run this on Windows');
  return p;
}

async function main(): Promise<void> {
  const problems = distProblems();
  if (problems.length) {
    console.error(`dist:win: cannot build the Windows installer here:\n${problems.map((x) => `  - ${x}`).join('\n')}`);
    console.error('dist:win: also needs the internet: electron-builder downloads Electron for Windows, and better-sqlite3 is fetched prebuilt for it.');
    process.exit(1);
  }
  if (process.platform !== 'win32' && !has('wine64') && existsSync(DEBIAN_WINE)) process.env.PATH = `${process.env.PATH ?? ''}:/usr/lib/wine`;
  const target = { electron: versionOf('electron'), ...TARGET };
  const native = await buildDesktopApp(root, target, distNativeDir(root, target));
  if (!native.ok) throw new Error(native.reason);
  // A module name in a variable: electron-builder is optional, and absent here when not installed.
  const builderName = 'electron-builder';
  const builder = (await import(builderName)) as { build(o: object): Promise<string[]>; Platform: { WINDOWS: { createTarget(t: string[], ...arch: number[]): unknown } }; Arch: Record<string, number> };
  const files = await builder.build({ targets: builder.Platform.WINDOWS.createTarget(['nsis', 'portable'], builder.Arch.x64!), config: join(root, 'electron-builder.yml') });
  console.log(`dist:win: built\n${files.map((f) => `  ${f}`).join('\n')}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(`dist:win: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
