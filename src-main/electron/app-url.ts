// Where the console page comes from. Packaged (and `npm start`), it is served from a custom
// scheme, app://guardian/, rather than file://: a real origin, so the CSP's 'self' means exactly
// our files, and the IPC sender check compares one origin. Under `electron-vite dev` it is the
// dev server's URL.
export const APP_SCHEME = 'app';
export const APP_HOST = 'guardian';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_PAGE = 'index.html';

/** The URL the window loads: the dev server's when one is given, else app://guardian/index.html. */
export function consoleUrl(devServerUrl: string | undefined): string {
  return devServerUrl ? new URL(devServerUrl).href : `${APP_ORIGIN}/${APP_PAGE}`;
}

/** Origin and path of a URL, without query or hash (hash routes stay the same page); null if not a URL. */
export function pageOf(url: string | undefined | null): { origin: string; pathname: string } | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    // A custom scheme's origin is "null" to WHATWG URL; build it from protocol and host instead.
    return { origin: `${u.protocol}//${u.host}`, pathname: u.pathname === '' ? '/' : u.pathname };
  } catch {
    return null;
  }
}

/** True when `url` is the console page itself (any hash or query). */
export function isConsolePage(url: string | undefined | null, appUrl: string): boolean {
  const page = pageOf(url);
  const app = pageOf(appUrl);
  return page !== null && app !== null && page.origin === app.origin && page.pathname === app.pathname;
}
