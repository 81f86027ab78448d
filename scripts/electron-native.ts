// The native modules for Electron, kept apart from Node's so that `npm test` (Node) and
// `npm start` (Electron) both work, in either order, on a fresh clone.
//
// better-sqlite3 is compiled against one ABI. node_modules/better-sqlite3 keeps Node's build
// (what `npm install` made, what the tests load) and is never touched here. Electron's build goes
// into a copy of the package beside the bundles: out/node_modules/better-sqlite3 for `npm start`
// (the bundles in out/main/ resolve it before the root node_modules), or
// build/electron-native/<platform>-<arch>/better-sqlite3 for the installer (electron-builder.yml
// maps it over node_modules/better-sqlite3). A stamp file says which Electron it was built for,
// so the build happens once per Electron version.
//
// How the copy is built: prebuild-install fetches the project's prebuilt binary for Electron
// (GitHub releases); failing that, node-gyp compiles it against Electron's headers
// (electronjs.org). Both need the internet; without it, this fails with what to do.
//
// koffi needs nothing: it is a Node-API module, one binary for Node and Electron alike.
//   npx tsx scripts/electron-native.ts [--platform win32 --arch x64 --out build/electron-native/win32-x64]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface ElectronTarget {
  electron: string;
  platform: NodeJS.Platform;
  arch: string;
}

export interface Stamp extends ElectronTarget {
  module: string;
  version: string;
}

export const STAMP_FILE = '.guardian-electron-build.json';
const MODULE = 'better-sqlite3';

/** Where `npm start` keeps Electron's copy: found by out/main/*.js before the root node_modules. */
export function devNativeDir(root: string): string {
  return join(root, 'out', 'node_modules', MODULE);
}

/** Where the installer build keeps it, per target. */
export function distNativeDir(root: string, t: ElectronTarget): string {
  return join(root, 'build', 'electron-native', `${t.platform}-${t.arch}`, MODULE);
}

export function wantedStamp(root: string, t: ElectronTarget): Stamp {
  const pkg = JSON.parse(readFileSync(join(root, 'node_modules', MODULE, 'package.json'), 'utf8')) as { version: string };
  return { module: MODULE, version: pkg.version, ...t };
}

export function isCurrent(dir: string, want: Stamp): boolean {
  try {
    const have = JSON.parse(readFileSync(join(dir, STAMP_FILE), 'utf8')) as Stamp;
    return (Object.keys(want) as (keyof Stamp)[]).every((k) => have[k] === want[k]) && existsSync(join(dir, 'build', 'Release', 'better_sqlite3.node'));
  } catch {
    return false;
  }
}

export type NativeResult = { ok: true; dir: string; reused: boolean } | { ok: false; reason: string };

export function ensureElectronNative(root: string, t: ElectronTarget, dir: string): NativeResult {
  const want = wantedStamp(root, t);
  if (isCurrent(dir, want)) return { ok: true, dir, reused: true };
  const source = join(root, 'node_modules', MODULE);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dirname(dir), { recursive: true });
  // The package without Node's build: the copy gets Electron's.
  cpSync(source, dir, { recursive: true, filter: (p) => { const r = relative(source, p); return r !== 'build' && !r.startsWith(`build${sep}`); } });

  const env = { ...process.env };
  // npm hands its config to scripts as npm_config_*; a nodedir (Node's headers) would make
  // node-gyp build for Node again. Electron's headers are fetched instead.
  for (const k of Object.keys(env)) if (/^npm_config_(nodedir|target|runtime|arch|disturl|dist_url)$/i.test(k)) delete env[k];
  const tries: { what: string; cmd: string; args: string[] }[] = [];
  const prebuild = join(root, 'node_modules', 'prebuild-install', 'bin.js');
  if (existsSync(prebuild)) {
    tries.push({ what: 'prebuild-install', cmd: process.execPath, args: [prebuild, '--runtime', 'electron', '--target', t.electron, '--platform', t.platform, '--arch', t.arch] });
  }
  const gyp = nodeGyp();
  if (gyp && t.platform === process.platform) {
    tries.push({ what: 'node-gyp', cmd: process.execPath, args: [gyp, 'rebuild', '--release', '--runtime=electron', `--target=${t.electron}`, `--arch=${t.arch}`, '--dist-url=https://electronjs.org/headers'] });
  }
  const failures: string[] = [];
  for (const attempt of tries) {
    const r = spawnSync(attempt.cmd, attempt.args, { cwd: dir, env, encoding: 'utf8' });
    if (r.status === 0 && existsSync(join(dir, 'build', 'Release', 'better_sqlite3.node'))) {
      writeFileSync(join(dir, STAMP_FILE), JSON.stringify(want, null, 2) + '\n');
      return { ok: true, dir, reused: false };
    }
    failures.push(`${attempt.what}: ${telling(`${r.stderr ?? ''}${r.stdout ?? ''}`) ?? `exit ${r.status}`}`);
  }
  rmSync(dir, { recursive: true, force: true });
  return {
    ok: false,
    reason: `${MODULE} could not be built for Electron ${t.electron} (${t.platform}-${t.arch}); node_modules/${MODULE} (Node's build) is untouched.\n`
      + (failures.length ? failures.map((f) => `  ${f}`).join('\n') : '  neither prebuild-install nor node-gyp is available')
      + '\nBoth fetch from the internet (GitHub releases, electronjs.org headers): run this where it is reachable.',
  };
}

/** The line of a tool's output that says what went wrong (a network error first), else its last. */
function telling(output: string): string | undefined {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /ENOTFOUND|ECONNREFUSED|EAI_AGAIN|ETIMEDOUT|network/i.test(l)) ?? lines.at(-1);
}

/** npm's own node-gyp (npm ships one); undefined when it cannot be found. */
function nodeGyp(): string | undefined {
  const candidates: string[] = [];
  if (process.env.npm_execpath) candidates.push(join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  const npm = spawnSync(process.platform === 'win32' ? 'where' : 'which', ['npm'], { encoding: 'utf8' }).stdout?.split('\n')[0]?.trim();
  if (npm) {
    try {
      candidates.push(join(dirname(realpathSync(npm)), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
      candidates.push(join(dirname(realpathSync(npm)), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
    } catch {
      // not resolvable: try the others
    }
  }
  return candidates.find((c) => existsSync(c));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = join(import.meta.dirname, '..');
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const electron = (JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
  const t: ElectronTarget = { electron, platform: (arg('platform') ?? process.platform) as NodeJS.Platform, arch: arg('arch') ?? process.arch };
  const out = arg('out');
  const r = ensureElectronNative(root, t, out ? join(root, out) : t.platform === process.platform && t.arch === process.arch ? devNativeDir(root) : distNativeDir(root, t));
  if (!r.ok) {
    console.error(`electron-native: ${r.reason}`);
    process.exit(1);
  }
  console.log(`electron-native: ${MODULE} for Electron ${t.electron} ${r.reused ? 'already in' : 'built into'} ${relative(root, r.dir)}`);
}
