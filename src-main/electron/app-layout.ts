// Where the desktop app's pieces are, from where the main bundle itself is (out/main, in the repo
// or inside app.asar), so the app works however Electron was pointed at it (`electron .` or
// `electron out/main/index.js`), and from the resources folder when packaged. Pure.
import { join } from 'node:path';

export interface AppLayout {
  rendererDir: string;
  preloadFile: string;
  /** Icons for the window, the tray and notifications. */
  iconsDir: string;
  /** config/guardian.yaml: the operator's editable copy when packaged (an extra resource). */
  configDir: string;
  /** Passed to the native bridge lookup: the packaged DLL sits in <resourcesDir>/native. */
  resourcesDir: string | undefined;
  /** The repo root in development (native/build/...), undefined when packaged. */
  repoRoot: string | undefined;
}

export function appLayout(o: { mainDir: string; resourcesPath: string; isPackaged: boolean }): AppLayout {
  const appRoot = join(o.mainDir, '..', '..');
  return {
    rendererDir: join(o.mainDir, '..', 'renderer'),
    preloadFile: join(o.mainDir, '..', 'preload', 'index.cjs'),
    // Packaged, resources/ is copied beside app.asar (extraResources): icons are real files
    // there, which the OS tray and notifications need.
    iconsDir: o.isPackaged ? join(o.resourcesPath, 'icons') : join(appRoot, 'resources'),
    configDir: o.isPackaged ? join(o.resourcesPath, 'config') : join(appRoot, 'config'),
    resourcesDir: o.isPackaged ? o.resourcesPath : undefined,
    repoRoot: o.isPackaged ? undefined : appRoot,
  };
}
