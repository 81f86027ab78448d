// The desktop app (electron-vite 5): main process, preload and the renderer (the same console as
// vite.web.config.ts). Native modules stay outside the bundle: they are loaded from node_modules
// at run time, built for Electron's ABI.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const NATIVE = ['better-sqlite3', 'koffi'];
const here = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: resolve(here, 'out/main'),
      externalizeDeps: { include: NATIVE },
      rollupOptions: {
        // out/main/index.js, as package.json's "main" says.
        input: { index: resolve(here, 'src-main/electron/main.ts') },
        external: NATIVE,
      },
    },
  },
  preload: {
    // A sandboxed renderer (contextIsolation + sandbox) can only run a CommonJS preload with
    // nothing to require but electron: so bundle everything, and emit out/preload/index.cjs.
    build: {
      outDir: resolve(here, 'out/preload'),
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(here, 'src-main/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(here, 'src-renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(here, 'out/renderer'),
      rollupOptions: { input: { index: resolve(here, 'src-renderer/index.html') } },
    },
  },
});
