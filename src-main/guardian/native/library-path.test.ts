import { describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { bridgeLibraryCandidates, bridgeLibraryName, findBridgeLibrary } from './library-path';

describe('where the bridge library is looked for', () => {
  it('names the library per platform', () => {
    expect(bridgeLibraryName('win32')).toBe('guardian_bridge.dll');
    expect(bridgeLibraryName('linux')).toBe('libguardian_bridge.so');
    expect(bridgeLibraryName('darwin')).toBe('libguardian_bridge.dylib');
  });

  it('tries the explicit variable, then the shipped copy, then the repo build', () => {
    const got = bridgeLibraryCandidates({ platform: 'linux', env: { GUARDIAN_BRIDGE_LIB: '/opt/x.so' }, repoRoot: '/repo', resourcesDir: '/app/resources' });
    expect(got).toEqual([resolve('/opt/x.so'), join('/app/resources', 'native', 'libguardian_bridge.so'), join(resolve('/repo'), 'native', 'build', 'host', 'libguardian_bridge.so')]);
  });

  it('on Windows takes the DLL of its own architecture (MT4 is 32-bit, Node usually 64)', () => {
    expect(bridgeLibraryCandidates({ platform: 'win32', arch: 'x64', env: {}, repoRoot: '/r' })).toEqual([join(resolve('/r'), 'native', 'build', 'dist', 'win64', 'guardian_bridge.dll')]);
    expect(bridgeLibraryCandidates({ platform: 'win32', arch: 'ia32', env: {}, repoRoot: '/r' })[0]).toContain(join('dist', 'win32'));
  });

  it('says what it looked for when nothing is there', () => {
    const r = findBridgeLibrary({ platform: 'linux', env: {}, repoRoot: '/nowhere' }, () => false);
    expect(r.found).toBe(false);
    expect(!r.found && r.reason).toMatch(/not built: none of .*libguardian_bridge\.so exists \(run native\/build\.sh, or set GUARDIAN_BRIDGE_LIB\)/);
  });
});
