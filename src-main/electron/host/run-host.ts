// The control plane's host: starts Guardian, answers the main process's calls through the
// console API, streams its events, and on request shuts down gracefully (stop taking new work,
// flush the outbox, close the database). Plain Node, no Electron: the same code runs in a
// utility process (utility-entry.ts) and in the main process (--in-process), and in tests.
import { join } from 'node:path';
import { assertConfigFiles, ConfigError, createGuardian, DEFAULT_CONFIG_FILE, defaultConfigFiles, loadGuardianConfig, type Guardian, type PipeListenerFactory } from '../../guardian';
import { loadNativeBridge, securePipeListenerFactory, type NativeBridge } from '../../guardian/native';
import { runShutdown, waitForEmptyOutbox, type ShutdownReport } from '../shutdown';
import { consoleApiOf, type ConsoleApi } from './console-api';
import { parseToHost, type FromHost, type HostOptions } from './messages';

export interface HostPort {
  post(message: FromHost): void;
  onMessage(listener: (message: unknown) => void): void;
}

/** Guardian, and what runs beside it (the demo's simulator), stopped before Guardian closes. */
export interface Started {
  guardian: Guardian;
  beside?: { stop(): Promise<void> };
}

/** What the host gives Guardian beyond its options: the pipe path's listener on Windows. */
export interface StartExtras {
  pipeListener?: PipeListenerFactory;
}

export interface HostDeps {
  startGuardian(options: HostOptions, extras?: StartExtras): Promise<Started>;
  consoleApi(guardian: Guardian): { api: ConsoleApi; served: boolean };
  loadNative(options: HostOptions): NativeBridge;
  platform: NodeJS.Platform;
}

export const defaultHostDeps: HostDeps = {
  startGuardian: async (o, extras = {}) => {
    // As `guardian serve`: every config file checked first, the whole control plane (pulse, gates,
    // modes, repairs) beside the data plane, the run manifest's facts, and the config watch that
    // keeps the last good configuration on a bad edit.
    const configFile = o.configFile ?? DEFAULT_CONFIG_FILE;
    assertConfigFiles(defaultConfigFiles(configFile));
    const guardian = await createGuardian(loadGuardianConfig(configFile), {
      dataDir: o.dataDir, demo: o.demo ?? false, control: true, configFile, watchConfig: true,
      flags: { app: 'desktop', config: configFile, data_dir: o.dataDir, demo: o.demo ?? false },
      ...(extras.pipeListener ? { pipeListener: extras.pipeListener } : {}),
    });
    if (!o.demo) return { guardian };
    // As `guardian serve --demo`: the MT4 simulator beside Guardian, faults injected from the console.
    try {
      const { startDemoPeers, injectDemoFault } = await import('../../sim');
      const sim = await startDemoPeers({ guardian: guardian.listening, dataDir: join(o.dataDir, 'sim') });
      guardian.console.attachFaultInjector((fault) => injectDemoFault(sim, fault));
      return { guardian, beside: sim };
    } catch (err) {
      await guardian.dispose(); // not half started: the store is closed before the failure is reported
      throw err;
    }
  },
  consoleApi: consoleApiOf,
  loadNative: (o) => loadNativeBridge({ resourcesDir: o.resourcesDir, repoRoot: o.repoRoot }),
  platform: process.platform,
};

export const EXIT_CONFIG = 78; // as `guardian serve`: the configuration is not valid

/** Resolves once the host has stopped: the exit code for its process, and the shutdown report. */
export interface HostHandle {
  done: Promise<{ exit_code: number; report: ShutdownReport | null }>;
}

export function runControlPlaneHost(port: HostPort, deps: HostDeps = defaultHostDeps): HostHandle {
  let guardian: Guardian | undefined;
  let beside: Started['beside'];
  let api: ConsoleApi | undefined;
  let unsubscribe = () => {};
  let stopping = false;
  let finish: (r: { exit_code: number; report: ShutdownReport | null }) => void = () => {};
  const done = new Promise<{ exit_code: number; report: ShutdownReport | null }>((r) => (finish = r));
  let started: Promise<boolean> | undefined;

  const start = async (options: HostOptions): Promise<boolean> => {
    const native = deps.loadNative(options);
    let pipeNote = securePipeNote(deps.platform);
    // On Windows the pipe is the native secure pipe; if it cannot be made, Node's listener serves it and the log says why.
    const pipeListener = deps.platform === 'win32'
      ? securePipeListenerFactory(native, (why) => (pipeNote = `the pipe uses Node's default ACL (every local account may open it): ${why}`), { platform: deps.platform })
      : undefined;
    try {
      ({ guardian, beside } = await deps.startGuardian(options, pipeListener ? { pipeListener } : {}));
    } catch (err) {
      const exit_code = err instanceof ConfigError ? EXIT_CONFIG : 1;
      port.post({ kind: 'failed', error: (err as Error).message, exit_code });
      finish({ exit_code, report: null });
      return false;
    }
    if (options.restart) recordRestart(guardian, options.restart);
    const found = deps.consoleApi(guardian);
    api = found.api;
    unsubscribe = api.subscribe((event) => port.post({ kind: 'event', event }));
    port.post({
      kind: 'ready',
      listening: guardian.listening,
      console_api: found.served,
      native: { available: native.available, reason: native.reason },
      secure_pipe: pipeNote,
    });
    return true;
  };

  const stop = async (flush_ms: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    const ok = started ? await started : false;
    const g = guardian;
    if (!ok || !g) {
      // Never started (or failed to): nothing to flush or close.
      port.post({ kind: 'stopped', report: { ok: true, steps: [] } });
      finish({ exit_code: 0, report: null });
      return;
    }
    const report = await runShutdown([
      {
        name: 'stop taking new work',
        timeout_ms: 2000,
        run: async () => {
          unsubscribe();
          g.stopIntake();
          return 'console calls refused; paths take no new connections (open sessions stay up to flush)';
        },
      },
      { name: 'flush the outbox', timeout_ms: flush_ms + 1000, run: () => waitForEmptyOutbox(() => g.status().buffer.depth, flush_ms) },
      ...(beside ? [{ name: 'stop the simulator', timeout_ms: 5000, run: async () => void (await beside?.stop()) }] : []),
      {
        name: 'close the database',
        timeout_ms: 10_000,
        run: async () => {
          await g.dispose();
          return 'last batch committed, store closed';
        },
      },
    ]);
    port.post({ kind: 'stopped', report });
    finish({ exit_code: report.ok ? 0 : 1, report });
  };

  port.onMessage((raw) => {
    const msg = parseToHost(raw);
    if (!msg) return; // not ours: ignore rather than guess
    if (msg.kind === 'start') {
      started ??= start(msg.options);
      return;
    }
    if (msg.kind === 'shutdown') {
      void stop(msg.flush_ms);
      return;
    }
    if (msg.kind === 'ping') {
      port.post({ kind: 'pong', id: msg.id }); // from this event loop: a stalled one does not answer
      return;
    }
    const reply = (r: { ok: true; value: unknown } | { ok: false; error: string }) => port.post({ kind: 'result', id: msg.id, ...r });
    if (stopping) return reply({ ok: false, error: 'Guardian is stopping: it takes no new work' });
    if (!started) return reply({ ok: false, error: 'Guardian has not been started' });
    void started.then((ok) => {
      if (!ok || !api) return reply({ ok: false, error: 'Guardian failed to start' });
      if (stopping) return reply({ ok: false, error: 'Guardian is stopping: it takes no new work' });
      return api.call(msg.name, msg.request as never).then(
        (value) => reply({ ok: true, value }),
        (err: unknown) => reply({ ok: false, error: err instanceof Error ? err.message : String(err) }),
      );
    });
  });

  return { done };
}

/** The watchdog restarted the control plane: an incident in the new host's log (issue 7). */
export function recordRestart(guardian: Guardian, r: NonNullable<HostOptions['restart']>): void {
  const title = `The desktop app's watchdog restarted the control plane: it ${r.reason === 'stalled' ? 'stalled' : 'stopped'} (${r.detail}); down ${(r.down_ms / 1000).toFixed(1)} s`;
  try {
    guardian.incidents.raise({ family: 'HOST', title, summary: title, severity: 'critical', type: 'detect', detail: { ...r } });
  } catch {
    // the log's failure must not stop the host; the window was told already
  }
}

/** How the pipe path is protected here, for the log and the report. */
export function securePipeNote(platform: NodeJS.Platform): string {
  if (platform !== 'win32') return 'the pipe path is a Unix socket in the data dir (protected by the folder)';
  return 'the pipe admits only this user and SYSTEM, no remote clients (native secure pipe)';
}
