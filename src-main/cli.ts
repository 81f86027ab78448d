// guardian serve | sim | help. Runs from the repo as `npm run guardian -- <command>` and as
// the package's bin when installed.
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  ConfigError, createGuardian, defaultDataDir, loadGuardianConfig, DEFAULT_CONFIG_FILE, DEFAULT_WEB_ROOT, WEB_BUILD_COMMAND, webBuilt, type Guardian,
  refuseIfAnotherIsActive, stepDownOnLoss, waitForLease, type Leadership,
  assertConfigFiles, defaultConfigFiles, manifestLine,
} from './guardian';
import { formatStatusLine } from './status-line';

/** How long `serve` waits on SIGINT/SIGTERM for peers to acknowledge what is queued (the rest is resent after the next start). */
const FLUSH_ON_STOP_MS = 1000;

const USAGE = `Guardian: the control plane of an MT4 trading workstation.

Usage:
  guardian serve [--config FILE] [--pretrade FILE] [--data-dir DIR] [--demo] [--quiet] [--data-plane-only]
      Run the control plane headless, with its console at http://127.0.0.1:8787/?token=...
      (api in the config). --demo starts the MT4 simulator beside it. --data-plane-only runs
      the paths and the router without the pulse and mode manager (benchmarks, diagnosis).
      --pretrade: the pre-trade gate's limits (default config/pretrade.yaml).
      --standby (or ha.enabled in the config): active/standby on a shared data dir; waits while
      another instance holds the lease, takes over when it lapses. Exit 3: lost the lease, stepped down.
  guardian sim [options]      Run the MT4 simulator (an EA and signal services); see guardian sim --help.
  guardian verify-log [--data-dir DIR | --file FILE] [--json]
      Check the incident log's hash chain. Exit 0 ok, 1 problems (listed), 2 usage.
  guardian restore --from-mirror | --snapshot FILE [--data-dir DIR] [--config FILE] [--force]
      With Guardian stopped: rebuild the database from the mirror (when it is lost or fails
      integrity_check), or put a snapshot in its place. The replaced file is set aside, never deleted.
  guardian snapshot [--data-dir DIR] [--config FILE]
      A compressed, verified snapshot of the database now (into durability.snapshots.dir).
  guardian status [--data-dir DIR] [--json] [--watch]
      The status file Guardian rewrites every second, with its age.
  guardian status-console [--data-dir DIR] [--port N]
      The console, read-only, from the status file: for when the service does not answer.
  guardian help               This text.
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve(rest);
    case 'sim': {
      const { runSim } = await import('./sim');
      return runSim(rest);
    }
    case 'verify-log': {
      const { verifyLogCommand } = await import('./guardian/incidents');
      return verifyLogCommand(rest, { defaultDataDir: defaultDataDir() });
    }
    case 'restore':
    case 'snapshot': {
      const { restoreCommand, snapshotCommand } = await import('./guardian/durability');
      return (command === 'restore' ? restoreCommand : snapshotCommand)(rest, { defaultDataDir: defaultDataDir() });
    }
    case 'status':
    case 'status-console': {
      const { statusCommand, statusConsoleCommand } = await import('./guardian/status-console');
      return (command === 'status' ? statusCommand : statusConsoleCommand)(rest, { defaultDataDir: defaultDataDir() });
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`guardian: unknown command '${command}'\n\n${USAGE}`);
      return 2;
  }
}

async function serve(args: string[]): Promise<number> {
  let opts;
  try {
    opts = parseArgs({
      args,
      options: {
        config: { type: 'string' },
        pretrade: { type: 'string' },
        'data-dir': { type: 'string' },
        demo: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        'data-plane-only': { type: 'boolean', default: false },
        standby: { type: 'boolean', default: false },
      },
      strict: true,
    }).values;
  } catch (err) {
    process.stderr.write(`guardian serve: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const configFile = resolve(opts.config ?? DEFAULT_CONFIG_FILE);
  const pretradeFile = opts.pretrade === undefined ? undefined : resolve(opts.pretrade);
  const dataDir = resolve(opts['data-dir'] ?? defaultDataDir());
  if (opts.demo) buildConsoleIfMissing();
  let guardian: Guardian;
  let leadership: Leadership | null = null;
  try {
    // Issue 6: every file in config/ is checked (schemas, ranges, cross-field rules) before anything starts.
    assertConfigFiles({ ...defaultConfigFiles(configFile), ...(pretradeFile ? { pretrade: pretradeFile } : {}) });
    const config = loadGuardianConfig(configFile);
    // Issue 7: active/standby. Nothing that writes or binds is built before this instance holds the lease.
    if (opts.standby || config.ha?.enabled) {
      leadership = await waitForLease(config, dataDir, { say: (s) => process.stdout.write(s + '\n'), quiet: opts.quiet });
      if (!leadership) return 0;
    } else refuseIfAnotherIsActive(config, dataDir); // never unfenced beside an active instance
    // control: the control plane (issue 3) runs beside the data plane.
    guardian = await createGuardian(config, {
      dataDir, demo: opts.demo, control: !opts['data-plane-only'], ...(leadership ? { leadership } : {}),
      // Issue 6: the run manifest's facts, and the watch that keeps the last good configuration on a bad edit.
      configFile, watchConfig: true, ...(pretradeFile ? { execution: { file: pretradeFile } } : {}),
      flags: { config: configFile, pretrade: pretradeFile ?? null, data_dir: dataDir, demo: opts.demo, quiet: opts.quiet, data_plane_only: opts['data-plane-only'], standby: opts.standby },
    });
  } catch (err) {
    leadership?.release();
    // The control plane's files (constraints, failover policy, runbooks) are configuration too.
    if (err instanceof ConfigError || ['ConstraintConfigError', 'PolicyError', 'RunbookError'].includes((err as Error).name)) {
      process.stderr.write(`guardian: the configuration is not valid; nothing was started.\n${(err as Error).message}\n`);
      return 78; // EX_CONFIG
    }
    process.stderr.write(`guardian: cannot start: ${(err as Error).message}\n`);
    return 1;
  }
  const out = (s: string) => process.stdout.write(s + '\n');
  // Signal handlers first: a service manager may send SIGTERM the moment Guardian says it serves.
  let demo: { stop(): Promise<void> } | undefined;
  let statusTimer: NodeJS.Timeout | undefined;
  let stopping = false;
  let resolveExit: (code: number) => void = () => {};
  const exited = new Promise<number>((r) => (resolveExit = r));
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    out(`guardian: ${signal}: stopping (flushing the store)`);
    if (statusTimer) clearInterval(statusTimer);
    // As the desktop app: no new connections, a moment for the open sessions to take what is queued.
    guardian.stopIntake();
    for (const until = Date.now() + FLUSH_ON_STOP_MS; guardian.status().buffer.depth > 0 && Date.now() < until;) await new Promise((r) => setTimeout(r, 50));
    await demo?.stop();
    await guardian.dispose();
    leadership?.release(); // the standby takes over at once, not when the lease runs out
    resolveExit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  if (leadership) stepDownOnLoss(leadership, (s) => process.stderr.write(s + '\n'));

  out(`guardian ${guardian.config.node_id} serving; data dir ${dataDir}`);
  out(`  run    ${manifestLine(guardian.manifest)}`);
  for (const [path, address] of Object.entries(guardian.listening)) out(`  ${path.padEnd(6)} ${address}`);
  if (guardian.api) {
    // The console link carries the token: whoever has it may act as the operator (see the audit log).
    out(`  console ${guardian.api.consoleUrl}`);
    out(`  metrics ${guardian.api.origin}/metrics`);
    if (!guardian.api.webBuilt) out(`  console: not built (${guardian.api.webRoot} has no index.html): run ${WEB_BUILD_COMMAND}; the API answers meanwhile`);
  }
  if (opts.demo) {
    const { startDemoPeers, injectDemoFault } = await import('./sim');
    const sim = await startDemoPeers({ guardian: guardian.listening, dataDir: resolve(dataDir, 'sim') });
    demo = sim;
    guardian.console.attachFaultInjector((fault) => injectDemoFault(sim, fault));
    out('  demo: the MT4 simulator is running beside Guardian (an EA and primary + cached signal services); inject faults from the console');
  }
  out('guardian ready');
  if (guardian.config.status_line_ms > 0 && !opts.quiet && !stopping) {
    statusTimer = setInterval(() => out(formatStatusLine(guardian.status(), guardian.control?.mode)), guardian.config.status_line_ms);
  }
  return exited;
}

/**
 * `serve --demo` from the repository: the console is built once if it is missing (npm run demo on
 * a fresh clone). An installed Guardian ships it built; a rebuild after editing the renderer is
 * `${WEB_BUILD_COMMAND}`.
 */
function buildConsoleIfMissing(): void {
  if (webBuilt(DEFAULT_WEB_ROOT)) return;
  const root = resolve(DEFAULT_WEB_ROOT, '../..');
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite) || !existsSync(join(root, 'vite.web.config.ts'))) return; // not a checkout: the server says what is missing
  process.stdout.write(`guardian: the console is not built yet; building it (${WEB_BUILD_COMMAND}), about 10 s...\n`);
  const r = spawnSync(process.execPath, [vite, 'build', '-c', 'vite.web.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) process.stderr.write(`guardian: building the console failed (the API still serves):\n${r.stderr ?? r.error?.message ?? ''}\n`);
}

const isEntry = process.argv[1] !== undefined && /cli\.(ts|js|mjs)$/.test(process.argv[1]);
if (isEntry) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`guardian: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
