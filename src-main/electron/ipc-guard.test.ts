// Issue 5: every IPC message is checked for coming from our own main frame on our own page.
import { describe, expect, it } from 'vitest';
import { consoleUrl, isConsolePage } from './app-url';
import { isTrustedSender, judgeSender } from './ipc-guard';

const APP = consoleUrl(undefined);

describe('isTrustedSender', () => {
  it('trusts the console page in the main frame, whatever its hash route or query', () => {
    expect(APP).toBe('app://guardian/index.html');
    expect(isTrustedSender(APP, true, APP)).toBe(true);
    expect(isTrustedSender(`${APP}#/report/inc-7`, true, APP)).toBe(true);
    expect(isTrustedSender(`${APP}?fake=1`, true, APP)).toBe(true);
  });

  it('refuses a subframe, even one showing our page', () => {
    expect(isTrustedSender(APP, false, APP)).toBe(false);
  });

  it('refuses other origins, other pages, look-alikes and garbage', () => {
    for (const url of [
      'app://evil/index.html', 'app://guardian.evil/index.html', 'app://guardian/other.html', 'app://guardian/index.html/..',
      'file:///C:/Guardian/index.html', 'https://guardian/index.html', 'http://127.0.0.1:8787/index.html',
      'about:blank', 'data:text/html,hi', '', 'not a url', undefined, null,
    ]) expect(isTrustedSender(url, true, APP), String(url)).toBe(false);
  });

  it('under the dev server, trusts that origin and page only', () => {
    const dev = consoleUrl('http://localhost:5173');
    expect(isTrustedSender('http://localhost:5173/#/x', true, dev)).toBe(true);
    expect(isTrustedSender('http://localhost:5174/', true, dev)).toBe(false);
    expect(isTrustedSender(APP, true, dev)).toBe(false);
    expect(isConsolePage('http://localhost:5173/index.html', dev)).toBe(false);
  });
});

describe('judgeSender (the Electron event)', () => {
  const ev = (url: string, parent: unknown, id = 3) => ({ senderFrame: { url, parent }, sender: { id } });

  it('trusts our window\'s main frame on our page', () => {
    expect(judgeSender(ev(APP, null), APP, 3)).toEqual({ trusted: true });
  });

  it('says why it refuses', () => {
    expect(judgeSender({ senderFrame: null, sender: { id: 3 } }, APP, 3)).toEqual({ trusted: false, why: 'the sending frame is gone' });
    expect(judgeSender(ev(APP, null, 4), APP, 3)).toEqual({ trusted: false, why: 'webContents 4 is not the console window' });
    expect(judgeSender(ev(APP, null), APP, null)).toEqual({ trusted: false, why: 'webContents 3 is not the console window' });
    expect(judgeSender(ev(APP, {}), APP, 3)).toEqual({ trusted: false, why: 'a subframe (app://guardian/index.html) may not call Guardian' });
    expect(judgeSender(ev('https://x.example/', null), APP, 3)).toEqual({ trusted: false, why: 'the frame shows https://x.example/, not app://guardian/index.html' });
  });
});
