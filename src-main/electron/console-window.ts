// The console window, with the options of window-options.ts, shown once painted. What the page
// may open or navigate to is limited for every webContents in app.ts (web-guards.ts).
import { BrowserWindow } from 'electron';
import { consoleWindowOptions } from './window-options';

export function createConsoleWindow(o: { appUrl: string; preloadPath: string; iconPath: string; devTools: boolean; show: boolean }): BrowserWindow {
  const win = new BrowserWindow(consoleWindowOptions({ preloadPath: o.preloadPath, iconPath: o.iconPath, devTools: o.devTools }));
  if (o.show) win.once('ready-to-show', () => win.show());
  void win.loadURL(o.appUrl);
  return win;
}
