// The console window's options, in one place so a test can hold them to the security rules:
// an isolated, sandboxed renderer with no Node, web security on, nothing that can open or embed
// other content. The type comes from electron; nothing here runs Electron.
import type { BrowserWindowConstructorOptions } from 'electron';

export interface ConsoleWindowInputs {
  preloadPath: string;
  iconPath?: string;
  /** Developer tools only in an unpackaged build. */
  devTools: boolean;
}

export const CONSOLE_BACKGROUND = '#0a0e13'; // the console's --bg, so no white flash before paint

export function consoleWindowOptions(inputs: ConsoleWindowInputs): BrowserWindowConstructorOptions {
  return {
    title: 'Guardian',
    width: 1440,
    height: 900,
    minWidth: 1100,
    minHeight: 700,
    show: false, // shown on ready-to-show: the flight deck appears painted, not blank
    backgroundColor: CONSOLE_BACKGROUND,
    autoHideMenuBar: true,
    ...(inputs.iconPath ? { icon: inputs.iconPath } : {}),
    webPreferences: {
      preload: inputs.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: inputs.devTools,
      // Middle-click opens links in new windows; there are none to open.
      disableBlinkFeatures: 'Auxclick',
    },
  };
}
