// Guardian as its own process, as an operator runs it: `guardian serve` on a data dir, killed
// and restarted by tests and benchmarks. Returns once it says where it listens.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(ROOT, 'src-main', 'cli.ts');

/** A one-shot `guardian <args>` (restore, snapshot, status...): its exit code and everything it printed. */
export function runCli(args: string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

export interface GuardianProcess {
  child: ChildProcess;
  socket: { host: string; port: number };
  pipe: string;
  spool: string;
  /** The console server, when the config enables it (writeConfig gives it a free port). */
  api: { origin: string; port: number; token: string; consoleUrl: string } | null;
  output(): string;
  /** SIGKILL: no flush, no goodbye. */
  kill9(): Promise<void>;
  /** SIGTERM: the graceful stop. */
  stop(): Promise<number | null>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Writes a config into the data dir: the embedded defaults with this run's port and tweaks. The
 * console server takes `apiPort` (default 0, a free one: tests never collide on 8787).
 */
export function writeConfig(dataDir: string, port: number, edit: (yaml: string) => string = (y) => y, apiPort = 0): string {
  const base = readFileSync(join(ROOT, 'config', 'guardian.yaml'), 'utf8').replace('port: 9999', `port: ${port}`).replace('port: 8787', `port: ${apiPort}`);
  const file = join(dataDir, 'guardian.yaml');
  writeFileSync(file, edit(base));
  // Beside it, the pre-trade limits off: these streams send thousands of identical orders a minute
  // to test delivery, which a trading desk's gate rightly refuses (e2e/execution-* test the gate).
  writeFileSync(pretradeBeside(file), readFileSync(join(ROOT, 'config', 'pretrade.yaml'), 'utf8').replace(/^enabled: true$/m, 'enabled: false'));
  return file;
}

/** The pretrade.yaml writeConfig puts beside a guardian.yaml; `serve --pretrade` is given it when present. */
export function pretradeBeside(configFile: string): string {
  return join(dirname(configFile), 'pretrade.yaml');
}

/** `--pretrade FILE` for a config written by writeConfig, else nothing (the shipped limits). */
export function pretradeArgs(configFile: string): string[] {
  return existsSync(pretradeBeside(configFile)) ? ['--pretrade', pretradeBeside(configFile)] : [];
}

export async function startGuardianProcess(dataDir: string, configFile: string, extraArgs: string[] = []): Promise<GuardianProcess> {
  // GUARDIAN_NODE_ARGS passes flags to the Guardian process (e.g. --cpu-prof) when profiling a benchmark.
  const nodeArgs = process.env.GUARDIAN_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', CLI, 'serve', '--config', configFile, ...pretradeArgs(configFile), '--data-dir', dataDir, '--quiet', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  await new Promise<void>((resolve, reject) => {
    const t = setInterval(() => {
      if (/^guardian ready/m.test(out)) {
        clearInterval(t);
        resolve();
      }
    }, 5);
    void exited.then((code) => {
      clearInterval(t);
      reject(new Error(`guardian exited (${code}) before it was ready:\n${out}`));
    });
  });
  const sock = /socket +([\d.]+):(\d+)/.exec(out);
  const pipe = /pipe +(\S+)/.exec(out);
  const spool = /spool +(\S+)/.exec(out);
  const link = /console +(http:\/\/[^\s/]+:(\d+))\/\?token=(\S+)/.exec(out);
  return {
    child,
    socket: { host: sock?.[1] ?? '127.0.0.1', port: Number(sock?.[2] ?? 0) },
    pipe: pipe?.[1] ?? '',
    spool: spool?.[1] ?? '',
    api: link ? { origin: link[1]!, port: Number(link[2]), token: link[3]!, consoleUrl: `${link[1]}/?token=${link[3]}` } : null,
    output: () => out,
    ...endings(child, exited),
  };
}

/** How a test ends a Guardian process: at once (kill -9), or gracefully (SIGTERM), each awaiting the exit. */
export function endings(child: ChildProcess, exited: Promise<number | null>): { kill9(): Promise<void>; stop(): Promise<number | null> } {
  return {
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
