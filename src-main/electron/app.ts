// The desktop app, put together: one instance, a hardened session, the console served from
// app://guardian, the control plane in a utility process (or in this one with --in-process),
// the console's IPC, the tray coloured by mode, notifications on mode changes, report export,
// and on quit the graceful shutdown (stop taking work, flush the outbox, close the database).
// Every decision lives in a pure module beside this one; this file only wires Electron to them.
import { app, BrowserWindow, dialog, ipcMain, Notification, protocol, session } from 'electron';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EVENT_STREAM, type StreamEvent } from '../../src-shared/contract';
import { appLayout } from './app-layout';
import { appFileFor } from './app-protocol';
import { APP_SCHEME, consoleUrl } from './app-url';
import { createConsoleWindow } from './console-window';
import { consoleCsp } from './csp';
import { hostBundle } from './host/host-bundle';
import type { HostState, MainPort } from './host/control-plane-client';
import type { HostOptions } from './host/messages';
import { ControlPlaneSupervisor } from './host/supervisor';
import { readStatusFile, STATUS_FILE } from '../guardian/status-file';
import { forkUtilityHost } from './host/utility-host';
import { registerConsoleIpc, type ConsoleIpc } from './ipc-wiring';
import { parseLaunchOptions, type LaunchOptions } from './launch-options';
import { ModeWatch } from './mode-notice';
import { guardSession } from './session-guards';
import { formatShutdownReport, runShutdown } from './shutdown';
import { createGuardianTray, type GuardianTray } from './tray';
import { onWindowClose } from './tray-model';

export const APP_ID = 'com.guardian.console';
const FLUSH_OUTBOX_MS = 3000;

const log = (line: string) => console.log(`guardian: ${line}`);

export function startDesktopApp(argv: readonly string[] = process.argv): void {
  // A second Guardian would fight the first for its ports and its database: hand over and leave.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // Before ready: app:// must be a standard, secure scheme for the page to have a real origin.
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
  app.setAppUserModelId(APP_ID); // Windows shows notifications only for an app with an id
  const launch = parseLaunchOptions(argv.slice(1));
  app.whenReady().then(() => run(launch)).catch((err: unknown) => {
    dialog.showErrorBox('Guardian could not start', err instanceof Error ? err.message : String(err));
    app.exit(1);
  });
}

async function run(launch: LaunchOptions): Promise<void> {
  const layout = appLayout({ mainDir: import.meta.dirname, resourcesPath: process.resourcesPath, isPackaged: app.isPackaged });
  const appUrl = consoleUrl(app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL);
  const csp = consoleCsp(appUrl.startsWith(`${APP_SCHEME}:`) ? undefined : new URL(appUrl).origin);
  guardSession(session.defaultSession, { appUrl, csp, log });
  protocol.handle(APP_SCHEME, async (request) => {
    const found = appFileFor(request.url, layout.rendererDir);
    if ('refused' in found) {
      log(`app://: refused ${request.url}: ${found.refused}`);
      return new Response('Not found', { status: 404 });
    }
    try {
      const body = await readFile(found.file);
      return new Response(body, { headers: { 'Content-Type': found.contentType, 'Content-Security-Policy': csp, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' } });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });

  let win: BrowserWindow | null = null;
  let tray: GuardianTray | null = null;
  let quitting = false;
  const watch = new ModeWatch();
  const showWindow = () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
    tray?.refreshMenu();
  };
  const toggleWindow = () => {
    if (!win?.isVisible()) return showWindow();
    win.hide();
    tray?.refreshMenu();
  };
  const notify = (title: string, body: string, urgency: 'normal' | 'critical' = 'normal') => {
    if (!Notification.isSupported()) return;
    const n = new Notification({ title, body, urgency, timeoutType: urgency === 'critical' ? 'never' : 'default', icon: join(layout.iconsDir, 'icon.png') });
    n.on('click', showWindow);
    n.show();
  };

  const onEvent = (event: StreamEvent) => {
    if (win && !win.isDestroyed()) win.webContents.send(EVENT_STREAM.ipc, event);
    const notice = watch.push(event);
    if (notice) notify(notice.title, notice.body, notice.urgency);
    if (event.type === 'status') tray?.show(event.status.mode, `score ${Math.round(event.status.overall_score)}`);
  };
  const onState = (s: HostState) => {
    if (s.phase === 'ready') {
      log(`control plane listening on ${Object.entries(s.ready.listening).map(([k, v]) => `${k} ${v}`).join(', ')}`);
      log(`native bridge: ${s.ready.native.available ? 'loaded' : `not loaded (${s.ready.native.reason})`}; ${s.ready.secure_pipe}`);
      if (!s.ready.console_api) log('the control plane serves no console API: the window will show no data');
    }
    if (s.phase === 'failed') {
      tray?.show('OFFLINE', s.error);
      notify('Guardian could not start', s.error, 'critical');
    }
    if (s.phase === 'exited') {
      watch.reset();
      tray?.show('OFFLINE', `exited with code ${s.code}`);
    }
  };

  const options: HostOptions = {
    dataDir: launch.dataDir ?? join(app.getPath('userData'), 'data'),
    // Packaged, the operator's editable copy beside the app; in development, the repo's.
    configFile: launch.configFile ?? (app.isPackaged ? join(layout.configDir, 'guardian.yaml') : undefined),
    resourcesDir: layout.resourcesDir,
    repoRoot: layout.repoRoot,
    demo: launch.demo,
  };
  const bundle = hostBundle(import.meta.dirname);
  const entry = launch.inProcess ? bundle.inProcessEntry : bundle.utilityEntry;
  if (!existsSync(entry)) throw new Error(`The control plane's host is not built (${entry} is missing): run npm start, which builds it.`);
  const spawn = async (): Promise<MainPort> => {
    if (!launch.inProcess) return forkUtilityHost(entry, process.env);
    const mod = (await import(pathToFileURL(entry).href)) as typeof import('./host/in-process-entry');
    return mod.startInProcessHost();
  };
  const statusFile = join(options.dataDir, STATUS_FILE);
  const controlPlane = new ControlPlaneSupervisor(spawn, options, {
    onEvent, onState, log, onRestart: (message) => notify('Guardian', message, 'critical'),
    // While the control plane is down (a crash, a stall), the window shows its last status file, marked stale.
    statusFromFile: () => {
      const r = readStatusFile(statusFile);
      return r.ok ? r.status : null;
    },
  });

  const ipc: ConsoleIpc = registerConsoleIpc(ipcMain, {
    appUrl,
    consoleWebContentsId: () => (win && !win.isDestroyed() ? win.webContents.id : null),
    call: (name, request) => controlPlane.call(name, request),
    log,
  });

  await controlPlane.start();

  win = createConsoleWindow({
    appUrl, preloadPath: layout.preloadFile, iconPath: join(layout.iconsDir, 'icon.png'), devTools: !app.isPackaged, show: !launch.hidden,
  });
  try {
    tray = createGuardianTray({
      iconsDir: layout.iconsDir,
      windowVisible: () => !!win && !win.isDestroyed() && win.isVisible(),
      toggleWindow,
      quit: () => app.quit(),
    });
  } catch (err) {
    log(`no tray icon (${(err as Error).message}): closing the window quits Guardian`);
  }
  win.on('close', (e) => {
    if (onWindowClose({ quitting, hasTray: tray !== null }) === 'hide') {
      e.preventDefault();
      win?.hide();
      tray?.refreshMenu();
    }
  });
  app.on('second-instance', showWindow);
  app.on('window-all-closed', () => {
    if (!tray) app.quit(); // with a tray, Guardian keeps running
  });

  let stopped = false;
  app.on('before-quit', (e) => {
    if (stopped) return;
    e.preventDefault();
    if (quitting) return;
    quitting = true;
    void runShutdown([
      { name: 'refuse new console calls', timeout_ms: 1000, run: () => ipc.refuseNewWork('Guardian is shutting down: it takes no new work') },
      {
        name: 'stop the control plane',
        timeout_ms: FLUSH_OUTBOX_MS + 15_000,
        run: async () => {
          const r = await controlPlane.shutdown(FLUSH_OUTBOX_MS);
          return r ? formatShutdownReport(r).replace(/\n/g, '; ') : 'it was not running, or had to be stopped';
        },
      },
      { name: 'remove the tray icon', timeout_ms: 1000, run: () => tray?.destroy() },
    ]).then((report) => {
      log(`shutdown:\n${formatShutdownReport(report)}`);
    }).finally(() => {
      stopped = true;
      app.quit();
    });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
}
