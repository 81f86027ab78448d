// electron-builder afterPack hook: sets Electron's fuses (build/electron-fuses.json) on the packed
// executable, before it is signed and wrapped into the installer. Without @electron/fuses it
// stops the build, naming the fuses it could not set: Guardian must not ship without them.
// CommonJS because electron-builder loads hooks with require().
/* global require, exports, console */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose (above) */
const { join } = require('node:path');
const { fuses } = require('./electron-fuses.json');

const wanted = () => Object.entries(fuses).map(([name, on]) => `${name}=${on ? 'on' : 'off'}`).join(', ');

function executable(context) {
  const name = context.packager.appInfo.productFilename;
  switch (context.electronPlatformName) {
    case 'win32': return join(context.appOutDir, `${name}.exe`);
    case 'darwin': return join(context.appOutDir, `${name}.app`);
    default: return join(context.appOutDir, context.packager.executableName ?? name);
  }
}

exports.default = async function afterPack(context) {
  let lib;
  try {
    lib = require('@electron/fuses');
  } catch {
    throw new Error(`afterPack: @electron/fuses is not installed (npm install -D @electron/fuses), so the fuses cannot be set: ${wanted()}. Refusing to package without them.`);
  }
  const config = { version: lib.FuseVersion.V1, resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' };
  for (const [name, on] of Object.entries(fuses)) {
    if (!(name in lib.FuseV1Options)) throw new Error(`afterPack: this @electron/fuses has no fuse ${name}; update it (wanted: ${wanted()})`);
    config[lib.FuseV1Options[name]] = on;
  }
  await lib.flipFuses(executable(context), config);
  console.log(`afterPack: fuses set on ${executable(context)}: ${wanted()}`);
};
