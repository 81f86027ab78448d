// The page's limits: CSP, navigation, new windows, permissions, the app:// file mapping, and
// which downloads become a save dialog.
import { describe, expect, it } from 'vitest';
import { join, sep } from 'node:path';
import { appFileFor } from './app-protocol';
import { consoleUrl } from './app-url';
import { consoleCsp, withSecurityHeaders } from './csp';
import { downloadDecision } from './report-download';
import { isAllowedNavigation, permissionDecision, windowOpenDecision } from './web-guards';

const APP = consoleUrl(undefined);

describe('the content security policy', () => {
  const csp = consoleCsp();
  const directive = (name: string) => csp.split('; ').find((d) => d.startsWith(`${name} `));

  it('denies by default and allows scripts only from the app', () => {
    expect(directive('default-src')).toBe("default-src 'none'");
    expect(directive('script-src')).toBe("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-eval/);
    expect(directive('script-src')).not.toMatch(/unsafe-inline/);
  });

  it('shuts objects, frames, forms and base-tag tricks, and talks to nothing outside', () => {
    for (const d of ["object-src 'none'", "frame-src 'none'", "form-action 'none'", "base-uri 'none'", "frame-ancestors 'none'", "connect-src 'self'"]) expect(csp).toContain(d);
  });

  it('in dev adds only the dev server and its hot-reload socket', () => {
    const dev = consoleCsp('http://localhost:5173');
    expect(dev).toContain("script-src 'self' http://localhost:5173;");
    expect(dev).toContain("connect-src 'self' http://localhost:5173 ws://localhost:5173;");
  });

  it('replaces any CSP a server sent, and adds nosniff', () => {
    const h = withSecurityHeaders({ 'content-security-policy': ['default-src *'], 'Content-Type': 'text/html' }, csp);
    expect(h).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [csp], 'X-Content-Type-Options': ['nosniff'] });
  });
});

describe('navigation, windows and permissions', () => {
  it('allows hash routes of the console page, nothing else', () => {
    expect(isAllowedNavigation(`${APP}#/report/inc-1`, APP)).toBe(true);
    expect(isAllowedNavigation('https://broker.example/login', APP)).toBe(false);
    expect(isAllowedNavigation('app://guardian/other.html', APP)).toBe(false);
    expect(isAllowedNavigation('file:///etc/passwd', APP)).toBe(false);
  });

  it('denies every new window and every permission', () => {
    expect(windowOpenDecision()).toEqual({ action: 'deny' });
    for (const p of ['media', 'notifications', 'clipboard-read', 'geolocation', 'openExternal', 'fullscreen']) expect(permissionDecision(p)).toBe(false);
  });
});

describe('app:// files', () => {
  const root = join(sep, 'app', 'out', 'renderer');

  it('serves the console page and its assets with their types', () => {
    expect(appFileFor('app://guardian/', root)).toEqual({ file: join(root, 'index.html'), contentType: 'text/html; charset=utf-8' });
    expect(appFileFor('app://guardian/index.html#/x', root)).toEqual({ file: join(root, 'index.html'), contentType: 'text/html; charset=utf-8' });
    expect(appFileFor('app://guardian/assets/index-abc.js?v=1', root)).toEqual({ file: join(root, 'assets', 'index-abc.js'), contentType: 'text/javascript; charset=utf-8' });
  });

  it('refuses other hosts, climbing out, NULs and unknown types', () => {
    expect(appFileFor('app://evil/index.html', root)).toEqual({ refused: 'not app://guardian' });
    expect(appFileFor('app://guardian/..%2f..%2fetc%2fpasswd.js', root)).toEqual({ refused: 'a path outside the console' });
    expect(appFileFor('app://guardian/a%00.js', root)).toEqual({ refused: 'a NUL in the path' });
    expect(appFileFor('app://guardian/tool.exe', root)).toEqual({ refused: 'an unknown file type (.exe)' });
    expect(appFileFor('app://guardian/%E0%A4%A', root)).toEqual({ refused: 'a malformed path' });
  });
});

describe('report downloads', () => {
  const base = { appUrl: APP, documentsDir: join(sep, 'home', 'trader', 'Documents') };

  it('turn a report the console made into a save dialog for its type', () => {
    const d = downloadDecision({ ...base, url: 'blob:app://guardian/6f1c', filename: 'incident-inc-7.md' });
    expect(d).toEqual({ allow: true, dialog: { title: 'Export incident report', defaultPath: join(base.documentsDir, 'incident-inc-7.md'), filters: [{ name: 'Markdown report', extensions: ['md'] }] } });
    const j = downloadDecision({ ...base, url: 'blob:app://guardian/1', filename: 'timeline.json' });
    expect(j.allow && j.dialog.filters).toEqual([{ name: 'JSON report', extensions: ['json'] }]);
  });

  it('refuse anything not from the console, or not a report', () => {
    expect(downloadDecision({ ...base, url: 'https://evil.example/x.md', filename: 'x.md' }).allow).toBe(false);
    expect(downloadDecision({ ...base, url: 'blob:https://evil.example/1', filename: 'x.md' }).allow).toBe(false);
    expect(downloadDecision({ ...base, url: 'blob:app://guardian/1', filename: 'run.exe' })).toEqual({ allow: false, why: 'not a report file: run.exe' });
    const sneaky = downloadDecision({ ...base, url: 'blob:app://guardian/1', filename: '../../.bashrc.md' });
    expect(sneaky.allow && sneaky.dialog.defaultPath).toBe(join(base.documentsDir, '.bashrc.md'));
  });
});
