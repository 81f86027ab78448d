// Where the desktop app's pieces are, from the two facts Electron gives: the app path (the repo
// when run with `electron .`, resources/app.asar when packaged) and the resources folder. Pure.
import { join } from 'node:path';

export interface AppLayout {
  rendererDir: string;
  preloadFile: string;
  /** Icons for the window and the tray. */
  iconsDir: string;
  /** config/guardian.yaml and its schema: shipped as an extra resource when packaged. */
  configDir: string;
  /** Passed to the native bridge lookup: the packaged DLL sits in <resourcesDir>/native. */
  resourcesDir: string | undefined;
  /** The repo root in development (native/build/...), undefined when packaged. */
  repoRoot: string | undefined;
}

export function appLayout(o: { appPath: string; resourcesPath: string; isPackaged: boolean }): AppLayout {
  return {
    rendererDir: join(o.appPath, 'out', 'renderer'),
    preloadFile: join(o.appPath, 'out', 'preload', 'index.cjs'),
    // Packaged, resources/ is copied beside app.asar (extraResources): icons are real files
    // there, which the OS tray and notifications need.
    iconsDir: o.isPackaged ? join(o.resourcesPath, 'icons') : join(o.appPath, 'resources'),
    configDir: o.isPackaged ? join(o.resourcesPath, 'config') : join(o.appPath, 'config'),
    resourcesDir: o.isPackaged ? o.resourcesPath : undefined,
    repoRoot: o.isPackaged ? undefined : o.appPath,
  };
}
