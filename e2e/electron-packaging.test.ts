// The Windows packaging as issue 5 asks for it: electron-builder.yml, the fuses the afterPack hook
// sets (and its refusal to package without @electron/fuses), the icons, and `npm start` /
// `npm run dist:win` failing with a plain message where they cannot run.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse } from 'yaml';
import { findElectronBinary } from '../scripts/electron-binary';
import { distProblems } from '../scripts/electron-dist';

const root = join(import.meta.dirname, '..');
const builder = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown> & {
  win: { target: { target: string; arch: string[] }[]; icon: string };
  asarUnpack: string[];
  extraResources: { from: string; to: string }[];
  files: (string | { from: string; to: string })[];
};
const require = createRequire(import.meta.url);

describe('electron-builder.yml', () => {
  it('builds Guardian for Windows as an NSIS installer and a portable exe, per user', () => {
    expect(builder.appId).toBe('com.guardian.console');
    expect(builder.productName).toBe('Guardian');
    expect(builder.win.target.map((t) => t.target)).toEqual(['nsis', 'portable']);
    expect(builder.win.target.every((t) => t.arch.includes('x64'))).toBe(true);
    expect((builder.nsis as { perMachine: boolean; deleteAppDataOnUninstall: boolean })).toMatchObject({ perMachine: false, deleteAppDataOnUninstall: false });
    expect(existsSync(join(root, builder.win.icon))).toBe(true);
  });

  it('ships the native DLLs and config/ beside the app, and keeps native modules out of the archive', () => {
    const extra = Object.fromEntries(builder.extraResources.map((e) => [e.to, e.from]));
    expect(extra['native/guardian_bridge.dll']).toBe('native/build/dist/win64/guardian_bridge.dll');
    expect(extra['mt4/MQL4/Libraries/guardian_bridge.dll']).toBe('native/build/dist/win32/guardian_bridge.dll');
    expect(extra.config).toBe('config');
    expect(extra.icons).toBe('resources');
    expect(builder.asarUnpack).toEqual(expect.arrayContaining(['node_modules/better-sqlite3/**', 'node_modules/koffi/**']));
    expect(builder.asar).toBe(true);
  });

  it('packs Electron\'s better-sqlite3, never rebuilding the one the tests use', () => {
    expect(builder.npmRebuild).toBe(false);
    expect(builder.files).toContain('!node_modules/better-sqlite3/**');
    expect(builder.files).toContainEqual(expect.objectContaining({ from: 'build/electron-native/win32-x64/better-sqlite3', to: 'node_modules/better-sqlite3' }));
    expect(builder.files).toEqual(expect.arrayContaining(['out/main/**', 'out/preload/**', 'out/renderer/**', 'config/**']));
  });

  it('sets exactly the fuses the issue names, in an afterPack hook', () => {
    expect(builder.afterPack).toBe('build/after-pack.cjs');
    const { fuses } = JSON.parse(readFileSync(join(root, 'build', 'electron-fuses.json'), 'utf8')) as { fuses: Record<string, boolean> };
    expect(fuses).toMatchObject({
      RunAsNode: false,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
    });
  });

  it('flips those fuses in the packed executable with @electron/fuses', async () => {
    // A stand-in for Guardian.exe: Electron's fuse wire (sentinel, version 1, 8 fuses, all off) amid other bytes.
    const dir = mkdtempSync(join(tmpdir(), 'guardian-fuses-'));
    try {
      const sentinel = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
      writeFileSync(join(dir, 'Guardian.exe'), Buffer.concat([Buffer.alloc(4096, 0x90), Buffer.from(sentinel), Buffer.from([1, 8]), Buffer.from('00000000'), Buffer.alloc(4096, 0x90)]));
      const hook = require(join(root, 'build', 'after-pack.cjs')) as { default(ctx: unknown): Promise<void> };
      await hook.default({ electronPlatformName: 'win32', appOutDir: dir, packager: { appInfo: { productFilename: 'Guardian' } } });
      const exe = readFileSync(join(dir, 'Guardian.exe'));
      const at = exe.indexOf(sentinel) + sentinel.length + 2;
      // RunAsNode, CookieEncryption (untouched), NodeOptions, Inspect, AsarIntegrity, OnlyLoadFromAsar, the rest untouched.
      expect(exe.subarray(at, at + 8).toString()).toBe('00001100');
      expect(exe.length).toBe(4096 + sentinel.length + 2 + 8 + 4096);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('without @electron/fuses, the hook stops the build and names the fuses', async () => {
    // The hook and its fuse list copied where no node_modules can be found: as on a machine without the package.
    const dir = mkdtempSync(join(tmpdir(), 'guardian-nofuses-'));
    try {
      copyFileSync(join(root, 'build', 'after-pack.cjs'), join(dir, 'after-pack.cjs'));
      copyFileSync(join(root, 'build', 'electron-fuses.json'), join(dir, 'electron-fuses.json'));
      const hook = require(join(dir, 'after-pack.cjs')) as { default(ctx: unknown): Promise<void> };
      const context = { electronPlatformName: 'win32', appOutDir: dir, packager: { appInfo: { productFilename: 'Guardian' } } };
      await expect(hook.default(context)).rejects.toThrow(/@electron\/fuses is not installed \(npm install -D @electron\/fuses\).*RunAsNode=off, EnableNodeOptionsEnvironmentVariable=off, EnableNodeCliInspectArguments=off, EnableEmbeddedAsarIntegrityValidation=on, OnlyLoadAppFromAsar=on/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the icons', () => {
  it('have an SVG source and PNG/ICO renders', () => {
    for (const f of ['build/icon.svg', 'build/tray-icon.svg', 'build/icon.png', 'build/icon.ico', 'resources/icon.png']) expect(existsSync(join(root, f)), f).toBe(true);
    const ico = readFileSync(join(root, 'build', 'icon.ico'));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]); // an icon resource
    expect(ico.readUInt16LE(4)).toBeGreaterThanOrEqual(6); // 16 .. 256 px
  });
});

const tsx = (script: string) => spawnSync(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'scripts', script)], { cwd: root, encoding: 'utf8', timeout: 60_000 });

describe('where the Electron app cannot be built or run', () => {
  const distReady = distProblems().length === 0;
  const binary = findElectronBinary(root).found;
  if (distReady) console.log('SKIPPED: dist:win problem list: nothing is missing for dist:win here, so it would build rather than list problems');
  if (binary) console.log("SKIPPED: npm start's missing-binary message: Electron's binary is installed here");
  it.skipIf(distReady)('npm run dist:win lists what is missing, with no stack trace', () => {
    const r = tsx('electron-dist.ts');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^dist:win: cannot build the Windows installer here:\n {2}- /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.skipIf(binary)('npm start says Electron\'s binary is missing and how to get it', () => {
    const r = tsx('electron-start.ts');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("npm start: Electron's binary is not installed: run `npx install-electron` where the internet is reachable");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
