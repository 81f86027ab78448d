// Issue 5: the BrowserWindow options are what the security rules say.
import { describe, expect, it } from 'vitest';
import { consoleWindowOptions } from './window-options';

describe('the console window options', () => {
  const o = consoleWindowOptions({ preloadPath: '/app/out/preload/index.cjs', iconPath: '/app/resources/icon.png', devTools: false });
  const web = o.webPreferences!;

  it('isolate and sandbox the renderer, with no Node and web security on', () => {
    expect(web.contextIsolation).toBe(true);
    expect(web.sandbox).toBe(true);
    expect(web.nodeIntegration).toBe(false);
    expect(web.nodeIntegrationInWorker).toBe(false);
    expect(web.nodeIntegrationInSubFrames).toBe(false);
    expect(web.webSecurity).toBe(true);
    expect(web.allowRunningInsecureContent).toBe(false);
  });

  it('allow nothing that opens or embeds other content', () => {
    expect(web.webviewTag).toBe(false);
    expect(web.navigateOnDragDrop).toBe(false);
    expect(web.experimentalFeatures).toBe(false);
    expect(web.disableBlinkFeatures).toContain('Auxclick');
  });

  it('load our preload, and keep developer tools out of a packaged build', () => {
    expect(web.preload).toBe('/app/out/preload/index.cjs');
    expect(web.devTools).toBe(false);
    expect(consoleWindowOptions({ preloadPath: 'p', devTools: true }).webPreferences!.devTools).toBe(true);
  });

  it('appear painted in the console colours, at a flight-deck size', () => {
    expect(o.show).toBe(false);
    expect(o.backgroundColor).toBe('#0a0e13');
    expect(o.minWidth).toBeGreaterThanOrEqual(1100);
    expect(o.icon).toBe('/app/resources/icon.png');
    expect('icon' in consoleWindowOptions({ preloadPath: 'p', devTools: false })).toBe(false);
  });
});
