// Bundles the control-plane host (src-main/electron/host/utility-entry.ts and in-process-entry.ts)
// into out/main/host/, after `electron-vite build` has written (and emptied) out/main.
//
// Why a bundle of its own, at that depth: the control plane finds config/, package.json and the
// web console three folders above its own file (import.meta.url + '../../../'), which holds for
// src-main/guardian/config/*.ts and for out/main/host/*.js, in the repo and inside app.asar. It
// also keeps the main process's bundle a thin Electron shell. Dependencies stay external (loaded
// from node_modules, native ones built for Electron: see scripts/electron-native.ts).
//   npx tsx scripts/build-electron-host.ts
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'vite';
import { HOST_DIR, IN_PROCESS_ENTRY, UTILITY_ENTRY } from '../src-main/electron/host/host-bundle';

export const HOST_OUT_DIR = join('out', 'main', HOST_DIR);

export async function buildElectronHost(root = join(import.meta.dirname, '..'), outDir = join(root, HOST_OUT_DIR)): Promise<void> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const external = ['electron', ...Object.keys(pkg.dependencies ?? {}), ...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    build: {
      ssr: true,
      outDir,
      emptyOutDir: true,
      target: 'node22', // Electron 45's Node
      minify: false,
      sourcemap: true,
      rollupOptions: {
        // Named as the main process looks for them (host-bundle.ts).
        input: Object.fromEntries([UTILITY_ENTRY, IN_PROCESS_ENTRY].map((f) => [basename(f, '.js'), join(root, 'src-main', 'electron', 'host', f.replace(/\.js$/, '.ts'))])),
        // A dependency's subpath (koffi/indirect, ws/...) is external too.
        external: (id) => external.some((e) => id === e || id.startsWith(`${e}/`)),
        // Shared code in the same folder, so every file sits at the depth the control plane expects.
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
      },
    },
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await buildElectronHost();
  console.log(`build-electron-host: ${HOST_OUT_DIR}/utility-entry.js and in-process-entry.js written`);
}
