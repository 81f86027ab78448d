// What the console page may do beyond itself: nothing. No navigation away (a hash route is the
// same page), no new windows, no permission (camera, notifications, clipboard, ...), no webview.
// Pure decisions; app.ts applies them to every webContents Electron creates.
import { isConsolePage } from './app-url';

export function isAllowedNavigation(targetUrl: string, appUrl: string): boolean {
  return isConsolePage(targetUrl, appUrl);
}

/** setWindowOpenHandler's answer, whatever the URL. */
export function windowOpenDecision(): { action: 'deny' } {
  return { action: 'deny' };
}

/** setPermissionRequestHandler / setPermissionCheckHandler: the console needs no permission. */
export function permissionDecision(_permission: string): false {
  return false;
}
