// The session's limits, applied once: our CSP on every response, no permission for anything,
// no new windows, no navigation away, no webview, and downloads only as report exports through a
// native save dialog (report-download.ts). Thin: the decisions are in pure modules.
import { app, type Session } from 'electron';
import { withSecurityHeaders } from './csp';
import { downloadDecision } from './report-download';
import { isAllowedNavigation, permissionDecision, windowOpenDecision } from './web-guards';

export function guardSession(ses: Session, o: { appUrl: string; csp: string; log(line: string): void }): void {
  ses.setPermissionRequestHandler((_contents, permission, callback) => {
    o.log(`session: refused permission "${permission}"`);
    callback(permissionDecision(permission));
  });
  ses.setPermissionCheckHandler((_contents, permission) => permissionDecision(permission));
  ses.setDevicePermissionHandler(() => false);
  // The dev server's responses (app:// responses carry the header already, see app.ts).
  ses.webRequest.onHeadersReceived((details, callback) => callback({ responseHeaders: withSecurityHeaders(details.responseHeaders, o.csp) }));
  ses.on('will-download', (event, item) => {
    const d = downloadDecision({ url: item.getURL(), filename: item.getFilename(), appUrl: o.appUrl, documentsDir: app.getPath('documents') });
    if (!d.allow) {
      o.log(`session: refused a download: ${d.why}`);
      event.preventDefault();
      return;
    }
    item.setSaveDialogOptions(d.dialog); // no save path set: Electron asks with this native dialog
    item.once('done', (_e, state) => o.log(`report export ${state}${state === 'completed' ? `: ${item.getSavePath()}` : ''}`));
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      o.log(`window: refused to open ${url}`);
      return windowOpenDecision();
    });
    const stay = (e: { preventDefault(): void }, url: string) => {
      if (isAllowedNavigation(url, o.appUrl)) return;
      e.preventDefault();
      o.log(`window: refused to navigate to ${url}`);
    };
    contents.on('will-navigate', stay);
    contents.on('will-redirect', stay);
    contents.on('will-attach-webview', (e) => e.preventDefault());
  });
}
